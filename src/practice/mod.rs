//! The interview flow shared by the HTML pages and the JSON API: start an interview,
//! grade and store an answer, read an interview back, and let the learner dispute a
//! grade (claims).
//!
//! This is the service layer: it speaks the domain (a [`User`], plain requests, its own
//! [`Error`]) and knows nothing of HTTP; the store below it is reached only from here.
mod agreement;
mod answer;
mod authoring;
mod bank;
mod claims;
mod comparison;
mod delivery;
mod error;
mod grade;
mod groups;
mod limits;
mod marks;
mod notes;
mod progress;
pub mod review;
mod start;
mod summary;

pub use crate::domain::Left;
pub use crate::domain::Mode;
pub use agreement::{agreement_of, Agreement, Disagreement, MIN_MARKED};
pub use answer::{
    answer_follow_up, backfill_follow_ups, finish_interview, follow_up_for, submit_answer, AnswerOutcome,
    AnswerRequest, FollowUpJudgement, FollowUpOutcome, MAX_RETRIES,
};
pub use authoring::{
    keyword_checks, parse_band, AuthoredDetail, AuthoredQuestion, AuthoringOverview, QuestionInput, SampleVerdict,
};
pub use bank::{BankQuestion, QuestionBank};
pub use claims::{self_assessed_scores, set_claim, withdraw_claim, Assessed, ConceptClaim};
pub use comparison::{comparison, AttemptColumn, Comparison};
pub use delivery::{answer_delivery, delivery_trend, DeliveryPoint, DeliveryTrend};
pub use error::Error;
pub use grade::{grade_once, GradeRequest};
pub use groups::{
    all_groups, create_group, group_view, join_group, leave_group, my_groups, remove_member, rotate_code,
    set_assignment, AssignmentRequest, AssignmentView, GroupOverview, GroupSummary, GroupTopic, GroupView, MemberView,
};
pub use limits::Limited;
use limits::UserLimits;
pub use marks::{
    mark_attempt, marks_received, question_shares, share_attempt, shared_attempt, shared_in_group, AnswerShares,
    SharedView,
};
pub use notes::{NotesUpload, TopicNotes, MAX_NOTES_BYTES};

/// Runs CPU work (fits, bank rebuilds, notes plans) on a blocking thread, inside the
/// caller's span, so it never holds an async worker. Gradings, far more frequent and
/// short, run on the fixed grading threads instead (`grading_pool`).
pub(crate) async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(work))
        .await
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("grading stopped: {e}")))
}
pub use crate::domain::{StoredConcept, StoredGrade, StoredSpan};
mod grading_pool;
pub use progress::{progress, question_list, Progress, QuestionStanding, TopicQuestions};
pub use start::{drill_outlook, due_now, shortened_notice, start_interview};
pub use summary::{summarise, InterviewSummary};

use std::sync::{Arc, RwLock};

use crate::configuration::Limits;
use crate::domain::User;
use crate::domain::{Attempt, ClaimRecord, InterviewOverview, Topic};
use crate::domain::{FollowUpReply, Interview};
use crate::learning::schedule::{Learner, Schedule};
use crate::metrics::{GradingKind, Metrics};
use crate::store::Store;

/// Questions per interview when the caller does not say.
pub const DEFAULT_COUNT: usize = 5;
pub const MAX_COUNT: usize = 20;

/// The practice service: the store and the question bank, shared by every request.
pub struct Practice {
    store: Store,
    bank: RwLock<Arc<QuestionBank>>,
    limits: UserLimits,
    /// Stateless gradings run one at a time: a caller choosing a long reference can use
    /// at most one core, never starve the answers being graded.
    gradings: tokio::sync::Semaphore,
    metrics: Metrics,
    /// Bank rebuilds after an edit, one at a time.
    reloads: tokio::sync::Mutex<()>,
    /// Learners whose last FSRS fit failed, with their follow-up reviews then: the
    /// sweep tries them again only once they have as many new reviews as a refit needs,
    /// not every sweep (kept in memory; a restart tries each once more).
    failed_fits: std::sync::Mutex<std::collections::HashMap<String, usize>>,
}

/// A user's recent interviews and attempts, newest first.
pub struct History {
    pub interviews: Vec<InterviewOverview>,
    pub attempts: Vec<Attempt>,
    /// The follow-up replies to those attempts, oldest first.
    pub follow_ups: Vec<FollowUpReply>,
}

impl Practice {
    /// `metrics` is where gradings are counted and timed (the app's registry).
    pub fn new(store: Store, bank: QuestionBank, limits: &Limits, metrics: Metrics) -> Practice {
        Practice {
            store,
            bank: RwLock::new(Arc::new(bank)),
            limits: UserLimits::new(limits),
            gradings: tokio::sync::Semaphore::new(1),
            metrics,
            reloads: tokio::sync::Mutex::new(()),
            failed_fits: std::sync::Mutex::default(),
        }
    }

