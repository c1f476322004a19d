//! Every JSON endpoint refuses a body it cannot read (400) in the API's error shape;
//! nothing is created from a broken body.
use serde_json::{json, Value};

use crate::helpers::{json_of, spawn_app, spawn_app_with, TestApp};

async fn send_raw(app: &TestApp, path: &str, content_type: Option<&str>, body: &'static str) -> reqwest::Response {
    let mut request = app.client.post(app.url(path)).body(body);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    request.send().await.expect("request")
}

async fn interviews_stored(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM interviews").fetch_one(&app.db().await).await.expect("count")
}

async fn assert_bad_request(response: reqwest::Response, case: &str) -> Value {
    assert_eq!(response.status(), 400, "{case}");
    let body = json_of(response).await;
    assert_eq!(body["error"]["code"], "bad_request", "{case}: {body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{case}: {body}");
    body
}

#[tokio::test]
async fn a_broken_body_never_starts_a_default_interview() {
    let app = spawn_app().await;
    app.signed_up().await;
    let json = Some("application/json");
    let cases = [
        (json, "{\"count\": 3", "JSON", "truncated JSON"),
        (json, "{\"count\": \"three\"}", "three", "count of the wrong type"),
        (json, "{\"count\": -1}", "-1", "negative count"),
        (json, "{\"topics\": \"docker\"}", "docker", "topics not a list"),
        (json, "{\"cuont\": 3}", "cuont", "misspelt field"),
        (json, "[3]", "JSON", "not an object"),
    ];
    for (content_type, body, expected, case) in cases {
        let response = send_raw(&app, "/api/v1/interviews", content_type, body).await;
        let error = assert_bad_request(response, case).await;
        let message = error["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(expected), "{case}: {message}");
    }
    // A body not declared as JSON is refused before it is read (415, see below).
    for (content_type, case) in [(Some("text/plain"), "not sent as JSON"), (None, "no content type")] {
        let response = send_raw(&app, "/api/v1/interviews", content_type, "{\"count\": 3}").await;
        assert_eq!(response.status(), 415, "{case}");
        let error = json_of(response).await;
        assert!(error["error"]["message"].as_str().unwrap_or("").contains("Content-Type"), "{case}: {error}");
    }
    assert_eq!(interviews_stored(&app).await, 0, "no interview was started from a broken body");

    let valid = send_raw(&app, "/api/v1/interviews", json, "{\"count\": 2}").await;
    assert_eq!(valid.status(), 201, "a valid body still works");
    assert_eq!(json_of(valid).await["count"], 2);
    let empty_object = send_raw(&app, "/api/v1/interviews", json, "{}").await;
    assert_eq!(empty_object.status(), 201, "every field is optional");
    let no_body = app.client.post(app.url("/api/v1/interviews")).send().await.expect("request");
    assert_eq!(no_body.status(), 201, "no body at all is a default interview");
    assert_eq!(json_of(no_body).await["count"], 5);
    assert_eq!(interviews_stored(&app).await, 3);
}

#[tokio::test]
async fn every_json_endpoint_refuses_malformed_or_misshapen_bodies() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 1})).await).await;
    let id = started["id"].as_str().expect("id");
    let qid = started["question"]["id"].as_str().expect("question");
    let answers = format!("/api/v1/interviews/{id}/answers");
    let follow_ups = format!("/api/v1/interviews/{id}/follow-ups");
    let valid_answer = json!({"question_id": qid, "answer": "a pod runs containers"});
    let cases = [
        ("/api/v1/register", json!({"username": "dora", "password": "correct horse", "admin": true})),
        ("/api/v1/register", json!({"username": "dora", "password": 12345678})),
        ("/api/v1/login", json!({"username": "dora", "pasword": "correct horse"})),
        (answers.as_str(), json!({"question_id": qid, "answer": "a pod", "time_taken": 4200})),
        (answers.as_str(), json!({"question_id": qid, "answer": "a pod", "time_taken_ms": "4s"})),
        (answers.as_str(), json!({"question_id": qid, "answer": "a pod", "retry": "yes"})),
        (answers.as_str(), json!({"question_id": qid})),
        (follow_ups.as_str(), json!({"attempt_id": "x", "answer": "a pod", "extra": 1})),
        (follow_ups.as_str(), json!({"answer": "a pod"})),
        ("/api/v1/grade", json!({"reference": "r", "answer": "a", "keyword": ["pod"]})),
        ("/api/v1/grade", json!({"reference": "r", "answer": "a", "keywords": "pod"})),
    ];
    for (path, body) in cases {
        let case = format!("POST {path} {body}");
        assert_bad_request(app.post_json(path, &body).await, &case).await;
    }
    for path in ["/api/v1/register", "/api/v1/login", &answers, &follow_ups, "/api/v1/grade"] {
        let response = send_raw(&app, path, Some("application/json"), "{\"answer\": ").await;
        let body = assert_bad_request(response, &format!("truncated JSON to {path}")).await;
        assert!(body["error"]["message"].as_str().unwrap_or("").contains("JSON"), "{path}: {body}");
    }
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(stored, 0, "no answer was stored from a broken body");
    assert_eq!(app.post_json(&answers, &valid_answer).await.status(), 200, "the question can still be answered");
}

