//! Accounts: sign-up and login with argon2id passwords. The session cookie that carries
//! the logged-in user is the web layer's business (`routes::session`).
mod accounts;
mod error;
mod password;

pub use accounts::Accounts;
pub use error::Error;
pub use password::{hash_password, verify_password};
