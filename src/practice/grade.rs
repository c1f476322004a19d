//! Stateless grading of one answer against a reference given by the caller: nothing is
//! stored and no login is needed.
use super::{Error, Practice};
use crate::domain::AnswerText;
use crate::grading::{Concept, Grade, PreparedQuestion};

/// What to grade: a reference answer, optional concepts (`"a | b"` with an optional
/// hint) and the answer.
#[derive(Debug, Clone, Default)]
pub struct GradeRequest {
    pub question: String,
    pub reference: String,
    pub keywords: Vec<(String, Option<String>)>,
    pub answer: String,
}

/// Grades with IDF over the server's bank, so the field's common words weigh less.
pub fn grade_once(practice: &Practice, request: &GradeRequest) -> Result<Grade, Error> {
    if request.reference.trim().is_empty() {
        return Err(Error::Invalid("`reference` is empty: give the model answer to grade against.".into()));
    }
    if request.reference.chars().count() > AnswerText::MAX_CHARS {
        return Err(Error::Invalid(format!("`reference` is longer than {} characters.", AnswerText::MAX_CHARS)));
    }
    let answer = AnswerText::parse(&request.answer)?;
    let concepts: Vec<Concept> = request
        .keywords
        .iter()
        .filter_map(|(spec, hint)| Concept::parse(spec).map(|c| c.with_hint(hint.clone())))
        .collect();
    let bank = practice.bank();
    Ok(PreparedQuestion::new(&request.question, &request.reference, &concepts, &[], bank.corpus())
        .grade(answer.as_str()))
}
