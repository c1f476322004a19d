//! Choosing the questions of a new interview: a mixed mock interview, or a drill that
//! serves what is due and what is weakest first.
use rand::seq::SliceRandom;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::{BankQuestion, Error, InterviewRequest, Practice, QuestionBank, DEFAULT_COUNT, MAX_COUNT};
use crate::domain::Interview;
use crate::domain::{Mode, User};
use crate::grading::Band;
use crate::learning::mastery::{question_mastery, topic_mastery};
use crate::learning::weak::weak_concepts;
use crate::store::now_millis;

/// Longest per-question timer accepted (seconds).
pub const MAX_TIMER_SECONDS: i64 = 30 * 60;

/// Picks questions and stores a new interview; returns it with its first question.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn start_interview(
    state: &Practice,
    user: &User,
    request: InterviewRequest,
) -> Result<(Interview, Arc<BankQuestion>), Error> {
    let bank = state.bank();
    if let Some(t) = request.timer_seconds.filter(|t| !(10..=MAX_TIMER_SECONDS).contains(t)) {
        return Err(Error::Invalid(format!("The timer must be 10 to {MAX_TIMER_SECONDS} seconds, not {t}.")));
    }
    if let Some(id) = request.question.as_deref() {
        return one_question(state, user, &bank, id, &request).await;
    }
    let count = request.count.unwrap_or(DEFAULT_COUNT);
    if count == 0 || count > MAX_COUNT {
        return Err(Error::Invalid(format!("An interview has 1 to {MAX_COUNT} questions, not {count}.")));
    }
    let topics = resolve_topics(&bank, &request.topics)?;
    // Counted once the request is valid: a mistyped topic costs nothing.
    state.limits.check(user, super::Limited::Interview)?;
    let eligible: Vec<&Arc<BankQuestion>> =
        bank.active().filter(|q| topics.is_empty() || topics.contains(&q.topic_id)).collect();
    let chosen = match request.mode {
        Mode::Mock => {
            let asked = state.store.last_asked(&user.id).await?;
            let last: HashMap<&str, (i64, &str)> =
                asked.iter().map(|(q, at, id)| (q.as_str(), (*at, id.as_str()))).collect();
            mixed(&eligible, count, &last)
        }
        Mode::Drill => drill(state, user, &bank, &eligible, count).await?,
    };
    let first = chosen
        .first()
        .cloned()
        .ok_or_else(|| Error::Unavailable("The question bank is empty; ask the admin to import questions.".into()))?;
    let ids: Vec<String> = chosen.iter().map(|q| q.id.clone()).collect();
    let interview = state.store.create_interview(&user.id, request.mode, &topics, &ids, request.timer_seconds).await?;
    Ok((interview, first))
}

/// What a drill would start with for `user`: how many questions are due now and how
/// many concepts they keep missing. The practice page says so beside the choice, so a
/// new learner knows a drill cannot yet serve what is due or weak (a walk-through's new
/// learner started one and was given untried questions without a word).
pub async fn drill_outlook(state: &Practice, user: &User) -> Result<(usize, usize), Error> {
    let due = due_now(state, user).await?;
    let stats = state.store.concept_stats(&user.id).await?;
    let weak = weak_concepts(&super::progress::tallies(&stats), 20).len();
    Ok((due, weak))
}

/// How many of `user`'s questions (not retired) are due for review now, at most 200
/// (the home page's count).
pub async fn due_now(state: &Practice, user: &User) -> Result<usize, Error> {
    let bank = state.bank();
    let due = super::review::due_by_recall(state, user, now_millis(), 200).await?;
    Ok(due.iter().filter(|d| bank.question(&d.row.question_id).is_some_and(|q| !q.retired)).count())
}

/// An interview of one question the learner chose (from its page): practising a
/// question they keep missing should not take starting interviews until it comes up.
async fn one_question(
    state: &Practice,
    user: &User,
    bank: &QuestionBank,
    id: &str,
    request: &InterviewRequest,
) -> Result<(Interview, Arc<BankQuestion>), Error> {
    if let Some(n) = request.count.filter(|n| *n != 1) {
        return Err(Error::Invalid(format!(
            "Practising one chosen question makes an interview of 1 question, not {n}; leave the count out."
        )));
    }
    if request.topics.iter().any(|t| !t.trim().is_empty()) {
        return Err(Error::Invalid("Choose one question or topics to practise, not both.".into()));
    }
    let question = bank
        .get(id.trim())
        .filter(|q| !q.retired)
        .ok_or_else(|| Error::NotFound(format!("There is no question {:?} to practise in the bank.", id.trim())))?;
    state.limits.check(user, super::Limited::Interview)?;
    let topics = [question.topic_id.clone()];
    let ids = [question.id.clone()];
    let interview = state.store.create_interview(&user.id, request.mode, &topics, &ids, request.timer_seconds).await?;
    Ok((interview, question))
}

/// What to tell a learner whose interview has fewer questions (`has`) than they asked
/// for (`asked`) because the chosen topics hold fewer; `None` when it has them all.
pub fn shortened_notice(asked: usize, has: usize) -> Option<String> {
    (asked > has).then(|| {
        let has = if has == 1 { "1 question".to_string() } else { format!("{has} questions") };
        format!("You asked for {asked} questions; the topics you chose have {has} to ask, so this interview has {has}.")
    })
}

