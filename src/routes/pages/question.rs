//! Every attempt at one question side by side (`/questions/{id}`).
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::{html, when, PageError};
use crate::domain::{ConceptStatus, StatusText};
use crate::grading::Band;
use crate::learning::claims::CHECKS;
use crate::practice::{self, Comparison};
use crate::routes::pages::NavUser;
use crate::routes::session::PageUser;
use crate::startup::AppState;

struct Column {
    attempt_id: String,
    when: String,
    kind: String,
    score: i64,
    /// The self-assessed score, when the learner's claims moved it.
    self_score: Option<i64>,
    band: String,
    answer: String,
    gained: Vec<String>,
    lost: Vec<String>,
    /// The statements the grader asked the learner to check (anticipated
    /// misconceptions), and `covered` when the learner said they are right.
    checks: Vec<String>,
    checks_claim: String,
    /// The follow-up asked after this answer and the reply: (concept, prompt, reply, chip
    /// class, verdict).
    follow_up: Option<(String, String, String, &'static str, String)>,
    /// The version answered, with its prompt and model answer when it is not today's.
    version: i64,
    older: Option<(String, String)>,
    /// Names of the groups it is shared with.
    shared_with: Vec<String>,
    /// The user's groups it can still be shared with (id, name): not those it is shared
    /// with already; none for a skipped question.
    share_to: Vec<(String, String)>,
    /// (marker, mark 0-5, comment) from those groups.
    marks: Vec<(String, i64, String)>,
}

#[derive(Template)]
#[template(path = "question.html")]
struct QuestionPage {
    user: Option<NavUser>,
    csrf: String,
    prompt: String,
    topic: String,
    reference: String,
    columns: Vec<Column>,
    /// Some attempt has checks: the table gets a row for them.
    any_checks: bool,
    rows: Vec<ConceptRow>,
    /// (concept, "I covered this" claims, "I got this wrong" claims), most disputed first.
    claim_counts: Vec<(String, i64, i64)>,
    /// The user is in a study group (without one, a hint says where sharing comes from).
    in_a_group: bool,
    /// The question's id, and whether it can be practised (it is not retired).
    id: String,
    practisable: bool,
}

/// One concept across the attempts.
struct ConceptRow {
    concept: String,
    cells: Vec<Cell>,
}

/// One concept in one attempt: the grader's verdict and the learner's claim.
struct Cell {
    attempt_id: String,
    /// `covered`, `missed`, `contradicted`, or `""` when the attempt was not graded on it.
    status: String,
    /// `covered`, `wrong` or `""`.
    claim: String,
    /// Missed in the answer, then covered by the reply to its follow-up (as the
    /// interview page shows it): no "I covered this" is offered.
    covered_later: bool,
}

pub async fn show(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let c: Comparison = practice::comparison(&state.practice, &user.0, &path).await?;
    let shares = practice::question_shares(&state.practice, &user.0, &path).await?;
    let groups = practice::my_groups(&state.practice, &user.0).await?;
    let share_of = |attempt: &str| shares.iter().find(|s| s.attempt_id == attempt);
    let rows = c
        .concepts
        .iter()
        .enumerate()
        .map(|(i, concept)| ConceptRow {
            concept: concept.clone(),
            cells: c
                .columns
                .iter()
                .map(|col| Cell {
                    attempt_id: col.attempt.id.clone(),
                    status: col.statuses[i].map(|s| s.as_str()).unwrap_or_default().to_string(),
                    claim: col.claims[i].map(|claim| claim.as_str()).unwrap_or_default().to_string(),
                    covered_later: col.statuses[i] == Some(ConceptStatus::Missed)
                        && c.follow_ups.iter().any(|f| {
                            f.attempt_id == col.attempt.id
                                && f.concept == *concept
                                && f.status == ConceptStatus::Covered
                        }),
                })
                .collect(),
        })
        .collect();
    let columns: Vec<Column> = c
        .columns
        .iter()
        .map(|col| (col, share_of(&col.attempt.id)))
        .map(|(col, share)| Column {
            attempt_id: col.attempt.id.clone(),
            when: when(col.attempt.created_at),
            kind: col.attempt.kind.as_str().to_string(),
            score: (col.attempt.score * 100.0).round() as i64,
            self_score: col.assessed.differs().then(|| (col.assessed.self_assessed_score * 100.0).round() as i64),
            band: super::band_class(&col.attempt).to_string(),
            answer: col.attempt.answer.clone(),
            version: col.attempt.question_version,
            older: (col.attempt.question_version != c.question.version)
                .then(|| (col.attempt.prompt.clone(), col.attempt.reference.clone())),
            shared_with: share.map(|s| s.groups.iter().map(|g| g.1.clone()).collect()).unwrap_or_default(),
            share_to: if col.attempt.answer.trim().is_empty() {
                Vec::new()
            } else {
                groups
                    .iter()
                    .filter(|g| !share.is_some_and(|s| s.groups.iter().any(|(id, _)| *id == g.group.id)))
                    .map(|g| (g.group.id.clone(), g.group.name.clone()))
                    .collect()
            },
            marks: share
                .map(|s| s.marks.iter().map(|m| (m.marker_name.clone(), m.score, m.comment.clone())).collect())
                .unwrap_or_default(),
            gained: col.gained.clone(),
            lost: col.lost.clone(),
            checks: col.attempt.grade.checks.iter().map(|c| c.check.clone()).collect(),
            checks_claim: col.assessed.checks_claim.map(|c| c.as_str()).unwrap_or_default().to_string(),
            follow_up: c.follow_ups.iter().find(|f| f.attempt_id == col.attempt.id).map(|f| {
                use crate::practice::FollowUpJudgement;
                let judgement = FollowUpJudgement::of(Some(&c.question), &f.concept, &f.prompt, &f.answer, f.status);
                let (chip, verdict) = match judgement {
                    FollowUpJudgement::Covered => ("ok", format!("covered {}", f.concept)),
                    FollowUpJudgement::Contradicted => ("bad", format!("still gets {} wrong", f.concept)),
                    FollowUpJudgement::NotJudged => {
                        ("", format!("not judged: the follow-up used the words of {}", f.concept))
                    }
                    FollowUpJudgement::Missed => ("miss", format!("{} not found", f.concept)),
                    FollowUpJudgement::Unmatched => {
                        ("", format!("not judged: the gap reads {}, the reply does not use its words", f.concept))
                    }
                };
                (f.concept.clone(), f.prompt.clone(), f.answer.clone(), chip, verdict)
            }),
        })
        .collect();
    let page = QuestionPage {
        user: Some(NavUser::of(&user.0)),
        csrf: user.csrf(),
        prompt: c.question.prompt.clone(),
        topic: c.question.topic_name.clone(),
        reference: c.question.answer.clone(),
        any_checks: columns.iter().any(|c: &Column| !c.checks.is_empty()),
        columns,
        rows,
        claim_counts: c
            .claim_counts
            .iter()
            .map(|n| {
                let concept = if n.concept == CHECKS { "the grader's checks".to_string() } else { n.concept.clone() };
                (concept, n.covered_claims, n.wrong_claims)
            })
            .collect(),
        in_a_group: !groups.is_empty(),
        id: c.question.id.clone(),
        practisable: !c.question.retired,
    };
    html(StatusCode::OK, &page)
}

/// One question in the list of every question.
struct ListedQuestion {
    id: String,
    prompt: String,
    /// "easy", "medium" or "hard".
    difficulty: &'static str,
    answers: usize,
    /// The latest counted answer's score (0-100) and its band, if any.
    last: Option<(i64, &'static str)>,
}

struct ListedTopic {
    id: String,
    name: String,
    questions: Vec<ListedQuestion>,
}

#[derive(Template)]
#[template(path = "questions.html")]
struct QuestionsPage {
    user: Option<NavUser>,
    csrf: String,
    topics: Vec<ListedTopic>,
    total: usize,
}

fn difficulty(level: i64) -> &'static str {
    match level {
        ..=1 => "easy",
        2 => "medium",
        _ => "hard",
    }
}

/// Every question of the bank by topic (`/questions`), each with how the learner did on
/// it and a button to practise it alone: a mock interview or a drill picks questions
/// for the learner, and this is where they pick one themselves.
pub async fn list(user: PageUser, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let topics: Vec<ListedTopic> = practice::question_list(&state.practice, &user.0)
        .await?
        .into_iter()
        .map(|t| ListedTopic {
            id: t.topic_id,
            name: t.topic,
            questions: t
                .questions
                .into_iter()
                .map(|q| ListedQuestion {
                    difficulty: difficulty(q.difficulty),
                    last: q.last_score.map(|s| ((s * 100.0).round() as i64, Band::from_score(s).as_str())),
                    answers: q.answers,
                    id: q.id,
                    prompt: q.prompt,
                })
                .collect(),
        })
        .collect();
    let total = topics.iter().map(|t| t.questions.len()).sum();
    let page = QuestionsPage { user: Some(NavUser::of(&user.0)), csrf: user.csrf(), topics, total };
    html(StatusCode::OK, &page)
}
