//! Reading an interview: the follow-up waiting for a reply, and what the end of the
//! interview says (how many answers, their mean, how many were strong, and the concepts
//! left to work on).
use std::collections::BTreeMap;

use super::{Assessed, InterviewView};
use crate::domain::FollowUpReply;
use crate::domain::{Attempt, ClaimRecord};
use crate::domain::{AttemptKind, ConceptStatus};
use crate::grading::Band;
use crate::learning::follow_up::FollowUp;

/// Concepts named at most in a summary.
const TO_WORK_ON: usize = 6;

#[derive(Debug, Clone, PartialEq)]
pub struct InterviewSummary {
    /// First answers (retries are not counted).
    pub answered: usize,
    /// Of those, the ones the grader was unsure of (`Grade::unsure`): not in the mean,
    /// the strong count or the concepts to work on.
    pub unsure: usize,
    /// Mean of the grader's scores of the other first answers, 0..1 (`None` when every
    /// one was unsure).
    pub mean_score: Option<f64>,
    /// Those in the strong band.
    pub strong: usize,
    /// Concepts still lacking: those judged wrong first, then the missed ones, each most
    /// often first (ties by name); at most six.
    pub to_work_on: Vec<String>,
    /// The other lacking concepts, in the same order (shown on request).
    pub more: Vec<String>,
    /// Those of `to_work_on` and `more` that a retry of the question covered: still to
    /// work on (a retry comes after the feedback named what was missing, so it is no
    /// evidence), but the page says the retry got them, so a 100-point retry does not
    /// read as ignored.
    pub covered_on_retry: Vec<String>,
    /// Retries in the interview: kept, not in the figures above.
    pub retries: usize,
    /// Questions skipped: not answered, so not in the figures above either.
    pub skipped: usize,
    /// Questions never asked: the learner ended the interview before them.
    pub unasked: usize,
}

impl InterviewView {
    /// The answer whose follow-up waits for a reply, and that follow-up. A follow-up
    /// waits only while its answer is the latest thing said: a first answer that was
    /// asked one and has no reply yet (a retry after it supersedes it), in an interview
    /// not ended early. Ending it moves on from the follow-up as from the questions left:
    /// its summary offered the follow-up again, with the keyboard in its box.
    pub fn pending_follow_up(&self) -> Option<(&Attempt, FollowUp)> {
        let ended = self.plan.interview.finished_at.is_some() && self.plan.left_unasked() > 0;
        if ended {
            return None;
        }
        pending_follow_up(&self.attempts, &self.follow_ups)
    }

    /// The summary of a finished interview; `None` while a question is waiting or when
    /// nothing was answered.
    pub fn summary(&self) -> Option<InterviewSummary> {
        if self.plan.current().is_some() {
            return None;
        }
        summarise(&self.attempts, &self.claims, &self.follow_ups)
            .map(|s| InterviewSummary { unasked: self.plan.left_unasked(), ..s })
    }
}

fn pending_follow_up<'a>(attempts: &'a [Attempt], replies: &[FollowUpReply]) -> Option<(&'a Attempt, FollowUp)> {
    let last = attempts.last().filter(|a| a.kind.counts())?;
    if replies.iter().any(|f| f.attempt_id == last.id) {
        return None;
    }
    last.follow_up.clone().map(|f| (last, f))
}

