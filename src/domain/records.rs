//! What the store reads back, as the services and routes see it: typed fields, parsed
//! JSON, the follow-up as one value. Rows are converted into these inside `store/`.
use super::{AttemptKind, Band, ConceptStatus, Mode, StoredGrade};
use crate::bank::QuestionDef;
use crate::learning::claims::Claim;
use crate::learning::follow_up::FollowUp;
use crate::learning::schedule::Schedule;

/// A topic of the bank with how many active questions it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Active (not retired) questions in the topic.
    pub questions: i64,
    /// Retired: not offered for practice (its questions were retired with it).
    pub retired: bool,
    /// Study notes were imported for it (see [`TopicNote`]).
    pub has_notes: bool,
}

/// Study notes one notes file brought to a topic (`rehearse import NOTES.md` or the
/// admin's notes upload): the text around its question lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicNote {
    /// The file they came from, as `notes:FILENAME`.
    pub source: String,
    pub text: String,
    /// Unix milliseconds.
    pub updated_at: i64,
}

/// A stored answer with the question it answered.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub id: String,
    pub interview_id: Option<String>,
    pub question_id: String,
    pub prompt: String,
    pub topic_id: String,
    pub topic_name: String,
    pub answer: String,
    pub score: f64,
    pub band: Band,
    pub feedback: String,
    /// The grade as stored (unreadable rows are logged and read as an empty grade).
    pub grade: StoredGrade,
    pub time_taken_ms: Option<i64>,
    /// Dictated rather than typed.
    pub spoken: bool,
    /// The grader could not tell whether it holds (`Grade::unsure`): shown, but not
    /// counted for mastery, the schedule or weak concepts.
    pub unsure: bool,
    /// Unix milliseconds.
    pub created_at: i64,
    pub kind: AttemptKind,
    /// The follow-up the interviewer asked after this answer, as stored with it.
    pub follow_up: Option<FollowUp>,
    /// The version of the question this answer was graded against (see
    /// `question_versions`); `prompt` and `reference` are that version's.
    pub question_version: i64,
    /// The model answer of that version.
    pub reference: String,
}

impl Attempt {
    /// Whether it counts for mastery, the schedule and weak concepts: not a retry
    /// ([`AttemptKind::counts`]) and not an unsure grade.
    pub fn counts(&self) -> bool {
        self.kind.counts() && !self.unsure
    }
}

/// An interview with its progress, for the history list.
#[derive(Debug, Clone, PartialEq)]
pub struct InterviewOverview {
    pub id: String,
    pub mode: Mode,
    /// Topic ids the interview was drawn from (empty: all topics).
    pub topics: Vec<String>,
    pub question_count: i64,
    /// Unix milliseconds.
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub answered: i64,
    pub mean_score: Option<f64>,
}

/// A learner's claim about one concept of an answer, with the question it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRecord {
    pub attempt_id: String,
    pub question_id: String,
    pub prompt: String,
    pub concept: String,
    /// The grader's verdict on the concept.
    pub grader_status: ConceptStatus,
    pub claim: Claim,
    /// Unix milliseconds.
    pub claimed_at: i64,
}

/// How often learners disputed the grader on one concept of a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimCount {
    pub concept: String,
    /// "I covered this" on a concept graded missed or contradicted.
    pub covered_claims: i64,
    /// "I got this wrong" on a concept graded covered.
    pub wrong_claims: i64,
}

/// An interview as stored: its mode, the topics it draws from, how far it has got.
#[derive(Debug, Clone)]
pub struct Interview {
    pub id: String,
    pub user_id: String,
    pub mode: Mode,
    /// The topic ids it was started with, as a JSON array.
    pub topics: String,
    /// Index of the question being asked (0-based); equals `question_count` when done.
    pub position: i64,
    pub question_count: i64,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Unix milliseconds.
    pub finished_at: Option<i64>,
    pub timer_seconds: Option<i64>,
}

/// A reply to a follow-up question, with what the grader made of the concept it asked about.
#[derive(Debug, Clone)]
pub struct FollowUpReply {
    /// The answer whose follow-up this replies to.
    pub attempt_id: String,
    pub concept: String,
    pub prompt: String,
    pub answer: String,
    pub status: ConceptStatus,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// One question as the authoring pages show it.
#[derive(Debug, Clone)]
pub struct AuthoredQuestion {
    pub id: String,
    pub topic_id: String,
    pub def: QuestionDef,
    pub version: i64,
    pub retired: bool,
    /// Made or edited on the web since the files last changed it.
    pub edited_on_web: bool,
}

/// One scheduled question of a user: its FSRS schedule and the score it was last
/// reviewed with.
#[derive(Debug, Clone)]
pub struct DueQuestion {
    pub question_id: String,
    /// Unix milliseconds.
    pub due_at: i64,
    pub last_score: f64,
    pub schedule: Schedule,
}
