//! Study notes in Markdown or plain text: lines of the form
//! `"Question?" → "Answer"` become questions, everything else is kept as the notes of
//! the topic it sits under.
//!
//! A question's topic is `--topic` when given, else the nearest heading above it that
//! either names a topic that already exists or is a top-level heading (the fewest `#`
//! in the file). Plain-text exports lose their `#`, so a line standing alone between
//! blank lines that is exactly an existing topic's name also counts as a heading. A `#`
//! line directly followed by text is not a heading: in notes it is nearly always a
//! comment in a pasted snippet (`# Multi-stage build` above `FROM python`).

/// What a notes file must contain, with an example line (shown when nothing was found).
pub const EXPECTED_FORMAT: &str = "expected question lines like\n  \
\"What's a pod vs a deployment?\" → \"A pod is one running instance; a deployment manages identical pods.\"\n\
(question and answer in quotes, `→` or `->` between them, one per line, list bullets allowed), \
under a `# Topic` heading or imported with --topic NAME";

/// A topic that exists in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownTopic {
    pub slug: String,
    pub name: String,
}

/// The topic a question or a stretch of notes goes to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TopicRef {
    pub slug: String,
    pub name: String,
    /// The topic already exists (the questions join it).
    pub exists: bool,
}

/// One `"Question?" → "Answer"` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteQuestion {
    /// `note-` and a slug of the prompt, so importing the same line again updates it.
    pub id: String,
    pub topic: TopicRef,
    pub prompt: String,
    pub answer: String,
    /// 1-based line number in the file.
    pub line: usize,
}

/// A notes file, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedNotes {
    pub questions: Vec<NoteQuestion>,
    /// The non-question text per topic, in file order of the topics.
    pub notes: Vec<(TopicRef, String)>,
    /// Lines whose question repeats an earlier one (the first is kept).
    pub duplicates: Vec<usize>,
    /// Lines that look like a question line (a question and an arrow) but are not one:
    /// kept in the notes text (the study-notes page leaves them out), and reported with
    /// what is wrong so the author can fix them.
    pub malformed: Vec<Malformed>,
}

/// A line meant as a question line that is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// 1-based line number in the file.
    pub line: usize,
    /// What is wrong, said of the line ("its answer after the arrow is not in quotes").
    pub problem: &'static str,
}

/// Why a notes file could not be imported.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NotesError {
    #[error("{file}: nothing to import: no question lines found; {}", EXPECTED_FORMAT)]
    Nothing { file: String },
    #[error(
        "{file}: line {line}: no heading above {prompt:?} gives its topic; add a `# Topic` heading above it or pass --topic NAME{hint}"
    )]
    NoTopic {
        file: String,
        line: usize,
        prompt: String,
        /// Why a line above that looks like a heading is not one (empty when none does).
        hint: String,
    },
    #[error("topic {0:?} needs at least one letter or digit")]
    BadTopic(String),
}

