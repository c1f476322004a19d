//! Weak concepts: the keywords a user misses or contradicts most.
//!
//! Built from running tallies per question and concept (how often it was asked for,
//! missed, contradicted, and its status in the latest answer). A concept stays on the
//! list only while some question's latest answer still lacks it: once the user says it,
//! it drops off, which is the point of practising.
use std::collections::BTreeMap;

use crate::grading::ConceptStatus;

/// The tally of one concept of one question.
#[derive(Debug, Clone, Copy)]
pub struct ConceptTally<'a> {
    pub question_id: &'a str,
    pub concept: &'a str,
    pub seen: i64,
    /// Missed or contradicted.
    pub misses: i64,
    pub contradicted: i64,
    /// Its status in the latest answer.
    pub last_status: ConceptStatus,
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
        if t.last_status != ConceptStatus::Covered {
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

/// One counted answer to a question: when it was given and the status of each of its
/// concepts (self-assessed where the learner claimed one).
#[derive(Debug, Clone)]
pub struct AnsweredConcepts<'a> {
    /// Unix milliseconds.
    pub at: i64,
    /// (concept label, status).
    pub statuses: Vec<(&'a str, ConceptStatus)>,
}

/// A concept tally rebuilt from a question's whole history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebuiltTally {
    pub concept: String,
    pub seen: i64,
    pub misses: i64,
    pub contradicted: i64,
    pub last_status: ConceptStatus,
    pub updated_at: i64,
}

/// The running tallies of one question's concepts, as they would stand had every answer
/// (oldest first) been counted with the statuses given: each answer counts its concepts
/// and sets their latest status; a follow-up reply that covered a concept (`(concept,
/// time)`) makes it the latest status until a later answer. Sorted by concept.
pub fn rebuild_tallies(answers: &[AnsweredConcepts<'_>], covered_follow_ups: &[(&str, i64)]) -> Vec<RebuiltTally> {
    // Replies come after the answer they follow up, so at equal times the answer is first.
    let mut events: Vec<(i64, u8, usize)> = answers.iter().enumerate().map(|(i, a)| (a.at, 0, i)).collect();
    events.extend(covered_follow_ups.iter().enumerate().map(|(i, f)| (f.1, 1, i)));
    events.sort();
    let mut tallies: BTreeMap<&str, RebuiltTally> = BTreeMap::new();
    for (at, kind, i) in events {
        if kind == 0 {
            for (concept, status) in &answers[i].statuses {
                let t = tallies.entry(concept).or_insert_with(|| RebuiltTally {
                    concept: concept.to_string(),
                    seen: 0,
                    misses: 0,
                    contradicted: 0,
                    last_status: *status,
                    updated_at: at,
                });
                t.seen += 1;
                t.misses += i64::from(*status != ConceptStatus::Covered);
                t.contradicted += i64::from(*status == ConceptStatus::Contradicted);
                t.last_status = *status;
                t.updated_at = at;
            }
        } else if let Some(t) = tallies.get_mut(covered_follow_ups[i].0) {
            t.last_status = ConceptStatus::Covered;
            t.updated_at = at;
        }
    }
    tallies.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConceptStatus::{Contradicted, Covered, Missed};

    fn t(
        question_id: &'static str,
        concept: &'static str,
        seen: i64,
        misses: i64,
        last: ConceptStatus,
    ) -> ConceptTally<'static> {
        let contradicted = i64::from(last == Contradicted);
        ConceptTally { question_id, concept, seen, misses, contradicted, last_status: last, last_seen: seen }
    }

    #[test]
    fn the_most_missed_concepts_come_first_with_their_questions() {
        let tallies = [
            t("q2", "Readiness probe", 1, 1, Contradicted),
            t("q1", "readiness probe", 1, 1, Missed),
            t("q1", "restart", 1, 0, Covered),
            t("q3", "resource limits", 1, 1, Missed),
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
        assert!(weak_concepts(&[t("q1", "rolling update", 2, 1, Covered)], 10).is_empty());
    }

    #[test]
    fn a_higher_miss_rate_breaks_ties_and_the_limit_holds() {
        let tallies = [t("q1", "a", 4, 2, Missed), t("q2", "b", 2, 2, Missed), t("q3", "c", 1, 1, Missed)];
        let weak = weak_concepts(&tallies, 2);
        let names: Vec<&str> = weak.iter().map(|w| w.concept.as_str()).collect();
        assert_eq!(names, ["b", "a"]);
    }

    #[test]
    fn rebuilt_tallies_count_every_answer_and_keep_the_latest_status() {
        let answers = [
            AnsweredConcepts { at: 10, statuses: vec![("pod", Missed), ("replicas", Contradicted)] },
            AnsweredConcepts { at: 20, statuses: vec![("pod", Covered), ("replicas", Missed)] },
        ];
        let rebuilt = rebuild_tallies(&answers, &[]);
        let pod = RebuiltTally {
            concept: "pod".into(),
            seen: 2,
            misses: 1,
            contradicted: 0,
            last_status: Covered,
            updated_at: 20,
        };
        assert_eq!(rebuilt[0], pod);
        assert_eq!((rebuilt[1].misses, rebuilt[1].contradicted, rebuilt[1].last_status), (2, 1, Missed));
    }

    #[test]
    fn a_covered_follow_up_counts_as_latest_only_until_the_next_answer() {
        let answers = [
            AnsweredConcepts { at: 10, statuses: vec![("pod", Missed)] },
            AnsweredConcepts { at: 30, statuses: vec![("replicas", Missed)] },
        ];
        let rebuilt = rebuild_tallies(&answers, &[("pod", 15), ("replicas", 20), ("unknown", 40)]);
        assert_eq!(rebuilt.len(), 2, "a reply about a concept never asked for adds nothing");
        assert_eq!((rebuilt[0].last_status, rebuilt[0].misses, rebuilt[0].updated_at), (Covered, 1, 15));
        assert_eq!(rebuilt[1].last_status, Missed, "the later answer missed it again");
    }
}
