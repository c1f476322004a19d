//! Learner-facing text: a hint per missed or contradicted concept and a one or two
//! sentence summary that says what to do next. Strings are joined with `concat`, not
//! `format!`: the same text, without the formatting machinery on every grading.

use super::scoring::Components;
use super::{Band, Concept, ConceptResult, ConceptStatus};

/// Hint for one concept result (empty when covered).
pub fn hint(concept: &Concept, status: ConceptStatus) -> String {
    match status {
        ConceptStatus::Covered => String::new(),
        ConceptStatus::Missed => match &concept.hint {
            Some(h) if !h.trim().is_empty() => h.trim().to_string(),
            _ => ["The model answer also covers ", concept.label.as_str(), "; say how it fits in."].concat(),
        },
        ConceptStatus::Contradicted => {
            ["Check what you said about ", concept.label.as_str(), ": the model answer says otherwise."].concat()
        }
    }
}

/// The check shown for a concept the answer mentions only negated, quoting the
/// learner's phrase.
pub fn negation_check(phrase: &str, label: &str) -> String {
    format!("Check: you said \"{phrase}\", but the model answer does not deny {label}.")
}

/// "a", "a and b", "a, b and c".
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => [rest.join(", ").as_str(), " and ", last].concat(),
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

/// The 1-2 sentence summary. `c.conflicts` holds the checks for suspected errors,
/// most certain first.
pub fn summary(band: Band, concepts: &[ConceptResult], c: &Components) -> String {
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
        Band::Strong => ["Strong answer: you covered ", &covered_text(&covered, concepts.len()), "."].concat(),
        Band::Partial if covered.is_empty() => "Partly there.".to_string(),
        Band::Partial => ["Partly there: you covered ", &covered_text(&covered, concepts.len()), "."].concat(),
        Band::Weak | Band::OffTopic if c.relation_factor < 0.7 => match c.conflicts.len() {
            0 | 1 => "The right terms are there, but one statement looks wrong.".to_string(),
            _ => "The right terms are there, but some statements look wrong.".to_string(),
        },
        // Said as what the grader could find, not as a verdict on the answer: a correct
        // answer in words unlike the model answer's lands here too (on real student
        // answers, about one correct answer in five scores below 0.5).
        Band::Weak => "I found only a few of the key points in this answer.".to_string(),
        Band::OffTopic => "I could not find this question's key points in your answer.".to_string(),
    };
    // The most useful single next step, in order of how much it costs the answer.
    let second = if c.stuffing_factor < 0.7 {
        // A bare list has no clauses, so its "bindings" mean nothing: say this first.
        "Say what each one does and how they connect, in full sentences.".to_string()
    } else if let Some(check) = c.conflicts.first() {
        check.clone()
    } else if !wrong.is_empty() {
        ["Check what you said about ", &list_some(&wrong), ": the model answer says otherwise."].concat()
    } else if !missed.is_empty() && band == Band::OffTopic {
        ["Start with ", &list_some(&missed), "."].concat()
    } else if !missed.is_empty() {
        ["Next time also explain ", &list_some(&missed), "."].concat()
    } else {
        String::new()
    };
    if second.is_empty() {
        first
    } else {
        [first.as_str(), " ", second.as_str()].concat()
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
        Components { stuffing_factor: 1.0, relation_factor: 1.0, ..Components::default() }
    }

    #[test]
    fn summary_counts_the_suspected_errors_and_shows_the_first_check() {
        let check = "Check: is \"kernel\" true of the a, or of the b?".to_string();
        let tied = Components { relation_factor: 0.5, conflicts: vec![check.clone()], ..clean() };
        let s = summary(Band::Weak, &results(1, 1), &tied);
        assert!(s.contains("one statement looks wrong") && s.contains(&check), "{s}");
        let two = Components { conflicts: vec![check.clone(), check.clone()], ..tied };
        let s = summary(Band::Weak, &results(1, 1), &two);
        assert!(s.contains("some statements look wrong"), "{s}");
    }

    #[test]
    fn summary_never_passes_a_partial_list_off_as_complete() {
        let all = summary(Band::Strong, &results(6, 0), &clean());
        assert!(all.contains("all 6 key points"), "{all}");
        let some = summary(Band::Strong, &results(5, 1), &clean());
        assert!(some.contains("point0, point1, point2 and 2 more"), "{some}");
        let few = summary(Band::Partial, &results(2, 5), &clean());
        assert!(few.contains("you covered point0 and point1."), "{few}");
        assert!(few.contains("point2, point3, point4 and 2 more"), "{few}");
    }
}