/// Parses a notes file. `file` names it in errors; `topic` is `--topic`; `known` are
/// the topics already in the database.
pub fn parse_notes(
    file: &str,
    text: &str,
    topic: Option<&str>,
    known: &[KnownTopic],
) -> Result<ParsedNotes, NotesError> {
    let forced = match topic.map(str::trim) {
        Some(name) => {
            let t = resolve_topic(name, known);
            if t.slug.is_empty() {
                return Err(NotesError::BadTopic(name.into()));
            }
            Some(t)
        }
        None => None,
    };
    let lines: Vec<&str> = text.lines().collect();
    let kinds = classify(&lines, known);
    let top_level =
        kinds.iter().filter_map(|k| if let Line::Heading(level, _) = k { Some(*level) } else { None }).min();

    let mut current: Option<TopicRef> = forced.clone();
    let mut questions: Vec<NoteQuestion> = Vec::new();
    let mut duplicates = Vec::new();
    // (topic, line) for the notes; `None` before the first topic.
    let mut note_lines: Vec<(Option<TopicRef>, &str)> = Vec::new();
    for (index, (line, kind)) in lines.iter().zip(&kinds).enumerate() {
        match kind {
            Line::Question(prompt, answer) => {
                let Some(topic) = current.clone() else {
                    return Err(NotesError::NoTopic {
                        file: file.into(),
                        line: index + 1,
                        prompt: prompt.clone(),
                        hint: heading_hint(&lines[..index]),
                    });
                };
                let id = question_id(prompt);
                if questions.iter().any(|q| q.id == id) {
                    duplicates.push(index + 1);
                    continue;
                }
                questions.push(NoteQuestion {
                    id,
                    topic,
                    prompt: prompt.clone(),
                    answer: answer.clone(),
                    line: index + 1,
                });
                continue;
            }
            Line::Heading(level, name) if forced.is_none() => {
                let t = resolve_topic(name, known);
                if !t.slug.is_empty() && (t.exists || Some(*level) == top_level) {
                    current = Some(t);
                }
            }
            Line::KnownTopic(name) if forced.is_none() => current = Some(resolve_topic(name, known)),
            _ => {}
        }
        note_lines.push((current.clone(), *line));
    }
    if questions.is_empty() {
        return Err(NotesError::Nothing { file: file.into() });
    }
    // Text before the first topic, or under a new topic that got no questions, belongs
    // with the first topic that has questions.
    let first = questions[0].topic.clone();
    let mut notes: Vec<(TopicRef, Vec<&str>)> = Vec::new();
    for (topic, line) in note_lines {
        let topic = match topic {
            Some(t) if t.exists || questions.iter().any(|q| q.topic == t) => t,
            _ => first.clone(),
        };
        match notes.iter_mut().find(|(t, _)| *t == topic) {
            Some((_, lines)) => lines.push(line),
            None => notes.push((topic, vec![line])),
        }
    }
    let notes = notes
        .into_iter()
        .map(|(t, lines)| (t, tidy(&lines)))
        // Headings alone (a topic's heading right above its question lines) are no notes.
        .map(|(t, text)| {
            let headings_only = text.lines().all(|l| l.trim().is_empty() || atx_heading(l.trim()).is_some());
            (t, if headings_only { String::new() } else { text })
        })
        .filter(|(t, text)| !text.is_empty() || questions.iter().any(|q| q.topic == *t))
        .collect();
    let malformed = lines
        .iter()
        .zip(&kinds)
        .enumerate()
        .filter(|(_, (_, kind))| !matches!(kind, Line::Question(..)))
        .filter_map(|(index, (line, _))| malformed_problem(line).map(|problem| Malformed { line: index + 1, problem }))
        .collect();
    Ok(ParsedNotes { questions, notes, duplicates, malformed })
}

/// `notes:FILENAME`, the `source` of the questions imported from `path`.
pub fn source_of(path: &std::path::Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    format!("notes:{name}")
}

/// Lowercase ASCII letters and digits joined by single dashes ("Docker & Kubernetes" →
/// "docker-kubernetes"); empty when there are none.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    slug
}

fn resolve_topic(name: &str, known: &[KnownTopic]) -> TopicRef {
    let slug = slugify(name);
    let found = known.iter().find(|k| k.name.eq_ignore_ascii_case(name.trim()) || (!slug.is_empty() && k.slug == slug));
    match found {
        Some(k) => TopicRef { slug: k.slug.clone(), name: k.name.clone(), exists: true },
        None => TopicRef { slug, name: name.trim().to_string(), exists: false },
    }
}

/// `note-` and the prompt's slug cut at a word boundary; prompts without ASCII letters
/// get a hash instead, so the id is still stable.
fn question_id(prompt: &str) -> String {
    let slug = slugify(prompt);
    if slug.len() < 3 {
        let hash =
            prompt.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        return format!("note-{hash:016x}");
    }
    let mut id = String::from("note");
    for word in slug.split('-') {
        if id.len() + 1 + word.len() > 60 {
            break;
        }
        id.push('-');
        id.push_str(word);
    }
    id
}

#[derive(Debug, PartialEq)]
enum Line {
    Question(String, String),
    Heading(usize, String),
    KnownTopic(String),
    Text,
}

fn classify(lines: &[&str], known: &[KnownTopic]) -> Vec<Line> {
    let mut kinds = Vec::with_capacity(lines.len());
    let mut fence: Option<&str> = None;
    let blank = |i: usize| lines.get(i).is_none_or(|l| l.trim().is_empty());
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if let Some(marker) = fence {
            if line.starts_with(marker) {
                fence = None;
            }
            kinds.push(Line::Text);
            continue;
        }
        if let Some(marker) = ["```", "~~~"].into_iter().find(|m| line.starts_with(m)) {
            fence = Some(marker);
            kinds.push(Line::Text);
            continue;
        }
        if let Some((q, a)) = question_line(line) {
            kinds.push(Line::Question(q, a));
            continue;
        }
        if let Some((level, name)) = atx_heading(line) {
            let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or("");
            if next.is_empty() || atx_heading(next).is_some() || question_line(next).is_some() {
                kinds.push(Line::Heading(level, name));
                continue;
            }
        }
        let alone = (i == 0 || blank(i - 1)) && blank(i + 1);
        if alone && !line.is_empty() && resolve_topic(line, known).exists {
            kinds.push(Line::KnownTopic(line.to_string()));
            continue;
        }
        kinds.push(Line::Text);
    }
    kinds
}

