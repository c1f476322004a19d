//! Stateless grading of one answer against a reference given by the caller: nothing is
//! stored. It needs a login, counts against the user's grading limit and runs one at a
//! time, because the caller chooses how much work it is.
use super::{Error, Limited, Practice};
use crate::domain::{AnswerText, User};
use crate::grading::{Concept, Grade, PreparedQuestion};
use crate::metrics::GradingKind;

/// What to grade: a reference answer, optional concepts (`"a | b"` with an optional
/// hint) and the answer.
#[derive(Debug, Clone, Default)]
pub struct GradeRequest {
    pub question: String,
    pub reference: String,
    pub keywords: Vec<(String, Option<String>)>,
    pub answer: String,
}

/// Bounds on what a stateless grading request may ask for, so that one request costs at
/// most a few milliseconds of CPU: a model answer runs to a few sentences and a question
/// to a handful of concepts (the bundled bank's longest reference is under 1,000
/// characters, its largest keyword list 7 entries).
pub const MAX_REFERENCE_CHARS: usize = 5_000;
pub const MAX_QUESTION_CHARS: usize = 1_000;
pub const MAX_KEYWORDS: usize = 30;
pub const MAX_KEYWORD_CHARS: usize = 300;

/// Grades with IDF over the server's bank, so the field's common words weigh less.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn grade_once(practice: &Practice, user: &User, request: &GradeRequest) -> Result<Grade, Error> {
    if request.reference.trim().is_empty() {
        return Err(Error::Invalid("`reference` is empty: give the model answer to grade against.".into()));
    }
    if request.reference.chars().count() > MAX_REFERENCE_CHARS {
        return Err(Error::Invalid(format!("`reference` is longer than {MAX_REFERENCE_CHARS} characters.")));
    }
    if request.question.chars().count() > MAX_QUESTION_CHARS {
        return Err(Error::Invalid(format!("`question` is longer than {MAX_QUESTION_CHARS} characters.")));
    }
    if request.keywords.len() > MAX_KEYWORDS {
        return Err(Error::Invalid(format!("give at most {MAX_KEYWORDS} `keywords`, not {}.", request.keywords.len())));
    }
    if let Some((long, _)) = request.keywords.iter().find(|(spec, _)| spec.chars().count() > MAX_KEYWORD_CHARS) {
        let start: String = long.chars().take(30).collect();
        return Err(Error::Invalid(format!(
            "each keyword is at most {MAX_KEYWORD_CHARS} characters; \"{start}...\" is longer."
        )));
    }
    let answer = AnswerText::parse(&request.answer)?;
    let concepts: Vec<Concept> = request
        .keywords
        .iter()
        .filter_map(|(spec, hint)| Concept::parse(spec).map(|c| c.with_hint(hint.clone())))
        .collect();
    practice.limits.check(user, Limited::Grading)?;
    let corpus = practice.bank().corpus().clone();
    let _one_at_a_time = practice
        .gradings
        .acquire()
        .await
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("grading queue closed: {e}")))?;
    let (question, reference) = (request.question.clone(), request.reference.clone());
    practice
        .grade_timed(GradingKind::Stateless, move || {
            PreparedQuestion::new(&question, &reference, &concepts, &[], &corpus).grade(answer.as_str())
        })
        .await
}