/// Alternates between topics, so a mock interview is mixed; within a topic, questions
/// never asked (per `last_asked`) come first in random order, then the least recently asked.
fn mixed(
    eligible: &[&Arc<BankQuestion>],
    count: usize,
    last_asked: &HashMap<&str, (i64, &str)>,
) -> Vec<Arc<BankQuestion>> {
    let mut by_topic: BTreeMap<&str, Vec<&Arc<BankQuestion>>> = BTreeMap::new();
    for q in eligible {
        by_topic.entry(q.topic_id.as_str()).or_default().push(q);
    }
    let mut rng = rand::thread_rng();
    let mut queues: Vec<Vec<&Arc<BankQuestion>>> = by_topic.into_values().collect();
    queues.shuffle(&mut rng);
    for queue in &mut queues {
        queue.shuffle(&mut rng);
        // Questions are taken from the end: the ones never asked first (in random
        // order), then the ones asked longest ago, so consecutive mock interviews go
        // round a topic before repeating a question.
        queue.sort_by_key(|q| std::cmp::Reverse(last_asked.get(q.id.as_str()).copied()));
    }
    let mut chosen: Vec<Arc<BankQuestion>> = Vec::with_capacity(count);
    while chosen.len() < count && queues.iter().any(|q| !q.is_empty()) {
        for queue in &mut queues {
            if chosen.len() < count {
                if let Some(q) = queue.pop() {
                    chosen.push((*q).clone());
                }
            }
        }
    }
    chosen
}

/// A drill's order: due questions (least likely to be recalled first), then questions whose concepts
/// the user keeps missing (lowest score first), then the weakest tried questions of the weakest topics, then
/// untried questions of those topics, then anything else.
async fn drill(
    state: &Practice,
    user: &User,
    bank: &QuestionBank,
    eligible: &[&Arc<BankQuestion>],
    count: usize,
) -> Result<Vec<Arc<BankQuestion>>, Error> {
    let allowed: HashSet<&str> = eligible.iter().map(|q| q.id.as_str()).collect();
    let mut order: Vec<String> = Vec::new();

    let due = super::review::due_by_recall(state, user, now_millis(), 200).await?;
    order.extend(due.into_iter().map(|d| d.row.question_id));

    let scores = super::self_assessed_scores(state, user).await?;
    let attempts = super::progress::scored(bank, &scores);
    let per_question = question_mastery(&attempts);

    // Questions of the concepts the user keeps missing, the lowest-scoring first (the
    // learner reads the order as "weakest first"; by concept alone, a question scored
    // 83 could come before one scored 1).
    let stats = state.store.concept_stats(&user.id).await?;
    let tallies = super::progress::tallies(&stats);
    // (A question of several weak concepts appears more than once; the order is
    // deduplicated below.)
    let mut weak_questions: Vec<String> = weak_concepts(&tallies, 20).into_iter().flat_map(|w| w.questions).collect();
    let mastery_of = |id: &str| per_question.get(id).copied().unwrap_or(f64::INFINITY);
    weak_questions.sort_by(|a, b| mastery_of(a).total_cmp(&mastery_of(b)));
    order.extend(weak_questions);
    let infos = super::progress::topic_infos(eligible.iter().copied());
    for topic in topic_mastery(&infos, &attempts) {
        let mut tried: Vec<(&str, f64)> = eligible
            .iter()
            .filter(|q| q.topic_id == topic.topic_id)
            .filter_map(|q| per_question.get(q.id.as_str()).map(|m| (q.id.as_str(), *m)))
            .collect();
        tried.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
        // Questions not yet mastered to the strong band.
        order.extend(
            tried.into_iter().filter(|(_, m)| Band::from_score(*m) != Band::Strong).map(|(id, _)| id.to_string()),
        );
        let mut untried: Vec<&Arc<BankQuestion>> = eligible
            .iter()
            .filter(|q| q.topic_id == topic.topic_id && !per_question.contains_key(q.id.as_str()))
            .copied()
            .collect();
        untried.shuffle(&mut rand::thread_rng());
        order.extend(untried.into_iter().map(|q| q.id.clone()));
    }
    order.extend(mixed(eligible, eligible.len(), &HashMap::new()).into_iter().map(|q| q.id.clone()));

    let mut seen = HashSet::new();
    Ok(order
        .into_iter()
        .filter(|id| allowed.contains(id.as_str()) && seen.insert(id.clone()))
        .filter_map(|id| bank.get(&id))
        .take(count)
        .collect())
}

/// Maps topic ids or names (any case) to topic ids; unknown ones are an error that lists the known ones.
fn resolve_topics(bank: &QuestionBank, wanted: &[String]) -> Result<Vec<String>, Error> {
    let mut known: BTreeMap<String, String> = BTreeMap::new();
    for q in bank.active() {
        known.insert(q.topic_id.to_lowercase(), q.topic_id.clone());
        known.insert(q.topic_name.to_lowercase(), q.topic_id.clone());
    }
    let mut ids = Vec::new();
    for w in wanted.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
        let id = known.get(&w.to_lowercase()).ok_or_else(|| {
            let mut names: Vec<&str> = bank.active().map(|q| q.topic_id.as_str()).collect();
            names.dedup();
            Error::Invalid(format!("Unknown topic {w:?}. Known topics: {}.", names.join(", ")))
        })?;
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    Ok(ids)
}
