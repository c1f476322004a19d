//! Question authoring over JSON (admins only; members get 403): topics, questions
//! (create, edit, retire, restore), a preview grading with unsaved keywords, and sample
//! answers with the grader's verdict.
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::interviews::GradeJson;
use super::schema::{BandSchema, ErrorBody};
use crate::bank;
use crate::domain::Band;
use crate::grading::Misconception;
use crate::practice::{self, AuthoredQuestion, QuestionInput};
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;

/// A keyword: `concept` is `"label | alternative | ..."`; `hint` is shown when it is missed.
#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
#[schema(as = AuthoredKeyword)]
pub struct KeywordJson {
    pub concept: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// A wrong claim the author anticipates, with the correction shown when an answer makes
/// it. `subject` and `claim` are `|`-separated alternatives; the claim's words must come
/// in order, in one clause, after the subject in the same sentence, and not denied.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MisconceptionJson {
    /// What the claim is said about ("readiness | readiness probe"); empty or left out
    /// when the claim is wrong whatever it is said about.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subject: String,
    /// The wrong claim as a learner would word it ("restarts the container").
    pub claim: String,
    /// What is true instead, shown as a check.
    pub correction: String,
}

/// A question as an author writes it (the fields of a question file).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionBody {
    /// Lowercase letters, digits and dashes; fixed once created (taken from the path when editing).
    #[serde(default)]
    pub id: String,
    pub topic_id: String,
    pub prompt: String,
    /// The model answer.
    pub answer: String,
    /// At least one.
    pub keywords: Vec<KeywordJson>,
    /// `"label a & label b"`: two concepts that must be said of each other.
    #[serde(default)]
    pub relations: Vec<String>,
    #[serde(default)]
    pub follow_ups: Vec<String>,
    /// 1 (easy) to 3 (hard); 1 when left out.
    #[serde(default = "one")]
    pub difficulty: i64,
    /// The keywords are steps in the order listed.
    #[serde(default)]
    pub ordered: bool,
    /// Wrong claims learners make, each with its correction (at most 20).
    #[serde(default)]
    pub misconceptions: Vec<MisconceptionJson>,
}

fn one() -> i64 {
    1
}

impl QuestionBody {
    fn input(self, id: Option<String>) -> QuestionInput {
        QuestionInput {
            id: id.unwrap_or(self.id),
            topic_id: self.topic_id,
            prompt: self.prompt,
            answer: self.answer,
            keywords: self
                .keywords
                .into_iter()
                .map(|k| bank::KeywordDef { concept: k.concept, hint: k.hint })
                .collect(),
            relations: self.relations,
            follow_ups: self.follow_ups,
            difficulty: self.difficulty,
            ordered: self.ordered,
            misconceptions: self
                .misconceptions
                .into_iter()
                .map(|m| Misconception { subject: m.subject, claim: m.claim, correction: m.correction })
                .collect(),
        }
    }
}

/// A question as stored, for its author.
#[derive(Serialize, ToSchema)]
#[schema(as = AuthoredQuestion)]
pub struct AuthoredJson {
    pub id: String,
    pub topic_id: String,
    pub prompt: String,
    pub answer: String,
    pub keywords: Vec<KeywordJson>,
    pub relations: Vec<String>,
    pub follow_ups: Vec<String>,
    pub difficulty: i64,
    pub ordered: bool,
    pub misconceptions: Vec<MisconceptionJson>,
    /// Bumped on every change of content; attempts keep the version they answered.
    pub version: i64,
    pub retired: bool,
    /// Made or edited on the web: start-up keeps this version until its file changes.
    pub edited_on_web: bool,
}

impl From<&AuthoredQuestion> for AuthoredJson {
    fn from(q: &AuthoredQuestion) -> Self {
        AuthoredJson {
            id: q.id.clone(),
            topic_id: q.topic_id.clone(),
            prompt: q.def.prompt.clone(),
            answer: q.def.answer.clone(),
            keywords: q
                .def
                .keywords
                .iter()
                .map(|k| KeywordJson { concept: k.concept.clone(), hint: k.hint.clone() })
                .collect(),
            relations: q.def.relations.clone(),
            follow_ups: q.def.follow_ups.clone(),
            difficulty: q.def.difficulty,
            ordered: q.def.ordered,
            misconceptions: q
                .def
                .misconceptions
                .iter()
                .map(|m| MisconceptionJson {
                    subject: m.subject.clone(),
                    claim: m.claim.clone(),
                    correction: m.correction.clone(),
                })
                .collect(),
            version: q.version,
            retired: q.retired,
            edited_on_web: q.edited_on_web,
        }
    }
}

