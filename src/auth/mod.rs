//! Passwords (argon2id) and the logged-in user taken from the session cookie.
mod accounts;
mod password;
mod session;

pub use accounts::{check_credentials, register_user};
pub use password::{hash_password, verify_password};
pub use session::{forget_user, remember_user, CurrentUser, PageUser};
