use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::interviews::GradeJson;
use crate::domain::AnswerText;
use crate::error::ApiError;
use crate::grading::{Concept, PreparedQuestion};
use crate::practice::AppState;

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
    if body.reference.trim().is_empty() {
        return Err(ApiError::Invalid("`reference` is empty: give the model answer to grade against.".into()));
    }
    if body.reference.chars().count() > AnswerText::MAX_CHARS {
        return Err(ApiError::Invalid(format!("`reference` is longer than {} characters.", AnswerText::MAX_CHARS)));
    }
    let answer = AnswerText::parse(&body.answer)?;
    let concepts: Vec<Concept> = body
        .keywords
        .iter()
        .filter_map(|k| match k {
            KeywordDef::Plain(spec) => Concept::parse(spec),
            KeywordDef::WithHint { concept, hint } => Concept::parse(concept).map(|c| c.with_hint(hint.clone())),
        })
        .collect();
    // IDF over the server's bank: the field's common words weigh less.
    let bank = state.bank();
    let grade =
        PreparedQuestion::new(&body.question, &body.reference, &concepts, &[], bank.corpus()).grade(answer.as_str());
    Ok(HttpResponse::Ok().json(GradeJson::from(&grade)))
}
