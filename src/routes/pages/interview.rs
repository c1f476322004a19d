use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use std::collections::BTreeMap;

use super::{escape, html, see_other};
use crate::auth::PageUser;
use crate::error::{ApiError, PageError};
use crate::practice::{self, AppState, InterviewRequest, InterviewView};
use crate::store::{AttemptRow, TopicRow};

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    user: Option<String>,
    topics: Vec<TopicRow>,
    error: Option<String>,
}

pub async fn new_form(user: PageUser, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let topics = state.store.topics().await?;
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
            _ => {}
        }
    }
    match practice::start_interview(&state, &user.0, request).await {
        Ok((interview, _)) => Ok(see_other(&format!("/interviews/{}", interview.id))),
        Err(e @ (ApiError::Invalid(_) | ApiError::Unavailable(_))) => {
            let topics = state.store.topics().await?;
            let status = actix_web::ResponseError::status_code(&e);
            html(status, &PracticePage { user: Some(user.0.username), topics, error: Some(e.to_string()) })
        }
        Err(e) => Err(e.into()),
    }
}

/// One answered question in the transcript.
struct Exchange {
    number: usize,
    prompt: String,
    topic: String,
    answer_html: String,
    score: i64,
    band: String,
    band_label: String,
    feedback: String,
    covered: Vec<String>,
    missed: Vec<(String, String)>,
    contradicted: Vec<(String, String)>,
    reference: String,
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
    progress: usize,
    total: usize,
    exchanges: Vec<Exchange>,
    current: Option<Current>,
    reveal_next: bool,
    draft: String,
    error: Option<String>,
    summary: Option<Summary>,
}

/// The stored grade of an attempt (the JSON written when it was graded).
#[derive(Deserialize)]
struct StoredGrade {
    #[serde(default)]
    concepts: Vec<StoredConcept>,
}

#[derive(Deserialize)]
struct StoredConcept {
    label: String,
    status: String,
    #[serde(default)]
    spans: Vec<StoredSpan>,
    #[serde(default)]
    hint: String,
}

#[derive(Deserialize, Clone, Copy)]
struct StoredSpan {
    start: usize,
    end: usize,
}

fn band_label(band: &str) -> String {
    match band {
        "strong" => "Strong answer",
        "partial" => "Partly there",
        "weak" => "Weak answer",
        _ => "Off topic",
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

fn exchange(number: usize, attempt: &AttemptRow, reference: &str) -> Exchange {
    let stored: StoredGrade = serde_json::from_str(&attempt.grade).unwrap_or(StoredGrade { concepts: vec![] });
    let pick =
        |status: &str| -> Vec<&StoredConcept> { stored.concepts.iter().filter(|c| c.status == status).collect() };
    let covered_spans: Vec<StoredSpan> = pick("covered").iter().flat_map(|c| c.spans.iter().copied()).collect();
    Exchange {
        number,
        prompt: attempt.prompt.clone(),
        topic: attempt.topic_name.clone(),
        answer_html: highlight(&attempt.answer, &covered_spans),
        score: (attempt.score * 100.0).round() as i64,
        band: attempt.band.clone(),
        band_label: band_label(&attempt.band),
        feedback: attempt.feedback.clone(),
        covered: pick("covered").iter().map(|c| c.label.clone()).collect(),
        missed: pick("missed").iter().map(|c| (c.label.clone(), c.hint.clone())).collect(),
        contradicted: pick("contradicted").iter().map(|c| (c.label.clone(), c.hint.clone())).collect(),
        reference: reference.to_string(),
    }
}

fn page(user: String, view: &InterviewView, draft: String, error: Option<String>) -> InterviewPage {
    let exchanges: Vec<Exchange> = view
        .attempts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let reference =
                view.questions.get(i).filter(|q| q.id == a.question_id).map(|q| q.answer.as_str()).unwrap_or("");
            exchange(i + 1, a, reference)
        })
        .collect();
    let position = view.interview.position as usize;
    let current = view.current().map(|q| Current {
        number: position + 1,
        question_id: q.id.clone(),
        prompt: q.prompt.clone(),
        topic: q.topic_name.clone(),
    });
    let summary = if current.is_none() && !exchanges.is_empty() {
        let mut missed: BTreeMap<String, usize> = BTreeMap::new();
        for x in &exchanges {
            for (label, _) in x.missed.iter().chain(&x.contradicted) {
                *missed.entry(label.clone()).or_default() += 1;
            }
        }
        let mut missed: Vec<(String, usize)> = missed.into_iter().collect();
        missed.sort_by_key(|m| std::cmp::Reverse(m.1));
        Some(Summary {
            answered: exchanges.len(),
            mean: exchanges.iter().map(|x| x.score).sum::<i64>() / exchanges.len() as i64,
            strong: exchanges.iter().filter(|x| x.band == "strong").count(),
            missed: missed.into_iter().take(6).map(|(l, _)| l).collect(),
        })
    } else {
        None
    };
    InterviewPage {
        user: Some(user),
        id: view.interview.id.clone(),
        progress: (position + 1).min(view.questions.len()),
        total: view.questions.len(),
        reveal_next: !exchanges.is_empty() && error.is_none(),
        exchanges,
        current,
        draft,
        error,
        summary,
    }
}

pub async fn show(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let view = practice::interview_view(&state, &user.0, &path).await.map_err(not_found_page)?;
    html(StatusCode::OK, &page(user.0.username, &view, String::new(), None))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    question_id: String,
    answer: String,
    #[serde(default)]
    time_taken_ms: String,
}

pub async fn answer(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, PageError> {
    let time_taken = form.time_taken_ms.trim().parse().ok();
    match practice::submit_answer(&state, &user.0, &path, &form.question_id, &form.answer, time_taken).await {
        Ok(outcome) => Ok(see_other(&format!("/interviews/{}#feedback-{}", path.as_str(), outcome.number))),
        // A refused answer re-renders the page with the text kept, so nothing typed is lost.
        Err(e @ (ApiError::Invalid(_) | ApiError::Conflict(_))) => {
            let view = practice::interview_view(&state, &user.0, &path).await?;
            let status = actix_web::ResponseError::status_code(&e);
            html(status, &page(user.0.username, &view, form.answer.clone(), Some(e.to_string())))
        }
        Err(e) => Err(not_found_page(e)),
    }
}

fn not_found_page(e: ApiError) -> PageError {
    match e {
        ApiError::NotFound(m) => PageError::NotFound(m),
        other => PageError::Api(other),
    }
}
