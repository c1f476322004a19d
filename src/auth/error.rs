//! What can go wrong when signing up or logging in.
use crate::domain::Invalid;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A username or password that breaks the rules; the message says which rule.
    #[error("{0}")]
    Invalid(String),
    #[error("That username is taken; pick another.")]
    UsernameTaken,
    /// Unknown user and wrong password are one case, so logins do not reveal who exists.
    #[error("Wrong username or password.")]
    BadCredentials,
    /// Changing the password needs the current one, and this was not it.
    #[error("Your current password is not right, so the password was not changed.")]
    WrongCurrentPassword,
    /// The new password typed twice (in the page's form) was not the same both times;
    /// checked only once the current password is known to be right.
    #[error("The new password is not the same in both boxes, so the password was not changed.")]
    NewPasswordsDiffer,
    /// Too many login attempts for one username; try again after this many seconds.
    #[error("Too many login attempts for this username; wait {} and try again.", crate::ratelimit::seconds(*.0))]
    TooManyAttempts(u64),
    /// Too many logins or sign-ups from one network address; try again after this many
    /// seconds.
    #[error("Too many {what} from your network address; wait {} and try again.", crate::ratelimit::seconds(*.seconds))]
    TooManyFromAddress { what: &'static str, seconds: u64 },
    /// Sign-up is closed on this server.
    #[error("Sign-up is closed on this server: ask an admin to create an account for you.")]
    RegistrationClosed,
    /// Sign-up needs a group invite code, and none or a wrong one was given.
    #[error("{0}")]
    InviteCode(String),
    /// The account is disabled (checked after the password, so it says nothing to guessers).
    #[error("This account is disabled; ask an admin of this server to enable it.")]
    Disabled,
    /// Only an admin may do this.
    #[error("Only an admin can do that.")]
    Forbidden,
    #[error("{0}")]
    NotFound(String),
    /// The change would leave the server without an active admin.
    #[error("{0}")]
    LastAdmin(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl Error {
    /// An invite code no group has (mistyped, or replaced by the group's owner).
    pub fn unknown_invite_code() -> Error {
        Error::InviteCode(
            "That invite code is not valid: it may be mistyped, or the group's owner may have replaced it. Ask \
             them for the current link."
                .into(),
        )
    }
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e.0)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict("username") => Error::UsernameTaken,
            StoreError::Conflict("last admin") => Error::LastAdmin(
                "That would leave no active admin on this server: make someone else an admin first.".into(),
            ),
            StoreError::Conflict(what) => Error::Unexpected(anyhow::anyhow!("unexpected conflict on {what}")),
            StoreError::Unexpected(e) => Error::Unexpected(e),
        }
    }
}
