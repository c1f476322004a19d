//! The learning loop over JSON: mastery per topic, weak concepts, due questions,
//! attempt comparison.
use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::claims::ClaimCountJson;
use super::interviews::AttemptJson;
use super::schema::{ClaimSchema, ConceptStatusSchema, ErrorBody};
use crate::domain::ConceptStatus;
use crate::learning::claims::Claim;
use crate::learning::mastery::{Bucket, TopicMastery};
use crate::learning::weak::WeakConcept;
use crate::practice::{self, Progress};
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;
use crate::store::now_millis;

/// Mastery of one topic.
#[derive(Serialize, ToSchema)]
#[schema(as = TopicProgress)]
pub struct TopicJson {
    /// The topic's display name.
    pub topic: String,
    pub topic_id: String,
    /// Recency-weighted mean score over the questions tried, 0..1; null until one is tried.
    pub mastery: Option<f64>,
    /// Answers that count (retries do not).
    pub attempts: usize,
    /// Questions with an answer that counts.
    pub tried: usize,
    /// Questions answered too, but only with grades the grader was unsure of (not
    /// counted: not in `tried`, `mastery` or `coverage`).
    pub unsure_only: usize,
    /// Active questions in the topic.
    pub total: usize,
    /// `tried / total` (0 for an empty topic).
    pub coverage: f64,
}

impl From<&TopicMastery> for TopicJson {
    fn from(t: &TopicMastery) -> Self {
        TopicJson {
            topic: t.name.clone(),
            topic_id: t.topic_id.clone(),
            mastery: t.mastery,
            attempts: t.attempts,
            tried: t.tried,
            unsure_only: t.unsure_only,
            total: t.total,
            coverage: if t.total > 0 { t.tried as f64 / t.total as f64 } else { 0.0 },
        }
    }
}

/// A question named by id, with its prompt (null if it is no longer in the bank).
#[derive(Serialize, ToSchema)]
#[schema(as = QuestionRef)]
pub struct QuestionRefJson {
    pub id: String,
    pub prompt: Option<String>,
}

/// A concept you keep missing.
#[derive(Serialize, ToSchema)]
#[schema(as = WeakConcept)]
pub struct ConceptJson {
    pub concept: String,
    /// Times missed or contradicted, over all questions that ask for it.
    pub misses: i64,
    /// Of those, times contradicted.
    pub contradicted: i64,
    /// Times the concept was asked for at all.
    pub seen: i64,
    /// Questions whose latest answer still lacks it.
    pub questions: Vec<QuestionRefJson>,
}

impl ConceptJson {
    pub(super) fn new(state: &AppState, w: &WeakConcept) -> Self {
        let bank = state.practice.bank();
        ConceptJson {
            concept: w.concept.clone(),
            misses: w.misses,
            contradicted: w.contradicted,
            seen: w.seen,
            questions: w
                .questions
                .iter()
                .map(|id| QuestionRefJson { id: id.clone(), prompt: bank.question(id).map(|q| q.prompt.clone()) })
                .collect(),
        }
    }
}

/// A question due for review.
#[derive(Serialize, ToSchema)]
#[schema(as = DueQuestion)]
pub struct DueItemJson {
    pub question_id: String,
    /// Null if the question is no longer in the bank.
    pub prompt: Option<String>,
    /// The topic's display name; null if the question is no longer in the bank.
    pub topic: Option<String>,
    /// When it became due: Unix milliseconds (UTC).
    pub due_at: i64,
    /// Your last score on it, 0..1.
    pub last_score: f64,
    /// The predicted probability that you recall it now, 0..1 (FSRS's forgetting curve
    /// since your last answer to it).
    pub recall_probability: f64,
}

/// What is due for review now.
#[derive(Serialize, ToSchema)]
#[schema(as = Due)]
pub struct DueJson {
    /// Number of questions due now.
    pub count: usize,
    /// Least likely to be recalled first (lowest `recall_probability`).
    pub due: Vec<DueItemJson>,
    /// The earliest due time of any of your scheduled questions (in the past if one is due
    /// now): Unix milliseconds (UTC); null before your first answer.
    pub next_due_at: Option<i64>,
}

impl DueJson {
    fn new(state: &AppState, p: &Progress) -> Self {
        let bank = state.practice.bank();
        let due: Vec<DueItemJson> = p
            .due
            .iter()
            .map(|d| {
                let q = bank.question(&d.row.question_id);
                DueItemJson {
                    question_id: d.row.question_id.clone(),
                    prompt: q.map(|q| q.prompt.clone()),
                    topic: q.map(|q| q.topic_name.clone()),
                    due_at: d.row.due_at,
                    last_score: d.row.last_score,
                    recall_probability: d.recall,
                }
            })
            .collect();
        DueJson { count: due.len(), due, next_due_at: p.next_due_at }
    }
}

