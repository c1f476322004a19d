//! `rehearse backup` while the server is running and writing; restoring the copy.
use crate::load;
use crate::missing_through_the_api;
use crate::server::{database_url, integrity, open, rehearse, Ack, Server};
use std::sync::atomic::Ordering;
use std::time::Duration;

async fn run_backup(db: &std::path::Path, to: &std::path::Path) -> std::process::Output {
    let (url, to) = (database_url(db), to.to_path_buf());
    tokio::task::spawn_blocking(move || rehearse().arg("backup").arg(&to).args(["--database", &url]).output())
        .await
        .expect("join")
        .expect("rehearse backup runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_under_load_is_sound_holds_what_was_acknowledged_and_restores() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("rehearse.db");
    let copy = dir.path().join("backup.db");
    let users: Vec<String> = (0..3).map(|i| format!("backer{i}")).collect();
    let mut server = Server::start(&db, &["--shutdown-drain", "0"]);

    // Arrange: answers acknowledged before the backup starts...
    let (stop, tasks) = load(&server, &users, true).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    stop.store(true, Ordering::SeqCst);
    let mut before: Vec<Ack> = Vec::new();
    for task in tasks {
        before.extend(task.await.expect("client").acks);
    }
    assert!(!before.is_empty(), "answers were acknowledged");

    // Act: ...and a backup taken while more answers are being written.
    let (stop, tasks) = load(&server, &users, false).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let output = run_backup(&db, &copy).await;
    stop.store(true, Ordering::SeqCst);
    let mut during = 0;
    for task in tasks {
        during += task.await.expect("client").acks.len();
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "backup: {}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("integrity ok"), "{stdout}");
    assert!(during > 0, "the server was writing during the backup");

    // Assert: the copy is sound and holds every answer acknowledged before it started.
    let pool = open(&copy).await;
    assert_eq!(integrity(&pool).await, "ok");
    for a in &before {
        let stored: Option<String> = sqlx::query_scalar("SELECT answer FROM attempts WHERE id = ?")
            .bind(&a.attempt)
            .fetch_optional(&pool)
            .await
            .expect("query");
        assert_eq!(stored.as_deref(), Some(a.answer.as_str()), "{a:?} in the backup");
    }
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&pool).await.expect("count");
    pool.close().await;
    println!("backup under load: {} acknowledged before, {during} during, {rows} in the copy", before.len());

    // A second backup to the same file is refused and leaves it alone.
    let size = std::fs::metadata(&copy).expect("copy").len();
    let again = run_backup(&db, &copy).await;
    assert!(!again.status.success(), "overwriting is refused");
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already exists") && stderr.contains("backup.db"), "{stderr}");
    assert_eq!(std::fs::metadata(&copy).expect("copy").len(), size, "the existing file is untouched");

    // Restore as the README says: stop the server, copy the backup over the database, start.
    server.signal(libc::SIGTERM);
    assert!(server.wait_for_exit(Duration::from_secs(15)).expect("stops").success());
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::copy(&copy, &db).expect("restore");
    let restored = Server::start(&db, &[]);
    let missing = missing_through_the_api(&restored, &before).await;
    assert!(missing.is_empty(), "history after restoring: {missing:?}");
}

#[tokio::test]
async fn a_backup_of_a_database_that_does_not_exist_fails_clearly_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, copy) = (dir.path().join("typo.db"), dir.path().join("backup.db"));
    let output = run_backup(&db, &copy).await;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot open database") && stderr.contains("typo.db"), "{stderr}");
    assert!(!db.exists() && !copy.exists(), "neither the database nor a backup was created");
}
