//! Queries behind the learning loop: schedule, mastery inputs, weak concepts, follow-ups.
//! Every query is bounded by `user_id` and served by an index that starts with it, so
//! its cost depends on one user's history, not on the size of the whole table.
use sqlx::Transaction;
use uuid::Uuid;

use super::interviews::{attempts, AttemptRow};
use super::{now_millis, Store, StoreError};
use crate::domain::{Attempt, DueQuestion, FollowUpReply};
use crate::domain::{ConceptStatus, StatusText};
use crate::learning::schedule::{self, Schedule};
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
    /// Dictated rather than typed: only a spoken answer's time is a speaking pace.
    pub spoken: bool,
}

/// The schedule columns as stored; a row the start-up has not converted from SM-2 yet
/// holds its SM-2 ease instead of a memory state (migration 0012).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct ScheduleColumns {
    pub stability: Option<f64>,
    pub difficulty: Option<f64>,
    pub sm2_ease: Option<f64>,
    pub interval_days: f64,
    pub last_review_at: i64,
    pub due_at: i64,
}

impl From<ScheduleColumns> for Schedule {
    fn from(c: ScheduleColumns) -> Schedule {
        match (c.stability, c.difficulty) {
            (Some(stability), Some(difficulty)) => Schedule {
                stability,
                difficulty,
                interval_days: c.interval_days,
                last_review_at: c.last_review_at,
                due_at: c.due_at,
            },
            _ => schedule::from_sm2(
                c.sm2_ease.unwrap_or(crate::learning::sm2::INITIAL_EASE),
                c.interval_days,
                c.last_review_at,
                c.due_at,
            ),
        }
    }
}

#[derive(sqlx::FromRow)]
struct DueColumns {
    question_id: String,
    last_score: f64,
    #[sqlx(flatten)]
    schedule: ScheduleColumns,
}

impl From<DueColumns> for DueQuestion {
    fn from(r: DueColumns) -> DueQuestion {
        let schedule = Schedule::from(r.schedule);
        DueQuestion { question_id: r.question_id, due_at: schedule.due_at, last_score: r.last_score, schedule }
    }
}

/// What the scheduler needs to know about a learner besides their schedules.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnerSettings {
    pub desired_retention: f64,
    /// Their fitted FSRS parameters; `None` before the first fit (or if unreadable).
    pub parameters: Option<Vec<f32>>,
    /// How many follow-up reviews the last fit saw.
    pub fitted_on: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct LearnerColumns {
    pub desired_retention: Option<f64>,
    pub parameters: Option<String>,
    pub fitted_on: Option<i64>,
}

impl From<LearnerColumns> for LearnerSettings {
    fn from(c: LearnerColumns) -> LearnerSettings {
        LearnerSettings {
            desired_retention: c.desired_retention.unwrap_or(schedule::DEFAULT_RETENTION),
            parameters: c.parameters.and_then(|p| serde_json::from_str(&p).ok()),
            fitted_on: c.fitted_on,
        }
    }
}

/// Columns of a schedule read: `s` is the schedules table.
pub(super) const SCHEDULE_COLUMNS: &str =
    "s.stability, s.difficulty, s.sm2_ease, s.interval_days, s.last_review_at, s.due_at";

impl<'r, R: Row> sqlx::FromRow<'r, R> for FollowUpReply
where
    &'r str: sqlx::ColumnIndex<R>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
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
pub(super) const SCHEDULE_INSERT: &str = "INSERT INTO schedules (user_id, question_id, stability, difficulty, \
     interval_days, last_review_at, due_at, last_score, updated_at)";
pub(super) const SCHEDULE_ON_CONFLICT: &str =
    "ON CONFLICT (user_id, question_id) DO UPDATE SET stability = excluded.stability, difficulty = excluded.difficulty,
       sm2_ease = NULL, interval_days = excluded.interval_days, last_review_at = excluded.last_review_at,
       due_at = excluded.due_at, last_score = excluded.last_score, updated_at = excluded.updated_at";