/// Mastery at the end of one bucket of time.
#[derive(Serialize, ToSchema)]
#[schema(as = TrendPoint)]
pub struct TrendPointJson {
    /// Start of the bucket: Unix milliseconds (UTC).
    pub start: i64,
    /// Mean mastery over every question tried so far, 0..1.
    pub overall: f64,
    /// Mastery so far per topic id (topics not yet tried are absent).
    pub topics: BTreeMap<String, f64>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Trend)]
pub struct TrendJson {
    /// `day` or `week`: the width of each point's bucket.
    pub bucket: &'static str,
    pub points: Vec<TrendPointJson>,
}

/// Delivery over one day or week.
#[derive(Serialize, ToSchema)]
#[schema(as = DeliveryPoint)]
pub struct DeliveryPointJson {
    /// Start of the bucket: Unix milliseconds (UTC).
    pub start: i64,
    /// First answers given in it.
    pub answers: usize,
    /// Mean number of filler words ("um", "basically", "you know") per answer.
    pub fillers_per_answer: f64,
    /// Mean words per minute over its answers whose time taken is known; null if none.
    pub words_per_minute: Option<u32>,
}

/// How your answers are delivered over time, from your latest 200 first answers.
#[derive(Serialize, ToSchema)]
#[schema(as = DeliveryTrend)]
pub struct DeliveryTrendJson {
    /// `day` or `week`: the width of each point's bucket.
    pub bucket: &'static str,
    /// Oldest first.
    pub points: Vec<DeliveryPointJson>,
}

/// Everything the dashboard shows.
#[derive(Serialize, ToSchema)]
#[schema(as = Progress)]
pub struct ProgressJson {
    /// Weakest first; untried topics last.
    pub topics: Vec<TopicJson>,
    /// Most missed first; the first ten (all of them: `GET /api/v1/me/concepts?limit=all`).
    pub concepts: Vec<ConceptJson>,
    /// How many weak concepts there are in all (`concepts` holds at most ten).
    pub concepts_total: usize,
    pub due: DueJson,
    /// Days in a row (UTC) with at least one answer, ending today or yesterday.
    pub streak: i64,
    /// Answers that count (retries do not), skipped questions (scored 0) included.
    pub attempts: usize,
    /// Of `attempts`, the questions skipped.
    pub skipped: usize,
    pub trend: TrendJson,
    pub delivery: DeliveryTrendJson,
}

/// Your topics, weakest first.
#[utoipa::path(
    get,
    path = "/api/v1/me/topics",
    operation_id = "my_topics",
    tag = "progress",
    security(("session" = [])),
    responses(
        (status = 200, description = "Mastery per topic, weakest first", body = Vec<TopicJson>),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn topics(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let p = practice::progress(&state.practice, &user, now_millis()).await?;
    Ok(HttpResponse::Ok().json(p.topics.iter().map(TopicJson::from).collect::<Vec<_>>()))
}

/// Weak concepts given when no `limit` is asked for (what this endpoint always gave).
const CONCEPTS_DEFAULT: usize = 10;

#[derive(serde::Deserialize)]
pub struct ConceptsQuery {
    limit: Option<String>,
}

/// The concepts you miss most.
///
/// The body stays a plain array; how many there are in all is in the `X-Total-Count`
/// header, so a client that gets fewer can ask for the rest.
#[utoipa::path(
    get,
    path = "/api/v1/me/concepts",
    operation_id = "my_weak_concepts",
    tag = "progress",
    security(("session" = [])),
    params(
        ("limit" = Option<String>, Query, description = "How many to return: a number from 1, or `all`; 10 when left out"),
    ),
    responses(
        (status = 200, description = "Weak concepts, most missed first", body = Vec<ConceptJson>,
            headers(("X-Total-Count" = usize, description = "How many weak concepts there are in all"))),
        (status = 400, description = "A limit that is neither a positive number nor `all`", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn concepts(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ConceptsQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit =
        match query.limit.as_deref().map(str::trim) {
            None => CONCEPTS_DEFAULT,
            Some("all") => usize::MAX,
            Some(n) => n.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
                ApiError::BadRequest(format!("limit must be a positive number or \"all\", not {n:?}."))
            })?,
        };
    let p = practice::progress(&state.practice, &user, now_millis()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("X-Total-Count", p.weak.len().to_string()))
        .json(p.weak.iter().take(limit).map(|w| ConceptJson::new(&state, w)).collect::<Vec<_>>()))
}

