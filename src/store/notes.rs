//! Questions and notes imported from a study-notes file (`rehearse import NOTES.md`).
use super::{now_millis, Store, StoreError};
use crate::bank::notes::KnownTopic;
use crate::bank::notes_plan::{Change, ExistingNotes, ExistingQuestion, NotesPlan, Retired};
use crate::domain::TopicNote;

#[derive(sqlx::FromRow)]
struct QuestionSourceRow {
    id: String,
    topic_id: String,
    prompt: String,
    answer: String,
    source: String,
    retired_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct NotesRow {
    topic_id: String,
    source: String,
    notes: String,
}

impl Store {
    /// Every topic, retired ones too (importing questions into one brings it back).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn known_topics(&self) -> Result<Vec<KnownTopic>, StoreError> {
        on_db!(self, |db| {
            let rows: Vec<(String, String)> =
                sqlx::query_as("SELECT id, name FROM topics ORDER BY id").fetch_all(db.read()).await?;
            Ok(rows.into_iter().map(|(slug, name)| KnownTopic { slug, name }).collect())
        })
    }

    /// Every question with where it came from, for working out what an import changes.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn question_sources(&self) -> Result<Vec<ExistingQuestion>, StoreError> {
        on_db!(self, |db| {
            let rows = sqlx::query_as::<_, QuestionSourceRow>(
                "SELECT id, topic_id, prompt, answer, source, retired_at FROM questions ORDER BY id",
            )
            .fetch_all(db.read())
            .await?;
            Ok(rows
                .into_iter()
                .map(|r| ExistingQuestion {
                    id: r.id,
                    topic_id: r.topic_id,
                    prompt: r.prompt,
                    answer: r.answer,
                    source: r.source,
                    retired: r.retired_at.is_some(),
                })
                .collect())
        })
    }

    /// The notes one notes file brought, per topic.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn topic_notes_from(&self, source: &str) -> Result<Vec<ExistingNotes>, StoreError> {
        on_db!(self, |db| {
            let rows = sqlx::query_as::<_, NotesRow>(
                "SELECT topic_id, source, notes FROM topic_notes WHERE source = $1 ORDER BY topic_id",
            )
            .bind(source)
            .fetch_all(db.read())
            .await?;
            Ok(rows
                .into_iter()
                .map(|r| ExistingNotes { topic_id: r.topic_id, source: r.source, notes: r.notes })
                .collect())
        })
    }

    /// The study notes of one topic, from every notes file that brought some, oldest
    /// file first.
    #[tracing::instrument(level = "debug", skip(self))]
    pub async fn topic_notes(&self, topic_id: &str) -> Result<Vec<TopicNote>, StoreError> {
        on_db!(self, |db| {
            let rows: Vec<(String, String, i64)> = sqlx::query_as(
                "SELECT source, notes, updated_at FROM topic_notes WHERE topic_id = $1 ORDER BY updated_at, source",
            )
            .bind(topic_id)
            .fetch_all(db.read())
            .await?;
            Ok(rows.into_iter().map(|(source, text, updated_at)| TopicNote { source, text, updated_at }).collect())
        })
    }

    /// Writes a notes import in one transaction: new topics, the new and changed
    /// questions (no keywords: the grader derives the concepts from the answer), the
    /// retirement of questions the file no longer has, and the file's notes per topic.
    #[tracing::instrument(skip_all, fields(source = %plan.source))]
    pub async fn apply_notes(&self, plan: &NotesPlan) -> Result<(), StoreError> {
        on_db!(self, |db| {
            let now = now_millis();
            let mut tx = db.write().begin().await?;
            let topics = plan.questions.iter().map(|q| &q.question.topic).chain(plan.notes.iter().map(|(t, _, _)| t));
            for topic in topics {
                // An existing topic keeps its name and description; a retired one is back.
                sqlx::query(
                    "INSERT INTO topics (id, name, description, retired_at) VALUES ($1, $2, '', NULL)
                 ON CONFLICT (id) DO UPDATE SET retired_at = NULL",
                )
                .bind(&topic.slug)
                .bind(&topic.name)
                .execute(&mut *tx)
                .await?;
            }
            for q in plan.questions.iter().filter(|q| q.change != Change::Unchanged) {
                let q = &q.question;
                sqlx::query(
                "INSERT INTO questions (id, topic_id, prompt, answer, keywords, relations, follow_ups, difficulty, ordered, source, updated_at, retired_at)
                 VALUES ($1, $2, $3, $4, '[]', '[]', '[]', 1, FALSE, $5, $6, NULL)
                 ON CONFLICT (id) DO UPDATE SET topic_id = excluded.topic_id, prompt = excluded.prompt,
                   answer = excluded.answer, keywords = excluded.keywords, relations = excluded.relations,
                   follow_ups = excluded.follow_ups, difficulty = excluded.difficulty, ordered = excluded.ordered,
                   source = excluded.source, updated_at = excluded.updated_at, retired_at = NULL",
            )
            .bind(&q.id)
            .bind(&q.topic.slug)
            .bind(&q.prompt)
            .bind(&q.answer)
            .bind(&plan.source)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            }
            for Retired { id, .. } in &plan.retire {
                sqlx::query("UPDATE questions SET retired_at = $1 WHERE id = $2 AND retired_at IS NULL")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            for (topic, text, change) in &plan.notes {
                if *change == Change::Unchanged {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO topic_notes (topic_id, source, notes, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (topic_id, source) DO UPDATE SET notes = excluded.notes, updated_at = excluded.updated_at",
                )
                .bind(&topic.slug)
                .bind(&plan.source)
                .bind(text)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            for topic_id in &plan.drop_notes {
                sqlx::query("DELETE FROM topic_notes WHERE topic_id = $1 AND source = $2")
                    .bind(topic_id)
                    .bind(&plan.source)
                    .execute(&mut *tx)
                    .await?;
            }
            // As after a bank sync: a topic left without active questions is retired.
            sqlx::query(
                "UPDATE topics SET retired_at = $1 WHERE retired_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM questions q WHERE q.topic_id = topics.id AND q.retired_at IS NULL)",
            )
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
