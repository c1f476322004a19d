//! Self-assessment: the learner's own verdict on a concept, beside the grader's.
//!
//! The grader can be wrong, and when it is unsure it says nothing; the learner may then
//! say "I covered this" (on a concept graded missed or contradicted) or "I got this
//! wrong" (on one graded covered). The learning loop counts the *self-assessed* view:
//! a claimed-covered concept counts as covered, a claimed-wrong one as contradicted, and
//! the score moves by the concept's share of the grader's coverage weight
//! ([`self_assessed_score`]). The stored grade itself never changes.
use serde::Serialize;

use crate::grading::ConceptStatus;

/// Weight of concept coverage in the grader's score (an author's concepts); a claim
/// moves the score by at most this much.
pub const COVERAGE_WEIGHT: f64 = crate::grading::W_COVERAGE;

/// The label a claim on an answer's checks (its anticipated misconceptions, which no
/// concept carries) is stored under: "my answer is right here" lifts the checks' cut
/// from the self-assessed score, as "Mark as right" does on a concept graded wrong. No
/// concept label starts with a parenthesis and ends with one around this word.
pub const CHECKS: &str = "(checks)";

/// What the learner says about one concept of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Claim {
    /// "I covered this": the grader called it missed or contradicted.
    Covered,
    /// "I got this wrong": the grader called it covered.
    Wrong,
}

impl Claim {
    /// `covered` or `wrong`; anything else is `None`.
    pub fn parse(raw: &str) -> Option<Claim> {
        match raw.trim() {
            "covered" => Some(Claim::Covered),
            "wrong" => Some(Claim::Wrong),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Claim::Covered => "covered",
            Claim::Wrong => "wrong",
        }
    }

    /// Whether this claim disagrees with the grader's status; agreeing with it is not a
    /// claim.
    pub fn disputes(self, grader_status: ConceptStatus) -> bool {
        match self {
            Claim::Covered => grader_status != ConceptStatus::Covered,
            Claim::Wrong => grader_status == ConceptStatus::Covered,
        }
    }
}

/// The status the learning loop counts: the claim if there is one, else the grader's.
/// A concept the learner says they got wrong counts as contradicted.
pub fn self_assessed_status(grader_status: ConceptStatus, claim: Option<Claim>) -> ConceptStatus {
    match claim {
        Some(Claim::Covered) => ConceptStatus::Covered,
        Some(Claim::Wrong) => ConceptStatus::Contradicted,
        None => grader_status,
    }
}

/// One graded concept of an answer, as the self-assessed score needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClaimedConcept {
    /// The grader's weight for the concept; `None` in grades stored without weights.
    pub weight: Option<f64>,
    pub claim: Option<Claim>,
    /// The grader marked it contradicted.
    pub contradicted: bool,
}

