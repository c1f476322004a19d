//! Queries behind the learning loop: schedule, mastery inputs, weak concepts, follow-ups.
//! Every query is bounded by `user_id` and served by an index that starts with it, so
//! its cost depends on one user's history, not on the size of the whole table.
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

use super::interviews::{attempts, AttemptRow};
use super::{now_millis, Store, StoreError};
use crate::domain::{Attempt, FollowUpReply};
use crate::domain::{ConceptStatus, StatusText};
use crate::learning::schedule::Schedule;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

/// One graded attempt for mastery: (attempt id, question id, the grader's score, time).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScoreRow {
    pub id: String,
    pub question_id: String,
    pub score: f64,
    pub created_at: i64,
}

/// Running tally of one concept of one question for one user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConceptStatRow {
    pub question_id: String,
    pub concept: String,
    pub seen: i64,
    pub misses: i64,
    pub contradicted: i64,
    #[sqlx(try_from = "String")]
    pub last_status: ConceptStatus,
    pub updated_at: i64,
}

/// One first answer for delivery trends: what was said, how long it took, when, and the
/// model answer it was measured against.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub answer: String,
    pub time_taken_ms: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueRow {
    pub question_id: String,
    pub due_at: i64,
    pub last_score: f64,
}

impl<'r> sqlx::FromRow<'r, SqliteRow> for FollowUpReply {
    fn from_row(row: &'r SqliteRow) -> Result<Self, sqlx::Error> {
        let status: String = row.try_get("status")?;
        Ok(FollowUpReply {
            attempt_id: row.try_get("attempt_id")?,
            concept: row.try_get("concept")?,
            prompt: row.try_get("prompt")?,
            answer: row.try_get("answer")?,
            status: ConceptStatus::try_from(status)
                .map_err(|e| sqlx::Error::ColumnDecode { index: "status".into(), source: e.into() })?,
            created_at: row.try_get("created_at")?,
        })
    }
}

/// Writing a schedule: these columns, then one row of values per schedule, then this.
pub(super) const SCHEDULE_INSERT: &str =
    "INSERT INTO schedules (user_id, question_id, repetitions, ease, interval_days, due_at, last_score, updated_at)";
pub(super) const SCHEDULE_ON_CONFLICT: &str =
    "ON CONFLICT (user_id, question_id) DO UPDATE SET repetitions = excluded.repetitions, ease = excluded.ease,
       interval_days = excluded.interval_days, due_at = excluded.due_at, last_score = excluded.last_score,
       updated_at = excluded.updated_at";

