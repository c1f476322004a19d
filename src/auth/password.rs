use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

use crate::domain::Password;

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id minimum (19 MiB, 2 passes): costly for an attacker, ~20 ms here.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on a blocking thread so a sign-up never stalls the async workers.
pub async fn hash_password(password: Password) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

/// Checks a password against a stored hash. With no stored hash (unknown user) a dummy
/// hash is verified anyway, so response time does not reveal which usernames exist.
pub async fn verify_password(stored: Option<String>, candidate: String) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| dummy_hash().to_string());
        let parsed = PasswordHash::new(&phc).map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
        let ok = hasher().verify_password(candidate.as_bytes(), &parsed).is_ok();
        Ok(known && ok)
    })
    .await?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        hasher().hash_password(b"not-a-real-password", &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let hash = hash_password(Password::parse("correct horse").expect("valid")).await.expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(Some(hash.clone()), "correct horse".into()).await.expect("verify"));
        assert!(!verify_password(Some(hash), "wrong horse!".into()).await.expect("verify"));
        assert!(!verify_password(None, "not-a-real-password".into()).await.expect("verify"));
    }
}