fn atx_heading(line: &str) -> Option<(usize, String)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let name = rest.trim().trim_end_matches('#').trim();
    (!name.is_empty()).then(|| (level, name.to_string()))
}

const ARROWS: [&str; 4] = ["→", "->", "⟶", "=>"];

/// `"Q" → "A"`, with straight or curly quotes, after any list bullet.
fn question_line(line: &str) -> Option<(String, String)> {
    let line = strip_bullet(line.trim());
    let open = line.chars().next().filter(|c| matches!(c, '"' | '“'))?;
    let body = &line[open.len_utf8()..];
    // The question ends at the first closing quote that an arrow follows.
    for (at, c) in body.char_indices().filter(|&(_, c)| matches!(c, '"' | '”' | '“')) {
        let after = body[at + c.len_utf8()..].trim_start();
        let Some(answer) = ARROWS.iter().find_map(|arrow| after.strip_prefix(arrow)) else {
            continue;
        };
        let answer = answer.trim();
        let answer = answer.strip_prefix(['"', '“'])?;
        let answer = answer.strip_suffix(['"', '”']).unwrap_or(answer).trim();
        let prompt = body[..at].trim();
        if !prompt.chars().any(char::is_alphanumeric) || !answer.chars().any(char::is_alphanumeric) {
            return None;
        }
        return Some((prompt.to_string(), answer.to_string()));
    }
    None
}

/// What is wrong with a line meant as a question line that [`question_line`] did not
/// read: one with an arrow after a quoted question or after a question mark
/// ("What does no-store mean? -> Never store it"); `None` for any other line.
fn malformed_problem(line: &str) -> Option<&'static str> {
    let line = strip_bullet(line.trim());
    let (at, _) = ARROWS.iter().filter_map(|arrow| line.find(arrow).map(|at| (at, arrow))).min()?;
    let before = line[..at].trim_end();
    if !line.starts_with(['"', '“']) {
        return before.ends_with('?').then_some("its question and answer are not in quotes");
    }
    if before.len() <= 1 || !before.ends_with(['"', '”', '“']) {
        return Some("its question has no closing quote before the arrow");
    }
    Some("its answer after the arrow is not in quotes")
}

/// Whether `line` is one the import reports as meant for a question line but not read
/// as one ([`ParsedNotes::malformed`]): it stays in the stored notes, but the study-notes
/// page leaves it out rather than show learners a half-written question as a note.
pub fn is_malformed_question(line: &str) -> bool {
    question_line(line.trim()).is_none() && malformed_problem(line).is_some()
}

/// Why the nearest line above that looks like a heading is not read as one, as a
/// clause to add to the missing-topic message; empty when no such line is found.
fn heading_hint(above: &[&str]) -> String {
    let Some((index, line)) = above.iter().enumerate().rev().find(|(_, l)| !l.trim().is_empty()) else {
        return String::new();
    };
    let line = line.trim();
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&hashes) || line.len() == hashes {
        return String::new();
    }
    if !line[hashes..].starts_with([' ', '\t']) {
        return format!(
            " (line {} is not read as a heading: put a space after the `#`, as in `{} {}`)",
            index + 1,
            &line[..hashes],
            line[hashes..].trim()
        );
    }
    String::new()
}

fn strip_bullet(line: &str) -> &str {
    for bullet in ["- ", "* ", "+ ", "• ", "· ", "> "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return strip_bullet(rest.trim_start());
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = line[digits..].strip_prefix(". ").or_else(|| line[digits..].strip_prefix(") ")) {
            return rest.trim_start();
        }
    }
    line
}

/// Trailing spaces off, runs of blank lines down to one, no blank lines at the ends.
fn tidy(lines: &[&str]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in lines.iter().map(|l| l.trim_end()) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
#[path = "notes_tests.rs"]
mod tests;
