//! How the learner's answers are delivered: the figures under each answer, and over
//! time, filler words per answer and speaking pace from the latest first answers.
use super::{BankQuestion, Error, Practice};
use crate::domain::{TimeTaken, User};
use crate::grading::delivery::{self, Delivery, KeyTerms};
use crate::learning::DAY_MS;
use crate::store::DeliveryRow;

/// First answers looked at, newest first: enough for a trend, bounded whatever the history.
pub const DELIVERY_ANSWERS: i64 = 200;
/// Periods shown at most (days while the answers span a month or less, else weeks).
const DELIVERY_POINTS: usize = 30;

/// Delivery over one day or week.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryPoint {
    /// Start of the period: Unix milliseconds (UTC).
    pub start: i64,
    pub answers: usize,
    /// Mean number of filler words per answer.
    pub fillers_per_answer: f64,
    /// Mean words per minute over the spoken answers whose time is known (a typed
    /// answer's time is mostly thinking and typing, not a pace); `None` without any.
    pub words_per_minute: Option<u32>,
}

/// The delivery trend: whether periods are weeks, and the periods oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryTrend {
    pub weekly: bool,
    pub points: Vec<DeliveryPoint>,
}

/// How `answer` to `question` was delivered (time taken in milliseconds): the figures
/// of [`delivery::analyse_with`], with the question's own words
/// ([`BankQuestion::own_terms`]) never among the words leant on. An answer to
/// "container vs VM" has to say "container" and "kernel" again and again: listed as
/// leant on, they read as a fault (a learner's report: "kernel ×3, container ×3").
pub fn answer_delivery(answer: &str, question: Option<&BankQuestion>, time_taken_ms: Option<i64>) -> Delivery {
    match question {
        Some(q) => delivery::analyse_leaving_out(answer, &q.key_terms, &q.own_terms, time_taken_ms),
        None => delivery::analyse_with(answer, &KeyTerms::default(), time_taken_ms),
    }
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn delivery_trend(state: &Practice, user: &User) -> Result<DeliveryTrend, Error> {
    let rows = state.store.recent_deliveries(&user.id, DELIVERY_ANSWERS).await?;
    Ok(trend_of(&rows))
}

/// Groups answers (in any order) into days, or weeks when they span more than the
/// periods shown, and keeps the latest periods.
pub fn trend_of(rows: &[DeliveryRow]) -> DeliveryTrend {
    let (first, last) = match (rows.iter().map(|r| r.created_at).min(), rows.iter().map(|r| r.created_at).max()) {
        (Some(first), Some(last)) => (first, last),
        _ => return DeliveryTrend { weekly: false, points: Vec::new() },
    };
    let weekly = last - first > DELIVERY_POINTS as i64 * DAY_MS;
    let width = if weekly { 7 * DAY_MS } else { DAY_MS };
    // period start → (answers, fillers, sum of paces, answers with a pace)
    let mut periods: std::collections::BTreeMap<i64, (usize, usize, u64, u64)> = Default::default();
    for row in rows {
        let took =
            row.time_taken_ms.and_then(|t| TimeTaken::parse(t).ok()).map(TimeTaken::millis).filter(|_| row.spoken);
        let d = delivery::pace(&row.answer, took);
        let p = periods.entry(row.created_at.div_euclid(width) * width).or_default();
        p.0 += 1;
        p.1 += d.filler_total;
        if let Some(wpm) = d.words_per_minute {
            p.2 += u64::from(wpm);
            p.3 += 1;
        }
    }
    let skip = periods.len().saturating_sub(DELIVERY_POINTS);
    let points = periods
        .into_iter()
        .skip(skip)
        .map(|(start, (answers, fillers, paces, timed))| DeliveryPoint {
            start,
            answers,
            fillers_per_answer: fillers as f64 / answers as f64,
            words_per_minute: (timed > 0).then(|| ((paces as f64) / (timed as f64)).round() as u32),
        })
        .collect();
    DeliveryTrend { weekly, points }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(answer: &str, took: Option<i64>, at: i64) -> DeliveryRow {
        DeliveryRow { answer: answer.into(), time_taken_ms: took, created_at: at, spoken: true }
    }

    #[test]
    fn answers_are_grouped_by_day_with_fillers_per_answer_and_pace() {
        let day = DAY_MS;
        let rows = [
            row("Um, a pod, like, runs containers.", Some(30_000), day + 5),
            row("A pod runs containers together.", None, day + 10),
            row("Basically a pod is a group of containers.", Some(60_000), 3 * day),
        ];
        let t = trend_of(&rows);
        assert!(!t.weekly);
        assert_eq!(t.points.len(), 2, "two days");
        assert_eq!(t.points[0].start, day);
        assert_eq!(t.points[0].answers, 2);
        assert!((t.points[0].fillers_per_answer - 1.0).abs() < 1e-9, "um and like over two answers: {:?}", t.points[0]);
        assert_eq!(t.points[0].words_per_minute, Some(12), "6 words in 30 s; the untimed answer has no pace");
        assert_eq!(t.points[1].words_per_minute, Some(8));
        // Typed answers count for fillers but have no pace (their time is thinking).
        let typed = DeliveryRow { spoken: false, ..row("Um, a pod, like, runs containers.", Some(30_000), day) };
        let t = trend_of(&[typed]);
        assert_eq!(t.points[0].words_per_minute, None);
        assert!((t.points[0].fillers_per_answer - 2.0).abs() < 1e-9);
    }

    #[test]
    fn a_long_history_is_shown_by_week_and_no_answers_give_no_points() {
        let rows = [row("A pod.", None, 0), row("A pod.", None, 60 * DAY_MS)];
        let t = trend_of(&rows);
        assert!(t.weekly);
        assert_eq!(t.points.len(), 2);
        assert_eq!(trend_of(&[]).points, Vec::new());
    }
}
