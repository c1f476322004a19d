//! Server-side login sessions: a random id in the cookie, its SHA-256 in the database.
//! Each request resumes the session by that id; a revoked session, or one past its idle
//! or absolute time-out, is no session.
use std::fmt;
use std::time::Duration;

use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{hash_password, verify_password, Accounts, Error};
use crate::domain::{Invalid, Password, User};
use crate::store::now_millis;

/// How long a session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Unused for this long, a session ends.
    pub idle: Duration,
    /// However much it is used, a session ends this long after login.
    pub absolute: Duration,
}

impl SessionPolicy {
    pub const DEFAULT_IDLE: Duration = Duration::from_secs(7 * 24 * 3600);
    pub const DEFAULT_ABSOLUTE: Duration = Duration::from_secs(30 * 24 * 3600);

    /// How stale `last_seen_at` may get before a request writes it again: a minute, or
    /// a quarter of the idle time-out when that is shorter, so busy sessions cost one
    /// write a minute rather than one per request.
    fn touch_every(&self) -> i64 {
        millis(self.idle.min(Duration::from_secs(60)).min(self.idle / 4))
    }
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle: Self::DEFAULT_IDLE, absolute: Self::DEFAULT_ABSOLUTE }
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The secret a login cookie carries: 32 random bytes, hex. Never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    fn generate() -> SessionToken {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        SessionToken(hex::encode(bytes))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(***)")
    }
}

/// What is stored instead of the token: its SHA-256, hex.
fn id_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether a session created at `created` and last seen at `seen` is still live at `now`.
fn live(policy: &SessionPolicy, created: i64, seen: i64, now: i64) -> bool {
    now.saturating_sub(seen) < millis(policy.idle) && now.saturating_sub(created) < millis(policy.absolute)
}

impl Accounts {
    /// Starts a session for `user` and returns the token for the cookie. `replacing`,
    /// the token this browser had (if any), is revoked: a login always gets a fresh id,
    /// so an id planted before login (session fixation) is worth nothing after it.
    #[tracing::instrument(skip_all, fields(user.id = %user.id))]
    pub async fn start_session(&self, user: &User, replacing: Option<&str>) -> Result<SessionToken, Error> {
        let now = now_millis();
        if let Some(old) = replacing {
            self.store.revoke_session(&id_hash(old), now).await?;
        }
        let token = SessionToken::generate();
        let forget_before = now.saturating_sub(millis(self.sessions.absolute));
        self.store.create_session(&id_hash(token.expose()), &user.id, now, forget_before).await?;
        Ok(token)
    }

    /// Deletes the rows of sessions past their absolute time-out (revoked or not, they
    /// can never be used again). Each login also clears its own user's old rows; this
    /// catches users who never come back. Returns how many were deleted.
    #[tracing::instrument(skip_all)]
    pub async fn forget_expired_sessions(&self) -> Result<u64, Error> {
        let before = now_millis().saturating_sub(millis(self.sessions.absolute));
        Ok(self.store.delete_sessions_created_before(before).await?)
    }

    /// Sessions that would let their browser in now (for the metrics).
    pub async fn active_sessions(&self) -> Result<i64, Error> {
        let now = now_millis();
        let created_after = now.saturating_sub(millis(self.sessions.absolute));
        let seen_after = now.saturating_sub(millis(self.sessions.idle));
        Ok(self.store.live_sessions(created_after, seen_after).await?)
    }

    /// The user whose live session `token` is, or `None` (unknown, revoked, expired).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn resume_session(&self, token: &str) -> Result<Option<User>, Error> {
        let hash = id_hash(token);
        let Some(row) = self.store.session_by_hash(&hash).await? else {
            return Ok(None);
        };
        let now = now_millis();
        if row.revoked_at.is_some()
            || row.disabled_at.is_some()
            || !live(&self.sessions, row.created_at, row.last_seen_at, now)
        {
            return Ok(None);
        }
        if now - row.last_seen_at >= self.sessions.touch_every() {
            self.store.touch_session(&hash, now).await?;
        }
        Ok(Some(User { id: row.user_id, username: row.username, role: row.role }))
    }

    /// Logout: revokes the session, so a copy of its cookie stops working too.
    #[tracing::instrument(skip_all)]
    pub async fn end_session(&self, token: &str) -> Result<(), Error> {
        Ok(self.store.revoke_session(&id_hash(token), now_millis()).await?)
    }

    /// "Log out everywhere": revokes every session of the user, this one included.
    /// Returns how many were live.
    #[tracing::instrument(skip_all, fields(user.id = %user.id))]
    pub async fn end_all_sessions(&self, user: &User) -> Result<u64, Error> {
        Ok(self.store.revoke_user_sessions(&user.id, None, now_millis()).await?)
    }

    /// Changes the password after checking the current one (counted like a login
    /// attempt, so it cannot be guessed here either). The new one follows the sign-up
    /// rules. Every other session of the user is revoked; `current` (the session asking)
    /// stays. Returns how many sessions were revoked.
    #[tracing::instrument(skip_all, fields(user.id = %user.id))]
    pub async fn change_password(
        &self,
        user: &User,
        current: &str,
        current_password: &str,
        new_password: &str,
        new_password_again: Option<&str>,
    ) -> Result<u64, Error> {
        self.count_login(&user.username)?;
        let row = self.store.user_by_id(&user.id).await?;
        let stored = row.map(|r| r.password_hash);
        if !verify_password(stored, current_password.to_string()).await? {
            return Err(Error::WrongCurrentPassword);
        }
        // After the current password: a learner who got both wrong is told first of the
        // one the other depends on, not sent round twice.
        if new_password_again.is_some_and(|again| again != new_password) {
            return Err(Error::NewPasswordsDiffer);
        }
        if new_password == current_password {
            return Err(Invalid(
                "The new password is the same as your current one; choose a different one to change it.".into(),
            )
            .into());
        }
        let new = Password::parse(new_password)?;
        let hash = hash_password(new).await?;
        Ok(self.store.change_password(&user.id, &hash, &id_hash(current), false, now_millis()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_ends_when_idle_or_too_old() {
        let policy = SessionPolicy { idle: Duration::from_secs(60), absolute: Duration::from_secs(600) };
        let cases = [
            (0, 0, 59_999, true, "used a moment ago"),
            (0, 0, 60_000, false, "idle a minute"),
            (0, 590_000, 599_999, true, "busy and young enough"),
            (0, 599_000, 600_000, false, "busy but past the absolute time-out"),
        ];
        for (created, seen, now, expected, case) in cases {
            assert_eq!(live(&policy, created, seen, now), expected, "{case}");
        }
    }

    #[test]
    fn last_seen_is_written_at_most_once_a_minute() {
        assert_eq!(SessionPolicy::default().touch_every(), 60_000);
        let short = SessionPolicy { idle: Duration::from_secs(2), absolute: Duration::from_secs(10) };
        assert_eq!(short.touch_every(), 500, "short idle time-outs are still tracked");
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (SessionToken::generate(), SessionToken::generate());
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 64);
        assert_ne!(id_hash(a.expose()), a.expose());
        assert_eq!(format!("{a:?}"), "SessionToken(***)");
    }
}
