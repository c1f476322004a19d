use crate::helpers::{json_of, spawn_app};

#[tokio::test]
async fn health_answers_and_ready_reports_database_and_bank() {
    let app = spawn_app().await;

    let health = app.get("/health").await;
    assert_eq!(health.status(), 200);

    let ready = app.get("/ready").await;
    assert_eq!(ready.status(), 200);
    let body = json_of(ready).await;
    assert_eq!(body["database"], true);
    assert!(body["questions"].as_u64().unwrap_or(0) >= 24, "bank loaded: {body}");
}

#[tokio::test]
async fn unknown_api_paths_get_a_json_404() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/nope").await;
    assert_eq!(response.status(), 404);
    assert_eq!(json_of(response).await["error"]["code"], "not_found");
}
