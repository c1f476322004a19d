use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::{html, when, PageError};
use crate::domain::{AttemptKind, ConceptStatus};
use crate::learning::claims::Claim;
use crate::routes::pages::NavUser;
use crate::routes::session::PageUser;
use crate::startup::AppState;

/// One interview in a list: the history page's, and "pick up where you left off" on
/// the practice page.
pub(super) struct InterviewItem {
    pub id: String,
    pub when: String,
    pub topics: String,
    pub count: i64,
    pub answered: i64,
    pub mean: Option<i64>,
    pub finished: bool,
    /// The question of a one-question interview ("Practise this question"), when known:
    /// a list of them would otherwise read as one line repeated.
    pub question: Option<String>,
}

/// List items for `interviews`, with topic names from the bank.
pub(super) fn interview_items(
    bank: &crate::practice::QuestionBank,
    interviews: Vec<crate::domain::InterviewOverview>,
) -> Vec<InterviewItem> {
    let topic_name = |id: &str| {
        bank.active().find(|q| q.topic_id == id).map(|q| q.topic_name.clone()).unwrap_or_else(|| id.to_string())
    };
    interviews
        .into_iter()
        .map(|i| {
            let topics = if i.topics.is_empty() {
                "All topics".to_string()
            } else {
                i.topics.iter().map(|t| topic_name(t)).collect::<Vec<_>>().join(", ")
            };
            let topics = match super::interview_kind(i.mode, usize::try_from(i.question_count).unwrap_or(0)) {
                super::MOCK_INTERVIEW => topics,
                kind => format!("{kind} · {topics}"),
            };
            InterviewItem {
                id: i.id,
                when: when(i.created_at),
                topics,
                count: i.question_count,
                answered: i.answered,
                mean: i.mean_score.map(|m| (m * 100.0).round() as i64),
                finished: i.finished_at.is_some(),
                question: None,
            }
        })
        .collect()
}

struct AttemptItem {
    id: String,
    when: String,
    retry: bool,
    /// Skipped, not answered.
    skipped: bool,
    interview_id: Option<String>,
    question_id: String,
    prompt: String,
    topic: String,
    score: i64,
    band: String,
    missed: String,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    user: Option<NavUser>,
    csrf: String,
    interviews: Vec<InterviewItem>,
    attempts: Vec<AttemptItem>,
    /// The learner is in a study group, so answers can be shared for marking.
    in_a_group: bool,
}

pub async fn show(user: PageUser, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let bank = state.practice.bank();
    let history = state.practice.history(&user.0, 100, 100).await?;
    let (interviews, attempts) = (history.interviews, history.attempts);
    // A concept the follow-up asked about and the reply covered is no longer missed.
    let followed_up: std::collections::HashSet<(String, String)> = history
        .follow_ups
        .into_iter()
        .filter(|f| f.status == ConceptStatus::Covered)
        .map(|f| (f.attempt_id, f.concept))
        .collect();
    let mut interviews = interview_items(&bank, interviews);
    for item in interviews.iter_mut().filter(|i| i.count == 1) {
        item.question =
            attempts.iter().find(|a| a.interview_id.as_deref() == Some(item.id.as_str())).map(|a| a.prompt.clone());
    }
    // A concept the learner says they covered is listed as theirs, not as missed; one
    // they say they got wrong is listed too, though the grader called it covered.
    let claims: std::collections::HashMap<(String, String), Claim> =
        state.practice.claims(&user.0).await?.into_iter().map(|c| ((c.attempt_id, c.concept), c.claim)).collect();
    let attempts = attempts
        .into_iter()
        .map(|a| {
            let grade = &a.grade;
            let missed: Vec<String> = grade
                .concepts
                .iter()
                .filter_map(|c| {
                    let key = (a.id.clone(), c.label.clone());
                    match (c.status, claims.get(&key)) {
                        (ConceptStatus::Covered, Some(Claim::Wrong)) => Some(format!("{} (you: got wrong)", c.label)),
                        (ConceptStatus::Covered, _) => None,
                        _ if followed_up.contains(&key) => {
                            Some(format!("{} (covered in your follow-up reply)", c.label))
                        }
                        (_, Some(Claim::Covered)) => Some(format!("{} (you: covered)", c.label)),
                        // A concept the grader flagged as a possible error reads as one
                        // to check, not as one left out.
                        (ConceptStatus::Contradicted, _) => Some(format!("{} (to check)", c.label)),
                        _ => Some(c.label.clone()),
                    }
                })
                .collect();
            // A statement an anticipated misconception flagged is listed too, quoted
            // ("“only affects new pods” (to check)"): only the feedback said so, and a
            // walk-through found the check gone from history.
            let missed: Vec<String> = missed
                .into_iter()
                .chain(grade.checks.iter().filter_map(|c| {
                    a.answer.get(c.span.start..c.span.end).map(|phrase| format!("\u{201c}{phrase}\u{201d} (to check)"))
                }))
                .collect();
            let band = super::band_class(&a).to_string();
            AttemptItem {
                id: a.id,
                when: when(a.created_at),
                retry: a.kind == AttemptKind::Retry,
                skipped: a.kind == AttemptKind::Skipped,
                interview_id: a.interview_id,
                question_id: a.question_id,
                prompt: a.prompt,
                topic: a.topic_name,
                score: (a.score * 100.0).round() as i64,
                band,
                missed: if a.kind == AttemptKind::Skipped {
                    "— (skipped)".into()
                } else if missed.is_empty() {
                    "—".into()
                } else {
                    missed.join(", ")
                },
            }
        })
        .collect();
    let in_a_group = !crate::practice::my_groups(&state.practice, &user.0).await?.is_empty();
    html(
        StatusCode::OK,
        &HistoryPage { csrf: user.csrf(), user: Some(NavUser::of(&user.0)), interviews, attempts, in_a_group },
    )
}
