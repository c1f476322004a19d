//! Group commit for answers. Every graded answer is handed to one writer task, which
//! takes whatever answers are waiting (up to [`MAX_BATCH`]) and stores them in one
//! transaction of seven statements, however many there are: the interviews' positions
//! move in one `UPDATE ... RETURNING`, and attempts, schedules, concepts and concept
//! tallies each go in one multi-row statement. On SQLite those statements travel to the
//! connection's thread in two multi-statement queries (see `write_in_two`). Each caller
//! hears back only after the commit, so an acknowledged answer is as durable as before;
//! under load, answers share the cost of a transaction instead of queueing for one each.
//!
//! The batch statements differ with the batch's size, so only those of the smallest
//! batches ([`KEPT_BATCH`] answers or fewer, the usual size when the server is not
//! saturated) are kept prepared; a larger one would hold a large prepared statement in
//! the connection's cache per size.
//!
//! New interviews go through the same task: whatever creations are waiting are stored
//! in one transaction of two statements. A creation made its own four round trips to the
//! one write connection, and when a class started interviews together, the answers
//! queued behind them.
//!
//! A batch never holds two answers of one interview (the second waits for the next
//! batch), so a double submit still meets the position check one at a time. If a batch
//! fails as a whole, its answers are retried one by one, so one bad row fails only its
//! own answer.
use std::collections::HashSet;

use sqlx::{PgPool, Pool, QueryBuilder, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::learning::{SCHEDULE_INSERT, SCHEDULE_ON_CONFLICT};
use super::{NewAttempt, StoreError};
use crate::domain::{AttemptKind, ConceptStatus, Interview, StatusText, MAX_RETRIES};
use crate::learning::schedule::Schedule;

/// Answers stored in one transaction at most (well under SQLite's bound-variable limit
/// with 30 concepts an answer).
const MAX_BATCH: usize = 64;
/// Batches of at most this many answers keep their statements prepared: below
/// saturation most batches are this small, and preparing five statements again for
/// each was a large part of the writer's time per answer.
const KEPT_BATCH: usize = 2;

/// Whether the statements of a batch of `answers` are kept prepared.
fn kept(answers: usize) -> bool {
    answers <= KEPT_BATCH
}

/// What [`StoreError::Conflict`] names for a retry refused because its question had
/// been retried [`MAX_RETRIES`] times already (counted in the transaction that would
/// store it, so retries sent at once cannot all pass).
pub const RETRIES_USED: &str = "retries";

/// Answers waiting for the writer before senders wait too.
const QUEUE: usize = 1024;

/// An answer on its way to the database, with the id it will have.
#[derive(Debug, Clone)]
pub(super) struct PendingAttempt {
    pub id: String,
    /// The interview's position this answer expects to move on from (None: no check).
    pub position: Option<i64>,
    pub new: NewAttempt,
}

pub(super) struct Job {
    attempt: PendingAttempt,
    reply: oneshot::Sender<Result<String, StoreError>>,
}

/// A new interview on its way to the database: its row and its questions in order.
#[derive(Debug, Clone)]
pub(super) struct PendingInterview {
    pub row: Interview,
    pub question_ids: Vec<String>,
}

pub(super) struct Creation {
    interview: PendingInterview,
    reply: oneshot::Sender<Result<(), StoreError>>,
}

/// What the writer task is handed.
pub(super) enum Work {
    Answer(Job),
    Interview(Creation),
}

/// The handle callers send answers through.
#[derive(Debug, Clone)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Work>,
    /// Stops the background checkpoints (and closes their connection) when told.
    checkpoints: Option<std::sync::Arc<Checkpoints>>,
}

/// Copies the write-ahead log into the database file (a PASSIVE checkpoint, every
/// [`CHECKPOINT_EVERY`]) on a connection of its own, off the writer's path. Run by the
/// writer at commit (SQLite's default, every 1,000 pages), each copy and its fsync held
/// every answer waiting behind it. Durability is unchanged: a commit is durable once it
/// is in the log, checkpointed or not.
#[derive(Debug)]
struct Checkpoints {
    stop: tokio::sync::Notify,
    stopped: tokio::sync::Mutex<Option<oneshot::Receiver<()>>>,
}

/// How often the background checkpoint runs. Under a steady stream of answers the
/// writer still checkpoints by itself when the log reaches
/// [`super::WRITER_CHECKPOINT_PAGES`] (about every 0.3 s at 3,000 answers/s: a
/// background checkpoint never finds the log complete, see [`flush`]), and every answer
/// waits while it syncs the log and the database file; what it has left to copy and sync
/// is what came in since the last background checkpoint. Every 30 ms instead of every
/// 100 ms, that is a third as much: paced at half the raw commit rate, p99 7.9-10.1 ms
/// in 6 of 7 runs (19.6 in one) against 17.9-25.3 ms in 7 runs of 100 ms, and back to
/// back p99 21-25 ms against 30-33 (`cargo bench --bench load`, 2026-12-04). An idle
/// server still makes no flushes (see [`flush`]).
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(30);

async fn checkpoints(pool: &SqlitePool, every: std::time::Duration) -> Option<std::sync::Arc<Checkpoints>> {
    use sqlx::{ConnectOptions, Connection};
    let options = pool.connect_options();
    let mut conn = match options.as_ref().clone().connect().await {
        Ok(conn) => conn,
        Err(e) => {
            tracing::warn!(error = %e, "no background checkpoints: the writer will checkpoint");
            return None;
        }
    };
    // The database file, opened once more only to flush it (see `flush` below); an
    // in-memory database has none.
    let file = std::fs::File::open(options.get_filename()).ok().map(std::sync::Arc::new);
    let (done, stopped) = oneshot::channel();
    let control = std::sync::Arc::new(Checkpoints {
        stop: tokio::sync::Notify::new(),
        stopped: tokio::sync::Mutex::new(Some(stopped)),
    });
    let task = control.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        // Frames copied into the database file as of the last flush.
        let mut flushed = 0;
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    // (busy, frames in the log, frames copied into the database file)
                    let done = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)")
                        .fetch_one(&mut conn)
                        .await;
                    match done {
                        // Only when pages were copied since the last flush: an idle server
                        // makes no disk flushes.
                        Ok((_, _, copied)) if copied != flushed => {
                            flush(file.clone()).await;
                            flushed = copied;
                        }
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "background checkpoint failed; will try again"),
                    }
                }
                _ = task.stop.notified() => break,
            }
        }
        let _ = conn.close().await;
        let _ = done.send(());
    });
    Some(control)
}

