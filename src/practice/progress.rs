//! A user's progress: mastery per topic with trend, weak concepts, what is due, streak,
//! and the dashboard's headline.
use std::collections::BTreeMap;
use std::sync::Arc;

use super::review::Scheduled;
use super::{BankQuestion, Error, Practice, QuestionBank};
use crate::domain::User;
use crate::learning::mastery::{
    streak, topic_mastery, trend, Bucket, ScoredAttempt, TopicInfo, TopicMastery, TrendPoint,
};
use crate::learning::weak::{weak_concepts, ConceptTally, WeakConcept};
use crate::learning::DAY_MS;
use crate::store::{ConceptStatRow, ScoreRow};

/// Trend points shown at most.
const TREND_POINTS: usize = 30;

pub struct Progress {
    /// Weakest first; untried topics last.
    pub topics: Vec<TopicMastery>,
    pub weak: Vec<WeakConcept>,
    /// Due now (active questions only), least likely to be recalled first.
    pub due: Vec<Scheduled>,
    /// Every scheduled active question with its predicted recall now, least likely to be
    /// recalled first (the due ones among them).
    pub recall: Vec<Scheduled>,
    pub next_due_at: Option<i64>,
    pub streak: i64,
    pub bucket: Bucket,
    pub trend: Vec<TrendPoint>,
    /// Attempts in the mastery: answers, and skipped questions (scored 0).
    pub attempts: usize,
    /// Of `attempts`, the questions skipped.
    pub skipped: usize,
    /// Of each topic's `attempts`, the questions skipped, by topic id (topics with none
    /// left out), so a topic can count its answers as the headline does.
    pub skipped_by_topic: BTreeMap<String, usize>,
}

/// Weak concepts missed at least this often are "often missed" on the dashboard.
const OFTEN_MISSED: i64 = 2;
/// Concepts named in the dashboard's headline before "N more".
const HEADLINE_NAMES: usize = 3;

impl Progress {
    /// Concepts the learner has missed at least twice, most missed first.
    pub fn often_missed(&self) -> Vec<String> {
        often_missed(&self.weak)
    }

    /// What the dashboard's headline names: the often-missed concepts, or every weak
    /// one when none is missed often yet; the first three, then "N more".
    pub fn headline(&self) -> Vec<String> {
        headline(&self.weak)
    }
}

fn often_missed(weak: &[WeakConcept]) -> Vec<String> {
    weak.iter().filter(|w| w.misses >= OFTEN_MISSED).map(|w| w.concept.clone()).collect()
}

fn headline(weak: &[WeakConcept]) -> Vec<String> {
    let often = often_missed(weak);
    let named = if often.is_empty() { weak.iter().map(|w| w.concept.clone()).collect() } else { often };
    let more = named.len().saturating_sub(HEADLINE_NAMES);
    let mut headline: Vec<String> = named.into_iter().take(HEADLINE_NAMES).collect();
    if more > 0 {
        headline.push(format!("{more} more"));
    }
    headline
}

/// Mastery input: the user's scored attempts (self-assessed scores) joined to the bank
/// (retired questions keep counting: the knowledge was shown).
pub fn scored<'a>(bank: &'a QuestionBank, rows: &'a [ScoreRow]) -> Vec<ScoredAttempt<'a>> {
    rows.iter()
        .filter_map(|r| {
            bank.question(&r.question_id).map(|q| ScoredAttempt {
                question_id: &r.question_id,
                topic_id: &q.topic_id,
                score: r.score,
                at: r.created_at,
            })
        })
        .collect()
}

/// Topics and how many of the given questions each has, by topic id.
pub fn topic_infos<'a>(questions: impl Iterator<Item = &'a Arc<BankQuestion>>) -> Vec<TopicInfo> {
    let mut totals: BTreeMap<&str, (String, usize)> = BTreeMap::new();
    for q in questions {
        totals.entry(q.topic_id.as_str()).or_insert((q.topic_name.clone(), 0)).1 += 1;
    }
    totals.into_iter().map(|(id, (name, total))| TopicInfo { id: id.to_string(), name, total }).collect()
}

