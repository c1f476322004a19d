//! Per-user limits on costly requests: a script looping on one account is refused with
//! 429 and `Retry-After`, on the API and the pages, without losing typed text; other
//! users keep their own budget.
use rehearse::configuration::Limits;
use serde_json::{json, Value};

use crate::helpers::{json_of, new_client, spawn_app_with, TestApp};

/// Every limit at 4 a minute: a burst of one, then a wait of about 15 seconds.
async fn tight() -> TestApp {
    spawn_app_with(|s| {
        s.limits = Limits { answers_per_minute: 4, interviews_per_minute: 4, gradings_per_minute: 4 };
    })
    .await
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds")
}

async fn assert_limited(response: reqwest::Response, what: &str) {
    assert_eq!(response.status(), 429, "{what}");
    let wait = retry_after(&response);
    assert!((1..=15).contains(&wait), "{what}: wait {wait}");
    let body: Value = json_of(response).await;
    assert_eq!(body["error"]["code"], "too_many_requests", "{what}: {body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains(what)), "{body}");
}

#[tokio::test]
async fn new_interviews_answers_and_gradings_are_limited_per_user() {
    let app = tight().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 3})).await).await;
    let sent = std::time::Instant::now();
    let refused = app.start_interview(&json!({"count": 3})).await;
    // A refusal is held back a second, so a client retrying in a loop slows itself.
    assert!(sent.elapsed() >= std::time::Duration::from_millis(900), "{:?}", sent.elapsed());
    assert_limited(refused, "new interviews").await;

    let id = started["id"].as_str().expect("id");
    let qid = started["question"]["id"].as_str().expect("question");
    let first = app.answer(id, qid, "Containers share the host kernel.").await;
    assert_eq!(first.status(), 200);
    let next = json_of(first).await["next"]["id"].as_str().expect("next").to_string();
    assert_limited(app.answer(id, &next, "Images are layered.").await, "answers").await;
    let history = json_of(app.get("/api/v1/me/history").await).await;
    assert_eq!(history["attempts"].as_array().map(Vec::len), Some(1), "the refused answer was not stored");

    let grade = json!({"reference": "A pod is a group of containers.", "answer": "Containers in a group."});
    assert_eq!(app.post_json("/api/v1/grade", &grade).await.status(), 200);
    assert_limited(app.post_json("/api/v1/grade", &grade).await, "gradings").await;

    // Another user has a budget of their own.
    let other = new_client();
    let post = |path: &str, body: Value| other.post(app.url(path)).json(&body).send();
    let signed_up = post("/api/v1/register", json!({"username": "other", "password": "correct horse battery"}));
    assert_eq!(signed_up.await.expect("request").status(), 201);
    assert_eq!(post("/api/v1/interviews", json!({"count": 3})).await.expect("request").status(), 201);
    assert_eq!(post("/api/v1/grade", grade.clone()).await.expect("request").status(), 200);
}

#[tokio::test]
async fn a_limited_answer_on_the_page_comes_back_in_its_form() {
    let app = tight().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 3})).await).await;
    let id = started["id"].as_str().expect("id");
    let qid = started["question"]["id"].as_str().expect("question");
    let first = json_of(app.answer(id, qid, "Containers share the host kernel.").await).await;
    let next = first["next"]["id"].as_str().expect("next").to_string();
    let typed = "Layers are cached and shared between images.";
    let refused =
        app.post_form(&format!("/interviews/{id}/answer"), &[("question_id", &next), ("answer", typed)]).await;
    assert_eq!(refused.status(), 429);
    assert!(retry_after(&refused) >= 1);
    let html = refused.text().await.expect("html");
    assert!(html.contains(typed), "the typed answer is given back");
    assert!(html.contains("Too many answers"), "the reason is shown");
}
