use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, OnceLock};

use crate::domain::Password;

/// Working memory of each hash, in KiB.
const MEMORY_KIB: u32 = 7 * 1024;
/// Passes over that memory.
const PASSES: u32 = 5;

/// One of OWASP's equivalent argon2id settings (7 MiB and 5 passes, listed beside
/// 19 MiB and 2): as costly for an attacker, and a third of the memory per hash for the
/// server, which keeps a hashing thread's working memory for its lifetime.
fn params() -> Params {
    Params::new(MEMORY_KIB, PASSES, 1, None).unwrap_or_default()
}

/// True when a stored hash was made with other settings than [`params`] (an older
/// release's 19 MiB / 2 passes, or another argon2 variant): after a successful login
/// the password is hashed again, so old hashes move to the current settings.
pub fn outdated(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let current = params();
    let same = Algorithm::try_from(parsed.algorithm).is_ok_and(|a| a == Algorithm::Argon2id)
        && Params::try_from(&parsed).is_ok_and(|p| {
            p.m_cost() == current.m_cost() && p.t_cost() == current.t_cost() && p.p_cost() == current.p_cost()
        });
    !same
}

thread_local! {
    /// The hashing thread's working memory, reused by every hash it computes (a fresh
    /// allocation of several MiB per hash fragmented the allocator's arenas).
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 of `password` with `salt`, as a PHC string's parts, computed in the thread's
/// reusable memory. Gives the same result as `argon2`'s own `PasswordHasher`.
fn compute<'a>(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: Salt<'a>,
) -> argon2::password_hash::Result<PasswordHash<'a>> {
    let mut salt_arr = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_arr)?;
    let output_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let argon = Argon2::new(algorithm, version, params.clone());
    let output = MEMORY.with(|memory| {
        let mut blocks = memory.borrow_mut();
        blocks.resize(params.block_count(), Block::default());
        Output::init_with(output_len, |out| {
            Ok(argon.hash_password_into_with_memory(password, salt_bytes, out, &mut blocks[..])?)
        })
    })?;
    Ok(PasswordHash {
        algorithm: algorithm.ident(),
        version: Some(version.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt),
        hash: Some(output),
    })
}

/// Whether `candidate` is the password of the PHC string `stored` (any argon2 variant
/// and parameters it names), compared in constant time.
fn matches(stored: &str, candidate: &[u8]) -> anyhow::Result<bool> {
    let parsed = PasswordHash::new(stored).map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        anyhow::bail!("stored hash has no salt or output");
    };
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
    let version = parsed.version.map(Version::try_from).transpose().map_err(|e| anyhow::anyhow!("{e}"))?;
    let params = Params::try_from(&parsed).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
    let computed = compute(algorithm, version.unwrap_or_default(), params, candidate, salt)
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    // `Output` compares in constant time.
    Ok(computed.hash.is_some_and(|h| h == expected))
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads: half the cores (at least one), started on first use, fed
/// through a queue.
///
/// Each hash takes 7 MiB (19 MiB before). On tokio's blocking pool, a flood of wrong-password logins
/// ran them on many threads at once and, since each thread keeps its own allocator
/// arena, grew the server by hundreds of MB that were never given back. A fixed set of
/// threads bounds both how many run at once and how much memory they keep; waiting
/// requests queue here holding only their closure. Half the cores, so a login flood can
/// never take the whole machine from learners' answers, and the memory kept is 7 MiB
/// per hashing thread (one on a 2-core box, which hashes a classroom's logins in a
/// second or two).
fn hashing_threads() -> usize {
    (std::thread::available_parallelism().map_or(1, |n| n.get()) / 2).max(1)
}

fn hashing_queue() -> anyhow::Result<&'static Sender<Job>> {
    static QUEUE: OnceLock<Sender<Job>> = OnceLock::new();
    if let Some(queue) = QUEUE.get() {
        return Ok(queue);
    }
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = Arc::new(Mutex::new(rx));
    for i in 0..hashing_threads() {
        let rx = Arc::clone(&rx);
        std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || loop {
            // The lock is held only while taking the next job.
            let job = match rx.lock() {
                Ok(queue) => queue.recv(),
                Err(_) => return,
            };
            match job {
                Ok(job) => job(),
                Err(_) => return,
            }
        })?;
    }
    Ok(QUEUE.get_or_init(|| tx))
}

