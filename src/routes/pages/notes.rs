//! Study notes pages: the admin's notes import (choose or paste a notes file, preview
//! what it would change with the concepts derived for each question, import), and each
//! topic's notes for learners.
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::filters;
use super::{html, PageError};
use crate::bank::notes::is_malformed_question;
use crate::bank::notes_plan::NotesPlan;
use crate::practice::{self, NotesUpload, MAX_NOTES_BYTES};
use crate::routes::api::notes_change_name as change_name;
use crate::routes::pages::NavUser;
use crate::routes::session::{CurrentUser, PageUser};
use crate::startup::AppState;

struct PlannedRow {
    change: &'static str,
    prompt: String,
    topic: String,
    new_topic: bool,
    concepts: String,
    line: usize,
    /// The model answer is shorter than [`SHORT_ANSWER_WORDS`].
    short: bool,
}

/// A model answer under this many words leaves the grader little to match (see the
/// constant's own note): the preview marks such questions.
const SHORT_ANSWER_WORDS: usize = crate::grading::SHORT_REFERENCE_WORDS;

struct PlanView {
    dry_run: bool,
    summary: String,
    questions: Vec<PlannedRow>,
    retired: Vec<String>,
    notes: Vec<String>,
    duplicates: Vec<usize>,
    /// How many of the questions have a short model answer.
    short: usize,
    /// (line, what is wrong with it).
    malformed: Vec<(usize, &'static str)>,
}

impl PlanView {
    fn of(plan: NotesPlan, dry_run: bool) -> Self {
        let count = |c| plan.count(c);
        use crate::bank::notes_plan::Change::*;
        let summary = format!(
            "{} {} question{}: {} new, {} changed, {} unchanged; {} retired.",
            if dry_run { "Preview, nothing saved yet: this file would bring" } else { "Imported" },
            plan.questions.len(),
            if plan.questions.len() == 1 { "" } else { "s" },
            count(New),
            count(Changed),
            count(Unchanged),
            plan.retire.len(),
        );
        let questions: Vec<PlannedRow> = plan
            .questions
            .into_iter()
            .map(|q| PlannedRow {
                change: change_name(q.change),
                prompt: q.question.prompt,
                topic: q.question.topic.name,
                new_topic: !q.question.topic.exists,
                concepts: q.concepts.join(", "),
                line: q.question.line,
                short: q.question.answer.split_whitespace().count() < SHORT_ANSWER_WORDS,
            })
            .collect();
        PlanView {
            dry_run,
            summary,
            short: questions.iter().filter(|q| q.short).count(),
            questions,
            retired: plan.retire.into_iter().map(|r| r.prompt).collect(),
            notes: plan
                .notes
                .iter()
                .map(|(t, text, c)| format!("{}: {} lines ({})", t.name, text.lines().count(), change_name(*c)))
                .chain(plan.drop_notes.iter().map(|t| format!("{t}: no longer in the file, removed")))
                .collect(),
            duplicates: plan.duplicates,
            malformed: plan.malformed.iter().map(|m| (m.line, m.problem)).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_notes.html")]
struct ImportPage {
    user: Option<NavUser>,
    csrf: String,
    file_name: String,
    text: String,
    topic: String,
    topics: Vec<(String, String)>,
    error: Option<String>,
    plan: Option<PlanView>,
    max_kb: usize,
}

#[derive(Default)]
pub struct NotesForm {
    file_name: String,
    text: String,
    topic: String,
    /// `preview` or `import`.
    action: String,
}

impl NotesForm {
    /// The form's fields from its URL-encoded body (read as bytes rather than with
    /// `web::Form`, whose limit is sized for answers: a notes file may be larger; the
    /// CSRF check before this has already bounded the body).
    fn parse(body: &[u8]) -> NotesForm {
        let mut form = NotesForm::default();
        for (key, value) in form_urlencoded::parse(body) {
            match &*key {
                "file_name" => form.file_name = value.into_owned(),
                "text" => form.text = value.into_owned(),
                "topic" => form.topic = value.into_owned(),
                "action" => form.action = value.into_owned(),
                _ => {}
            }
        }
        form
    }
}

async fn page(
    state: &AppState,
    user: &PageUser,
    status: StatusCode,
    form: NotesForm,
    error: Option<String>,
    plan: Option<PlanView>,
) -> Result<HttpResponse, PageError> {
    let topics = state.practice.authoring_topics(&user.0).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let page = ImportPage {
        user: Some(NavUser::of(&user.0)),
        csrf: user.csrf(),
        file_name: form.file_name,
        text: form.text,
        topic: form.topic,
        topics,
        error,
        plan,
        max_kb: MAX_NOTES_BYTES / 1000,
    };
    html(status, &page)
}

pub async fn form(user: PageUser, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    page(&state, &user, StatusCode::OK, NotesForm::default(), None, None).await
}

/// Previews (`action=preview`) or imports the notes. After an import the form is
/// emptied and the page says what was imported; a refusal keeps what was sent.
pub async fn submit(user: PageUser, state: web::Data<AppState>, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let form = NotesForm::parse(&body);
    let dry_run = form.action != "import";
    let upload = NotesUpload {
        file_name: form.file_name.clone(),
        text: form.text.clone(),
        topic: Some(form.topic.clone()),
        dry_run,
    };
    match state.practice.import_notes(&user.0, upload).await {
        Ok(plan) => {
            let view = PlanView::of(plan, dry_run);
            let kept = if dry_run { form } else { NotesForm::default() };
            page(&state, &user, StatusCode::OK, kept, None, Some(view)).await
        }
        Err(e @ practice::Error::Invalid(_)) => {
            page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, form, Some(field_words(&e.to_string())), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A refusal in the form's words: the API's field prefix ("file_name: give the notes
/// file's name") names the field as its label does.
fn field_words(message: &str) -> String {
    for (field, label) in [("file_name: ", "File name: "), ("text: ", "Notes: "), ("topic: ", "Topic: ")] {
        if let Some(rest) = message.strip_prefix(field) {
            return format!("{label}{rest}");
        }
    }
    message.to_string()
}

struct NoteView {
    source: String,
    blocks: Vec<Block>,
}

/// A stretch of notes: a Markdown heading (shown as one, without its `#`), a Markdown
/// list (shown as a list, without its bullets), or the text up to the next of either
/// (line breaks kept).
#[derive(Debug, PartialEq, Eq)]
enum Block {
    Heading(String),
    List { ordered: bool, items: Vec<String> },
    Text(String),
}

impl Block {
    fn has_content(&self) -> bool {
        match self {
            Block::Heading(_) => false,
            Block::List { .. } => true,
            Block::Text(text) => !text.trim().is_empty(),
        }
    }
}

/// A list item's text and whether its list is numbered: `- `, `* `, `+ ` or `• ` bullets,
/// or `1. ` / `1) `.
fn list_item(line: &str) -> Option<(bool, &str)> {
    let line = line.trim_start();
    if let Some(rest) = ["- ", "* ", "+ ", "• "].iter().find_map(|b| line.strip_prefix(b)) {
        return Some((false, rest.trim()));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = line[digits..].strip_prefix(". ").or_else(|| line[digits..].strip_prefix(") "));
    (digits > 0).then_some(rest).flatten().map(|rest| (true, rest.trim()))
}

/// Splits notes into headings, lists and text. Lines the import reported as meant for
/// questions but not read as one are left out. A heading with nothing under it before
/// the next heading of the same or a higher level (a section whose only line was a
/// question, now taken out) is dropped.
fn blocks(text: &str) -> Vec<Block> {
    let mut parsed: Vec<(usize, Block)> = Vec::new();
    // A blank line after a list item: the list goes on only if another item follows.
    let mut blank_after_item = false;
    for line in text.lines().filter(|l| !is_malformed_question(l)) {
        let level = line.chars().take_while(|c| *c == '#').count();
        let title = line[level..].trim();
        if (1..=6).contains(&level) && line[level..].starts_with(' ') && !title.is_empty() {
            parsed.push((level, Block::Heading(title.to_string())));
            blank_after_item = false;
            continue;
        }
        let last = parsed.last_mut().map(|(_, b)| b);
        match (last, list_item(line)) {
            (Some(Block::List { ordered, items }), Some((numbered, item))) if *ordered == numbered => {
                items.push(item.to_string());
            }
            (_, Some((ordered, item))) => {
                parsed.push((0, Block::List { ordered, items: vec![item.to_string()] }));
            }
            // An indented line under an item wraps that item's text.
            (Some(Block::List { items, .. }), None)
                if !blank_after_item && line.starts_with([' ', '\t']) && !line.trim().is_empty() =>
            {
                if let Some(item) = items.last_mut() {
                    item.push(' ');
                    item.push_str(line.trim());
                }
            }
            (Some(Block::List { .. }), None) if line.trim().is_empty() => {
                blank_after_item = true;
                continue;
            }
            (Some(Block::Text(text)), None) => {
                text.push('\n');
                text.push_str(line);
            }
            (_, None) => parsed.push((0, Block::Text(line.to_string()))),
        }
        blank_after_item = false;
    }
    for (_, b) in parsed.iter_mut() {
        if let Block::Text(text) = b {
            *text = text.trim_matches('\n').to_string();
        }
    }
    let keep: Vec<bool> = parsed
        .iter()
        .enumerate()
        .map(|(i, (level, block))| {
            if !matches!(block, Block::Heading(_)) {
                return block.has_content();
            }
            parsed[i + 1..]
                .iter()
                .take_while(|(l, b)| !matches!(b, Block::Heading(_)) || *l > *level)
                .any(|(_, b)| b.has_content())
        })
        .collect();
    parsed.into_iter().zip(keep).filter_map(|((_, block), keep)| keep.then_some(block)).collect()
}

#[derive(Template)]
#[template(path = "topic_notes.html")]
struct NotesPage {
    user: Option<NavUser>,
    csrf: String,
    id: String,
    name: String,
    description: String,
    questions: i64,
    notes: Vec<NoteView>,
}

/// A topic's study notes: for anyone on a server with open sign-up (like the topics on
/// the home page); on a private one (`--registration invite` or `closed`) only for its
/// users, the others are sent to log in first.
pub async fn topic(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let user = CurrentUser::optional(&req);
    if !state.accounts.notes_are_public() && user.is_none() {
        let next = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
        return Err(PageError::LoginRequired { next });
    }
    let t = state.practice.topic_notes(&path).await?;
    let page = NotesPage {
        user: user.map(|u| NavUser::of(&u)),
        csrf: crate::routes::csrf::form_token(&req),
        id: t.topic.id,
        name: t.topic.name,
        description: t.topic.description,
        questions: t.topic.questions,
        notes: t
            .notes
            .into_iter()
            .map(|n| NoteView { source: n.source.trim_start_matches("notes:").to_string(), blocks: blocks(&n.text) })
            // Notes whose every line was a question or a heading over one show nothing:
            // no empty card, and the empty state when no other notes are left.
            .filter(|n| !n.blocks.is_empty())
            .collect(),
    };
    html(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_lose_their_hashes_and_empty_sections_are_dropped() {
        let text =
            "# Git Basics\n\nCommits are snapshots.\n\n## Remote work\n\n## Branches\nCheap pointers.\n#not a heading";
        assert_eq!(
            blocks(text),
            [
                Block::Heading("Git Basics".into()),
                Block::Text("Commits are snapshots.".into()),
                Block::Heading("Branches".into()),
                Block::Text("Cheap pointers.\n#not a heading".into()),
            ]
        );
    }

    #[test]
    fn lists_are_lists_and_rejected_question_lines_are_not_shown() {
        let text = "# Networking\nSome notes.\n\n- What does a load balancer do? -> Spreads traffic.\n\
            - \"What is a subnet mask?\" → it splits an address\n- Port 53 is DNS,\n  over UDP and TCP.\n\n\
            - Port 443 is HTTPS.\n1. Resolve\n2) Connect\nAfter the list.\n\n## Only rejected lines\n\
            - \"Half a question?\" -> no quotes";
        assert_eq!(
            blocks(text),
            [
                Block::Heading("Networking".into()),
                Block::Text("Some notes.".into()),
                Block::List {
                    ordered: false,
                    items: vec!["Port 53 is DNS, over UDP and TCP.".into(), "Port 443 is HTTPS.".into()]
                },
                Block::List { ordered: true, items: vec!["Resolve".into(), "Connect".into()] },
                Block::Text("After the list.".into()),
            ]
        );
    }

    #[test]
    fn a_dash_without_a_space_or_a_number_alone_is_no_list() {
        for line in ["-5 degrees", "2024 was a year", "3.5 GHz", "--flag"] {
            assert_eq!(blocks(line), [Block::Text(line.into())], "{line}");
        }
    }
}
