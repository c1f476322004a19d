//! Study notes on the web: an admin uploads a notes file (the same format as
//! `rehearse import NOTES.md`), previews what it would change with the concepts the
//! grader derives for each question, and imports it; learners read each topic's notes.
use crate::bank::notes::{parse_notes, source_of, NotesError};
use crate::bank::notes_plan::{plan, NotesPlan};
use crate::domain::{Topic, TopicNote, User};

use super::{off_the_workers, Error, Practice};

/// Largest notes file taken from the web (the seed note is about 6 KB).
pub const MAX_NOTES_BYTES: usize = 100_000;

/// One notes upload.
#[derive(Debug, Clone)]
pub struct NotesUpload {
    /// The file's name: importing a file of the same name again replaces what it
    /// brought (its questions and notes) instead of adding to it.
    pub file_name: String,
    pub text: String,
    /// The topic for questions with no heading above them (like `--topic`).
    pub topic: Option<String>,
    /// Only report what would change.
    pub dry_run: bool,
}

/// A topic with the notes imported for it.
#[derive(Debug, Clone)]
pub struct TopicNotes {
    pub topic: Topic,
    pub notes: Vec<TopicNote>,
}

/// The bare file name of an upload ("C:\notes\k8s.md" → "k8s.md"), or an error that
/// says what is wrong with it.
fn file_name(raw: &str) -> Result<String, Error> {
    let name = raw.trim().rsplit(['/', '\\']).next().unwrap_or("").trim();
    if name.is_empty() {
        return Err(Error::Invalid(
            "file_name: give the notes file's name (importing a file of the same name again replaces what it brought)."
                .into(),
        ));
    }
    if name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(Error::Invalid("file_name: at most 200 characters, no control characters.".into()));
    }
    Ok(name.to_string())
}

/// The parser's message in the web's words (there is no `--topic` flag on a form).
fn web_words(e: NotesError) -> Error {
    Error::Invalid(e.to_string().replace("pass --topic NAME", "choose a topic").replace("--topic NAME", "a topic"))
}

impl Practice {
    /// Works out (and unless `dry_run`, writes) what importing a notes file changes:
    /// new and changed questions with their derived concepts, questions the file no
    /// longer has (retired), and each topic's notes. The bank is rebuilt after a write.
    #[tracing::instrument(skip_all, fields(user = %user.id, dry_run = upload.dry_run))]
    pub async fn import_notes(&self, user: &User, upload: NotesUpload) -> Result<NotesPlan, Error> {
        if !user.is_admin() {
            return Err(Error::Forbidden("Only admins may import notes.".into()));
        }
        let name = file_name(&upload.file_name)?;
        if upload.text.trim().is_empty() {
            return Err(Error::Invalid("text: the notes file is empty.".into()));
        }
        if upload.text.len() > MAX_NOTES_BYTES {
            return Err(Error::Invalid(format!(
                "text: the notes file is {} KB; at most {} KB is taken.",
                upload.text.len() / 1000,
                MAX_NOTES_BYTES / 1000
            )));
        }
        let topic = upload.topic.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let known = self.store.known_topics().await?;
        let existing = self.store.question_sources().await?;
        let source = source_of(std::path::Path::new(&name));
        let earlier_notes = self.store.topic_notes_from(&source).await?;
        let text = upload.text;
        let planned = off_the_workers(move || -> Result<NotesPlan, NotesError> {
            let parsed = parse_notes(&name, &text, topic.as_deref(), &known)?;
            Ok(plan(parsed, &source, &existing, &earlier_notes))
        })
        .await?
        .map_err(web_words)?;
        if !upload.dry_run && !planned.is_noop() {
            self.store.apply_notes(&planned).await?;
            self.reload_bank().await?;
        }
        Ok(planned)
    }

    /// A topic (retired ones too: their notes stay readable) with its notes; 404 when
    /// there is no such topic.
    #[tracing::instrument(skip(self))]
    pub async fn topic_notes(&self, topic_id: &str) -> Result<TopicNotes, Error> {
        let topic = self.topic(topic_id).await?;
        let notes = self.store.topic_notes(topic_id).await?;
        Ok(TopicNotes { topic, notes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_keeps_only_the_bare_file_name() {
        assert_eq!(file_name(" C:\\notes\\k8s.md ").ok().as_deref(), Some("k8s.md"));
        assert_eq!(file_name("/home/me/docker notes.md").ok().as_deref(), Some("docker notes.md"));
        assert!(matches!(file_name("  "), Err(Error::Invalid(m)) if m.starts_with("file_name:")));
        assert!(matches!(file_name("dir/"), Err(Error::Invalid(_))));
        assert!(matches!(file_name("a\u{7}b.md"), Err(Error::Invalid(_))));
    }

    #[test]
    fn parser_errors_speak_of_the_form_not_the_flag() {
        let e =
            web_words(NotesError::NoTopic { file: "n.md".into(), line: 3, prompt: "Why?".into(), hint: String::new() });
        assert!(e.to_string().contains("or choose a topic"), "{e}");
        let e = web_words(NotesError::Nothing { file: "n.md".into() });
        assert!(!e.to_string().contains("--topic"), "{e}");
    }
}
