//! Statements of the opposite: the answer uses one side of a general pair of opposites
//! ("own" kernel) where the reference uses only the other ("share" the kernel) and the
//! answer never uses the reference's side. Pairs live in `data/antonyms.txt`.

use std::sync::OnceLock;

use super::fxhash::FastSet;

use super::text::{negated_at, negation_cue, tokenize_raw, Token};

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
    /// The reference only ever denies `said` ("it does not wait for the database"), so
    /// asserting it is the opposite; `instead` is then empty.
    denied: bool,
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
    pub fn new(question: &[Token], reference: &[Token]) -> Opposites {
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
            .filter(|(x, y)| stems.contains(y.as_str()) && !stems.contains(x.as_str()))
            .map(|(x, y)| {
                let clauses: FastSet<u32> = reference.iter().filter(|t| *t.stem == **y).map(|t| t.clause).collect();
                let context = reference
                    .iter()
                    .filter(|t| clauses.contains(&t.clause) && is_context(t) && *t.stem != **y)
                    .map(|t| t.stem.to_string())
                    .collect();
                let instead_surface =
                    reference.iter().find(|t| *t.stem == **y).map_or_else(|| y.clone(), |t| t.surface.clone());
                Watch { said: x.clone(), instead: y.clone(), instead_surface, context, denied: false }
            })
            .chain(denials(reference))
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
    pub fn conflicts(&self, answer: &[Token]) -> Vec<(usize, &str)> {
        let mut out: Vec<(usize, &str)> = answer
            .iter()
            .enumerate()
            .filter(|(i, t)| self.premises.iter().any(|p| **p == *t.stem) && negated_at(answer, *i))
            .map(|(i, _)| (i, ""))
            .take(1)
            .collect();
        if self.watch.is_empty() {
            return out;
        }
        let stems: FastSet<&str> = answer.iter().map(|t| &*t.stem).collect();
        for w in &self.watch {
            if !stems.contains(w.said.as_str()) {
                continue;
            }
            // The clause says `said` about the reference's things and does not also
            // say `instead` ("faster reads, slower writes" is a contrast, not a swap).
            let hit = answer.iter().enumerate().find(|(i, t)| {
                let same_clause = |c: &&Token| c.clause == t.clause;
                // A denial's object may follow in the next clause of the sentence
                // ("waits until the database is ready").
                let near = |c: &&Token| {
                    if w.denied {
                        c.sentence == t.sentence
                    } else {
                        c.clause == t.clause
                    }
                };
                *t.stem == *w.said
                    && !negated_at(answer, *i)
                    && answer.iter().filter(near).any(|c| is_context(c) && w.context.contains(&*c.stem))
                    && (w.denied || !answer.iter().filter(same_clause).any(|c| *c.stem == *w.instead))
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

/// Auxiliaries quoted with the negation that follows them.
const AUXILIARIES: &[&str] = &[
    "do", "does", "did", "is", "are", "was", "were", "will", "would", "can", "could", "should", "must", "has", "have",
];

/// What the reference only ever states negated ("it does not wait for the database to
/// be ready"): an answer that asserts it about the same things says the opposite.
fn denials(reference: &[Token]) -> Vec<Watch> {
    let mut out: Vec<Watch> = Vec::new();
    for (i, t) in reference.iter().enumerate() {
        // The denied word may be a common verb ("wait", "change"); its clause's
        // content words say what it is about.
        if t.stop || out.iter().any(|w| *w.said == *t.stem) {
            continue;
        }
        // The word the negation is on (the verb), not the rest of what it scopes over.
        let Some(cue) = negation_cue(reference, i).filter(|&c| reference[c + 1..i].iter().all(|u| u.stop)) else {
            continue;
        };
        let asserted = reference.iter().enumerate().any(|(j, u)| u.stem == t.stem && !negated_at(reference, j));
        if asserted {
            continue;
        }
        let clauses: FastSet<u32> = reference
            .iter()
            .enumerate()
            .filter(|(j, u)| u.stem == t.stem && negated_at(reference, *j))
            .map(|(_, u)| u.clause)
            .collect();
        let context: FastSet<String> = reference
            .iter()
            .filter(|u| clauses.contains(&u.clause) && is_context(u) && u.stem != t.stem)
            .map(|u| u.stem.to_string())
            .collect();
        if context.is_empty() {
            continue;
        }
        // "does not wait": the auxiliary belongs to the quote.
        let from = match cue.checked_sub(1) {
            Some(a) if reference[a].clause == t.clause && AUXILIARIES.contains(&reference[a].surface.as_str()) => a,
            _ => cue,
        };
        let instead_surface = reference[from..=i].iter().map(|u| u.surface.as_str()).collect::<Vec<_>>().join(" ");
        out.push(Watch { said: t.stem.to_string(), instead: String::new(), instead_surface, context, denied: true });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::text::analyze;
    use super::*;

    #[test]
    fn asserting_what_the_reference_denies_is_a_conflict() {
        let o = Opposites::new(&[], &analyze("If readiness fails, the kubelet does not restart the pod."));
        let said = o.conflicts(&analyze("If readiness fails, the kubelet restarts the pod."));
        assert_eq!(said.len(), 1, "{said:?}");
        assert_eq!(said[0].1, "does not restart");
        assert!(o.conflicts(&analyze("The kubelet doesn't restart the pod then.")).is_empty());
        // Said about other things: not a conflict.
        assert!(o.conflicts(&analyze("Liveness failures restart the container.")).is_empty());
    }

    #[test]
    fn opposite_is_judged_per_clause() {
        let o = Opposites::new(&[], &analyze("The cost is slower writes."));
        let swapped = analyze("Writes get faster, while reads get slower.");
        assert_eq!(o.conflicts(&swapped).len(), 1);
        let contrast = analyze("Writes are slower, not faster.");
        assert!(o.conflicts(&contrast).is_empty());
        assert!(o.conflicts(&analyze("Writes are not faster.")).is_empty());
    }

    #[test]
    fn denying_the_question_premise_is_a_conflict() {
        let q = analyze("Why do you need an ingress controller?");
        let o = Opposites::new(&q, &analyze("The controller implements the rules."));
        assert_eq!(o.conflicts(&analyze("You don't really need a controller.")).len(), 1);
        assert!(o.conflicts(&analyze("You need a controller to implement them.")).is_empty());
    }

    #[test]
    fn opposite_word_is_a_conflict_unless_both_sides_appear() {
        let o = Opposites::new(&[], &analyze("Namespaces are virtual clusters."));
        let physical = o.conflicts(&analyze("Namespaces are separate physical clusters."));
        assert_eq!(physical.len(), 1);
        // Said about something else: not a conflict.
        assert!(o.conflicts(&analyze("My laptop is a physical machine.")).is_empty());
        assert!(o.conflicts(&analyze("Virtual clusters, not physical ones.")).is_empty());
        assert!(o.conflicts(&analyze("They are virtual clusters.")).is_empty());
    }
}
