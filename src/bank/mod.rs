//! The question bank: one TOML file per topic under `questions/`.
//!
//! Files are parsed and validated as a whole before anything is stored, so a bad file
//! never half-loads. Errors name the file, the question and the field.
pub mod notes;
pub mod notes_plan;

pub use crate::grading::Misconception;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// One topic file, validated.
#[derive(Debug, Clone)]
pub struct TopicFile {
    /// Topic id: the file name without `.toml` (`kubernetes.toml` → `kubernetes`).
    pub slug: String,
    pub name: String,
    pub description: String,
    pub source: String,
    pub questions: Vec<QuestionDef>,
}

/// One question as written by an author.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionDef {
    pub id: String,
    pub prompt: String,
    pub answer: String,
    pub keywords: Vec<KeywordDef>,
    pub relations: Vec<String>,
    pub follow_ups: Vec<String>,
    pub difficulty: i64,
    /// The keywords are steps in the order listed (see `grading::PreparedQuestion::with_ordered_steps`).
    pub ordered: bool,
    /// Wrong claims the author anticipates, each with its correction (see
    /// `grading::Misconception`).
    pub misconceptions: Vec<Misconception>,
}

/// A concept: `|`-separated alternatives, with an optional hint shown when it is missed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeywordDef {
    pub concept: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// Why a bank could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    /// The folder's own error is part of the message, not a `source`, so that printing
    /// the error chain does not say it twice.
    #[error("cannot read question folder {}: {error}", path.display())]
    Folder { path: PathBuf, error: std::io::Error },
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("{file}: question {question:?}: field `{field}`: {message}")]
    Field { file: String, question: String, field: &'static str, message: String },
    #[error("no question files (*.toml) found in {0}")]
    Empty(PathBuf),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    topic: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default, rename = "question")]
    questions: Vec<toml::Value>,
}

struct RawQuestion {
    id: Option<String>,
    prompt: Option<String>,
    answer: Option<String>,
    keywords: Vec<RawKeyword>,
    relations: Vec<String>,
    follow_ups: Vec<String>,
    difficulty: i64,
    ordered: bool,
    misconceptions: Vec<Misconception>,
}

const FIELDS: [&str; 9] =
    ["id", "prompt", "answer", "keywords", "relations", "follow_ups", "difficulty", "ordered", "misconceptions"];

/// Reads a `[[question]]` table field by field, so a type error names its field.
fn raw_question(value: toml::Value, err: &dyn Fn(&'static str, String) -> BankError) -> Result<RawQuestion, BankError> {
    let toml::Value::Table(mut table) = value else {
        return Err(err("(question)", "each [[question]] must be a table".into()));
    };
    if let Some(unknown) = table.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(err("(question)", format!("unknown field `{unknown}`; expected one of {}", FIELDS.join(", "))));
    }
    fn take<T: serde::de::DeserializeOwned>(
        table: &mut toml::Table,
        field: &'static str,
        err: &dyn Fn(&'static str, String) -> BankError,
    ) -> Result<Option<T>, BankError> {
        match table.remove(field) {
            None => Ok(None),
            Some(v) => v.try_into::<T>().map(Some).map_err(|e| {
                let message = e.message().trim();
                if message.contains("untagged enum") {
                    err(
                        field,
                        "each keyword is a string \"a | b\" or a table { concept = \"a | b\", hint = \"...\" }".into(),
                    )
                } else {
                    err(field, message.to_string())
                }
            }),
        }
    }
    Ok(RawQuestion {
        id: take(&mut table, "id", err)?,
        prompt: take(&mut table, "prompt", err)?,
        answer: take(&mut table, "answer", err)?,
        keywords: take(&mut table, "keywords", err)?.unwrap_or_default(),
        relations: take(&mut table, "relations", err)?.unwrap_or_default(),
        follow_ups: take(&mut table, "follow_ups", err)?.unwrap_or_default(),
        difficulty: take(&mut table, "difficulty", err)?.unwrap_or(1),
        ordered: take(&mut table, "ordered", err)?.unwrap_or(false),
        misconceptions: take(&mut table, "misconceptions", err)?.unwrap_or_default(),
    })
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawKeyword {
    Plain(String),
    WithHint { concept: String, hint: Option<String> },
}

/// Loads and validates every `*.toml` file in `dir` (sorted by name), checking that
/// question ids are unique across files.
pub fn load_dir(dir: &Path) -> Result<Vec<TopicFile>, BankError> {
    let entries = std::fs::read_dir(dir).map_err(|error| BankError::Folder { path: dir.into(), error })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(BankError::Empty(dir.into()));
    }
    let mut topics = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for path in paths {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| BankError::File { file: file.clone(), message: format!("cannot read: {e}") })?;
        let slug = path.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
        let topic = parse_topic(&slug, &file, &text)?;
        for q in &topic.questions {
            if let Some(other) = seen.insert(q.id.clone(), file.clone()) {
                return Err(BankError::Field {
                    file: file.clone(),
                    question: q.id.clone(),
                    field: "id",
                    message: format!("duplicate id, also used in {other}"),
                });
            }
        }
        topics.push(topic);
    }
    Ok(topics)
}

