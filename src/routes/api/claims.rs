//! Self-assessment claims over JSON: dispute the grader on one concept of an answer,
//! withdraw it, list your claims.
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::ConceptStatus;
use crate::learning::claims::Claim;
use crate::practice::{self, Assessed};
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;
use crate::store::{AttemptRow, ClaimCountRow, ClaimRow};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimBody {
    concept: String,
    /// `covered` or `wrong`; checked by the service so an unknown value is a 422 that
    /// says what is allowed, not a 400 about JSON.
    claim: String,
}

/// One graded concept: the grader's verdict, the learner's claim (null when none) and
/// the status the learning loop counts.
#[derive(Serialize)]
pub struct ConceptJson<'a> {
    pub label: &'a str,
    pub status: ConceptStatus,
    pub claim: Option<Claim>,
    pub self_assessed: ConceptStatus,
}

fn concepts_json(assessed: &Assessed) -> Vec<ConceptJson<'_>> {
    assessed
        .concepts
        .iter()
        .map(|c| ConceptJson { label: &c.label, status: c.status, claim: c.claim, self_assessed: c.self_assessed() })
        .collect()
}

/// An attempt's concepts with claims and both scores.
#[derive(Serialize)]
pub struct ClaimedAttemptJson<'a> {
    pub attempt_id: &'a str,
    pub question_id: &'a str,
    pub score: f64,
    pub self_assessed_score: f64,
    pub concepts: Vec<ConceptJson<'a>>,
}

impl<'a> ClaimedAttemptJson<'a> {
    pub fn new(attempt: &'a AttemptRow, assessed: &'a Assessed) -> Self {
        ClaimedAttemptJson {
            attempt_id: &attempt.id,
            question_id: &attempt.question_id,
            score: assessed.score,
            self_assessed_score: assessed.self_assessed_score,
            concepts: concepts_json(assessed),
        }
    }
}

/// The self-assessment parts added to every attempt the API shows.
#[derive(Serialize)]
pub struct SelfAssessedJson<'a> {
    pub self_assessed_score: f64,
    pub concepts: Vec<ConceptJson<'a>>,
}

impl<'a> From<&'a Assessed> for SelfAssessedJson<'a> {
    fn from(a: &'a Assessed) -> Self {
        SelfAssessedJson { self_assessed_score: a.self_assessed_score, concepts: concepts_json(a) }
    }
}

/// `PUT /attempts/{attempt_id}/claims`: sets or changes the claim on one concept.
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
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (attempt_id, concept) = path.into_inner();
    practice::withdraw_claim(&state.practice, &user, &attempt_id, &concept).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize)]
pub struct ClaimJson<'a> {
    pub attempt_id: &'a str,
    pub question_id: &'a str,
    pub prompt: &'a str,
    pub concept: &'a str,
    /// The grader's verdict.
    pub status: ConceptStatus,
    pub claim: Claim,
    pub claimed_at: i64,
}

impl<'a> From<&'a ClaimRow> for ClaimJson<'a> {
    fn from(c: &'a ClaimRow) -> Self {
        ClaimJson {
            attempt_id: &c.attempt_id,
            question_id: &c.question_id,
            prompt: &c.prompt,
            concept: &c.concept,
            status: c.grader_status,
            claim: c.claim,
            claimed_at: c.claimed_at,
        }
    }
}

#[derive(Serialize)]
struct ClaimsJson<'a> {
    claims: Vec<ClaimJson<'a>>,
}

/// `GET /me/claims`: the learner's claims, newest first.
pub async fn mine(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let claims = state.practice.claims(&user).await?;
    Ok(HttpResponse::Ok().json(ClaimsJson { claims: claims.iter().map(ClaimJson::from).collect() }))
}

/// Claims counted per concept of a question.
#[derive(Serialize)]
pub struct ClaimCountJson<'a> {
    pub concept: &'a str,
    pub covered_claims: i64,
    pub wrong_claims: i64,
}

impl<'a> From<&'a ClaimCountRow> for ClaimCountJson<'a> {
    fn from(c: &'a ClaimCountRow) -> Self {
        ClaimCountJson { concept: &c.concept, covered_claims: c.covered_claims, wrong_claims: c.wrong_claims }
    }
}
