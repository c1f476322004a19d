//! How the signals become one score. All weights are here, with the reason for each.

use serde::Serialize;

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
    /// Multiplier for keyword stuffing (1 = none).
    pub stuffing_factor: f64,
    /// Multiplier for crosswise bindings (1 = none).
    pub relation_factor: f64,
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
    pub tokens: usize,
    pub function_words: usize,
    pub supported: usize,
    pub crosswise: usize,
    pub says_dont_know: bool,
}

fn smoothstep(x: f64) -> f64 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

/// A strong answer rarely repeats more than about half of the reference's content
/// words or reaches a cosine above ~0.5, so both are rescaled to use the full range.
const RECALL_FULL: f64 = 0.5;
const COSINE_FULL: f64 = 0.5;
/// Concept coverage carries most of the score; recall and cosine catch what the
/// concept list does not name (measurements: recall was the largest lexical gain).
const W_COVERAGE: f64 = 0.5;
const W_RECALL: f64 = 0.3;
const W_COSINE: f64 = 0.2;
/// Grades skew high (a short correct answer is a 4/5), so the final score is concave.
const CONCAVITY: f64 = 0.75;

/// Combines the signals into a score in 0..=1 and explains it.
pub fn combine(s: &Signals) -> (f64, Components) {
    let recall = (s.recall / RECALL_FULL).min(1.0);
    let cosine = (s.cosine / COSINE_FULL).min(1.0);
    let content = match s.coverage {
        Some(c) => W_COVERAGE * c + W_RECALL * recall + W_COSINE * cosine,
        None => 0.6 * recall + 0.4 * cosine,
    };
    let fwr = if s.tokens > 0 { s.function_words as f64 / s.tokens as f64 } else { 0.0 };
    // Explanations run at 35-55% function words; bare lists of terms at 0-15%.
    let stuffing_factor = if s.tokens < 4 { 1.0 } else { 0.3 + 0.7 * smoothstep((fwr - 0.10) / 0.20) };
    // Swaps cost more than misses: a fully crosswise answer keeps a fraction of its score.
    let bound = s.supported + s.crosswise;
    let cross_share = if bound >= 2 { s.crosswise as f64 / bound as f64 } else { 0.0 };
    let relation_factor = 1.0 - 0.85 * smoothstep(cross_share / 0.6);
    let dont_know_factor = if s.says_dont_know && s.coverage.unwrap_or(0.0) < 0.5 { 0.3 } else { 1.0 };
    let raw = (content * stuffing_factor * relation_factor * dont_know_factor).clamp(0.0, 1.0);
    let score = raw.powf(CONCAVITY);
    let score = if score.is_finite() { score.clamp(0.0, 1.0) } else { 0.0 };
    let components = Components {
        coverage: s.coverage.unwrap_or(0.0),
        recall: s.recall,
        cosine: s.cosine,
        on_topic: s.on_topic,
        function_word_ratio: fwr,
        relations_supported: s.supported,
        relations_crosswise: s.crosswise,
        stuffing_factor,
        relation_factor,
        dont_know_factor,
        raw,
    };
    (score, components)
}
