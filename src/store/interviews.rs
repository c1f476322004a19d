use super::{now_millis, Store, StoreError};
use crate::domain::{Attempt, AttemptKind, Band, ConceptStatus, Interview, InterviewOverview, Mode, StoredGrade};
use crate::learning::follow_up::FollowUp;
use crate::learning::schedule::Schedule;
use anyhow::Context;
use sqlx::Row;
use uuid::Uuid;

use super::learning::{LearnerColumns, LearnerSettings, ScheduleColumns};
use super::writer::{PendingAttempt, PendingInterview};

/// Read from `interviews` (the columns `INTERVIEW_COLUMNS` names).
impl<'r, R: Row> sqlx::FromRow<'r, R> for Interview
where
    &'r str: sqlx::ColumnIndex<R>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        let mode: String = row.try_get("mode")?;
        Ok(Interview {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            mode: Mode::try_from(mode)
                .map_err(|e| sqlx::Error::ColumnDecode { index: "mode".into(), source: e.into() })?,
            topics: row.try_get("topics")?,
            position: row.try_get("position")?,
            question_count: row.try_get("question_count")?,
            created_at: row.try_get("created_at")?,
            finished_at: row.try_get("finished_at")?,
            timer_seconds: row.try_get("timer_seconds")?,
        })
    }
}

/// Reads an interview with its question ids as a JSON array (`$agg` makes the array:
/// the two databases name that aggregate differently).
macro_rules! plan_sql {
    ($agg:literal) => {
        concat!(
            "SELECT i.id, i.user_id, i.mode, i.topics, i.position, i.question_count, i.created_at, i.finished_at,
                i.timer_seconds,
                (SELECT ",
            $agg,
            " FROM interview_questions WHERE interview_id = i.id) AS question_ids,
                s.stability, s.difficulty, s.sm2_ease, s.interval_days, s.last_review_at, s.due_at,
                u.desired_retention, p.parameters, p.reviews AS fitted_on
             FROM interviews i
             LEFT JOIN interview_questions cq ON cq.interview_id = i.id AND cq.position = i.position
             LEFT JOIN schedules s ON s.user_id = i.user_id AND s.question_id = cq.question_id
             LEFT JOIN users u ON u.id = i.user_id
             LEFT JOIN fsrs_parameters p ON p.user_id = i.user_id
             WHERE i.id = $1 AND i.user_id = $2"
        )
    };
}
const PLAN_SQLITE: &str = plan_sql!("json_group_array(question_id ORDER BY position)");
const PLAN_POSTGRES: &str = plan_sql!("CAST(json_agg(question_id ORDER BY position) AS TEXT)");

/// An interview with its question ids in order and the current question's schedule.
#[derive(Debug, Clone)]
pub struct StoredPlan {
    pub interview: Interview,
    pub question_ids: Vec<String>,
    pub current_schedule: Option<Schedule>,
    /// The learner's desired retention and FSRS parameters.
    pub learner: LearnerSettings,
}

/// An interview, its question ids (a JSON array) and the current question's schedule.
#[derive(Debug, Clone, sqlx::FromRow)]
struct PlanRow {
    #[sqlx(flatten)]
    interview: Interview,
    question_ids: String,
    stability: Option<f64>,
    difficulty: Option<f64>,
    sm2_ease: Option<f64>,
    interval_days: Option<f64>,
    last_review_at: Option<i64>,
    due_at: Option<i64>,
    #[sqlx(flatten)]
    learner: LearnerColumns,
}

/// An interview with its progress, for the history list (read into [`InterviewOverview`]).
#[derive(Debug, Clone, sqlx::FromRow)]
struct InterviewSummaryRow {
    pub id: String,
    #[sqlx(try_from = "String")]
    pub mode: Mode,
    pub topics: String,
    pub question_count: i64,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub answered: i64,
    pub mean_score: Option<f64>,
}

/// A stored attempt with the question it answered (read into [`Attempt`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct AttemptRow {
    pub id: String,
    pub interview_id: Option<String>,
    pub question_id: String,
    pub prompt: String,
    pub topic_id: String,
    pub topic_name: String,
    pub answer: String,
    pub score: f64,
    #[sqlx(try_from = "String")]
    pub band: Band,
    pub feedback: String,
    pub grade: String,
    pub time_taken_ms: Option<i64>,
    pub spoken: bool,
    pub unsure: bool,
    pub created_at: i64,
    #[sqlx(try_from = "String")]
    pub kind: AttemptKind,
    /// The concept the follow-up asked after this answer probes (NULL: none was asked).
    pub follow_up_concept: Option<String>,
    pub follow_up_prompt: Option<String>,
    pub question_version: i64,
    pub reference: String,
}

