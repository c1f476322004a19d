use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{escape, html, see_other, PageError};
use crate::domain::{AttemptKind, ConceptStatus, StatusText};
use crate::practice::{self, Assessed, BankQuestion, InterviewRequest, InterviewView, Mode, StoredGrade, StoredSpan};
use crate::routes::session::PageUser;
use crate::routes::ApiError;
use crate::startup::AppState;
use crate::store::{AttemptRow, ClaimRow, TopicRow};

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    user: Option<String>,
    topics: Vec<TopicRow>,
    error: Option<String>,
}

pub async fn new_form(user: PageUser, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let topics = state.practice.topics().await?;
    html(StatusCode::OK, &PracticePage { user: Some(user.0.username), topics, error: None })
}

/// The form sends `topic` once per ticked box, so it is parsed by hand rather than
/// with `web::Form` (which cannot collect repeated keys).
pub async fn create(user: PageUser, state: web::Data<AppState>, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let mut request = InterviewRequest::default();
    for (key, value) in form_urlencoded::parse(&body) {
        match key.as_ref() {
            "topic" => request.topics.push(value.into_owned()),
            "count" => request.count = value.parse().ok(),
            "mode" => request.mode = Mode::parse(&value).unwrap_or_default(),
            "timer" => request.timer_seconds = value.parse().ok().filter(|t: &i64| *t > 0),
            _ => {}
        }
    }
    match practice::start_interview(&state.practice, &user.0, request).await {
        Ok((interview, _)) => Ok(see_other(&format!("/interviews/{}", interview.id))),
        Err(e @ (practice::Error::Invalid(_) | practice::Error::Unavailable(_))) => {
            let topics = state.practice.topics().await?;
            let message = e.to_string();
            html(status_of(e), &PracticePage { user: Some(user.0.username), topics, error: Some(message) })
        }
        Err(e) => Err(e.into()),
    }
}

/// One answer in the transcript (a first answer or a retry), with its feedback.
struct Exchange {
    attempt_id: String,
    number: usize,
    retry: bool,
    prompt: String,
    topic: String,
    answer_html: String,
    score: i64,
    /// The self-assessed score, when the learner's claims moved it.
    self_score: Option<i64>,
    band: String,
    band_label: String,
    feedback: String,
    /// By the grader's verdict.
    covered: Vec<ConceptLine>,
    missed: Vec<ConceptLine>,
    contradicted: Vec<ConceptLine>,
    reference: String,
    question_id: String,
    follow_up: Option<FollowUpView>,
    /// "72 s against a 60 s limit" when a timed answer took longer than allowed.
    overtime: Option<String>,
}

/// One graded concept with the learner's claim on it.
struct ConceptLine {
    label: String,
    hint: String,
    /// The grader's verdict: `covered`, `missed` or `contradicted`.
    graded: String,
    /// `covered`, `wrong`, or `""` when the learner has not disputed it.
    claim: String,
}

/// A follow-up the interviewer asked, and the reply if there is one.
struct FollowUpView {
    attempt_id: String,
    prompt: String,
    concept: String,
    reply: Option<(String, bool, String)>,
}

struct Current {
    number: usize,
    question_id: String,
    prompt: String,
    topic: String,
}

struct Summary {
    answered: usize,
    mean: i64,
    strong: usize,
    missed: Vec<String>,
}

#[derive(Template)]
#[template(path = "interview.html")]
struct InterviewPage {
    user: Option<String>,
    id: String,
    mode: String,
    progress: usize,
    total: usize,
    timer_seconds: i64,
    exchanges: Vec<Exchange>,
    current: Option<Current>,
    reveal_next: bool,
    /// Text and message of a refused answer, put back in the form it came from.
    draft: String,
    error: Option<String>,
    retry_draft: String,
    retry_error: Option<String>,
    follow_up_draft: String,
    follow_up_error: Option<String>,
    summary: Option<Summary>,
}

/// Which form a refused submission came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Answer,
    Retry,
    FollowUp,
}

/// A submission the server refused: shown again with its text so nothing is lost.
struct Refusal {
    slot: Slot,
    text: String,
    message: String,
}

fn band_label(band: &str) -> String {
    match band {
        "strong" => "Strong answer",
        "partial" => "Partly there",
        "weak" => "Weak answer",
        _ => "Off topic or no real answer",
    }
    .to_string()
}

