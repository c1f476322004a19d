use super::{is_unique_violation, now_millis, Store, StoreError};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub role: String,
}

impl Store {
    /// Creates a user; a taken `key` (the username as compared, see `Username::key`) is
    /// `Conflict`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_user(&self, username: &str, key: &str, password_hash: &str) -> Result<UserRow, StoreError> {
        let id = Uuid::new_v4().to_string();
        let result = sqlx::query(
            "INSERT INTO users (id, username, username_key, password_hash, role, created_at)
             VALUES (?, ?, ?, ?, 'member', ?)",
        )
        .bind(&id)
        .bind(username)
        .bind(key)
        .bind(password_hash)
        .bind(now_millis())
        .execute(self.writer())
        .await;
        match result {
            Ok(_) => Ok(UserRow {
                id,
                username: username.into(),
                password_hash: password_hash.into(),
                role: "member".into(),
            }),
            Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict("username")),
            Err(e) => Err(e.into()),
        }
    }

    /// The user whose username compares equal to `key` (see `Username::key`).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn user_by_key(&self, key: &str) -> Result<Option<UserRow>, StoreError> {
        Ok(sqlx::query_as::<_, UserRow>("SELECT id, username, password_hash, role FROM users WHERE username_key = ?")
            .bind(key)
            .fetch_optional(self.reader())
            .await?)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn user_by_id(&self, id: &str) -> Result<Option<UserRow>, StoreError> {
        Ok(sqlx::query_as::<_, UserRow>("SELECT id, username, password_hash, role FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(self.reader())
            .await?)
    }
}
