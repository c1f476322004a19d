//! What importing a notes file changes, worked out before anything is written, so
//! `--dry-run` and the real import print the same report.
use super::notes::{NoteQuestion, ParsedNotes, TopicRef};
use crate::grading::{Corpus, PreparedQuestion};

/// A question as the database holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingQuestion {
    pub id: String,
    pub topic_id: String,
    pub prompt: String,
    pub answer: String,
    pub source: String,
    pub retired: bool,
}

/// Notes a file brought to a topic on an earlier import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingNotes {
    pub topic_id: String,
    pub source: String,
    pub notes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    New,
    Changed,
    Unchanged,
}

impl Change {
    pub fn sign(self) -> char {
        match self {
            Change::New => '+',
            Change::Changed => '~',
            Change::Unchanged => '=',
        }
    }
}

#[derive(Debug, Clone)]
pub struct PlannedQuestion {
    pub question: NoteQuestion,
    pub change: Change,
    /// The concept labels the grader derives from the answer (no keywords are stored,
    /// so these are what an answer is graded on).
    pub concepts: Vec<String>,
}

/// A question an earlier import of the file brought that the file no longer has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    pub id: String,
    pub prompt: String,
}

/// Everything one import of one notes file does.
#[derive(Debug, Clone)]
pub struct NotesPlan {
    /// `notes:FILENAME`.
    pub source: String,
    pub questions: Vec<PlannedQuestion>,
    /// Questions an earlier import of this file brought that it no longer has.
    pub retire: Vec<Retired>,
    pub notes: Vec<(TopicRef, String, Change)>,
    /// Topics whose notes from this file are gone from it.
    pub drop_notes: Vec<String>,
    /// Lines whose question repeats an earlier one.
    pub duplicates: Vec<usize>,
    /// Lines that look like question lines but are not (see `ParsedNotes::malformed`).
    pub malformed: Vec<super::notes::Malformed>,
}

impl NotesPlan {
    pub fn count(&self, change: Change) -> usize {
        self.questions.iter().filter(|q| q.change == change).count()
    }

    /// True when the import would write nothing.
    pub fn is_noop(&self) -> bool {
        self.count(Change::Unchanged) == self.questions.len()
            && self.retire.is_empty()
            && self.drop_notes.is_empty()
            && self.notes.iter().all(|(_, _, c)| *c == Change::Unchanged)
    }
}

/// Compares a parsed file with what the database holds.
pub fn plan(
    parsed: ParsedNotes,
    source: &str,
    existing: &[ExistingQuestion],
    existing_notes: &[ExistingNotes],
) -> NotesPlan {
    let retire: Vec<Retired> = existing
        .iter()
        .filter(|e| e.source == source && !e.retired && !parsed.questions.iter().any(|q| q.id == e.id))
        .map(|e| Retired { id: e.id.clone(), prompt: e.prompt.clone() })
        .collect();
    // The corpus the server will weigh words with once the import is done: every
    // active answer, these included.
    let mut answers: Vec<&str> = existing
        .iter()
        .filter(|e| {
            !e.retired && !retire.iter().any(|r| r.id == e.id) && !parsed.questions.iter().any(|q| q.id == e.id)
        })
        .map(|e| e.answer.as_str())
        .collect();
    answers.extend(parsed.questions.iter().map(|q| q.answer.as_str()));
    let corpus = Corpus::from_documents(answers);

    let questions = parsed
        .questions
        .into_iter()
        .map(|question| {
            let change = match existing.iter().find(|e| e.id == question.id) {
                None => Change::New,
                Some(e)
                    if e.retired
                        || e.source != source
                        || e.topic_id != question.topic.slug
                        || e.prompt != question.prompt
                        || e.answer != question.answer =>
                {
                    Change::Changed
                }
                Some(_) => Change::Unchanged,
            };
            let prepared = PreparedQuestion::new(&question.prompt, &question.answer, &[], &[], &corpus);
            let concepts = prepared.concepts().iter().map(|c| c.label.clone()).collect();
            PlannedQuestion { question, change, concepts }
        })
        .collect();
    let notes: Vec<(TopicRef, String, Change)> = parsed
        .notes
        .into_iter()
        .map(|(topic, text)| {
            let change = match existing_notes.iter().find(|n| n.source == source && n.topic_id == topic.slug) {
                None => Change::New,
                Some(n) if n.notes != text => Change::Changed,
                Some(_) => Change::Unchanged,
            };
            (topic, text, change)
        })
        .collect();
    let drop_notes = existing_notes
        .iter()
        .filter(|n| n.source == source && !notes.iter().any(|(t, _, _)| t.slug == n.topic_id))
        .map(|n| n.topic_id.clone())
        .collect();
    NotesPlan {
        source: source.into(),
        questions,
        retire,
        notes,
        drop_notes,
        duplicates: parsed.duplicates,
        malformed: parsed.malformed,
    }
}
