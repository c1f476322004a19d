//! What the real binary writes to its log when clients misbehave.
use crate::server::Server;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Malformed requests get a 400 and leave no ERROR line: the server is fine, and an
/// operator's log should not say otherwise (a probe's garbage used to add one each).
#[tokio::test]
async fn malformed_requests_get_400_and_leave_no_error_in_the_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&dir.path().join("rehearse.db"), &[]);
    let host = server.address.trim_start_matches("http://").to_string();
    let garbage: [&[u8]; 3] = [
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"GARBAGE\x01\x02 /\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    ];
    for request in garbage {
        let mut stream = TcpStream::connect(&host).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
        stream.write_all(request).expect("send");
        let mut reply = Vec::new();
        let _ = stream.read_to_end(&mut reply);
        let reply = String::from_utf8_lossy(&reply);
        assert!(reply.starts_with("HTTP/1.1 400"), "{request:?} -> {reply}");
    }
    let ok = reqwest::get(server.url("/health")).await.expect("health");
    assert_eq!(ok.status(), 200, "still serving");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let log = server.log_text();
    assert!(!log.contains("ERROR"), "{log}");
    assert!(log.contains("INFO"), "the log is written: {log}");
}
