//! Peer marks over JSON: share an answer with a group, list and mark what the group
//! shared, see the marks on your own answer, and (admins) how the grader agrees with
//! the marks on one question.
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::schema::{BandSchema, ErrorBody};
use crate::domain::{MarkComment, PeerMark, PeerScore};
use crate::practice::{self, Agreement, SharedView, MIN_MARKED};
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;

/// A peer's mark on an answer.
#[derive(Serialize, ToSchema)]
#[schema(as = PeerMark)]
pub struct MarkJson {
    pub marker: String,
    /// 0 (nothing right) to 5 (as good as the model answer).
    pub score: i64,
    /// Empty when none was given.
    pub comment: String,
    /// Unix milliseconds (UTC).
    pub marked_at: i64,
}

impl From<&PeerMark> for MarkJson {
    fn from(m: &PeerMark) -> Self {
        MarkJson { marker: m.marker_name.clone(), score: m.score, comment: m.comment.clone(), marked_at: m.marked_at }
    }
}

/// An answer shared with a group.
#[derive(Serialize, ToSchema)]
#[schema(as = SharedAttempt)]
pub struct SharedJson {
    pub attempt_id: String,
    pub group_id: String,
    pub question_id: String,
    /// The prompt of the version answered.
    pub prompt: String,
    /// The topic's display name.
    pub topic: String,
    pub answer: String,
    /// The model answer of the version answered.
    pub reference: String,
    /// Who shared it (whose answer it is).
    pub shared_by: String,
    /// Unix milliseconds (UTC).
    pub shared_at: i64,
    /// It is your answer: you see every mark, and cannot mark it.
    pub is_mine: bool,
    /// The grader's score (0..1). Absent until you have marked it (so the grader does
    /// not sway your mark), unless it is yours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grader_score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<BandSchema>)]
    pub band: Option<String>,
    /// The grader was unsure of its score (see the answer's `unsure`); present with
    /// `band`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unsure: Option<bool>,
    /// Your mark on it, or null.
    pub your_mark: Option<MarkJson>,
    /// Every mark and comment, oldest first; only for your own answer (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marks: Option<Vec<MarkJson>>,
    /// How many members marked it.
    pub mark_count: usize,
}

impl From<&SharedView> for SharedJson {
    fn from(v: &SharedView) -> Self {
        let a = &v.shared.attempt;
        SharedJson {
            attempt_id: a.id.clone(),
            group_id: v.shared.group_id.clone(),
            question_id: a.question_id.clone(),
            prompt: a.prompt.clone(),
            topic: a.topic_name.clone(),
            answer: a.answer.clone(),
            reference: a.reference.clone(),
            shared_by: v.shared.sharer_name.clone(),
            shared_at: v.shared.shared_at,
            is_mine: v.is_mine,
            grader_score: v.shows_grade().then_some(a.score),
            band: v.shows_grade().then(|| a.band.as_str().to_string()),
            unsure: v.shows_grade().then_some(a.unsure),
            your_mark: v.my_mark.as_ref().map(MarkJson::from),
            marks: v.is_mine.then(|| v.marks.iter().map(MarkJson::from).collect()),
            mark_count: v.mark_count,
        }
    }
}

/// The answers shared with a group, newest first (at most 100).
#[derive(Serialize, ToSchema)]
#[schema(as = SharedAttemptList)]
pub struct SharedListJson {
    pub shared: Vec<SharedJson>,
}

