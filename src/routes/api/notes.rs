//! Study notes over JSON: an admin imports a notes file (or only previews what it would
//! change), and anyone reads a topic's notes.
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::schema::ErrorBody;
use crate::bank::notes_plan::{Change, NotesPlan};
use crate::practice::{NotesUpload, MAX_NOTES_BYTES};
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;

/// A notes file to import: lines `"Question?" → "Answer"` under `# Topic` headings
/// become questions; the rest of the text is kept as each topic's notes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NotesUpload)]
pub struct NotesBody {
    /// The file's name. Importing a file of the same name again replaces what it brought.
    pub file_name: String,
    /// The file's text (Markdown), at most 100,000 bytes.
    pub text: String,
    /// The topic for question lines with no heading above them.
    #[serde(default)]
    pub topic: Option<String>,
    /// Only report what would change; nothing is written.
    #[serde(default)]
    pub dry_run: bool,
}

/// One question line of the file and what importing it does.
#[derive(Serialize, ToSchema)]
#[schema(as = NotesQuestion)]
pub struct NotesQuestionJson {
    /// `note-` and a slug of the prompt.
    pub id: String,
    pub prompt: String,
    pub topic_id: String,
    pub topic_name: String,
    /// The topic is created by this import.
    pub new_topic: bool,
    /// `new`, `changed` or `unchanged`.
    pub change: String,
    /// The concepts the grader derives from the answer: review them, since answers are
    /// graded on these (add keywords by editing the question).
    pub concepts: Vec<String>,
    /// 1-based line in the file.
    pub line: usize,
}

/// A question retired because the file no longer has it.
#[derive(Serialize, ToSchema)]
#[schema(as = NotesRetired)]
pub struct RetiredJson {
    pub id: String,
    pub prompt: String,
}

/// The notes text a topic gets from the file.
#[derive(Serialize, ToSchema)]
#[schema(as = NotesSection)]
pub struct NotesSectionJson {
    pub topic_id: String,
    pub topic_name: String,
    pub lines: usize,
    /// `new`, `changed` or `unchanged`.
    pub change: String,
}

/// A line meant as a question line that is not one.
#[derive(Serialize, ToSchema)]
#[schema(as = MalformedLine)]
pub struct MalformedJson {
    pub line: usize,
    /// What is wrong with it ("its answer after the arrow is not in quotes").
    pub problem: String,
}

/// What importing the file did, or with `dry_run` would do.
#[derive(Serialize, ToSchema)]
#[schema(as = NotesImport)]
pub struct NotesImportJson {
    pub dry_run: bool,
    /// `notes:FILE_NAME`: where the questions and notes are recorded as coming from.
    pub source: String,
    pub questions: Vec<NotesQuestionJson>,
    /// Questions an earlier import of this file brought that it no longer has (retired).
    pub retired: Vec<RetiredJson>,
    /// Lines whose question repeats an earlier one (skipped).
    pub duplicate_lines: Vec<usize>,
    /// Lines that look like a question line but are not one (kept in the notes text, not
    /// shown on the study-notes page; fix them to make questions): their numbers, and
    /// each with what is wrong in `malformed`.
    pub malformed_lines: Vec<usize>,
    pub malformed: Vec<MalformedJson>,
    pub notes: Vec<NotesSectionJson>,
    /// Topics whose notes from this file are gone from it (removed).
    pub dropped_notes: Vec<String>,
}

pub fn change_name(c: Change) -> &'static str {
    match c {
        Change::New => "new",
        Change::Changed => "changed",
        Change::Unchanged => "unchanged",
    }
}

