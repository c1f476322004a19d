//! Shapes for the OpenAPI document that the API's own types cannot give: the closed
//! sets that live in layers below the web (they serialise themselves; these only
//! describe the strings they become, so they are never constructed).
//!
//! Timestamps everywhere in the API are Unix milliseconds (UTC), as integers.
#![allow(dead_code)]
use serde::Serialize;
use utoipa::ToSchema;

pub use crate::routes::ErrorBody;

/// The grader's verdict on one concept of an answer.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = ConceptStatus)]
pub enum ConceptStatusSchema {
    Covered,
    Missed,
    Contradicted,
}

/// The learner's claim on one concept: "I covered this" or "I got this wrong".
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = Claim)]
pub enum ClaimSchema {
    Covered,
    Wrong,
}

/// How an interview picks its questions.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = Mode)]
pub enum ModeSchema {
    Mock,
    Drill,
}

/// What an attempt was: the first answer in a mock interview, a retry, a drill answer,
/// or a question skipped (no answer; scored 0).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = AttemptKind)]
pub enum AttemptKindSchema {
    Answer,
    Retry,
    Drill,
    Skipped,
}

/// Coarse verdict from the score: strong ≥ 0.70, partial ≥ 0.40, weak ≥ 0.15, else off-topic.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = Band)]
pub enum BandSchema {
    Strong,
    Partial,
    Weak,
    OffTopic,
}

/// What a user may do beyond practising: `admin` manages users and any group.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = Role)]
pub enum RoleSchema {
    Admin,
    Member,
}
