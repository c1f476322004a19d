//! Weak concepts: the keywords a user misses or contradicts most.
//!
//! Counted over all of a user's graded attempts. A concept stays on the list only while
//! its latest result (per question) is still not covered: once the user says it, it
//! drops off, which is the point of practising.
use std::collections::BTreeMap;

/// One concept result of one attempt (oldest first).
#[derive(Debug, Clone, Copy)]
pub struct ConceptOutcome<'a> {
    pub question_id: &'a str,
    pub concept: &'a str,
    /// `covered`, `missed` or `contradicted`.
    pub status: &'a str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WeakConcept {
    pub concept: String,
    /// Times missed or contradicted.
    pub misses: usize,
    pub contradicted: usize,
    /// Times the concept was asked for at all.
    pub seen: usize,
    /// Questions where the latest answer still lacks it.
    pub questions: Vec<String>,
}

/// The most-missed concepts, worst first, at most `limit`.
pub fn weak_concepts(outcomes: &[ConceptOutcome<'_>], limit: usize) -> Vec<WeakConcept> {
    #[derive(Default)]
    struct Tally<'a> {
        misses: usize,
        contradicted: usize,
        seen: usize,
        latest: BTreeMap<&'a str, &'a str>,
    }
    let mut by_concept: BTreeMap<String, Tally> = BTreeMap::new();
    let mut labels: BTreeMap<String, &str> = BTreeMap::new();
    for o in outcomes {
        let key = o.concept.to_lowercase();
        labels.entry(key.clone()).or_insert(o.concept);
        let tally = by_concept.entry(key).or_default();
        tally.seen += 1;
        match o.status {
            "missed" => tally.misses += 1,
            "contradicted" => {
                tally.misses += 1;
                tally.contradicted += 1;
            }
            _ => {}
        }
        tally.latest.insert(o.question_id, o.status);
    }
    let mut list: Vec<WeakConcept> = by_concept
        .into_iter()
        .filter_map(|(key, t)| {
            let questions: Vec<String> =
                t.latest.iter().filter(|(_, s)| **s != "covered").map(|(q, _)| q.to_string()).collect();
            if t.misses == 0 || questions.is_empty() {
                return None;
            }
            let concept = labels.get(&key).map(|l| l.to_string()).unwrap_or(key);
            Some(WeakConcept { concept, misses: t.misses, contradicted: t.contradicted, seen: t.seen, questions })
        })
        .collect();
    list.sort_by(|a, b| {
        b.misses
            .cmp(&a.misses)
            .then_with(|| (b.misses * a.seen).cmp(&(a.misses * b.seen)))
            .then_with(|| a.concept.cmp(&b.concept))
    });
    list.truncate(limit);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(question_id: &'static str, concept: &'static str, status: &'static str) -> ConceptOutcome<'static> {
        ConceptOutcome { question_id, concept, status }
    }

    #[test]
    fn the_most_missed_concepts_come_first_with_their_questions() {
        let outcomes = [
            o("q1", "readiness probe", "missed"),
            o("q1", "restart", "covered"),
            o("q2", "Readiness probe", "contradicted"),
            o("q3", "resource limits", "missed"),
        ];
        let weak = weak_concepts(&outcomes, 10);
        assert_eq!(weak[0].concept, "readiness probe");
        assert_eq!((weak[0].misses, weak[0].contradicted), (2, 1));
        assert_eq!(weak[0].questions, ["q1", "q2"]);
        assert_eq!(weak[1].concept, "resource limits");
        assert!(weak.iter().all(|w| w.concept != "restart"), "covered concepts are not weak");
    }

    #[test]
    fn a_concept_drops_off_once_the_latest_answer_covers_it() {
        let outcomes = [o("q1", "rolling update", "missed"), o("q1", "rolling update", "covered")];
        assert!(weak_concepts(&outcomes, 10).is_empty());
    }
}