/// Escapes the answer and wraps the parts that matched a covered concept in `<mark>`.
fn highlight(answer: &str, spans: &[StoredSpan]) -> String {
    let mut spans: Vec<StoredSpan> = spans
        .iter()
        .copied()
        .filter(|s| {
            s.start < s.end
                && s.end <= answer.len()
                && answer.is_char_boundary(s.start)
                && answer.is_char_boundary(s.end)
        })
        .collect();
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out = String::new();
    let mut at = 0;
    for s in spans {
        if s.start < at {
            continue;
        }
        out.push_str(&escape(&answer[at..s.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&answer[s.start..s.end]));
        out.push_str("</mark>");
        at = s.end;
    }
    out.push_str(&escape(&answer[at..]));
    out
}

fn exchange(
    number: usize,
    attempt: &AttemptRow,
    question: Option<&BankQuestion>,
    follow_up: Option<FollowUpView>,
    timer_seconds: Option<i64>,
    claims: &[ClaimRow],
) -> Exchange {
    let stored = StoredGrade::parse(&attempt.grade);
    let covered_spans: Vec<StoredSpan> =
        stored.with_status(ConceptStatus::Covered).flat_map(|c| c.spans.iter().copied()).collect();
    let assessed = Assessed::of(attempt, claims);
    let lines = |status: ConceptStatus| -> Vec<ConceptLine> {
        assessed
            .concepts
            .iter()
            .filter(|c| c.status == status)
            .map(|c| ConceptLine {
                label: c.label.clone(),
                hint: c.hint.clone(),
                graded: c.status.as_str().to_string(),
                claim: c.claim.map(|claim| claim.as_str()).unwrap_or_default().to_string(),
            })
            .collect()
    };
    Exchange {
        attempt_id: attempt.id.clone(),
        number,
        retry: attempt.kind == AttemptKind::Retry,
        prompt: attempt.prompt.clone(),
        topic: attempt.topic_name.clone(),
        answer_html: highlight(&attempt.answer, &covered_spans),
        score: (attempt.score * 100.0).round() as i64,
        self_score: assessed.differs().then(|| (assessed.self_assessed_score * 100.0).round() as i64),
        band: attempt.band.clone(),
        band_label: band_label(&attempt.band),
        feedback: attempt.feedback.clone(),
        covered: lines(ConceptStatus::Covered),
        missed: lines(ConceptStatus::Missed),
        contradicted: lines(ConceptStatus::Contradicted),
        reference: question.map(|q| q.answer.clone()).unwrap_or_default(),
        question_id: attempt.question_id.clone(),
        follow_up,
        overtime: match (timer_seconds, attempt.time_taken_ms) {
            (Some(limit), Some(took)) if took > limit * 1000 && attempt.kind != AttemptKind::Retry => {
                Some(format!("{} s against a {limit} s limit", (took + 500) / 1000))
            }
            _ => None,
        },
    }
}

/// The follow-up shown under an attempt: with its reply if it was answered; otherwise,
/// for the latest answer only, the one asked after it, waiting for a reply.
fn follow_up_view(view: &InterviewView, attempt: &AttemptRow, latest: bool) -> Option<FollowUpView> {
    if let Some(f) = view.follow_ups.iter().find(|f| f.attempt_id == attempt.id) {
        let covered = f.status == ConceptStatus::Covered;
        let verdict =
            if covered { format!("Yes: that covers {}.", f.concept) } else { format!("Still missing: {}.", f.concept) };
        return Some(FollowUpView {
            attempt_id: f.attempt_id.clone(),
            prompt: f.prompt.clone(),
            concept: f.concept.clone(),
            reply: Some((f.answer.clone(), covered, verdict)),
        });
    }
    if !latest || attempt.kind == AttemptKind::Retry {
        return None;
    }
    let asked = attempt.follow_up()?;
    Some(FollowUpView { attempt_id: attempt.id.clone(), prompt: asked.prompt, concept: asked.concept, reply: None })
}

fn page(user: String, view: &InterviewView, refusal: Option<Refusal>) -> InterviewPage {
    let bank_question = |id: &str| view.questions.iter().find(|q| q.id == id).map(|q| q.as_ref());
    // A follow-up waits for a reply only while its answer is the latest thing said: a
    // retry after it supersedes it.
    let latest_first_answer =
        view.attempts.len().checked_sub(1).filter(|i| view.attempts[*i].kind != AttemptKind::Retry);
    let exchanges: Vec<Exchange> = view
        .attempts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let question = bank_question(&a.question_id);
            let number = view.questions.iter().position(|q| q.id == a.question_id).map(|p| p + 1).unwrap_or(i + 1);
            let follow_up = follow_up_view(view, a, Some(i) == latest_first_answer);
            exchange(number, a, question, follow_up, view.interview.timer_seconds, &view.claims)
        })
        .collect();
    let position = view.interview.position as usize;
    let current = view.current().map(|q| Current {
        number: position + 1,
        question_id: q.id.clone(),
        prompt: q.prompt.clone(),
        topic: q.topic_name.clone(),
    });
    let summary = view.summary().map(|s| Summary {
        answered: s.answered,
        mean: (s.mean_score * 100.0).round() as i64,
        strong: s.strong,
        missed: s.to_work_on,
    });
    let pick = |slot: Slot| match &refusal {
        Some(r) if r.slot == slot => (r.text.clone(), Some(r.message.clone())),
        _ => (String::new(), None),
    };
    let (draft, error) = pick(Slot::Answer);
    let (retry_draft, retry_error) = pick(Slot::Retry);
    let (follow_up_draft, follow_up_error) = pick(Slot::FollowUp);
    InterviewPage {
        user: Some(user),
        id: view.interview.id.clone(),
        mode: view.interview.mode.as_str().to_string(),
        progress: (position + 1).min(view.questions.len()),
        total: view.questions.len(),
        timer_seconds: view.interview.timer_seconds.unwrap_or(0),
        reveal_next: !exchanges.is_empty() && refusal.is_none(),
        exchanges,
        current,
        draft,
        error,
        retry_draft,
        retry_error,
        follow_up_draft,
        follow_up_error,
        summary,
    }
}

