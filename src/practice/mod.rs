//! The interview flow shared by the HTML pages and the JSON API: start an interview,
//! grade and store an answer, read an interview back, and let the learner dispute a
//! grade (claims).
mod answer;
mod bank;
mod claims;
mod progress;
mod start;
mod stored;

pub use answer::{answer_follow_up, follow_up_for, submit_answer, AnswerOutcome, FollowUpOutcome};
pub use bank::{BankQuestion, QuestionBank};
pub use claims::{self_assessed_scores, set_claim, withdraw_claim, Assessed, ConceptClaim};
pub use progress::{comparison, progress, AttemptColumn, Comparison, Progress};
pub use start::{start_interview, Mode};
pub use stored::{StoredConcept, StoredGrade, StoredSpan};

use std::sync::{Arc, RwLock};

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::store::{AttemptRow, ClaimRow, FollowUpRow, InterviewRow, Store};

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
    pub mode: Mode,
    /// Seconds per question for a timed mock interview.
    pub timer_seconds: Option<i64>,
}

/// An interview with its questions and the attempts made so far.
pub struct InterviewView {
    pub interview: InterviewRow,
    pub questions: Vec<Arc<BankQuestion>>,
    /// Every attempt in the interview (retries too), oldest first.
    pub attempts: Vec<AttemptRow>,
    pub follow_ups: Vec<FollowUpRow>,
    /// The learner's claims on those attempts' concepts.
    pub claims: Vec<ClaimRow>,
}

impl InterviewView {
    /// The question waiting for an answer, if the interview is not over.
    pub fn current(&self) -> Option<&Arc<BankQuestion>> {
        self.questions.get(self.interview.position as usize)
    }

    /// The question answered last, which a retry may answer again.
    pub fn last_answered(&self) -> Option<&Arc<BankQuestion>> {
        (self.interview.position as usize).checked_sub(1).and_then(|i| self.questions.get(i))
    }
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
    let follow_ups = state.store.interview_follow_ups(id).await?;
    let claims = state.store.interview_claims(id).await?;
    Ok(InterviewView { interview, questions, attempts, follow_ups, claims })
}
