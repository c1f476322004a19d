//! Runtime settings, built from CLI flags with environment fallbacks (see `cli/mod.rs`).
use std::path::PathBuf;

/// Where the server listens, what it stores into, and where the question bank lives.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `host:port` to bind; port 0 picks a free port (tests use this).
    pub bind: String,
    /// sqlx database URL, e.g. `sqlite://rehearse.db`.
    pub database_url: String,
    /// Folder of `*.toml` question files.
    pub questions_dir: PathBuf,
    /// Mark the session cookie `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Per-user request limits.
    pub limits: Limits,
}

/// Requests per minute one user may make of each costly kind (a burst of a quarter of
/// that passes at once). A person practising answers a few questions a minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Answers, retries and follow-up replies (each is graded and stored).
    pub answers_per_minute: u32,
    pub interviews_per_minute: u32,
    /// Stateless gradings (`POST /api/v1/grade`).
    pub gradings_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { answers_per_minute: 120, interviews_per_minute: 20, gradings_per_minute: 60 }
    }
}

impl Settings {
    /// Settings for a test or a one-off run: a given database and the bundled questions.
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Settings {
            bind: "127.0.0.1:0".into(),
            database_url: database_url.into(),
            questions_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/questions")),
            secure_cookies: false,
            limits: Limits::default(),
        }
    }
}

/// Default database: an SQLite file in the working directory, created if missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://rehearse.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
