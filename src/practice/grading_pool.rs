//! The grading threads: a fixed set (as many as the cores, at least two) fed through a
//! queue.
//!
//! Grading an answer takes tens of microseconds (a couple of milliseconds for the
//! longest), so it runs off the async workers, but not on tokio's blocking pool: under a
//! classroom's load that pool grew to a thread per answer in flight, each with its own
//! allocator arena, which cost megabytes of memory that were never given back. A few
//! threads that are always there bound that, and an answer's grading waits for one for
//! microseconds. At least two, so the one stateless `/grade` allowed at a time (see
//! `Practice::gradings`) always leaves a thread to learners' answers.
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, OnceLock};

use super::Error;

type Job = Box<dyn FnOnce() + Send>;

fn threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).max(2)
}

fn queue() -> Result<&'static Sender<Job>, Error> {
    static QUEUE: OnceLock<Sender<Job>> = OnceLock::new();
    static START: Mutex<()> = Mutex::new(());
    if let Some(queue) = QUEUE.get() {
        return Ok(queue);
    }
    let _one_at_a_time = START.lock().map_err(|_| Error::Unexpected(anyhow::anyhow!("grading threads poisoned")))?;
    if let Some(queue) = QUEUE.get() {
        return Ok(queue);
    }
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = Arc::new(Mutex::new(rx));
    for i in 0..threads() {
        let rx = Arc::clone(&rx);
        std::thread::Builder::new()
            .name(format!("grading-{i}"))
            .spawn(move || loop {
                // The lock is held only while taking the next job.
                let job = match rx.lock() {
                    Ok(queue) => queue.recv(),
                    Err(_) => return,
                };
                match job {
                    // A panicking grader drops its reply (the caller gets an error);
                    // the thread carries on with the next job.
                    Ok(job) => drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))),
                    Err(_) => return,
                }
            })
            .map_err(|e| Error::Unexpected(anyhow::anyhow!("cannot start a grading thread: {e}")))?;
    }
    Ok(QUEUE.get_or_init(|| tx))
}

/// Runs `work` on a grading thread, inside the caller's span, and waits for it without
/// holding an async worker.
pub(crate) async fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let span = tracing::Span::current();
    let job: Job = Box::new(move || {
        let out = span.in_scope(work);
        let _ = tx.send(out);
    });
    queue()?.send(job).map_err(|_| Error::Unexpected(anyhow::anyhow!("the grading threads have stopped")))?;
    rx.await.map_err(|_| Error::Unexpected(anyhow::anyhow!("grading stopped (the grader panicked)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_a_grading_thread_and_a_panic_fails_only_its_own_request() {
        let name = run(|| std::thread::current().name().map(str::to_string)).await.expect("ran");
        assert!(name.is_some_and(|n| n.starts_with("grading-")), "ran on a grading thread");

        let panicked = run(|| -> u32 { panic!("a grader bug") }).await;
        assert!(matches!(panicked, Err(Error::Unexpected(_))), "the caller hears of it");
        // Every thread is still there to take the next jobs.
        for _ in 0..threads() * 2 {
            assert_eq!(run(|| 6 * 7).await.expect("still grading"), 42);
        }
    }
}
