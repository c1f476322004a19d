//! The interview flow shared by the HTML pages and the JSON API: start an interview,
//! grade and store an answer, and read an interview back.
mod bank;

pub use bank::{BankQuestion, QuestionBank};

use rand::seq::SliceRandom;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use crate::auth::CurrentUser;
use crate::domain::AnswerText;
use crate::error::ApiError;
use crate::grading::{ConceptStatus, Grade};
use crate::store::{AttemptRow, InterviewRow, NewAttempt, Store};

/// Questions per interview when the caller does not say.
pub const DEFAULT_COUNT: usize = 5;
pub const MAX_COUNT: usize = 20;

/// Shared by every request handler.
pub struct AppState {
    pub store: Store,
    bank: RwLock<Arc<QuestionBank>>,
}

impl AppState {
    pub fn new(store: Store, bank: QuestionBank) -> AppState {
        AppState { store, bank: RwLock::new(Arc::new(bank)) }
    }

    /// The current bank (a cheap handle; reloading swaps it without blocking readers long).
    pub fn bank(&self) -> Arc<QuestionBank> {
        match self.bank.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn replace_bank(&self, bank: QuestionBank) {
        match self.bank.write() {
            Ok(mut guard) => *guard = Arc::new(bank),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(bank),
        }
    }
}

/// What the caller asked for when starting an interview.
#[derive(Debug, Default, Clone)]
pub struct InterviewRequest {
    /// Topic ids or names; empty means every topic.
    pub topics: Vec<String>,
    pub count: Option<usize>,
}

/// A graded, stored answer and what comes next.
pub struct AnswerOutcome {
    pub attempt_id: String,
    /// 1-based position of the answered question in its interview.
    pub number: usize,
    pub question: Arc<BankQuestion>,
    pub grade: Grade,
    pub next: Option<Arc<BankQuestion>>,
}

/// An interview with its questions and the attempts made so far.
pub struct InterviewView {
    pub interview: InterviewRow,
    pub questions: Vec<Arc<BankQuestion>>,
    pub attempts: Vec<AttemptRow>,
}

impl InterviewView {
    /// The question waiting for an answer, if the interview is not over.
    pub fn current(&self) -> Option<&Arc<BankQuestion>> {
        self.questions.get(self.interview.position as usize)
    }
}

/// Picks questions and stores a new interview. Topics are mixed: the order alternates
/// between the chosen topics, random within each.
pub async fn start_interview(
    state: &AppState,
    user: &CurrentUser,
    request: InterviewRequest,
) -> Result<(InterviewRow, Arc<BankQuestion>), ApiError> {
    let bank = state.bank();
    let count = request.count.unwrap_or(DEFAULT_COUNT);
    if count == 0 || count > MAX_COUNT {
        return Err(ApiError::Invalid(format!("An interview has 1 to {MAX_COUNT} questions, not {count}.")));
    }
    let topics = resolve_topics(&bank, &request.topics)?;
    let mut by_topic: BTreeMap<&str, Vec<&Arc<BankQuestion>>> = BTreeMap::new();
    for q in bank.active().filter(|q| topics.is_empty() || topics.contains(&q.topic_id)) {
        by_topic.entry(q.topic_id.as_str()).or_default().push(q);
    }
    let mut rng = rand::thread_rng();
    let mut queues: Vec<Vec<&Arc<BankQuestion>>> = by_topic.into_values().collect();
    queues.shuffle(&mut rng);
    for queue in &mut queues {
        queue.shuffle(&mut rng);
    }
    let mut chosen: Vec<Arc<BankQuestion>> = Vec::with_capacity(count);
    while chosen.len() < count && queues.iter().any(|q| !q.is_empty()) {
        for queue in &mut queues {
            if chosen.len() < count {
                if let Some(q) = queue.pop() {
                    chosen.push(q.clone());
                }
            }
        }
    }
    let first = chosen.first().cloned().ok_or_else(|| {
        ApiError::Unavailable("The question bank is empty; ask the admin to import questions.".into())
    })?;
    let ids: Vec<String> = chosen.iter().map(|q| q.id.clone()).collect();
    let interview = state.store.create_interview(&user.id, "mock", &topics, &ids).await?;
    Ok((interview, first))
}

/// Maps topic ids or names (any case) to topic ids; unknown ones are an error that lists the known ones.
fn resolve_topics(bank: &QuestionBank, wanted: &[String]) -> Result<Vec<String>, ApiError> {
    let mut known: BTreeMap<String, String> = BTreeMap::new();
    for q in bank.active() {
        known.insert(q.topic_id.to_lowercase(), q.topic_id.clone());
        known.insert(q.topic_name.to_lowercase(), q.topic_id.clone());
    }
    let mut ids = Vec::new();
    for w in wanted.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
        let id = known.get(&w.to_lowercase()).ok_or_else(|| {
            let mut names: Vec<&str> = bank.active().map(|q| q.topic_id.as_str()).collect();
            names.dedup();
            ApiError::Invalid(format!("Unknown topic {w:?}. Known topics: {}.", names.join(", ")))
        })?;
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    Ok(ids)
}

/// Loads an interview of this user with its questions and attempts (404 for anyone else's).
pub async fn interview_view(state: &AppState, user: &CurrentUser, id: &str) -> Result<InterviewView, ApiError> {
    let not_found = || ApiError::NotFound(format!("No interview {id:?} of yours was found."));
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(not_found());
    }
    let interview = state.store.interview(id, &user.id).await?.ok_or_else(not_found)?;
    let bank = state.bank();
    let questions = state
        .store
        .interview_question_ids(id)
        .await?
        .iter()
        .map(|qid| {
            bank.get(qid).ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("question {qid} missing from bank")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let attempts = state.store.interview_attempts(id).await?;
    Ok(InterviewView { interview, questions, attempts })
}

/// Grades `answer` to the interview's current question, stores it durably (the
/// response is only sent after the commit) and returns the grade and the next question.
pub async fn submit_answer(
    state: &AppState,
    user: &CurrentUser,
    interview_id: &str,
    question_id: &str,
    answer: &str,
    time_taken_ms: Option<i64>,
) -> Result<AnswerOutcome, ApiError> {
    let view = interview_view(state, user, interview_id).await?;
    let Some(current) = view.current().cloned() else {
        return Err(ApiError::Conflict("This interview is finished; start a new one to keep practising.".into()));
    };
    if current.id != question_id {
        return Err(if view.questions.iter().any(|q| q.id == question_id) {
            ApiError::Conflict(format!(
                "Question {question_id:?} was already answered; the current question is {:?}.",
                current.id
            ))
        } else {
            ApiError::NotFound(format!("Question {question_id:?} is not part of this interview."))
        });
    }
    let answer = AnswerText::parse(answer)?;
    let grade = current.prepared.grade(answer.as_str());
    let grade_json = serde_json::to_string(&grade).map_err(anyhow::Error::from)?;
    let concepts = grade
        .concepts
        .iter()
        .map(|c| {
            let status = match c.status {
                ConceptStatus::Covered => "covered",
                ConceptStatus::Missed => "missed",
                ConceptStatus::Contradicted => "contradicted",
            };
            (c.label.clone(), status)
        })
        .collect();
    let attempt = NewAttempt {
        user_id: &user.id,
        interview_id: Some(interview_id),
        question_id,
        answer: answer.as_str(),
        score: grade.score,
        band: grade.band.as_str(),
        feedback: &grade.feedback,
        grade_json: &grade_json,
        concepts,
        time_taken_ms: time_taken_ms.filter(|t| *t >= 0),
    };
    let attempt_id = state.store.record_attempt(&attempt, Some(view.interview.position)).await?;
    let next = view.questions.get(view.interview.position as usize + 1).cloned();
    Ok(AnswerOutcome { attempt_id, number: view.interview.position as usize + 1, question: current, grade, next })
}
