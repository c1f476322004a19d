//! Sign-up and login checks, shared by the JSON API and the HTML forms.
use super::{hash_password, verify_password, Error};
use crate::domain::{Password, User, Username};
use crate::store::Store;

/// The accounts service: creates users and checks their passwords.
#[derive(Clone, Debug)]
pub struct Accounts {
    store: Store,
}

impl Accounts {
    pub fn new(store: Store) -> Accounts {
        Accounts { store }
    }

    /// Shared by the API and the sign-up page.
    pub async fn register(&self, username: &str, password: &str) -> Result<User, Error> {
        let username = Username::parse(username)?;
        let password = Password::parse(password)?;
        let hash = hash_password(password).await?;
        let row = self.store.create_user(username.as_str(), &hash).await?;
        Ok(User { id: row.id, username: row.username })
    }

    /// Shared by the API and the login page. Unknown user and wrong password look the same.
    pub async fn check_credentials(&self, username: &str, password: &str) -> Result<User, Error> {
        let row = self.store.user_by_username(username.trim()).await?;
        let stored = row.as_ref().map(|r| r.password_hash.clone());
        if !verify_password(stored, password.to_string()).await? {
            return Err(Error::BadCredentials);
        }
        let row = row.ok_or(Error::BadCredentials)?;
        Ok(User { id: row.id, username: row.username })
    }
}