/// Parses one topic file's text. `slug` becomes the topic id.
pub fn parse_topic(slug: &str, file: &str, text: &str) -> Result<TopicFile, BankError> {
    let file_err = |message: String| BankError::File { file: file.into(), message };
    if !is_valid_id(slug) {
        return Err(file_err(
            "file name must be lowercase letters, digits, dashes and underscores (it becomes the topic id)".into(),
        ));
    }
    let raw: RawFile = toml::from_str(text).map_err(|e| file_err(format!("not valid TOML: {}", e.message().trim())))?;
    let name = raw.topic.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let name = name.ok_or_else(|| file_err("field `topic` is missing or empty".into()))?;
    if raw.questions.is_empty() {
        return Err(file_err("no [[question]] entries".into()));
    }
    let mut questions = Vec::with_capacity(raw.questions.len());
    let mut ids = std::collections::HashSet::new();
    for (index, value) in raw.questions.into_iter().enumerate() {
        let fallback_name =
            value.get("id").and_then(|v| v.as_str()).map(str::to_string).unwrap_or_else(|| format!("#{}", index + 1));
        let field_err = |field: &'static str, message: String| BankError::Field {
            file: file.into(),
            question: fallback_name.clone(),
            field,
            message,
        };
        let raw_q = raw_question(value, &field_err)?;
        let q = validate_question(raw_q, &field_err)?;
        if !ids.insert(q.id.clone()) {
            return Err(field_err("id", "duplicate id in this file".into()));
        }
        questions.push(q);
    }
    Ok(TopicFile {
        slug: slug.into(),
        name,
        description: raw.description.trim().into(),
        source: file.into(),
        questions,
    })
}