impl NotesImportJson {
    fn of(plan: NotesPlan, dry_run: bool) -> Self {
        NotesImportJson {
            dry_run,
            source: plan.source,
            questions: plan
                .questions
                .into_iter()
                .map(|q| NotesQuestionJson {
                    id: q.question.id,
                    prompt: q.question.prompt,
                    topic_id: q.question.topic.slug,
                    topic_name: q.question.topic.name,
                    new_topic: !q.question.topic.exists,
                    change: change_name(q.change).into(),
                    concepts: q.concepts,
                    line: q.question.line,
                })
                .collect(),
            retired: plan.retire.into_iter().map(|r| RetiredJson { id: r.id, prompt: r.prompt }).collect(),
            duplicate_lines: plan.duplicates,
            malformed_lines: plan.malformed.iter().map(|m| m.line).collect(),
            malformed: plan
                .malformed
                .iter()
                .map(|m| MalformedJson { line: m.line, problem: m.problem.into() })
                .collect(),
            notes: plan
                .notes
                .into_iter()
                .map(|(t, text, change)| NotesSectionJson {
                    topic_id: t.slug,
                    topic_name: t.name,
                    lines: text.lines().count(),
                    change: change_name(change).into(),
                })
                .collect(),
            dropped_notes: plan.drop_notes,
        }
    }
}

/// Imports a notes file, or previews it with `dry_run` (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/notes",
    operation_id = "admin_import_notes",
    tag = "admin",
    security(("session" = [])),
    request_body = NotesBody,
    responses(
        (status = 200, description = "What the import did (or would do)", body = NotesImportJson),
        (status = 400, description = "Malformed JSON, an unknown field, or a body over 256 KiB", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "Nothing to import (says what format is expected), a question with no topic, an empty or too large file, or no file name", body = ErrorBody),
    )
)]
pub async fn import(state: web::Data<AppState>, user: CurrentUser, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    // Read here rather than with `web::Json`, whose limit is sized for answers: a notes
    // file may be larger (up to MAX_NOTES_BYTES of text).
    let body: NotesBody = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("The JSON body could not be read: {e}.")))?;
    let dry_run = body.dry_run;
    let upload = NotesUpload { file_name: body.file_name, text: body.text, topic: body.topic, dry_run };
    let plan = state.practice.import_notes(&user, upload).await?;
    Ok(HttpResponse::Ok().json(NotesImportJson::of(plan, dry_run)))
}

/// One notes file's text for a topic.
#[derive(Serialize, ToSchema)]
#[schema(as = TopicNote)]
pub struct TopicNoteJson {
    /// `notes:FILE_NAME`.
    pub source: String,
    pub text: String,
    /// Unix milliseconds.
    pub updated_at: i64,
}

/// A topic's study notes.
#[derive(Serialize, ToSchema)]
#[schema(as = TopicNotes)]
pub struct TopicNotesJson {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Empty when no notes were imported for the topic.
    pub notes: Vec<TopicNoteJson>,
}

/// A topic's study notes (from `rehearse import NOTES.md` or an admin's upload). Anyone
/// may read them on a server with open sign-up; on a private one (`--registration
/// invite` or `closed`) only its users.
#[utoipa::path(
    get,
    path = "/api/v1/topics/{id}/notes",
    operation_id = "topic_notes",
    tag = "interviews",
    params(("id" = String, Path, description = "Topic id")),
    responses(
        (status = 200, description = "The topic and its notes", body = TopicNotesJson),
        (status = 401, description = "Not logged in, on a private server", body = ErrorBody),
        (status = 404, description = "No such topic", body = ErrorBody),
    )
)]
pub async fn topic_notes(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if !state.accounts.notes_are_public() && CurrentUser::optional(&req).is_none() {
        return Err(ApiError::Unauthorized);
    }
    let t = state.practice.topic_notes(&path).await?;
    Ok(HttpResponse::Ok().json(TopicNotesJson {
        id: t.topic.id,
        name: t.topic.name,
        description: t.topic.description,
        notes: t
            .notes
            .into_iter()
            .map(|n| TopicNoteJson { source: n.source, text: n.text, updated_at: n.updated_at })
            .collect(),
    }))
}

const _: () = assert!(MAX_NOTES_BYTES * 2 < 256 * 1024, "the default payload limit leaves room for JSON escapes");
