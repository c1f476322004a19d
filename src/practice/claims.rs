//! "Let the learner disagree": claims on the concepts of an answer, and the
//! self-assessed view of an answer that the learning loop counts.
//!
//! A claim is stored beside the grade (the grade is never rewritten). Setting or
//! withdrawing one re-derives, in the same transaction, the schedule and the concept
//! tallies of that user and question from their whole (non-retry) history, so they read
//! as if the self-assessed statuses and scores had been there from the start.
use std::collections::HashMap;

use super::{Error, Practice, StoredGrade};
use crate::domain::{Attempt, ClaimRecord};
use crate::domain::{ConceptStatus, StatusText, User};
use crate::learning::claims::{self_assessed_score, self_assessed_status, Claim, ClaimedConcept, CHECKS};
use crate::learning::schedule::Learner;
use crate::learning::weak::{rebuild_tallies, AnsweredConcepts};
use crate::store::{NewClaim, QuestionRecord, Rederive, Rederived, ScoreRow};

/// (concept label, claim) pairs of one answer.
type ConceptClaims<'a> = Vec<(&'a str, Claim)>;

/// One graded concept of an answer: the grader's verdict and the learner's claim.
#[derive(Debug, Clone)]
pub struct ConceptClaim {
    pub label: String,
    /// The grader's status.
    pub status: ConceptStatus,
    pub claim: Option<Claim>,
    pub hint: String,
}

impl ConceptClaim {
    /// The status the learning loop counts.
    pub fn self_assessed(&self) -> ConceptStatus {
        self_assessed_status(self.status, self.claim)
    }
}

/// An answer's concepts with the learner's claims, and both scores.
#[derive(Debug, Clone)]
pub struct Assessed {
    pub concepts: Vec<ConceptClaim>,
    /// The learner says the answer's checks (anticipated misconceptions) are wrong
    /// ([`CHECKS`]); `None` when they have not, or the answer has no checks.
    pub checks_claim: Option<Claim>,
    /// The grader's score.
    pub score: f64,
    pub self_assessed_score: f64,
}

impl Assessed {
    /// The stored grade of an attempt with the claims given (claims on other attempts and
    /// on concepts the grade does not have are ignored).
    pub fn of(attempt: &Attempt, claims: &[ClaimRecord]) -> Assessed {
        let mine: Vec<(&str, Claim)> =
            claims.iter().filter(|c| c.attempt_id == attempt.id).map(|c| (c.concept.as_str(), c.claim)).collect();
        Assessed::from_grade(&attempt.grade, attempt.score, &mine)
    }

    pub fn from_grade(grade: &StoredGrade, score: f64, claims: &[(&str, Claim)]) -> Assessed {
        let claim_of = |label: &str| claims.iter().find(|(c, _)| *c == label).map(|(_, claim)| *claim);
        let weighted: Vec<ClaimedConcept> = grade
            .concepts
            .iter()
            .map(|c| ClaimedConcept {
                weight: c.weight,
                claim: claim_of(&c.label),
                contradicted: c.status == ConceptStatus::Contradicted,
            })
            .collect();
        let unpenalised =
            grade.components.and_then(|c| crate::grading::score_without_rule_penalties(c.raw, c.relation_factor));
        let checks_claim = if has_checks(grade) { claim_of(CHECKS) } else { None };
        Assessed {
            checks_claim,
            concepts: grade
                .concepts
                .iter()
                .map(|c| ConceptClaim {
                    label: c.label.clone(),
                    status: c.status,
                    claim: claim_of(&c.label),
                    hint: c.hint.clone(),
                })
                .collect(),
            score,
            self_assessed_score: self_assessed_score(
                score,
                &weighted,
                unpenalised,
                checks_claim == Some(Claim::Covered),
            ),
        }
    }

    /// Whether any claim moved the score (by at least half a point out of 100).
    pub fn differs(&self) -> bool {
        (self.self_assessed_score - self.score).abs() >= 0.005
    }

    pub fn claim(&self, label: &str) -> Option<Claim> {
        self.concepts.iter().find(|c| c.label == label).and_then(|c| c.claim)
    }
}

