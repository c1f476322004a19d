//! Statements of the opposite: the answer uses one side of a general pair of opposites
//! ("own" kernel) where the reference uses only the other ("share" the kernel) and the
//! answer never uses the reference's side. Pairs live in `data/antonyms.txt`.
//!
//! What the reference only denies ("does not wait") is not watched: asserting it was
//! measured to flag correct answers far more often than wrong ones ("filters out nodes
//! that can't run it" against "the kubelet runs the pod").

use std::sync::OnceLock;

use super::fxhash::FastSet;

use super::rules::{Rule, RuleSet};
use super::text::{negated_at, tokenize_raw, Token};

fn pairs() -> &'static [(String, String)] {
    static PAIRS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let mut out = Vec::new();
        for line in include_str!("data/antonyms.txt").lines() {
            let line = line.trim();
            if line.starts_with('#') {
                continue;
            }
            let Some((a, b)) = line.split_once('/') else {
                continue;
            };
            // Single words only: a stem on each side.
            let (a, b) = (tokenize_raw(a), tokenize_raw(b));
            if let ([a], [b]) = (a.as_slice(), b.as_slice()) {
                out.push((a.stem.to_string(), b.stem.to_string()));
                out.push((b.stem.to_string(), a.stem.to_string()));
            }
        }
        out
    })
}

/// One watched opposite: the answer must not say `said` where the reference says
/// `instead`, about the same things (`context`).
#[derive(Debug, Clone)]
struct Watch {
    said: String,
    instead: String,
    /// How the reference writes `instead`, for feedback.
    instead_surface: String,
    /// Content stems of the reference clauses that use `instead`.
    context: FastSet<String>,
}

/// The opposites that apply to one reference.
#[derive(Debug, Clone, Default)]
pub struct Opposites {
    watch: Vec<Watch>,
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

fn is_context(t: &Token) -> bool {
    !t.stop && !t.common
}

impl Opposites {
    /// Watches for the opposites of `reference`. `alternatives` are the stems of the
    /// author's concept alternatives: a word an author accepts is never an opposite
    /// ("last stage" where the reference says "first stage" of another thing).
    pub fn new(question: &[Token], reference: &[Token], alternatives: &FastSet<String>) -> Opposites {
        // A premise the reference itself negates somewhere is not one to defend.
        let premises = question
            .iter()
            .enumerate()
            .filter(|(i, t)| PREMISE_WORDS.contains(&t.surface.as_str()) && !negated_at(question, *i))
            .map(|(_, t)| t.stem.to_string())
            .filter(|p| !reference.iter().enumerate().any(|(i, t)| *t.stem == **p && negated_at(reference, i)))
            .collect();
        let stems: FastSet<&str> = reference.iter().map(|t| &*t.stem).collect();
        let watch = pairs()
            .iter()
            .filter(|(x, y)| stems.contains(y.as_str()) && !stems.contains(x.as_str()) && !alternatives.contains(x))
            .map(|(x, y)| {
                let clauses: FastSet<u32> = reference.iter().filter(|t| *t.stem == **y).map(|t| t.clause).collect();
                let context = reference
                    .iter()
                    .filter(|t| clauses.contains(&t.clause) && is_context(t) && *t.stem != **y)
                    .map(|t| t.stem.to_string())
                    .collect();
                let instead_surface =
                    reference.iter().find(|t| *t.stem == **y).map_or_else(|| y.clone(), |t| t.surface.clone());
                Watch { said: x.clone(), instead: y.clone(), instead_surface, context }
            })
            .collect();
        Opposites { watch, premises }
    }

