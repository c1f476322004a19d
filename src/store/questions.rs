use super::{now_millis, Store, StoreError};
use crate::bank::{QuestionDef, TopicFile};
use crate::domain::Topic;
use anyhow::Context;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
pub(super) struct TopicRow {
    id: String,
    name: String,
    description: String,
    questions: i64,
    retired_at: Option<i64>,
    has_notes: bool,
}

impl From<TopicRow> for Topic {
    fn from(r: TopicRow) -> Topic {
        Topic {
            id: r.id,
            name: r.name,
            description: r.description,
            questions: r.questions,
            retired: r.retired_at.is_some(),
            has_notes: r.has_notes,
        }
    }
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
    /// JSON array of `grading::Misconception`.
    pub misconceptions: String,
    pub retired_at: Option<i64>,
    /// The version of its content (bumped on every change).
    pub version: i64,
}

/// What a bank sync changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub topics: usize,
    pub questions: usize,
    pub retired: u64,
    /// Questions edited on the web whose file is unchanged since: the web's version stays.
    pub kept_web_edits: usize,
}

/// A question's content as stored in `questions` and `question_versions`.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub(super) struct Content {
    pub topic_id: String,
    pub prompt: String,
    pub answer: String,
    pub keywords: String,
    pub relations: String,
    pub follow_ups: String,
    pub difficulty: i64,
    pub ordered: bool,
    pub misconceptions: String,
}

impl Content {
    pub(super) fn of(topic_id: &str, q: &QuestionDef) -> Result<Content, StoreError> {
        Ok(Content {
            topic_id: topic_id.into(),
            prompt: q.prompt.clone(),
            answer: q.answer.clone(),
            keywords: serde_json::to_string(&q.keywords).context("encode keywords")?,
            relations: serde_json::to_string(&q.relations).context("encode relations")?,
            follow_ups: serde_json::to_string(&q.follow_ups).context("encode follow-ups")?,
            difficulty: q.difficulty,
            ordered: q.ordered,
            misconceptions: serde_json::to_string(&q.misconceptions).context("encode misconceptions")?,
        })
    }
}

/// What a sync or an edit needs to know of a stored question.
#[derive(sqlx::FromRow)]
pub(super) struct Existing {
    pub version: i64,
    pub edited_on_web: Option<i64>,
    pub file_digest: Option<String>,
    #[sqlx(flatten)]
    pub content: Content,
}

pub(super) const EXISTING_COLUMNS: &str =
    "version, edited_on_web, file_digest, topic_id, prompt, answer, keywords, relations, follow_ups, difficulty, ordered,
     misconceptions";

per_backend! {
/// Writes `content` as the question's current content and, when it is a new version,
/// records that version.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn write_question(
    tx: &mut sqlx::Transaction<'_, Db>,
    id: &str,
    content: &Content,
    version: i64,
    new_version: bool,
    source: &str,
    file_digest: Option<&str>,
    edited_on_web: Option<i64>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO questions (id, topic_id, prompt, answer, keywords, relations, follow_ups, difficulty, ordered,
           source, updated_at, retired_at, version, file_digest, edited_on_web, misconceptions)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12, $13, $14, $15)
         ON CONFLICT (id) DO UPDATE SET topic_id = excluded.topic_id, prompt = excluded.prompt,
           answer = excluded.answer, keywords = excluded.keywords, relations = excluded.relations,
           follow_ups = excluded.follow_ups, difficulty = excluded.difficulty, ordered = excluded.ordered,
           misconceptions = excluded.misconceptions,
           source = excluded.source, updated_at = excluded.updated_at, retired_at = NULL,
           version = excluded.version, file_digest = excluded.file_digest, edited_on_web = excluded.edited_on_web",
    )
    .bind(id)
    .bind(&content.topic_id)
    .bind(&content.prompt)
    .bind(&content.answer)
    .bind(&content.keywords)
    .bind(&content.relations)
    .bind(&content.follow_ups)
    .bind(content.difficulty)
    .bind(content.ordered)
    .bind(source)
    .bind(now)
    .bind(version)
    .bind(file_digest)
    .bind(edited_on_web)
    .bind(&content.misconceptions)
    .execute(&mut **tx)
    .await?;
    if new_version {
        sqlx::query(
            "INSERT INTO question_versions (question_id, version, topic_id, prompt, answer, keywords, relations,
               follow_ups, difficulty, ordered, created_at, misconceptions)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(id)
        .bind(version)
        .bind(&content.topic_id)
        .bind(&content.prompt)
        .bind(&content.answer)
        .bind(&content.keywords)
        .bind(&content.relations)
        .bind(&content.follow_ups)
        .bind(content.difficulty)
        .bind(content.ordered)
        .bind(now)
        .bind(&content.misconceptions)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
}