/// A topic as an author sees it.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AuthoredTopic)]
pub struct TopicJson {
    /// Lowercase letters, digits and dashes (the file name on export).
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Active questions (ignored when creating).
    #[serde(default)]
    pub questions: i64,
    /// Retired with its questions: not offered for practice (ignored when creating).
    #[serde(default)]
    pub retired: bool,
}

impl From<crate::domain::Topic> for TopicJson {
    fn from(t: crate::domain::Topic) -> Self {
        TopicJson { id: t.id, name: t.name, description: t.description, questions: t.questions, retired: t.retired }
    }
}

/// A topic's new name and description.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AuthoredTopicEdit)]
pub struct TopicEditJson {
    /// At most 100 characters.
    pub name: String,
    /// At most 500 characters.
    #[serde(default)]
    pub description: String,
}

/// Every topic and question.
#[derive(Serialize, ToSchema)]
#[schema(as = AuthoringList)]
pub struct AuthoringListJson {
    pub topics: Vec<TopicJson>,
    pub questions: Vec<AuthoredJson>,
}

/// A sample answer with the band its author expects and the grader's verdict now.
#[derive(Serialize, ToSchema)]
#[schema(as = SampleAnswer)]
pub struct SampleJson {
    pub id: String,
    pub answer: String,
    #[schema(value_type = BandSchema)]
    pub expected_band: Band,
    pub grade: GradeJson,
    /// The grader gives the expected band.
    pub agrees: bool,
}

/// Learners' disputes of the grader on one concept, everyone's.
#[derive(Serialize, ToSchema)]
#[schema(as = ConceptClaimCount)]
pub struct ClaimCountJson {
    pub concept: String,
    /// "I covered this" claims.
    pub covered_claims: i64,
    /// "I got this wrong" claims.
    pub wrong_claims: i64,
}

/// One question with its sample answers and the learners' claims.
#[derive(Serialize, ToSchema)]
#[schema(as = AuthoredQuestionDetail)]
pub struct DetailJson {
    pub question: AuthoredJson,
    pub samples: Vec<SampleJson>,
    pub claim_counts: Vec<ClaimCountJson>,
    /// Keyword alternatives that give credit too easily.
    pub keyword_warnings: Vec<KeywordWarningJson>,
}

/// A keyword alternative that gives credit too easily (it only repeats the question's
/// words, or it is one everyday word), or a concept the model answer itself does not
/// cover as the grader reads it (then `alternative` is the concept's label). Advice: the
/// question works either way.
#[derive(Serialize, ToSchema)]
#[schema(as = KeywordWarning)]
pub struct KeywordWarningJson {
    /// The concept's label.
    pub concept: String,
    pub alternative: String,
    pub message: String,
}

impl From<&crate::grading::KeywordWarning> for KeywordWarningJson {
    fn from(w: &crate::grading::KeywordWarning) -> Self {
        KeywordWarningJson {
            concept: w.concept.clone(),
            alternative: w.alternative.clone(),
            message: w.message.clone(),
        }
    }
}

/// The grade of a sample against an unsaved question, and the checks of its keywords.
#[derive(Serialize, ToSchema)]
#[schema(as = AuthoringPreview)]
pub struct PreviewJson {
    #[serde(flatten)]
    pub grade: GradeJson,
    pub keyword_warnings: Vec<KeywordWarningJson>,
}

/// A question (possibly unsaved) and a sample answer to grade against it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewBody {
    pub question: QuestionBody,
    pub sample: String,
}

/// A sample answer to keep beside a question.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleBody {
    pub answer: String,
    /// `strong`, `partial`, `weak` or `off-topic`.
    #[schema(value_type = BandSchema)]
    pub expected_band: String,
}

fn detail_json(d: &practice::AuthoredDetail) -> DetailJson {
    DetailJson {
        question: AuthoredJson::from(&d.question),
        samples: d
            .samples
            .iter()
            .map(|s| SampleJson {
                id: s.id.clone(),
                answer: s.answer.clone(),
                expected_band: s.expected,
                grade: GradeJson::from(&s.grade),
                agrees: s.agrees(),
            })
            .collect(),
        claim_counts: d
            .claim_counts
            .iter()
            .map(|c| ClaimCountJson {
                concept: c.concept.clone(),
                covered_claims: c.covered_claims,
                wrong_claims: c.wrong_claims,
            })
            .collect(),
        keyword_warnings: d.keyword_warnings.iter().map(KeywordWarningJson::from).collect(),
    }
}

