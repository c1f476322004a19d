//! `GET /metrics` (Prometheus text format) and the `X-Request-Id` header.
use rehearse::configuration::{Limits, Settings};
use rehearse::startup::Application;
use serde_json::json;
use std::collections::BTreeMap;

use crate::helpers::{json_of, reference_of, spawn_app, spawn_app_with, TestApp};

/// One sample of the exposition: metric name, labels, value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Parses Prometheus' text format as a scraper would; a line it cannot read fails the test.
fn parse(text: &str) -> Vec<Sample> {
    let mut samples = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value in {line:?}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("value is not a number in {line:?}"));
        let (name, labels) = match series.split_once('{') {
            None => (series.to_string(), BTreeMap::new()),
            Some((name, rest)) => {
                let body = rest.strip_suffix('}').unwrap_or_else(|| panic!("unclosed labels in {line:?}"));
                let mut labels = BTreeMap::new();
                // Label values here never hold `",` (route patterns, codes, kinds).
                for pair in body.split("\",").map(|p| p.trim_end_matches('"')).filter(|p| !p.is_empty()) {
                    let (key, value) =
                        pair.split_once("=\"").unwrap_or_else(|| panic!("bad label {pair:?} in {line:?}"));
                    labels.insert(key.to_string(), value.to_string());
                }
                (name.to_string(), labels)
            }
        };
        samples.push(Sample { name, labels, value });
    }
    samples
}

async fn scrape(app: &TestApp) -> Vec<Sample> {
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200, "/metrics is served");
    let kind = response.headers()["content-type"].to_str().expect("ascii").to_string();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "Prometheus text format, not {kind}");
    parse(&response.text().await.expect("body"))
}

/// The value of the one sample with this name and these labels (0 when absent).
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .filter(|s| s.name == name && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v)))
        .map(|s| s.value)
        .sum()
}

#[tokio::test]
async fn requests_are_counted_by_route_pattern_and_status_with_latency() {
    // Arrange: a learner starts an interview and answers, and reads it back twice.
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 2})).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let question = started["question"]["id"].as_str().expect("question").to_string();
    assert_eq!(app.answer(&id, &question, &reference_of(&question)).await.status(), 200);
    for _ in 0..2 {
        assert_eq!(app.get(&format!("/api/v1/interviews/{id}")).await.status(), 200);
    }
    assert_eq!(app.get("/no/such/page").await.status(), 404);

    // Act
    let samples = scrape(&app).await;

    // Assert: counted under the pattern, never under the path with the id.
    let requests = "rehearse_http_requests_total";
    let show = [("method", "GET"), ("route", "/api/v1/interviews/{id}"), ("status", "200")];
    assert_eq!(value(&samples, requests, &show), 2.0, "both reads counted under the pattern");
    let answered = [("method", "POST"), ("route", "/api/v1/interviews/{id}/answers"), ("status", "200")];
    assert_eq!(value(&samples, requests, &answered), 1.0, "the answer counted");
    assert_eq!(value(&samples, requests, &[("route", "unmatched"), ("status", "404")]), 1.0, "404 not by path");
    assert_eq!(value(&samples, requests, &[("route", "/api/v1/register"), ("status", "201")]), 1.0);
    for sample in samples.iter().filter(|s| s.name == requests) {
        let route = &sample.labels["route"];
        assert!(!route.contains(&id) && !route.contains("/no/such"), "a raw path leaked into a label: {sample:?}");
    }
    let latency = [("method", "POST"), ("route", "/api/v1/interviews/{id}/answers")];
    assert_eq!(value(&samples, "rehearse_http_request_duration_seconds_count", &latency), 1.0, "latency observed");
    let inf = [("method", "POST"), ("route", "/api/v1/interviews/{id}/answers"), ("le", "+Inf")];
    assert_eq!(value(&samples, "rehearse_http_request_duration_seconds_bucket", &inf), 1.0, "histogram buckets");
    assert_eq!(value(&samples, "rehearse_grading_duration_seconds_count", &[("kind", "answer")]), 1.0, "one grading");
    assert!(value(&samples, "rehearse_grading_duration_seconds_sum", &[("kind", "answer")]) > 0.0, "its time");
}