/// Writes the database file's dirty pages to disk, on a blocking thread.
///
/// Under a steady stream of answers a background checkpoint never finds the log
/// complete (the writer has committed again by the time it is done), so it copies
/// pages into the database file but never syncs it, and the log grows until the
/// writer's own checkpoint ([`super::WRITER_CHECKPOINT_PAGES`]) copies the rest and syncs
/// the file: about once a second at a classroom's pace, and that `fsync` (20-26 ms)
/// held every answer waiting behind the writer. Flushed here after each background
/// checkpoint, the file has little left to write by then. Only the database file's own
/// pages are written (a commit is durable once it is in the log either way).
async fn flush(file: Option<std::sync::Arc<std::fs::File>>) {
    let Some(file) = file else { return };
    match tokio::task::spawn_blocking(move || file.sync_data()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "flushing the database file failed; will try again"),
        Err(e) => tracing::warn!(error = %e, "flushing the database file stopped"),
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("attempt", &self.attempt.id).finish_non_exhaustive()
    }
}

impl Writer {
    /// Answers waiting for the writer task.
    pub fn waiting(&self) -> usize {
        self.jobs.max_capacity() - self.jobs.capacity()
    }

    /// Stops the background checkpoints and closes their connection (before the
    /// writer's, so that the last connection to close checkpoints and removes the log).
    pub async fn stop_checkpoints(&self) {
        if let Some(control) = &self.checkpoints {
            control.stop.notify_one();
            if let Some(stopped) = control.stopped.lock().await.take() {
                let _ = stopped.await;
            }
        }
    }

    /// Starts the writer task on `pool` (SQLite's one write connection), with
    /// background checkpoints on a connection of their own.
    pub async fn start_sqlite(pool: SqlitePool) -> Writer {
        let checkpoints = checkpoints(&pool, CHECKPOINT_EVERY).await;
        sqlite::start(pool, checkpoints)
    }

    /// Starts the writer task on a PostgreSQL pool (PostgreSQL checkpoints by itself).
    pub fn start_postgres(pool: PgPool) -> Writer {
        postgres::start(pool, None)
    }

    /// Stores the answer; returns once it is committed (its id), or why not.
    pub async fn store(&self, attempt: PendingAttempt) -> Result<String, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Work::Answer(Job { attempt, reply })).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| StoreError::Unexpected(anyhow::anyhow!("the database writer dropped an answer")))?
    }

    /// Stores a new interview; returns once it is committed, or why not.
    pub async fn create_interview(&self, interview: PendingInterview) -> Result<(), StoreError> {
        let (reply, created) = oneshot::channel();
        self.jobs.send(Work::Interview(Creation { interview, reply })).await.map_err(|_| stopped())?;
        created
            .await
            .map_err(|_| StoreError::Unexpected(anyhow::anyhow!("the database writer dropped an interview")))?
    }
}

fn stopped() -> StoreError {
    StoreError::Unexpected(anyhow::anyhow!("the database writer has stopped"))
}

fn missing() -> StoreError {
    StoreError::Unexpected(anyhow::anyhow!("no result for a stored answer"))
}

/// Splits off every job whose interview already has one earlier in the batch.
fn one_per_interview(jobs: Vec<Job>) -> (Vec<Job>, Vec<Job>) {
    let mut seen: HashSet<String> = HashSet::new();
    jobs.into_iter().partition(|j| match &j.attempt.new.interview_id {
        Some(id) => seen.insert(id.clone()),
        None => true,
    })
}

per_backend! {
/// Starts the writer task on `pool`.
pub(super) fn start(pool: Pool<Db>, checkpoints: Option<std::sync::Arc<Checkpoints>>) -> Writer {
    let (jobs, mut waiting) = mpsc::channel::<Work>(QUEUE);
    tokio::spawn(async move {
        while let Some(first) = waiting.recv().await {
            let (mut answers, mut interviews) = (Vec::new(), Vec::new());
            let mut next = Some(first);
            while let Some(work) = next.take() {
                match work {
                    Work::Answer(job) => answers.push(job),
                    Work::Interview(creation) => interviews.push(creation),
                }
                if answers.len() + interviews.len() < MAX_BATCH {
                    next = waiting.try_recv().ok();
                }
            }
            // No answer can be for an interview created in this round (its id is only
            // known once the creation is committed), so the order does not matter.
            if !interviews.is_empty() {
                create(&pool, interviews).await;
            }
            if !answers.is_empty() {
                run(&pool, answers).await;
            }
        }
    });
    Writer { jobs, checkpoints }
}

/// Stores new interviews in one transaction; if it fails, one by one, so that one bad
/// row fails only its own interview.
pub(crate) async fn create(pool: &Pool<Db>, creations: Vec<Creation>) {
    let interviews: Vec<&PendingInterview> = creations.iter().map(|c| &c.interview).collect();
    match insert_interviews(pool, &interviews).await {
        Ok(()) => {
            for c in creations {
                let _ = c.reply.send(Ok(()));
            }
        }
        Err(e) if creations.len() > 1 => {
            tracing::warn!(error = %e, interviews = creations.len(), "a batch of new interviews failed; storing them one by one");
            for c in creations {
                let result = insert_interviews(pool, &[&c.interview]).await.map_err(StoreError::from);
                let _ = c.reply.send(result);
            }
        }
        Err(e) => {
            if let Some(c) = creations.into_iter().next() {
                let _ = c.reply.send(Err(StoreError::from(e)));
            }
        }
    }
}

/// One transaction: the interviews' rows, their questions, and when each question was
/// last asked. On SQLite in one round trip to the connection's thread (`BEGIN
/// IMMEDIATE`, the three inserts and `COMMIT` as one multi-statement query, like
/// [`write_in_two`]) instead of five: one learner starting interviews one after another
/// cost the server 875-890 µs of CPU and 50 thread switches per interview (580-585 µs and
/// 35 in one trip), more than an answer with its grading, and a class starting together
/// held up the answers behind it.
/// PostgreSQL takes one statement per query.
pub(crate) async fn insert_interviews(pool: &Pool<Db>, interviews: &[&PendingInterview]) -> Result<(), sqlx::Error> {
    let asked = latest_asked(interviews);
    if <Db as sqlx::Database>::NAME == "SQLite" {
        let mut conn = pool.acquire().await?;
        let mut all = QueryBuilder::<Db>::new("BEGIN IMMEDIATE; ");
        for push in INTERVIEW_STATEMENTS {
            if push(&mut all, interviews, &asked) {
                all.push("; ");
            }
        }
        all.push("COMMIT");
        if let Err(e) = all.build().persistent(false).execute(&mut *conn).await {
            return Err(rolled_back(&mut conn, e).await);
        }
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    for push in INTERVIEW_STATEMENTS {
        let mut statement = QueryBuilder::<Db>::new("");
        if push(&mut statement, interviews, &asked) {
            statement.build().persistent(false).execute(&mut *tx).await?;
        }
    }
    tx.commit().await
}

/// Pushes one statement that stores part of a batch of new interviews; `false` if the
/// batch has nothing for it (nothing was pushed then).
type PushInterviews = for<'q> fn(&mut QueryBuilder<'q, Db>, &[&'q PendingInterview], &[Asked<'q>]) -> bool;

/// The statements that store new interviews, in order.
const INTERVIEW_STATEMENTS: [PushInterviews; 3] = [push_interviews, push_interview_questions, push_asked];

/// (user, question, asked at, interview) for the last-asked table.
type Asked<'q> = (&'q str, &'q str, i64, &'q str);

