use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::interviews::GradeJson;
use crate::domain::AnswerText;
use crate::error::ApiError;

#[derive(Deserialize)]
pub struct GradeRequest {
    #[serde(default)]
    question: String,
    reference: String,
    #[serde(default)]
    keywords: Vec<String>,
    answer: String,
}

/// Stateless grading: nothing is stored, no login needed.
pub async fn grade(body: web::Json<GradeRequest>) -> Result<HttpResponse, ApiError> {
    if body.reference.trim().is_empty() {
        return Err(ApiError::Invalid("`reference` is empty: give the model answer to grade against.".into()));
    }
    if body.reference.chars().count() > AnswerText::MAX_CHARS {
        return Err(ApiError::Invalid(format!("`reference` is longer than {} characters.", AnswerText::MAX_CHARS)));
    }
    let answer = AnswerText::parse(&body.answer)?;
    let grade = crate::grading::grade(&body.question, &body.reference, &body.keywords, answer.as_str());
    Ok(HttpResponse::Ok().json(GradeJson::from(&grade)))
}
