//! Runtime settings, built from CLI flags with environment fallbacks (see `cli/mod.rs`).
use std::path::PathBuf;
use std::time::Duration;

/// Where the server listens, what it stores into, and where the question bank lives.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `host:port` to bind; port 0 picks a free port (tests use this).
    pub bind: String,
    /// sqlx database URL, e.g. `sqlite://rehearse.db`.
    pub database_url: String,
    /// Folder of `*.toml` question files.
    pub questions_dir: PathBuf,
    /// Served over HTTPS: mark the session cookie `Secure` and send HSTS.
    pub secure_cookies: bool,
    /// After SIGTERM, how long `/ready` answers 503 while requests are still served,
    /// before the listener closes.
    pub shutdown_drain: Duration,
    /// How long requests in flight may take to finish once the listener has closed.
    pub shutdown_timeout: Duration,
    /// Per-user request limits.
    pub limits: Limits,
    /// Serve `GET /metrics` on this `host:port` only, instead of on `bind` beside the
    /// app, so a proxy or an Ingress in front of the app cannot expose it.
    pub metrics_bind: Option<String>,
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
            shutdown_drain: Duration::ZERO,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            metrics_bind: None,
        }
    }
}

/// Default database: an SQLite file in the working directory, created if missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://rehearse.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// Seconds `/ready` answers 503 before the listener closes on SIGTERM.
pub const DEFAULT_SHUTDOWN_DRAIN: Duration = Duration::from_secs(5);
/// Grace for requests in flight at shutdown.
/// Drain plus timeout stay under Kubernetes' default 30 s grace period.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(20);
