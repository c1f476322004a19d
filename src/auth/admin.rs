//! User administration: accounts made by the CLI, and what an admin may change on the
//! admin users page (role, disabled, a temporary password). No change may leave the
//! server without an active admin once it has one.
use rand::Rng;

use super::{hash_password, Accounts, Error};
use crate::domain::{Account, Password, Role, User, Username};
use crate::store::{now_millis, UserRow};

/// A temporary password's characters: lower case and digits without look-alikes.
const TEMPORARY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

fn temporary_password() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..4)
        .map(|_| (0..4).map(|_| TEMPORARY_ALPHABET[rng.gen_range(0..TEMPORARY_ALPHABET.len())] as char).collect())
        .collect::<Vec<String>>()
        .join("-")
}

fn require_admin(user: &User) -> Result<(), Error> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

impl Accounts {
    /// Creates an account with a role, whatever the registration mode (the CLI's
    /// `user add`: the first admin of a server comes from here).
    #[tracing::instrument(skip_all, fields(username = %username.trim()))]
    pub async fn create_account(&self, username: &str, password: &str, role: Role) -> Result<User, Error> {
        let username = Username::parse(username)?;
        let password = Password::parse(password)?;
        let hash = hash_password(password).await?;
        let row = self.store.create_user(username.as_str(), &username.key(), &hash, role, None).await?;
        Ok(User { id: row.id, username: row.username, role: row.role })
    }

    async fn row_by_name(&self, username: &str) -> Result<UserRow, Error> {
        self.store
            .user_by_key(&Username::key_of(username))
            .await?
            .ok_or_else(|| Error::NotFound(format!("There is no user {:?}.", username.trim())))
    }

    async fn row_by_id(&self, user_id: &str) -> Result<UserRow, Error> {
        self.store.user_by_id(user_id).await?.ok_or_else(|| Error::NotFound("There is no such user.".into()))
    }

    async fn set_access(&self, row: &UserRow, role: Role, disabled: bool) -> Result<(), Error> {
        if self.store.set_access(&row.id, role, disabled).await? {
            Ok(())
        } else {
            Err(Error::NotFound("There is no such user.".into()))
        }
    }

    /// `rehearse user set-role NAME ROLE`.
    #[tracing::instrument(skip_all)]
    pub async fn set_role_by_name(&self, username: &str, role: Role) -> Result<(), Error> {
        let row = self.row_by_name(username).await?;
        self.set_access(&row, role, row.disabled_at.is_some()).await
    }

    /// `rehearse user disable NAME` / `enable NAME`.
    #[tracing::instrument(skip_all)]
    pub async fn set_disabled_by_name(&self, username: &str, disabled: bool) -> Result<(), Error> {
        let row = self.row_by_name(username).await?;
        self.set_access(&row, row.role, disabled).await
    }

    /// Whether the user logs in with a temporary password an admin gave them.
    pub async fn has_temporary_password(&self, user: &User) -> Result<bool, Error> {
        Ok(self.store.user_by_id(&user.id).await?.is_some_and(|row| row.temporary_password))
    }

    /// Every account (the CLI's `user list`).
    pub async fn all_accounts(&self) -> Result<Vec<Account>, Error> {
        Ok(self.store.accounts().await?)
    }

    /// Every account, for an admin.
    #[tracing::instrument(skip_all, fields(user.id = %admin.id))]
    pub async fn accounts(&self, admin: &User) -> Result<Vec<Account>, Error> {
        require_admin(admin)?;
        Ok(self.store.accounts().await?)
    }

    /// An admin changes someone's role (their own too, unless they are the last admin).
    pub async fn set_role(&self, admin: &User, user_id: &str, role: Role) -> Result<(), Error> {
        self.change_access(admin, user_id, Some(role), None).await
    }

    /// An admin disables (ending every session) or enables an account.
    pub async fn set_disabled(&self, admin: &User, user_id: &str, disabled: bool) -> Result<(), Error> {
        self.change_access(admin, user_id, None, Some(disabled)).await
    }

    /// An admin changes someone's role and whether they are disabled, in one step (both
    /// or neither: the last-admin check sees the outcome of both).
    #[tracing::instrument(skip_all, fields(user.id = %admin.id))]
    pub async fn change_access(
        &self,
        admin: &User,
        user_id: &str,
        role: Option<Role>,
        disabled: Option<bool>,
    ) -> Result<(), Error> {
        require_admin(admin)?;
        let row = self.row_by_id(user_id).await?;
        let role = role.unwrap_or(row.role);
        self.set_access(&row, role, disabled.unwrap_or(row.disabled_at.is_some())).await
    }

    /// An admin replaces someone's password with a temporary one, shown once to the
    /// admin to pass on; the user's sessions end. Returns the user's name and the password.
    #[tracing::instrument(skip_all, fields(user.id = %admin.id))]
    pub async fn reset_password(&self, admin: &User, user_id: &str) -> Result<(String, String), Error> {
        require_admin(admin)?;
        let row = self.row_by_id(user_id).await?;
        let temporary = temporary_password();
        let hash = hash_password(Password::parse(&temporary)?).await?;
        self.store.change_password(&row.id, &hash, "", true, now_millis()).await?;
        Ok((row.username, temporary))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_passwords_pass_the_password_rules_and_differ() {
        let (a, b) = (temporary_password(), temporary_password());
        assert_ne!(a, b);
        assert_eq!(a.len(), 19);
        assert!(Password::parse(&a).is_ok());
    }
}
