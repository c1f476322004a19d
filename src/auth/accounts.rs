//! Sign-up and login checks, shared by the JSON API and the HTML forms.
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use super::{hash_password, password, rehash_password, verify_password, Error, SessionPolicy};
use crate::configuration::{Limits, Registration};
use crate::domain::{Invalid, InviteCode, Password, Role, User, Username};
use crate::ratelimit::KeyedLimit;
use crate::store::Store;

/// Longest login name looked at, in bytes: a username is at most
/// [`Username::MAX_CHARS`] characters after NFKC, each at most 4 bytes, and a few times
/// more before it (letters typed with separate accents).
const LOGIN_NAME_MAX_BYTES: usize = 4 * 4 * Username::MAX_CHARS;
/// Login attempts per username: a burst of this many, then one more every
/// [`LOGIN_REFILL_SECS`] seconds (10 a minute). Enough for a person who mistypes, far too
/// few to guess a password.
const LOGIN_BURST: u32 = 10;
const LOGIN_REFILL_SECS: u64 = 6;
/// Invite codes the sign-up page looks up per network address a minute (a link opened
/// again and again stays far below it; guessing codes through the page does not pay).
const INVITE_LOOKUPS_PER_MINUTE: u32 = 30;

/// The accounts service: creates users and checks their passwords.
#[derive(Clone)]
pub struct Accounts {
    pub(super) store: Store,
    logins: Arc<KeyedLimit<String>>,
    /// Login attempts and sign-ups per network address (password spraying, mass sign-up).
    logins_by_address: Arc<KeyedLimit<IpAddr>>,
    signups_by_address: Arc<KeyedLimit<IpAddr>>,
    /// The sign-up page's look-ups of an invite link's group, per network address.
    invite_lookups_by_address: Arc<KeyedLimit<IpAddr>>,
    pub(super) sessions: SessionPolicy,
    registration: Registration,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts").field("store", &self.store).finish_non_exhaustive()
    }
}

impl Accounts {
    pub fn new(store: Store, sessions: SessionPolicy, limits: &Limits, registration: Registration) -> Accounts {
        let minute = Duration::from_secs(60);
        // All of each per-address allowance is available at once: a class logs in together.
        let (logins, signups) = (limits.logins_per_minute_per_address, limits.signups_per_hour_per_address);
        Accounts {
            store,
            logins: Arc::new(KeyedLimit::new(
                LOGIN_BURST,
                Duration::from_secs(LOGIN_REFILL_SECS) * LOGIN_BURST,
                LOGIN_BURST,
            )),
            logins_by_address: Arc::new(KeyedLimit::new(logins, minute, logins)),
            signups_by_address: Arc::new(KeyedLimit::new(signups, 60 * minute, signups)),
            invite_lookups_by_address: Arc::new(KeyedLimit::new(
                INVITE_LOOKUPS_PER_MINUTE,
                minute,
                INVITE_LOOKUPS_PER_MINUTE,
            )),
            sessions,
            registration,
        }
    }

    /// Who may sign up on this server.
    pub fn registration(&self) -> Registration {
        self.registration
    }

    /// Whether visitors who are not logged in may read the topics' study notes: on a
    /// server anyone can join, yes; on a private one (invite-only or closed), no.
    pub fn notes_are_public(&self) -> bool {
        self.registration == Registration::Open
    }

    /// Counts one login or sign-up from `address` (unknown: not counted).
    fn count_address(&self, address: Option<IpAddr>, signup: bool) -> Result<(), Error> {
        let Some(address) = address else { return Ok(()) };
        let (limiter, what) =
            if signup { (&self.signups_by_address, "sign-ups") } else { (&self.logins_by_address, "login attempts") };
        limiter.check(&address).map_err(|seconds| Error::TooManyFromAddress { what, seconds })
    }

    /// Counts one login attempt for `username`; refuses it, with the seconds to wait,
    /// once the username has used its attempts. Checked before the password is hashed,
    /// so refused attempts cost no hashing either.
    pub(super) fn count_login(&self, username: &str) -> Result<(), Error> {
        self.logins.check(&Username::key_of(username)).map_err(Error::TooManyAttempts)
    }