    /// Grades off the async workers (on the grading threads) and records how long the grader took (the time
    /// spent waiting for a blocking thread is not the grader's). Other work on the answer's text (the
    /// delivery figures) goes in the same job, so it does not hold an async worker either.
    pub(crate) async fn grade_timed<T: Send + 'static>(
        &self,
        kind: GradingKind,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Error> {
        let timed = move || {
            let started = std::time::Instant::now();
            let value = work();
            (value, started.elapsed())
        };
        let (value, took) = grading_pool::run(timed).await?;
        self.metrics.graded(kind, took);
        Ok(value)
    }

    /// Ready to serve: the database answers; also how many questions are active.
    pub async fn readiness(&self) -> (bool, usize) {
        (self.store.ping().await, self.bank().active_count())
    }

    /// Topics that have active questions, by name.
    pub async fn topics(&self) -> Result<Vec<Topic>, Error> {
        Ok(self.store.topics().await?)
    }

    /// The user's latest `interviews` interviews and `attempts` attempts.
    #[tracing::instrument(skip_all, fields(user = %user.id))]
    pub async fn history(&self, user: &User, interviews: i64, attempts: i64) -> Result<History, Error> {
        let attempts = self.store.user_attempts(&user.id, attempts).await?;
        let follow_ups = match attempts.iter().map(|a| a.created_at).min() {
            Some(since) => {
                let shown: std::collections::HashSet<&str> = attempts.iter().map(|a| a.id.as_str()).collect();
                let mut replies = self.store.user_follow_ups_since(&user.id, since).await?;
                replies.retain(|f| shown.contains(f.attempt_id.as_str()));
                replies
            }
            None => Vec::new(),
        };
        Ok(History { interviews: self.store.user_interviews(&user.id, interviews).await?, attempts, follow_ups })
    }

    /// The user's claims, newest first.
    #[tracing::instrument(skip_all, fields(user = %user.id))]
    pub async fn claims(&self, user: &User) -> Result<Vec<ClaimRecord>, Error> {
        Ok(self.store.user_claims(&user.id, None).await?)
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
    /// One chosen question to practise (its id): the interview asks it alone.
    pub question: Option<String>,
}

/// An interview with its questions and the attempts made so far.
pub struct InterviewView {
    /// The interview and its questions.
    pub plan: InterviewPlan,
    /// Every attempt in the interview (retries too), oldest first.
    pub attempts: Vec<Attempt>,
    pub follow_ups: Vec<FollowUpReply>,
    /// The learner's claims on those attempts' concepts.
    pub claims: Vec<ClaimRecord>,
}

/// An interview of this user with its questions, nothing else (404 for anyone else's):
/// what answering needs, in two short reads.
pub struct InterviewPlan {
    pub interview: Interview,
    pub questions: Vec<Arc<BankQuestion>>,
    /// The learner's schedule of the current question (none yet, or none left).
    pub current_schedule: Option<Schedule>,
    /// The learner's scheduler (their parameters and desired retention).
    pub learner: Learner,
}

impl InterviewPlan {
    /// The question waiting for an answer, if the interview is not over.
    pub fn current(&self) -> Option<&Arc<BankQuestion>> {
        // An interview ended early asks nothing more.
        if self.interview.finished_at.is_some() {
            return None;
        }
        self.questions.get(self.interview.position as usize)
    }

    /// Questions never asked because the learner ended the interview early.
    pub fn left_unasked(&self) -> usize {
        self.questions.len().saturating_sub(self.interview.position as usize)
    }

    /// The question answered last, which a retry may answer again.
    pub fn last_answered(&self) -> Option<&Arc<BankQuestion>> {
        (self.interview.position as usize).checked_sub(1).and_then(|i| self.questions.get(i))
    }
}

#[tracing::instrument(skip_all, fields(user = %user.id, interview = id))]
pub async fn interview_plan(state: &Practice, user: &User, id: &str) -> Result<InterviewPlan, Error> {
    let not_found = || Error::NotFound(format!("No interview {id:?} of yours was found."));
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(not_found());
    }
    let plan = state.store.interview_plan(id, &user.id).await?.ok_or_else(not_found)?;
    let bank = state.bank();
    let questions = plan
        .question_ids
        .iter()
        .map(|qid| bank.get(qid).ok_or_else(|| Error::Unexpected(anyhow::anyhow!("question {qid} missing from bank"))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(InterviewPlan {
        interview: plan.interview,
        questions,
        current_schedule: plan.current_schedule,
        learner: review::learner_from(&plan.learner),
    })
}

/// Loads an interview of this user with its questions and attempts (404 for anyone else's).
#[tracing::instrument(skip_all, fields(user = %user.id, interview = id))]
pub async fn interview_view(state: &Practice, user: &User, id: &str) -> Result<InterviewView, Error> {
    let plan = interview_plan(state, user, id).await?;
    let attempts = state.store.interview_attempts(id).await?;
    let follow_ups = state.store.interview_follow_ups(id).await?;
    let claims = state.store.interview_claims(id).await?;
    Ok(InterviewView { plan, attempts, follow_ups, claims })
}