/// Writes must say they are JSON: anything else is 415 before the body is read (a form
/// on another site can only send url-encoded, multipart or plain text bodies).
#[tokio::test]
async fn api_writes_must_be_json() {
    let app = spawn_app().await;
    app.signed_up().await;
    let body = r#"{"topics": ["docker"], "count": 1}"#;
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
        let response = app
            .client
            .post(app.url("/api/v1/interviews"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");

        assert_eq!(response.status(), 415, "{content_type}");
        let error = json_of(response).await;
        assert_eq!(error["error"]["code"], "unsupported_media_type", "{content_type}");
        assert!(error["error"]["message"].as_str().unwrap_or("").contains("application/json"), "{error}");
    }
    let untyped = app.client.post(app.url("/api/v1/login")).body(r#"{"username": "x", "password": "y"}"#);
    assert_eq!(untyped.send().await.expect("request").status(), 415, "a body with no type");
    let plain_logout = app.client.post(app.url("/api/v1/logout")).header("content-type", "text/plain").body("");
    assert_eq!(plain_logout.send().await.expect("request").status(), 415, "a text/plain write, even empty");
    assert_eq!(app.get("/api/v1/me").await.status(), 200, "so it logged nobody out");

    let json = app
        .client
        .post(app.url("/api/v1/interviews"))
        .header("content-type", "application/json; charset=utf-8")
        .body(body);
    assert_eq!(json.send().await.expect("request").status(), 201, "JSON works, with a charset too");
    let bare = app.client.post(app.url("/api/v1/logout")).send().await.expect("request");
    assert_eq!(bare.status(), 204, "a write with no body needs no type");
}

/// Sends `head` then `body` (after `pause`) on a raw connection and returns what the
/// server answers, within 15 s.
fn raw_exchange(address: &str, head: String, body: &'static [u8], pause: std::time::Duration) -> String {
    use std::io::{Read, Write};
    let host = address.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    stream.set_read_timeout(Some(std::time::Duration::from_secs(15))).expect("timeout");
    stream.write_all(head.as_bytes()).expect("head");
    std::thread::sleep(pause);
    stream.write_all(body).expect("body");
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    // Read until the server closes or the response's body has come (it is small).
    while let Ok(n) = stream.read(&mut chunk) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&answer);
        if text.contains("\r\n\r\n") && (text.contains("in time") || text.contains("\"username\"")) {
            break;
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_body_that_trickles_in_gets_408_and_a_slow_but_whole_one_is_served() {
    let app = spawn_app_with(|s| s.body_timeout = std::time::Duration::from_secs(1)).await;
    let address = app.address.clone();
    // The headers promise 200 bytes; 20 come, then nothing: 408 and a closed connection,
    // on the API (JSON) and on a form (HTML) alike.
    let started = std::time::Instant::now();
    let api_head =
        "POST /api/v1/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n";
    let form_head =
        "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n";
    let (api, form) = tokio::task::spawn_blocking(move || {
        let api = raw_exchange(&address, api_head.to_string(), b"{\"username\": \"slow\",", Default::default());
        let form = raw_exchange(&address, form_head.to_string(), b"username=slow&pass", Default::default());
        (api, form)
    })
    .await
    .expect("thread");
    for (what, answer) in [("API", &api), ("form", &form)] {
        assert!(answer.starts_with("HTTP/1.1 408"), "{what}: {answer}");
        assert!(answer.to_ascii_lowercase().contains("connection: close"), "{what}: {answer}");
        assert!(answer.contains("did not arrive in time"), "{what}: {answer}");
    }
    assert!(api.contains("application/json"), "{api}");
    assert!(form.contains("text/html"), "{form}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "refused at the deadline, not later");

    // A whole body that comes a little late, within the deadline, is served as usual.
    let address = app.address.clone();
    let body: &'static [u8] = b"{\"username\": \"patient\", \"password\": \"correct horse battery\"}";
    let head = format!(
        "POST /api/v1/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let answer =
        tokio::task::spawn_blocking(move || raw_exchange(&address, head, body, std::time::Duration::from_millis(300)))
            .await
            .expect("thread");
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(stored, 1, "only the whole body made an account");
}
