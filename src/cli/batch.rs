//! JSONL batches for `grade` and `calibrate`: read every line (reporting bad ones by
//! number), then grade with the reference side prepared once per distinct question and
//! IDF taken over all references in the file, as the server does over its bank.
use serde::Deserialize;
use std::collections::HashMap;
use std::io::BufRead;

use crate::grading::{Concept, Corpus, Grade, PreparedQuestion};

/// One input line; unknown fields are ignored.
#[derive(Deserialize)]
pub struct Line {
    pub id: serde_json::Value,
    #[serde(default)]
    pub question: String,
    pub reference: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub answer: String,
    pub human: Option<f64>,
    pub kind: Option<String>,
}

/// Lines that parsed, and messages (with line numbers) for those that did not.
pub struct Batch {
    pub lines: Vec<Line>,
    pub errors: Vec<String>,
}

pub fn read(reader: impl BufRead) -> std::io::Result<Batch> {
    let mut batch = Batch { lines: Vec::new(), errors: Vec::new() };
    for (index, raw) in reader.split(b'\n').enumerate() {
        let number = index + 1;
        let bytes = raw?;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            batch.errors.push(format!("line {number}: not valid UTF-8; skipped"));
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Line>(text) {
            Ok(line) if line.reference.trim().is_empty() => {
                batch.errors.push(format!("line {number}: `reference` is empty; skipped"));
            }
            Ok(line) => batch.lines.push(line),
            Err(e) => batch.errors.push(format!("line {number}: {e}; skipped")),
        }
    }
    Ok(batch)
}

/// Grades every line, in order. With `use_keywords` false, concepts are derived from
/// the reference (as for imported notes without keywords).
pub fn grade_all(lines: &[Line], use_keywords: bool) -> Vec<Grade> {
    let mut references: Vec<&str> = lines.iter().map(|l| l.reference.as_str()).collect();
    references.sort_unstable();
    references.dedup();
    let corpus = Corpus::from_documents(references);
    let mut prepared: HashMap<(&str, &str, Vec<String>), PreparedQuestion> = HashMap::new();
    lines
        .iter()
        .map(|l| {
            let keywords = if use_keywords { l.keywords.clone() } else { Vec::new() };
            let key = (l.question.as_str(), l.reference.as_str(), keywords);
            let question = prepared.entry(key).or_insert_with_key(|(q, r, k)| {
                let concepts: Vec<Concept> = k.iter().filter_map(|s| Concept::parse(s)).collect();
                PreparedQuestion::new(q, r, &concepts, &[], &corpus)
            });
            question.grade(&l.answer)
        })
        .collect()
}
