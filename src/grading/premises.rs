//! Denying the question's premise ("why do you *need* an ingress controller?" answered
//! with "you don't really need one").
//!
//! Opposite words (an antonym list: "own" kernel where the reference says "share") and
//! asserting what the reference only denies ("does not wait") were removed: on answers
//! they were not written for they flagged correct answers more often than wrong ones
//! ("sharing an IP" against "its own IP", "the kubelet runs the pod" against "can't
//! run it").

use super::rules::{Rule, RuleSet};
use super::text::{negated_at, Token};

/// The premises of one question.
#[derive(Debug, Clone, Default)]
pub struct Premises {
    /// Premise words of the question ("why do you *need* an ingress controller"),
    /// which an answer denies by negating them ("you don't really need one").
    premises: Vec<String>,
}

/// Words by which a question takes something as given.
const PREMISE_WORDS: &[&str] = &[
    "need",
    "needs",
    "needed",
    "matter",
    "matters",
    "use",
    "used",
    "uses",
    "solve",
    "solves",
    "require",
    "requires",
    "required",
    "help",
    "helps",
    "important",
    "necessary",
];

impl Premises {
    /// The premises of `question` that `reference` does not itself negate.
    pub fn new(question: &[Token], reference: &[Token]) -> Premises {
        // A premise the reference itself negates somewhere is not one to defend.
        let premises = question
            .iter()
            .enumerate()
            .filter(|(i, t)| PREMISE_WORDS.contains(&&*t.surface) && !negated_at(question, *i))
            .map(|(_, t)| t.stem.to_string())
            .filter(|p| !reference.iter().enumerate().any(|(i, t)| *t.stem == **p && negated_at(reference, i)))
            .collect();
        Premises { premises }
    }

    /// The token at which the answer negates a premise of the question, if it does.
    pub fn denied(&self, answer: &[Token], rules: RuleSet) -> Option<usize> {
        if !rules.has(Rule::Premise) {
            return None;
        }
        (0..answer.len()).find(|&i| self.premises.iter().any(|p| **p == *answer[i].stem) && negated_at(answer, i))
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::analyze;
    use super::*;

    #[test]
    fn denying_the_question_premise_is_a_conflict() {
        let q = analyze("Why do you need an ingress controller?");
        let o = Premises::new(&q, &analyze("The controller implements the rules."));
        assert!(o.denied(&analyze("You don't really need a controller."), RuleSet::default()).is_some());
        assert!(o.denied(&analyze("You need a controller to implement them."), RuleSet::default()).is_none());
        let off = RuleSet::default().without(Rule::Premise);
        assert!(o.denied(&analyze("You don't really need a controller."), off).is_none());
    }
}
