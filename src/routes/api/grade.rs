use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::interviews::GradeJson;
use crate::practice;
use crate::routes::ApiError;
use crate::startup::AppState;

#[derive(Deserialize)]
pub struct GradeRequest {
    #[serde(default)]
    question: String,
    reference: String,
    #[serde(default)]
    keywords: Vec<KeywordDef>,
    answer: String,
}

/// A keyword as a plain `"a | b"` string or, as in the question files, `{concept, hint}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum KeywordDef {
    Plain(String),
    WithHint { concept: String, hint: Option<String> },
}

/// Stateless grading: nothing is stored, no login needed.
pub async fn grade(state: web::Data<AppState>, body: web::Json<GradeRequest>) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let request = practice::GradeRequest {
        question: body.question,
        reference: body.reference,
        keywords: body
            .keywords
            .into_iter()
            .map(|k| match k {
                KeywordDef::Plain(spec) => (spec, None),
                KeywordDef::WithHint { concept, hint } => (concept, hint),
            })
            .collect(),
        answer: body.answer,
    };
    let grade = practice::grade_once(&state.practice, &request)?;
    Ok(HttpResponse::Ok().json(GradeJson::from(&grade)))
}