impl From<AttemptRow> for Attempt {
    fn from(row: AttemptRow) -> Attempt {
        let follow_up = match (row.follow_up_concept, row.follow_up_prompt) {
            (Some(concept), Some(prompt)) => Some(FollowUp { concept, prompt }),
            _ => None,
        };
        Attempt {
            grade: StoredGrade::parse(&row.grade),
            id: row.id,
            interview_id: row.interview_id,
            question_id: row.question_id,
            prompt: row.prompt,
            topic_id: row.topic_id,
            topic_name: row.topic_name,
            answer: row.answer,
            score: row.score,
            band: row.band,
            feedback: row.feedback,
            time_taken_ms: row.time_taken_ms,
            spoken: row.spoken,
            unsure: row.unsure,
            created_at: row.created_at,
            kind: row.kind,
            follow_up,
            question_version: row.question_version,
            reference: row.reference,
        }
    }
}

pub(super) fn attempts(rows: Vec<AttemptRow>) -> Vec<Attempt> {
    rows.into_iter().map(Attempt::from).collect()
}

impl From<InterviewSummaryRow> for InterviewOverview {
    fn from(row: InterviewSummaryRow) -> InterviewOverview {
        let topics = serde_json::from_str(&row.topics).unwrap_or_else(|e| {
            tracing::warn!(interview = %row.id, error = %e, "unreadable topic list; shown as all topics");
            Vec::new()
        });
        InterviewOverview {
            id: row.id,
            mode: row.mode,
            topics,
            question_count: row.question_count,
            created_at: row.created_at,
            finished_at: row.finished_at,
            answered: row.answered,
            mean_score: row.mean_score,
        }
    }
}

/// An answer stored before follow-ups were recorded, to be filled once.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FollowUpBackfillRow {
    pub id: String,
    pub question_id: String,
    pub answer: String,
}

/// A graded answer about to be stored.
#[derive(Debug, Clone)]
pub struct NewAttempt {
    pub user_id: String,
    pub interview_id: Option<String>,
    pub question_id: String,
    pub answer: String,
    pub score: f64,
    pub band: Band,
    pub feedback: String,
    pub grade_json: String,
    /// (concept label, status) pairs.
    pub concepts: Vec<(String, ConceptStatus)>,
    pub time_taken_ms: Option<i64>,
    /// Dictated rather than typed.
    pub spoken: bool,
    /// The grader could not tell whether it holds (`Grade::unsure`): kept and shown,
    /// but not counted for mastery, the schedule or weak concepts.
    pub unsure: bool,
    pub kind: AttemptKind,
    /// The spaced-repetition state this attempt leads to (None for retries).
    pub schedule: Option<Schedule>,
    /// The follow-up the interviewer asks after this answer, if any.
    pub follow_up: Option<FollowUp>,
    /// The version of the question it was graded against.
    pub question_version: i64,
}

/// An attempt shows the prompt and model answer of the version it answered.
pub(super) const ATTEMPT_COLUMNS: &str =
    "a.id, a.interview_id, a.question_id, COALESCE(v.prompt, q.prompt) AS prompt, q.topic_id, t.name AS topic_name, a.answer,
     a.score, a.band, a.feedback, a.grade, a.time_taken_ms, a.spoken, a.unsure, a.created_at, a.kind,
     a.follow_up_concept, a.follow_up_prompt, COALESCE(a.question_version, q.version) AS question_version,
     COALESCE(v.answer, q.answer) AS reference";

/// The joins [`ATTEMPT_COLUMNS`] reads from (`a` attempts, `q` questions, `t` topics,
/// `v` the version answered).
pub(super) const ATTEMPT_FROM: &str =
    "attempts a JOIN questions q ON q.id = a.question_id JOIN topics t ON t.id = q.topic_id
     LEFT JOIN question_versions v ON v.question_id = a.question_id AND v.version = a.question_version";

