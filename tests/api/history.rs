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
