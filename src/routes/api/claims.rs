//! Self-assessment claims over JSON: dispute the grader on one concept of an answer,
//! withdraw it, list your claims.
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::schema::{ClaimSchema, ConceptStatusSchema, ErrorBody};
use crate::domain::ConceptStatus;
use crate::domain::{Attempt, ClaimCount, ClaimRecord};
use crate::learning::claims::Claim;
use crate::practice::{self, Assessed};
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimBody {
    /// The label of a concept the answer was graded on, or `(checks)` to say the
    /// statements the grader asked you to check (anticipated misconceptions) are right
    /// (with `covered` only): that lifts their cut from the self-assessed score.
    concept: String,
    /// `covered` (on a concept graded missed or contradicted) or `wrong` (on one graded
    /// covered); checked by the service so an unknown value is a 422 that says what is
    /// allowed, not a 400 about JSON.
    #[schema(value_type = ClaimSchema)]
    claim: String,
}

/// One graded concept: the grader's verdict, the learner's claim (null when none) and
/// the status the learning loop counts.
#[derive(Serialize, ToSchema)]
#[schema(as = ClaimedConcept)]
pub struct ConceptJson {
    pub label: String,
    /// The grader's verdict.
    #[schema(value_type = ConceptStatusSchema)]
    pub status: ConceptStatus,
    #[schema(value_type = Option<ClaimSchema>)]
    pub claim: Option<Claim>,
    /// The status the learning loop counts (the claim's, if any).
    #[schema(value_type = ConceptStatusSchema)]
    pub self_assessed: ConceptStatus,
}

impl ConceptJson {
    pub fn all(assessed: &Assessed) -> Vec<ConceptJson> {
        assessed
            .concepts
            .iter()
            .map(|c| ConceptJson {
                label: c.label.clone(),
                status: c.status,
                claim: c.claim,
                self_assessed: c.self_assessed(),
            })
            .collect()
    }
}

/// An attempt's concepts with claims and both scores.
#[derive(Serialize, ToSchema)]
#[schema(as = ClaimedAttempt)]
pub struct ClaimedAttemptJson {
    pub attempt_id: String,
    pub question_id: String,
    /// The grader's score, 0..1.
    pub score: f64,
    /// The score with the learner's claims counted, 0..1.
    pub self_assessed_score: f64,
    pub concepts: Vec<ConceptJson>,
}

impl ClaimedAttemptJson {
    pub fn new(attempt: &Attempt, assessed: &Assessed) -> Self {
        ClaimedAttemptJson {
            attempt_id: attempt.id.clone(),
            question_id: attempt.question_id.clone(),
            score: assessed.score,
            self_assessed_score: assessed.self_assessed_score,
            concepts: ConceptJson::all(assessed),
        }
    }
}

/// `PUT /attempts/{attempt_id}/claims`: sets or changes the claim on one concept.
#[utoipa::path(
    put,
    path = "/api/v1/attempts/{attempt_id}/claims",
    operation_id = "set_claim",
    tag = "claims",
    security(("session" = [])),
    params(("attempt_id" = String, Path, description = "Id of one of your answers")),
    request_body = ClaimBody,
    responses(
        (status = 200, description = "The claim is set; the attempt with its claims and both scores", body = ClaimedAttemptJson),
        (status = 400, description = "Malformed JSON or a missing, mistyped or unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such answer of yours", body = ErrorBody),
        (status = 422, description = "A concept the answer was not graded on, an unknown claim, or one that agrees with the grader", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn put(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<ClaimBody>,
) -> Result<HttpResponse, ApiError> {
    let (attempt, assessed) = practice::set_claim(&state.practice, &user, &path, &body.concept, &body.claim).await?;
    Ok(HttpResponse::Ok().json(ClaimedAttemptJson::new(&attempt, &assessed)))
}

/// `DELETE /attempts/{attempt_id}/claims/{concept}`: withdraws it.
#[utoipa::path(
    delete,
    path = "/api/v1/attempts/{attempt_id}/claims/{concept}",
    operation_id = "withdraw_claim",
    tag = "claims",
    security(("session" = [])),
    params(
        ("attempt_id" = String, Path, description = "Id of one of your answers"),
        ("concept" = String, Path, description = "The concept's label, percent-encoded"),
    ),
    responses(
        (status = 204, description = "The claim is withdrawn"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such answer of yours, or no claim on that concept", body = ErrorBody),
        (status = 422, description = "A concept the answer was not graded on", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (attempt_id, concept) = path.into_inner();
    practice::withdraw_claim(&state.practice, &user, &attempt_id, &concept).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One of your claims.
#[derive(Serialize, ToSchema)]
#[schema(as = ClaimEntry)]
pub struct ClaimJson {
    pub attempt_id: String,
    pub question_id: String,
    pub prompt: String,
    pub concept: String,
    /// The grader's verdict.
    #[schema(value_type = ConceptStatusSchema)]
    pub status: ConceptStatus,
    #[schema(value_type = ClaimSchema)]
    pub claim: Claim,
    /// When the claim was made: Unix milliseconds (UTC).
    pub claimed_at: i64,
}

impl From<&ClaimRecord> for ClaimJson {
    fn from(c: &ClaimRecord) -> Self {
        ClaimJson {
            attempt_id: c.attempt_id.clone(),
            question_id: c.question_id.clone(),
            prompt: c.prompt.clone(),
            concept: c.concept.clone(),
            status: c.grader_status,
            claim: c.claim,
            claimed_at: c.claimed_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = Claims)]
pub struct ClaimsJson {
    /// Newest first.
    claims: Vec<ClaimJson>,
}

/// `GET /me/claims`: the learner's claims, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/me/claims",
    operation_id = "my_claims",
    tag = "claims",
    security(("session" = [])),
    responses(
        (status = 200, description = "Your claims, newest first", body = ClaimsJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn mine(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let claims = state.practice.claims(&user).await?;
    Ok(HttpResponse::Ok().json(ClaimsJson { claims: claims.iter().map(ClaimJson::from).collect() }))
}

/// Claims counted per concept of a question.
#[derive(Serialize, ToSchema)]
#[schema(as = ClaimCount)]
pub struct ClaimCountJson {
    pub concept: String,
    /// "I covered this" on the concept graded missed or contradicted.
    pub covered_claims: i64,
    /// "I got this wrong" on the concept graded covered.
    pub wrong_claims: i64,
}

impl From<&ClaimCount> for ClaimCountJson {
    fn from(c: &ClaimCount) -> Self {
        ClaimCountJson { concept: c.concept.clone(), covered_claims: c.covered_claims, wrong_claims: c.wrong_claims }
    }
}
