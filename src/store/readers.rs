//! The read-only SQLite connections, handed out without sqlx's pool.
//!
//! sqlx's pool pings every connection it takes back (`PoolConnection::return_to_pool`,
//! from a task it spawns for the purpose), in case a dropped query left it half-way. A
//! SQLite connection runs on a thread of its own, so each ping is one more round trip to
//! that thread: with two reads per stored answer (the session, the interview), that was
//! four thread switches and two spawned tasks per answer, beside the queries themselves.
//!
//! Here a connection goes back to the idle list as soon as its query has run to the end.
//! One whose query failed or was dropped half-way is closed instead (the next reader opens
//! a fresh one), which is what the ping was for. `&Readers` is an [`Executor`], so the
//! store reads through it as it read through `&SqlitePool`.
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteQueryResult, SqliteRow, SqliteStatement, SqliteTypeInfo,
};
use sqlx::{ConnectOptions, Connection, Describe, Either, Error, Execute, Executor, Sqlite};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a read waits for a connection before it fails (as sqlx's pool did).
const LEASE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Read-only connections, at most `max` open; cheap to clone.
#[derive(Clone)]
pub(crate) struct Readers {
    inner: Arc<Inner>,
}

struct Inner {
    options: SqliteConnectOptions,
    max: u32,
    /// One permit per connection that may be in use.
    permits: Arc<Semaphore>,
    idle: Mutex<Vec<SqliteConnection>>,
    /// Connections open, idle or in use.
    open: AtomicU32,
}

impl fmt::Debug for Readers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Readers").field("max", &self.inner.max).field("open", &self.size()).finish()
    }
}

/// A connection taken for one statement; back to the idle list only if [`Lease::done`].
struct Lease {
    conn: Option<SqliteConnection>,
    inner: Arc<Inner>,
    done: bool,
    _permit: OwnedSemaphorePermit,
}

impl Lease {
    fn conn(&mut self) -> &mut SqliteConnection {
        self.conn.as_mut().expect("a lease holds its connection until dropped")
    }

