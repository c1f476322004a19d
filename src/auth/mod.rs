//! Accounts: sign-up and login with argon2id passwords, and the server-side sessions a
//! login starts. Putting the session's token in a cookie is the web layer's business
//! (`routes::session`).
mod accounts;
mod admin;
mod error;
mod password;
mod sessions;

pub use accounts::Accounts;
pub use error::Error;
pub use password::{hash_password, rehash_password, verify_password};
pub use sessions::{SessionPolicy, SessionToken};