impl Store {
    /// Creates an interview over `question_ids`, in that order.
    #[tracing::instrument(skip(self, question_ids))]
    pub async fn create_interview(
        &self,
        user_id: &str,
        mode: Mode,
        topics: &[String],
        question_ids: &[String],
        timer_seconds: Option<i64>,
    ) -> Result<Interview, StoreError> {
        let row = Interview {
            id: Uuid::now_v7().to_string(),
            user_id: user_id.into(),
            mode,
            topics: serde_json::to_string(topics).context("encode topics")?,
            position: 0,
            question_count: question_ids.len() as i64,
            created_at: now_millis(),
            finished_at: None,
            timer_seconds,
        };
        // Through the one writer, with whatever other interviews are being started.
        let pending = PendingInterview { row: row.clone(), question_ids: question_ids.to_vec() };
        self.answer_writer().create_interview(pending).await?;
        Ok(row)
    }

    /// The interview if it exists and belongs to `user_id`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn interview(&self, id: &str, user_id: &str) -> Result<Option<Interview>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, Interview>(
                "SELECT id, user_id, mode, topics, position, question_count, created_at, finished_at, timer_seconds
             FROM interviews WHERE id = $1 AND user_id = $2",
            )
            .bind(id)
            .bind(user_id)
            .fetch_optional(db.read())
            .await?)
        })
    }

    /// An interview of this user with its question ids in order and the user's schedule
    /// of the question waiting for an answer: what answering needs, in one read.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn interview_plan(&self, id: &str, user_id: &str) -> Result<Option<StoredPlan>, StoreError> {
        on_db!(self, |db| {
            let row = sqlx::query_as::<_, PlanRow>(db.pick(PLAN_SQLITE, PLAN_POSTGRES))
                .bind(id)
                .bind(user_id)
                .fetch_optional(db.read())
                .await?;
            let Some(row) = row else { return Ok(None) };
            let ids: Vec<String> = serde_json::from_str(&row.question_ids).context("decode question ids")?;
            let schedule = match (row.interval_days, row.last_review_at, row.due_at) {
                (Some(interval_days), Some(last_review_at), Some(due_at)) => Some(Schedule::from(ScheduleColumns {
                    stability: row.stability,
                    difficulty: row.difficulty,
                    sm2_ease: row.sm2_ease,
                    interval_days,
                    last_review_at,
                    due_at,
                })),
                _ => None,
            };
            Ok(Some(StoredPlan {
                interview: row.interview,
                question_ids: ids,
                current_schedule: schedule,
                learner: row.learner.into(),
            }))
        })
    }

    /// Stores an attempt and, for an interview, moves it from `position` to the next
    /// question, atomically. Returns `Conflict` if the interview was no longer at
    /// `position` (the same question answered twice at once).
    #[tracing::instrument(skip(self, attempt), fields(question = attempt.question_id))]
    pub async fn record_attempt(&self, attempt: NewAttempt, position: Option<i64>) -> Result<String, StoreError> {
        let position = if attempt.interview_id.is_some() { position } else { None };
        // Time-ordered ids (UUIDv7): new attempts and their concept rows land at the
        // right edge of the primary-key indexes instead of on random pages, so each
        // commit dirties and logs fewer pages. Access is checked by owner, never by
        // the id being hard to guess.
        let pending = PendingAttempt { id: Uuid::now_v7().to_string(), position, new: attempt };
        self.answer_writer().store(pending).await
    }

    /// Ends the user's interview now, with the questions not yet asked left unasked;
    /// `false` if it was finished already (or is not theirs).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn finish_interview(&self, id: &str, user_id: &str) -> Result<bool, StoreError> {
        on_db!(self, |db| {
            let done = sqlx::query(
                "UPDATE interviews SET finished_at = $1 WHERE id = $2 AND user_id = $3 AND finished_at IS NULL",
            )
            .bind(now_millis())
            .bind(id)
            .bind(user_id)
            .execute(db.write())
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// How often a question of an interview was retried.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn retries(&self, interview_id: &str, question_id: &str) -> Result<i64, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_scalar(
                "SELECT COUNT(*) FROM attempts WHERE interview_id = $1 AND question_id = $2 AND kind = 'retry'",
            )
            .bind(interview_id)
            .bind(question_id)
            .fetch_one(db.read())
            .await?)
        })
    }

    /// Attempts made in one interview, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn interview_attempts(&self, interview_id: &str) -> Result<Vec<Attempt>, StoreError> {
        on_db!(self, |db| {
            let sql = format!(
                "SELECT {ATTEMPT_COLUMNS} FROM {ATTEMPT_FROM}
             WHERE a.interview_id = $1 ORDER BY a.created_at, a.id"
            );
            Ok(attempts(sqlx::query_as::<_, AttemptRow>(&sql).bind(interview_id).fetch_all(db.read()).await?))
        })
    }

    /// A user's most recent attempts, newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn user_attempts(&self, user_id: &str, limit: i64) -> Result<Vec<Attempt>, StoreError> {
        on_db!(self, |db| {
            let sql = format!(
                "SELECT {ATTEMPT_COLUMNS} FROM {ATTEMPT_FROM}
             WHERE a.user_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2"
            );
            Ok(attempts(sqlx::query_as::<_, AttemptRow>(&sql).bind(user_id).bind(limit).fetch_all(db.read()).await?))
        })
    }

    /// Answers stored before follow-ups were recorded with them (see migration 0006).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn follow_up_backfill(&self) -> Result<Vec<FollowUpBackfillRow>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, FollowUpBackfillRow>(
                "SELECT id, question_id, answer FROM attempts WHERE follow_up_backfill ORDER BY id",
            )
            .fetch_all(db.read())
            .await?)
        })
    }

    /// Records the follow-up worked out for each of those answers (`None`: nothing was
    /// asked) and clears their mark, in one transaction.
    #[tracing::instrument(skip_all, fields(rows = filled.len()))]
    pub async fn fill_follow_ups(&self, filled: &[(String, Option<FollowUp>)]) -> Result<(), StoreError> {
        on_db!(self, |db| {
            let mut tx = db.write().begin().await?;
            for (id, follow_up) in filled {
                sqlx::query(
                    "UPDATE attempts SET follow_up_concept = $1, follow_up_prompt = $2, follow_up_backfill = FALSE
                 WHERE id = $3",
                )
                .bind(follow_up.as_ref().map(|f| f.concept.as_str()))
                .bind(follow_up.as_ref().map(|f| f.prompt.as_str()))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// When each question was last put in one of the user's interviews (asked counts,
    /// answered or not): that interview's creation time (Unix milliseconds) and id;
    /// of two created in the same millisecond, the greater id, as ids are time-ordered
    /// (UUIDv7). Kept in `asked_questions` as interviews are stored, so this reads one
    /// row per question whatever the length of the user's history (it grouped the
    /// questions of their latest 200 interviews on every start, and answering slowed
    /// as histories grew: 3,205 answers/s down to 2,302 within 20 s of the load script).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn last_asked(&self, user_id: &str) -> Result<Vec<(String, i64, String)>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, (String, i64, String)>(
                "SELECT question_id, asked_at, interview_id FROM asked_questions WHERE user_id = $1",
            )
            .bind(user_id)
            .fetch_all(db.read())
            .await?)
        })
    }

    /// A user's interviews with progress, newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn user_interviews(&self, user_id: &str, limit: i64) -> Result<Vec<InterviewOverview>, StoreError> {
        on_db!(self, |db| {
            let rows = sqlx::query_as::<_, InterviewSummaryRow>(
                "SELECT i.id, i.mode, i.topics, i.question_count, i.created_at, i.finished_at,
                    COUNT(CASE WHEN a.kind <> 'skipped' THEN a.id END) AS answered,
                    AVG(CASE WHEN a.unsure OR a.kind = 'skipped' THEN NULL ELSE a.score END) AS mean_score
             FROM interviews i LEFT JOIN attempts a ON a.interview_id = i.id AND a.kind <> 'retry'
             WHERE i.user_id = $1
             GROUP BY i.id, i.mode, i.topics, i.question_count, i.created_at, i.finished_at
             ORDER BY i.created_at DESC, i.id DESC LIMIT $2",
            )
            .bind(user_id)
            .bind(limit)
            .fetch_all(db.read())
            .await?;
            Ok(rows.into_iter().map(InterviewOverview::from).collect())
        })
    }
}