/// Sets the learner's claim on one concept of their attempt, replacing an earlier one.
#[tracing::instrument(skip_all, fields(user = %user.id, attempt = attempt_id))]
pub async fn set_claim(
    state: &Practice,
    user: &User,
    attempt_id: &str,
    concept: &str,
    claim: &str,
) -> Result<(Attempt, Assessed), Error> {
    let attempt = own_attempt(state, user, attempt_id).await?;
    let claim = Claim::parse(claim).ok_or_else(|| {
        Error::Invalid(format!(
            "Unknown claim {claim:?}: use \"covered\" (Mark as covered) or \"wrong\" (Mark as wrong)."
        ))
    })?;
    let grade = &attempt.grade;
    let (label, grader_status) = if is_checks(grade, concept) {
        check_dispute(grade, claim)?;
        (CHECKS, ConceptStatus::Contradicted)
    } else {
        let graded = graded_concept(grade, concept)?;
        concept_dispute(graded, claim)?;
        (graded.label.as_str(), graded.status)
    };
    let new = NewClaim {
        user_id: &user.id,
        attempt_id: &attempt.id,
        question_id: &attempt.question_id,
        concept: label,
        grader_status,
        claim,
    };
    let learner = super::review::learner(state, user).await?;
    let rederive = |record: &QuestionRecord| rederive(record, &learner);
    state.store.set_claim(&new, attempt.counts().then_some(&rederive as Rederive<'_>)).await?;
    assessed(state, attempt).await
}

/// Withdraws the learner's claim on one concept of their attempt.
#[tracing::instrument(skip_all, fields(user = %user.id, attempt = attempt_id))]
pub async fn withdraw_claim(
    state: &Practice,
    user: &User,
    attempt_id: &str,
    concept: &str,
) -> Result<(Attempt, Assessed), Error> {
    let attempt = own_attempt(state, user, attempt_id).await?;
    let grade = &attempt.grade;
    let label =
        if is_checks(grade, concept) { CHECKS.to_string() } else { graded_concept(grade, concept)?.label.clone() };
    let learner = super::review::learner(state, user).await?;
    let rederive = |record: &QuestionRecord| rederive(record, &learner);
    let counts = attempt.counts().then_some(&rederive as Rederive<'_>);
    let withdrawn = state.store.withdraw_claim(&user.id, &attempt.id, &attempt.question_id, &label, counts).await?;
    if !withdrawn {
        return Err(Error::NotFound(format!("You have no claim on {label:?} in this answer to withdraw.")));
    }
    assessed(state, attempt).await
}

/// Whether the grade has checks that no concept carries (anticipated misconceptions).
fn has_checks(grade: &StoredGrade) -> bool {
    !grade.checks.is_empty()
}

/// Whether a claim names the answer's checks ([`CHECKS`]) rather than a concept (a
/// concept of that very label, were an author to write one, wins).
fn is_checks(grade: &StoredGrade, concept: &str) -> bool {
    concept.trim() == CHECKS && !grade.concepts.iter().any(|c| c.label == CHECKS)
}

/// A claim on a concept must dispute the grader's verdict on it.
fn concept_dispute(graded: &super::StoredConcept, claim: Claim) -> Result<(), Error> {
    if claim.disputes(graded.status) {
        return Ok(());
    }
    let shown = if graded.status == ConceptStatus::Contradicted { "wrong" } else { graded.status.as_str() };
    let use_for = match claim {
        Claim::Covered => "\"Mark as covered\" is for a concept it marked missed or wrong",
        Claim::Wrong => "\"Mark as wrong\" is for a concept it marked covered",
    };
    Err(Error::Invalid(format!("The grader already marked {:?} as {shown} in this answer; {use_for}.", graded.label)))
}

/// "My answer is right here": the learner may dispute the answer's checks, which lifts
/// their cut from the self-assessed score (see [`CHECKS`]), only as right.
fn check_dispute(grade: &StoredGrade, claim: Claim) -> Result<(), Error> {
    if !has_checks(grade) {
        return Err(Error::Invalid("This answer has no checks to dispute.".into()));
    }
    if claim != Claim::Covered {
        return Err(Error::Invalid(
            "A check can only be disputed as right (\"covered\"): it already says something may be wrong.".into(),
        ));
    }
    Ok(())
}

async fn assessed(state: &Practice, attempt: Attempt) -> Result<(Attempt, Assessed), Error> {
    let claims = state.store.attempt_claims(&attempt.id).await?;
    let view = Assessed::of(&attempt, &claims);
    Ok((attempt, view))
}

/// The attempt if it is the user's; anyone else's, or none, is the same 404.
async fn own_attempt(state: &Practice, user: &User, attempt_id: &str) -> Result<Attempt, Error> {
    let not_found = || Error::NotFound(format!("No answer {attempt_id:?} of yours was found."));
    if uuid::Uuid::parse_str(attempt_id).is_err() {
        return Err(not_found());
    }
    state.store.attempt(&user.id, attempt_id).await?.ok_or_else(not_found)
}

/// The graded concept with this label (exact, else ignoring case and outer spaces).
fn graded_concept<'a>(grade: &'a StoredGrade, concept: &str) -> Result<&'a super::StoredConcept, Error> {
    let wanted = concept.trim();
    grade
        .concepts
        .iter()
        .find(|c| c.label == wanted)
        .or_else(|| grade.concepts.iter().find(|c| c.label.to_lowercase() == wanted.to_lowercase()))
        .ok_or_else(|| {
            let labels: Vec<String> = grade.concepts.iter().map(|c| format!("{:?}", c.label)).collect();
            Error::Invalid(if labels.is_empty() {
                "This answer has no graded concepts to claim.".to_string()
            } else {
                format!("{wanted:?} is not a concept graded in this answer; its concepts are {}.", labels.join(", "))
            })
        })
}

/// The schedule and concept tallies of one question, from its history with every
/// concept counted as self-assessed and every score as the self-assessed score (FSRS
/// replayed with the learner's parameters). Retries change nothing in the learning
/// loop, so claims on them re-derive nothing (the callers pass no re-derivation).
fn rederive(record: &QuestionRecord, learner: &Learner) -> Rederived {
    let scores: Vec<(f64, i64)> = record
        .answers
        .iter()
        .map(|a| {
            let claims: Vec<(&str, Claim)> = a.claims.iter().map(|(c, claim)| (c.as_str(), *claim)).collect();
            let score = Assessed::from_grade(&a.grade, a.score, &claims).self_assessed_score;
            (score, a.created_at)
        })
        .collect();
    let answered: Vec<AnsweredConcepts<'_>> = record
        .answers
        .iter()
        .map(|a| AnsweredConcepts {
            at: a.created_at,
            statuses: a
                .concepts
                .iter()
                .map(|(concept, status)| {
                    let claim = a.claims.iter().find(|(c, _)| c == concept).map(|(_, claim)| *claim);
                    (concept.as_str(), self_assessed_status(*status, claim))
                })
                .collect(),
        })
        .collect();
    let follow_ups: Vec<(&str, i64)> = record.covered_follow_ups.iter().map(|(c, at)| (c.as_str(), *at)).collect();
    Rederived {
        schedule: learner.replay(scores.iter().copied()).zip(scores.last().map(|s| s.0)),
        tallies: rebuild_tallies(&answered, &follow_ups),
    }
}

/// The user's scored attempts (see [`crate::store::Store::scored_attempts`]) with each
/// score replaced by its self-assessed score: what mastery and its trend are made of.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn self_assessed_scores(state: &Practice, user: &User) -> Result<Vec<ScoreRow>, Error> {
    self_assessed_scores_of(state, &user.id).await
}

/// [`self_assessed_scores`] of any user, by id (a group's view of a member who shares).
pub(crate) async fn self_assessed_scores_of(state: &Practice, user_id: &str) -> Result<Vec<ScoreRow>, Error> {
    let mut rows = state.store.scored_attempts(user_id).await?;
    let claimed = state.store.claimed_grades(user_id).await?;
    if claimed.is_empty() {
        return Ok(rows);
    }
    // attempt id → (its stored grade, its claims)
    let mut by_attempt: HashMap<&str, (&StoredGrade, ConceptClaims<'_>)> = HashMap::new();
    for c in &claimed {
        by_attempt.entry(&c.attempt_id).or_insert((&c.grade, Vec::new())).1.push((&c.concept, c.claim));
    }
    for row in &mut rows {
        if let Some((grade, claims)) = by_attempt.get(row.id.as_str()) {
            row.score = Assessed::from_grade(grade, row.score, claims).self_assessed_score;
        }
    }
    Ok(rows)
}
