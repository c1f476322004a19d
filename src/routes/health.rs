use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::startup::AppState;

/// Liveness: the process answers.
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// Readiness: the database answers and the question bank is loaded.
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let (database, questions) = state.practice.readiness().await;
    let ready = database && questions > 0;
    let body =
        json!({"status": if ready { "ready" } else { "not ready" }, "database": database, "questions": questions});
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