/// Every topic and question, retired ones too (admins only).
#[utoipa::path(
    get,
    path = "/api/v1/admin/questions",
    operation_id = "admin_questions",
    tag = "admin",
    security(("session" = [])),
    responses(
        (status = 200, description = "Every topic and question", body = AuthoringListJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
    )
)]
pub async fn list(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let o = state.practice.authoring_overview(&user).await?;
    Ok(HttpResponse::Ok().json(AuthoringListJson {
        topics: o.topics.into_iter().map(TopicJson::from).collect(),
        questions: o.questions.iter().map(AuthoredJson::from).collect(),
    }))
}

/// Creates a question; new interviews can ask it at once (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/questions",
    operation_id = "admin_create_question",
    tag = "admin",
    security(("session" = [])),
    request_body = QuestionBody,
    responses(
        (status = 201, description = "The question as stored", body = AuthoredJson),
        (status = 400, description = "Malformed JSON or an unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "The id is taken", body = ErrorBody),
        (status = 422, description = "A field breaks the question files' rules (the message names it)", body = ErrorBody),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<QuestionBody>,
) -> Result<HttpResponse, ApiError> {
    let q = state.practice.save_question(&user, &body.into_inner().input(None), true).await?;
    Ok(HttpResponse::Created().json(AuthoredJson::from(&q)))
}

/// One question with its sample answers (and the grader's verdict on each) and the
/// learners' claims per concept (admins only).
#[utoipa::path(
    get,
    path = "/api/v1/admin/questions/{id}",
    operation_id = "admin_question",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "Question id")),
    responses(
        (status = 200, description = "The question", body = DetailJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such question", body = ErrorBody),
    )
)]
pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let d = state.practice.authored_question(&user, &path).await?;
    Ok(HttpResponse::Ok().json(detail_json(&d)))
}

/// Edits a question: a change of content is a new version, asked from the next
/// interview on; attempts keep the version they answered (admins only).
#[utoipa::path(
    put,
    path = "/api/v1/admin/questions/{id}",
    operation_id = "admin_edit_question",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "Question id")),
    request_body = QuestionBody,
    responses(
        (status = 200, description = "The question as stored", body = AuthoredJson),
        (status = 400, description = "Malformed JSON or an unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such question", body = ErrorBody),
        (status = 422, description = "A field breaks the question files' rules (the message names it)", body = ErrorBody),
    )
)]
pub async fn edit(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<QuestionBody>,
) -> Result<HttpResponse, ApiError> {
    let q = state.practice.save_question(&user, &body.into_inner().input(Some(path.into_inner())), false).await?;
    Ok(HttpResponse::Ok().json(AuthoredJson::from(&q)))
}

/// Retires a question: no longer asked; attempts at it stay readable (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/questions/{id}/retire",
    operation_id = "admin_retire_question",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "Question id")),
    responses(
        (status = 200, description = "The question as stored", body = AuthoredJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such question", body = ErrorBody),
    )
)]
pub async fn retire(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let q = state.practice.set_question_retired(&user, &path, true).await?;
    Ok(HttpResponse::Ok().json(AuthoredJson::from(&q)))
}

/// Restores a retired question (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/questions/{id}/restore",
    operation_id = "admin_restore_question",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "Question id")),
    responses(
        (status = 200, description = "The question as stored", body = AuthoredJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such question", body = ErrorBody),
    )
)]
pub async fn restore(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let q = state.practice.set_question_retired(&user, &path, false).await?;
    Ok(HttpResponse::Ok().json(AuthoredJson::from(&q)))
}

/// Grades a sample answer against a question as given, saving nothing: to try keywords
/// before saving them (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/questions/preview",
    operation_id = "admin_preview_question",
    tag = "admin",
    security(("session" = [])),
    request_body = PreviewBody,
    responses(
        (status = 200, description = "The grade and the keyword checks", body = PreviewJson),
        (status = 400, description = "Malformed JSON or an unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "The question or the sample breaks a rule (the message names the field)", body = ErrorBody),
    )
)]
pub async fn preview(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<PreviewBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = body.question.input(None);
    let grade = state.practice.preview_grade(&user, &input, &body.sample).await?;
    let warnings = state.practice.check_keywords(&user, &input).await?;
    Ok(HttpResponse::Ok().json(PreviewJson {
        grade: GradeJson::from(&grade),
        keyword_warnings: warnings.iter().map(KeywordWarningJson::from).collect(),
    }))
}