fn validate_question(
    raw: RawQuestion,
    err: &dyn Fn(&'static str, String) -> BankError,
) -> Result<QuestionDef, BankError> {
    let required = |value: Option<String>, field: &'static str| {
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| err(field, "is missing or empty".into()))
    };
    let id = required(raw.id, "id")?;
    if !is_valid_id(&id) {
        return Err(err("id", "use lowercase letters, digits, dashes and underscores only".into()));
    }
    let prompt = required(raw.prompt, "prompt")?;
    let answer = required(raw.answer, "answer")?;
    let keywords: Vec<KeywordDef> = raw
        .keywords
        .into_iter()
        .map(|k| match k {
            RawKeyword::Plain(concept) => KeywordDef { concept, hint: None },
            RawKeyword::WithHint { concept, hint } => {
                KeywordDef { concept, hint: hint.filter(|h| !h.trim().is_empty()) }
            }
        })
        .collect();
    for k in &keywords {
        if crate::grading::Concept::parse(&k.concept).is_none() {
            return Err(err("keywords", format!("{:?} has no non-empty alternative", k.concept)));
        }
    }
    let labels: Vec<String> = keywords
        .iter()
        .filter_map(|k| crate::grading::Concept::parse(&k.concept))
        .map(|c| c.label.to_lowercase())
        .collect();
    if let Some(dup) = labels.iter().enumerate().find(|(i, l)| labels[..*i].contains(l)).map(|(_, l)| l) {
        return Err(err("keywords", format!("two keywords share the label {dup:?}; labels must be unique")));
    }
    for r in &raw.relations {
        let rel = crate::grading::Relation::parse(r)
            .ok_or_else(|| err("relations", format!("{r:?} must look like \"concept a & concept b\"")))?;
        let unknown: Vec<&String> =
            [&rel.left, &rel.right].into_iter().filter(|side| !labels.contains(&side.to_lowercase())).collect();
        if !unknown.is_empty() {
            // Every side that is not a label, and the labels there are, so one fix does it.
            let names: Vec<String> = unknown.iter().map(|side| format!("{side:?}")).collect();
            let (names, verb) = match names.as_slice() {
                [one] => (one.clone(), "is not"),
                _ => (names.join(" and "), "are not"),
            };
            let valid: Vec<String> = keywords
                .iter()
                .filter_map(|k| crate::grading::Concept::parse(&k.concept))
                .map(|c| format!("{:?}", c.label))
                .collect();
            return Err(err(
                "relations",
                format!(
                    "{names} in {r:?} {verb} the label (first alternative) of a keyword; the labels are {}",
                    valid.join(", ")
                ),
            ));
        }
    }
    let follow_ups: Vec<String> = raw.follow_ups.into_iter().map(|f| f.trim().to_string()).collect();
    if follow_ups.iter().any(|f| f.is_empty()) {
        return Err(err("follow_ups", "contains an empty follow-up".into()));
    }
    if !(1..=3).contains(&raw.difficulty) {
        return Err(err("difficulty", format!("must be 1, 2 or 3, not {}", raw.difficulty)));
    }
    let misconceptions: Vec<Misconception> = raw
        .misconceptions
        .into_iter()
        .map(|m| Misconception {
            subject: m.subject.trim().to_string(),
            claim: m.claim.trim().to_string(),
            correction: m.correction.trim().to_string(),
        })
        .collect();
    if let Some(problem) = misconceptions.iter().find_map(Misconception::problem) {
        return Err(err("misconceptions", problem));
    }
    Ok(QuestionDef {
        id,
        prompt,
        answer,
        keywords,
        relations: raw.relations,
        follow_ups,
        difficulty: raw.difficulty,
        ordered: raw.ordered,
        misconceptions,
    })
}

/// Checks a question written outside a file (the web's authoring form) by the same
/// rules as a file's, so whatever the web stores can be exported and read back. Errors
/// name the field (`BankError::Field`, its `file` is `web`).
pub fn check_question(def: QuestionDef) -> Result<QuestionDef, BankError> {
    let name = def.id.clone();
    let err = |field: &'static str, message: String| BankError::Field {
        file: "web".into(),
        question: name.clone(),
        field,
        message,
    };
    let raw = RawQuestion {
        id: Some(def.id),
        prompt: Some(def.prompt),
        answer: Some(def.answer),
        keywords: def
            .keywords
            .into_iter()
            .map(|k| RawKeyword::WithHint { concept: k.concept.trim().to_string(), hint: k.hint })
            .collect(),
        relations: def.relations.into_iter().map(|r| r.trim().to_string()).collect(),
        follow_ups: def.follow_ups,
        difficulty: def.difficulty,
        ordered: def.ordered,
        misconceptions: def.misconceptions,
    };
    validate_question(raw, &err)
}

/// Whether `s` can be a question or topic id: lowercase letters, digits, `-` and `_`.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl fmt::Display for TopicFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} questions, {})", self.name, self.questions.len(), self.source)
    }
}

mod export;
pub use export::{digest, to_toml, topic_digest};

#[cfg(test)]
mod tests;