/// When each question was last asked, for choosing the next interview's questions: the
/// latest interview per (user, question) of this batch (one statement may not update a
/// row twice on PostgreSQL).
fn latest_asked<'q>(interviews: &[&'q PendingInterview]) -> Vec<Asked<'q>> {
    let mut latest: Vec<Asked<'q>> = interviews
        .iter()
        .flat_map(|i| i.question_ids.iter().map(move |q| (i.row.user_id.as_str(), q.as_str(), i.row.created_at, i.row.id.as_str())))
        .collect();
    // Newest first, so that the one kept of each (user, question) is the latest.
    latest.sort_unstable_by(|a, b| b.cmp(a));
    latest.dedup_by_key(|&mut (user, question, ..)| (user, question));
    latest
}

fn push_interviews<'q>(q: &mut QueryBuilder<'q, Db>, interviews: &[&'q PendingInterview], _: &[Asked<'q>]) -> bool {
    if interviews.is_empty() {
        return false;
    }
    q.push("INSERT INTO interviews (id, user_id, mode, topics, position, question_count, created_at, timer_seconds) ");
    q.push_values(interviews, |mut row, i| {
        row.push_bind(&i.row.id)
            .push_bind(&i.row.user_id)
            .push_bind(i.row.mode.as_str())
            .push_bind(&i.row.topics)
            .push_bind(i.row.position)
            .push_bind(i.row.question_count)
            .push_bind(i.row.created_at)
            .push_bind(i.row.timer_seconds);
    });
    true
}

fn push_interview_questions<'q>(
    q: &mut QueryBuilder<'q, Db>,
    interviews: &[&'q PendingInterview],
    _: &[Asked<'q>],
) -> bool {
    let questions: Vec<(&str, i64, &str)> = interviews
        .iter()
        .flat_map(|i| i.question_ids.iter().enumerate().map(move |(p, q)| (i.row.id.as_str(), p as i64, q.as_str())))
        .collect();
    if questions.is_empty() {
        return false;
    }
    q.push("INSERT INTO interview_questions (interview_id, position, question_id) ");
    q.push_values(questions, |mut row, (id, position, question)| {
        row.push_bind(id).push_bind(position).push_bind(question);
    });
    true
}

fn push_asked<'q>(q: &mut QueryBuilder<'q, Db>, _: &[&'q PendingInterview], asked: &[Asked<'q>]) -> bool {
    if asked.is_empty() {
        return false;
    }
    q.push("INSERT INTO asked_questions (user_id, question_id, asked_at, interview_id) ");
    q.push_values(asked, |mut row, &(user, question, at, id)| {
        row.push_bind(user).push_bind(question).push_bind(at).push_bind(id);
    });
    q.push(
        " ON CONFLICT (user_id, question_id) DO UPDATE SET asked_at = excluded.asked_at, \
         interview_id = excluded.interview_id WHERE excluded.asked_at > asked_questions.asked_at \
         OR (excluded.asked_at = asked_questions.asked_at AND excluded.interview_id > asked_questions.interview_id)",
    );
    true
}

/// Stores `jobs` in as few transactions as the one-answer-per-interview rule allows.
pub(crate) async fn run(pool: &Pool<Db>, mut jobs: Vec<Job>) {
    while !jobs.is_empty() {
        let (now, later) = one_per_interview(jobs);
        let attempts: Vec<&PendingAttempt> = now.iter().map(|j| &j.attempt).collect();
        let outcome = write(pool, &attempts).await;
        match outcome {
            Ok(results) => {
                for (job, result) in now.into_iter().zip(results) {
                    // The caller may have gone (a closed connection); the answer is stored anyway.
                    let _ = job.reply.send(result);
                }
            }
            Err(e) if now.len() > 1 => {
                tracing::warn!(error = %e, answers = now.len(), "a batch of answers failed; storing them one by one");
                for job in now {
                    let result = match write(pool, &[&job.attempt]).await {
                        Ok(mut results) => results.pop().unwrap_or_else(|| Err(missing())),
                        Err(e) => Err(StoreError::from(e)),
                    };
                    let _ = job.reply.send(result);
                }
            }
            Err(e) => {
                for job in now {
                    let _ = job.reply.send(Err(StoreError::Unexpected(anyhow::anyhow!("storing the answer: {e}"))));
                }
            }
        }
        jobs = later;
    }
}

