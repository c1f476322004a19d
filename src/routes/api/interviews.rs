use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::body::OptionalJson;
use super::claims::ConceptJson;
use super::schema::{AttemptKindSchema, BandSchema, ClaimSchema, ConceptStatusSchema, ErrorBody, ModeSchema};
use super::QuestionJson;
use crate::domain::AttemptKind;
use crate::domain::{Attempt, ClaimRecord, FollowUpReply, InterviewOverview, Topic};
use crate::grading::delivery::{Delivery, WordCount};
use crate::grading::{Band, ConceptResult, ConceptStatus, Grade, Span};
use crate::learning::claims::Claim;
use crate::practice::{self, AnswerRequest, Assessed, InterviewRequest, Mode};
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;

/// A topic of the question bank.
#[derive(Serialize, ToSchema)]
#[schema(as = Topic)]
pub struct TopicJson {
    /// The topic id (the question file's name).
    pub id: String,
    pub name: String,
    pub description: String,
    /// Active (not retired) questions in the topic.
    pub questions: i64,
    /// Study notes were imported for it (`GET /api/v1/topics/{id}/notes`).
    pub has_notes: bool,
}

impl From<&Topic> for TopicJson {
    fn from(t: &Topic) -> Self {
        TopicJson {
            id: t.id.clone(),
            name: t.name.clone(),
            description: t.description.clone(),
            questions: t.questions,
            has_notes: t.has_notes,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = Topics)]
pub struct TopicsJson {
    /// Topics that have active questions, by name.
    pub topics: Vec<TopicJson>,
}

/// The topics of the question bank.
#[utoipa::path(
    get,
    path = "/api/v1/topics",
    operation_id = "list_topics",
    tag = "interviews",
    responses(
        (status = 200, description = "Topics with their question counts", body = TopicsJson),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn topics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let topics = state.practice.topics().await?;
    Ok(HttpResponse::Ok().json(TopicsJson { topics: topics.iter().map(TopicJson::from).collect() }))
}

/// What to practise. Every field is optional, and so is the body itself: no body at
/// all starts a mock interview of 5 questions over every topic.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInterview {
    /// Topic ids or names; empty or absent means every topic.
    #[serde(default)]
    topics: Vec<String>,
    /// Number of questions, 1-20 (default 5).
    #[schema(minimum = 1, maximum = 20)]
    count: Option<usize>,
    /// `mock` (default) or `drill`.
    #[schema(value_type = Option<ModeSchema>)]
    mode: Option<String>,
    /// Seconds per question (timed mock interview), 10-1800.
    #[schema(minimum = 10, maximum = 1800)]
    timer_seconds: Option<i64>,
    /// The id of one question to practise: the interview asks it alone. Not with
    /// `topics`; `count`, if given, must be 1.
    question: Option<String>,
}

/// A freshly started interview and its first question.
#[derive(Serialize, ToSchema)]
#[schema(as = NewInterviewCreated)]
pub struct CreatedJson {
    pub id: String,
    #[schema(value_type = ModeSchema)]
    pub mode: Mode,
    /// Number of questions.
    pub count: i64,
    /// Number of questions asked for (`count` of the request, else the default 5).
    pub requested: i64,
    /// Why `count` is below `requested` (the chosen topics hold fewer questions), to
    /// show the learner; null when the interview has every question asked for.
    pub notice: Option<String>,
    /// Seconds per question, null when untimed.
    pub timer_seconds: Option<i64>,
    pub question: QuestionJson,
}