/// The score with the learner's claims taken into account:
///
/// `score + W × (Σ claimed-covered weights − Σ claimed-wrong weights) / Σ all weights`,
/// clamped to 0..1, where W is [`COVERAGE_WEIGHT`] (0.5). If any concept has no usable weight
/// (grades stored before weights were kept), every concept weighs the same. Without
/// claims (or concepts) it is the grader's score.
///
/// When the learner says they covered a concept the grader marked contradicted, or
/// that the answer's checks are wrong (`checks_disputed`, see [`CHECKS`]), the
/// grader's penalty for suspected errors is lifted too: the sum starts from
/// `unpenalised` (the score without that penalty, see
/// `grading::score_without_rule_penalties`) when it is given.
pub fn self_assessed_score(
    score: f64,
    concepts: &[ClaimedConcept],
    unpenalised: Option<f64>,
    checks_disputed: bool,
) -> f64 {
    let disputed = checks_disputed || concepts.iter().any(|c| c.contradicted && c.claim == Some(Claim::Covered));
    let score = match unpenalised {
        Some(u) if disputed => u.max(score),
        _ => score,
    };
    let score = if score.is_finite() { score.clamp(0.0, 1.0) } else { 0.0 };
    let weighted = concepts.iter().all(|c| c.weight.is_some_and(|w| w.is_finite() && w > 0.0));
    let weight = |c: &ClaimedConcept| if weighted { c.weight.unwrap_or(1.0) } else { 1.0 };
    let total: f64 = concepts.iter().map(weight).sum();
    if total <= 0.0 {
        return score;
    }
    let moved: f64 = concepts
        .iter()
        .map(|c| match c.claim {
            Some(Claim::Covered) => weight(c),
            Some(Claim::Wrong) => -weight(c),
            None => 0.0,
        })
        .sum();
    (score + COVERAGE_WEIGHT * moved / total).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(weight: Option<f64>, claim: Option<Claim>) -> ClaimedConcept {
        ClaimedConcept { weight, claim, contradicted: false }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn without_claims_the_score_is_the_graders() {
        let concepts = [c(Some(1.0), None), c(Some(2.0), None)];
        assert!(close(self_assessed_score(0.42, &concepts, None, false), 0.42));
        assert!(close(self_assessed_score(0.42, &[], None, false), 0.42), "no concepts, nothing to claim");
    }

    #[test]
    fn a_claim_moves_the_score_by_its_share_of_the_coverage_weight() {
        let cases = [
            // (score, concepts, expected, case)
            (
                0.40,
                vec![c(Some(1.0), Some(Claim::Covered)), c(Some(1.0), None)],
                0.40 + COVERAGE_WEIGHT / 2.0,
                "half the weight claimed covered",
            ),
            (
                0.80,
                vec![c(Some(1.0), Some(Claim::Wrong)), c(Some(3.0), None)],
                0.80 - COVERAGE_WEIGHT / 4.0,
                "a quarter claimed wrong",
            ),
            (
                0.50,
                vec![c(Some(2.0), Some(Claim::Covered)), c(Some(2.0), Some(Claim::Wrong))],
                0.50,
                "equal weights cancel",
            ),
            (
                0.30,
                vec![c(Some(3.0), Some(Claim::Covered)), c(Some(1.0), None)],
                0.30 + COVERAGE_WEIGHT * 3.0 / 4.0,
                "weights count, not concepts",
            ),
        ];
        for (score, concepts, expected, case) in cases {
            let got = self_assessed_score(score, &concepts, None, false);
            assert!(close(got, expected), "{case}: expected {expected}, got {got}");
        }
    }

    #[test]
    fn concepts_weigh_the_same_when_the_stored_grade_has_no_weights() {
        let concepts = [c(None, Some(Claim::Covered)), c(None, None), c(None, None), c(None, None)];
        assert!(close(self_assessed_score(0.2, &concepts, None, false), 0.2 + COVERAGE_WEIGHT / 4.0));
        let mixed = [c(Some(9.0), Some(Claim::Covered)), c(None, None)];
        let expected = 0.2 + COVERAGE_WEIGHT / 2.0;
        assert!(
            close(self_assessed_score(0.2, &mixed, None, false), expected),
            "one missing weight: all count equally"
        );
    }

    #[test]
    fn the_result_stays_within_zero_and_one() {
        let all_covered = [c(Some(1.0), Some(Claim::Covered))];
        let all_wrong = [c(Some(1.0), Some(Claim::Wrong))];
        assert_eq!(self_assessed_score(0.9, &all_covered, None, false), 1.0);
        assert_eq!(self_assessed_score(0.1, &all_wrong, None, false), 0.0);
        assert!(
            close(self_assessed_score(f64::NAN, &all_covered, None, false), COVERAGE_WEIGHT),
            "a broken score counts as 0"
        );
    }

    #[test]
    fn a_claim_must_disagree_with_the_grader_and_becomes_the_counted_status() {
        use ConceptStatus::{Contradicted, Covered, Missed};
        let cases = [
            (Claim::Covered, Missed, true),
            (Claim::Covered, Contradicted, true),
            (Claim::Covered, Covered, false),
            (Claim::Wrong, Covered, true),
            (Claim::Wrong, Missed, false),
            (Claim::Wrong, Contradicted, false),
        ];
        for (claim, status, disputes) in cases {
            assert_eq!(claim.disputes(status), disputes, "{claim:?} on {status:?}");
        }
        assert_eq!(self_assessed_status(Missed, Some(Claim::Covered)), Covered);
        assert_eq!(self_assessed_status(Covered, Some(Claim::Wrong)), Contradicted);
        assert_eq!(self_assessed_status(Missed, None), Missed);
        assert_eq!(Claim::parse(" wrong "), Some(Claim::Wrong));
        assert_eq!(Claim::parse("maybe"), None);
    }

    #[test]
    fn disputing_a_flagged_concept_lifts_the_graders_penalty() {
        let flagged = ClaimedConcept { weight: Some(1.0), claim: Some(Claim::Covered), contradicted: true };
        let other = c(Some(1.0), None);
        // Penalised 0.37, 0.80 without the penalty: the claim starts from 0.80.
        assert!(close(
            self_assessed_score(0.37, &[flagged, other], Some(0.80), false),
            (0.80 + COVERAGE_WEIGHT / 2.0).min(1.0)
        ));
        // A claim on a merely missed concept does not lift it.
        let missed = ClaimedConcept { contradicted: false, ..flagged };
        assert!(close(self_assessed_score(0.37, &[missed, other], Some(0.80), false), 0.37 + COVERAGE_WEIGHT / 2.0));
        // Never lower than the grader's own score.
        assert!(close(self_assessed_score(0.5, &[flagged, other], Some(0.2), false), 0.5 + COVERAGE_WEIGHT / 2.0));
    }

    #[test]
    fn disputing_the_checks_lifts_their_cut_and_moves_no_concept() {
        let concepts = [c(Some(1.0), None), c(Some(1.0), None)];
        // A complete answer cut to 0.56 by a check, 0.94 without it.
        assert!(close(self_assessed_score(0.56, &concepts, Some(0.94), true), 0.94));
        assert!(close(self_assessed_score(0.56, &concepts, Some(0.94), false), 0.56));
        // Never lower than the grader's own score, and nothing without a usable lift.
        assert!(close(self_assessed_score(0.56, &concepts, Some(0.30), true), 0.56));
        assert!(close(self_assessed_score(0.56, &concepts, None, true), 0.56));
    }
}
