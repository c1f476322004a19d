//! Mastery: how well a user knows a question, a topic, and how that moved over time.
//!
//! A question's mastery is the recency-weighted mean of its scores: the latest attempt
//! has weight 1, the one before [`RECENCY_DECAY`], the one before that its square, and
//! so on, so improvement shows quickly without forgetting history. A topic's mastery is
//! the mean over the questions tried; untried questions are unknown, not zero, and are
//! reported as coverage (`tried` of `total`) instead.
use std::collections::{BTreeMap, HashMap};

use super::DAY_MS;

pub const RECENCY_DECAY: f64 = 0.5;

/// One graded attempt, as the learning loop sees it.
#[derive(Debug, Clone, Copy)]
pub struct ScoredAttempt<'a> {
    pub question_id: &'a str,
    pub topic_id: &'a str,
    pub score: f64,
    /// Unix milliseconds.
    pub at: i64,
}

/// A topic and how many active questions it has.
#[derive(Debug, Clone)]
pub struct TopicInfo {
    pub id: String,
    pub name: String,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TopicMastery {
    pub topic_id: String,
    pub name: String,
    /// `None` until a question of the topic has been tried.
    pub mastery: Option<f64>,
    pub attempts: usize,
    /// Questions with an answer that counts.
    pub tried: usize,
    /// Questions answered, but only with grades the grader was unsure of (not counted,
    /// so not in `tried` or the mastery); filled in by the caller that knows them.
    pub unsure_only: usize,
    pub total: usize,
}

/// Running recency-weighted mean.
#[derive(Debug, Default, Clone, Copy)]
struct Weighted {
    sum: f64,
    weight: f64,
}

impl Weighted {
    fn push(&mut self, score: f64) {
        self.sum = self.sum * RECENCY_DECAY + score;
        self.weight = self.weight * RECENCY_DECAY + 1.0;
    }
    fn value(&self) -> f64 {
        if self.weight > 0.0 {
            self.sum / self.weight
        } else {
            0.0
        }
    }
}

/// Mastery per question from attempts given oldest first.
pub fn question_mastery<'a>(attempts: &[ScoredAttempt<'a>]) -> HashMap<&'a str, f64> {
    let mut by_question: HashMap<&str, Weighted> = HashMap::new();
    for a in attempts {
        by_question.entry(a.question_id).or_default().push(a.score);
    }
    by_question.into_iter().map(|(q, w)| (q, w.value())).collect()
}

/// Mastery per topic, weakest first; topics never tried come last (by name).
pub fn topic_mastery(topics: &[TopicInfo], attempts: &[ScoredAttempt<'_>]) -> Vec<TopicMastery> {
    let per_question = question_mastery(attempts);
    let mut topic_of: HashMap<&str, &str> = HashMap::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for a in attempts {
        topic_of.insert(a.question_id, a.topic_id);
        *counts.entry(a.topic_id).or_default() += 1;
    }
    let mut list: Vec<TopicMastery> = topics
        .iter()
        .map(|t| {
            let scores: Vec<f64> = per_question
                .iter()
                .filter(|(q, _)| topic_of.get(*q).is_some_and(|tid| *tid == t.id))
                .map(|(_, m)| *m)
                .collect();
            TopicMastery {
                topic_id: t.id.clone(),
                name: t.name.clone(),
                mastery: mean(&scores),
                attempts: counts.get(t.id.as_str()).copied().unwrap_or(0),
                tried: scores.len(),
                unsure_only: 0,
                total: t.total.max(scores.len()),
            }
        })
        .collect();
    list.sort_by(|a, b| match (a.mastery, b.mastery) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.name.cmp(&b.name)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.name.cmp(&b.name),
    });
    list
}

fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        None
    } else {
        // Sorted before summing so the result never depends on hash-map order.
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        Some(v.iter().sum::<f64>() / v.len() as f64)
    }
}

/// Width of one trend point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Day,
    Week,
}

impl Bucket {
    fn millis(self) -> i64 {
        match self {
            Bucket::Day => DAY_MS,
            Bucket::Week => 7 * DAY_MS,
        }
    }
}

/// Mastery as it stood at the end of each day (or week) that had attempts.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// Start of the bucket (Unix milliseconds, UTC).
    pub start: i64,
    /// Mean mastery over every question tried so far.
    pub overall: f64,
    /// Per topic id, mastery so far (topics not yet tried are absent).
    pub topics: BTreeMap<String, f64>,
}