    /// The answer's words that state the opposite of the reference about the same
    /// things: (token index, the reference's word), one per word. A word counts only
    /// when its clause shares a content word with a reference clause using the other
    /// side ("its own nodes" vs "the nodes are shared"), and the answer never uses the
    /// reference's side itself.
    ///
    /// A negated premise of the question is a conflict too, reported with an empty
    /// reference word.
    pub fn conflicts(&self, answer: &[Token], rules: RuleSet) -> Vec<(usize, &str)> {
        let mut out: Vec<(usize, &str)> = answer
            .iter()
            .enumerate()
            .filter(|_| rules.has(Rule::Premise))
            .filter(|(i, t)| self.premises.iter().any(|p| **p == *t.stem) && negated_at(answer, *i))
            .map(|(i, _)| (i, ""))
            .take(1)
            .collect();
        if self.watch.is_empty() {
            return out;
        }
        let stems: FastSet<&str> = answer.iter().map(|t| &*t.stem).collect();
        for w in &self.watch {
            // The answer states the reference's side somewhere: a contrast, not a swap.
            if !rules.has(Rule::Opposite) || !stems.contains(w.said.as_str()) || stems.contains(w.instead.as_str()) {
                continue;
            }
            // The clause says `said` about the reference's things.
            let hit = answer.iter().enumerate().find(|(i, t)| {
                *t.stem == *w.said
                    && !negated_at(answer, *i)
                    && answer.iter().any(|c| c.clause == t.clause && is_context(c) && w.context.contains(&*c.stem))
            });
            if let Some((i, _)) = hit {
                out.push((i, w.instead_surface.as_str()));
            }
        }
        out.sort_unstable();
        out.dedup_by_key(|(i, _)| *i);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::analyze;
    use super::*;

    #[test]
    fn an_opposite_counts_only_when_the_reference_side_is_never_said() {
        let o = Opposites::new(&[], &analyze("The cost is slower writes."), &FastSet::default());
        assert_eq!(o.conflicts(&analyze("Writes get faster."), RuleSet::default()).len(), 1);
        // The answer says "slower" too: what it calls faster may be something else.
        let both = analyze("Writes get faster, while reads get slower.");
        assert!(o.conflicts(&both, RuleSet::default()).is_empty());
        // A word the author accepts is never an opposite.
        let accepted: FastSet<String> = analyze("faster").iter().map(|t| t.stem.to_string()).collect();
        let o2 = Opposites::new(&[], &analyze("The cost is slower writes."), &accepted);
        assert!(o2.conflicts(&analyze("Writes get faster."), RuleSet::default()).is_empty());
        assert!(o.conflicts(&analyze("Writes get faster."), RuleSet::default().without(Rule::Opposite)).is_empty());
        let contrast = analyze("Writes are slower, not faster.");
        assert!(o.conflicts(&contrast, RuleSet::default()).is_empty());
        assert!(o.conflicts(&analyze("Writes are not faster."), RuleSet::default()).is_empty());
    }

    #[test]
    fn denying_the_question_premise_is_a_conflict() {
        let q = analyze("Why do you need an ingress controller?");
        let o = Opposites::new(&q, &analyze("The controller implements the rules."), &FastSet::default());
        assert_eq!(o.conflicts(&analyze("You don't really need a controller."), RuleSet::default()).len(), 1);
        assert!(o.conflicts(&analyze("You need a controller to implement them."), RuleSet::default()).is_empty());
    }

    #[test]
    fn opposite_word_is_a_conflict_unless_both_sides_appear() {
        let o = Opposites::new(&[], &analyze("Namespaces are virtual clusters."), &FastSet::default());
        let physical = o.conflicts(&analyze("Namespaces are separate physical clusters."), RuleSet::default());
        assert_eq!(physical.len(), 1);
        // Said about something else: not a conflict.
        assert!(o.conflicts(&analyze("My laptop is a physical machine."), RuleSet::default()).is_empty());
        assert!(o.conflicts(&analyze("Virtual clusters, not physical ones."), RuleSet::default()).is_empty());
        assert!(o.conflicts(&analyze("They are virtual clusters."), RuleSet::default()).is_empty());
    }
}