#[tokio::test]
async fn wrong_logins_and_limited_requests_are_counted() {
    let app = spawn_app_with(|s| {
        s.limits =
            Limits { answers_per_minute: 4, interviews_per_minute: 4, gradings_per_minute: 4, ..Limits::default() };
    })
    .await;
    let name = app.signed_up().await;
    assert_eq!(app.login(&name, "not the password at all").await.status(), 401);
    let form = [("username", name.as_str()), ("password", "still not it"), ("next", "/")];
    assert_eq!(app.post_form("/login", &form).await.status(), 401);
    // The burst is a quarter of four a minute: the second new interview is refused.
    let statuses = [app.start_interview(&json!({})).await.status(), app.start_interview(&json!({})).await.status()];
    assert_eq!(statuses.map(|s| s.as_u16()), [201, 429], "the limit refuses the second");

    let samples = scrape(&app).await;

    assert_eq!(value(&samples, "rehearse_login_failures_total", &[]), 2.0, "API and form login both counted");
    assert_eq!(value(&samples, "rehearse_rate_limited_total", &[("route", "/api/v1/interviews")]), 1.0);
}

#[tokio::test]
async fn every_response_carries_its_own_request_id() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for path in ["/health", "/health", "/no/such/page", "/static/app.css"] {
        let response = app.get(path).await;
        let id = response.headers().get("x-request-id").unwrap_or_else(|| panic!("{path}: no X-Request-Id"));
        let id = id.to_str().expect("ascii").to_string();
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{path}: {id:?} is a UUID");
        ids.push(id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "a new id for every request");
}

#[tokio::test]
async fn with_a_metrics_address_the_app_port_no_longer_serves_metrics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings::for_database(format!("sqlite://{}", dir.path().join("test.db").display()));
    settings.metrics_bind = Some("127.0.0.1:0".into());
    let app = Application::build(settings).await.expect("app builds");
    let (port, metrics_port) = (app.port(), app.metrics_port().expect("a metrics listener"));
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();

    assert_eq!(client.get(format!("http://127.0.0.1:{port}/health")).send().await.expect("health").status(), 200);
    let on_app = client.get(format!("http://127.0.0.1:{port}/metrics")).send().await.expect("request");
    let on_own = client.get(format!("http://127.0.0.1:{metrics_port}/metrics")).send().await.expect("request");

    assert_eq!(on_app.status(), 404, "not beside the app any more");
    assert_eq!(on_own.status(), 200, "served on its own listener");
    let samples = parse(&on_own.text().await.expect("body"));
    let health = [("route", "/health"), ("status", "200")];
    assert_eq!(value(&samples, "rehearse_http_requests_total", &health), 1.0, "the app's requests are counted there");
}

#[tokio::test]
async fn database_connections_queued_answers_and_active_sessions_are_sampled() {
    let app = spawn_app().await;
    // Sampled in the background every five seconds (and once at start): wait for a
    // sample that satisfies `ready`.
    async fn sampled(app: &TestApp, ready: impl Fn(&[Sample]) -> bool) -> Vec<Sample> {
        for _ in 0..40 {
            let samples = scrape(app).await;
            if ready(&samples) {
                return samples;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        scrape(app).await
    }
    // The gauges without labels are exported before the first sample; the pools' appear
    // with it, so wait for those (a scrape can come before the first sample on a busy machine).
    let samples = sampled(&app, |s| s.iter().any(|s| s.name == "rehearse_db_connections")).await;
    for pool in ["reader", "writer"] {
        let open = value(&samples, "rehearse_db_connections", &[("pool", pool)]);
        assert!(open >= 1.0, "the {pool} pool is sampled: {open}");
    }
    assert!(samples.iter().any(|s| s.name == "rehearse_answers_waiting"), "the writer queue is exported");
    assert_eq!(value(&samples, "rehearse_active_sessions", &[]), 0.0, "nobody logged in yet");

    app.signed_up().await;
    let samples = sampled(&app, |s| value(s, "rehearse_active_sessions", &[]) >= 1.0).await;
    assert_eq!(value(&samples, "rehearse_active_sessions", &[]), 1.0, "the new user's session is counted");
}
