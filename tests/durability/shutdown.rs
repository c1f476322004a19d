//! SIGTERM: `/ready` says 503 at once, a request already under way is answered, and the
//! process exits with status 0 within the grace period.
use crate::server::Server;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const DRAIN_SECONDS: u64 = 2;
const TIMEOUT_SECONDS: u64 = 10;

/// A client that opens a new connection per request: an idle kept-alive connection
/// would hold the server's graceful stop open for no reason of the server's.
fn one_shot() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(0).timeout(Duration::from_secs(5)).build().expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_turns_ready_off_finishes_the_request_in_flight_and_exits_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("rehearse.db");
    let drain = DRAIN_SECONDS.to_string();
    let timeout = TIMEOUT_SECONDS.to_string();
    let mut server = Server::start(&db, &["--shutdown-drain", &drain, "--shutdown-timeout", &timeout]);
    let client = one_shot();
    assert_eq!(client.get(server.url("/ready")).send().await.expect("ready").status(), 200);

    // Arrange: a sign-up whose body is only half sent, so it is in flight for as long as
    // the test wants.
    let body = serde_json::json!({"username": "in-flight", "password": "correct horse battery"}).to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let host = server.address.trim_start_matches("http://").to_string();
    let mut in_flight = TcpStream::connect(&host).expect("connect");
    write!(
        in_flight,
        "POST /api/v1/register HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    )
    .expect("send half");
    in_flight.flush().expect("flush");
    tokio::time::sleep(Duration::from_millis(200)).await;

    // Act: SIGTERM.
    server.signal(libc::SIGTERM);
    let signalled = Instant::now();

    // Assert: readiness turns off at once (the signal is delivered asynchronously, so
    // allow it a moment, well within the drain), while the server still answers.
    let ready = loop {
        let ready = client.get(server.url("/ready")).send().await.expect("ready answers during the drain");
        if ready.status() != 200 || signalled.elapsed() > Duration::from_millis(1000) {
            break ready;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(ready.status(), 503, "/ready after SIGTERM");
    let ready: serde_json::Value = ready.json().await.expect("JSON");
    assert_eq!(ready["status"], "shutting down");
    assert_eq!(client.get(server.url("/health")).send().await.expect("health").status(), 200, "still alive");

    // Once the drain is over the listener closes: new connections are refused...
    let deadline = signalled + Duration::from_secs(DRAIN_SECONDS + 5);
    while TcpStream::connect(&host).is_ok() {
        assert!(Instant::now() < deadline, "listener still open {:?} after SIGTERM", signalled.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let closed_after = signalled.elapsed();
    assert!(closed_after >= Duration::from_secs(DRAIN_SECONDS) - Duration::from_millis(100), "{closed_after:?}");

    // ...but the request in flight is still answered in full.
    in_flight.write_all(rest.as_bytes()).expect("send the rest");
    let mut response = String::new();
    in_flight.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
    in_flight.read_to_string(&mut response).expect("response");
    assert!(response.starts_with("HTTP/1.1 201"), "in-flight request answered: {response}");
    assert!(response.contains("in-flight"), "with the account created: {response}");

    let status = server.wait_for_exit(Duration::from_secs(TIMEOUT_SECONDS)).expect("exits within the grace period");
    println!("SIGTERM: listener closed after {closed_after:?}, exited after {:?}", signalled.elapsed());
    assert_eq!(status.code(), Some(0), "exit status; log:\n{}", server.log_text());
    assert!(server.log_text().contains("shutting down"), "the shutdown is logged");
    let wal = format!("{}-wal", db.display());
    assert!(!std::path::Path::new(&wal).exists(), "the database was closed and its log checkpointed");
}

#[tokio::test]
async fn ctrl_c_skips_the_drain_and_exits_zero_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("rehearse.db");
    let mut server = Server::start(&db, &["--shutdown-drain", "30"]);
    assert_eq!(one_shot().get(server.url("/health")).send().await.expect("health").status(), 200);

    server.signal(libc::SIGINT);
    let signalled = Instant::now();

    let status = server.wait_for_exit(Duration::from_secs(10)).expect("exits long before the 30 s drain");
    assert_eq!(status.code(), Some(0), "log:\n{}", server.log_text());
    println!("SIGINT: exited after {:?}", signalled.elapsed());
    assert!(!std::path::Path::new(&format!("{}-wal", db.display())).exists(), "the database was closed cleanly");
}