/// Trend of mastery from attempts given oldest first; at most `max_points`, latest kept.
pub fn trend(attempts: &[ScoredAttempt<'_>], bucket: Bucket, max_points: usize) -> Vec<TrendPoint> {
    let mut state: BTreeMap<&str, (Weighted, &str)> = BTreeMap::new();
    let mut points: Vec<TrendPoint> = Vec::new();
    let width = bucket.millis();
    let mut i = 0;
    while i < attempts.len() {
        let start = attempts[i].at.div_euclid(width) * width;
        while i < attempts.len() && attempts[i].at < start + width {
            let a = attempts[i];
            state.entry(a.question_id).or_insert((Weighted::default(), a.topic_id)).0.push(a.score);
            i += 1;
        }
        let mut by_topic: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for (w, topic) in state.values() {
            by_topic.entry(topic).or_default().push(w.value());
        }
        let all: Vec<f64> = state.values().map(|(w, _)| w.value()).collect();
        points.push(TrendPoint {
            start,
            overall: mean(&all).unwrap_or(0.0),
            topics: by_topic.into_iter().filter_map(|(t, v)| mean(&v).map(|m| (t.to_string(), m))).collect(),
        });
    }
    let skip = points.len().saturating_sub(max_points);
    points.split_off(skip)
}

/// Days in a row, ending today or yesterday (UTC), with at least one attempt.
pub fn streak(attempt_times: &[i64], now: i64) -> i64 {
    let mut days: Vec<i64> = attempt_times.iter().map(|t| t.div_euclid(DAY_MS)).collect();
    days.sort_unstable();
    days.dedup();
    let today = now.div_euclid(DAY_MS);
    let Some(&last) = days.last() else { return 0 };
    if last < today - 1 {
        return 0;
    }
    let mut count = 1;
    for pair in days.windows(2).rev() {
        if pair[1] - pair[0] == 1 {
            count += 1;
        } else {
            break;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(question_id: &'static str, topic_id: &'static str, score: f64, day: i64) -> ScoredAttempt<'static> {
        ScoredAttempt { question_id, topic_id, score, at: day * DAY_MS + 1000 }
    }

    fn topics() -> Vec<TopicInfo> {
        vec![
            TopicInfo { id: "docker".into(), name: "Docker".into(), total: 4 },
            TopicInfo { id: "k8s".into(), name: "Kubernetes".into(), total: 4 },
            TopicInfo { id: "aws".into(), name: "AWS".into(), total: 3 },
        ]
    }

    #[test]
    fn recent_attempts_count_more() {
        let m = question_mastery(&[at("q", "docker", 0.0, 1), at("q", "docker", 1.0, 2)]);
        assert!((m["q"] - 2.0 / 3.0).abs() < 1e-9, "latest weight 1, previous 0.5: {}", m["q"]);
    }

    #[test]
    fn topics_are_ordered_weakest_first_and_untried_ones_are_unknown() {
        let attempts = [at("d1", "docker", 0.9, 1), at("k1", "k8s", 0.2, 1), at("k2", "k8s", 0.4, 2)];
        let list = topic_mastery(&topics(), &attempts);
        let order: Vec<&str> = list.iter().map(|t| t.topic_id.as_str()).collect();
        assert_eq!(order, ["k8s", "docker", "aws"]);
        assert!((list[0].mastery.unwrap_or(0.0) - 0.3).abs() < 1e-9);
        assert_eq!((list[0].tried, list[0].total, list[0].attempts), (2, 4, 2));
        assert_eq!(list[2].mastery, None, "never tried is unknown, not zero");
    }

    #[test]
    fn the_trend_has_one_point_per_active_day_and_shows_improvement() {
        let attempts = [at("q1", "docker", 0.2, 10), at("q1", "docker", 0.6, 12), at("q1", "docker", 1.0, 12)];
        let points = trend(&attempts, Bucket::Day, 30);
        assert_eq!(points.len(), 2);
        assert!(points[1].overall > points[0].overall);
        assert_eq!(points[0].start, 10 * DAY_MS);
        assert_eq!(trend(&attempts, Bucket::Week, 30).len(), 1);
        assert_eq!(trend(&attempts, Bucket::Day, 1).len(), 1, "keeps the latest points");
    }

    #[test]
    fn a_streak_counts_consecutive_days_up_to_today_or_yesterday() {
        let now = 100 * DAY_MS + 5;
        let t = |d: i64| d * DAY_MS + 60_000;
        assert_eq!(streak(&[t(98), t(99), t(100), t(100)], now), 3);
        assert_eq!(streak(&[t(97), t(99)], now), 1, "yesterday still counts");
        assert_eq!(streak(&[t(90), t(91)], now), 0, "broken streak");
        assert_eq!(streak(&[], now), 0);
    }
}
