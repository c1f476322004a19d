//! Sign-up and login checks, shared by the JSON API and the HTML forms.
use super::{hash_password, verify_password, CurrentUser};
use crate::domain::{Password, Username};
use crate::error::ApiError;
use crate::store::Store;

/// Shared by the API and the sign-up page.
pub async fn register_user(store: &Store, username: &str, password: &str) -> Result<CurrentUser, ApiError> {
    let username = Username::parse(username)?;
    let password = Password::parse(password)?;
    let hash = hash_password(password).await?;
    let row = store.create_user(username.as_str(), &hash).await?;
    Ok(CurrentUser { id: row.id, username: row.username })
}

/// Shared by the API and the login page. Unknown user and wrong password look the same.
pub async fn check_credentials(store: &Store, username: &str, password: &str) -> Result<CurrentUser, ApiError> {
    let row = store.user_by_username(username.trim()).await?;
    let stored = row.as_ref().map(|r| r.password_hash.clone());
    if !verify_password(stored, password.to_string()).await? {
        return Err(ApiError::BadCredentials);
    }
    let row = row.ok_or(ApiError::BadCredentials)?;
    Ok(CurrentUser { id: row.id, username: row.username })
}
