//! How the signals become one score. All weights are here, with the reason for each.

use serde::Serialize;

use super::{ConceptResult, ConceptStatus};

/// What a score is made of (serialised with the grade to explain it).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Components {
    /// Weighted share of concepts covered; contradicted ones subtract half their weight.
    pub coverage: f64,
    /// IDF-weighted share of the reference's content words present in the answer.
    pub recall: f64,
    /// TF-IDF cosine with the reference (stems and bigrams).
    pub cosine: f64,
    /// Share of the answer's content words that belong to the topic's vocabulary.
    pub on_topic: f64,
    /// Function words per token; explanations have many, bare term lists few.
    pub function_word_ratio: f64,
    /// Bindings of a term to the entity the reference binds it to.
    pub relations_supported: usize,
    /// Bindings of a term to a different entity than the reference (swaps).
    pub relations_crosswise: usize,
    /// The crosswise terms and opposites as "term -> what it was tied to", for display.
    pub conflicts: Vec<String>,
    /// Words stating the opposite of the reference ("own" kernel vs "share" it), plus
    /// steps given in the reverse order.
    pub opposites: usize,
    /// 1 when the answer puts the reference's steps in the reverse order.
    pub reversed_steps: usize,
    /// Multiplier for keyword stuffing (1 = none).
    pub stuffing_factor: f64,
    /// Multiplier for crosswise bindings (1 = none).
    pub relation_factor: f64,
    /// Multiplier for long answers that are mostly off the topic (1 = none).
    pub focus_factor: f64,
    /// Multiplier for "I don't know" answers (1 = none).
    pub dont_know_factor: f64,
    /// Score before the final concave transform.
    pub raw: f64,
}

/// Inputs to [`combine`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals {
    pub coverage: Option<f64>,
    pub recall: f64,
    pub cosine: f64,
    pub on_topic: f64,
    pub content_words: usize,
    pub tokens: usize,
    pub function_words: usize,
    pub supported: usize,
    pub crosswise: usize,
    pub opposites: usize,
    pub reversed_steps: usize,
    pub says_dont_know: bool,
    /// The concepts were derived from the reference, not given by an author.
    pub derived_concepts: bool,
}

fn smoothstep(x: f64) -> f64 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

/// A strong answer rarely repeats more than about 45% of the reference's content
/// words or reaches a cosine above ~0.45, so both are rescaled to use the full range.
const RECALL_FULL: f64 = 0.45;
const COSINE_FULL: f64 = 0.45;
/// Concept coverage carries most of the score; recall and cosine catch what the
/// concept list does not name (measurements: recall was the largest lexical gain).
const W_COVERAGE: f64 = 0.5;
const W_RECALL: f64 = 0.3;
const W_COSINE: f64 = 0.2;
const W_COVERAGE_DERIVED: f64 = 0.25;
/// A stated opposite weighs as much as this many crosswise bindings.
const OPPOSITE_WEIGHT: f64 = 1.5;
/// Off-topic rambling keeps at least this share of its score.
const FOCUS_FLOOR: f64 = 0.75;
/// Answers with fewer content words than this are not judged on focus.
const FOCUS_MIN_WORDS: usize = 15;
/// Grades skew high (a short correct answer is a 4/5), so the final score is concave.
const CONCAVITY: f64 = 0.75;

