use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

use crate::domain::Password;

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id minimum (19 MiB, 2 passes): costly for an attacker, ~20 ms here.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How many hashes may run at once: one per core. Each takes 19 MiB, so without a bound
/// a flood of wrong-password logins grew the server by gigabytes; waiting requests
/// queue here instead, holding no hashing memory.
fn permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())))
}

/// Hashes running now, and the most ever running at once (checked by the tests).
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Runs one argon2 computation on a blocking thread, at most [`permits`] at a time.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let _permit = permits().acquire().await?;
    Ok(tokio::task::spawn_blocking(move || {
        let now = ACTIVE.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(now, Ordering::SeqCst);
        let out = work();
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
        out
    })
    .await?)
}

/// The most password hashes that ever ran at once in this process.
#[cfg(test)]
fn peak_concurrent_hashes() -> usize {
    PEAK.load(Ordering::SeqCst)
}

/// Hashes on a blocking thread so a sign-up never stalls the async workers.
pub async fn hash_password(password: Password) -> anyhow::Result<String> {
    bounded(move || {
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
    bounded(move || {
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn hashing_never_runs_on_more_threads_than_cores() {
        let hash = hash_password(Password::parse("correct horse").expect("valid")).await.expect("hash");
        let checks: Vec<_> =
            (0..12).map(|_| tokio::spawn(verify_password(Some(hash.clone()), "wrong horse!".into()))).collect();
        for check in checks {
            assert!(!check.await.expect("joined").expect("verify"));
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert!(peak_concurrent_hashes() <= cores, "peak {} > {cores}", peak_concurrent_hashes());
    }
}