/// Starts a mock interview, a drill or a timed interview.
#[utoipa::path(
    post,
    path = "/api/v1/interviews",
    operation_id = "start_interview",
    tag = "interviews",
    security(("session" = [])),
    request_body(content = Option<NewInterview>, description = "Optional: no body at all starts a default interview; a body that is sent must be valid"),
    responses(
        (status = 201, description = "Interview started", body = CreatedJson),
        (status = 400, description = "Malformed JSON, a field of the wrong type or an unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "`question` names no active question of the bank", body = ErrorBody),
        (status = 422, description = "Unknown topic or mode, length outside 1-20, timer outside 10-1800 seconds, `question` with `topics` or a `count` other than 1", body = ErrorBody),
        (status = 429, description = "Too many new interviews; retry after the seconds in `Retry-After`", body = ErrorBody),
        (status = 503, description = "No questions loaded", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: OptionalJson<NewInterview>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0.unwrap_or_default();
    let mode = Mode::parse(body.mode.as_deref().unwrap_or("")).map_err(practice::Error::from)?;
    // One chosen question makes an interview of one.
    let requested = if body.question.is_some() { 1 } else { body.count.unwrap_or(practice::DEFAULT_COUNT) };
    let request = InterviewRequest {
        topics: body.topics,
        count: body.count,
        mode,
        timer_seconds: body.timer_seconds,
        question: body.question,
    };
    let (interview, first) = practice::start_interview(&state.practice, &user, request).await?;
    let has = usize::try_from(interview.question_count).unwrap_or(0);
    Ok(HttpResponse::Created().json(CreatedJson {
        id: interview.id,
        mode: interview.mode,
        count: interview.question_count,
        requested: requested as i64,
        notice: practice::shortened_notice(requested, has),
        timer_seconds: interview.timer_seconds,
        question: QuestionJson::from(first.as_ref()),
    }))
}

/// An interview: progress, the question waiting for an answer, and the attempts so far.
#[derive(Serialize, ToSchema)]
#[schema(as = Interview)]
pub struct InterviewJson {
    pub id: String,
    #[schema(value_type = ModeSchema)]
    pub mode: Mode,
    /// Number of questions.
    pub count: i64,
    /// Questions answered so far.
    pub answered: i64,
    pub finished: bool,
    /// The question waiting for an answer; null when the interview is over.
    pub question: Option<QuestionJson>,
    /// Every attempt in the interview (retries too), oldest first.
    pub attempts: Vec<AttemptJson>,
}

/// One of your interviews.
#[utoipa::path(
    get,
    path = "/api/v1/interviews/{id}",
    operation_id = "get_interview",
    tag = "interviews",
    security(("session" = [])),
    params(("id" = String, Path, description = "Interview id")),
    responses(
        (status = 200, description = "The interview", body = InterviewJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such interview of yours", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    interview_json(&state, &user, &path).await
}

/// Ends the interview before its last question; the questions not asked yet stay
/// unasked. A pending follow-up can still be replied to.
#[utoipa::path(
    post,
    path = "/api/v1/interviews/{id}/finish",
    operation_id = "finish_interview",
    tag = "interviews",
    security(("session" = [])),
    params(("id" = String, Path, description = "Interview id")),
    responses(
        (status = 200, description = "The interview, finished", body = InterviewJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such interview of yours", body = ErrorBody),
        (status = 409, description = "The interview is finished already", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn finish(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    practice::finish_interview(&state.practice, &user, &path).await?;
    interview_json(&state, &user, &path).await
}

async fn interview_json(state: &AppState, user: &CurrentUser, id: &str) -> Result<HttpResponse, ApiError> {
    let view = practice::interview_view(&state.practice, user, id).await?;
    let attempts = view.attempts.iter().map(|a| AttemptJson::new(a, &view.claims)).collect();
    Ok(HttpResponse::Ok().json(InterviewJson {
        id: view.plan.interview.id.clone(),
        mode: view.plan.interview.mode,
        count: view.plan.interview.question_count,
        answered: view.plan.interview.position,
        finished: view.plan.interview.finished_at.is_some(),
        question: view.plan.current().map(|q| QuestionJson::from(q.as_ref())),
        attempts,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// The question answered: the interview's current one (or, with `retry`, the one
    /// just answered).
    question_id: String,
    /// The answer, 1-10,000 characters; required unless `skip` is true.
    #[serde(default)]
    answer: Option<String>,
    /// Milliseconds the candidate took, as measured by the client: 0 to 86,400,000 (a
    /// day); other values are refused with 422.
    #[schema(minimum = 0, maximum = 86_400_000)]
    time_taken_ms: Option<i64>,
    /// Answer the question just answered again (after seeing the feedback).
    #[serde(default)]
    retry: bool,
    /// The answer was dictated (speech recognition) rather than typed; stored with it.
    #[serde(default)]
    spoken: bool,
    /// Skip the question instead of answering it ("I don't know"): stored as a skipped
    /// attempt scored 0 (the question comes back soon; no concept counts as missed),
    /// with the model answer in the reply and no follow-up. Not with `retry`.
    #[serde(default)]
    skip: bool,
}

/// Byte offsets into the answer, always on character boundaries.
#[derive(Serialize, ToSchema)]
#[schema(as = Span)]
pub struct SpanJson {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// A looser match of the concept (one of its words left out): it counts, but its
    /// words may belong to another point, so it is best not quoted as what the learner
    /// said for the concept.
    pub loose: bool,
}

impl From<&Span> for SpanJson {
    fn from(s: &Span) -> Self {
        SpanJson { start: s.start, end: s.end, loose: s.loose }
    }
}

/// How one concept fared in an answer, as the grader saw it.
#[derive(Serialize, ToSchema)]
#[schema(as = GradedConcept)]
pub struct GradedConceptJson {
    /// The concept's label.
    pub label: String,
    #[schema(value_type = ConceptStatusSchema)]
    pub status: ConceptStatus,
    /// Where in the answer the concept was found (empty when missed).
    pub spans: Vec<SpanJson>,
    /// What to say next time (for missed and contradicted concepts; empty otherwise).
    pub hint: String,
    /// Relative weight of the concept in the coverage part of the score.
    pub weight: f64,
}

impl From<&ConceptResult> for GradedConceptJson {
    fn from(c: &ConceptResult) -> Self {
        GradedConceptJson {
            label: c.label.clone(),
            status: c.status,
            spans: c.spans.iter().map(SpanJson::from).collect(),
            hint: c.hint.clone(),
            weight: c.weight,
        }
    }
}

/// The graded result of one answer (also what `POST /grade` returns).
#[derive(Serialize, ToSchema)]
#[schema(as = Grade)]
pub struct GradeJson {
    /// 0..1.
    pub score: f64,
    #[schema(value_type = BandSchema)]
    pub band: Band,
    /// Labels of the concepts covered.
    pub covered: Vec<String>,
    /// Labels of the concepts missed.
    pub missed: Vec<String>,
    /// Labels of the concepts got wrong.
    pub contradicted: Vec<String>,
    /// What to say next time, in sentences.
    pub feedback: String,
    /// The grader could not tell whether the answer holds: it explains through a
    /// comparison or analogy, or at length in the learner's own words, and names few of
    /// the subject's terms, so it scores low whether sound or not. An unsure answer is
    /// kept and shown but counts for neither mastery, the schedule nor weak concepts.
    pub unsure: bool,
    /// Every suspected error, each as a check to make (a term said of the wrong thing,
    /// steps the wrong way round, a misconception the author anticipated with its
    /// correction); `feedback` shows the first.
    pub checks: Vec<String>,
    pub concepts: Vec<GradedConceptJson>,
}

impl From<&Grade> for GradeJson {
    fn from(g: &Grade) -> Self {
        GradeJson {
            score: g.score,
            band: g.band,
            covered: g.covered(),
            missed: g.missed(),
            contradicted: g.contradicted(),
            feedback: g.feedback.clone(),
            unsure: g.unsure(),
            checks: g.components.conflicts.clone(),
            concepts: g.concepts.iter().map(GradedConceptJson::from).collect(),
        }
    }
}

/// A concept of a fresh answer: the grader's result, the learner's claim (none yet) and
/// the status the learning loop counts (the grader's, until a claim).
#[derive(Serialize, ToSchema)]
#[schema(as = AnsweredConcept)]
pub struct AnsweredConceptJson {
    pub label: String,
    #[schema(value_type = ConceptStatusSchema)]
    pub status: ConceptStatus,
    /// Where in the answer the concept was found (empty when missed).
    pub spans: Vec<SpanJson>,
    /// What to say next time (for missed and contradicted concepts; empty otherwise).
    pub hint: String,
    /// Relative weight of the concept in the coverage part of the score.
    pub weight: f64,
    /// Always null on a fresh answer (set later with `PUT /attempts/{attempt_id}/claims`).
    #[schema(value_type = Option<ClaimSchema>)]
    pub claim: Option<Claim>,
    /// The status the learning loop counts.
    #[schema(value_type = ConceptStatusSchema)]
    pub self_assessed: ConceptStatus,
}

impl From<&ConceptResult> for AnsweredConceptJson {
    fn from(c: &ConceptResult) -> Self {
        let GradedConceptJson { label, status, spans, hint, weight } = GradedConceptJson::from(c);
        AnsweredConceptJson { label, status, spans, hint, weight, claim: None, self_assessed: c.status }
    }
}

/// What the interviewer asks next about a missed or contradicted concept.
#[derive(Serialize, ToSchema)]
#[schema(as = FollowUp)]
pub struct FollowUpJson {
    pub concept: String,
    pub prompt: String,
}

/// The graded answer and what comes next.
#[derive(Serialize, ToSchema)]
#[schema(as = AnswerResult)]
pub struct AnswerJson {
    /// 0..1.
    pub score: f64,
    #[schema(value_type = BandSchema)]
    pub band: Band,
    pub covered: Vec<String>,
    pub missed: Vec<String>,
    pub contradicted: Vec<String>,
    pub feedback: String,
    /// The grader could not tell whether the answer holds: it explains through a
    /// comparison or analogy, or at length in the learner's own words, and names few of
    /// the subject's terms, so it scores low whether sound or not. An unsure answer is
    /// kept and shown but counts for neither mastery, the schedule nor weak concepts.
    pub unsure: bool,
    /// Every suspected error, each as a check to make; `feedback` shows the first.
    pub checks: Vec<String>,
    /// Each graded concept, with `claim` (null: a new answer has none) and `self_assessed`.
    pub concepts: Vec<AnsweredConceptJson>,
    /// Equal to `score` until a claim is made.
    pub self_assessed_score: f64,
    pub attempt_id: String,
    pub question_id: String,
    /// The model answer.
    pub reference: String,
    /// The next question; null when the interview is over.
    pub next: Option<QuestionJson>,
    pub finished: bool,
    /// Whether this answer was a retry.
    pub retry: bool,
    /// The follow-up the interviewer asks, if any.
    pub follow_up: Option<FollowUpJson>,
    /// How the answer was delivered: words, pace, filler words, most-used words.
    pub delivery: DeliveryJson,
}

/// How an answer was delivered, beside what it said.
#[derive(Serialize, ToSchema)]
#[schema(as = Delivery)]
pub struct DeliveryJson {
    /// Words in the answer.
    pub words: usize,
    /// Words per minute over `time_taken_ms`; null when the time is unknown or under 10 s,
    /// or the pace above 300 a minute (a pasted answer).
    pub words_per_minute: Option<u32>,
    /// Filler words and phrases ("um", "you know", "basically", a comma-bounded "like")
    /// with their counts, most frequent first.
    pub fillers: Vec<WordCountJson>,
    /// All filler words together.
    pub filler_total: usize,
    /// Content words used at least twice, most used first (at most five); never the
    /// question's own words (of its prompt, concept labels and model answer), which an
    /// answer has to repeat.
    pub most_used: Vec<WordCountJson>,
    /// Distinct content words of the model answer ...
    pub key_terms: usize,
    /// ... and how many of them the answer used.
    pub key_terms_used: usize,
}

/// A word or phrase and how often it was used.
#[derive(Serialize, ToSchema)]
#[schema(as = WordCount)]
pub struct WordCountJson {
    pub word: String,
    pub count: usize,
}

impl From<&Delivery> for DeliveryJson {
    fn from(d: &Delivery) -> Self {
        let counts =
            |list: &[WordCount]| list.iter().map(|w| WordCountJson { word: w.word.clone(), count: w.count }).collect();
        DeliveryJson {
            words: d.words,
            words_per_minute: d.words_per_minute,
            fillers: counts(&d.fillers),
            filler_total: d.filler_total,
            most_used: counts(&d.most_used),
            key_terms: d.key_terms,
            key_terms_used: d.key_terms_used,
        }
    }
}

/// Answers the interview's current question (or, with `retry`, the one just answered).
#[utoipa::path(
    post,
    path = "/api/v1/interviews/{id}/answers",
    operation_id = "answer_question",
    tag = "interviews",
    security(("session" = [])),
    params(("id" = String, Path, description = "Interview id")),
    request_body = AnswerBody,
    responses(
        (status = 200, description = "The answer, graded and stored", body = AnswerJson),
        (status = 400, description = "Malformed JSON or a missing, mistyped or unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such interview of yours, or no such question", body = ErrorBody),
        (status = 409, description = "The interview is finished, the question was already answered, or (retry) it is not the question just answered", body = ErrorBody),
        (status = 422, description = "Empty or oversized answer, or a skipped retry", body = ErrorBody),
        (status = 429, description = "Too many answers; retry after the seconds in `Retry-After`", body = ErrorBody),
        (status = 500, description = "Unexpected failure (nothing was stored)", body = ErrorBody),
    )
)]
pub async fn answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<AnswerBody>,
) -> Result<HttpResponse, ApiError> {
    let answer = match (&body.answer, body.skip) {
        (Some(answer), _) => answer.as_str(),
        (None, true) => "",
        (None, false) => {
            return Err(ApiError::BadRequest("missing field `answer` (leave it out only with `skip`).".into()))
        }
    };
    let request = AnswerRequest {
        question_id: &body.question_id,
        answer,
        time_taken_ms: body.time_taken_ms,
        retry: body.retry,
        spoken: body.spoken,
        skip: body.skip,
    };
    let outcome = practice::submit_answer(&state.practice, &user, &path, request).await?;
    let grade = GradeJson::from(&outcome.grade);
    Ok(HttpResponse::Ok().json(AnswerJson {
        score: grade.score,
        band: grade.band,
        covered: grade.covered,
        missed: grade.missed,
        contradicted: grade.contradicted,
        feedback: grade.feedback,
        unsure: grade.unsure,
        checks: grade.checks,
        // A new answer has no claims yet; the fields are there so clients read one shape.
        concepts: outcome.grade.concepts.iter().map(AnsweredConceptJson::from).collect(),
        self_assessed_score: outcome.grade.score,
        attempt_id: outcome.attempt_id,
        question_id: outcome.question.id.clone(),
        reference: outcome.question.answer.clone(),
        next: outcome.next.as_deref().map(QuestionJson::from),
        finished: outcome.next.is_none(),
        retry: outcome.retry,
        follow_up: outcome.follow_up.map(|f| FollowUpJson { concept: f.concept, prompt: f.prompt }),
        delivery: DeliveryJson::from(&outcome.delivery),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpBody {
    /// The answer whose follow-up this replies to.
    attempt_id: String,
    /// The reply, 1-10,000 characters.
    answer: String,
}

/// The reply to a follow-up, graded on the one concept it probes.
#[derive(Serialize, ToSchema)]
#[schema(as = FollowUpResult)]
pub struct FollowUpResultJson {
    pub concept: String,
    pub prompt: String,
    #[schema(value_type = ConceptStatusSchema)]
    pub status: ConceptStatus,
    /// `status` is `covered`.
    pub covered: bool,
    /// False when the grader does not judge the reply: the follow-up named the concept
    /// itself (naming it back says nothing of whether the reply holds), or it asked to
    /// fill a gap in the model answer and the reply does not use the concept's words (a
    /// right fill in other words is common there). `status` then reads `missed`, and
    /// `feedback` gives the model answer's sentence to compare with.
    pub judged: bool,
    /// Where in the reply the concept was found.
    pub spans: Vec<SpanJson>,
    pub feedback: String,
}

/// Replies to the follow-up asked after an answer.
#[utoipa::path(
    post,
    path = "/api/v1/interviews/{id}/follow-ups",
    operation_id = "answer_follow_up",
    tag = "interviews",
    security(("session" = [])),
    params(("id" = String, Path, description = "Interview id")),
    request_body = FollowUpBody,
    responses(
        (status = 200, description = "The reply, graded and stored", body = FollowUpResultJson),
        (status = 400, description = "Malformed JSON or a missing, mistyped or unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such answer in this interview of yours", body = ErrorBody),
        (status = 409, description = "The follow-up was already answered, the answer needs no follow-up, or the question was edited and no longer asks about the concept", body = ErrorBody),
        (status = 422, description = "Empty or oversized reply", body = ErrorBody),
        (status = 429, description = "Too many answers; retry after the seconds in `Retry-After`", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn follow_up(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<FollowUpBody>,
) -> Result<HttpResponse, ApiError> {
    let outcome = practice::answer_follow_up(&state.practice, &user, &path, &body.attempt_id, &body.answer).await?;
    Ok(HttpResponse::Ok().json(FollowUpResultJson {
        concept: outcome.follow_up.concept,
        prompt: outcome.follow_up.prompt,
        status: outcome.result.status,
        covered: outcome.result.status == ConceptStatus::Covered,
        judged: outcome.judged,
        spans: outcome.result.spans.iter().map(SpanJson::from).collect(),
        feedback: outcome.feedback,
    }))
}

/// An interview in the history list.
#[derive(Serialize, ToSchema)]
#[schema(as = InterviewSummary)]
pub struct InterviewSummaryJson {
    pub id: String,
    #[schema(value_type = ModeSchema)]
    pub mode: Mode,
    pub count: i64,
    /// Questions answered (a skipped question is not).
    pub answered: i64,
    /// Mean grader score of its answers, unsure grades and skipped questions left out (as in
    /// the interview's own summary); null before the first
    /// counted one.
    pub mean_score: Option<f64>,
    /// Unix milliseconds (UTC).
    pub created_at: i64,
    pub finished: bool,
    /// The topic ids asked for (empty: every topic), as stored.
    /// Topic ids the interview draws from; empty for all topics.
    pub topics: Vec<String>,
}

impl From<&InterviewOverview> for InterviewSummaryJson {
    fn from(i: &InterviewOverview) -> Self {
        InterviewSummaryJson {
            id: i.id.clone(),
            mode: i.mode,
            count: i.question_count,
            answered: i.answered,
            mean_score: i.mean_score,
            created_at: i.created_at,
            finished: i.finished_at.is_some(),
            topics: i.topics.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = History)]
pub struct HistoryJson {
    /// Your latest 500 attempts, newest first.
    pub attempts: Vec<AttemptJson>,
    /// Your latest 200 interviews, newest first.
    pub interviews: Vec<InterviewSummaryJson>,
    /// Your replies to the follow-ups asked after those attempts, oldest first.
    pub follow_ups: Vec<FollowUpReplyJson>,
}

/// A stored reply to a follow-up, graded on the one concept it probes.
#[derive(Serialize, ToSchema)]
#[schema(as = FollowUpReply)]
pub struct FollowUpReplyJson {
    /// The attempt whose follow-up this replies to.
    pub attempt_id: String,
    pub concept: String,
    pub prompt: String,
    pub reply: String,
    #[schema(value_type = ConceptStatusSchema)]
    pub status: ConceptStatus,
    /// Unix milliseconds (UTC).
    pub created_at: i64,
}

impl From<&FollowUpReply> for FollowUpReplyJson {
    fn from(f: &FollowUpReply) -> Self {
        FollowUpReplyJson {
            attempt_id: f.attempt_id.clone(),
            concept: f.concept.clone(),
            prompt: f.prompt.clone(),
            reply: f.answer.clone(),
            status: f.status,
            created_at: f.created_at,
        }
    }
}

/// Every interview and answer of yours.
#[utoipa::path(
    get,
    path = "/api/v1/me/history",
    operation_id = "my_history",
    tag = "interviews",
    security(("session" = [])),
    responses(
        (status = 200, description = "Your attempts and interviews", body = HistoryJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn history(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let history = state.practice.history(&user, 200, 500).await?;
    let claims = state.practice.claims(&user).await?;
    Ok(HttpResponse::Ok().json(HistoryJson {
        attempts: history.attempts.iter().map(|a| AttemptJson::new(a, &claims)).collect(),
        interviews: history.interviews.iter().map(InterviewSummaryJson::from).collect(),
        follow_ups: history.follow_ups.iter().map(FollowUpReplyJson::from).collect(),
    }))
}

/// A stored attempt as the API shows it, with the learner's claims.
#[derive(Serialize, ToSchema)]
#[schema(as = Attempt)]
pub struct AttemptJson {
    pub id: String,
    /// Null for attempts made outside an interview.
    pub interview_id: Option<String>,
    pub question_id: String,
    pub prompt: String,
    /// The topic's display name.
    pub topic: String,
    pub answer: String,
    /// The grader's score, 0..1.
    pub score: f64,
    #[schema(value_type = BandSchema)]
    pub band: Band,
    pub covered: Vec<String>,
    pub missed: Vec<String>,
    pub contradicted: Vec<String>,
    pub feedback: String,
    /// Milliseconds the candidate took, if the client said.
    pub time_taken_ms: Option<i64>,
    /// The answer was dictated rather than typed.
    pub spoken: bool,
    /// The grader could not tell whether the answer holds: it explains through a
    /// comparison or analogy, or at length in the learner's own words, and names few of
    /// the subject's terms, so it scores low whether sound or not. An unsure answer is
    /// kept and shown but counts for neither mastery, the schedule nor weak concepts.
    pub unsure: bool,
    /// Unix milliseconds (UTC).
    pub created_at: i64,
    #[schema(value_type = AttemptKindSchema)]
    pub kind: AttemptKind,
    /// The score with the learner's claims counted, 0..1.
    pub self_assessed_score: f64,
    /// Each graded concept with its claim.
    pub concepts: Vec<ConceptJson>,
    /// The version of the question answered; `prompt` and `reference` are that version's.
    pub question_version: i64,
    /// The model answer of the version answered.
    pub reference: String,
}

impl AttemptJson {
    /// With the learner's claims among `claims` (claims on other attempts are ignored).
    pub fn new(a: &Attempt, claims: &[ClaimRecord]) -> Self {
        AttemptJson::assessed(a, &Assessed::of(a, claims))
    }

    pub fn assessed(a: &Attempt, assessed: &Assessed) -> Self {
        let grade = &a.grade;
        AttemptJson {
            id: a.id.clone(),
            interview_id: a.interview_id.clone(),
            question_id: a.question_id.clone(),
            prompt: a.prompt.clone(),
            topic: a.topic_name.clone(),
            answer: a.answer.clone(),
            score: a.score,
            band: a.band,
            covered: grade.labels(ConceptStatus::Covered),
            missed: grade.labels(ConceptStatus::Missed),
            contradicted: grade.labels(ConceptStatus::Contradicted),
            feedback: a.feedback.clone(),
            time_taken_ms: a.time_taken_ms,
            spoken: a.spoken,
            unsure: a.unsure,
            created_at: a.created_at,
            kind: a.kind,
            self_assessed_score: assessed.self_assessed_score,
            concepts: ConceptJson::all(assessed),
            question_version: a.question_version,
            reference: a.reference.clone(),
        }
    }
}