/// The questions due for review.
#[utoipa::path(
    get,
    path = "/api/v1/me/due",
    operation_id = "my_due_questions",
    tag = "progress",
    security(("session" = [])),
    responses(
        (status = 200, description = "What is due now, and when the next one is", body = DueJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn due(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let p = practice::progress(&state.practice, &user, now_millis()).await?;
    Ok(HttpResponse::Ok().json(DueJson::new(&state, &p)))
}

/// Everything the dashboard shows.
#[utoipa::path(
    get,
    path = "/api/v1/me/progress",
    operation_id = "my_progress",
    tag = "progress",
    security(("session" = [])),
    responses(
        (status = 200, description = "Topics, weak concepts, what is due, streak and trend", body = ProgressJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn overview(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let p = practice::progress(&state.practice, &user, now_millis()).await?;
    let delivery = practice::delivery_trend(&state.practice, &user).await?;
    let points = p
        .trend
        .iter()
        .map(|t| TrendPointJson { start: t.start, overall: t.overall, topics: t.topics.clone() })
        .collect();
    Ok(HttpResponse::Ok().json(ProgressJson {
        topics: p.topics.iter().map(TopicJson::from).collect(),
        concepts: p.weak.iter().take(CONCEPTS_DEFAULT).map(|w| ConceptJson::new(&state, w)).collect(),
        concepts_total: p.weak.len(),
        due: DueJson::new(&state, &p),
        streak: p.streak,
        attempts: p.attempts,
        skipped: p.skipped,
        trend: TrendJson { bucket: if p.bucket == Bucket::Week { "week" } else { "day" }, points },
        delivery: DeliveryTrendJson {
            bucket: if delivery.weekly { "week" } else { "day" },
            points: delivery
                .points
                .iter()
                .map(|d| DeliveryPointJson {
                    start: d.start,
                    answers: d.answers,
                    fillers_per_answer: d.fillers_per_answer,
                    words_per_minute: d.words_per_minute,
                })
                .collect(),
        },
    }))
}

/// The question compared.
#[derive(Serialize, ToSchema)]
#[schema(as = ComparedQuestion)]
pub struct ComparedQuestionJson {
    pub id: String,
    pub prompt: String,
    /// The topic's display name.
    pub topic: String,
}

/// One of the question's concepts in one attempt.
#[derive(Serialize, ToSchema)]
#[schema(as = ConceptInAttempt)]
pub struct StatusJson {
    pub concept: String,
    /// The grader's verdict; null where the attempt was not graded on the concept.
    #[schema(value_type = Option<ConceptStatusSchema>)]
    pub status: Option<ConceptStatus>,
    #[schema(value_type = Option<ClaimSchema>)]
    pub claim: Option<Claim>,
}

/// An attempt in a comparison.
#[derive(Serialize, ToSchema)]
#[schema(as = ComparedAttempt)]
pub struct ComparedAttemptJson {
    #[serde(flatten)]
    pub attempt: AttemptJson,
    /// Parallel to the comparison's `concepts`.
    pub statuses: Vec<StatusJson>,
    /// Concepts covered now that the previous attempt lacked.
    pub gained: Vec<String>,
    /// Concepts the previous attempt covered that this one lacks.
    pub lost: Vec<String>,
}

/// Every attempt at one question, side by side.
#[derive(Serialize, ToSchema)]
#[schema(as = QuestionAttempts)]
pub struct QuestionAttemptsJson {
    pub question: ComparedQuestionJson,
    /// The question's concepts (labels), in the order of each attempt's `statuses`.
    pub concepts: Vec<String>,
    /// Oldest first.
    pub attempts: Vec<ComparedAttemptJson>,
    /// Your claims on this question, counted per concept.
    pub claim_counts: Vec<ClaimCountJson>,
}

/// Every attempt at one question, side by side.
#[utoipa::path(
    get,
    path = "/api/v1/me/questions/{id}/attempts",
    operation_id = "my_question_attempts",
    tag = "progress",
    security(("session" = [])),
    params(("id" = String, Path, description = "Question id")),
    responses(
        (status = 200, description = "Your attempts at the question, oldest first, with what changed", body = QuestionAttemptsJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such question", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn question_attempts(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = practice::comparison(&state.practice, &user, &path).await?;
    let attempts = c
        .columns
        .iter()
        .map(|col| ComparedAttemptJson {
            attempt: AttemptJson::assessed(&col.attempt, &col.assessed),
            statuses: c
                .concepts
                .iter()
                .zip(&col.statuses)
                .zip(&col.claims)
                .map(|((k, s), claim)| StatusJson { concept: k.clone(), status: *s, claim: *claim })
                .collect(),
            gained: col.gained.clone(),
            lost: col.lost.clone(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(QuestionAttemptsJson {
        question: ComparedQuestionJson {
            id: c.question.id.clone(),
            prompt: c.question.prompt.clone(),
            topic: c.question.topic_name.clone(),
        },
        concepts: c.concepts.clone(),
        attempts,
        claim_counts: c.claim_counts.iter().map(ClaimCountJson::from).collect(),
    }))
}