/// One transaction for `attempts` (at most one per interview). Per answer: its id, or
/// `Conflict` when its interview had moved on from the expected position. On SQLite in
/// two round trips ([`write_in_two`]); PostgreSQL takes one statement per query.
pub(crate) async fn write(
    pool: &Pool<Db>,
    attempts: &[&PendingAttempt],
) -> Result<Vec<Result<String, StoreError>>, sqlx::Error> {
    if <Db as sqlx::Database>::NAME == "SQLite" {
        return write_in_two(pool, attempts).await;
    }
    let now = crate::store::now_millis();
    let mut tx = pool.begin().await?;
    let checked = checked(attempts);
    let mut moved: HashSet<String> = HashSet::new();
    if !checked.is_empty() {
        let mut update = QueryBuilder::<Db>::new("");
        push_moves(&mut update, &checked, now);
        let ids: Vec<String> = update.build_query_scalar().persistent(kept(checked.len())).fetch_all(&mut *tx).await?;
        moved.extend(ids);
    }
    let retries = retries(attempts);
    let mut refused: HashSet<String> = HashSet::new();
    if !retries.is_empty() {
        let mut count = QueryBuilder::<Db>::new("");
        push_retries_used(&mut count, &retries);
        refused.extend(count.build_query_scalar().persistent(kept(retries.len())).fetch_all(&mut *tx).await?);
    }
    let stored = stored(attempts, &moved, &refused);
    if !stored.is_empty() {
        for push in STORE_STATEMENTS {
            let mut statement = QueryBuilder::<Db>::new("");
            if push(&mut statement, &stored, now) {
                statement.build().persistent(kept(stored.len())).execute(&mut *tx).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(outcomes(attempts, &stored, &refused))
}

/// [`write`] in two round trips to the connection's thread instead of eight (the pool's
/// check, `BEGIN`, the `UPDATE`, four inserts, `COMMIT`): `BEGIN IMMEDIATE` with the
/// positions' `UPDATE`, then every insert with the `COMMIT`, as one multi-statement
/// query each (SQLite binds a query's values to its statements in turn). Each hop wakes
/// the connection's thread and then the caller's, and on this 2-core machine the hops,
/// not SQLite, were most of a small batch's time: one answer at a time, 812-846 µs
/// per answer in eight hops, 367-417 µs in two (`cargo bench --bench writer`).
/// On failure the transaction is rolled back by hand.
async fn write_in_two(
    pool: &Pool<Db>,
    attempts: &[&PendingAttempt],
) -> Result<Vec<Result<String, StoreError>>, sqlx::Error> {
    let now = crate::store::now_millis();
    let mut conn = pool.acquire().await?;
    let checked = checked(attempts);
    let retries = retries(attempts);
    let mut first = QueryBuilder::<Db>::new("BEGIN IMMEDIATE");
    if !checked.is_empty() {
        first.push("; ");
        push_moves(&mut first, &checked, now);
    }
    if !retries.is_empty() {
        first.push("; ");
        push_retries_used(&mut first, &retries);
    }
    let kept_first = kept(checked.len()) && kept(retries.len());
    // The ids returned are the moved interviews' and the refused retries'.
    let (refused, moved): (HashSet<String>, HashSet<String>) =
        match first.build_query_scalar::<String>().persistent(kept_first).fetch_all(&mut *conn).await {
            Ok(ids) => ids.into_iter().partition(|id| retries.iter().any(|(retry, _, _)| retry == id)),
            Err(e) => return Err(rolled_back(&mut conn, e).await),
        };
    let stored = stored(attempts, &moved, &refused);
    let mut second = QueryBuilder::<Db>::new("");
    if !stored.is_empty() {
        for push in STORE_STATEMENTS {
            if push(&mut second, &stored, now) {
                second.push("; ");
            }
        }
    }
    second.push("COMMIT");
    if let Err(e) = second.build().persistent(kept(stored.len())).execute(&mut *conn).await {
        return Err(rolled_back(&mut conn, e).await);
    }
    Ok(outcomes(attempts, &stored, &refused))
}

/// Rolls back the transaction [`write_in_two`] opened on `conn` after `error`, and
/// returns the error. A failed rollback (none was open) changes nothing.
async fn rolled_back(conn: &mut sqlx::pool::PoolConnection<Db>, error: sqlx::Error) -> sqlx::Error {
    if let Err(e) = sqlx::query("ROLLBACK").execute(&mut **conn).await {
        tracing::debug!(error = %e, "rollback after a failed batch");
    }
    error
}

/// (interview, expected position) of the answers that check their interview's position.
fn checked<'a>(attempts: &[&'a PendingAttempt]) -> Vec<(&'a str, i64)> {
    attempts.iter().filter_map(|a| Some((a.new.interview_id.as_deref()?, a.position?))).collect()
}

/// (answer id, interview, question) of the retries in a batch (at most one per
/// interview, like every answer of a batch).
fn retries<'a>(attempts: &[&'a PendingAttempt]) -> Vec<(&'a str, &'a str, &'a str)> {
    attempts
        .iter()
        .filter(|a| a.new.kind == AttemptKind::Retry)
        .filter_map(|a| Some((a.id.as_str(), a.new.interview_id.as_deref()?, a.new.question_id.as_str())))
        .collect()
}