impl Store {
    /// Upserts every topic and question by id and retires (never deletes) the ones no
    /// longer in the files, all in one transaction: a failure changes nothing.
    ///
    /// A question edited on the web keeps its web version while its file is unchanged
    /// since it was last imported (same digest); once the file changes, the file wins.
    /// Questions edited or made on the web are not retired for being absent from the files.
    /// A change of content is a new version.
    #[tracing::instrument(skip_all)]
    pub async fn sync_bank(&self, topics: &[TopicFile]) -> Result<SyncReport, StoreError> {
        on_db!(self, |db, m| {
            let now = now_millis();
            let mut tx = db.write().begin().await?;
            let mut report = SyncReport::default();
            let existing: Vec<(String, Existing)> = {
                #[derive(sqlx::FromRow)]
                struct Row {
                    id: String,
                    #[sqlx(flatten)]
                    existing: Existing,
                }
                sqlx::query_as::<_, Row>(&format!("SELECT id, {EXISTING_COLUMNS} FROM questions"))
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .map(|r| (r.id, r.existing))
                    .collect()
            };
            let existing: HashMap<String, Existing> = existing.into_iter().collect();
            let topic_edits: HashMap<String, (Option<i64>, Option<String>)> =
                sqlx::query_as::<_, (String, Option<i64>, Option<String>)>(
                    "SELECT id, edited_on_web, file_digest FROM topics",
                )
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|(id, edited, digest)| (id, (edited, digest)))
                .collect();
            for topic in topics {
                let digest = crate::bank::topic_digest(&topic.name, &topic.description);
                // A topic renamed or retired on the web keeps that while its header in the
                // file is unchanged since the last import (its questions decide for themselves).
                let kept = matches!(topic_edits.get(&topic.slug), Some((Some(_), Some(d))) if *d == digest);
                if !kept {
                    sqlx::query(
                        "INSERT INTO topics (id, name, description, retired_at, file_digest, edited_on_web)
                     VALUES ($1, $2, $3, NULL, $4, NULL)
                     ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
                       retired_at = NULL, file_digest = excluded.file_digest, edited_on_web = NULL",
                    )
                    .bind(&topic.slug)
                    .bind(&topic.name)
                    .bind(&topic.description)
                    .bind(&digest)
                    .execute(&mut *tx)
                    .await?;
                }
                report.topics += 1;
                for q in &topic.questions {
                    let digest = crate::bank::digest(&topic.slug, q);
                    let content = Content::of(&topic.slug, q)?;
                    let (version, new_version) = match existing.get(&q.id) {
                        Some(e) if e.edited_on_web.is_some() && e.file_digest.as_deref() == Some(digest.as_str()) => {
                            report.kept_web_edits += 1;
                            continue;
                        }
                        Some(e) if e.content == content => (e.version, false),
                        Some(e) => (e.version + 1, true),
                        None => (1, true),
                    };
                    m::write_question(
                        &mut tx,
                        &q.id,
                        &content,
                        version,
                        new_version,
                        &topic.source,
                        Some(&digest),
                        None,
                        now,
                    )
                    .await?;
                    report.questions += 1;
                }
            }
            // Everything not touched by this sync is no longer in the files. Questions
            // imported from notes (`rehearse import NOTES.md`) are not in the files at all:
            // only re-importing their notes file retires them.
            report.retired = sqlx::query(
                "UPDATE questions SET retired_at = $1
             WHERE retired_at IS NULL AND updated_at <> $2 AND source NOT LIKE 'notes:%'
               AND edited_on_web IS NULL",
            )
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(
                "UPDATE topics SET retired_at = $1 WHERE retired_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM questions q WHERE q.topic_id = topics.id AND q.retired_at IS NULL)",
            )
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(report)
        })
    }

    /// Topics that have active questions, by name.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn topics(&self) -> Result<Vec<Topic>, StoreError> {
        on_db!(self, |db| {
            let rows = sqlx::query_as::<_, TopicRow>(
                "SELECT t.id, t.name, t.description, COUNT(q.id) AS questions, t.retired_at,
                    EXISTS (SELECT 1 FROM topic_notes n WHERE n.topic_id = t.id AND n.notes <> '') AS has_notes
             FROM topics t JOIN questions q ON q.topic_id = t.id AND q.retired_at IS NULL
             WHERE t.retired_at IS NULL
             GROUP BY t.id, t.name, t.description, t.retired_at ORDER BY t.name",
            )
            .fetch_all(db.read())
            .await?;
            Ok(rows.into_iter().map(Topic::from).collect())
        })
    }

    /// Every question, retired ones included (old interviews still refer to them).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn all_questions(&self) -> Result<Vec<QuestionRow>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, QuestionRow>(
                "SELECT q.id, q.topic_id, t.name AS topic_name, q.prompt, q.answer, q.keywords, q.relations,
                    q.follow_ups, q.difficulty, q.ordered, q.misconceptions, q.retired_at, q.version
             FROM questions q JOIN topics t ON t.id = q.topic_id ORDER BY q.id",
            )
            .fetch_all(db.read())
            .await?)
        })
    }
}
