//! All SQL lives here. The services (`practice`, `auth`) call these functions and never
//! see a query; the web layer never calls them.
//!
//! Only SQLite is implemented. [`Store`] is an enum over backends with one variant: no
//! sqlx type appears in its public API (services and routes see plain Rust types and
//! [`StoreError`]), and every method reaches the database through [`Store::pool`],
//! which matches on the backend. Adding PostgreSQL means a `Backend::Postgres` variant,
//! a connect arm in [`Store::connect`], and the compiler then points at every method
//! that needs its PostgreSQL SQL (the queries already use `$1` placeholders, which
//! SQLite reads too, and portable `ON CONFLICT` upserts); services and routes do not change. The PostgreSQL
//! schema is in `migrations/postgres/` (a twin of each SQLite migration), checked by
//! `tests/postgres_schema.rs`.
mod authoring;
mod backup;
mod claims;
mod groups;
mod interviews;
mod learning;
mod marks;
mod notes;
mod questions;
mod sessions;
mod users;
mod writer;

pub use authoring::SampleRow;
pub use backup::{backup, BackupReport};
pub use claims::{ClaimedGrade, CountedAnswer, NewClaim, QuestionRecord, Rederive, Rederived};
pub use interviews::{FollowUpBackfillRow, NewAttempt, StoredPlan};
pub use learning::{ConceptStatRow, DeliveryRow, LearnerSettings, ScoreRow};
pub use marks::CalibrationRow;
pub use questions::{QuestionRow, SyncReport};
pub use sessions::SessionRow;
pub use users::UserRow;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

/// Errors the store reports on purpose; anything else is `Unexpected`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("that {0} already exists")]
    Conflict(&'static str),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Unexpected(e.into())
    }
}

/// Handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
}

/// Open and idle connections per pool, and answers queued for the writer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolUse {
    pub readers: u32,
    pub readers_idle: u32,
    pub writers: u32,
    pub writers_idle: u32,
    pub answers_waiting: usize,
}

/// The database behind a [`Store`].
#[derive(Clone, Debug)]
enum Backend {
    Sqlite(SqlitePools),
}

/// SQLite allows one writer at a time. Writes go through a pool of exactly one
/// connection, so concurrent writers wait in the pool's queue (in order, without
/// holding a thread) instead of spinning in SQLite's busy handler; reads go through a
/// pool of read-only connections, which WAL lets run beside the writer.
#[derive(Clone, Debug)]
struct SqlitePools {
    writer: SqlitePool,
    readers: SqlitePool,
    /// Answers go through the group-commit task on the write connection.
    answers: writer::Writer,
}

/// Read-only connections. Reads are short and each connection keeps its own page cache
/// and thread: two served 64 learners as fast as four (within the noise) for 1-2 MB less.
const READERS: u32 = 2;

/// Each reader's page cache, KiB (SQLite's default is 2,000). With WAL, a reader drops
/// its whole cache whenever another connection committed since its last read, which
/// under load is before nearly every read: a large cache kept memory, not hits.
const READER_CACHE_KIB: u32 = 512;

/// The writer checkpoints at commit only when the log is this many pages long (SQLite's
/// default is 1,000); normally the background checkpoints of `writer.rs` keep it short.
const WRITER_CHECKPOINT_PAGES: u32 = 10_000;

impl Store {
    /// The connection for writes (one; callers queue for it). Every write goes through
    /// here, so a second backend makes each caller choose its SQL.
    fn writer(&self) -> &SqlitePool {
        match &self.backend {
            Backend::Sqlite(pools) => &pools.writer,
        }
    }

    /// The group-commit task that stores answers (see `writer.rs`).
    fn answer_writer(&self) -> &writer::Writer {
        match &self.backend {
            Backend::Sqlite(pools) => &pools.answers,
        }
    }

    /// How busy the database connections are, for the metrics.
    pub fn pool_use(&self) -> PoolUse {
        match &self.backend {
            Backend::Sqlite(pools) => PoolUse {
                readers: pools.readers.size(),
                readers_idle: pools.readers.num_idle() as u32,
                writers: pools.writer.size(),
                writers_idle: pools.writer.num_idle() as u32,
                answers_waiting: pools.answers.waiting(),
            },
        }
    }

    /// A read-only connection: a write through it fails loudly.
    fn reader(&self) -> &SqlitePool {
        match &self.backend {
            Backend::Sqlite(pools) => &pools.readers,
        }
    }

    /// Opens (creating if missing) the database and runs the embedded migrations.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            anyhow::bail!(
                "PostgreSQL is not supported yet: use a SQLite URL such as sqlite://rehearse.db \
                 (the storage layer is ready for a second backend; see src/store/mod.rs)"
            );
        }
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("invalid database URL {url:?}"))?
            .create_if_missing(true)
            // WAL lets readers run while an answer is being written; with
            // synchronous=NORMAL a committed transaction survives a killed process
            // (only an OS crash can lose the last commits), which is what kill -9 needs.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            // A local file connection does not go stale: pinging it before each use
            // was one more round trip to its thread per query.
            .test_before_acquire(false)
            // A queue for the one writer, not a failure: under a classroom's load an
            // answer waits its turn for milliseconds.
            .acquire_timeout(Duration::from_secs(30))
            // The log is copied into the database in the background (see `writer.rs`);
            // the writer does it itself only if that falls 10,000 pages (40 MB) behind.
            .connect_with(options.clone().pragma("wal_autocheckpoint", WRITER_CHECKPOINT_PAGES.to_string()))
            .await
            .with_context(|| format!("cannot open database {url}"))?;
        sqlx::migrate!("./migrations").run(&writer).await.context("database migrations failed")?;
        let readers = SqlitePoolOptions::new()
            .max_connections(READERS)
            .test_before_acquire(false)
            .connect_with(options.read_only(true).pragma("cache_size", format!("-{READER_CACHE_KIB}")))
            .await
            .with_context(|| format!("cannot open database {url} for reading"))?;
        let answers = writer::Writer::start(writer.clone()).await;
        Ok(Store { backend: Backend::Sqlite(SqlitePools { writer, readers, answers }) })
    }

    /// Readiness check: one trivial query.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(self.reader()).await.is_ok()
    }

    /// Returns the named secret, creating it with `make` the first time.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn secret_or_init(&self, name: &str, make: impl FnOnce() -> String) -> anyhow::Result<String> {
        let candidate = make();
        sqlx::query("INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(&candidate)
            .execute(self.writer())
            .await?;
        let value: String = sqlx::query_scalar("SELECT value FROM app_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(self.writer())
            .await?;
        Ok(value)
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn close(&self) {
        self.reader().close().await;
        self.answer_writer().stop_checkpoints().await;
        self.writer().close().await;
    }
}

/// Milliseconds since the Unix epoch: the one time format stored.
pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}
