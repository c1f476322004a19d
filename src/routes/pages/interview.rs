//! Practising: the form that starts an interview, and the interview itself (the chat
//! transcript, answers, retries and follow-up replies). The transcript is built in
//! `transcript.rs`.
mod transcript;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{html, see_other, PageError};
use crate::domain::{TimeTaken, Topic};
use crate::practice::{self, AnswerRequest, InterviewRequest, Mode};
use crate::routes::pages::NavUser;
use crate::routes::session::PageUser;
use crate::routes::ApiError;
use crate::startup::AppState;
use transcript::{page, Refusal, Slot};

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    user: Option<NavUser>,
    csrf: String,
    topics: Vec<Topic>,
    error: Option<String>,
    /// Topic ids ticked when the page opens (`/practice?topic=ID`, from a topic's notes or
    /// a group's assignment).
    chosen: Vec<String>,
    /// The length chosen when the page opens (`&count=N`, from an assignment), and the
    /// lengths offered (it among them).
    count: usize,
    counts: Vec<usize>,
    /// The learner's latest interviews still in progress, to pick up again.
    unfinished: Vec<super::history::InterviewItem>,
    /// The mode chosen when the page opens (a refused start keeps it).
    drill: bool,
    /// A refused "Practise this question": the question (id, prompt), offered again.
    again: Option<(String, String)>,
    /// Questions due now and concepts the learner keeps missing: what a drill starts with.
    due: usize,
    weak: usize,
}

/// Interview lengths the practice form offers.
const COUNTS: [usize; 10] = [1, 3, 4, 5, 6, 8, 10, 12, 15, 20];

/// The lengths offered, with `count` among them, and `count` itself: the default when
/// it is not a length an interview can have.
fn lengths(count: Option<usize>) -> (usize, Vec<usize>) {
    let count = count.filter(|n| (1..=practice::MAX_COUNT).contains(n)).unwrap_or(practice::DEFAULT_COUNT);
    let mut counts = COUNTS.to_vec();
    if !counts.contains(&count) {
        counts.push(count);
        counts.sort_unstable();
    }
    (count, counts)
}

/// How many unfinished interviews the practice page offers to resume.
const RESUMABLE: usize = 3;

/// The learner's latest unfinished interviews (of their last 20).
async fn unfinished(state: &AppState, user: &PageUser) -> Result<Vec<super::history::InterviewItem>, PageError> {
    let history = state.practice.history(&user.0, 20, 0).await?;
    let open: Vec<_> = history.interviews.into_iter().filter(|i| i.finished_at.is_none()).take(RESUMABLE).collect();
    Ok(super::history::interview_items(&state.practice.bank(), open))
}

/// `/practice?topic=ID` ticks that topic; `&count=N` picks the length (a group's
/// assignment asks for N questions; more than an interview holds picks the longest).
#[derive(serde::Deserialize)]
pub struct Chosen {
    topic: Option<String>,
    count: Option<String>,
    /// `mode=drill` picks a drill (the home page's "Drill them").
    mode: Option<String>,
}

