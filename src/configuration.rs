//! Runtime settings, built from CLI flags with environment fallbacks (see `cli/mod.rs`).
use std::path::PathBuf;
use std::time::Duration;

use crate::auth::SessionPolicy;

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
    /// A login unused for this long ends (default 7 days).
    pub session_idle_timeout: Duration,
    /// A login ends this long after it started, however much it is used (default 30 days).
    pub session_absolute_timeout: Duration,
}

impl Settings {
    /// Settings for a test or a one-off run: a given database and the bundled questions.
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Settings {
            bind: "127.0.0.1:0".into(),
            database_url: database_url.into(),
            questions_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/questions")),
            secure_cookies: false,
            session_idle_timeout: SessionPolicy::DEFAULT_IDLE,
            session_absolute_timeout: SessionPolicy::DEFAULT_ABSOLUTE,
        }
    }

    /// The session time-outs, as the accounts service takes them.
    pub fn session_policy(&self) -> SessionPolicy {
        SessionPolicy { idle: self.session_idle_timeout, absolute: self.session_absolute_timeout }
    }
}

/// Default database: an SQLite file in the working directory, created if missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://rehearse.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
