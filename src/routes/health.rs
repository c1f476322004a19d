use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::shutdown::Readiness;
use crate::startup::AppState;

/// Liveness: the process answers.
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// Readiness: not shutting down, the database answers and the question bank is loaded.
pub async fn ready(state: web::Data<AppState>, readiness: web::Data<Readiness>) -> HttpResponse {
    let stopping = readiness.is_stopping();
    let (database, questions) = state.practice.readiness().await;
    let ready = !stopping && database && questions > 0;
    let status = match (stopping, ready) {
        (true, _) => "shutting down",
        (false, true) => "ready",
        (false, false) => "not ready",
    };
    let body = json!({"status": status, "database": database, "questions": questions});
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