pub async fn new_form(
    user: PageUser,
    state: web::Data<AppState>,
    query: web::Query<Chosen>,
) -> Result<HttpResponse, PageError> {
    let topics = state.practice.topics().await?;
    let query = query.into_inner();
    let asked = query.count.and_then(|n| n.trim().parse::<usize>().ok()).map(|n| n.min(practice::MAX_COUNT));
    let (count, counts) = lengths(asked);
    let chosen = query.topic.into_iter().collect();
    let unfinished = unfinished(&state, &user).await?;
    let (due, weak) = practice::drill_outlook(&state.practice, &user.0).await?;
    let user_nav = Some(NavUser::of(&user.0));
    let page = PracticePage {
        csrf: user.csrf(),
        user: user_nav,
        topics,
        error: None,
        chosen,
        count,
        counts,
        unfinished,
        drill: query.mode.as_deref().and_then(|m| Mode::parse(m).ok()) == Some(Mode::Drill),
        again: None,
        due,
        weak,
    };
    html(StatusCode::OK, &page)
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
            "question" => request.question = Some(value.into_owned()),
            _ => {}
        }
    }
    let ticked = request.topics.clone();
    let asked = request.count;
    let drill = request.mode == Mode::Drill;
    let question = request.question.clone();
    let (count, counts) = lengths(asked);
    match practice::start_interview(&state.practice, &user.0, request).await {
        // Fewer questions than asked for (the ticked topics have fewer): the page says so.
        Ok((interview, _)) => Ok(see_other(&match asked {
            Some(n) if (n as i64) > interview.question_count => format!("/interviews/{}?asked={n}", interview.id),
            _ => format!("/interviews/{}", interview.id),
        })),
        // Refused (bad choice, nothing to ask, too many starts in a row): the form comes
        // back with the reason and every choice kept, and a refused "Practise this
        // question" offers that question again.
        Err(e @ (practice::Error::Invalid(_) | practice::Error::Unavailable(_) | practice::Error::TooMany { .. })) => {
            let topics = state.practice.topics().await?;
            let message = e.to_string();
            let retry_after = match &e {
                practice::Error::TooMany { retry_after, .. } => Some(*retry_after),
                _ => None,
            };
            let again =
                question.and_then(|id| state.practice.bank().question(&id).map(|q| (q.id.clone(), q.prompt.clone())));
            let (due, weak) = practice::drill_outlook(&state.practice, &user.0).await?;
            let mut response = html(
                status_of(e),
                &PracticePage {
                    csrf: user.csrf(),
                    user: Some(NavUser::of(&user.0)),
                    topics,
                    error: Some(message),
                    chosen: ticked,
                    count,
                    counts,
                    unfinished: unfinished(&state, &user).await?,
                    drill,
                    again,
                    due,
                    weak,
                },
            )?;
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(actix_web::http::header::RETRY_AFTER, actix_web::http::header::HeaderValue::from(seconds));
            }
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

/// `?asked=N`: the interview was started asking for N questions (anything else in it
/// is ignored, never an error page).
#[derive(Deserialize)]
pub struct Asked {
    asked: Option<String>,
}

pub async fn show(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<Asked>,
) -> Result<HttpResponse, PageError> {
    let view = practice::interview_view(&state.practice, &user.0, &path).await?;
    let mut page = page(NavUser::of(&user.0), user.csrf(), &view, None);
    let total = view.plan.questions.len();
    let asked = query.asked.as_deref().and_then(|n| n.parse::<usize>().ok());
    page.shortened = asked.and_then(|n| practice::shortened_notice(n, total));
    html(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct AnswerForm {
    question_id: String,
    answer: String,
    #[serde(default)]
    time_taken_ms: String,
    #[serde(default)]
    retry: String,
    /// "1" when the answer box was filled by speech recognition.
    #[serde(default)]
    spoken: String,
    /// "1" from the Skip button: the question is skipped, whatever the box holds.
    #[serde(default)]
    skip: String,
}

pub async fn answer(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, PageError> {
    // The browser's clock is a hint: a nonsense measurement (a clock change, a question
    // left open for days) is dropped rather than refusing the answer with it.
    let time_taken = form.time_taken_ms.trim().parse().ok().filter(|t| TimeTaken::parse(*t).is_ok());
    let retry = !form.retry.is_empty();
    let request = AnswerRequest {
        question_id: &form.question_id,
        answer: &form.answer,
        time_taken_ms: time_taken,
        retry,
        spoken: form.spoken == "1",
        skip: form.skip == "1",
    };
    match practice::submit_answer(&state.practice, &user.0, &path, request).await {
        Ok(outcome) => Ok(see_other(&format!("/interviews/{}#a-{}", path.as_str(), outcome.attempt_id))),
        Err(e) => {
            let slot = if retry { Slot::Retry } else { Slot::Answer };
            refused(&state, user, &path, slot, &form.answer, e).await
        }
    }
}

/// "End interview": the questions not asked yet stay unasked and the summary shows. An
/// interview that is over already just shows again (a second click, another tab).
pub async fn finish(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    match practice::finish_interview(&state.practice, &user.0, &path).await {
        Ok(()) | Err(practice::Error::Conflict(_)) => Ok(see_other(&format!("/interviews/{}#summary", path.as_str()))),
        Err(e) => Err(e.into()),
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
        e @ (practice::Error::Invalid(_) | practice::Error::Conflict(_) | practice::Error::TooMany { .. }) => {
            let view = practice::interview_view(&state.practice, &user.0, interview_id).await?;
            let message = e.to_string();
            let retry_after = match &e {
                practice::Error::TooMany { retry_after, .. } => Some(*retry_after),
                _ => None,
            };
            let status = status_of(e);
            let refusal = Refusal { slot, text: text.to_string(), message };
            let mut response = html(status, &page(NavUser::of(&user.0), user.csrf(), &view, Some(refusal)))?;
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(actix_web::http::header::RETRY_AFTER, actix_web::http::header::HeaderValue::from(seconds));
            }
            Ok(response)
        }
        other => Err(other.into()),
    }
}

/// The status the API gives the same refusal, so page and API agree.
fn status_of(e: practice::Error) -> StatusCode {
    actix_web::ResponseError::status_code(&ApiError::from(e))
}