/// Combines the signals into a score in 0..=1 and explains it.
pub fn combine(s: &Signals) -> (f64, Components) {
    let recall = (s.recall / RECALL_FULL).min(1.0);
    let cosine = (s.cosine / COSINE_FULL).min(1.0);
    // Derived concepts are single words a good answer may paraphrase, so they are
    // trusted less than an author's concept list.
    let w_coverage = if s.derived_concepts { W_COVERAGE_DERIVED } else { W_COVERAGE };
    let rest = (1.0 - w_coverage) / (W_RECALL + W_COSINE);
    let content = match s.coverage {
        Some(c) => w_coverage * c + rest * (W_RECALL * recall + W_COSINE * cosine),
        None => 0.6 * recall + 0.4 * cosine,
    };
    let fwr = if s.tokens > 0 { s.function_words as f64 / s.tokens as f64 } else { 0.0 };
    // Explanations run at 35-55% function words; bare lists of terms at 0-15%.
    let stuffing_factor = if s.tokens < 4 { 1.0 } else { 0.3 + 0.7 * smoothstep((fwr - 0.10) / 0.20) };
    // Swaps cost more than misses: a fully crosswise answer keeps a fraction of its
    // score. A stated opposite counts like OPPOSITE_WEIGHT swaps. One pseudo-count of
    // support keeps a single doubtful binding from deciding the score alone.
    let bad = s.crosswise as f64 + OPPOSITE_WEIGHT * s.opposites as f64;
    let cross_share = bad / (s.supported as f64 + bad + 1.0);
    let relation_factor = 1.0 - 0.85 * smoothstep(cross_share / 0.6);
    let dont_know_factor = if s.says_dont_know && s.coverage.unwrap_or(0.0) < 0.5 { 0.3 } else { 1.0 };
    // A long ramble with one correct point: most of its content words are off the
    // topic's vocabulary (rambles run at 10-30% on topic, answers at 55-100%). Short
    // answers are exempt: a ratio over a handful of words says little.
    let focus_factor = if s.content_words >= FOCUS_MIN_WORDS {
        FOCUS_FLOOR + (1.0 - FOCUS_FLOOR) * smoothstep((s.on_topic - 0.1) / 0.4)
    } else {
        1.0
    };
    let raw = (content * stuffing_factor * relation_factor * focus_factor * dont_know_factor).clamp(0.0, 1.0);
    let score = raw.powf(CONCAVITY);
    let score = if score.is_finite() { score.clamp(0.0, 1.0) } else { 0.0 };
    let components = Components {
        conflicts: Vec::new(),
        coverage: s.coverage.unwrap_or(0.0),
        recall: s.recall,
        cosine: s.cosine,
        on_topic: s.on_topic,
        function_word_ratio: fwr,
        relations_supported: s.supported,
        relations_crosswise: s.crosswise,
        opposites: s.opposites,
        reversed_steps: s.reversed_steps,
        stuffing_factor,
        relation_factor,
        focus_factor,
        dont_know_factor,
        raw,
    };
    (score, components)
}

/// Weighted coverage; a contradicted concept subtracts half its weight (saying the
/// opposite is worse than not saying it). `None` when there are no concepts.
pub fn coverage(results: &[ConceptResult]) -> Option<f64> {
    let total: f64 = results.iter().map(|r| r.weight).sum();
    if total <= 0.0 {
        return None;
    }
    let got: f64 = results
        .iter()
        .map(|r| match r.status {
            ConceptStatus::Covered => r.weight,
            ConceptStatus::Missed => 0.0,
            ConceptStatus::Contradicted => -0.5 * r.weight,
        })
        .sum();
    Some((got / total).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Signals {
        Signals {
            coverage: Some(0.8),
            recall: 0.35,
            cosine: 0.4,
            on_topic: 0.8,
            content_words: 30,
            tokens: 70,
            function_words: 32,
            supported: 6,
            ..Signals::default()
        }
    }

    #[test]
    fn a_swap_costs_more_than_a_miss() {
        let (good, _) = combine(&base());
        let (missed, _) = combine(&Signals { coverage: Some(0.65), ..base() });
        let (swapped, _) = combine(&Signals { supported: 4, crosswise: 2, ..base() });
        assert!(good > missed && missed > swapped, "{good} {missed} {swapped}");
    }

    #[test]
    fn lists_and_rambles_are_discounted() {
        let (good, _) = combine(&base());
        let (list, c) = combine(&Signals { function_words: 3, ..base() });
        let (ramble, _) = combine(&Signals { on_topic: 0.15, ..base() });
        assert!(list < good * 0.6 && c.stuffing_factor < 0.5, "{list}");
        assert!(ramble < good, "{ramble}");
    }

    #[test]
    fn extreme_signals_stay_in_range() {
        for s in [
            Signals::default(),
            Signals { coverage: Some(1.0), recall: 1.0, cosine: 1.0, on_topic: 1.0, tokens: 1, ..Signals::default() },
            Signals { recall: f64::NAN, cosine: f64::INFINITY, ..base() },
        ] {
            let (score, _) = combine(&s);
            assert!(score.is_finite() && (0.0..=1.0).contains(&score), "{score}");
        }
    }
}