    /// Shared by the API and the sign-up page. `from` is the client's network address,
    /// if known, for the per-address limit (counted once the input is valid, before the
    /// invite code is looked up, so guessing codes uses up sign-ups). A valid
    /// `invite_code` joins its group; in invite mode one is required.
    #[tracing::instrument(skip_all, fields(username = %username.trim()))]
    pub async fn register(
        &self,
        from: Option<IpAddr>,
        username: &str,
        password: &str,
        invite_code: Option<&str>,
    ) -> Result<User, Error> {
        let invite_code = invite_code.map(str::trim).filter(|c| !c.is_empty());
        match (self.registration, invite_code) {
            (Registration::Closed, _) => return Err(Error::RegistrationClosed),
            (Registration::Invite, None) => {
                return Err(Error::InviteCode(
                    "Sign-up on this server needs an invite code from a study group; ask its owner for one.".into(),
                ))
            }
            _ => {}
        }
        let username = Username::parse(username)?;
        if username.reserved() {
            return Err(Invalid(
                "That username is kept for the server's staff (admin, root, support and the like), so that nobody \
                 passes for them; choose another."
                    .into(),
            )
            .into());
        }
        let password = Password::parse(password)?;
        self.count_address(from, true)?;
        let group = match invite_code {
            Some(raw) => {
                let found = match InviteCode::parse(raw) {
                    Some(code) => self.store.group_by_code(code.as_str()).await?,
                    None => None,
                };
                let group = found.ok_or_else(Error::unknown_invite_code)?;
                Some(group.id)
            }
            None => None,
        };
        let hash = hash_password(password).await?;
        let row =
            self.store.create_user(username.as_str(), &username.key(), &hash, Role::Member, group.as_deref()).await?;
        Ok(User { id: row.id, username: row.username, role: row.role })
    }

    /// The name of the study group `invite_code` joins, for the sign-up page an invite
    /// link opens (so it can say which group, or that the code is not valid, before the
    /// form is filled in): `None` when no group has that code. Counted per network
    /// address, as the sign-up form's own check is, so the page is no way to guess codes;
    /// past the limit, [`Error::TooManyFromAddress`].
    #[tracing::instrument(skip_all)]
    pub async fn invite_group_name(&self, from: Option<IpAddr>, invite_code: &str) -> Result<Option<String>, Error> {
        if let Some(address) = from {
            self.invite_lookups_by_address
                .check(&address)
                .map_err(|seconds| Error::TooManyFromAddress { what: "invite code checks", seconds })?;
        }
        let Some(code) = InviteCode::parse(invite_code) else { return Ok(None) };
        Ok(self.store.group_by_code(code.as_str()).await?.map(|g| g.name))
    }

    /// Shared by the API and the login page. Unknown user and wrong password look the same.
    #[tracing::instrument(skip_all, fields(username = %username.trim()))]
    pub async fn check_credentials(&self, from: Option<IpAddr>, username: &str, password: &str) -> Result<User, Error> {
        self.count_address(from, false)?;
        // No account has a longer name, so it is wrong without looking further; and it is
        // not counted per username, since each name counted is kept for a minute:
        // 58 names of 64 KB (NFKC makes some characters six times longer) took the server
        // 40 MB a minute, never given back (a hostile probe, 2026-12-07).
        if username.trim().len() > LOGIN_NAME_MAX_BYTES {
            return Err(Error::BadCredentials);
        }
        let key = Username::key_of(username);
        if key.chars().count() > Username::MAX_CHARS * 2 {
            return Err(Error::BadCredentials);
        }
        self.count_login(username)?;
        let row = self.store.user_by_key(&key).await?;
        let stored = row.as_ref().map(|r| r.password_hash.clone());
        if !verify_password(stored, password.to_string()).await? {
            return Err(Error::BadCredentials);
        }
        let row = row.ok_or(Error::BadCredentials)?;
        if row.disabled_at.is_some() {
            return Err(Error::Disabled);
        }
        if password::outdated(&row.password_hash) {
            // Failing to upgrade the hash only keeps the old one: the login stands.
            match rehash_password(password.to_string()).await {
                Ok(new) => {
                    if let Err(e) = self.store.rehash_password(&row.id, &row.password_hash, &new).await {
                        tracing::warn!(error = %e, "password hash not upgraded");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "password hash not upgraded"),
            }
        }
        Ok(User { id: row.id, username: row.username, role: row.role })
    }

    /// Whether the user shows their mastery to their groups (off until they opt in).
    pub async fn shares_progress(&self, user: &User) -> Result<bool, Error> {
        Ok(self.store.shares_progress(&user.id).await?)
    }

    #[tracing::instrument(skip_all, fields(user.id = %user.id))]
    pub async fn set_share_progress(&self, user: &User, share: bool) -> Result<(), Error> {
        Ok(self.store.set_share_progress(&user.id, share).await?)
    }
}
