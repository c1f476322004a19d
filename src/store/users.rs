use sqlx::Transaction;
use uuid::Uuid;

use super::{is_unique_violation, now_millis, Store, StoreError};
use crate::domain::{Account, Role};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub disabled_at: Option<i64>,
    /// The password is a temporary one an admin set.
    pub temporary_password: bool,
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: String,
    username: String,
    #[sqlx(try_from = "String")]
    role: Role,
    created_at: i64,
    disabled_at: Option<i64>,
}

const USER_COLUMNS: &str = "id, username, password_hash, role, disabled_at, temporary_password";

per_backend! {
    /// Active admins: the count no change may bring from one to zero.
    pub(super) async fn active_admins(tx: &mut Transaction<'_, Db>) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL")
            .fetch_one(&mut **tx)
            .await?)
    }
}

impl Store {
    /// Creates a user, and with `join` makes them a member of that group in the same
    /// transaction; a taken `key` (the username as compared, see `Username::key`) is
    /// `Conflict("username")`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_user(
        &self,
        username: &str,
        key: &str,
        password_hash: &str,
        role: Role,
        join: Option<&str>,
    ) -> Result<UserRow, StoreError> {
        on_db!(self, |db| {
            let id = Uuid::new_v4().to_string();
            let now = now_millis();
            let mut tx = db.write().begin().await?;
            let result = sqlx::query(
                "INSERT INTO users (id, username, username_key, password_hash, role, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&id)
            .bind(username)
            .bind(key)
            .bind(password_hash)
            .bind(role.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await;
            match result {
                Ok(_) => {}
                Err(e) if is_unique_violation(&e) => return Err(StoreError::Conflict("username")),
                Err(e) => return Err(e.into()),
            }
            if let Some(group) = join {
                // A group deleted since its code was checked is skipped, not a failed sign-up.
                sqlx::query(
                "INSERT INTO group_members (group_id, user_id, joined_at) SELECT id, $1, $2 FROM groups WHERE id = $3",
            )
            .bind(&id)
            .bind(now)
            .bind(group)
            .execute(&mut *tx)
            .await?;
            }
            tx.commit().await?;
            Ok(UserRow {
                id,
                username: username.into(),
                password_hash: password_hash.into(),
                role,
                disabled_at: None,
                temporary_password: false,
            })
        })
    }

    /// The user whose username compares equal to `key` (see `Username::key`).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn user_by_key(&self, key: &str) -> Result<Option<UserRow>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, UserRow>(&format!("SELECT {USER_COLUMNS} FROM users WHERE username_key = $1"))
                .bind(key)
                .fetch_optional(db.read())
                .await?)
        })
    }

    /// Replaces a password hash with a new hash of the same password (settings moved
    /// on), only if it is still `old`: a password changed in the meantime wins.
    /// Sessions are untouched. Returns whether it was replaced.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn rehash_password(&self, user_id: &str, old: &str, new: &str) -> Result<bool, StoreError> {
        on_db!(self, |db| {
            let result = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3")
                .bind(new)
                .bind(user_id)
                .bind(old)
                .execute(db.write())
                .await?;
            Ok(result.rows_affected() == 1)
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn user_by_id(&self, id: &str) -> Result<Option<UserRow>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, UserRow>(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                .bind(id)
                .fetch_optional(db.read())
                .await?)
        })
    }

    /// Every user, admins first, then by name.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        on_db!(self, |db| {
            let rows = sqlx::query_as::<_, AccountRow>(
                "SELECT id, username, role, created_at, disabled_at FROM users
             ORDER BY role = 'admin' DESC, username_key",
            )
            .fetch_all(db.read())
            .await?;
            Ok(rows
                .into_iter()
                .map(|r| Account {
                    id: r.id,
                    username: r.username,
                    role: r.role,
                    created_at: r.created_at,
                    disabled: r.disabled_at.is_some(),
                })
                .collect())
        })
    }

    /// Sets a user's role and whether they are disabled (revoking their sessions when
    /// they are), unless that would leave no active admin where there was one:
    /// `Conflict("last admin")`. `false` if there is no such user.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_access(&self, user_id: &str, role: Role, disabled: bool) -> Result<bool, StoreError> {
        on_db!(self, |db, m| {
            let now = now_millis();
            let mut tx = db.write().begin().await?;
            let before = m::active_admins(&mut tx).await?;
            let changed = sqlx::query(
                "UPDATE users SET role = $1,
                 disabled_at = CASE WHEN $2 THEN COALESCE(disabled_at, $3) ELSE NULL END
             WHERE id = $4",
            )
            .bind(role.as_str())
            .bind(disabled)
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            if before > 0 && m::active_admins(&mut tx).await? == 0 {
                return Err(StoreError::Conflict("last admin"));
            }
            if disabled {
                sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Whether the user shows their progress to their groups.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn shares_progress(&self, user_id: &str) -> Result<bool, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_scalar::<_, bool>("SELECT share_progress FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(db.read())
                .await?
                .unwrap_or(false))
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_share_progress(&self, user_id: &str, share: bool) -> Result<(), StoreError> {
        on_db!(self, |db| {
            sqlx::query("UPDATE users SET share_progress = $1 WHERE id = $2")
                .bind(share)
                .bind(user_id)
                .execute(db.write())
                .await?;
            Ok(())
        })
    }
}
