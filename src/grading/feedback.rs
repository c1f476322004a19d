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

/// At most three items listed; more are counted ("a, b, c and 2 more") so the list
/// never reads as complete when it is not.
fn list_some(items: &[&str]) -> String {
    const SHOWN: usize = 3;
    if items.len() <= SHOWN {
        return list(items);
    }
    format!("{} and {} more", items[..SHOWN].join(", "), items.len() - SHOWN)
}

/// What the covered concepts were: "all 6 key points" when every concept is covered,
/// else the labels (see [`list_some`]).
fn covered_text(covered: &[&str], total: usize) -> String {
    match covered.len() {
        n if n == total && n == 2 => "both key points".to_string(),
        n if n == total && n > 2 => format!("all {n} key points"),
        _ => list_some(covered),
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
        concepts.iter().filter(|r| r.status == s).map(|r| r.label.as_str()).collect()
    };
    let (covered, missed, wrong) =
        (of(ConceptStatus::Covered), of(ConceptStatus::Missed), of(ConceptStatus::Contradicted));
    let first = match band {
        _ if c.stuffing_factor < 0.7 && band != Band::Strong => {
            "This reads as a list of terms, not an explanation.".to_string()
        }
        Band::Strong if covered.is_empty() => "Strong answer.".to_string(),
        Band::Strong => format!("Strong answer: you covered {}.", covered_text(&covered, concepts.len())),
        Band::Partial if covered.is_empty() => "Partly there.".to_string(),
        Band::Partial => format!("Partly there: you covered {}.", covered_text(&covered, concepts.len())),
        Band::Weak | Band::OffTopic if c.relation_factor < 0.7 => match crossed.len() + opposites.len() {
            0 if c.reversed_steps > 0 => "The right terms are there, but in the wrong order.".to_string(),
            1 if crossed.is_empty() => {
                "The right terms are there, but one states the opposite of the model answer.".to_string()
            }
            0 | 1 => "The right terms are there, but one term is tied to the wrong thing.".to_string(),
            _ if crossed.is_empty() => "The right terms are there, but several state the \
                                            opposite of the model answer."
                .to_string(),
            _ => "The right terms are there, but several terms are tied to the wrong thing.".to_string(),
        },
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
        format!("Check what you said about {}: it contradicts the model answer.", list_some(&wrong))
    } else if c.focus_factor < 0.9 && !missed.is_empty() {
        format!("Most of this answer is background; spend it on {} instead.", list_some(&missed))
    } else if !missed.is_empty() && band == Band::OffTopic {
        format!("Start with {}.", list_some(&missed))
    } else if !missed.is_empty() {
        format!("Next time also explain {}.", list_some(&missed))
    } else {
        String::new()
    };
    if second.is_empty() {
        first
    } else {
        format!("{first} {second}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(covered: usize, missed: usize) -> Vec<ConceptResult> {
        (0..covered + missed)
            .map(|i| ConceptResult {
                label: format!("point{i}"),
                status: if i < covered { ConceptStatus::Covered } else { ConceptStatus::Missed },
                spans: Vec::new(),
                hint: String::new(),
                weight: 1.0,
            })
            .collect()
    }

    fn clean() -> Components {
        Components { stuffing_factor: 1.0, relation_factor: 1.0, focus_factor: 1.0, ..Components::default() }
    }

    #[test]
    fn summary_counts_the_terms_tied_to_the_wrong_thing() {
        let tied = Components { relation_factor: 0.5, ..clean() };
        let one = [("kernel".to_string(), "a".to_string(), "b".to_string())];
        let s = summary(Band::Weak, &results(1, 1), &tied, &one, &[]);
        assert!(s.contains("one term is tied"), "{s}");
        let two = [one[0].clone(), one[0].clone()];
        let s = summary(Band::Weak, &results(1, 1), &tied, &two, &[]);
        assert!(s.contains("several terms are tied"), "{s}");
    }

    #[test]
    fn summary_never_passes_a_partial_list_off_as_complete() {
        let all = summary(Band::Strong, &results(6, 0), &clean(), &[], &[]);
        assert!(all.contains("all 6 key points"), "{all}");
        let some = summary(Band::Strong, &results(5, 1), &clean(), &[], &[]);
        assert!(some.contains("point0, point1, point2 and 2 more"), "{some}");
        let few = summary(Band::Partial, &results(2, 5), &clean(), &[], &[]);
        assert!(few.contains("you covered point0 and point1."), "{few}");
        assert!(few.contains("point2, point3, point4 and 2 more"), "{few}");
    }
}