pub async fn show(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let view = practice::interview_view(&state.practice, &user.0, &path).await?;
    html(StatusCode::OK, &page(user.0.username, &view, None))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    question_id: String,
    answer: String,
    #[serde(default)]
    time_taken_ms: String,
    #[serde(default)]
    retry: String,
}

pub async fn answer(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, PageError> {
    let time_taken = form.time_taken_ms.trim().parse().ok();
    let retry = !form.retry.is_empty();
    match practice::submit_answer(&state.practice, &user.0, &path, &form.question_id, &form.answer, time_taken, retry)
        .await
    {
        Ok(outcome) => Ok(see_other(&format!("/interviews/{}#a-{}", path.as_str(), outcome.attempt_id))),
        Err(e) => {
            let slot = if retry { Slot::Retry } else { Slot::Answer };
            refused(&state, user, &path, slot, &form.answer, e).await
        }
    }
}

#[derive(Deserialize)]
pub struct FollowUpForm {
    attempt_id: String,
    answer: String,
}

pub async fn follow_up(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<FollowUpForm>,
) -> Result<HttpResponse, PageError> {
    match practice::answer_follow_up(&state.practice, &user.0, &path, &form.attempt_id, &form.answer).await {
        Ok(_) => Ok(see_other(&format!("/interviews/{}#follow-up-{}", path.as_str(), form.attempt_id))),
        Err(e) => refused(&state, user, &path, Slot::FollowUp, &form.answer, e).await,
    }
}

/// A refused submission re-renders the page with the text back in its form and the
/// reason next to it, so nothing typed is lost; other errors become error pages.
async fn refused(
    state: &AppState,
    user: PageUser,
    interview_id: &str,
    slot: Slot,
    text: &str,
    error: practice::Error,
) -> Result<HttpResponse, PageError> {
    match error {
        e @ (practice::Error::Invalid(_) | practice::Error::Conflict(_)) => {
            let view = practice::interview_view(&state.practice, &user.0, interview_id).await?;
            let message = e.to_string();
            let status = status_of(e);
            let refusal = Refusal { slot, text: text.to_string(), message };
            html(status, &page(user.0.username, &view, Some(refusal)))
        }
        other => Err(other.into()),
    }
}

/// The status the API gives the same refusal, so page and API agree.
fn status_of(e: practice::Error) -> StatusCode {
    actix_web::ResponseError::status_code(&ApiError::from(e))
}
