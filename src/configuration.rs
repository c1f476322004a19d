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
    /// Served over HTTPS: mark the session cookie `Secure` and send HSTS.
    pub secure_cookies: bool,
    /// A login unused for this long ends (default 7 days).
    pub session_idle_timeout: Duration,
    /// A login ends this long after it started, however much it is used (default 30 days).
    pub session_absolute_timeout: Duration,
    /// After SIGTERM, how long `/ready` answers 503 while requests are still served,
    /// before the listener closes.
    pub shutdown_drain: Duration,
    /// How long requests in flight may take to finish once the listener has closed.
    pub shutdown_timeout: Duration,
    /// The longest a request's body may take to arrive after its headers (408 after).
    pub body_timeout: Duration,
    /// Per-user and per-address request limits.
    pub limits: Limits,
    /// Take the client's address from the last `X-Forwarded-For` entry (set this only
    /// behind a reverse proxy that appends it; otherwise anyone could claim any address).
    pub trust_forwarded_for: bool,
    /// Serve `GET /metrics` on this `host:port` only, instead of on `bind` beside the
    /// app, so a proxy or an Ingress in front of the app cannot expose it.
    pub metrics_bind: Option<String>,
    /// Who may sign up.
    pub registration: Registration,
}

/// Who may create an account on the sign-up page and `POST /api/v1/register`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Registration {
    /// Anyone; an invite code, if given, also joins its group.
    #[default]
    Open,
    /// Only with a valid group invite code, which joins that group.
    Invite,
    /// Nobody: admins create accounts (`rehearse user add`).
    Closed,
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
    /// Login attempts from one network address, whatever the usernames (password
    /// spraying); a classroom behind one address logs in well within it.
    pub logins_per_minute_per_address: u32,
    /// New accounts from one network address.
    pub signups_per_hour_per_address: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            answers_per_minute: 120,
            interviews_per_minute: 20,
            gradings_per_minute: 60,
            logins_per_minute_per_address: 60,
            signups_per_hour_per_address: 60,
        }
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
            trust_forwarded_for: false,
            shutdown_drain: Duration::ZERO,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            session_idle_timeout: SessionPolicy::DEFAULT_IDLE,
            session_absolute_timeout: SessionPolicy::DEFAULT_ABSOLUTE,
            metrics_bind: None,
            registration: Registration::Open,
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
/// How long a request's body may take to arrive: a 64 KB answer over a slow phone
/// connection takes a few seconds, a client trickling bytes to hold a connection forever.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(20);
/// Seconds `/ready` answers 503 before the listener closes on SIGTERM.
pub const DEFAULT_SHUTDOWN_DRAIN: Duration = Duration::from_secs(5);
/// Grace for requests in flight at shutdown.
/// Drain plus timeout stay under Kubernetes' default 30 s grace period.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(20);