    /// The statement ran to its end: the connection is ready for the next one.
    fn done(mut self) {
        self.done = true;
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        // After `close`, a connection in use when it was called is closed on its return.
        if self.done && !self.inner.permits.is_closed() {
            self.inner.idle.lock().unwrap_or_else(PoisonError::into_inner).push(conn);
        } else {
            // Dropping the connection stops its thread once the statement it may still
            // be running has finished.
            drop(conn);
            self.inner.open.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl Readers {
    /// Opens the first connection at once, so that a database that cannot be read fails
    /// at start-up; the others open when needed.
    pub(crate) async fn connect(options: SqliteConnectOptions, max: u32) -> Result<Readers, Error> {
        let first = options.connect().await?;
        let inner = Inner {
            options,
            max,
            permits: Arc::new(Semaphore::new(max as usize)),
            idle: Mutex::new(vec![first]),
            open: AtomicU32::new(1),
        };
        Ok(Readers { inner: Arc::new(inner) })
    }

    /// Connections open.
    pub(crate) fn size(&self) -> u32 {
        self.inner.open.load(Ordering::Relaxed)
    }

    /// Connections open and not in use.
    pub(crate) fn num_idle(&self) -> usize {
        self.inner.idle.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Waits for a connection (in order of arrival), opening one if none is idle.
    async fn lease(&self) -> Result<Lease, Error> {
        let waiting = Arc::clone(&self.inner.permits).acquire_owned();
        let permit = match tokio::time::timeout(LEASE_TIMEOUT, waiting).await {
            Ok(permit) => permit.map_err(|_| Error::PoolClosed)?,
            Err(_) => return Err(Error::PoolTimedOut),
        };
        let idle = self.inner.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let conn = self.inner.options.connect().await?;
                self.inner.open.fetch_add(1, Ordering::Relaxed);
                conn
            }
        };
        Ok(Lease { conn: Some(conn), inner: Arc::clone(&self.inner), done: false, _permit: permit })
    }

    /// Closes every connection, waiting (up to [`LEASE_TIMEOUT`]) for those in use to
    /// come back, so that the writer's connection can be the last to close (SQLite
    /// checkpoints and removes the log then). Reads after this fail with
    /// [`Error::PoolClosed`].
    pub(crate) async fn close(&self) {
        self.inner.permits.close();
        let deadline = tokio::time::Instant::now() + LEASE_TIMEOUT;
        loop {
            let idle = std::mem::take(&mut *self.inner.idle.lock().unwrap_or_else(PoisonError::into_inner));
            for conn in idle {
                let _ = conn.close().await;
                self.inner.open.fetch_sub(1, Ordering::Relaxed);
            }
            if self.size() == 0 || tokio::time::Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
}

impl<'c> Executor<'c> for &'c Readers {
    type Database = Sqlite;

    /// Runs the statement to its end and hands the results over (the store's reads
    /// are bounded), so the connection is free again before the caller reads them.
    fn fetch_many<'e, 'q: 'e, E>(self, query: E) -> BoxStream<'e, Result<Either<SqliteQueryResult, SqliteRow>, Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        futures_util::stream::once(async move {
            let mut lease = self.lease().await?;
            let all: Vec<_> = lease.conn().fetch_many(query).try_collect().await?;
            lease.done();
            Ok::<_, Error>(futures_util::stream::iter(all.into_iter().map(Ok)))
        })
        .try_flatten()
        .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<SqliteRow>, Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        Box::pin(async move {
            let mut lease = self.lease().await?;
            let row = lease.conn().fetch_optional(query).await?;
            lease.done();
            Ok(row)
        })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [SqliteTypeInfo],
    ) -> BoxFuture<'e, Result<SqliteStatement<'q>, Error>>
    where
        'c: 'e,
    {
        Box::pin(async move {
            let mut lease = self.lease().await?;
            let statement = lease.conn().prepare_with(sql, parameters).await?;
            lease.done();
            Ok(statement)
        })
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, Result<Describe<Sqlite>, Error>>
    where
        'c: 'e,
    {
        Box::pin(async move {
            let mut lease = self.lease().await?;
            let described = lease.conn().describe(sql).await?;
            lease.done();
            Ok(described)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    async fn readers(dir: &tempfile::TempDir, max: u32) -> Readers {
        let path = dir.path().join("r.db");
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .expect("url")
            .create_if_missing(true);
        let mut setup = options.connect().await.expect("open");
        sqlx::query("CREATE TABLE t (n INTEGER)").execute(&mut setup).await.expect("create");
        sqlx::query("INSERT INTO t VALUES (1), (2), (3)").execute(&mut setup).await.expect("insert");
        setup.close().await.expect("close");
        Readers::connect(options.read_only(true), max).await.expect("readers")
    }

    /// Reads run and reuse their connections; a failed read closes its connection and
    /// the next read opens a fresh one; a write through a reader fails loudly.
    #[tokio::test]
    async fn reads_reuse_connections_and_a_failed_one_is_replaced() {
        let dir = tempfile::tempdir().expect("dir");
        let r = readers(&dir, 2).await;
        for _ in 0..5 {
            let n: i64 = sqlx::query_scalar("SELECT SUM(n) FROM t").fetch_one(&r).await.expect("sum");
            assert_eq!(n, 6);
            let all: Vec<i64> = sqlx::query_scalar("SELECT n FROM t ORDER BY n").fetch_all(&r).await.expect("all");
            assert_eq!(all, [1, 2, 3]);
            let none: Option<i64> =
                sqlx::query_scalar("SELECT n FROM t WHERE n = 9").fetch_optional(&r).await.expect("none");
            assert_eq!(none, None);
        }
        assert_eq!((r.size(), r.num_idle()), (1, 1), "one connection served reads one after another");

        assert!(sqlx::query("SELECT nope FROM t").fetch_all(&r).await.is_err(), "a bad statement fails");
        assert_eq!((r.size(), r.num_idle()), (0, 0), "and its connection is closed");
        assert!(sqlx::query("INSERT INTO t VALUES (4)").execute(&r).await.is_err(), "read-only");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(&r).await.expect("count");
        assert_eq!(n, 3, "a fresh connection reads on");
        assert_eq!((r.size(), r.num_idle()), (1, 1));
    }

    /// Concurrent reads open up to `max` connections and wait for one beyond that; a
    /// read dropped half-way gives its place back.
    #[tokio::test]
    async fn concurrent_reads_share_at_most_max_connections() {
        let dir = tempfile::tempdir().expect("dir");
        let r = readers(&dir, 2).await;
        let reads = (0..16).map(|_| {
            let r = r.clone();
            async move { sqlx::query_scalar::<_, i64>("SELECT SUM(n) FROM t").fetch_one(&r).await }
        });
        let sums = futures::future::join_all(reads).await;
        assert!(sums.iter().all(|s| matches!(s, Ok(6))), "{sums:?}");
        assert!(r.size() <= 2, "{}", r.size());

        // Polled once (the connection taken, the statement sent), then dropped.
        let dropped = sqlx::query_scalar::<_, i64>("SELECT SUM(n) FROM t").fetch_one(&r);
        let _ = tokio::time::timeout(std::time::Duration::ZERO, dropped).await;
        assert!(r.size() <= 2, "{}", r.size());
        let n: i64 = sqlx::query_scalar("SELECT SUM(n) FROM t").fetch_one(&r).await.expect("sum");
        assert_eq!(n, 6);

        r.close().await;
        assert_eq!(r.size(), 0, "every connection closed");
        assert!(sqlx::query("SELECT 1").fetch_one(&r).await.is_err(), "closed");
    }

    /// `close` waits for a connection in use, and closes it when it comes back.
    #[tokio::test]
    async fn close_waits_for_connections_in_use() {
        let dir = tempfile::tempdir().expect("dir");
        let r = readers(&dir, 2).await;
        let mut lease = r.lease().await.expect("lease");
        let closing = tokio::spawn({
            let r = r.clone();
            async move { r.close().await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!closing.is_finished(), "still waiting for the connection in use");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(lease.conn()).await.expect("count");
        assert_eq!(n, 3, "the lease still reads");
        lease.done();
        closing.await.expect("closed");
        assert_eq!((r.size(), r.num_idle()), (0, 0));
    }
}