/// Keeps a sample answer beside a question with the band its author expects; the
/// question's page shows the grader's verdict on it (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/questions/{id}/samples",
    operation_id = "admin_add_sample",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "Question id")),
    request_body = SampleBody,
    responses(
        (status = 201, description = "The question with its samples", body = DetailJson),
        (status = 400, description = "Malformed JSON or an unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such question", body = ErrorBody),
        (status = 422, description = "Empty answer or unknown band", body = ErrorBody),
    )
)]
pub async fn add_sample(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<SampleBody>,
) -> Result<HttpResponse, ApiError> {
    state.practice.add_sample(&user, &path, &body.answer, &body.expected_band).await?;
    let d = state.practice.authored_question(&user, &path).await?;
    Ok(HttpResponse::Created().json(detail_json(&d)))
}

/// Deletes a sample answer (admins only).
#[utoipa::path(
    delete,
    path = "/api/v1/admin/questions/{id}/samples/{sample_id}",
    operation_id = "admin_delete_sample",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "Question id"), ("sample_id" = String, Path, description = "Sample id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such question or sample", body = ErrorBody),
    )
)]
pub async fn delete_sample(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, sample) = path.into_inner();
    state.practice.delete_sample(&user, &id, &sample).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Creates a topic (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/topics",
    operation_id = "admin_create_topic",
    tag = "admin",
    security(("session" = [])),
    request_body = TopicJson,
    responses(
        (status = 201, description = "The topic", body = TopicJson),
        (status = 400, description = "Malformed JSON or an unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "The id is taken", body = ErrorBody),
        (status = 422, description = "Invalid id or empty name", body = ErrorBody),
    )
)]
pub async fn create_topic(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<TopicJson>,
) -> Result<HttpResponse, ApiError> {
    state.practice.create_topic(&user, &body.id, &body.name, &body.description).await?;
    let body = body.into_inner();
    Ok(HttpResponse::Created().json(TopicJson {
        id: body.id.trim().into(),
        name: body.name.trim().into(),
        description: body.description.trim().into(),
        questions: 0,
        retired: false,
    }))
}

/// Renames a topic or changes its description; kept over the question files at start-up
/// until the file's topic header changes (admins only).
#[utoipa::path(
    put,
    path = "/api/v1/admin/topics/{id}",
    operation_id = "admin_edit_topic",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "Topic id")),
    request_body = TopicEditJson,
    responses(
        (status = 200, description = "The topic as stored", body = TopicJson),
        (status = 400, description = "Malformed JSON or an unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such topic", body = ErrorBody),
        (status = 422, description = "Empty or too long name, or too long description", body = ErrorBody),
    )
)]
pub async fn edit_topic(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<TopicEditJson>,
) -> Result<HttpResponse, ApiError> {
    let t = state.practice.update_topic(&user, &path, &body.name, &body.description).await?;
    Ok(HttpResponse::Ok().json(TopicJson::from(t)))
}

/// Retires a topic and its active questions: none of them is asked any more; attempts
/// stay readable (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/topics/{id}/retire",
    operation_id = "admin_retire_topic",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "Topic id")),
    responses(
        (status = 200, description = "The topic as stored", body = TopicJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such topic", body = ErrorBody),
    )
)]
pub async fn retire_topic(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let t = state.practice.set_topic_retired(&user, &path, true).await?;
    Ok(HttpResponse::Ok().json(TopicJson::from(t)))
}

/// Restores a retired topic with the questions that were retired with it (a question
/// retired on its own before stays retired) (admins only).
#[utoipa::path(
    post,
    path = "/api/v1/admin/topics/{id}/restore",
    operation_id = "admin_restore_topic",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "Topic id")),
    responses(
        (status = 200, description = "The topic as stored", body = TopicJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such topic", body = ErrorBody),
    )
)]
pub async fn restore_topic(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let t = state.practice.set_topic_retired(&user, &path, false).await?;
    Ok(HttpResponse::Ok().json(TopicJson::from(t)))
}
