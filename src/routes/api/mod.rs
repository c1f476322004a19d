//! JSON API, version 1.
mod auth;
mod claims;
mod grade;
mod interviews;
mod progress;

use actix_web::web;
use serde::Serialize;

use crate::practice::BankQuestion;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/register", web::post().to(auth::register))
        .route("/login", web::post().to(auth::login))
        .route("/logout", web::post().to(auth::logout))
        .route("/me", web::get().to(auth::me))
        .route("/topics", web::get().to(interviews::topics))
        .route("/interviews", web::post().to(interviews::create))
        .route("/interviews/{id}", web::get().to(interviews::show))
        .route("/interviews/{id}/answers", web::post().to(interviews::answer))
        .route("/interviews/{id}/follow-ups", web::post().to(interviews::follow_up))
        .route("/me/history", web::get().to(interviews::history))
        .route("/me/progress", web::get().to(progress::overview))
        .route("/me/topics", web::get().to(progress::topics))
        .route("/me/concepts", web::get().to(progress::concepts))
        .route("/me/due", web::get().to(progress::due))
        .route("/me/questions/{id}/attempts", web::get().to(progress::question_attempts))
        .route("/me/claims", web::get().to(claims::mine))
        .route("/attempts/{attempt_id}/claims", web::put().to(claims::put))
        .route("/attempts/{attempt_id}/claims/{concept}", web::delete().to(claims::delete))
        .route("/grade", web::post().to(grade::grade));
}

/// A question as the API shows it (never the reference answer before it is answered).
#[derive(Serialize)]
pub struct QuestionJson {
    pub id: String,
    pub prompt: String,
    pub topic: String,
    pub topic_id: String,
    pub difficulty: i64,
}

impl From<&BankQuestion> for QuestionJson {
    fn from(q: &BankQuestion) -> Self {
        QuestionJson {
            id: q.id.clone(),
            prompt: q.prompt.clone(),
            topic: q.topic_name.clone(),
            topic_id: q.topic_id.clone(),
            difficulty: q.difficulty,
        }
    }
}
