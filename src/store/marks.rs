//! Answers shared with study groups and the marks peers give them.
use anyhow::Context;

use super::interviews::{AttemptRow, ATTEMPT_COLUMNS, ATTEMPT_FROM};
use super::{now_millis, Store, StoreError};
use crate::bank::KeywordDef;
use crate::domain::{Attempt, MarkedAttempt, PeerMark, SharedAttempt};

#[derive(sqlx::FromRow)]
struct SharedRow {
    #[sqlx(flatten)]
    attempt: AttemptRow,
    share_group_id: String,
    shared_by: String,
    sharer_name: String,
    shared_at: i64,
}

impl From<SharedRow> for SharedAttempt {
    fn from(r: SharedRow) -> SharedAttempt {
        SharedAttempt {
            group_id: r.share_group_id,
            attempt: Attempt::from(r.attempt),
            shared_by: r.shared_by,
            sharer_name: r.sharer_name,
            shared_at: r.shared_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct MarkRow {
    attempt_id: String,
    marker_id: String,
    marker_name: String,
    score: i64,
    comment: String,
    marked_at: i64,
}

impl From<MarkRow> for PeerMark {
    fn from(r: MarkRow) -> PeerMark {
        PeerMark {
            attempt_id: r.attempt_id,
            marker_id: r.marker_id,
            marker_name: r.marker_name,
            score: r.score,
            comment: r.comment,
            marked_at: r.marked_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct MarkedRow {
    attempt_id: String,
    group_id: Option<String>,
    answer: String,
    grader_score: f64,
    unsure: bool,
    marks: i64,
    mean_mark: f64,
}

/// A marked answer with today's version of its question, for `rehearse calibrate
/// --from-db` (which grades the answer again as the server would now).
#[derive(Debug, Clone)]
pub struct CalibrationRow {
    pub attempt_id: String,
    pub question_id: String,
    pub prompt: String,
    pub reference: String,
    pub keywords: Vec<KeywordDef>,
    pub relations: Vec<String>,
    pub ordered: bool,
    pub misconceptions: Vec<crate::bank::Misconception>,
    pub answer: String,
    /// The grader's score when it was answered, 0..1.
    pub stored_score: f64,
    pub marks: i64,
    /// 0..5.
    pub mean_mark: f64,
}

#[derive(sqlx::FromRow)]
struct CalibrationSql {
    attempt_id: String,
    question_id: String,
    prompt: String,
    reference: String,
    keywords: String,
    relations: String,
    ordered: bool,
    misconceptions: String,
    answer: String,
    stored_score: f64,
    marks: i64,
    mean_mark: f64,
}

const MARK_COLUMNS: &str = "m.attempt_id, m.marker_id, u.username AS marker_name, m.score, m.comment, m.marked_at";

/// Shares whose sharer is still a member of the group (leaving hides them).
const LIVE_SHARE: &str =
    "EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = s.group_id AND gm.user_id = s.shared_by)";

impl Store {
    /// Shares the attempt with the group; `false` if it already was.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn share_attempt(&self, group_id: &str, attempt_id: &str, user_id: &str) -> Result<bool, StoreError> {
        on_db!(self, |db| {
            let result = sqlx::query(
                "INSERT INTO shared_attempts (group_id, attempt_id, shared_by, shared_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (group_id, attempt_id) DO NOTHING",
            )
            .bind(group_id)
            .bind(attempt_id)
            .bind(user_id)
            .bind(now_millis())
            .execute(db.write())
            .await?;
            Ok(result.rows_affected() == 1)
        })
    }

    fn shared_sql(filter: &str) -> String {
        format!(
            "SELECT {ATTEMPT_COLUMNS}, s.group_id AS share_group_id, s.shared_by, su.username AS sharer_name, s.shared_at
             FROM {ATTEMPT_FROM} JOIN shared_attempts s ON s.attempt_id = a.id
             JOIN users su ON su.id = s.shared_by
             WHERE {LIVE_SHARE} AND {filter}"
        )
    }

    /// The answers shared with the group, newest share first (at most `limit`).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn group_shared_attempts(&self, group_id: &str, limit: i64) -> Result<Vec<SharedAttempt>, StoreError> {
        on_db!(self, |db| {
            let sql = Self::shared_sql("s.group_id = $1 ORDER BY s.shared_at DESC, s.attempt_id LIMIT $2");
            let rows = sqlx::query_as::<_, SharedRow>(&sql).bind(group_id).bind(limit).fetch_all(db.read()).await?;
            Ok(rows.into_iter().map(SharedAttempt::from).collect())
        })
    }

    /// One answer shared with the group, if it is.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn shared_attempt(&self, group_id: &str, attempt_id: &str) -> Result<Option<SharedAttempt>, StoreError> {
        on_db!(self, |db| {
            let sql = Self::shared_sql("s.group_id = $1 AND s.attempt_id = $2");
            Ok(sqlx::query_as::<_, SharedRow>(&sql)
                .bind(group_id)
                .bind(attempt_id)
                .fetch_optional(db.read())
                .await?
                .map(SharedAttempt::from))
        })
    }

    /// The groups (id, name) each of the user's answers to a question is shared with.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn question_shares(
        &self,
        user_id: &str,
        question_id: &str,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, (String, String, String)>(&format!(
                "SELECT s.attempt_id, g.id, g.name FROM shared_attempts s
             JOIN attempts a ON a.id = s.attempt_id JOIN groups g ON g.id = s.group_id
             WHERE a.user_id = $1 AND a.question_id = $2 AND {LIVE_SHARE} ORDER BY g.name, g.id"
            ))
            .bind(user_id)
            .bind(question_id)
            .fetch_all(db.read())
            .await?)
        })
    }

    /// Sets (or replaces) the marker's mark on the answer; `true` if it is their first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_mark(
        &self,
        attempt_id: &str,
        marker_id: &str,
        group_id: &str,
        score: i64,
        comment: &str,
    ) -> Result<bool, StoreError> {
        on_db!(self, |db| {
            let mut tx = db.write().begin().await?;
            let existed: Option<bool> =
                sqlx::query_scalar("SELECT TRUE FROM peer_marks WHERE attempt_id = $1 AND marker_id = $2")
                    .bind(attempt_id)
                    .bind(marker_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            sqlx::query(
            "INSERT INTO peer_marks (attempt_id, marker_id, group_id, score, comment, marked_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (attempt_id, marker_id) DO UPDATE SET group_id = excluded.group_id, score = excluded.score,
                 comment = excluded.comment, marked_at = excluded.marked_at",
        )
        .bind(attempt_id)
        .bind(marker_id)
        .bind(group_id)
        .bind(score)
        .bind(comment)
        .bind(now_millis())
        .execute(&mut *tx)
        .await?;
            tx.commit().await?;
            Ok(existed.is_none())
        })
    }

    /// Every mark on these answers, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn marks_on(&self, attempt_ids: &[String]) -> Result<Vec<PeerMark>, StoreError> {
        on_db!(self, |db| {
            if attempt_ids.is_empty() {
                return Ok(Vec::new());
            }
            // The ids go in as one JSON array: one statement whatever their number.
            let ids = serde_json::to_string(attempt_ids).context("encode attempt ids")?;
            let listed =
                db.pick("SELECT value FROM json_each($1)", "SELECT json_array_elements_text(CAST($1 AS JSON))");
            let rows = sqlx::query_as::<_, MarkRow>(&format!(
                "SELECT {MARK_COLUMNS} FROM peer_marks m JOIN users u ON u.id = m.marker_id
             WHERE m.attempt_id IN ({listed}) ORDER BY m.marked_at, m.marker_id"
            ))
            .bind(ids)
            .fetch_all(db.read())
            .await?;
            Ok(rows.into_iter().map(PeerMark::from).collect())
        })
    }

    /// The question's answers that peers marked, with the grader's score and the mean mark.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn question_marked_attempts(&self, question_id: &str) -> Result<Vec<MarkedAttempt>, StoreError> {
        on_db!(self, |db| {
            let rows = sqlx::query_as::<_, MarkedRow>(
                "SELECT a.id AS attempt_id, a.answer, a.score AS grader_score, a.unsure,
                 COUNT(*) AS marks, CAST(AVG(m.score) AS DOUBLE PRECISION) AS mean_mark,
                 (SELECT MIN(s.group_id) FROM shared_attempts s WHERE s.attempt_id = a.id) AS group_id
             FROM attempts a JOIN peer_marks m ON m.attempt_id = a.id
             WHERE a.question_id = $1 GROUP BY a.id ORDER BY a.created_at, a.id",
            )
            .bind(question_id)
            .fetch_all(db.read())
            .await?;
            Ok(rows
                .into_iter()
                .map(|r| MarkedAttempt {
                    attempt_id: r.attempt_id,
                    group_id: r.group_id,
                    answer: r.answer,
                    grader_score: r.grader_score,
                    unsure: r.unsure,
                    marks: r.marks,
                    mean_mark: r.mean_mark,
                })
                .collect())
        })
    }

    /// Every marked answer with today's content of its question, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn calibration_rows(&self) -> Result<Vec<CalibrationRow>, StoreError> {
        on_db!(self, |db| {
            let rows = sqlx::query_as::<_, CalibrationSql>(
            "SELECT a.id AS attempt_id, q.id AS question_id, q.prompt, q.answer AS reference, q.keywords, q.relations,
                 q.ordered, q.misconceptions, a.answer, a.score AS stored_score, COUNT(*) AS marks, CAST(AVG(m.score) AS DOUBLE PRECISION) AS mean_mark
             FROM attempts a JOIN peer_marks m ON m.attempt_id = a.id JOIN questions q ON q.id = a.question_id
             GROUP BY a.id, q.id ORDER BY a.created_at, a.id",
        )
        .fetch_all(db.read())
        .await?;
            rows.into_iter()
                .map(|r| {
                    Ok(CalibrationRow {
                        keywords: serde_json::from_str(&r.keywords).context("stored keywords")?,
                        relations: serde_json::from_str(&r.relations).context("stored relations")?,
                        misconceptions: serde_json::from_str(&r.misconceptions).context("stored misconceptions")?,
                        attempt_id: r.attempt_id,
                        question_id: r.question_id,
                        prompt: r.prompt,
                        reference: r.reference,
                        ordered: r.ordered,
                        answer: r.answer,
                        stored_score: r.stored_score,
                        marks: r.marks,
                        mean_mark: r.mean_mark,
                    })
                })
                .collect()
        })
    }
}
