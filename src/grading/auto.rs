//! Automatic concepts when an author gave none: the reference's most salient content
//! words, weighted by IDF (or the built-in word lists without a corpus), with words
//! that merely echo the question demoted (saying "pod" back to a pod question shows
//! little).

use std::collections::{HashMap, HashSet};

use super::lexicon::lexicon;
use super::similarity::Weighter;
use super::text::Token;
use super::Concept;

/// Echoing the question is worth this fraction of a fresh term.
const ECHO_FACTOR: f64 = 0.35;

/// Derived concepts with their weights, most salient first.
pub fn derive(question: &[Token], reference: &[Token], w: &Weighter) -> Vec<(Concept, f64)> {
    let lex = lexicon();
    let asked: HashSet<&str> = question.iter().map(|t| t.stem.as_str()).collect();
    // stem -> (count, first surface, first position)
    let mut stats: HashMap<&str, (usize, &str, usize)> = HashMap::new();
    for (i, t) in reference.iter().enumerate() {
        if t.stop
            || lex.common.contains(t.surface.as_str())
            || lex.question.contains(t.surface.as_str())
            || t.stem.chars().count() < 2
            || t.stem.chars().all(|c| c.is_ascii_digit())
        {
            continue;
        }
        let e = stats.entry(t.stem.as_str()).or_insert((0, t.surface.as_str(), i));
        e.0 += 1;
    }
    let mut scored: Vec<(f64, usize, &str, &str)> = stats
        .into_iter()
        .map(|(stem, (count, surface, pos))| {
            let echo = if asked.contains(stem) { ECHO_FACTOR } else { 1.0 };
            let s = w.idf(stem) * (1.0 + (count as f64).ln()) * echo;
            (s, pos, stem, surface)
        })
        .collect();
    // Deterministic order: score, then first position in the reference.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let k = (scored.len() / 4).clamp(4, 8).min(scored.len());
    let max = scored.first().map_or(1.0, |s| s.0).max(1e-9);
    scored
        .into_iter()
        .take(k)
        .map(|(s, _, _, surface)| {
            let concept = Concept { label: surface.to_string(), alternatives: vec![surface.to_string()], hint: None };
            (concept, 0.5 + 0.5 * s / max)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::text::analyze;
    use super::*;

    #[test]
    fn derives_salient_terms_and_demotes_echoes() {
        let q = analyze("What does a liveness probe do?");
        let r = analyze(
            "A liveness probe lets the kubelet restart a deadlocked container; restart \
             happens after repeated failures of the probe.",
        );
        let got = derive(&q, &r, &Weighter::default());
        let labels: Vec<&str> = got.iter().map(|(c, _)| c.label.as_str()).collect();
        assert_eq!(labels[0], "restart", "{labels:?}");
        assert!(labels.len() >= 4);
    }
}
