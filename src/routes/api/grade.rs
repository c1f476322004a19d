use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::interviews::GradeJson;
use super::schema::ErrorBody;
use crate::practice;
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;

/// What to grade: a reference answer, optionally its concepts, and the answer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeRequest {
    /// The question asked (optional; words that only echo it count for less).
    #[serde(default)]
    question: String,
    /// The model answer.
    reference: String,
    /// Concepts to look for; without them they are derived from the reference.
    #[serde(default)]
    keywords: Vec<KeywordDef>,
    /// The answer to grade.
    answer: String,
}

/// A keyword as a plain `"a | b"` string or, as in the question files, `{concept, hint}`.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
enum KeywordDef {
    /// `"label | alternative | ..."`.
    Plain(String),
    /// With the hint shown when the concept is missed.
    WithHint { concept: String, hint: Option<String> },
}

/// Stateless grading: nothing is stored. Needs a login; limited per user (429 with
/// `Retry-After` beyond it) and run one at a time.
#[utoipa::path(
    post,
    path = "/api/v1/grade",
    operation_id = "grade",
    tag = "grading",
    request_body = GradeRequest,
    responses(
        (status = 200, description = "The grade", body = GradeJson),
        (status = 400, description = "Malformed JSON or a missing, mistyped or unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "Empty or oversized reference or answer", body = ErrorBody),
        (status = 429, description = "Too many gradings; retry after the seconds in `Retry-After`", body = ErrorBody),
    )
)]
pub async fn grade(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<GradeRequest>,
) -> Result<HttpResponse, ApiError> {
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
    let grade = practice::grade_once(&state.practice, &user, &request).await?;
    Ok(HttpResponse::Ok().json(GradeJson::from(&grade)))
}