pub(super) async fn upsert_schedule(
    tx: &mut Transaction<'_, Sqlite>,
    user_id: &str,
    question_id: &str,
    s: &Schedule,
    score: f64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("{SCHEDULE_INSERT} VALUES (?, ?, ?, ?, ?, ?, ?, ?) {SCHEDULE_ON_CONFLICT}"))
        .bind(user_id)
        .bind(question_id)
        .bind(s.repetitions)
        .bind(s.ease)
        .bind(s.interval_days)
        .bind(s.due_at)
        .bind(score)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Questions due at `now`, most overdue first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn due(&self, user_id: &str, now: i64, limit: i64) -> Result<Vec<DueRow>, StoreError> {
        Ok(sqlx::query_as::<_, DueRow>(
            "SELECT question_id, due_at, last_score FROM schedules WHERE user_id = ? AND due_at <= ?
             ORDER BY due_at, question_id LIMIT ?",
        )
        .bind(user_id)
        .bind(now)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    /// When the next question falls due, if none is due now.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn next_due_at(&self, user_id: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT MIN(due_at) FROM schedules WHERE user_id = ?")
            .bind(user_id)
            .fetch_one(self.reader())
            .await?)
    }

    /// Graded attempts that count towards mastery (not retries), oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn scored_attempts(&self, user_id: &str) -> Result<Vec<ScoreRow>, StoreError> {
        Ok(sqlx::query_as::<_, ScoreRow>(
            "SELECT id, question_id, score, created_at FROM attempts WHERE user_id = ? AND kind <> 'retry'
             ORDER BY created_at, id",
        )
        .bind(user_id)
        .fetch_all(self.reader())
        .await?)
    }

    /// The user's concept tallies that have at least one miss.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn concept_stats(&self, user_id: &str) -> Result<Vec<ConceptStatRow>, StoreError> {
        Ok(sqlx::query_as::<_, ConceptStatRow>(
            "SELECT question_id, concept, seen, misses, contradicted, last_status, updated_at FROM concept_stats
             WHERE user_id = ? AND misses > 0",
        )
        .bind(user_id)
        .fetch_all(self.reader())
        .await?)
    }

    /// Every attempt of the user at one question, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn question_attempts(&self, user_id: &str, question_id: &str) -> Result<Vec<Attempt>, StoreError> {
        let sql = format!(
            "SELECT {} FROM {}
             WHERE a.user_id = ? AND a.question_id = ? ORDER BY a.created_at, a.id",
            super::interviews::ATTEMPT_COLUMNS,
            super::interviews::ATTEMPT_FROM
        );
        Ok(attempts(
            sqlx::query_as::<_, AttemptRow>(&sql).bind(user_id).bind(question_id).fetch_all(self.reader()).await?,
        ))
    }

    /// The attempt if it belongs to the user.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn attempt(&self, user_id: &str, attempt_id: &str) -> Result<Option<Attempt>, StoreError> {
        let sql = format!(
            "SELECT {} FROM {}
             WHERE a.user_id = ? AND a.id = ?",
            super::interviews::ATTEMPT_COLUMNS,
            super::interviews::ATTEMPT_FROM
        );
        Ok(sqlx::query_as::<_, AttemptRow>(&sql)
            .bind(user_id)
            .bind(attempt_id)
            .fetch_optional(self.reader())
            .await?
            .map(Attempt::from))
    }

    /// Stores the reply to a follow-up; a second reply to the same attempt is `Conflict`.
    /// A reply that covers the concept also becomes the concept's latest status for
    /// that question, so it leaves the weak-concept list like a covered answer would.
    #[allow(clippy::too_many_arguments)]
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_follow_up(
        &self,
        attempt_id: &str,
        user_id: &str,
        question_id: &str,
        concept: &str,
        prompt: &str,
        answer: &str,
        status: ConceptStatus,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let result = sqlx::query(
            "INSERT INTO follow_up_answers (id, attempt_id, user_id, concept, prompt, answer, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(attempt_id)
        .bind(user_id)
        .bind(concept)
        .bind(prompt)
        .bind(answer)
        .bind(status.as_str())
        .bind(now_millis())
        .execute(&mut *tx)
        .await;
        match result {
            Ok(_) => {}
            Err(e) if super::is_unique_violation(&e) => return Err(StoreError::Conflict("follow-up answer")),
            Err(e) => return Err(e.into()),
        }
        if status == ConceptStatus::Covered {
            sqlx::query(
                "UPDATE concept_stats SET last_status = 'covered', updated_at = ?
                 WHERE user_id = ? AND question_id = ? AND concept = ?",
            )
            .bind(now_millis())
            .bind(user_id)
            .bind(question_id)
            .bind(concept)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Follow-up replies in one interview.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn interview_follow_ups(&self, interview_id: &str) -> Result<Vec<FollowUpReply>, StoreError> {
        Ok(sqlx::query_as::<_, FollowUpReply>(
            "SELECT f.attempt_id, f.concept, f.prompt, f.answer, f.status, f.created_at
             FROM follow_up_answers f JOIN attempts a ON a.id = f.attempt_id WHERE a.interview_id = ?
             ORDER BY f.created_at",
        )
        .bind(interview_id)
        .fetch_all(self.reader())
        .await?)
    }

    /// Follow-up replies to the user's answers to one question, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn question_follow_ups(
        &self,
        user_id: &str,
        question_id: &str,
    ) -> Result<Vec<FollowUpReply>, StoreError> {
        Ok(sqlx::query_as::<_, FollowUpReply>(
            "SELECT f.attempt_id, f.concept, f.prompt, f.answer, f.status, f.created_at
             FROM follow_up_answers f JOIN attempts a ON a.id = f.attempt_id
             WHERE a.user_id = ? AND a.question_id = ? ORDER BY f.created_at",
        )
        .bind(user_id)
        .bind(question_id)
        .fetch_all(self.reader())
        .await?)
    }

    /// The user's latest `limit` first answers (not retries), newest first, with the
    /// model answer of their question: the input of the delivery trends.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn recent_deliveries(&self, user_id: &str, limit: i64) -> Result<Vec<DeliveryRow>, StoreError> {
        Ok(sqlx::query_as::<_, DeliveryRow>(
            "SELECT a.answer, a.time_taken_ms, a.created_at FROM attempts a
             WHERE a.user_id = ? AND a.kind <> 'retry' ORDER BY a.created_at DESC, a.id DESC LIMIT ?",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }
}
