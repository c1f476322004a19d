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

/// The 1-2 sentence summary. `crossed`: (term, entity it was tied to, entity the
/// model answer ties it to); `opposites`:
/// (word said, the reference's word).
pub fn summary(
    band: Band,
    concepts: &[ConceptResult],
    c: &Components,
    crossed: &[(String, String, String)],
    opposites: &[(String, String)],
) -> String {
    let of = |s: ConceptStatus| -> Vec<&str> {
        concepts.iter().filter(|r| r.status == s).map(|r| r.label.as_str()).take(3).collect()
    };
    let (covered, missed, wrong) =
        (of(ConceptStatus::Covered), of(ConceptStatus::Missed), of(ConceptStatus::Contradicted));
    let first = match band {
        _ if c.stuffing_factor < 0.7 && band != Band::Strong => {
            "This reads as a list of terms, not an explanation.".to_string()
        }
        Band::Strong if covered.is_empty() => "Strong answer.".to_string(),
        Band::Strong => format!("Strong answer: you covered {}.", list(&covered)),
        Band::Partial if covered.is_empty() => "Partly there.".to_string(),
        Band::Partial => format!("Partly there: you covered {}.", list(&covered)),
        Band::Weak | Band::OffTopic if c.relation_factor < 0.7 => {
            "The right terms are there, but several are tied to the wrong thing.".to_string()
        }
        Band::Weak => "This answer touches the topic but misses most of what matters.".to_string(),
        Band::OffTopic => "This answer does not address the question yet.".to_string(),
    };
    // The most useful single next step, in order of how much it costs the answer.
    let second = if let Some((said, _)) = opposites.iter().find(|(_, instead)| instead.is_empty()) {
        format!("You said \"{said}\", but the question takes that as given; check that part.")
    } else if let Some((said, instead)) = opposites.first() {
        format!("You said \"{said}\" where the model answer says \"{instead}\"; check that part.")
    } else if c.reversed_steps > 0 {
        "The steps are in the reverse order of the model answer; check which comes first.".to_string()
    } else if c.stuffing_factor < 0.7 {
        // A bare list has no clauses, so its "bindings" mean nothing: say this first.
        "Say what each one does and how they connect, in full sentences.".to_string()
    } else if let (Some((term, entity, model)), true) = (crossed.first(), c.relation_factor < 0.9) {
        format!("You said \"{term}\" about the {entity}, but it belongs to the {model}; check which one does what.")
    } else if !wrong.is_empty() {
        format!("Check what you said about {}: it contradicts the model answer.", list(&wrong))
    } else if c.focus_factor < 0.9 && !missed.is_empty() {
        format!("Most of this answer is background; spend it on {} instead.", list(&missed))
    } else if !missed.is_empty() && band == Band::OffTopic {
        format!("Start with {}.", list(&missed))
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
