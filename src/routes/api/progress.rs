//! The learning loop over JSON: mastery per topic, weak concepts, due questions,
//! attempt comparison.
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::claims::ClaimCountJson;
use super::interviews::attempt_json_assessed;
use crate::learning::mastery::{Bucket, TopicMastery};
use crate::learning::weak::WeakConcept;
use crate::practice::{self, Progress};
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;
use crate::store::now_millis;

fn topic_json(t: &TopicMastery) -> Value {
    json!({
        "topic": t.name, "topic_id": t.topic_id, "mastery": t.mastery, "attempts": t.attempts,
        "tried": t.tried, "total": t.total,
        "coverage": if t.total > 0 { t.tried as f64 / t.total as f64 } else { 0.0 },
    })
}

fn concept_json(state: &AppState, w: &WeakConcept) -> Value {
    let bank = state.practice.bank();
    let questions: Vec<Value> = w
        .questions
        .iter()
        .map(|id| json!({"id": id, "prompt": bank.question(id).map(|q| q.prompt.as_str())}))
        .collect();
    json!({"concept": w.concept, "misses": w.misses, "contradicted": w.contradicted, "seen": w.seen, "questions": questions})
}

fn due_json(state: &AppState, p: &Progress) -> Value {
    let bank = state.practice.bank();
    let due: Vec<Value> = p
        .due
        .iter()
        .map(|d| {
            let q = bank.question(&d.question_id);
            json!({"question_id": d.question_id, "prompt": q.map(|q| q.prompt.as_str()), "topic": q.map(|q| q.topic_name.as_str()),
                   "due_at": d.due_at, "last_score": d.last_score})
        })
        .collect();
    json!({"count": due.len(), "due": due, "next_due_at": p.next_due_at})
}

/// Topics, weakest first.
pub async fn topics(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let p = practice::progress(&state.practice, &user, now_millis()).await?;
    Ok(HttpResponse::Ok().json(p.topics.iter().map(topic_json).collect::<Vec<_>>()))
}

/// Concepts missed most.
pub async fn concepts(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let p = practice::progress(&state.practice, &user, now_millis()).await?;
    Ok(HttpResponse::Ok().json(p.weak.iter().map(|w| concept_json(&state, w)).collect::<Vec<_>>()))
}

pub async fn due(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let p = practice::progress(&state.practice, &user, now_millis()).await?;
    Ok(HttpResponse::Ok().json(due_json(&state, &p)))
}

/// Everything the dashboard shows.
pub async fn overview(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let p = practice::progress(&state.practice, &user, now_millis()).await?;
    let trend: Vec<Value> =
        p.trend.iter().map(|t| json!({"start": t.start, "overall": t.overall, "topics": t.topics})).collect();
    Ok(HttpResponse::Ok().json(json!({
        "topics": p.topics.iter().map(topic_json).collect::<Vec<_>>(),
        "concepts": p.weak.iter().map(|w| concept_json(&state, w)).collect::<Vec<_>>(),
        "due": due_json(&state, &p),
        "streak": p.streak,
        "attempts": p.attempts,
        "trend": {"bucket": if p.bucket == Bucket::Week { "week" } else { "day" }, "points": trend},
    })))
}

/// Every attempt at one question, side by side.
pub async fn question_attempts(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = practice::comparison(&state.practice, &user, &path).await?;
    let attempts: Vec<Value> = c
        .columns
        .iter()
        .map(|col| {
            let mut a = attempt_json_assessed(&col.attempt, &col.assessed);
            a["statuses"] = json!(c
                .concepts
                .iter()
                .zip(&col.statuses)
                .zip(&col.claims)
                .map(|((k, s), claim)| json!({"concept": k, "status": s, "claim": claim}))
                .collect::<Vec<_>>());
            a["gained"] = json!(col.gained);
            a["lost"] = json!(col.lost);
            a
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "question": {"id": c.question.id, "prompt": c.question.prompt, "topic": c.question.topic_name},
        "concepts": c.concepts,
        "attempts": attempts,
        "claim_counts": c.claim_counts.iter().map(ClaimCountJson::from).collect::<Vec<_>>(),
    })))
}
