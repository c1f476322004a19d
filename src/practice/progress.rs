//! A user's progress: mastery per topic with trend, weak concepts, what is due, streak;
//! and every attempt at one question side by side.
use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Assessed, BankQuestion, Error, Practice, QuestionBank, StoredGrade};
use crate::domain::{ConceptStatus, User};
use crate::learning::claims::Claim;
use crate::learning::mastery::{
    streak, topic_mastery, trend, Bucket, ScoredAttempt, TopicInfo, TopicMastery, TrendPoint,
};
use crate::learning::weak::{weak_concepts, ConceptTally, WeakConcept};
use crate::learning::DAY_MS;
use crate::store::{AttemptRow, ClaimCountRow, ConceptStatRow, DueRow, ScoreRow};

/// Trend points shown at most.
const TREND_POINTS: usize = 30;

pub struct Progress {
    /// Weakest first; untried topics last.
    pub topics: Vec<TopicMastery>,
    pub weak: Vec<WeakConcept>,
    /// Due now (active questions only), most overdue first.
    pub due: Vec<DueRow>,
    pub next_due_at: Option<i64>,
    pub streak: i64,
    pub bucket: Bucket,
    pub trend: Vec<TrendPoint>,
    pub attempts: usize,
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

pub async fn progress(state: &Practice, user: &User, now: i64) -> Result<Progress, Error> {
    let bank = state.bank();
    let rows = super::self_assessed_scores(state, user).await?;
    let attempts = scored(&bank, &rows);
    let infos = topic_infos(bank.active());
    let stats = state.store.concept_stats(&user.id).await?;
    let tallies = tallies(&stats);
    let due: Vec<DueRow> = state
        .store
        .due(&user.id, now, 500)
        .await?
        .into_iter()
        .filter(|d| bank.question(&d.question_id).is_some_and(|q| !q.retired))
        .collect();
    let next_due_at = state.store.next_due_at(&user.id).await?;
    // Days while the history is short, weeks once it spans more than the chart holds.
    let span = attempts.first().map(|a| now - a.at).unwrap_or(0);
    let bucket = if span > TREND_POINTS as i64 * DAY_MS { Bucket::Week } else { Bucket::Day };
    let times: Vec<i64> = attempts.iter().map(|a| a.at).collect();
    Ok(Progress {
        topics: topic_mastery(&infos, &attempts),
        weak: weak_concepts(&tallies, 10),
        due,
        next_due_at,
        streak: streak(&times, now),
        bucket,
        trend: trend(&attempts, bucket, TREND_POINTS),
        attempts: attempts.len(),
    })
}

/// One attempt in a comparison, with the status of each of the question's concepts.
pub struct AttemptColumn {
    pub attempt: AttemptRow,
    /// Parallel to [`Comparison::concepts`]: the grader's verdict, `None` where the
    /// attempt was not graded on that concept.
    pub statuses: Vec<Option<ConceptStatus>>,
    /// Parallel to [`Comparison::concepts`]: the learner's claim, if any.
    pub claims: Vec<Option<Claim>>,
    /// The attempt's own concepts with claims, and its self-assessed score.
    pub assessed: Assessed,
    /// Concepts covered now that the previous attempt lacked.
    pub gained: Vec<String>,
    /// Concepts the previous attempt covered that this one lacks.
    pub lost: Vec<String>,
}

pub struct Comparison {
    pub question: Arc<BankQuestion>,
    pub concepts: Vec<String>,
    pub columns: Vec<AttemptColumn>,
    /// The learner's claims on this question, counted per concept.
    pub claim_counts: Vec<ClaimCountRow>,
}

/// Every attempt of the user at `question_id`, oldest first, with what changed each time.
pub async fn comparison(state: &Practice, user: &User, question_id: &str) -> Result<Comparison, Error> {
    let question = state
        .bank()
        .get(question_id)
        .ok_or_else(|| Error::NotFound(format!("There is no question {question_id:?}.")))?;
    let attempts = state.store.question_attempts(&user.id, question_id).await?;
    let claims = state.store.user_claims(&user.id, Some(question_id)).await?;
    let claim_counts = state.store.question_claim_counts(question_id, Some(&user.id)).await?;
    let mut concepts: Vec<String> = question.prepared.concepts().iter().map(|c| c.label.clone()).collect();
    let mut columns: Vec<AttemptColumn> = Vec::with_capacity(attempts.len());
    let mut previous: Option<Vec<String>> = None;
    for attempt in attempts {
        let stored = StoredGrade::parse(&attempt.grade);
        let assessed = Assessed::of(&attempt, &claims);
        for c in &stored.concepts {
            if !concepts.contains(&c.label) {
                concepts.push(c.label.clone());
            }
        }
        let statuses: Vec<Option<ConceptStatus>> =
            concepts.iter().map(|label| stored.concepts.iter().find(|c| &c.label == label).map(|c| c.status)).collect();
        let covered: Vec<String> = stored.labels(ConceptStatus::Covered);
        let (gained, lost) = match &previous {
            Some(before) => (
                covered.iter().filter(|c| !before.contains(c)).cloned().collect(),
                before.iter().filter(|c| !covered.contains(c)).cloned().collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        previous = Some(covered);
        let claims = concepts.iter().map(|label| assessed.claim(label)).collect();
        columns.push(AttemptColumn { attempt, statuses, claims, assessed, gained, lost });
    }
    // Concepts discovered late (bank edits) pad earlier columns.
    for column in &mut columns {
        column.statuses.resize(concepts.len(), None);
        column.claims.resize(concepts.len(), None);
    }
    Ok(Comparison { question, concepts, columns, claim_counts })
}
