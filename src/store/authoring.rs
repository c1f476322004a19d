//! What the authoring pages read and write: questions made or edited on the web (each
//! change a new version), retiring and restoring, topics, sample answers, and the bank
//! as topic files for `rehearse export`.
use super::questions::{postgres, sqlite, Content, Existing, TopicRow, EXISTING_COLUMNS};
use super::{now_millis, Store, StoreError};
use crate::bank::{KeywordDef, QuestionDef, TopicFile};
use crate::domain::{AuthoredQuestion, Topic};
use anyhow::Context;

/// A stored sample answer with the band its author expects.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SampleRow {
    pub id: String,
    pub question_id: String,
    pub answer: String,
    pub expected_band: String,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct FullRow {
    id: String,
    retired_at: Option<i64>,
    #[sqlx(flatten)]
    existing: Existing,
}

fn authored(row: FullRow) -> Result<AuthoredQuestion, StoreError> {
    let c = &row.existing.content;
    let keywords: Vec<KeywordDef> = serde_json::from_str(&c.keywords).context("stored keywords")?;
    let relations: Vec<String> = serde_json::from_str(&c.relations).context("stored relations")?;
    let follow_ups: Vec<String> = serde_json::from_str(&c.follow_ups).context("stored follow-ups")?;
    let misconceptions = serde_json::from_str(&c.misconceptions).context("stored misconceptions")?;
    Ok(AuthoredQuestion {
        topic_id: c.topic_id.clone(),
        def: QuestionDef {
            id: row.id.clone(),
            prompt: c.prompt.clone(),
            answer: c.answer.clone(),
            keywords,
            relations,
            follow_ups,
            difficulty: c.difficulty,
            ordered: c.ordered,
            misconceptions,
        },
        id: row.id,
        version: row.existing.version,
        retired: row.retired_at.is_some(),
        edited_on_web: row.existing.edited_on_web.is_some(),
    })
}

