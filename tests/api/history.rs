use serde_json::json;

use crate::helpers::{json_of, new_client, spawn_app};

#[tokio::test]
async fn history_lists_the_users_own_attempts_newest_first() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 2})).await).await;
    let id = started["id"].as_str().expect("id");
    let q1 = started["question"]["id"].as_str().expect("id").to_string();
    let first = json_of(app.answer(id, &q1, "first answer about containers").await).await;
    let q2 = first["next"]["id"].as_str().expect("next").to_string();
    app.answer(id, &q2, "second answer about images").await;

    let history = json_of(app.get("/api/v1/me/history").await).await;

    let attempts = history["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0]["question_id"], q2.as_str(), "newest first");
    assert_eq!(attempts[1]["answer"], "first answer about containers");
    assert!(attempts[0]["prompt"].as_str().is_some_and(|p| !p.is_empty()));
    assert!(attempts[0]["score"].is_number() && attempts[0]["missed"].is_array());
    assert_eq!(history["interviews"][0]["answered"], 2);
    assert_eq!(history["interviews"][0]["topics"], json!([]), "no topics chosen reads as an empty list (all topics)");

    let stranger = new_client();
    stranger
        .post(app.url("/api/v1/register"))
        .json(&json!({"username": "stranger", "password": "correct horse battery"}))
        .send()
        .await
        .expect("request");
    let theirs: serde_json::Value =
        stranger.get(app.url("/api/v1/me/history")).send().await.expect("request").json().await.expect("json");
    assert_eq!(theirs["attempts"].as_array().map(Vec::len), Some(0), "another user's history is empty");
}

#[tokio::test]
async fn times_from_another_year_show_their_year_on_the_pages() {
    // Arrange: one answer from more than a year ago, one from now, to the same question.
    let app = spawn_app().await;
    app.signed_up().await;
    let old = json_of(app.start_interview(&json!({"topics": ["kubernetes"], "count": 1})).await).await;
    let question = old["question"]["id"].as_str().expect("question").to_string();
    app.answer(old["id"].as_str().expect("id"), &question, "an answer about pods from long ago").await;
    let ago = 400 * 24 * 60 * 60 * 1000_i64;
    let db = app.db().await;
    for table in ["attempts", "interviews"] {
        sqlx::query(&format!("UPDATE {table} SET created_at = created_at - $1"))
            .bind(ago)
            .execute(&db)
            .await
            .expect("moved back");
    }
    let then = chrono::Utc::now() - chrono::Duration::milliseconds(ago);
    let now = chrono::Utc::now();
    let started = json_of(app.start_interview(&json!({"question": question})).await).await;
    assert_eq!(started["question"]["id"], question.as_str(), "the same question again");
    app.answer(started["id"].as_str().expect("id"), &question, "an answer about pods from today").await;

    // Act / Assert: the old one says its year (it read as this year's), today's does not.
    let old_day = then.format("%b %-d, %Y, ").to_string();
    let this_day = format!("{}, ", now.format("%b %-d"));
    for page in ["/history", &format!("/questions/{question}")] {
        let html = app.get(page).await.text().await.expect("html");
        assert!(html.contains(&old_day), "{page}: the old answer shows {old_day:?}: {html}");
        assert!(html.contains(&this_day), "{page}: today's shows {this_day:?}");
        assert!(
            !html.contains(&format!("{}, {}", now.format("%b %-d"), now.format("%Y"))),
            "{page}: no year for this year's"
        );
    }
}