/// One query returning the ids of the retries in `retries` whose question was retried
/// [`MAX_RETRIES`] times already in its interview.
fn push_retries_used<'q>(q: &mut QueryBuilder<'q, Db>, retries: &[(&'q str, &'q str, &'q str)]) {
    for (n, &(id, interview, question)) in retries.iter().enumerate() {
        if n > 0 {
            q.push(" UNION ALL ");
        }
        // The id is cast so that PostgreSQL knows the column's type from the first row.
        q.push("SELECT CAST(").push_bind(id).push(" AS TEXT) WHERE (SELECT COUNT(*) FROM attempts WHERE interview_id = ");
        q.push_bind(interview).push(" AND question_id = ").push_bind(question).push(" AND kind = 'retry') >= ");
        q.push_bind(MAX_RETRIES);
    }
}

/// The answers to store: those that check no position, and those whose interview moved;
/// not a retry whose id is in `refused` (see [`push_retries_used`]).
fn stored<'a>(
    attempts: &[&'a PendingAttempt],
    moved: &HashSet<String>,
    refused: &HashSet<String>,
) -> Vec<&'a PendingAttempt> {
    attempts
        .iter()
        .copied()
        .filter(|a| match (&a.new.interview_id, a.position) {
            (Some(id), Some(_)) => moved.contains(id),
            _ => true,
        })
        .filter(|a| !refused.contains(&a.id))
        .collect()
}

/// Per answer: its id if it was stored, else `Conflict` (naming [`RETRIES_USED`] for a
/// retry refused for its count).
fn outcomes(
    attempts: &[&PendingAttempt],
    stored: &[&PendingAttempt],
    refused: &HashSet<String>,
) -> Vec<Result<String, StoreError>> {
    let stored_ids: HashSet<&str> = stored.iter().map(|a| a.id.as_str()).collect();
    attempts
        .iter()
        .map(|a| {
            if stored_ids.contains(a.id.as_str()) {
                Ok(a.id.clone())
            } else if refused.contains(&a.id) {
                Err(StoreError::Conflict(RETRIES_USED))
            } else {
                Err(StoreError::Conflict("answer"))
            }
        })
        .collect()
}

/// Moves each checked interview on from its expected position, returning the ids of
/// those that were still there.
fn push_moves<'q>(q: &mut QueryBuilder<'q, Db>, checked: &[(&'q str, i64)], now: i64) {
    q.push(
        "UPDATE interviews SET position = position + 1,
           finished_at = CASE WHEN position + 1 >= question_count THEN ",
    );
    q.push_bind(now).push(" ELSE finished_at END WHERE (id, position) IN (");
    q.push_values(checked.iter().copied(), |mut row, (id, position)| {
        row.push_bind(id).push_bind(position);
    });
    q.push(") RETURNING id");
}

/// Appends one statement that stores part of a batch to a query; false when the batch
/// has nothing for it (nothing appended).
type PushStatement = for<'q> fn(&mut QueryBuilder<'q, Db>, &[&'q PendingAttempt], i64) -> bool;

/// The statements that store a batch, in order: attempts, schedules, concepts and the
/// concept tallies.
const STORE_STATEMENTS: [PushStatement; 4] = [push_attempts, push_schedules, push_concepts, push_tallies];

fn push_attempts<'q>(q: &mut QueryBuilder<'q, Db>, stored: &[&'q PendingAttempt], now: i64) -> bool {
    q.push(
        "INSERT INTO attempts (id, user_id, interview_id, question_id, answer, score, band, feedback, grade,
           time_taken_ms, spoken, unsure, created_at, kind, follow_up_concept, follow_up_prompt, question_version) ",
    );
    q.push_values(stored, |mut row, a| {
        row.push_bind(&a.id)
            .push_bind(&a.new.user_id)
            .push_bind(&a.new.interview_id)
            .push_bind(&a.new.question_id)
            .push_bind(&a.new.answer)
            .push_bind(a.new.score)
            .push_bind(a.new.band.as_str())
            .push_bind(&a.new.feedback)
            .push_bind(&a.new.grade_json)
            .push_bind(a.new.time_taken_ms)
            .push_bind(a.new.spoken)
            .push_bind(a.new.unsure)
            .push_bind(now)
            .push_bind(a.new.kind.as_str())
            .push_bind(a.new.follow_up.as_ref().map(|f| f.concept.as_str()))
            .push_bind(a.new.follow_up.as_ref().map(|f| f.prompt.as_str()))
            .push_bind(a.new.question_version);
    });
    true
}

fn push_schedules<'q>(q: &mut QueryBuilder<'q, Db>, stored: &[&'q PendingAttempt], now: i64) -> bool {
    let scheduled: Vec<(&PendingAttempt, &Schedule)> =
        stored.iter().filter_map(|a| a.new.schedule.as_ref().map(|s| (*a, s))).collect();
    if scheduled.is_empty() {
        return false;
    }
    q.push(SCHEDULE_INSERT).push(" ");
    q.push_values(scheduled, |mut row, (a, s)| {
        row.push_bind(&a.new.user_id)
            .push_bind(&a.new.question_id)
            .push_bind(s.stability)
            .push_bind(s.difficulty)
            .push_bind(s.interval_days)
            .push_bind(s.last_review_at)
            .push_bind(s.due_at)
            .push_bind(a.new.score)
            .push_bind(now);
    });
    q.push(" ").push(SCHEDULE_ON_CONFLICT);
    true
}

/// Every (answer, concept, status) of a batch.
fn concepts<'q>(stored: &[&'q PendingAttempt]) -> Vec<(&'q PendingAttempt, &'q str, ConceptStatus)> {
    stored.iter().flat_map(|a| a.new.concepts.iter().map(move |(c, s)| (*a, c.as_str(), *s))).collect()
}

fn push_concepts<'q>(q: &mut QueryBuilder<'q, Db>, stored: &[&'q PendingAttempt], _now: i64) -> bool {
    let concepts = concepts(stored);
    if concepts.is_empty() {
        return false;
    }
    q.push("INSERT INTO attempt_concepts (attempt_id, user_id, question_id, concept, status) ");
    q.push_values(concepts, |mut row, (a, concept, status)| {
        row.push_bind(&a.id)
            .push_bind(&a.new.user_id)
            .push_bind(&a.new.question_id)
            .push_bind(concept)
            .push_bind(status.as_str());
    });
    q.push(" ON CONFLICT (attempt_id, concept) DO NOTHING");
    true
}

