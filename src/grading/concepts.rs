//! Concept matching: every `|` alternative is compiled to stems once; multi-word
//! alternatives match as phrases within a small window in any order; negation just
//! before a match marks it negated.

use super::text::{analyze, Token};
use super::Span;

/// One alternative of a concept, compiled.
#[derive(Debug, Clone)]
pub struct CompiledAlt {
    /// All stems in order (used when the alternative is only function words).
    stems: Vec<String>,
    /// Stems of the content words, which is what a match requires.
    content: Vec<String>,
}

/// A concept compiled for matching.
#[derive(Debug, Clone)]
pub struct CompiledConcept {
    pub alts: Vec<CompiledAlt>,
}

/// One occurrence of a concept in a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Occurrence {
    /// Token index range (inclusive) of the match.
    pub first: usize,
    pub last: usize,
    pub negated: bool,
}

impl CompiledConcept {
    /// Compiles the alternatives of a concept; empty alternatives are dropped.
    pub fn compile(alternatives: &[String]) -> CompiledConcept {
        let alts = alternatives
            .iter()
            .filter_map(|a| {
                let toks = analyze(a);
                let stems: Vec<String> = toks.iter().map(|t| t.stem.clone()).collect();
                let content: Vec<String> = toks.iter().filter(|t| !t.stop).map(|t| t.stem.clone()).collect();
                (!stems.is_empty()).then_some(CompiledAlt { stems, content })
            })
            .collect();
        CompiledConcept { alts }
    }

    /// Stems of the content words of all alternatives (the concept's vocabulary).
    pub fn content_stems(&self) -> impl Iterator<Item = &str> {
        self.alts.iter().flat_map(|a| a.content.iter().map(String::as_str))
    }

    /// All occurrences of any alternative in `tokens`.
    pub fn find(&self, tokens: &[Token]) -> Vec<Occurrence> {
        let mut out = Vec::new();
        for alt in &self.alts {
            alt.find(tokens, &mut out);
        }
        out.sort_by_key(|o| (o.first, o.last));
        out.dedup_by_key(|o| (o.first, o.last));
        out
    }
}

impl CompiledAlt {
    fn find(&self, tokens: &[Token], out: &mut Vec<Occurrence>) {
        if self.content.is_empty() {
            // Only function words ("by itself"): require the exact sequence.
            let n = self.stems.len();
            for i in 0..tokens.len().saturating_sub(n - 1) {
                if tokens[i..i + n].iter().zip(&self.stems).all(|(t, s)| &t.stem == s) {
                    out.push(occurrence(tokens, i, i + n - 1));
                }
            }
            return;
        }
        // Content words within a window that grows with the phrase length, any order,
        // same sentence: "restarts the container" matches "container restart".
        let window = 2 * self.content.len() + 1;
        let head = &self.content[0];
        for (i, t) in tokens.iter().enumerate() {
            if &t.stem != head {
                continue;
            }
            let (mut lo, mut hi) = (i, i);
            let mut ok = true;
            for want in &self.content[1..] {
                let from = i.saturating_sub(window);
                let to = (i + window + 1).min(tokens.len());
                let best = (from..to)
                    .filter(|&j| j != i && &tokens[j].stem == want && tokens[j].sentence == t.sentence)
                    .min_by_key(|&j| j.abs_diff(i));
                match best {
                    Some(j) => {
                        lo = lo.min(j);
                        hi = hi.max(j);
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                out.push(occurrence(tokens, lo, hi));
            }
        }
    }
}

/// How far back (in tokens, same clause) a negation cue still negates a match.
const NEGATION_REACH: usize = 3;

fn occurrence(tokens: &[Token], first: usize, last: usize) -> Occurrence {
    let clause = tokens[first].clause;
    let negated = (first.saturating_sub(NEGATION_REACH)..first).any(|j| tokens[j].neg && tokens[j].clause == clause);
    Occurrence { first, last, negated }
}

/// Byte span of an occurrence in the original text.
pub fn span_of(tokens: &[Token], o: &Occurrence) -> Span {
    Span { start: tokens[o.first].start, end: tokens[o.last].end }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept(alts: &[&str]) -> CompiledConcept {
        CompiledConcept::compile(&alts.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn phrase_matches_in_any_order_within_window() {
        let c = concept(&["restart the container"]);
        let toks = analyze("the kubelet will restart it: the container comes back");
        assert_eq!(c.find(&toks).len(), 1);
        let far = analyze("restart. Much later and in another sentence, a container");
        assert!(c.find(&far).is_empty());
    }

    #[test]
    fn negation_before_match_is_detected() {
        let c = concept(&["restart", "restarts"]);
        let toks = analyze("If readiness fails it does not restart the pod.");
        let occ = c.find(&toks);
        assert_eq!(occ.len(), 1);
        assert!(occ[0].negated);
        let ok = analyze("Liveness failures restart the pod, but readiness doesn't matter.");
        assert!(!c.find(&ok)[0].negated);
    }

    #[test]
    fn function_word_alternative_needs_exact_sequence() {
        let c = concept(&["by itself"]);
        assert_eq!(c.find(&analyze("it does nothing by itself")).len(), 1);
        assert!(c.find(&analyze("itself by")).is_empty());
    }
}
