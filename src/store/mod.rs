//! All SQL lives here. The services (`practice`, `auth`) call these functions and never
//! see a query; the web layer never calls them.
//!
//! Two backends, chosen by the database URL: SQLite (`sqlite://…`, the default, one
//! file) and PostgreSQL (`postgres://…`, for several replicas on one database). [`Store`]
//! is an enum over them; no sqlx type appears in its public API (services and routes see
//! plain Rust types and [`StoreError`]).
//!
//! Each query is written once: the SQL is the common part of both dialects (`$1`
//! placeholders, `ON CONFLICT` upserts, `TRUE`/`FALSE`, `CAST(… AS BIGINT)` around sums),
//! and [`on_db!`] compiles the method body once per backend, with `pool` bound to that
//! backend's pool. Helpers that take a transaction are written once inside
//! [`per_backend!`], which compiles them into a `sqlite` and a `postgres` module. The
//! PostgreSQL schema is in `migrations/postgres/` (a twin of each SQLite migration),
//! checked by `tests/postgres_schema.rs`.

/// Runs `$body` once per backend, with `$db` bound to the backend's pools (`db.read()`
/// gives a [`Readers`] or a `&PgPool`, `db.write()` a `&SqlitePool` or a `&PgPool`: the
/// body is compiled for each).
/// With a second name, `|db, m|`, `m` names the backend's module made by
/// [`per_backend!`] in the calling file, so the body can call its helpers as `m::f(...)`.
macro_rules! on_db {
    ($store:expr, |$db:ident| $body:expr) => {
        match $store.pools() {
            $crate::store::Pools::Sqlite($db) => $body,
            $crate::store::Pools::Postgres($db) => $body,
        }
    };
    ($store:expr, |$db:ident, $module:ident| $body:expr) => {
        match $store.pools() {
            $crate::store::Pools::Sqlite($db) => {
                use self::sqlite as $module;
                $body
            }
            $crate::store::Pools::Postgres($db) => {
                use self::postgres as $module;
                $body
            }
        }
    };
}

/// Compiles the items once per backend: into a module `sqlite`, where `Db` is
/// `sqlx::Sqlite`, and into `postgres`, where it is `sqlx::Postgres`. Items see the
/// calling file's names and are called as `sqlite::f` / `postgres::f` (or through
/// [`on_db!`]'s module name); `uses [learning as learning_db]` first names another file's
/// module for the same backend.
macro_rules! per_backend {
    (uses [$($peer:ident as $alias:ident),*] $($item:item)*) => {
        pub(super) mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(use $crate::store::$peer::sqlite as $alias;)*
            #[allow(dead_code)]
            pub(crate) type Db = sqlx::Sqlite;
            $($item)*
        }
        pub(super) mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(use $crate::store::$peer::postgres as $alias;)*
            #[allow(dead_code)]
            pub(crate) type Db = sqlx::Postgres;
            $($item)*
        }
    };
    ($($item:item)*) => {
        per_backend! { uses [] $($item)* }
    };
}

mod authoring;
mod backup;
mod claims;
mod groups;
mod interviews;
mod learning;
mod marks;
mod notes;
mod questions;
mod readers;
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
pub use writer::RETRIES_USED;

use anyhow::Context;
use readers::Readers;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, PgPool, SqlitePool};
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
    Postgres(PgPools),
}

