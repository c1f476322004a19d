//! The question authoring pages (admins only; members get a 403 page): the list of
//! topics and questions, a form to create or edit a question with a "Test" button that
//! grades a sample answer against the unsaved form, and each question's sample answers
//! with the grader's verdict and the learners' claims per concept.
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::filters;
use super::{html, see_other, PageError};
use crate::bank::KeywordDef;
use crate::grading::Misconception;
use crate::practice::{self, AuthoredQuestion, QuestionInput};
use crate::routes::pages::NavUser;
use crate::routes::session::PageUser;
use crate::routes::ApiError;
use crate::startup::AppState;

struct QuestionItem {
    id: String,
    topic_id: String,
    prompt: String,
    version: i64,
    retired: bool,
    edited_on_web: bool,
}

struct TopicItem {
    id: String,
    name: String,
    description: String,
    questions: i64,
    retired: bool,
}

impl From<crate::domain::Topic> for TopicItem {
    fn from(t: crate::domain::Topic) -> Self {
        TopicItem { id: t.id, name: t.name, description: t.description, questions: t.questions, retired: t.retired }
    }
}

#[derive(Template)]
#[template(path = "admin_questions.html")]
struct ListPage {
    user: Option<NavUser>,
    csrf: String,
    topics: Vec<TopicItem>,
    questions: Vec<QuestionItem>,
    notice: Option<String>,
    error: Option<String>,
    /// A refused "Create a topic": the message, shown at the form, and what was typed.
    topic_error: Option<String>,
    new_topic: TopicForm,
}

/// The question form's fields as typed: keywords one per line (`a | b :: hint`),
/// relations and follow-ups one per line, misconceptions one per line (`subject ::
/// claim :: correction`, or `claim :: correction` for one wrong about anything).
#[derive(Deserialize, Default, Clone)]
pub struct QuestionForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    topic_id: String,
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    keywords: String,
    #[serde(default)]
    relations: String,
    #[serde(default)]
    follow_ups: String,
    #[serde(default)]
    misconceptions: String,
    #[serde(default)]
    difficulty: String,
    #[serde(default)]
    ordered: Option<String>,
    #[serde(default)]
    sample: String,
    /// `test` grades the sample against the form without saving; anything else saves.
    #[serde(default)]
    action: String,
}

