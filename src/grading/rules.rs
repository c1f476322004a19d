//! The grader's rules that can lower a score or mark a concept as got wrong, each one
//! switchable so that `rehearse calibrate --rules` can measure, per rule, how often it
//! fires and how often firing moves the score toward the human grade.

use std::fmt;

/// One rule of the grader that can cost an answer points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// An author's negated alternative ("not hard security") said without its negation
    /// marks the concept contradicted.
    Negation,
    /// A term tied to the wrong entity: symmetric evidence (A's term given to B and B's
    /// to A) on a question that contrasts them, or any crosswise binding of an
    /// author-written relation.
    Swap,
    /// Steps of an author-ordered question stated in the reverse order with explicit
    /// markers (first/then/before/after).
    Order,
    /// Bare lists of terms are discounted.
    Stuffing,
    /// What a self-correction takes back ("SIGKILL, no, sorry, SIGTERM") is not graded.
    Retraction,
    /// Answers made of circular definitions ("a shared reference is a reference that is
    /// shared") are discounted.
    Circular,
    /// An author's anticipated misconception ("readiness restarts the container") stated
    /// in the answer (see `misconceptions`).
    Misconception,
}

impl Rule {
    /// Every rule, in the order reports list them.
    pub const ALL: [Rule; 7] = [
        Rule::Negation,
        Rule::Swap,
        Rule::Order,
        Rule::Stuffing,
        Rule::Retraction,
        Rule::Circular,
        Rule::Misconception,
    ];

    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// Short name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Negation => "negation",
            Rule::Swap => "swap",
            Rule::Order => "order",
            Rule::Stuffing => "stuffing",
            Rule::Retraction => "retraction",
            Rule::Circular => "circular",
            Rule::Misconception => "misconception",
        }
    }

    /// The rule named `name` (see [`Rule::name`]).
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of enabled rules; [`RuleSet::default`] enables all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSet(u16);

impl Default for RuleSet {
    fn default() -> RuleSet {
        RuleSet(Rule::ALL.iter().fold(0, |m, r| m | r.bit()))
    }
}

impl RuleSet {
    /// No rule enabled: the score is concept coverage and similarity alone.
    pub fn none() -> RuleSet {
        RuleSet(0)
    }

    /// This set without `rule`.
    pub fn without(self, rule: Rule) -> RuleSet {
        RuleSet(self.0 & !rule.bit())
    }

    /// This set with `rule`.
    pub fn with(self, rule: Rule) -> RuleSet {
        RuleSet(self.0 | rule.bit())
    }

    /// True when `rule` is enabled.
    pub fn has(self, rule: Rule) -> bool {
        self.0 & rule.bit() != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_sets_toggle() {
        for r in Rule::ALL {
            assert_eq!(Rule::from_name(r.name()), Some(r));
            assert!(RuleSet::default().has(r));
            assert!(!RuleSet::default().without(r).has(r));
            assert!(RuleSet::none().with(r).has(r));
        }
        assert_eq!(Rule::from_name("nope"), None);
    }
}
