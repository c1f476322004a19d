//! What can go wrong in the interview flow, in the service's own words. The web layer
//! decides what each case looks like over HTTP (`routes::ApiError`, `routes::pages::PageError`).
use crate::domain::Invalid;
use crate::store::StoreError;

/// Every way a practice operation can fail. The messages are written for the learner.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing asked for does not exist, or is not the caller's (the same answer, so
    /// ids of other users' data are not confirmed).
    #[error("{0}")]
    NotFound(String),
    /// The input breaks a rule the learner can fix.
    #[error("{0}")]
    Invalid(String),
    /// The request is valid but the state does not allow it (already answered, finished).
    #[error("{0}")]
    Conflict(String),
    /// The caller may see the thing but not do this to it (a member rotating their
    /// group's code).
    #[error("{0}")]
    Forbidden(String),
    /// The user sent too many requests of one kind; they may retry after the seconds given.
    #[error("{message}")]
    TooMany { message: String, retry_after: u64 },
    /// The server cannot serve this right now (an empty question bank).
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e.0)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => Error::Conflict(format!("That {what} was already recorded.")),
            StoreError::Unexpected(e) => Error::Unexpected(e),
        }
    }
}
