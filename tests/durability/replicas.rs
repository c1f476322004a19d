//! Two replicas on one PostgreSQL database, as `deploy/k8s/replicas` runs them: a user
//! is the same user whichever one answers (session, history, schedule, groups), and
//! killing one mid-load loses no answer it acknowledged.
use crate::server::{client, logged_in, Server, PASSWORD};
use crate::support::Cluster;
use crate::{load, missing_through_the_api};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::time::Duration;

async fn get(client: &reqwest::Client, server: &Server, path: &str) -> (u16, Value) {
    let response = client.get(server.url(path)).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn post(client: &reqwest::Client, server: &Server, path: &str, body: Value) -> (u16, Value) {
    let response = client.post(server.url(path)).json(&body).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_one_postgres_database_serve_the_same_user_and_a_killed_one_loses_nothing() {
    let Some(cluster) = Cluster::start_or_skip() else { return };
    let url = cluster.create_database("replicas");
    let dir = tempfile::tempdir().expect("dir");
    let a = Server::start_on(&url, dir.path().join("a.log"), &[]);
    let b = Server::start_on(&url, dir.path().join("b.log"), &[]);

    // Session: signed up on A, the same cookie is a session on B. (Cookies are kept per
    // host, not per port, so one client talks to both as one browser would through a
    // load balancer.)
    let ada = logged_in(&a.address, "ada", true).await;
    let (status, me) = get(&ada, &b, "/api/v1/me").await;
    assert_eq!((status, me["username"].as_str()), (200, Some("ada")), "B knows A's session: {me}");

    // History: an interview started on A is answered on B, then on A again.
    let (status, started) = post(&ada, &a, "/api/v1/interviews", json!({"count": 3})).await;
    assert_eq!(status, 201, "{started}");
    let interview = started["id"].as_str().expect("id").to_string();
    let mut question = started["question"]["id"].as_str().expect("question").to_string();
    for server in [&b, &a] {
        let (status, graded) = post(
            &ada,
            server,
            &format!("/api/v1/interviews/{interview}/answers"),
            json!({"question_id": question, "answer": "A pod is one or more containers scheduled together."}),
        )
        .await;
        assert_eq!(status, 200, "answered on {}: {graded}", server.address);
        question = graded["next"]["id"].as_str().expect("a next question").to_string();
    }
    for path in ["/api/v1/me/history", "/api/v1/me/topics", &format!("/api/v1/interviews/{interview}")] {
        let (status_a, on_a) = get(&ada, &a, path).await;
        let (status_b, on_b) = get(&ada, &b, path).await;
        assert_eq!((status_a, status_b), (200, 200), "{path}");
        assert_eq!(on_a, on_b, "{path} reads the same on both replicas");
    }
    let (_, on_a) = get(&ada, &a, &format!("/api/v1/interviews/{interview}")).await;
    assert_eq!(on_a["attempts"].as_array().map(Vec::len), Some(2), "both answers, from both replicas: {on_a}");
    // Schedule: the same next review on both (the recall probabilities move with the
    // clock, so they are not compared).
    let (_, due_a) = get(&ada, &a, "/api/v1/me/due").await;
    let (_, due_b) = get(&ada, &b, "/api/v1/me/due").await;
    assert!(due_a["next_due_at"].is_i64(), "the answered questions are scheduled: {due_a}");
    assert_eq!(due_a["next_due_at"], due_b["next_due_at"], "one schedule");

    // Groups: made on A, joined on B, listed with both members on A.
    let (status, group) = post(&ada, &a, "/api/v1/groups", json!({"name": "Replicas"})).await;
    assert_eq!(status, 201, "{group}");
    let bea = logged_in(&b.address, "bea", true).await;
    let (status, joined) = post(&bea, &b, "/api/v1/groups/join", json!({"code": group["invite_code"]})).await;
    assert_eq!(status, 200, "{joined}");
    let (_, seen) = get(&ada, &a, &format!("/api/v1/groups/{}", group["id"].as_str().expect("id"))).await;
    let members: Vec<&str> =
        seen["members"].as_array().expect("members").iter().filter_map(|m| m["username"].as_str()).collect();
    assert_eq!(members.len(), 2, "{seen}");

    // Logging out on B ends the session on A too.
    let (status, _) = post(&bea, &b, "/api/v1/logout", json!({})).await;
    assert!(status < 300, "logout: {status}");
    assert_eq!(get(&bea, &a, "/api/v1/me").await.0, 401, "a revoked session is revoked on every replica");

    // Killing A mid-load loses no acknowledged answer: learners answer on both, A is
    // killed, and B still has every answer either replica acknowledged.
    let on_a: Vec<String> = (0..2).map(|i| format!("alpha{i}")).collect();
    let on_b: Vec<String> = (0..2).map(|i| format!("beta{i}")).collect();
    let (stop_a, tasks_a) = load(&a, &on_a, true).await;
    let (stop_b, tasks_b) = load(&b, &on_b, true).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    a.kill();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop_a.store(true, Ordering::SeqCst);
    stop_b.store(true, Ordering::SeqCst);
    let mut acks = Vec::new();
    for task in tasks_a.into_iter().chain(tasks_b) {
        acks.extend(task.await.expect("client task").acks);
    }
    assert!(acks.len() > 20, "the load got going before the kill: {} answers", acks.len());
    let missing = missing_through_the_api(&b, &acks).await;
    assert!(missing.is_empty(), "{} of {} acknowledged answers missing: {missing:?}", missing.len(), acks.len());
    eprintln!("replicas: {} acknowledged answers, 0 lost after killing one replica", acks.len());

    // The survivor still serves a fresh login.
    let fresh = client();
    let response =
        fresh.post(b.url("/api/v1/login")).json(&json!({"username": "ada", "password": PASSWORD})).send().await;
    assert_eq!(response.expect("login").status(), 200);
}
