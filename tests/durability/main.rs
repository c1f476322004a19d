//! The real binary under load, killed, stopped and backed up: what a user has been told
//! is saved must still be there afterwards.
// Signals are sent with libc::kill.
#![cfg(unix)]
mod backup;
mod logs;
mod replicas;
mod server;
mod shutdown;
#[path = "../support/postgres.rs"]
mod support;

use server::{answer_until_failure, integrity, logged_in, open, Ack, Run, Server};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const USERS: usize = 4;
const ROUNDS: usize = 3;

/// Runs `USERS` clients answering concurrently for about `load`; returns the server
/// (still running) and the clients' tasks.
pub(crate) async fn load(
    server: &Server,
    users: &[String],
    new: bool,
) -> (Arc<AtomicBool>, Vec<tokio::task::JoinHandle<Run>>) {
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for name in users {
        let client = logged_in(&server.address, name, new).await;
        tasks.push(tokio::spawn(answer_until_failure(server.address.clone(), client, name.clone(), stop.clone())));
    }
    (stop, tasks)
}

/// Every acknowledged answer, looked up through the API of a running server.
pub(crate) async fn missing_through_the_api(server: &Server, acks: &[Ack]) -> Vec<Ack> {
    let mut by_user: HashMap<&str, Vec<&Ack>> = HashMap::new();
    for a in acks {
        by_user.entry(&a.username).or_default().push(a);
    }
    let mut missing = Vec::new();
    for (user, acks) in by_user {
        let client = logged_in(&server.address, user, false).await;
        let interviews: HashSet<&str> = acks.iter().map(|a| a.interview.as_str()).collect();
        let mut stored: HashMap<String, String> = HashMap::new();
        for interview in interviews {
            let body: serde_json::Value = client
                .get(server.url(&format!("/api/v1/interviews/{interview}")))
                .send()
                .await
                .expect("request")
                .json()
                .await
                .expect("interview JSON");
            for a in body["attempts"].as_array().expect("attempts") {
                stored.insert(a["id"].as_str().expect("id").into(), a["answer"].as_str().expect("answer").into());
            }
        }
        missing.extend(acks.into_iter().filter(|a| stored.get(&a.attempt) != Some(&a.answer)).cloned());
    }
    missing
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_answer_survives_sigkill_and_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("rehearse.db");
    let users: Vec<String> = (0..USERS).map(|i| format!("learner{i}")).collect();
    let mut acknowledged: Vec<Ack> = Vec::new();

    for round in 0..ROUNDS {
        let server = Server::start(&db, &[]);
        if round > 0 {
            let missing = missing_through_the_api(&server, &acknowledged).await;
            assert!(missing.is_empty(), "round {round}: acknowledged answers missing after restart: {missing:?}");
        }

        // Arrange: concurrent learners answering through the real API.
        let (stop, tasks) = load(&server, &users, round == 0).await;
        let started = Instant::now();
        let before = acknowledged.len();
        // Act: kill -9 once answers are flowing (at least a second, and a few answers in).
        tokio::time::sleep(Duration::from_millis(1000 + 250 * round as u64)).await;
        let log = server.log_text();
        server.kill();
        let killed_after = started.elapsed();
        stop.store(true, Ordering::SeqCst);
        let mut cut_off = 0;
        for task in tasks {
            let run = task.await.expect("client task");
            cut_off += usize::from(run.cut_off);
            acknowledged.extend(run.acks);
        }
        let this_round = acknowledged.len() - before;
        assert!(this_round >= USERS, "round {round}: too few answers to mean anything ({this_round}); log:\n{log}");

        // Assert: the file is sound and holds every acknowledged answer.
        let pool = open(&db).await;
        assert_eq!(integrity(&pool).await, "ok", "round {round}: integrity_check");
        let mut lost = 0;
        for a in &acknowledged {
            let stored: Option<String> = sqlx::query_scalar("SELECT answer FROM attempts WHERE id = ?")
                .bind(&a.attempt)
                .fetch_optional(&pool)
                .await
                .expect("query");
            if stored.as_deref() != Some(a.answer.as_str()) {
                lost += 1;
            }
        }
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&pool).await.expect("count");
        pool.close().await;
        println!(
            "SIGKILL round {}: killed after {:.1} s; acknowledged {this_round} this round, {} in all; \
             {cut_off} answers cut off unacknowledged; lost {lost}; {rows} attempt rows stored",
            round + 1,
            killed_after.as_secs_f64(),
            acknowledged.len(),
        );
        assert_eq!(lost, 0, "round {round}: acknowledged answers lost");
    }

    // A last restart shows the history through the API, and stops cleanly.
    let mut server = Server::start(&db, &["--shutdown-drain", "0"]);
    let missing = missing_through_the_api(&server, &acknowledged).await;
    assert!(missing.is_empty(), "after the last restart: {missing:?}");
    server.signal(libc::SIGTERM);
    let status = server.wait_for_exit(Duration::from_secs(20)).expect("exits after SIGTERM");
    assert!(status.success(), "clean exit: {status:?}");
}