/// Weak-concept input from the stored tallies.
pub fn tallies(rows: &[ConceptStatRow]) -> Vec<ConceptTally<'_>> {
    rows.iter()
        .map(|r| ConceptTally {
            question_id: &r.question_id,
            concept: &r.concept,
            seen: r.seen,
            misses: r.misses,
            contradicted: r.contradicted,
            last_status: r.last_status,
            last_seen: r.updated_at,
        })
        .collect()
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn progress(state: &Practice, user: &User, now: i64) -> Result<Progress, Error> {
    let bank = state.bank();
    let rows = super::self_assessed_scores(state, user).await?;
    let attempts = scored(&bank, &rows);
    let infos = topic_infos(bank.active());
    let stats = state.store.concept_stats(&user.id).await?;
    let tallies = tallies(&stats);
    let scheduled = super::review::all_by_recall(state, user, now).await?;
    let next_due_at = scheduled.iter().map(|s| s.row.due_at).min();
    let recall: Vec<Scheduled> =
        scheduled.into_iter().filter(|s| bank.question(&s.row.question_id).is_some_and(|q| !q.retired)).collect();
    let due: Vec<Scheduled> = recall.iter().filter(|s| s.row.due_at <= now).cloned().collect();
    // Days while the history is short, weeks once it spans more than the chart holds.
    let span = attempts.first().map(|a| now - a.at).unwrap_or(0);
    let bucket = if span > TREND_POINTS as i64 * DAY_MS { Bucket::Week } else { Bucket::Day };
    let times: Vec<i64> = attempts.iter().map(|a| a.at).collect();
    let mut topics = topic_mastery(&infos, &attempts);
    // Answered, if only with unsure grades: the topic says so beside what counts, so
    // five questions answered do not read as "3 of 5" (a walk-through's learner saw that
    // while their group page said the assignment was done).
    for question_id in state.store.unsure_only_questions(&user.id).await? {
        if let Some(t) = bank.question(&question_id).and_then(|q| topics.iter_mut().find(|t| t.topic_id == q.topic_id))
        {
            t.unsure_only += 1;
        }
    }
    let mut skipped_by_topic: BTreeMap<String, usize> = BTreeMap::new();
    for question_id in state.store.skipped_questions(&user.id).await? {
        if let Some(q) = bank.question(&question_id) {
            *skipped_by_topic.entry(q.topic_id.clone()).or_default() += 1;
        }
    }
    Ok(Progress {
        topics,
        // All of them: each view says how many there are and shows a page of them.
        weak: weak_concepts(&tallies, usize::MAX),
        due,
        recall,
        next_due_at,
        streak: streak(&times, now),
        bucket,
        trend: trend(&attempts, bucket, TREND_POINTS),
        attempts: attempts.len(),
        // Of the same attempts as `attempts` (skips of questions no longer in the bank are
        // in neither).
        skipped: skipped_by_topic.values().sum(),
        skipped_by_topic,
    })
}

/// One question of the bank as the learner stands with it, for the list of every
/// question.
pub struct QuestionStanding {
    pub id: String,
    pub prompt: String,
    pub difficulty: i64,
    /// Answers that count (skips and unsure grades do not), and the latest one's score
    /// (self-assessed where the learner's claims moved it).
    pub answers: usize,
    pub last_score: Option<f64>,
}

/// A topic's active questions, in the bank's order.
pub struct TopicQuestions {
    pub topic_id: String,
    pub topic: String,
    pub questions: Vec<QuestionStanding>,
}

/// Every active question by topic, with how the learner did on it: so a learner can
/// pick one question to practise (a mock interview or a drill chooses for them).
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn question_list(state: &Practice, user: &User) -> Result<Vec<TopicQuestions>, Error> {
    let bank = state.bank();
    let rows = super::self_assessed_scores(state, user).await?;
    Ok(standings(&bank, &rows))
}

fn standings(bank: &QuestionBank, rows: &[ScoreRow]) -> Vec<TopicQuestions> {
    // Latest first per question: (answers, score of the latest).
    let mut by_question: BTreeMap<&str, (usize, i64, f64)> = BTreeMap::new();
    for r in rows {
        let entry = by_question.entry(&r.question_id).or_insert((0, i64::MIN, 0.0));
        entry.0 += 1;
        if r.created_at >= entry.1 {
            (entry.1, entry.2) = (r.created_at, r.score);
        }
    }
    let mut topics: Vec<TopicQuestions> = Vec::new();
    for q in bank.active() {
        let seen = by_question.get(q.id.as_str());
        let standing = QuestionStanding {
            id: q.id.clone(),
            prompt: q.prompt.clone(),
            difficulty: q.difficulty,
            answers: seen.map_or(0, |s| s.0),
            last_score: seen.map(|s| s.2),
        };
        match topics.iter_mut().find(|t| t.topic_id == q.topic_id) {
            Some(t) => t.questions.push(standing),
            None => topics.push(TopicQuestions {
                topic_id: q.topic_id.clone(),
                topic: q.topic_name.clone(),
                questions: vec![standing],
            }),
        }
    }
    topics.sort_by(|a, b| a.topic.cmp(&b.topic));
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weak(concept: &str, misses: i64) -> WeakConcept {
        WeakConcept {
            concept: concept.into(),
            misses,
            contradicted: 0,
            seen: misses,
            questions: vec!["q".into()],
            last_seen: 0,
        }
    }

    #[test]
    fn the_headline_names_what_is_often_missed_else_everything_weak() {
        let cases: [(Vec<WeakConcept>, Vec<&str>, &str); 4] = [
            (vec![], vec![], "nothing weak, nothing named"),
            (vec![weak("pod", 1), weak("probe", 1)], vec!["pod", "probe"], "none often missed: every weak one"),
            (vec![weak("pod", 3), weak("probe", 1)], vec!["pod"], "only the often missed"),
            (
                vec![weak("a", 5), weak("b", 4), weak("c", 3), weak("d", 2), weak("e", 2), weak("f", 1)],
                vec!["a", "b", "c", "2 more"],
                "three, then how many more",
            ),
        ];
        for (list, expected, case) in cases {
            assert_eq!(headline(&list), expected, "{case}");
        }
    }

    #[test]
    fn often_missed_means_missed_at_least_twice() {
        assert_eq!(often_missed(&[weak("pod", 2), weak("probe", 1), weak("port", 7)]), ["pod", "port"]);
    }
}