/// The summary over an interview's attempts. A concept counts as left to work on when
/// a first answer lacks it by the self-assessed view (a concept the learner says they
/// covered is not left; one they say they got wrong is), unless the follow-up reply to
/// that answer then covered it.
pub fn summarise(
    attempts: &[Attempt],
    claims: &[ClaimRecord],
    follow_ups: &[FollowUpReply],
) -> Option<InterviewSummary> {
    let skipped = attempts.iter().filter(|a| a.kind == AttemptKind::Skipped).count();
    let retries = attempts.iter().filter(|a| a.kind == AttemptKind::Retry).count();
    let answered: Vec<&Attempt> =
        attempts.iter().filter(|a| a.kind.counts() && a.kind != AttemptKind::Skipped).collect();
    if answered.is_empty() && skipped == 0 {
        return None;
    }
    let firsts: Vec<&Attempt> = answered.iter().copied().filter(|a| a.counts()).collect();
    // label → (answers lacking it, judged wrong in any of them)
    let mut lacking: BTreeMap<&str, (usize, bool)> = BTreeMap::new();
    let assessed: Vec<Assessed> = firsts.iter().map(|a| Assessed::of(a, claims)).collect();
    for (attempt, assessed) in firsts.iter().zip(&assessed) {
        let recovered = follow_ups
            .iter()
            .find(|f| f.attempt_id == attempt.id && f.status == ConceptStatus::Covered)
            .map(|f| f.concept.as_str());
        for c in &assessed.concepts {
            let status = c.self_assessed();
            if status != ConceptStatus::Covered && Some(c.label.as_str()) != recovered {
                let entry = lacking.entry(c.label.as_str()).or_default();
                entry.0 += 1;
                entry.1 |= status == ConceptStatus::Contradicted;
            }
        }
    }
    // The concepts each question's retries covered (by the self-assessed view).
    let retried: Vec<(&str, String)> = attempts
        .iter()
        .filter(|a| a.kind == AttemptKind::Retry)
        .flat_map(|a| {
            let assessed = Assessed::of(a, claims);
            assessed
                .concepts
                .into_iter()
                .filter(|c| c.self_assessed() == ConceptStatus::Covered)
                .map(|c| (a.question_id.as_str(), c.label))
                .collect::<Vec<_>>()
        })
        .collect();
    let covered_on_retry: Vec<String> = lacking
        .keys()
        .filter(|label| {
            firsts.iter().zip(&assessed).any(|(first, a)| {
                a.concepts.iter().any(|c| c.label == **label && c.self_assessed() != ConceptStatus::Covered)
                    && retried.iter().any(|(q, l)| *q == first.question_id && l == *label)
            })
        })
        .map(|label| label.to_string())
        .collect();
    let mut lacking: Vec<(&str, (usize, bool))> = lacking.into_iter().collect();
    // Something said wrong is worth more attention than something left out.
    lacking.sort_by_key(|(_, (count, wrong))| (std::cmp::Reverse(*wrong), std::cmp::Reverse(*count)));
    let mut names = lacking.into_iter().map(|(label, _)| label.to_string());
    let to_work_on: Vec<String> = names.by_ref().take(TO_WORK_ON).collect();
    Some(InterviewSummary {
        answered: answered.len(),
        unsure: answered.len() - firsts.len(),
        mean_score: (!firsts.is_empty()).then(|| firsts.iter().map(|a| a.score).sum::<f64>() / firsts.len() as f64),
        strong: firsts.iter().filter(|a| a.band == Band::Strong).count(),
        to_work_on,
        more: names.collect(),
        covered_on_retry,
        retries,
        skipped,
        unasked: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AttemptKind, StoredGrade};
    use crate::learning::claims::Claim;

    fn attempt(id: &str, kind: AttemptKind, score: f64, concepts: &[(&str, &str)]) -> Attempt {
        let concepts: Vec<serde_json::Value> =
            concepts.iter().map(|(label, status)| serde_json::json!({"label": label, "status": status})).collect();
        Attempt {
            id: id.into(),
            interview_id: Some("i".into()),
            question_id: format!("q-{id}"),
            prompt: String::new(),
            topic_id: String::new(),
            topic_name: String::new(),
            answer: String::new(),
            score,
            band: Band::from_score(score),
            feedback: String::new(),
            grade: StoredGrade::parse(&serde_json::json!({ "concepts": concepts }).to_string()),
            time_taken_ms: None,
            spoken: false,
            unsure: false,
            created_at: 0,
            kind,
            follow_up: None,
            question_version: 1,
            reference: String::new(),
        }
    }

    fn claim(attempt_id: &str, concept: &str, status: ConceptStatus, claim: Claim) -> ClaimRecord {
        ClaimRecord {
            attempt_id: attempt_id.into(),
            question_id: String::new(),
            prompt: String::new(),
            concept: concept.into(),
            grader_status: status,
            claim,
            claimed_at: 0,
        }
    }

    fn covered_reply(attempt_id: &str, concept: &str) -> FollowUpReply {
        FollowUpReply {
            attempt_id: attempt_id.into(),
            concept: concept.into(),
            prompt: String::new(),
            answer: String::new(),
            status: ConceptStatus::Covered,
            created_at: 0,
        }
    }

    fn asked(mut a: Attempt, concept: &str) -> Attempt {
        a.follow_up = Some(FollowUp { concept: concept.into(), prompt: format!("What about {concept}?") });
        a
    }

    #[test]
    fn a_follow_up_waits_only_after_the_latest_answer_until_it_is_answered() {
        let first = asked(attempt("a", AttemptKind::Answer, 0.3, &[]), "pod");
        let second = asked(attempt("b", AttemptKind::Answer, 0.3, &[]), "probe");
        let retry = attempt("r", AttemptKind::Retry, 0.5, &[]);
        let none_asked = attempt("c", AttemptKind::Answer, 0.95, &[]);
        let pending = |attempts: &[Attempt], replies: &[FollowUpReply]| {
            pending_follow_up(attempts, replies).map(|(a, f)| (a.id.clone(), f.concept))
        };
        assert_eq!(pending(std::slice::from_ref(&first), &[]), Some(("a".into(), "pod".into())));
        assert_eq!(
            pending(&[first.clone(), second.clone()], &[]),
            Some(("b".into(), "probe".into())),
            "only the latest"
        );
        assert_eq!(pending(&[first.clone(), retry], &[]), None, "a retry supersedes it");
        assert_eq!(pending(std::slice::from_ref(&first), &[covered_reply("a", "pod")]), None, "answered");
        assert_eq!(pending(&[first, none_asked], &[]), None, "the latest answer was asked nothing");
    }

    #[test]
    fn concepts_a_retry_covered_stay_to_work_on_and_are_marked() {
        let mut retry = attempt("r", AttemptKind::Retry, 1.0, &[("pod", "covered"), ("probe", "covered")]);
        retry.question_id = "q-a".into();
        let mut other = attempt("o", AttemptKind::Retry, 1.0, &[("replicas", "covered")]);
        other.question_id = "q-x".into();
        let attempts = [
            attempt("a", AttemptKind::Answer, 0.3, &[("pod", "missed"), ("probe", "missed"), ("port", "missed")]),
            retry,
            attempt("b", AttemptKind::Answer, 0.3, &[("replicas", "missed")]),
            other,
        ];
        let s = summarise(&attempts, &[], &[]).expect("a summary");
        assert_eq!(s.to_work_on, ["pod", "port", "probe", "replicas"], "a retry is no evidence: all still listed");
        assert_eq!(s.covered_on_retry, ["pod", "probe"], "only what a retry of the same question covered");
        // "I got this wrong" on the retry's concept: not covered there after all.
        let claims = [claim("r", "pod", ConceptStatus::Covered, Claim::Wrong)];
        let s = summarise(&attempts, &claims, &[]).expect("a summary");
        assert_eq!(s.covered_on_retry, ["probe"]);
    }

    #[test]
    fn nothing_answered_has_no_summary() {
        assert_eq!(summarise(&[], &[], &[]), None);
        let only_retry = [attempt("r", AttemptKind::Retry, 0.9, &[])];
        assert_eq!(summarise(&only_retry, &[], &[]), None, "a retry alone is not an answer");
    }

    #[test]
    fn first_answers_are_counted_and_retries_left_out() {
        let attempts = [
            attempt("a", AttemptKind::Answer, 0.9, &[("pod", "covered")]),
            attempt("r", AttemptKind::Retry, 0.1, &[("pod", "missed")]),
            attempt("b", AttemptKind::Drill, 0.3, &[("pod", "missed"), ("replicas", "contradicted")]),
        ];
        let s = summarise(&attempts, &[], &[]).expect("a summary");
        assert_eq!((s.answered, s.strong), (2, 1));
        assert!(
            s.mean_score.is_some_and(|m| (m - 0.6).abs() < 1e-9),
            "mean of 0.9 and 0.3, not the retry: {:?}",
            s.mean_score
        );
        assert_eq!(
            s.to_work_on,
            ["replicas", "pod"],
            "from the drill answer, the one judged wrong first; the retry's miss is not counted"
        );
        assert!(s.more.is_empty());
    }

    #[test]
    fn unsure_answers_are_answered_but_in_no_figure() {
        let mut unsure = attempt("u", AttemptKind::Answer, 0.2, &[("pod", "missed"), ("node", "missed")]);
        unsure.unsure = true;
        let graded = attempt("b", AttemptKind::Drill, 0.8, &[("replicas", "missed")]);
        let s = summarise(&[unsure.clone(), graded], &[], &[]).expect("a summary");
        assert_eq!((s.answered, s.unsure, s.strong), (2, 1, 1));
        assert!(
            s.mean_score.is_some_and(|m| (m - 0.8).abs() < 1e-9),
            "the unsure 0.2 is not in the mean: {:?}",
            s.mean_score
        );
        assert_eq!(s.to_work_on, ["replicas"], "the unsure answer's misses are not a verdict");
        let alone = summarise(&[unsure], &[], &[]).expect("a summary");
        assert_eq!((alone.answered, alone.unsure, alone.mean_score), (1, 1, None));
        assert!(alone.to_work_on.is_empty());
    }

    #[test]
    fn the_most_often_lacking_concepts_come_first() {
        let attempts = [
            attempt("a", AttemptKind::Answer, 0.2, &[("zeta", "missed"), ("alpha", "missed")]),
            attempt("b", AttemptKind::Answer, 0.2, &[("zeta", "missed"), ("beta", "covered")]),
        ];
        let s = summarise(&attempts, &[], &[]).expect("a summary");
        assert_eq!(s.to_work_on, ["zeta", "alpha"], "zeta twice, then alpha; beta was covered");
    }

    #[test]
    fn a_concept_judged_wrong_is_never_cut_for_missed_ones_and_the_rest_is_counted() {
        let missed: Vec<String> = (0..8).map(|i| format!("missed{i}")).collect();
        let mut first: Vec<(&str, &str)> = missed.iter().map(|m| (m.as_str(), "missed")).collect();
        let second = first.clone();
        first.push(("wrong", "contradicted"));
        let attempts =
            [attempt("a", AttemptKind::Answer, 0.2, &first), attempt("b", AttemptKind::Answer, 0.2, &second)];
        let s = summarise(&attempts, &[], &[]).expect("a summary");
        assert_eq!(s.to_work_on.first().map(String::as_str), Some("wrong"), "missed twice does not outrank wrong once");
        assert_eq!((s.to_work_on.len(), s.more.len()), (6, 3), "six named, the other three kept");
    }

    #[test]
    fn claims_and_covering_follow_up_replies_take_a_concept_off_the_list() {
        let attempts = [attempt(
            "a",
            AttemptKind::Answer,
            0.5,
            &[("pod", "missed"), ("replicas", "missed"), ("probe", "covered"), ("port", "missed")],
        )];
        let claims = [
            claim("a", "pod", ConceptStatus::Missed, Claim::Covered),
            claim("a", "probe", ConceptStatus::Covered, Claim::Wrong),
        ];
        let replies = [covered_reply("a", "replicas"), covered_reply("other", "port")];
        let s = summarise(&attempts, &claims, &replies).expect("a summary");
        assert_eq!(
            s.to_work_on,
            ["probe", "port"],
            "pod claimed covered and replicas covered in the reply are not left; the learner says probe was wrong; \
             a reply to another answer does not count"
        );
    }
}
