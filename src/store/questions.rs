use super::{now_millis, Store, StoreError};
use crate::bank::TopicFile;
use crate::domain::Topic;
use anyhow::Context;

#[derive(sqlx::FromRow)]
struct TopicRow {
    id: String,
    name: String,
    description: String,
    questions: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: String,
    pub topic_id: String,
    pub topic_name: String,
    pub prompt: String,
    pub answer: String,
    pub keywords: String,
    pub relations: String,
    pub follow_ups: String,
    pub difficulty: i64,
    /// The keywords are steps in order.
    pub ordered: bool,
    pub retired_at: Option<i64>,
}

/// What a bank sync changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub topics: usize,
    pub questions: usize,
    pub retired: u64,
}

impl Store {
    /// Upserts every topic and question by id and retires (never deletes) the ones no
    /// longer in the files, all in one transaction: a failure changes nothing.
    #[tracing::instrument(skip_all)]
    pub async fn sync_bank(&self, topics: &[TopicFile]) -> Result<SyncReport, StoreError> {
        let now = now_millis();
        let mut tx = self.writer().begin().await?;
        let mut report = SyncReport::default();
        for topic in topics {
            sqlx::query(
                "INSERT INTO topics (id, name, description, retired_at) VALUES (?, ?, ?, NULL)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, retired_at = NULL",
            )
            .bind(&topic.slug)
            .bind(&topic.name)
            .bind(&topic.description)
            .execute(&mut *tx)
            .await?;
            report.topics += 1;
            for q in &topic.questions {
                let keywords = serde_json::to_string(&q.keywords).context("encode keywords")?;
                let relations = serde_json::to_string(&q.relations).context("encode relations")?;
                let follow_ups = serde_json::to_string(&q.follow_ups).context("encode follow-ups")?;
                sqlx::query(
                    "INSERT INTO questions (id, topic_id, prompt, answer, keywords, relations, follow_ups, difficulty, ordered, source, updated_at, retired_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
                     ON CONFLICT (id) DO UPDATE SET topic_id = excluded.topic_id, prompt = excluded.prompt,
                       answer = excluded.answer, keywords = excluded.keywords, relations = excluded.relations,
                       follow_ups = excluded.follow_ups, difficulty = excluded.difficulty, ordered = excluded.ordered,
                       source = excluded.source,
                       updated_at = excluded.updated_at, retired_at = NULL",
                )
                .bind(&q.id)
                .bind(&topic.slug)
                .bind(&q.prompt)
                .bind(&q.answer)
                .bind(keywords)
                .bind(relations)
                .bind(follow_ups)
                .bind(q.difficulty)
                .bind(q.ordered)
                .bind(&topic.source)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                report.questions += 1;
            }
        }
        // Everything not touched by this sync is no longer in the files. Questions
        // imported from notes (`rehearse import NOTES.md`) are not in the files at all:
        // only re-importing their notes file retires them.
        report.retired = sqlx::query(
            "UPDATE questions SET retired_at = ?
             WHERE retired_at IS NULL AND updated_at <> ? AND source NOT LIKE 'notes:%'",
        )
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "UPDATE topics SET retired_at = ? WHERE retired_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM questions q WHERE q.topic_id = topics.id AND q.retired_at IS NULL)",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Topics that have active questions, by name.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn topics(&self) -> Result<Vec<Topic>, StoreError> {
        let rows = sqlx::query_as::<_, TopicRow>(
            "SELECT t.id, t.name, t.description, COUNT(q.id) AS questions
             FROM topics t JOIN questions q ON q.topic_id = t.id AND q.retired_at IS NULL
             WHERE t.retired_at IS NULL
             GROUP BY t.id, t.name, t.description ORDER BY t.name",
        )
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Topic { id: r.id, name: r.name, description: r.description, questions: r.questions })
            .collect())
    }

    /// Every question, retired ones included (old interviews still refer to them).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn all_questions(&self) -> Result<Vec<QuestionRow>, StoreError> {
        Ok(sqlx::query_as::<_, QuestionRow>(
            "SELECT q.id, q.topic_id, t.name AS topic_name, q.prompt, q.answer, q.keywords, q.relations,
                    q.follow_ups, q.difficulty, q.ordered, q.retired_at
             FROM questions q JOIN topics t ON t.id = q.topic_id ORDER BY q.id",
        )
        .fetch_all(self.reader())
        .await?)
    }
}
