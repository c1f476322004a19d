use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::claims::SelfAssessedJson;
use super::QuestionJson;
use crate::grading::{ConceptResult, ConceptStatus, Grade};
use crate::learning::claims::Claim;
use crate::practice::{self, AnswerRequest, Assessed, InterviewRequest, Mode, StoredGrade};
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;
use crate::store::{AttemptRow, ClaimRow};

pub async fn topics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let topics = state.practice.topics().await?;
    let list: Vec<Value> = topics
        .iter()
        .map(|t| json!({"id": t.id, "name": t.name, "description": t.description, "questions": t.questions}))
        .collect();
    Ok(HttpResponse::Ok().json(json!({"topics": list})))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NewInterview {
    #[serde(default)]
    topics: Vec<String>,
    count: Option<usize>,
    mode: Option<String>,
    /// Seconds per question (timed mock interview).
    timer_seconds: Option<i64>,
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: Option<web::Json<NewInterview>>,
) -> Result<HttpResponse, ApiError> {
    let body = body.map(|b| b.into_inner()).unwrap_or_default();
    let mode = Mode::parse(body.mode.as_deref().unwrap_or("")).map_err(practice::Error::from)?;
    let request = InterviewRequest { topics: body.topics, count: body.count, mode, timer_seconds: body.timer_seconds };
    let (interview, first) = practice::start_interview(&state.practice, &user, request).await?;
    Ok(HttpResponse::Created().json(json!({
        "id": interview.id,
        "mode": interview.mode,
        "count": interview.question_count,
        "timer_seconds": interview.timer_seconds,
        "question": QuestionJson::from(first.as_ref()),
    })))
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view = practice::interview_view(&state.practice, &user, &path).await?;
    let attempts: Vec<Value> = view.attempts.iter().map(|a| attempt_json(a, &view.claims)).collect();
    Ok(HttpResponse::Ok().json(json!({
        "id": view.interview.id,
        "mode": view.interview.mode,
        "count": view.interview.question_count,
        "answered": view.interview.position,
        "finished": view.interview.finished_at.is_some(),
        "question": view.current().map(|q| QuestionJson::from(q.as_ref())),
        "attempts": attempts,
    })))
}

#[derive(Deserialize)]
pub struct AnswerBody {
    question_id: String,
    answer: String,
    /// Milliseconds the candidate took, as measured by the client.
    time_taken_ms: Option<i64>,
    /// Answer the question just answered again (after seeing the feedback).
    #[serde(default)]
    retry: bool,
}

/// A concept of a fresh answer: the grader's result, the learner's claim (none yet) and
/// the status the learning loop counts (the grader's, until a claim).
#[derive(Serialize)]
struct AnsweredConcept<'a> {
    #[serde(flatten)]
    result: &'a ConceptResult,
    claim: Option<Claim>,
    self_assessed: ConceptStatus,
}

/// The graded result of one answer, as the API and the chat page's script see it.
#[derive(Serialize)]
pub struct GradeJson<'a> {
    pub score: f64,
    pub band: &'a str,
    pub covered: Vec<String>,
    pub missed: Vec<String>,
    pub contradicted: Vec<String>,
    pub feedback: &'a str,
    pub concepts: &'a [crate::grading::ConceptResult],
}

impl<'a> From<&'a Grade> for GradeJson<'a> {
    fn from(g: &'a Grade) -> Self {
        GradeJson {
            score: g.score,
            band: g.band.as_str(),
            covered: g.covered(),
            missed: g.missed(),
            contradicted: g.contradicted(),
            feedback: &g.feedback,
            concepts: &g.concepts,
        }
    }
}

pub async fn answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<AnswerBody>,
) -> Result<HttpResponse, ApiError> {
    let request = AnswerRequest {
        question_id: &body.question_id,
        answer: &body.answer,
        time_taken_ms: body.time_taken_ms,
        retry: body.retry,
    };
    let outcome = practice::submit_answer(&state.practice, &user, &path, request).await?;
    let mut result = serde_json::to_value(GradeJson::from(&outcome.grade)).map_err(anyhow::Error::from)?;
    result["attempt_id"] = json!(outcome.attempt_id);
    result["question_id"] = json!(outcome.question.id);
    result["reference"] = json!(outcome.question.answer);
    result["next"] = json!(outcome.next.as_deref().map(QuestionJson::from));
    result["finished"] = json!(outcome.next.is_none());
    result["retry"] = json!(outcome.retry);
    result["follow_up"] = json!(outcome.follow_up.map(|f| json!({"concept": f.concept, "prompt": f.prompt})));
    // A new answer has no claims yet; the fields are there so clients read one shape.
    let concepts: Vec<AnsweredConcept> = outcome
        .grade
        .concepts
        .iter()
        .map(|result| AnsweredConcept { result, claim: None, self_assessed: result.status })
        .collect();
    result["concepts"] = json!(concepts);
    result["self_assessed_score"] = json!(outcome.grade.score);
    Ok(HttpResponse::Ok().json(result))
}

#[derive(Deserialize)]
pub struct FollowUpBody {
    attempt_id: String,
    answer: String,
}

/// The reply to a follow-up, graded against the one concept it probes.
pub async fn follow_up(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<FollowUpBody>,
) -> Result<HttpResponse, ApiError> {
    let outcome = practice::answer_follow_up(&state.practice, &user, &path, &body.attempt_id, &body.answer).await?;
    Ok(HttpResponse::Ok().json(json!({
        "concept": outcome.follow_up.concept,
        "prompt": outcome.follow_up.prompt,
        "status": outcome.result.status,
        "covered": outcome.result.status == crate::grading::ConceptStatus::Covered,
        "spans": outcome.result.spans,
        "feedback": outcome.feedback,
    })))
}

pub async fn history(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let history = state.practice.history(&user, 200, 500).await?;
    let claims = state.practice.claims(&user).await?;
    let interviews: Vec<Value> = history
        .interviews
        .iter()
        .map(|i| {
            json!({
                "id": i.id, "mode": i.mode, "count": i.question_count, "answered": i.answered,
                "mean_score": i.mean_score, "created_at": i.created_at, "finished": i.finished_at.is_some(),
                "topics": serde_json::from_str::<Value>(&i.topics).unwrap_or(Value::Null),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "attempts": history.attempts.iter().map(|a| attempt_json(a, &claims)).collect::<Vec<_>>(),
        "interviews": interviews,
    })))
}

/// An attempt as the API shows it, with the learner's claims among `claims` (claims on
/// other attempts are ignored).
pub fn attempt_json(a: &AttemptRow, claims: &[ClaimRow]) -> Value {
    attempt_json_assessed(a, &Assessed::of(a, claims))
}

pub fn attempt_json_assessed(a: &AttemptRow, assessed: &Assessed) -> Value {
    let grade = StoredGrade::parse(&a.grade);
    let assessed = SelfAssessedJson::from(assessed);
    let labels = |status| grade.labels(status);
    json!({
        "id": a.id,
        "interview_id": a.interview_id,
        "question_id": a.question_id,
        "prompt": a.prompt,
        "topic": a.topic_name,
        "answer": a.answer,
        "score": a.score,
        "band": a.band,
        "covered": labels(ConceptStatus::Covered),
        "missed": labels(ConceptStatus::Missed),
        "contradicted": labels(ConceptStatus::Contradicted),
        "feedback": a.feedback,
        "time_taken_ms": a.time_taken_ms,
        "created_at": a.created_at,
        "kind": a.kind,
        "self_assessed_score": assessed.self_assessed_score,
        "concepts": assessed.concepts,
    })
}
