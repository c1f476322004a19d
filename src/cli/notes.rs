//! `rehearse import NOTES.md`: questions and notes from a study-notes file, and
//! `--dry-run` for both forms of `import`.
use std::collections::HashSet;
use std::fmt::Write;
use std::path::Path;

use crate::bank::notes::{parse_notes, source_of, KnownTopic};
use crate::bank::notes_plan::{plan, Change, ExistingNotes, ExistingQuestion, NotesPlan};
use crate::bank::TopicFile;
use crate::store::Store;

/// What the database holds, or nothing when a dry run points at a database file that
/// does not exist yet (so that the dry run does not create it).
struct Current {
    topics: Vec<KnownTopic>,
    questions: Vec<ExistingQuestion>,
    store: Option<Store>,
}

async fn current(database_url: &str, dry_run: bool) -> anyhow::Result<Current> {
    if dry_run && sqlite_file(database_url).is_some_and(|p| !p.exists()) {
        return Ok(Current { topics: Vec::new(), questions: Vec::new(), store: None });
    }
    let store = Store::connect(database_url).await?;
    Ok(Current { topics: store.known_topics().await?, questions: store.question_sources().await?, store: Some(store) })
}

fn sqlite_file(url: &str) -> Option<&Path> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| Path::new(path))
}

/// Imports (or with `dry_run` only reports) one notes file. `bank` is the questions
/// folder, read only for its topic names so that notes can join a bundled topic before
/// the server has ever started.
pub async fn import_notes(
    path: &Path,
    database_url: &str,
    bank: &Path,
    topic: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let current = current(database_url, dry_run).await?;
    let mut known = current.topics.clone();
    for file in crate::bank::load_dir(bank).unwrap_or_default() {
        if !known.iter().any(|k| k.slug == file.slug) {
            known.push(KnownTopic { slug: file.slug, name: file.name });
        }
    }
    let parsed = parse_notes(&path.display().to_string(), &text, topic, &known)?;
    let source = source_of(path);
    let notes: Vec<ExistingNotes> = match &current.store {
        Some(store) => store.topic_notes_from(&source).await?,
        None => Vec::new(),
    };
    let plan = plan(parsed, &source, &current.questions, &notes);
    if let (false, Some(store)) = (dry_run, &current.store) {
        if !plan.is_noop() {
            store.apply_notes(&plan).await?;
        }
    }
    if let Some(store) = current.store {
        store.close().await;
    }
    Ok(render(&plan, &path.display().to_string(), dry_run))
}

fn render(plan: &NotesPlan, file: &str, dry_run: bool) -> String {
    let mut out = String::new();
    let mut topic = None;
    for q in &plan.questions {
        let t = &q.question.topic;
        if topic != Some(&t.slug) {
            let state = if t.exists { "existing topic" } else { "new topic" };
            let _ = writeln!(out, "{} ({}, {state}):", t.name, t.slug);
            topic = Some(&t.slug);
        }
        let _ = writeln!(out, "  {} {}  {:?}", q.change.sign(), q.question.id, q.question.prompt);
        let _ = writeln!(out, "      concepts (derived, review): {}", q.concepts.join(", "));
    }
    for r in &plan.retire {
        let _ = writeln!(out, "  - {}  {:?}  (no longer in the notes: retired)", r.id, r.prompt);
    }
    for m in &plan.malformed {
        let _ = writeln!(
            out,
            "  line {}: looks like a question line, but {}; kept as notes (write it as \"Question?\" -> \"Answer\")",
            m.line, m.problem
        );
    }
    for line in &plan.duplicates {
        let _ = writeln!(out, "  line {line}: repeats an earlier question, skipped");
    }
    for (t, text, change) in &plan.notes {
        let what = match change {
            Change::New => "new",
            Change::Changed => "changed",
            Change::Unchanged => "unchanged",
        };
        let _ = writeln!(out, "notes for {}: {} lines, {what}", t.name, text.lines().count());
    }
    for t in &plan.drop_notes {
        let _ = writeln!(out, "notes for {t}: no longer in the file, removed");
    }
    let topics: HashSet<&str> = plan.questions.iter().map(|q| q.question.topic.slug.as_str()).collect();
    let _ = writeln!(
        out,
        "{} {} questions in {} topic{} from {file} as {}: {} new, {} changed, {} unchanged, {} retired",
        if dry_run { "dry run, nothing written: would import" } else { "imported" },
        plan.questions.len(),
        topics.len(),
        if topics.len() == 1 { "" } else { "s" },
        plan.source,
        plan.count(Change::New),
        plan.count(Change::Changed),
        plan.count(Change::Unchanged),
        plan.retire.len(),
    );
    out
}

/// `import --dry-run` on the questions folder: validates it and says what a real
/// import would add, update and retire.
pub async fn dry_run_dir(topics: &[TopicFile], dir: &Path, database_url: &str) -> anyhow::Result<String> {
    let current = current(database_url, true).await?;
    if let Some(store) = current.store {
        store.close().await;
    }
    let ids: HashSet<&str> = topics.iter().flat_map(|t| t.questions.iter().map(|q| q.id.as_str())).collect();
    let known: HashSet<&str> = current.questions.iter().map(|q| q.id.as_str()).collect();
    let new = ids.iter().filter(|id| !known.contains(*id)).count();
    let retired = current
        .questions
        .iter()
        .filter(|q| !q.retired && !q.source.starts_with("notes:") && !ids.contains(q.id.as_str()))
        .count();
    Ok(format!(
        "dry run, nothing written: {} valid; would import {} questions in {} topics ({new} new, {} already stored, updated in place); {retired} retired\n",
        dir.display(),
        ids.len(),
        topics.len(),
        ids.len() - new,
    ))
}
