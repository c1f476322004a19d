//! Sign-up and login checks, shared by the JSON API and the HTML forms.
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::{hash_password, verify_password, Error, SessionPolicy};
use crate::domain::{Password, User, Username};
use crate::store::Store;

/// Login attempts per username: a burst of this many, then one more every
/// [`LOGIN_REFILL_SECS`] seconds (10 a minute). Enough for a person who mistypes, far too
/// few to guess a password.
const LOGIN_BURST: u32 = 10;
const LOGIN_REFILL_SECS: u64 = 6;
/// Usernames tracked before the limiter forgets the ones no longer limited.
const TRACKED_USERNAMES: usize = 10_000;

/// The accounts service: creates users and checks their passwords.
#[derive(Clone)]
pub struct Accounts {
    pub(super) store: Store,
    logins: Arc<DefaultKeyedRateLimiter<String>>,
    pub(super) sessions: SessionPolicy,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts").field("store", &self.store).finish_non_exhaustive()
    }
}

impl Accounts {
    pub fn new(store: Store, sessions: SessionPolicy) -> Accounts {
        let burst = NonZeroU32::MIN.saturating_add(LOGIN_BURST - 1);
        let quota = Quota::with_period(std::time::Duration::from_secs(LOGIN_REFILL_SECS))
            .unwrap_or_else(|| Quota::per_minute(burst))
            .allow_burst(burst);
        Accounts { store, logins: Arc::new(RateLimiter::keyed(quota)), sessions }
    }

    /// Counts one login attempt for `username`; refuses it, with the seconds to wait,
    /// once the username has used its attempts. Checked before the password is hashed,
    /// so refused attempts cost no hashing either.
    pub(super) fn count_login(&self, username: &str) -> Result<(), Error> {
        if self.logins.len() > TRACKED_USERNAMES {
            self.logins.retain_recent();
        }
        self.logins.check_key(&Username::key_of(username)).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.logins.clock().now());
            Error::TooManyAttempts(wait.as_secs().max(1))
        })
    }

    /// Shared by the API and the sign-up page.
    #[tracing::instrument(skip_all, fields(username = %username.trim()))]
    pub async fn register(&self, username: &str, password: &str) -> Result<User, Error> {
        let username = Username::parse(username)?;
        let password = Password::parse(password)?;
        let hash = hash_password(password).await?;
        let row = self.store.create_user(username.as_str(), &username.key(), &hash).await?;
        Ok(User { id: row.id, username: row.username })
    }

    /// Shared by the API and the login page. Unknown user and wrong password look the same.
    #[tracing::instrument(skip_all, fields(username = %username.trim()))]
    pub async fn check_credentials(&self, username: &str, password: &str) -> Result<User, Error> {
        self.count_login(username)?;
        let row = self.store.user_by_key(&Username::key_of(username)).await?;
        let stored = row.as_ref().map(|r| r.password_hash.clone());
        if !verify_password(stored, password.to_string()).await? {
            return Err(Error::BadCredentials);
        }
        let row = row.ok_or(Error::BadCredentials)?;
        Ok(User { id: row.id, username: row.username })
    }
}
