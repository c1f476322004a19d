//! Login sessions: one row per login, found by the hash of the cookie's session id.
use super::{Store, StoreError};
use crate::domain::Role;

/// A session and whose it is.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: String,
    pub username: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    /// Set once the account is disabled: the session is then no session.
    pub disabled_at: Option<i64>,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub revoked_at: Option<i64>,
}

impl Store {
    /// Records a new session, and forgets this user's sessions created before
    /// `forget_before` (past their absolute time-out, they can never be used again).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: &str,
        now: i64,
        forget_before: i64,
    ) -> Result<(), StoreError> {
        on_db!(self, |db| {
            let mut tx = db.write().begin().await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND created_at < $2")
                .bind(user_id)
                .bind(forget_before)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, revoked_at) VALUES ($1, $2, $3, $4, NULL)",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Deletes every session created before `before` (past the absolute time-out, dead
    /// whatever else happened to them); returns how many.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn delete_sessions_created_before(&self, before: i64) -> Result<u64, StoreError> {
        on_db!(self, |db| {
            let result =
                sqlx::query("DELETE FROM sessions WHERE created_at < $1").bind(before).execute(db.write()).await?;
            Ok(result.rows_affected())
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn session_by_hash(&self, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, SessionRow>(
                "SELECT s.user_id, u.username, u.role, u.disabled_at, s.created_at, s.last_seen_at, s.revoked_at
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
            )
            .bind(id_hash)
            .fetch_optional(db.read())
            .await?)
        })
    }

    /// Sessions not revoked, created after `created_after` and used after `seen_after`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn live_sessions(&self, created_after: i64, seen_after: i64) -> Result<i64, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_scalar(
                "SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL AND created_at > $1 AND last_seen_at > $2",
            )
            .bind(created_after)
            .bind(seen_after)
            .fetch_one(db.read())
            .await?)
        })
    }

    /// Notes that the session was used at `now`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn touch_session(&self, id_hash: &str, now: i64) -> Result<(), StoreError> {
        on_db!(self, |db| {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(id_hash)
                .execute(db.write())
                .await?;
            Ok(())
        })
    }

    /// Revokes one session (nothing happens if it is unknown or already revoked).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn revoke_session(&self, id_hash: &str, now: i64) -> Result<(), StoreError> {
        on_db!(self, |db| {
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id_hash = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(id_hash)
                .execute(db.write())
                .await?;
            Ok(())
        })
    }

    /// Revokes every live session of the user except `keep` (a hash), and says how many.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn revoke_user_sessions(&self, user_id: &str, keep: Option<&str>, now: i64) -> Result<u64, StoreError> {
        on_db!(self, |db| {
            let result = sqlx::query(
                "UPDATE sessions SET revoked_at = $1
             WHERE user_id = $2 AND revoked_at IS NULL AND id_hash <> COALESCE($3, '')",
            )
            .bind(now)
            .bind(user_id)
            .bind(keep)
            .execute(db.write())
            .await?;
            Ok(result.rows_affected())
        })
    }

    /// Replaces the user's password hash and revokes their other sessions in one
    /// transaction, so no session outlives the old password. `temporary`: an admin set
    /// it, and the user should replace it. Returns how many were revoked.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn change_password(
        &self,
        user_id: &str,
        password_hash: &str,
        keep: &str,
        temporary: bool,
        now: i64,
    ) -> Result<u64, StoreError> {
        on_db!(self, |db| {
            let mut tx = db.write().begin().await?;
            sqlx::query("UPDATE users SET password_hash = $1, temporary_password = $2 WHERE id = $3")
                .bind(password_hash)
                .bind(temporary)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            let revoked = sqlx::query(
                "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND id_hash <> $3",
            )
            .bind(now)
            .bind(user_id)
            .bind(keep)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok(revoked)
        })
    }
}
