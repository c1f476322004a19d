//! `time_taken_ms` is a client's measurement: bounded on the way in, shown safely.
use crate::helpers::{json_of, spawn_app};
use serde_json::json;

#[tokio::test]
async fn the_api_refuses_a_time_taken_that_no_answer_can_take_and_keeps_a_real_one() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 2, "timer_seconds": 60})).await).await;
    let (interview, question) = (started["id"].as_str().expect("id"), started["question"]["id"].as_str().expect("q"));
    let answers = format!("/api/v1/interviews/{interview}/answers");

    for (time, what) in [(json!(-1), "negative"), (json!(86_400_001), "over a day"), (json!(i64::MAX), "i64::MAX")] {
        let response = app
            .post_json(
                &answers,
                &json!({"question_id": question, "answer": "A pod wraps containers.", "time_taken_ms": time}),
            )
            .await;
        assert_eq!(response.status(), 422, "{what}");
        let body = json_of(response).await;
        assert_eq!(body["error"]["code"], "invalid", "{what}");
        assert!(body["error"]["message"].as_str().unwrap_or("").contains("time_taken_ms"), "{what}: {body}");
    }
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(stored, 0, "nothing stored for a refused answer");

    let kept = app
        .post_json(
            &answers,
            &json!({"question_id": question, "answer": "A pod wraps containers.", "time_taken_ms": 86_400_000}),
        )
        .await;
    assert_eq!(kept.status(), 200, "a day is the most an answer can take");
    let time: Option<i64> =
        sqlx::query_scalar("SELECT time_taken_ms FROM attempts").fetch_one(&app.db().await).await.expect("row");
    assert_eq!(time, Some(86_400_000));
    let page = app.get(&format!("/interviews/{interview}")).await.text().await.expect("html");
    assert!(page.contains("Over time: 86400 s against a 60 s limit"), "shown in seconds");
}

#[tokio::test]
async fn an_absurd_time_already_stored_or_sent_by_a_browser_never_shows_as_a_negative_time() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 3, "timer_seconds": 60})).await).await;
    let interview = started["id"].as_str().expect("id").to_string();
    let question = started["question"]["id"].as_str().expect("q").to_string();
    let answered = app.answer(&interview, &question, "A pod wraps containers.").await;
    let next = json_of(answered).await["next"]["id"].as_str().expect("next").to_string();

    // A row stored before the bound existed, with the value that showed "-9223372036854775 s".
    sqlx::query("UPDATE attempts SET time_taken_ms = $1")
        .bind(i64::MAX)
        .execute(&app.db().await)
        .await
        .expect("update");
    let page = app.get(&format!("/interviews/{interview}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(!html.contains("-9223") && !html.contains("Over time"), "nothing absurd is shown");

    // A browser's nonsense measurement (a clock change) is dropped, not the answer with it.
    let form = app
        .post_form(
            &format!("/interviews/{interview}/answer"),
            &[("question_id", &next), ("answer", "A deployment keeps replicas running."), ("time_taken_ms", "-5000")],
        )
        .await;
    assert_eq!(form.status(), 303, "the answer is taken");
    let time: Option<i64> = sqlx::query_scalar("SELECT time_taken_ms FROM attempts WHERE question_id = $1")
        .bind(&next)
        .fetch_one(&app.db().await)
        .await
        .expect("row");
    assert_eq!(time, None, "without the time");
}
