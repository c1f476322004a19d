//! Weak concepts: the keywords a user misses or contradicts most.
//!
//! Built from running tallies per question and concept (how often it was asked for,
//! missed, contradicted, and its status in the latest answer). A concept stays on the
//! list only while some question's latest answer still lacks it: once the user says it,
//! it drops off, which is the point of practising.
use std::collections::BTreeMap;

/// The tally of one concept of one question.
#[derive(Debug, Clone, Copy)]
pub struct ConceptTally<'a> {
    pub question_id: &'a str,
    pub concept: &'a str,
    pub seen: i64,
    /// Missed or contradicted.
    pub misses: i64,
    pub contradicted: i64,
    /// `covered`, `missed` or `contradicted` in the latest answer.
    pub last_status: &'a str,
    /// When it was last asked for (Unix milliseconds).
    pub last_seen: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WeakConcept {
    pub concept: String,
    /// Times missed or contradicted, over all questions that ask for it.
    pub misses: i64,
    pub contradicted: i64,
    /// Times the concept was asked for at all.
    pub seen: i64,
    /// Questions whose latest answer still lacks it, sorted.
    pub questions: Vec<String>,
    pub last_seen: i64,
}

/// The most-missed concepts (same label, any case, counted together), worst first:
/// most misses, then highest miss rate, then most recently asked, then by name. At most
/// `limit`.
pub fn weak_concepts(tallies: &[ConceptTally<'_>], limit: usize) -> Vec<WeakConcept> {
    let mut by_concept: BTreeMap<String, WeakConcept> = BTreeMap::new();
    for t in tallies {
        let entry = by_concept.entry(t.concept.to_lowercase()).or_insert_with(|| WeakConcept {
            concept: t.concept.to_string(),
            misses: 0,
            contradicted: 0,
            seen: 0,
            questions: Vec::new(),
            last_seen: 0,
        });
        entry.last_seen = entry.last_seen.max(t.last_seen);
        entry.misses += t.misses;
        entry.contradicted += t.contradicted;
        entry.seen += t.seen;
        if t.last_status != "covered" {
            entry.questions.push(t.question_id.to_string());
        }
    }
    let mut list: Vec<WeakConcept> = by_concept
        .into_values()
        .filter(|w| w.misses > 0 && !w.questions.is_empty())
        .map(|mut w| {
            w.questions.sort();
            w
        })
        .collect();
    list.sort_by(|a, b| {
        b.misses
            .cmp(&a.misses)
            .then_with(|| (b.misses * a.seen).cmp(&(a.misses * b.seen)))
            .then_with(|| b.last_seen.cmp(&a.last_seen))
            .then_with(|| a.concept.cmp(&b.concept))
    });
    list.truncate(limit);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(
        question_id: &'static str,
        concept: &'static str,
        seen: i64,
        misses: i64,
        last: &'static str,
    ) -> ConceptTally<'static> {
        let contradicted = i64::from(last == "contradicted");
        ConceptTally { question_id, concept, seen, misses, contradicted, last_status: last, last_seen: seen }
    }

    #[test]
    fn the_most_missed_concepts_come_first_with_their_questions() {
        let tallies = [
            t("q2", "Readiness probe", 1, 1, "contradicted"),
            t("q1", "readiness probe", 1, 1, "missed"),
            t("q1", "restart", 1, 0, "covered"),
            t("q3", "resource limits", 1, 1, "missed"),
        ];
        let weak = weak_concepts(&tallies, 10);
        assert_eq!(weak[0].concept.to_lowercase(), "readiness probe");
        assert_eq!((weak[0].misses, weak[0].contradicted, weak[0].seen), (2, 1, 2));
        assert_eq!(weak[0].questions, ["q1", "q2"]);
        assert_eq!(weak[1].concept, "resource limits");
        assert!(weak.iter().all(|w| w.concept != "restart"), "covered concepts are not weak");
    }

    #[test]
    fn a_concept_drops_off_once_the_latest_answer_covers_it() {
        assert!(weak_concepts(&[t("q1", "rolling update", 2, 1, "covered")], 10).is_empty());
    }

    #[test]
    fn a_higher_miss_rate_breaks_ties_and_the_limit_holds() {
        let tallies = [t("q1", "a", 4, 2, "missed"), t("q2", "b", 2, 2, "missed"), t("q3", "c", 1, 1, "missed")];
        let weak = weak_concepts(&tallies, 2);
        let names: Vec<&str> = weak.iter().map(|w| w.concept.as_str()).collect();
        assert_eq!(names, ["b", "a"]);
    }
}