/// A backend's pools, as [`on_db!`] sees them.
pub(crate) enum Pools<'a> {
    Sqlite(&'a SqlitePools),
    Postgres(&'a PgPools),
}

/// SQLite allows one writer at a time. Writes go through a pool of exactly one
/// connection, so concurrent writers wait in the pool's queue (in order, without
/// holding a thread) instead of spinning in SQLite's busy handler; reads go through a
/// pool of read-only connections, which WAL lets run beside the writer.
#[derive(Clone, Debug)]
pub(crate) struct SqlitePools {
    writer: SqlitePool,
    readers: Readers,
    /// Answers go through the group-commit task on the write connection.
    answers: writer::Writer,
}

impl SqlitePools {
    /// The one write connection.
    pub(crate) fn write(&self) -> &SqlitePool {
        &self.writer
    }

    /// The read-only connections: a write through them fails loudly.
    pub(crate) fn read(&self) -> &Readers {
        &self.readers
    }

    /// Of two spellings of one statement, SQLite's.
    pub(crate) fn pick<'a>(&self, sqlite: &'a str, _postgres: &'a str) -> &'a str {
        sqlite
    }
}

/// PostgreSQL runs writers side by side, so reads and writes share one pool.
#[derive(Clone, Debug)]
pub(crate) struct PgPools {
    pool: PgPool,
    /// Answers go through the same group-commit task as on SQLite: under load, one
    /// transaction (one WAL flush) for every answer waiting.
    answers: writer::Writer,
}

impl PgPools {
    pub(crate) fn write(&self) -> &PgPool {
        &self.pool
    }

    pub(crate) fn read(&self) -> &PgPool {
        &self.pool
    }

    /// Of two spellings of one statement, PostgreSQL's.
    pub(crate) fn pick<'a>(&self, _sqlite: &'a str, postgres: &'a str) -> &'a str {
        postgres
    }
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
pub(super) const WRITER_CHECKPOINT_PAGES: u32 = 10_000;

/// Connections per replica on PostgreSQL (its default limit is 100 for the whole server).
const PG_CONNECTIONS: u32 = 10;

impl Store {
    /// The backend's pools, for [`on_db!`].
    pub(crate) fn pools(&self) -> Pools<'_> {
        match &self.backend {
            Backend::Sqlite(pools) => Pools::Sqlite(pools),
            Backend::Postgres(pools) => Pools::Postgres(pools),
        }
    }

    /// The group-commit task that stores answers (see `writer.rs`).
    fn answer_writer(&self) -> &writer::Writer {
        match &self.backend {
            Backend::Sqlite(pools) => &pools.answers,
            Backend::Postgres(pools) => &pools.answers,
        }
    }

    /// Which database this is, for messages and metrics.
    pub fn backend_name(&self) -> &'static str {
        match &self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// How busy the database connections are, for the metrics. On PostgreSQL the one
    /// pool is reported as the readers' and the writers' both.
    pub fn pool_use(&self) -> PoolUse {
        match &self.backend {
            Backend::Sqlite(pools) => PoolUse {
                readers: pools.readers.size(),
                readers_idle: pools.readers.num_idle() as u32,
                writers: pools.writer.size(),
                writers_idle: pools.writer.num_idle() as u32,
                answers_waiting: pools.answers.waiting(),
            },
            Backend::Postgres(pools) => PoolUse {
                readers: pools.pool.size(),
                readers_idle: pools.pool.num_idle() as u32,
                writers: pools.pool.size(),
                writers_idle: pools.pool.num_idle() as u32,
                answers_waiting: pools.answers.waiting(),
            },
        }
    }

    /// Opens (creating if missing) the database and runs the embedded migrations.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        if is_postgres(url) {
            return Store::connect_postgres(url).await;
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
        // Migrations run on a connection of their own, with SQLite's default temporary
        // files: rebuilding a table or an index of a large database may sort or undo
        // more than should be held in memory (the writer below keeps its in memory).
        let mut migrating = options.clone().connect().await.with_context(|| format!("cannot open database {url}"))?;
        sqlx::migrate!("./migrations").run(&mut migrating).await.context("database migrations failed")?;
        migrating.close().await.context("closing the migration connection")?;
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
            .connect_with(
                options
                    .clone()
                    .pragma("wal_autocheckpoint", WRITER_CHECKPOINT_PAGES.to_string())
                    // Statement journals (SQLite's undo for one statement of a transaction
                    // that may fail half-way, such as a batch's UPSERT) in memory: on disk
                    // each batch wrote one into a temporary file, page by page (about 7 of
                    // the 39 write calls and 19 KB of the 79 KB written per stored answer),
                    // only to delete it. They are never read after their statement, so a
                    // crash loses nothing. A batch's journal is a few hundred KB at most.
                    .pragma("temp_store", "memory"),
            )
            .await
            .with_context(|| format!("cannot open database {url}"))?;
        let readers =
            Readers::connect(options.read_only(true).pragma("cache_size", format!("-{READER_CACHE_KIB}")), READERS)
                .await
                .with_context(|| format!("cannot open database {url} for reading"))?;
        let answers = writer::Writer::start_sqlite(writer.clone()).await;
        Ok(Store { backend: Backend::Sqlite(SqlitePools { writer, readers, answers }) })
    }

    /// Connects to PostgreSQL and runs its migrations. sqlx holds an advisory lock while
    /// it migrates, so replicas starting together run each migration once.
    async fn connect_postgres(url: &str) -> anyhow::Result<Store> {
        let pool = PgPoolOptions::new()
            .max_connections(PG_CONNECTIONS)
            .acquire_timeout(Duration::from_secs(30))
            .connect(url)
            .await
            .with_context(|| format!("cannot connect to PostgreSQL at {}", redact(url)))?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await.context("database migrations failed")?;
        let answers = writer::Writer::start_postgres(pool.clone());
        Ok(Store { backend: Backend::Postgres(PgPools { pool, answers }) })
    }

    /// Readiness check: one trivial query.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ping(&self) -> bool {
        on_db!(self, |db| sqlx::query("SELECT 1").execute(db.read()).await.is_ok())
    }

    /// Returns the named secret, creating it with `make` the first time.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn secret_or_init(&self, name: &str, make: impl FnOnce() -> String) -> anyhow::Result<String> {
        let candidate = make();
        on_db!(self, |db| {
            sqlx::query("INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                .bind(name)
                .bind(&candidate)
                .execute(db.write())
                .await?;
            let value: String = sqlx::query_scalar("SELECT value FROM app_secrets WHERE name = $1")
                .bind(name)
                .fetch_one(db.write())
                .await?;
            Ok(value)
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pools) => {
                pools.readers.close().await;
                pools.answers.stop_checkpoints().await;
                pools.writer.close().await;
            }
            Backend::Postgres(pools) => pools.pool.close().await,
        }
    }
}

/// Whether `url` names a PostgreSQL database.
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// `url` without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Milliseconds since the Unix epoch: the one time format stored.
pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// A SQLite database at `url` as it was before migration `version`: every earlier
/// migration applied, on one connection the caller fills with old rows and closes (for
/// tests of what a migration does to what is already stored).
#[cfg(test)]
pub(crate) async fn database_before(url: &str, version: i64) -> sqlx::SqlitePool {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    use std::str::FromStr;
    let options = SqliteConnectOptions::from_str(url).expect("url").create_if_missing(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.expect("pool");
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = before.migrations.iter().filter(|m| m.version < version).cloned().collect::<Vec<_>>().into();
    before.run(&pool).await.unwrap_or_else(|e| panic!("migrations before {version}: {e}"));
    pool
}