impl Store {
    /// Every topic, by name, with its count of active questions.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn all_topics(&self) -> Result<Vec<Topic>, StoreError> {
        on_db!(self, |db| {
            let rows = sqlx::query_as::<_, TopicRow>(
                "SELECT t.id, t.name, t.description,
                    (SELECT COUNT(*) FROM questions q WHERE q.topic_id = t.id AND q.retired_at IS NULL) AS questions,
                    t.retired_at, EXISTS (SELECT 1 FROM topic_notes n WHERE n.topic_id = t.id AND n.notes <> '') AS has_notes
             FROM topics t ORDER BY t.name, t.id",
            )
            .fetch_all(db.read())
            .await?;
            Ok(rows.into_iter().map(Topic::from).collect())
        })
    }

    /// Creates a topic; `Conflict("topic")` when the id is taken.
    #[tracing::instrument(skip(self, description))]
    pub async fn create_topic(&self, id: &str, name: &str, description: &str) -> Result<(), StoreError> {
        on_db!(self, |db| {
            let done = sqlx::query(
            "INSERT INTO topics (id, name, description, retired_at) VALUES ($1, $2, $3, NULL) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(name)
        .bind(description)
        .execute(db.write())
        .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("topic"));
            }
            Ok(())
        })
    }

    /// Renames a topic or changes its description, as a web edit (kept at start-up while
    /// the file's topic header is unchanged). False when there is no such topic.
    #[tracing::instrument(skip(self, description))]
    pub async fn update_topic(&self, id: &str, name: &str, description: &str) -> Result<bool, StoreError> {
        on_db!(self, |db| {
            let done = sqlx::query("UPDATE topics SET name = $1, description = $2, edited_on_web = $3 WHERE id = $4")
                .bind(name)
                .bind(description)
                .bind(now_millis())
                .bind(id)
                .execute(db.write())
                .await?;
            Ok(done.rows_affected() > 0)
        })
    }

    /// Retires a topic with its active questions, or restores it with the questions that
    /// were retired with it (those whose retirement has the topic's timestamp; a question
    /// retired on its own before stays retired). Both are web edits, kept at start-up
    /// while the files are unchanged. False when there is no such topic.
    #[tracing::instrument(skip(self))]
    pub async fn set_topic_retired(&self, id: &str, retired: bool) -> Result<bool, StoreError> {
        on_db!(self, |db| {
            let now = now_millis();
            let mut tx = db.write().begin().await?;
            let Some((was,)) = sqlx::query_as::<_, (Option<i64>,)>("SELECT retired_at FROM topics WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
            else {
                return Ok(false);
            };
            if retired {
                let at = was.unwrap_or(now);
                sqlx::query("UPDATE topics SET retired_at = $1, edited_on_web = $2 WHERE id = $3")
                    .bind(at)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "UPDATE questions SET retired_at = $1, edited_on_web = $2, updated_at = $3
                 WHERE topic_id = $4 AND retired_at IS NULL",
                )
                .bind(at)
                .bind(now)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            } else if let Some(at) = was {
                sqlx::query(
                    "UPDATE questions SET retired_at = NULL, edited_on_web = $1, updated_at = $2
                 WHERE topic_id = $3 AND retired_at = $4",
                )
                .bind(now)
                .bind(now)
                .bind(id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE topics SET retired_at = NULL, edited_on_web = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Every question (retired ones too), by topic and id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn authored_questions(&self) -> Result<Vec<AuthoredQuestion>, StoreError> {
        on_db!(self, |db| {
            let sql = format!("SELECT id, retired_at, {EXISTING_COLUMNS} FROM questions ORDER BY topic_id, id");
            sqlx::query_as::<_, FullRow>(&sql).fetch_all(db.read()).await?.into_iter().map(authored).collect()
        })
    }

    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn authored_question(&self, id: &str) -> Result<Option<AuthoredQuestion>, StoreError> {
        on_db!(self, |db| {
            let sql = format!("SELECT id, retired_at, {EXISTING_COLUMNS} FROM questions WHERE id = $1");
            sqlx::query_as::<_, FullRow>(&sql).bind(id).fetch_optional(db.read()).await?.map(authored).transpose()
        })
    }

    /// Stores a question made (`create`) or edited on the web and returns its version:
    /// a new one when the content changed. `None`: editing a question that does not
    /// exist. `Conflict("question")`: creating one whose id is taken.
    #[tracing::instrument(skip(self, def), fields(question = %def.id))]
    pub async fn save_web_question(
        &self,
        topic_id: &str,
        def: &QuestionDef,
        create: bool,
    ) -> Result<Option<i64>, StoreError> {
        on_db!(self, |db, m| {
            let now = now_millis();
            let content = Content::of(topic_id, def)?;
            let mut tx = db.write().begin().await?;
            let sql = format!("SELECT {EXISTING_COLUMNS} FROM questions WHERE id = $1");
            let existing = sqlx::query_as::<_, Existing>(&sql).bind(&def.id).fetch_optional(&mut *tx).await?;
            let (version, new_version, digest) = match (existing, create) {
                (Some(_), true) => return Err(StoreError::Conflict("question")),
                (None, false) => return Ok(None),
                (None, true) => (1, true, None),
                (Some(e), false) if e.content == content => (e.version, false, e.file_digest),
                (Some(e), false) => (e.version + 1, true, e.file_digest),
            };
            m::write_question(
                &mut tx,
                &def.id,
                &content,
                version,
                new_version,
                "web",
                digest.as_deref(),
                Some(now),
                now,
            )
            .await?;
            // A topic made on the web and retired at a start-up while it had no question yet
            // is live again with its first one.
            sqlx::query("UPDATE topics SET retired_at = NULL WHERE id = $1").bind(topic_id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(Some(version))
        })
    }

    /// Retires or restores a question; marks it as a web edit, so start-up keeps it so.
    /// False: no such question.
    #[tracing::instrument(skip(self))]
    pub async fn set_question_retired(&self, id: &str, retired: bool) -> Result<bool, StoreError> {
        on_db!(self, |db| {
            let now = now_millis();
            let mut tx = db.write().begin().await?;
            let done = sqlx::query(
                "UPDATE questions SET retired_at = CASE WHEN $1 THEN COALESCE(retired_at, $2) ELSE NULL END,
               edited_on_web = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(retired)
            .bind(now)
            .bind(now)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if !retired {
                sqlx::query(
                    "UPDATE topics SET retired_at = NULL WHERE id = (SELECT topic_id FROM questions WHERE id = $1)",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(done.rows_affected() > 0)
        })
    }

    #[tracing::instrument(skip(self, answer))]
    pub async fn add_sample(&self, question_id: &str, answer: &str, expected_band: &str) -> Result<String, StoreError> {
        on_db!(self, |db| {
            let id = uuid::Uuid::new_v4().to_string();
            sqlx::query(
            "INSERT INTO question_samples (id, question_id, answer, expected_band, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(question_id)
        .bind(answer)
        .bind(expected_band)
        .bind(now_millis())
        .execute(db.write())
        .await?;
            Ok(id)
        })
    }

    /// A question's sample answers, oldest first.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn samples(&self, question_id: &str) -> Result<Vec<SampleRow>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, SampleRow>(
                "SELECT id, question_id, answer, expected_band, created_at FROM question_samples
             WHERE question_id = $1 ORDER BY created_at, id",
            )
            .bind(question_id)
            .fetch_all(db.read())
            .await?)
        })
    }

    /// False: the question has no such sample.
    #[tracing::instrument(skip(self))]
    pub async fn delete_sample(&self, question_id: &str, sample_id: &str) -> Result<bool, StoreError> {
        on_db!(self, |db| {
            let done = sqlx::query("DELETE FROM question_samples WHERE id = $1 AND question_id = $2")
                .bind(sample_id)
                .bind(question_id)
                .execute(db.write())
                .await?;
            Ok(done.rows_affected() > 0)
        })
    }

    /// The active bank as topic files (topics without active questions left out), for
    /// `rehearse export`. Each topic's `source` is `<id>.toml`.
    #[tracing::instrument(skip_all)]
    pub async fn export_topics(&self) -> Result<Vec<TopicFile>, StoreError> {
        let topics = self.all_topics().await?;
        let questions = self.authored_questions().await?;
        Ok(topics
            .into_iter()
            .map(|t| TopicFile {
                source: format!("{}.toml", t.id),
                questions: questions
                    .iter()
                    .filter(|q| q.topic_id == t.id && !q.retired)
                    .map(|q| q.def.clone())
                    .collect(),
                slug: t.id,
                name: t.name,
                description: t.description,
            })
            .filter(|t| !t.questions.is_empty())
            .collect())
    }
}