per_backend! {
pub(crate) async fn upsert_schedule(
    tx: &mut Transaction<'_, Db>,
    user_id: &str,
    question_id: &str,
    s: &Schedule,
    score: f64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("{SCHEDULE_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) {SCHEDULE_ON_CONFLICT}"))
        .bind(user_id)
        .bind(question_id)
        .bind(s.stability)
        .bind(s.difficulty)
        .bind(s.interval_days)
        .bind(s.last_review_at)
        .bind(s.due_at)
        .bind(score)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
}

impl Store {
    /// Questions due at `now`, most overdue first (at most `limit`).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn due(&self, user_id: &str, now: i64, limit: i64) -> Result<Vec<DueQuestion>, StoreError> {
        on_db!(self, |db| {
            let sql = format!(
            "SELECT s.question_id, s.last_score, {SCHEDULE_COLUMNS} FROM schedules s WHERE s.user_id = $1 AND s.due_at <= $2
             ORDER BY s.due_at, s.question_id LIMIT $3"
        );
            let rows =
                sqlx::query_as::<_, DueColumns>(&sql).bind(user_id).bind(now).bind(limit).fetch_all(db.read()).await?;
            Ok(rows.into_iter().map(DueQuestion::from).collect())
        })
    }

    /// Every scheduled question of the user, soonest due first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn schedules(&self, user_id: &str) -> Result<Vec<DueQuestion>, StoreError> {
        on_db!(self, |db| {
            let sql = format!(
                "SELECT s.question_id, s.last_score, {SCHEDULE_COLUMNS} FROM schedules s WHERE s.user_id = $1
             ORDER BY s.due_at, s.question_id"
            );
            let rows = sqlx::query_as::<_, DueColumns>(&sql).bind(user_id).fetch_all(db.read()).await?;
            Ok(rows.into_iter().map(DueQuestion::from).collect())
        })
    }

    /// The learner's desired retention and fitted parameters.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn learner_settings(&self, user_id: &str) -> Result<LearnerSettings, StoreError> {
        on_db!(self, |db| {
            let row = sqlx::query_as::<_, LearnerColumns>(
                "SELECT u.desired_retention, p.parameters, p.reviews AS fitted_on
             FROM users u LEFT JOIN fsrs_parameters p ON p.user_id = u.id WHERE u.id = $1",
            )
            .bind(user_id)
            .fetch_optional(db.read())
            .await?;
            Ok(row.map(LearnerSettings::from).unwrap_or(LearnerSettings {
                desired_retention: schedule::DEFAULT_RETENTION,
                parameters: None,
                fitted_on: None,
            }))
        })
    }

    /// Sets the recall the learner wants on a question's due date.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn set_desired_retention(&self, user_id: &str, retention: f64) -> Result<(), StoreError> {
        on_db!(self, |db| {
            sqlx::query("UPDATE users SET desired_retention = $1 WHERE id = $2")
                .bind(retention)
                .bind(user_id)
                .execute(db.write())
                .await?;
            Ok(())
        })
    }

    /// Stores the learner's fitted parameters, fitted on `reviews` follow-up reviews.
    #[tracing::instrument(level = "debug", skip(self, parameters))]
    pub async fn store_parameters(&self, user_id: &str, parameters: &[f32], reviews: i64) -> Result<(), StoreError> {
        on_db!(self, |db| {
            let json = serde_json::to_string(parameters).map_err(anyhow::Error::from)?;
            sqlx::query(
                "INSERT INTO fsrs_parameters (user_id, parameters, reviews, fitted_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id) DO UPDATE SET parameters = excluded.parameters, reviews = excluded.reviews,
               fitted_at = excluded.fitted_at",
            )
            .bind(user_id)
            .bind(json)
            .bind(reviews)
            .bind(now_millis())
            .execute(db.write())
            .await?;
            Ok(())
        })
    }

    /// Learners with at least `min_reviews` follow-up reviews (answers to a question
    /// answered before; retries and unsure grades do not count), and at least `refit_after` more than at
    /// their last fit if they had one: (user id, follow-up reviews at their last fit).
    /// A scan of the attempts, run by the background sweep only.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn fit_candidates(
        &self,
        min_reviews: i64,
        refit_after: i64,
    ) -> Result<Vec<(String, Option<i64>)>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as(
                "SELECT c.user_id, p.reviews FROM
               (SELECT user_id, COUNT(*) - COUNT(DISTINCT question_id) AS reviews FROM attempts
                WHERE kind <> 'retry' AND NOT unsure GROUP BY user_id) c
             LEFT JOIN fsrs_parameters p ON p.user_id = c.user_id
             WHERE c.reviews >= $1 AND (p.reviews IS NULL OR c.reviews >= p.reviews + $2)
             ORDER BY c.user_id",
            )
            .bind(min_reviews)
            .bind(refit_after)
            .fetch_all(db.read())
            .await?)
        })
    }

    /// Turns the SM-2 schedules that migration 0012 carried over into FSRS ones (due
    /// dates unchanged); returns how many. Runs once at start-up; a no-op afterwards.
    #[tracing::instrument(skip_all)]
    pub async fn convert_sm2_schedules(&self) -> Result<u64, StoreError> {
        on_db!(self, |db| {
            let mut tx = db.write().begin().await?;
            let rows: Vec<(String, String, f64, f64, i64, i64)> = sqlx::query_as(
                "SELECT user_id, question_id, sm2_ease, interval_days, last_review_at, due_at FROM schedules
             WHERE sm2_ease IS NOT NULL",
            )
            .fetch_all(&mut *tx)
            .await?;
            for (user_id, question_id, ease, interval_days, last_review_at, due_at) in &rows {
                let s = schedule::from_sm2(*ease, *interval_days, *last_review_at, *due_at);
                sqlx::query(
                "UPDATE schedules SET stability = $1, difficulty = $2, sm2_ease = NULL WHERE user_id = $3 AND question_id = $4",
            )
            .bind(s.stability)
            .bind(s.difficulty)
            .bind(user_id)
            .bind(question_id)
            .execute(&mut *tx)
            .await?;
            }
            tx.commit().await?;
            Ok(rows.len() as u64)
        })
    }

    /// Graded attempts that count towards mastery (not retries, not unsure grades),
    /// oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn scored_attempts(&self, user_id: &str) -> Result<Vec<ScoreRow>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, ScoreRow>(
                "SELECT id, question_id, score, created_at FROM attempts WHERE user_id = $1 AND kind <> 'retry'
             AND NOT unsure ORDER BY created_at, id",
            )
            .bind(user_id)
            .fetch_all(db.read())
            .await?)
        })
    }

    /// Questions the user answered only with grades the grader was unsure of (first
    /// answers, not retries or skips): answered, but in no mastery figure.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn unsure_only_questions(&self, user_id: &str) -> Result<Vec<String>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_scalar(
                "SELECT DISTINCT question_id FROM attempts WHERE user_id = $1 AND unsure AND kind NOT IN ('retry', 'skipped')
             AND question_id NOT IN (SELECT question_id FROM attempts WHERE user_id = $1 AND kind <> 'retry' AND NOT unsure)",
            )
            .bind(user_id)
            .fetch_all(db.read())
            .await?)
        })
    }

    /// The question of each skip of the user's (first attempts, graded as sure), once per
    /// skip: scored 0 in the mastery and the schedule, but not answers.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn skipped_questions(&self, user_id: &str) -> Result<Vec<String>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_scalar(
                "SELECT question_id FROM attempts WHERE user_id = $1 AND kind = 'skipped' AND NOT unsure",
            )
            .bind(user_id)
            .fetch_all(db.read())
            .await?)
        })
    }

    /// The user's concept tallies that have at least one miss.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn concept_stats(&self, user_id: &str) -> Result<Vec<ConceptStatRow>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, ConceptStatRow>(
                "SELECT question_id, concept, seen, misses, contradicted, last_status, updated_at FROM concept_stats
             WHERE user_id = $1 AND misses > 0",
            )
            .bind(user_id)
            .fetch_all(db.read())
            .await?)
        })
    }

    /// Every attempt of the user at one question, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn question_attempts(&self, user_id: &str, question_id: &str) -> Result<Vec<Attempt>, StoreError> {
        on_db!(self, |db| {
            let sql = format!(
                "SELECT {} FROM {}
             WHERE a.user_id = $1 AND a.question_id = $2 ORDER BY a.created_at, a.id",
                super::interviews::ATTEMPT_COLUMNS,
                super::interviews::ATTEMPT_FROM
            );
            Ok(attempts(
                sqlx::query_as::<_, AttemptRow>(&sql).bind(user_id).bind(question_id).fetch_all(db.read()).await?,
            ))
        })
    }

    /// The attempt if it belongs to the user.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn attempt(&self, user_id: &str, attempt_id: &str) -> Result<Option<Attempt>, StoreError> {
        on_db!(self, |db| {
            let sql = format!(
                "SELECT {} FROM {}
             WHERE a.user_id = $1 AND a.id = $2",
                super::interviews::ATTEMPT_COLUMNS,
                super::interviews::ATTEMPT_FROM
            );
            Ok(sqlx::query_as::<_, AttemptRow>(&sql)
                .bind(user_id)
                .bind(attempt_id)
                .fetch_optional(db.read())
                .await?
                .map(Attempt::from))
        })
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
        on_db!(self, |db| {
            let mut tx = db.write().begin().await?;
            let result = sqlx::query(
                "INSERT INTO follow_up_answers (id, attempt_id, user_id, concept, prompt, answer, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(Uuid::now_v7().to_string())
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
                    "UPDATE concept_stats SET last_status = 'covered', updated_at = $1
                 WHERE user_id = $2 AND question_id = $3 AND concept = $4",
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
        })
    }

    /// Follow-up replies in one interview.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn interview_follow_ups(&self, interview_id: &str) -> Result<Vec<FollowUpReply>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, FollowUpReply>(
                "SELECT f.attempt_id, f.concept, f.prompt, f.answer, f.status, f.created_at
             FROM follow_up_answers f JOIN attempts a ON a.id = f.attempt_id WHERE a.interview_id = $1
             ORDER BY f.created_at",
            )
            .bind(interview_id)
            .fetch_all(db.read())
            .await?)
        })
    }

    /// Follow-up replies to the user's answers stored at `since` (Unix ms) or later,
    /// oldest first: those of a page of recent answers.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn user_follow_ups_since(&self, user_id: &str, since: i64) -> Result<Vec<FollowUpReply>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, FollowUpReply>(
                "SELECT f.attempt_id, f.concept, f.prompt, f.answer, f.status, f.created_at
             FROM attempts a JOIN follow_up_answers f ON f.attempt_id = a.id
             WHERE a.user_id = $1 AND a.created_at >= $2 ORDER BY f.created_at",
            )
            .bind(user_id)
            .bind(since)
            .fetch_all(db.read())
            .await?)
        })
    }

    /// Follow-up replies to the user's answers to one question, oldest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn question_follow_ups(
        &self,
        user_id: &str,
        question_id: &str,
    ) -> Result<Vec<FollowUpReply>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, FollowUpReply>(
                "SELECT f.attempt_id, f.concept, f.prompt, f.answer, f.status, f.created_at
             FROM follow_up_answers f JOIN attempts a ON a.id = f.attempt_id
             WHERE a.user_id = $1 AND a.question_id = $2 ORDER BY f.created_at",
            )
            .bind(user_id)
            .bind(question_id)
            .fetch_all(db.read())
            .await?)
        })
    }

    /// The user's latest `limit` first answers (not retries), newest first, with the
    /// model answer of their question: the input of the delivery trends.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn recent_deliveries(&self, user_id: &str, limit: i64) -> Result<Vec<DeliveryRow>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, DeliveryRow>(
                "SELECT a.answer, a.time_taken_ms, a.created_at, a.spoken FROM attempts a
             WHERE a.user_id = $1 AND a.kind NOT IN ('retry', 'skipped') ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
            )
            .bind(user_id)
            .bind(limit)
            .fetch_all(db.read())
            .await?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::schedule::Learner;
    use crate::learning::DAY_MS;

    /// A database as it was before FSRS (migrations up to 0011) with two SM-2 schedules:
    /// one reviewed well 15 days before it is due, one failed ten minutes before.
    async fn sm2_database(url: &str, now: i64) {
        let pool = crate::store::database_before(url, 12).await;
        for sql in [
            "INSERT INTO topics (id, name) VALUES ('k8s', 'Kubernetes')",
            "INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ('u', 'u', 'u', 'x', 0)",
        ] {
            sqlx::query(sql).execute(&pool).await.expect(sql);
        }
        for q in ["known", "failed"] {
            sqlx::query(
                "INSERT INTO questions (id, topic_id, prompt, answer, keywords, relations, follow_ups, difficulty, source,
                 updated_at) VALUES ($1, 'k8s', 'p', 'a', '[]', '[]', '[]', 1, 'f', 0)",
            )
            .bind(q)
            .execute(&pool)
            .await
            .expect("question");
        }
        let rows =
            [("known", 4, 2.5, 15.0, now + 5 * DAY_MS, 0.9), ("failed", 0, 1.7, 10.0 / 1440.0, now - 60_000, 0.3)];
        for (q, repetitions, ease, interval, due_at, score) in rows {
            sqlx::query(
                "INSERT INTO schedules (user_id, question_id, repetitions, ease, interval_days, due_at, last_score, updated_at)
                 VALUES ('u', $1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(q)
            .bind(repetitions)
            .bind(ease)
            .bind(interval)
            .bind(due_at)
            .bind(score)
            .bind(now - 10 * DAY_MS)
            .execute(&pool)
            .await
            .expect("SM-2 schedule");
        }
        pool.close().await;
    }

    #[tokio::test]
    async fn sm2_schedules_become_fsrs_ones_keeping_their_due_dates() {
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("sqlite://{}", dir.path().join("sm2.db").display());
        let now = now_millis();
        sm2_database(&url, now).await;

        let store = Store::connect(&url).await.expect("migrated to FSRS");
        let read_before_conversion = store.schedules("u").await.expect("schedules");
        assert_eq!(store.convert_sm2_schedules().await.expect("converted"), 2);
        assert_eq!(store.convert_sm2_schedules().await.expect("again"), 0, "converted once");
        let converted = store.schedules("u").await.expect("schedules");
        let leftover: i64 = on_db!(store, |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM schedules WHERE sm2_ease IS NOT NULL OR stability IS NULL"
        )
        .fetch_one(db.read())
        .await
        .expect("count"));
        assert_eq!(leftover, 0, "every row holds an FSRS state");
        assert_eq!(
            read_before_conversion.iter().map(|r| r.schedule).collect::<Vec<_>>(),
            converted.iter().map(|r| r.schedule).collect::<Vec<_>>(),
            "a row read before the start-up conversion is read as the conversion writes it"
        );

        let learner = Learner::with_defaults(0.9);
        let failed = &converted[0];
        let known = &converted[1];
        assert_eq!((failed.question_id.as_str(), known.question_id.as_str()), ("failed", "known"), "soonest due first");
        assert_eq!(known.due_at, now + 5 * DAY_MS, "due date kept");
        assert_eq!(known.schedule.last_review_at, now - 10 * DAY_MS, "reviewed one SM-2 interval before it is due");
        assert!((known.schedule.stability - 15.0).abs() < 0.01, "{:?}", known.schedule);
        assert!(
            (learner.recall(&known.schedule, known.due_at) - 0.9).abs() < 0.01,
            "SM-2 aimed at 90% on the due date"
        );
        assert!(learner.recall(&failed.schedule, now + DAY_MS) < 0.5, "a lapse is barely held a day later");
        assert_eq!(failed.last_score, 0.3);
        let settings = store.learner_settings("u").await.expect("settings");
        assert_eq!(settings, LearnerSettings { desired_retention: 0.9, parameters: None, fitted_on: None });
    }
}