/// One line of the misconceptions box: `subject :: claim :: correction`, or `claim ::
/// correction`. A line with neither leaves the correction empty, which the checks of
/// `bank::check_question` refuse with a message naming the field.
fn misconception(line: &str) -> Misconception {
    let parts: Vec<&str> = line.splitn(3, "::").map(str::trim).collect();
    let (subject, claim, correction) = match parts.as_slice() {
        [subject, claim, correction] => (*subject, *claim, *correction),
        [claim, correction] => ("", *claim, *correction),
        _ => ("", line, ""),
    };
    Misconception { subject: subject.to_string(), claim: claim.to_string(), correction: correction.to_string() }
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

impl QuestionForm {
    fn input(&self, id: Option<&str>) -> QuestionInput {
        QuestionInput {
            id: id.unwrap_or(&self.id).to_string(),
            topic_id: self.topic_id.clone(),
            prompt: self.prompt.clone(),
            answer: self.answer.clone(),
            keywords: lines(&self.keywords)
                .into_iter()
                .map(|line| match line.split_once("::") {
                    Some((concept, hint)) => KeywordDef {
                        concept: concept.trim().to_string(),
                        hint: Some(hint.trim().to_string()).filter(|h| !h.is_empty()),
                    },
                    None => KeywordDef { concept: line, hint: None },
                })
                .collect(),
            relations: lines(&self.relations),
            follow_ups: lines(&self.follow_ups),
            difficulty: self.difficulty.trim().parse().unwrap_or(0),
            ordered: self.ordered.is_some(),
            misconceptions: lines(&self.misconceptions).iter().map(|line| misconception(line)).collect(),
        }
    }

    fn of(q: &AuthoredQuestion) -> QuestionForm {
        QuestionForm {
            id: q.id.clone(),
            topic_id: q.topic_id.clone(),
            prompt: q.def.prompt.clone(),
            answer: q.def.answer.clone(),
            keywords: q
                .def
                .keywords
                .iter()
                .map(|k| match &k.hint {
                    Some(h) => format!("{} :: {h}", k.concept),
                    None => k.concept.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            relations: q.def.relations.join("\n"),
            follow_ups: q.def.follow_ups.join("\n"),
            misconceptions: q
                .def
                .misconceptions
                .iter()
                .map(|m| match m.subject.is_empty() {
                    true => format!("{} :: {}", m.claim, m.correction),
                    false => format!("{} :: {} :: {}", m.subject, m.claim, m.correction),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            difficulty: q.def.difficulty.to_string(),
            ordered: q.def.ordered.then(|| "on".into()),
            sample: String::new(),
            action: String::new(),
        }
    }
}

/// The grader's verdict on an answer, as the page shows it.
struct Verdict {
    score: i64,
    band: String,
    covered: Vec<String>,
    missed: Vec<String>,
    contradicted: Vec<String>,
    /// Suspected errors, each a check (see `grading::Components::conflicts`).
    checks: Vec<String>,
    /// No sample was typed, so the model answer itself was graded.
    of_model_answer: bool,
}

impl Verdict {
    fn of(g: &crate::grading::Grade) -> Verdict {
        Verdict {
            score: (g.score * 100.0).round() as i64,
            band: g.band.as_str().into(),
            covered: g.covered(),
            missed: g.missed(),
            contradicted: g.contradicted(),
            checks: g.components.conflicts.clone(),
            of_model_answer: false,
        }
    }
}

struct SampleItem {
    id: String,
    answer: String,
    expected: String,
    verdict: Verdict,
    agrees: bool,
}

#[derive(Template)]
#[template(path = "admin_question.html")]
struct QuestionPage {
    user: Option<NavUser>,
    csrf: String,
    /// `None`: a new question.
    existing: Option<Existing>,
    topics: Vec<TopicItem>,
    form: QuestionForm,
    error: Option<String>,
    notice: Option<String>,
    preview: Option<Verdict>,
    preview_error: Option<String>,
    /// Keyword alternatives that give credit too easily (advice).
    keyword_warnings: Vec<String>,
    /// The stored question has no keywords and the form shows the concepts the grader
    /// derives from its model answer instead.
    derived_keywords: bool,
}

struct Existing {
    id: String,
    version: i64,
    retired: bool,
    edited_on_web: bool,
    samples: Vec<SampleItem>,
    /// (concept, "I covered this", "I got this wrong").
    claims: Vec<(String, i64, i64)>,
    agreement: AgreementItem,
}

/// Grader versus peer marks on the question.
struct AgreementItem {
    summary: String,
    marked: usize,
    disagreements: Vec<DisagreementItem>,
}

struct DisagreementItem {
    /// Where the answer can be read: its group's page, at the answer.
    link: Option<String>,
    answer: String,
    /// 0-100.
    grader: i64,
    /// The grader was unsure of it (not counted for the learner).
    unsure: bool,
    /// Mean mark, 0-5, one decimal.
    peer_mean: String,
    marks: i64,
    /// Grader minus peers on the grader's scale, in points of 100, signed.
    difference: i64,
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
}

fn notice_of(done: Option<&str>) -> Option<String> {
    let text = match done? {
        "saved" => "Saved. New interviews ask this version.",
        "created" => "Created. New interviews can ask it now.",
        "retired" => "Retired: no longer asked. Attempts at it stay readable.",
        "restored" => "Restored: it can be asked again.",
        "sample" => "Sample answer added.",
        "sample-removed" => "Sample answer removed.",
        "topic" => "Topic created. Add its first question below.",
        "topic-saved" => "Topic saved. Pages and new interviews show the new name.",
        "topic-retired" => "Topic retired with its questions: none of them is asked any more. Attempts stay readable.",
        "topic-restored" => "Topic restored with the questions retired with it.",
        _ => return None,
    };
    Some(text.to_string())
}

async fn topics(state: &AppState, user: &PageUser) -> Result<Vec<TopicItem>, PageError> {
    Ok(state.practice.authoring_topics(&user.0).await?.into_iter().map(TopicItem::from).collect())
}

async fn list_page(
    state: &AppState,
    user: &PageUser,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    list_page_with(state, user, status, notice, error, None).await
}

/// The list page; `refused_topic` keeps a refused "Create a topic" form with its message.
async fn list_page_with(
    state: &AppState,
    user: &PageUser,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    refused_topic: Option<(String, TopicForm)>,
) -> Result<HttpResponse, PageError> {
    let (topic_error, new_topic) = match refused_topic {
        Some((message, form)) => (Some(message), form),
        None => (None, TopicForm::default()),
    };
    let o = state.practice.authoring_overview(&user.0).await?;
    let page = ListPage {
        user: Some(NavUser::of(&user.0)),
        csrf: user.csrf(),
        topics: o.topics.into_iter().map(TopicItem::from).collect(),
        questions: o
            .questions
            .into_iter()
            .map(|q| QuestionItem {
                prompt: q.def.prompt,
                id: q.id,
                topic_id: q.topic_id,
                version: q.version,
                retired: q.retired,
                edited_on_web: q.edited_on_web,
            })
            .collect(),
        notice,
        error,
        topic_error,
        new_topic,
    };
    html(status, &page)
}

pub async fn list(
    user: PageUser,
    state: web::Data<AppState>,
    query: web::Query<Notice>,
) -> Result<HttpResponse, PageError> {
    list_page(&state, &user, StatusCode::OK, notice_of(query.done.as_deref()), None).await
}

#[derive(Deserialize, Default)]
pub struct TopicForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

pub async fn create_topic(
    user: PageUser,
    state: web::Data<AppState>,
    form: web::Form<TopicForm>,
) -> Result<HttpResponse, PageError> {
    match state.practice.create_topic(&user.0, &form.id, &form.name, &form.description).await {
        Ok(()) => Ok(see_other(&format!("/admin/questions/new?topic={}", super::encode_query(form.id.trim())))),
        Err(e @ (practice::Error::Invalid(_) | practice::Error::Conflict(_))) => {
            let refused = Some((e.to_string(), form.into_inner()));
            list_page_with(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, None, None, refused).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct TopicEditForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

/// Saves a topic's name and description from the list page.
pub async fn edit_topic(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<TopicEditForm>,
) -> Result<HttpResponse, PageError> {
    match state.practice.update_topic(&user.0, &path, &form.name, &form.description).await {
        Ok(_) => Ok(see_other("/admin/questions?done=topic-saved#topics-heading")),
        Err(e @ practice::Error::Invalid(_)) => {
            list_page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, None, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn retire_topic(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    state.practice.set_topic_retired(&user.0, &path, true).await?;
    Ok(see_other("/admin/questions?done=topic-retired#topics-heading"))
}

pub async fn restore_topic(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    state.practice.set_topic_retired(&user.0, &path, false).await?;
    Ok(see_other("/admin/questions?done=topic-restored#topics-heading"))
}

async fn question_page(
    state: &AppState,
    user: &PageUser,
    id: Option<&str>,
    form: Option<QuestionForm>,
    status: StatusCode,
    messages: (Option<String>, Option<String>),
    preview: Result<Option<Verdict>, String>,
) -> Result<HttpResponse, PageError> {
    // Whether the keywords box shows derived concepts rather than stored keywords.
    let mut derived = false;
    // The stored question's checks, already worked out with it, when the page shows it
    // as stored (grading its model answer again would repeat that work).
    let mut stored_warnings: Option<Vec<String>> = None;
    let (existing, stored_form) = match id {
        None => (None, QuestionForm { difficulty: "1".into(), ..QuestionForm::default() }),
        Some(id) => {
            let d = state.practice.authored_question(&user.0, id).await?;
            let a = state.practice.agreement(&user.0, id).await?;
            let agreement = AgreementItem {
                summary: a.summary(),
                marked: a.marked_attempts,
                disagreements: a
                    .disagreements
                    .iter()
                    .map(|d| DisagreementItem {
                        link: d
                            .attempt
                            .group_id
                            .as_ref()
                            .map(|g| format!("/groups/{g}#shared-{}", d.attempt.attempt_id)),
                        answer: d.attempt.answer.clone(),
                        grader: (d.attempt.grader_score * 100.0).round() as i64,
                        unsure: d.attempt.unsure,
                        peer_mean: format!("{:.1}", d.attempt.mean_mark),
                        marks: d.attempt.marks,
                        difference: (d.difference * 100.0).round() as i64,
                    })
                    .collect(),
            };
            let existing = Existing {
                id: d.question.id.clone(),
                version: d.question.version,
                retired: d.question.retired,
                edited_on_web: d.question.edited_on_web,
                samples: d
                    .samples
                    .iter()
                    .map(|s| SampleItem {
                        id: s.id.clone(),
                        answer: s.answer.clone(),
                        expected: s.expected.as_str().into(),
                        verdict: Verdict::of(&s.grade),
                        agrees: s.agrees(),
                    })
                    .collect(),
                claims: d.claim_counts.iter().map(|c| (c.concept.clone(), c.covered_claims, c.wrong_claims)).collect(),
                agreement,
            };
            let mut stored = QuestionForm::of(&d.question);
            if stored.keywords.is_empty() && !d.derived_keywords.is_empty() {
                stored.keywords = d.derived_keywords.join("\n");
                derived = form.is_none();
            } else if form.is_none() {
                stored_warnings = Some(d.keyword_warnings.iter().map(|w| w.message.clone()).collect());
            }
            (Some(existing), stored)
        }
    };
    let (preview, preview_error) = match preview {
        Ok(p) => (p, None),
        Err(e) => (None, Some(e)),
    };
    let form = form.unwrap_or(stored_form);
    // Checked on the keywords as shown (saved, or as typed); a form that does not
    // validate yet has its own error to fix first.
    let keyword_warnings = match stored_warnings {
        Some(warnings) => warnings,
        None => state
            .practice
            .check_keywords(&user.0, &form.input(id))
            .await
            .map(|w| w.into_iter().map(|w| w.message).collect())
            .unwrap_or_default(),
    };
    let page = QuestionPage {
        user: Some(NavUser::of(&user.0)),
        csrf: user.csrf(),
        existing,
        topics: topics(state, user).await?,
        form,
        keyword_warnings,
        derived_keywords: derived,
        notice: messages.0,
        error: messages.1,
        preview,
        preview_error,
    };
    html(status, &page)
}

#[derive(Deserialize)]
pub struct NewQuery {
    topic: Option<String>,
}

pub async fn new_form(
    user: PageUser,
    state: web::Data<AppState>,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, PageError> {
    let form = QuestionForm {
        topic_id: query.topic.clone().unwrap_or_default(),
        difficulty: "1".into(),
        ..QuestionForm::default()
    };
    let notice = query.topic.as_ref().map(|_| "Topic created. Add its first question.".to_string());
    question_page(&state, &user, None, Some(form), StatusCode::OK, (notice, None), Ok(None)).await
}

pub async fn show(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<Notice>,
) -> Result<HttpResponse, PageError> {
    let notice = notice_of(query.done.as_deref());
    question_page(&state, &user, Some(&path), None, StatusCode::OK, (notice, None), Ok(None)).await
}

/// Saves, or with `action=test` grades the sample against the unsaved form and shows
/// the form again as typed.
async fn submit(
    state: &AppState,
    user: &PageUser,
    id: Option<&str>,
    form: QuestionForm,
) -> Result<HttpResponse, PageError> {
    let input = form.input(id);
    if form.action == "test" {
        // With no sample typed, the model answer is the sample: an admin who presses
        // Test on a new question learns whether its own answer covers its keywords (a
        // walk-through's admin was told only "Your answer is empty").
        let own = form.sample.trim().is_empty() && !input.answer.trim().is_empty();
        let sample = if own { &input.answer } else { &form.sample };
        let preview = match state.practice.preview_grade(&user.0, &input, sample).await {
            Ok(g) => Ok(Some(Verdict { of_model_answer: own, ..Verdict::of(&g) })),
            Err(e @ practice::Error::Invalid(_)) => Err(e.to_string()),
            Err(e) => return Err(e.into()),
        };
        let status = if preview.is_ok() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        return question_page(state, user, id, Some(form), status, (None, None), preview).await;
    }
    match state.practice.save_question(&user.0, &input, id.is_none()).await {
        Ok(q) => {
            let done = if id.is_none() { "created" } else { "saved" };
            Ok(see_other(&format!("/admin/questions/{}?done={done}", q.id)))
        }
        Err(e @ (practice::Error::Invalid(_) | practice::Error::Conflict(_))) => {
            let status = if matches!(e, practice::Error::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            question_page(state, user, id, Some(form), status, (None, Some(e.to_string())), Ok(None)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    user: PageUser,
    state: web::Data<AppState>,
    form: web::Form<QuestionForm>,
) -> Result<HttpResponse, PageError> {
    submit(&state, &user, None, form.into_inner()).await
}

pub async fn edit(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<QuestionForm>,
) -> Result<HttpResponse, PageError> {
    submit(&state, &user, Some(&path), form.into_inner()).await
}

pub async fn retire(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    state.practice.set_question_retired(&user.0, &path, true).await?;
    Ok(see_other(&format!("/admin/questions/{}?done=retired", path.as_str())))
}

pub async fn restore(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    state.practice.set_question_retired(&user.0, &path, false).await?;
    Ok(see_other(&format!("/admin/questions/{}?done=restored", path.as_str())))
}

#[derive(Deserialize)]
pub struct SampleForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    expected_band: String,
}

/// Removes a sample answer and comes back to the question's samples.
pub async fn delete_sample(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, sample) = path.into_inner();
    state.practice.delete_sample(&user.0, &id, &sample).await.map_err(ApiError::from)?;
    Ok(see_other(&format!("/admin/questions/{id}?done=sample-removed#samples")))
}

pub async fn add_sample(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<SampleForm>,
) -> Result<HttpResponse, PageError> {
    match state.practice.add_sample(&user.0, &path, &form.answer, &form.expected_band).await {
        Ok(_) => Ok(see_other(&format!("/admin/questions/{}?done=sample#samples", path.as_str()))),
        Err(e @ practice::Error::Invalid(_)) => {
            question_page(
                &state,
                &user,
                Some(&path),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                (None, Some(e.to_string())),
                Ok(None),
            )
            .await
        }
        Err(e) => Err(ApiError::from(e).into()),
    }
}
