//! Learner-facing text: a hint per missed or contradicted concept and a one or two
//! sentence summary that says what to do next.

use super::scoring::Components;
use super::{Band, Concept, ConceptResult, ConceptStatus};

/// Hint for one concept result (empty when covered).
pub fn hint(concept: &Concept, status: ConceptStatus) -> String {
    match status {
        ConceptStatus::Covered => String::new(),
        ConceptStatus::Missed => match &concept.hint {
            Some(h) if !h.trim().is_empty() => h.trim().to_string(),
            _ => format!("Mention {} and what it does here.", concept.label),
        },
        ConceptStatus::Contradicted => {
            format!("Check what you said about {}: the answer negates it or ties it to the wrong thing.", concept.label)
        }
    }
}

/// "a", "a and b", "a, b and c".
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {}", rest.join(", "), last),
    }
}

/// The 1-2 sentence summary.
pub fn summary(band: Band, concepts: &[ConceptResult], c: &Components, crossed: &[(String, String)]) -> String {
    let of = |s: ConceptStatus| -> Vec<&str> {
        concepts.iter().filter(|r| r.status == s).map(|r| r.label.as_str()).take(3).collect()
    };
    let (covered, missed, wrong) =
        (of(ConceptStatus::Covered), of(ConceptStatus::Missed), of(ConceptStatus::Contradicted));
    let first = match band {
        Band::Strong if covered.is_empty() => "Strong answer.".to_string(),
        Band::Strong => format!("Strong answer: you covered {}.", list(&covered)),
        Band::Partial if covered.is_empty() => "Partly there.".to_string(),
        Band::Partial => format!("Partly there: you covered {}.", list(&covered)),
        Band::Weak => "This answer touches the topic but misses most of what matters.".to_string(),
        Band::OffTopic => "This answer does not address the question yet.".to_string(),
    };
    let second = if let Some((term, entity)) = crossed.first() {
        format!("You tied \"{term}\" to {entity}; check which part does what.")
    } else if !wrong.is_empty() {
        format!("Check what you said about {}: it contradicts the model answer.", list(&wrong))
    } else if c.stuffing_factor < 0.7 {
        "Explain how the terms connect instead of listing them.".to_string()
    } else if !missed.is_empty() {
        format!("Next time also explain {}.", list(&missed))
    } else {
        String::new()
    };
    if second.is_empty() {
        first
    } else {
        format!("{first} {second}")
    }
}