/// The marks on one of your answers.
#[derive(Serialize, ToSchema)]
#[schema(as = MarksReceived)]
pub struct MarksJson {
    pub attempt_id: String,
    /// Oldest first.
    pub marks: Vec<MarkJson>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareBody {
    /// One of your answers (an `attempt_id` from your history).
    pub attempt_id: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkBody {
    /// A whole number from 0 to 5. Read as any JSON value, so that `"x"` or `4.5` get
    /// the same message as `6` (422) rather than a parser's.
    #[schema(value_type = i64, minimum = 0, maximum = 5)]
    pub score: serde_json::Value,
    /// Optional, at most 500 characters.
    #[serde(default)]
    pub comment: Option<String>,
}

/// One marked answer on the agreement view.
#[derive(Serialize, ToSchema)]
#[schema(as = Disagreement)]
pub struct DisagreementJson {
    pub attempt_id: String,
    /// A group it is shared with (its page shows the answer and, to its sharer, the
    /// marks), or null if it is shared with none any more.
    pub group_id: Option<String>,
    pub answer: String,
    /// The grader's score when it was answered, 0..1.
    pub grader_score: f64,
    /// The grader was unsure of that score (an explanation it could not judge): the
    /// answer did not count for its learner, and is a likely place for a missing
    /// keyword alternative.
    pub unsure: bool,
    /// Mean peer mark, 0..5.
    pub peer_mean: f64,
    /// `peer_mean` / 5, on the grader's scale.
    pub peer_score: f64,
    /// `grader_score - peer_score`: positive when the grader was kinder than the peers.
    pub difference: f64,
    pub marks: i64,
}

/// How the grader's scores on one question agree with peer marks.
#[derive(Serialize, ToSchema)]
#[schema(as = Agreement)]
pub struct AgreementJson {
    pub question_id: String,
    pub prompt: String,
    /// Answers to it with at least one peer mark.
    pub marked_attempts: usize,
    /// Marks over those answers.
    pub marks: i64,
    /// Marked answers needed before a correlation is given.
    pub min_marked_attempts: usize,
    /// Pearson r between the grader's score and the mean peer mark / 5; null with fewer
    /// than `min_marked_attempts` marked answers or when either side has no spread.
    pub pearson: Option<f64>,
    /// What to make of `pearson`, in words ("not enough marks" and why).
    pub summary: String,
    /// The largest |difference| first, at most five.
    pub disagreements: Vec<DisagreementJson>,
}

impl From<&Agreement> for AgreementJson {
    fn from(a: &Agreement) -> Self {
        AgreementJson {
            question_id: a.question_id.clone(),
            prompt: a.prompt.clone(),
            marked_attempts: a.marked_attempts,
            marks: a.marks,
            min_marked_attempts: MIN_MARKED,
            pearson: a.pearson,
            summary: a.summary(),
            disagreements: a
                .disagreements
                .iter()
                .map(|d| DisagreementJson {
                    attempt_id: d.attempt.attempt_id.clone(),
                    group_id: d.attempt.group_id.clone(),
                    answer: d.attempt.answer.clone(),
                    grader_score: d.attempt.grader_score,
                    unsure: d.attempt.unsure,
                    peer_mean: d.attempt.mean_mark,
                    peer_score: d.peer_score,
                    difference: d.difference,
                    marks: d.attempt.marks,
                })
                .collect(),
        }
    }
}

/// Shares one of your answers with a group you belong to, for its other members to
/// mark. Sharing it again changes nothing (200).
#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/shared",
    operation_id = "share_attempt",
    tag = "groups",
    security(("session" = [])),
    params(("id" = String, Path, description = "Group id")),
    request_body = ShareBody,
    responses(
        (status = 201, description = "Shared", body = SharedJson),
        (status = 200, description = "It was already shared with this group", body = SharedJson),
        (status = 400, description = "Malformed JSON or a missing or unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such group of yours, or no such answer of yours", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn share(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<ShareBody>,
) -> Result<HttpResponse, ApiError> {
    let new = practice::share_attempt(&state.practice, &user, &path, &body.attempt_id).await?;
    let view = practice::shared_attempt(&state.practice, &user, &path, &body.attempt_id).await?;
    let json = SharedJson::from(&view);
    Ok(if new { HttpResponse::Created().json(json) } else { HttpResponse::Ok().json(json) })
}

/// The answers shared with a group, newest first. You see the grader's score of an
/// answer once you have marked it, and every mark only on your own.
#[utoipa::path(
    get,
    path = "/api/v1/groups/{id}/shared",
    operation_id = "group_shared_attempts",
    tag = "groups",
    security(("session" = [])),
    params(("id" = String, Path, description = "Group id")),
    responses(
        (status = 200, description = "The shared answers (empty if none)", body = SharedListJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such group of yours", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let shared = practice::shared_in_group(&state.practice, &user, &path).await?;
    Ok(HttpResponse::Ok().json(SharedListJson { shared: shared.iter().map(SharedJson::from).collect() }))
}

/// Marks an answer shared with the group: 0-5 and an optional comment. Marking it again
/// replaces your mark (200; 201 the first time). Not your own answer.
#[utoipa::path(
    put,
    path = "/api/v1/groups/{id}/shared/{attempt_id}/mark",
    operation_id = "mark_shared_attempt",
    tag = "groups",
    security(("session" = [])),
    params(
        ("id" = String, Path, description = "Group id"),
        ("attempt_id" = String, Path, description = "The shared answer"),
    ),
    request_body = MarkBody,
    responses(
        (status = 201, description = "Your first mark on it; the answer with it (and now the grader's score)", body = SharedJson),
        (status = 200, description = "Your mark, replaced", body = SharedJson),
        (status = 400, description = "Malformed JSON, no score, or an unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "It is your own answer, or you are an admin who is not a member", body = ErrorBody),
        (status = 404, description = "No such group of yours, or the answer is not shared with it", body = ErrorBody),
        (status = 422, description = "A score that is not a whole number from 0 to 5, or a comment over 500 characters", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn mark(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Json<MarkBody>,
) -> Result<HttpResponse, ApiError> {
    let (group, attempt) = path.into_inner();
    let body = body.into_inner();
    let score = match body.score.as_i64() {
        Some(n) => PeerScore::parse(n),
        None => Err(PeerScore::not_whole(&body.score.to_string())),
    }
    .map_err(|e| ApiError::Invalid(e.0))?;
    let comment = MarkComment::parse(body.comment.as_deref().unwrap_or("")).map_err(|e| ApiError::Invalid(e.0))?;
    let (view, first) = practice::mark_attempt(&state.practice, &user, &group, &attempt, score, &comment).await?;
    let json = SharedJson::from(&view);
    Ok(if first { HttpResponse::Created().json(json) } else { HttpResponse::Ok().json(json) })
}

/// Every mark and comment your groups gave one of your answers.
#[utoipa::path(
    get,
    path = "/api/v1/attempts/{attempt_id}/marks",
    operation_id = "attempt_marks",
    tag = "groups",
    security(("session" = [])),
    params(("attempt_id" = String, Path, description = "One of your answers")),
    responses(
        (status = 200, description = "The marks (empty if none)", body = MarksJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such answer of yours", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn received(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let marks = practice::marks_received(&state.practice, &user, &path).await?;
    Ok(HttpResponse::Ok()
        .json(MarksJson { attempt_id: path.into_inner(), marks: marks.iter().map(MarkJson::from).collect() }))
}

/// How the grader's scores on a question agree with peer marks: the correlation (from
/// three marked answers on) and the largest disagreements (admins only).
#[utoipa::path(
    get,
    path = "/api/v1/admin/questions/{id}/agreement",
    operation_id = "admin_question_agreement",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "Question id")),
    responses(
        (status = 200, description = "The figures", body = AgreementJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such question", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn agreement(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let a = state.practice.agreement(&user, &path).await?;
    Ok(HttpResponse::Ok().json(AgreementJson::from(&a)))
}