/// Hashes running now, and the most ever running at once (checked by the tests).
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Runs one argon2 computation on the hashing threads and waits for it without
/// blocking the async workers.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let span = tracing::Span::current();
    let job: Job = Box::new(move || {
        let _entered = span.enter();
        let now = ACTIVE.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(now, Ordering::SeqCst);
        let out = work();
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
        let _ = tx.send(out);
    });
    hashing_queue()?.send(job).map_err(|_| anyhow::anyhow!("the password hashing threads have stopped"))?;
    Ok(rx.await?)
}

/// The most password hashes that ever ran at once in this process.
#[cfg(test)]
fn peak_concurrent_hashes() -> usize {
    PEAK.load(Ordering::SeqCst)
}

/// Hashes on the hashing threads so a sign-up never stalls the async workers.
pub async fn hash_password(password: Password) -> anyhow::Result<String> {
    bounded(move || hash_with_current_settings(password.expose().as_bytes())).await?
}

/// A PHC string of `password` with a fresh salt and [`params`].
fn hash_with_current_settings(password: &[u8]) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    compute(Algorithm::Argon2id, Version::V0x13, params(), password, salt.as_salt())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

/// Hashes a password that was just verified against an [`outdated`] hash, with the
/// current settings. Not checked against the password policy: the learner chose it
/// under an older one, and a login must not fail over it.
pub async fn rehash_password(password: String) -> anyhow::Result<String> {
    bounded(move || hash_with_current_settings(password.as_bytes())).await?
}

/// Checks a password against a stored hash. With no stored hash (unknown user) a dummy
/// hash is verified anyway, so response time does not reveal which usernames exist.
pub async fn verify_password(stored: Option<String>, candidate: String) -> anyhow::Result<bool> {
    bounded(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| dummy_hash().to_string());
        let ok = matches(&phc, candidate.as_bytes())?;
        Ok(known && ok)
    })
    .await?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        compute(Algorithm::Argon2id, Version::V0x13, params(), b"not-a-real-password", salt.as_salt())
            .map(|h| h.to_string())
            .unwrap_or_default()
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

    #[test]
    fn hashes_made_by_the_argon2_crate_itself_still_verify() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let stored = argon.hash_password(b"correct horse", &salt).expect("hash").to_string();
        assert!(matches(&stored, b"correct horse").expect("verify"));
        assert!(!matches(&stored, b"correct horsf").expect("verify"));
        // And ours is what the crate computes for the same salt.
        let ours = compute(Algorithm::Argon2id, Version::V0x13, params(), b"correct horse", salt.as_salt())
            .expect("hash")
            .to_string();
        assert_eq!(ours, stored);
        assert!(matches("not a phc string", b"x").is_err());
    }

    /// Hashes made with an older release's settings (19 MiB, 2 passes) or another
    /// variant still verify, and are the ones marked for re-hashing; current ones are not.
    #[test]
    fn old_settings_verify_and_are_marked_outdated() {
        let salt = SaltString::generate(&mut OsRng);
        let old = Params::new(19 * 1024, 2, 1, None).expect("params");
        let stored = compute(Algorithm::Argon2id, Version::V0x13, old, b"correct horse", salt.as_salt())
            .expect("hash")
            .to_string();
        assert!(matches(&stored, b"correct horse").expect("verify"));
        assert!(outdated(&stored));
        let argon2i = compute(Algorithm::Argon2i, Version::V0x13, params(), b"correct horse", salt.as_salt())
            .expect("hash")
            .to_string();
        assert!(matches(&argon2i, b"correct horse").expect("verify"));
        assert!(outdated(&argon2i));
        let current = compute(Algorithm::Argon2id, Version::V0x13, params(), b"correct horse", salt.as_salt())
            .expect("hash")
            .to_string();
        assert!(!outdated(&current));
        assert!(current.contains("m=7168,t=5,p=1"), "{current}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn hashing_never_runs_on_more_than_half_the_cores() {
        let hash = hash_password(Password::parse("correct horse").expect("valid")).await.expect("hash");
        let checks: Vec<_> =
            (0..12).map(|_| tokio::spawn(verify_password(Some(hash.clone()), "wrong horse!".into()))).collect();
        for check in checks {
            assert!(!check.await.expect("joined").expect("verify"));
        }
        let allowed = hashing_threads();
        assert!(peak_concurrent_hashes() <= allowed, "peak {} > {allowed}", peak_concurrent_hashes());
        assert!(allowed >= 1 && allowed <= std::thread::available_parallelism().map_or(1, |n| n.get()).div_ceil(2));
    }
}
