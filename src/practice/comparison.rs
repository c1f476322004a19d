//! Every attempt of a user at one question side by side, with what changed each time.
use std::sync::Arc;

use super::{Assessed, BankQuestion, Error, Practice};
use crate::domain::{Attempt, ClaimCount};
use crate::domain::{ConceptStatus, User};
use crate::learning::claims::Claim;

/// One attempt in a comparison, with the status of each of the question's concepts.
pub struct AttemptColumn {
    pub attempt: Attempt,
    /// Parallel to [`Comparison::concepts`]: the grader's verdict, `None` where the
    /// attempt was not graded on that concept.
    pub statuses: Vec<Option<ConceptStatus>>,
    /// Parallel to [`Comparison::concepts`]: the learner's claim, if any.
    pub claims: Vec<Option<Claim>>,
    /// The attempt's own concepts with claims, and its self-assessed score.
    pub assessed: Assessed,
    /// Concepts covered now that the previous attempt lacked.
    pub gained: Vec<String>,
    /// Concepts the previous attempt covered that this one lacks.
    pub lost: Vec<String>,
}

pub struct Comparison {
    pub question: Arc<BankQuestion>,
    pub concepts: Vec<String>,
    pub columns: Vec<AttemptColumn>,
    /// The learner's claims on this question, counted per concept.
    pub claim_counts: Vec<ClaimCount>,
    /// Follow-up replies to these attempts, oldest first.
    pub follow_ups: Vec<crate::domain::FollowUpReply>,
}

/// Every attempt of the user at `question_id`, oldest first, with what changed each time.
#[tracing::instrument(skip_all, fields(user = %user.id, question = question_id))]
pub async fn comparison(state: &Practice, user: &User, question_id: &str) -> Result<Comparison, Error> {
    let question = state
        .bank()
        .get(question_id)
        .ok_or_else(|| Error::NotFound(format!("There is no question {question_id:?}.")))?;
    let attempts = state.store.question_attempts(&user.id, question_id).await?;
    let claims = state.store.user_claims(&user.id, Some(question_id)).await?;
    let claim_counts = state.store.question_claim_counts(question_id, Some(&user.id)).await?;
    let mut concepts: Vec<String> = question.prepared.concepts().iter().map(|c| c.label.clone()).collect();
    let mut columns: Vec<AttemptColumn> = Vec::with_capacity(attempts.len());
    let mut previous: Option<Vec<String>> = None;
    for attempt in attempts {
        let stored = &attempt.grade;
        let assessed = Assessed::of(&attempt, &claims);
        for c in &stored.concepts {
            if !concepts.contains(&c.label) {
                concepts.push(c.label.clone());
            }
        }
        let statuses: Vec<Option<ConceptStatus>> =
            concepts.iter().map(|label| stored.concepts.iter().find(|c| &c.label == label).map(|c| c.status)).collect();
        let covered: Vec<String> = stored.labels(ConceptStatus::Covered);
        let (gained, lost) = changes(previous.as_deref(), &covered);
        previous = Some(covered);
        let claims = concepts.iter().map(|label| assessed.claim(label)).collect();
        columns.push(AttemptColumn { attempt, statuses, claims, assessed, gained, lost });
    }
    // Concepts discovered late (bank edits) pad earlier columns.
    for column in &mut columns {
        column.statuses.resize(concepts.len(), None);
        column.claims.resize(concepts.len(), None);
    }
    let follow_ups = state.store.question_follow_ups(&user.id, question_id).await?;
    Ok(Comparison { question, concepts, columns, claim_counts, follow_ups })
}

/// (covered now but not before, covered before but not now); nothing for a first attempt.
fn changes(before: Option<&[String]>, covered: &[String]) -> (Vec<String>, Vec<String>) {
    match before {
        Some(before) => (
            covered.iter().filter(|c| !before.contains(c)).cloned().collect(),
            before.iter().filter(|c| !covered.contains(c)).cloned().collect(),
        ),
        None => (Vec::new(), Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn each_attempt_shows_what_it_gained_and_lost_against_the_one_before() {
        let cases = [
            (None, labels(&["pod"]), (vec![], vec![]), "a first attempt has nothing to compare with"),
            (Some(labels(&["pod"])), labels(&["pod", "replicas"]), (labels(&["replicas"]), vec![]), "gained"),
            (Some(labels(&["pod", "probe"])), labels(&["probe"]), (vec![], labels(&["pod"])), "lost"),
            (Some(labels(&["pod"])), labels(&["port"]), (labels(&["port"]), labels(&["pod"])), "both"),
        ];
        for (before, now, expected, case) in cases {
            assert_eq!(changes(before.as_deref(), &now), expected, "{case}");
        }
    }
}
