//! JSONL batches for `grade` and `calibrate`: read every line (reporting bad ones by
//! number), then grade with the reference side prepared once per distinct question and
//! IDF taken over all references in the file, as the server does over its bank.
use serde::Deserialize;
use std::collections::HashMap;
use std::io::BufRead;

use crate::grading::{Concept, Corpus, Grade, PreparedQuestion, Relation, RuleSet};

/// One input line; unknown fields are ignored.
#[derive(Deserialize)]
pub struct Line {
    pub id: serde_json::Value,
    #[serde(default)]
    pub question: String,
    pub reference: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Author-written relations (`"liveness probe & restart"`), as in question files.
    #[serde(default)]
    pub relations: Vec<String>,
    /// The keywords are steps in order (`ordered = true` in question files).
    #[serde(default)]
    pub ordered: bool,
    /// Wrong claims the author anticipates, as in question files.
    #[serde(default)]
    pub misconceptions: Vec<crate::grading::Misconception>,
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
    grade_all_with(lines, use_keywords, RuleSet::default())
}

/// [`grade_all`] with only `rules` in force.
pub fn grade_all_with(lines: &[Line], use_keywords: bool, rules: RuleSet) -> Vec<Grade> {
    let mut references: Vec<&str> = lines.iter().map(|l| l.reference.as_str()).collect();
    references.sort_unstable();
    references.dedup();
    let corpus = Corpus::from_documents(references);
    let key = |l: &'_ Line| {
        let keywords = if use_keywords { l.keywords.clone() } else { Vec::new() };
        (l.question.clone(), l.reference.clone(), keywords)
    };
    let mut prepared: HashMap<(String, String, Vec<String>), PreparedQuestion> = HashMap::new();
    for l in lines {
        prepared.entry(key(l)).or_insert_with(|| {
            let (concepts, relations): (Vec<Concept>, Vec<Relation>) = if use_keywords {
                (
                    l.keywords.iter().filter_map(|s| Concept::parse(s)).collect(),
                    l.relations.iter().filter_map(|s| Relation::parse(s)).collect(),
                )
            } else {
                (Vec::new(), Vec::new())
            };
            PreparedQuestion::new(&l.question, &l.reference, &concepts, &relations, &corpus)
                .with_ordered_steps(use_keywords && l.ordered)
                .with_misconceptions(if use_keywords { &l.misconceptions } else { &[] })
                .with_rules(rules)
        });
    }
    let questions: Vec<&PreparedQuestion> = lines.iter().map(|l| &prepared[&key(l)]).collect();
    parallel_map(lines.len(), |i| questions[i].grade(&lines[i].answer))
}

/// `f(0..n)` on all cores, results in index order.
pub fn parallel_map<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(n.max(1));
    let chunk = n.div_ceil(threads.max(1)).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|from| scope.spawn(move || (from..(from + chunk).min(n)).map(f).collect::<Vec<T>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}