fn push_tallies<'q>(q: &mut QueryBuilder<'q, Db>, stored: &[&'q PendingAttempt], now: i64) -> bool {
    let concepts = concepts(stored);
    if concepts.is_empty() {
        return false;
    }
    q.push(
        "INSERT INTO concept_stats (user_id, question_id, concept, seen, misses, contradicted, last_status, updated_at) ",
    );
    q.push_values(concepts, |mut row, (a, concept, status)| {
        row.push_bind(&a.new.user_id)
            .push_bind(&a.new.question_id)
            .push_bind(concept)
            .push_bind(1i64)
            .push_bind(i64::from(status != ConceptStatus::Covered))
            .push_bind(i64::from(status == ConceptStatus::Contradicted))
            .push_bind(status.as_str())
            .push_bind(now);
    });
    q.push(
        " ON CONFLICT (user_id, question_id, concept) DO UPDATE SET seen = concept_stats.seen + 1,
           misses = concept_stats.misses + excluded.misses, contradicted = concept_stats.contradicted + excluded.contradicted,
           last_status = excluded.last_status, updated_at = excluded.updated_at",
    );
    true
}

}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AttemptKind, Band, Mode};
    use crate::store::Store;

    /// A store on a fresh file with the bundled bank, one user and one interview.
    async fn fixture(dir: &std::path::Path) -> (Store, String, String, Vec<String>) {
        let store = Store::connect(&format!("sqlite://{}", dir.join("w.db").display())).await.expect("store");
        let bank = crate::bank::load_dir(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questions")))
            .expect("bank");
        store.sync_bank(&bank).await.expect("sync");
        let user =
            store.create_user("writer", "writer", "hash", crate::domain::Role::Member, None).await.expect("user").id;
        let questions: Vec<String> =
            bank.iter().flat_map(|t| t.questions.iter().map(|q| q.id.clone())).take(3).collect();
        let interview = store.create_interview(&user, Mode::Mock, &[], &questions, None).await.expect("interview").id;
        (store, user, interview, questions)
    }

    fn pending(user: &str, interview: Option<&str>, question: &str, position: Option<i64>) -> PendingAttempt {
        let new = NewAttempt {
            user_id: user.into(),
            interview_id: interview.map(str::to_string),
            question_id: question.into(),
            answer: "answer".into(),
            score: 0.5,
            band: Band::Partial,
            feedback: String::new(),
            grade_json: "{}".into(),
            concepts: vec![("layers".into(), ConceptStatus::Covered), ("cache".into(), ConceptStatus::Missed)],
            time_taken_ms: None,
            spoken: false,
            unsure: false,
            kind: AttemptKind::Answer,
            schedule: None,
            follow_up: None,
            question_version: 1,
        };
        PendingAttempt { id: uuid::Uuid::now_v7().to_string(), position, new }
    }

    /// Hands `attempts` to `run` as one batch, as if they had all been waiting.
    async fn batch(store: &Store, attempts: Vec<PendingAttempt>) -> Vec<Result<String, StoreError>> {
        let mut replies = Vec::new();
        let jobs = attempts
            .into_iter()
            .map(|attempt| {
                let (reply, answer) = oneshot::channel();
                replies.push(answer);
                Job { attempt, reply }
            })
            .collect();
        match store.pools() {
            crate::store::Pools::Sqlite(db) => sqlite::run(db.write(), jobs).await,
            crate::store::Pools::Postgres(db) => postgres::run(db.write(), jobs).await,
        }
        let mut results = Vec::new();
        for answer in replies {
            results.push(answer.await.expect("replied"));
        }
        results
    }

    /// Retries of one question sent at once all pass the count made before grading; the
    /// writer counts again in the transaction that stores each, so no more than
    /// [`MAX_RETRIES`] are ever stored, and the rest are refused naming [`RETRIES_USED`]
    /// (a hostile probe stored 9 attempts where 6 are allowed). A retry of another
    /// interview in the same batch is stored.
    #[tokio::test]
    async fn retries_past_the_limit_are_refused_in_the_storing_transaction() {
        let dir = tempfile::tempdir().expect("dir");
        let (store, user, interview, questions) = fixture(dir.path()).await;
        let other = store.create_interview(&user, Mode::Mock, &[], &questions, None).await.expect("interview").id;
        let retry = |interview: &str| {
            let mut p = pending(&user, Some(interview), &questions[0], None);
            p.new.kind = AttemptKind::Retry;
            p
        };
        let first = batch(&store, vec![pending(&user, Some(&interview), &questions[0], Some(0))]).await;
        assert!(first[0].is_ok(), "{first:?}");
        // Eight retries of one question, each batch holding one of them (the writer takes
        // one answer per interview per transaction) beside a retry of another interview.
        let mut results = Vec::new();
        for _ in 0..8 {
            results.extend(batch(&store, vec![retry(&interview), retry(&other)]).await);
        }
        let (mine, others): (Vec<_>, Vec<_>) = results.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let stored = mine.iter().filter(|(_, r)| r.is_ok()).count();
        assert_eq!(stored as i64, MAX_RETRIES, "{results:?}");
        assert!(mine
            .iter()
            .filter(|(_, r)| r.is_err())
            .all(|(_, r)| matches!(r, Err(StoreError::Conflict(RETRIES_USED)))));
        assert_eq!(
            others.iter().filter(|(_, r)| r.is_ok()).count() as i64,
            MAX_RETRIES,
            "the other interview's own count"
        );
        assert_eq!(store.retries(&interview, &questions[0]).await.expect("count"), MAX_RETRIES);
        assert_eq!(store.interview_attempts(&interview).await.expect("attempts").len() as i64, MAX_RETRIES + 1);
    }

    #[tokio::test]
    async fn a_batch_stores_each_answer_once_and_one_per_interview_position() {
        let dir = tempfile::tempdir().expect("dir");
        let (store, user, interview, questions) = fixture(dir.path()).await;
        let other = store.create_interview(&user, Mode::Mock, &[], &questions, None).await.expect("interview").id;

        // The same answer three times in one batch, beside another interview's answer and
        // a stateless one: one of the three moves the interview on, two are conflicts.
        let results = batch(
            &store,
            vec![
                pending(&user, Some(&interview), &questions[0], Some(0)),
                pending(&user, Some(&interview), &questions[0], Some(0)),
                pending(&user, Some(&other), &questions[0], Some(0)),
                pending(&user, Some(&interview), &questions[0], Some(0)),
                pending(&user, None, &questions[1], None),
            ],
        )
        .await;
        let outcome: Vec<bool> = results.iter().map(Result::is_ok).collect();
        assert_eq!(outcome, [true, false, true, false, true], "{results:?}");
        assert!(results.iter().filter(|r| r.is_err()).all(|r| matches!(r, Err(StoreError::Conflict("answer")))));

        let attempts = store.interview_attempts(&interview).await.expect("attempts");
        assert_eq!(attempts.len(), 1, "stored once");
        let moved = store.interview(&interview, &user).await.expect("read").expect("interview");
        assert_eq!(moved.position, 1, "moved on once");
        let seen: i64 = sqlx::query_scalar("SELECT SUM(seen) FROM concept_stats WHERE question_id = $1")
            .bind(&questions[0])
            .fetch_one(match store.pools() {
                crate::store::Pools::Sqlite(db) => db.read(),
                crate::store::Pools::Postgres(_) => unreachable!("the fixture is SQLite"),
            })
            .await
            .expect("tally");
        assert_eq!(seen, 4, "two stored answers on the question, two concepts each");

        // Next in line: position 1 is now due, position 0 is a conflict.
        let results = batch(
            &store,
            vec![
                pending(&user, Some(&interview), &questions[1], Some(1)),
                pending(&user, Some(&other), &questions[1], Some(0)),
            ],
        )
        .await;
        assert!(results[0].is_ok() && matches!(results[1], Err(StoreError::Conflict(_))), "{results:?}");
    }

    /// A batch that fails half-way (its positions moved, then an insert refused) is
    /// rolled back whole: retried one by one, the good answers are stored and move their
    /// interviews on once, the bad one fails alone, and the write connection is left
    /// outside any transaction for the next batch.
    #[tokio::test]
    async fn a_batch_that_fails_half_way_is_rolled_back_and_retried_one_by_one() {
        let dir = tempfile::tempdir().expect("dir");
        let (store, user, interview, questions) = fixture(dir.path()).await;
        let other = store.create_interview(&user, Mode::Mock, &[], &questions, None).await.expect("interview").id;
        let results = batch(
            &store,
            vec![
                pending(&user, Some(&interview), &questions[0], Some(0)),
                pending(&user, None, "no-such-question", None),
                pending(&user, Some(&other), &questions[0], Some(0)),
            ],
        )
        .await;
        assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
        assert!(matches!(results[1], Err(StoreError::Unexpected(_))), "{results:?}");
        for id in [&interview, &other] {
            let moved = store.interview(id, &user).await.expect("read").expect("interview");
            assert_eq!(moved.position, 1, "moved on once, not twice");
            assert_eq!(store.interview_attempts(id).await.expect("attempts").len(), 1);
        }
        // The connection is usable: the next batch commits (an open transaction would
        // make its BEGIN fail).
        let next = batch(&store, vec![pending(&user, Some(&interview), &questions[1], Some(1))]).await;
        assert!(next[0].is_ok(), "{next:?}");
        let moved = store.interview(&interview, &user).await.expect("read").expect("interview");
        assert_eq!(moved.position, 2);
    }

    #[tokio::test]
    async fn interviews_started_together_are_stored_together_and_one_bad_row_fails_alone() {
        let dir = tempfile::tempdir().expect("dir");
        let (store, user, _, questions) = fixture(dir.path()).await;
        let new = |question_ids: Vec<String>| {
            let row = Interview {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: user.clone(),
                mode: Mode::Mock,
                topics: "[]".into(),
                position: 0,
                question_count: question_ids.len() as i64,
                created_at: crate::store::now_millis(),
                finished_at: None,
                timer_seconds: Some(60),
            };
            PendingInterview { row, question_ids }
        };
        let reversed: Vec<String> = questions.iter().rev().cloned().collect();
        let interviews =
            [new(questions.clone()), new(vec![questions[0].clone(), "no-such-question".into()]), new(reversed.clone())];
        let mut replies = Vec::new();
        let creations = interviews
            .iter()
            .cloned()
            .map(|interview| {
                let (reply, created) = oneshot::channel();
                replies.push(created);
                Creation { interview, reply }
            })
            .collect();
        let crate::store::Pools::Sqlite(db) = store.pools() else { unreachable!("the fixture is SQLite") };
        sqlite::create(db.write(), creations).await;
        let mut outcome = Vec::new();
        for created in replies {
            outcome.push(created.await.expect("replied").is_ok());
        }
        assert_eq!(outcome, [true, false, true], "the unknown question fails only its own interview");

        for (interview, expected) in [(&interviews[0], &questions), (&interviews[2], &reversed)] {
            let stored = store.interview(&interview.row.id, &user).await.expect("read").expect("stored");
            assert_eq!((stored.position, stored.question_count, stored.timer_seconds), (0, 3, Some(60)));
            let order: Vec<String> = sqlx::query_scalar(
                "SELECT question_id FROM interview_questions WHERE interview_id = $1 ORDER BY position",
            )
            .bind(&interview.row.id)
            .fetch_all(db.read())
            .await
            .expect("questions");
            assert_eq!(&order, expected, "questions in the order chosen");
        }
        let lost = store.interview(&interviews[1].row.id, &user).await.expect("read");
        assert!(lost.is_none(), "nothing of the failed interview is left");
        // Each question was last asked in the latest interview stored with it (the
        // third; the first has the same questions, and the failed one counts for none).
        let mut asked = store.last_asked(&user).await.expect("last asked");
        asked.sort();
        let expected: Vec<(String, i64, String)> = {
            let mut e: Vec<_> = questions
                .iter()
                .map(|q| (q.clone(), interviews[2].row.created_at, interviews[2].row.id.clone()))
                .collect();
            e.sort();
            e
        };
        assert_eq!(asked, expected);
        // An interview stored late but created earlier does not make a question look
        // less recently asked than it is.
        let mut older = new(vec![questions[0].clone()]);
        older.row.created_at -= 60_000;
        sqlite::insert_interviews(db.write(), &[&older]).await.expect("stored");
        let asked = store.last_asked(&user).await.expect("last asked");
        let first = asked.iter().find(|(q, ..)| *q == questions[0]).expect("asked");
        assert_eq!(first.2, interviews[2].row.id);
    }

    /// A database from before 0019 gets each question's last interview from the
    /// interviews it holds.
    #[tokio::test]
    async fn the_last_asked_table_is_filled_from_existing_interviews() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("old.db").display());
        let pool = crate::store::database_before(&url, 19).await;
        for sql in [
            "INSERT INTO topics (id, name) VALUES ('docker', 'Docker')",
            "INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ('u', 'u', 'u', 'x', 0)",
            "INSERT INTO questions (id, topic_id, prompt, answer, keywords, relations, follow_ups, difficulty, source,
             updated_at) VALUES ('q1', 'docker', 'p', 'a', '[]', '[]', '[]', 1, 'f', 0),
             ('q2', 'docker', 'p', 'a', '[]', '[]', '[]', 1, 'f', 0)",
            "INSERT INTO interviews (id, user_id, topics, question_count, created_at)
             VALUES ('i1', 'u', '[]', 2, 100), ('i2', 'u', '[]', 1, 200)",
            "INSERT INTO interview_questions (interview_id, position, question_id)
             VALUES ('i1', 0, 'q1'), ('i1', 1, 'q2'), ('i2', 0, 'q2')",
        ] {
            sqlx::query(sql).execute(&pool).await.expect(sql);
        }
        pool.close().await;

        let store = Store::connect(&url).await.expect("migrated");
        let mut asked = store.last_asked("u").await.expect("last asked");
        asked.sort();
        assert_eq!(asked, [("q1".to_string(), 100, "i1".to_string()), ("q2".to_string(), 200, "i2".to_string())]);
    }

    #[tokio::test]
    async fn the_writer_keeps_statement_journals_in_memory() {
        let dir = tempfile::tempdir().expect("dir");
        let (store, ..) = fixture(dir.path()).await;
        let crate::store::Pools::Sqlite(db) = store.pools() else { unreachable!("the fixture is SQLite") };
        // 2 is MEMORY: a batch's undo never goes to a temporary file.
        let mode: i64 = sqlx::query_scalar("PRAGMA temp_store").fetch_one(db.write()).await.expect("pragma");
        assert_eq!(mode, 2);
    }

    /// A database from before 0018, holding concept outcomes, tallies and a schedule,
    /// comes through the rebuild of those tables as WITHOUT ROWID with every row, and
    /// the writer then adds to the tallies it kept.
    #[tokio::test]
    async fn the_per_answer_tables_become_without_rowid_keeping_their_rows() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("old.db").display());
        let pool = crate::store::database_before(&url, 18).await;
        for sql in [
            "INSERT INTO topics (id, name) VALUES ('docker', 'Docker')",
            "INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ('u', 'u', 'u', 'x', 0)",
            "INSERT INTO questions (id, topic_id, prompt, answer, keywords, relations, follow_ups, difficulty, source,
             updated_at) VALUES ('q', 'docker', 'p', 'a', '[]', '[]', '[]', 1, 'f', 0)",
            "INSERT INTO attempts (id, user_id, question_id, answer, score, band, feedback, grade, created_at)
             VALUES ('a', 'u', 'q', 'x', 0.5, 'partial', '', '{}', 1)",
            "INSERT INTO attempt_concepts (attempt_id, user_id, question_id, concept, status)
             VALUES ('a', 'u', 'q', 'layers', 'covered'), ('a', 'u', 'q', 'cache', 'missed')",
            "INSERT INTO concept_stats (user_id, question_id, concept, seen, misses, contradicted, last_status, updated_at)
             VALUES ('u', 'q', 'layers', 3, 1, 0, 'covered', 1), ('u', 'q', 'cache', 2, 2, 1, 'missed', 1)",
            "INSERT INTO schedules (user_id, question_id, stability, difficulty, interval_days, last_review_at, due_at,
             last_score, updated_at) VALUES ('u', 'q', 2.5, 5.0, 2.0, 1, 172800001, 0.5, 1)",
        ] {
            sqlx::query(sql).execute(&pool).await.expect(sql);
        }
        pool.close().await;

        let store = Store::connect(&url).await.expect("migrated");
        let crate::store::Pools::Sqlite(db) = store.pools() else { unreachable!("SQLite") };
        for table in ["attempt_concepts", "concept_stats", "schedules"] {
            let sql: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1")
                .bind(table)
                .fetch_one(db.read())
                .await
                .expect("table");
            assert!(sql.trim_end().ends_with("WITHOUT ROWID"), "{table}: {sql}");
        }
        let outcomes: Vec<(String, String)> =
            sqlx::query_as("SELECT concept, status FROM attempt_concepts WHERE attempt_id = 'a' ORDER BY concept")
                .fetch_all(db.read())
                .await
                .expect("outcomes");
        assert_eq!(outcomes, [("cache".to_string(), "missed".to_string()), ("layers".into(), "covered".into())]);
        let due: i64 = sqlx::query_scalar("SELECT due_at FROM schedules WHERE user_id = 'u' AND question_id = 'q'")
            .fetch_one(db.read())
            .await
            .expect("schedule");
        assert_eq!(due, 172_800_001);

        // The tallies carry on from where they were.
        let results = batch(&store, vec![pending("u", None, "q", None)]).await;
        assert!(results[0].is_ok(), "{results:?}");
        let tallies: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT concept, seen, misses FROM concept_stats WHERE user_id = 'u' ORDER BY concept")
                .fetch_all(db.read())
                .await
                .expect("tallies");
        assert_eq!(tallies, [("cache".to_string(), 3, 3), ("layers".to_string(), 4, 1)]);
    }
}
