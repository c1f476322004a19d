//! SM-2 (Wozniak, 1990), the schedule used before FSRS ([`super::schedule`]). Kept for
//! the schedule simulation (`examples/schedule_sim.rs`), which compares the two on the
//! same simulated learners, and as the reference for the rating mapping's cut points.
//!
//! The grade's score (0..1) becomes SM-2's quality (0..5) with the same cut points as the
//! grader's bands ([`quality`]). A failed review (quality < 3) restarts the card with a
//! short learning step of [`RELEARN_MINUTES`], so a weak answer comes back in the same
//! sitting or the next drill; passing reviews space out 1 day, 6 days, then the previous
//! interval times the ease factor. Ease starts at 2.5, moves with each quality by SM-2's
//! formula and never drops below 1.3.
use super::DAY_MS;
use crate::grading::Band;

/// Minutes until a failed question is due again.
pub const RELEARN_MINUTES: i64 = 10;
pub const INITIAL_EASE: f64 = 2.5;
pub const MIN_EASE: f64 = 1.3;

/// SM-2 state of one user and question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    /// Consecutive passing reviews.
    pub repetitions: i64,
    pub ease: f64,
    pub interval_days: f64,
    /// When the question is due again (Unix milliseconds).
    pub due_at: i64,
}

/// SM-2 quality from the grader's score and its band (cut points in
/// [`Band::from_score`]): strong (>= 0.85) 5, strong 4, upper partial (>= 0.55) 3,
/// lower partial 2, weak 1, off-topic 0. Qualities below 3 are failures.
pub fn quality(score: f64) -> u8 {
    match Band::from_score(score) {
        Band::Strong if score >= 0.85 => 5,
        Band::Strong => 4,
        Band::Partial if score >= 0.55 => 3,
        Band::Partial => 2,
        Band::Weak => 1,
        Band::OffTopic => 0,
    }
}

/// The schedule after answering with `score` at `now` (ms), given the previous one.
pub fn review(previous: Option<&Schedule>, score: f64, now: i64) -> Schedule {
    let q = f64::from(quality(score));
    let (repetitions, ease, interval) =
        previous.map(|s| (s.repetitions, s.ease, s.interval_days)).unwrap_or((0, INITIAL_EASE, 0.0));
    let ease = (ease + 0.1 - (5.0 - q) * (0.08 + (5.0 - q) * 0.02)).max(MIN_EASE);
    if q < 3.0 {
        let interval_days = RELEARN_MINUTES as f64 / (24.0 * 60.0);
        return Schedule { repetitions: 0, ease, interval_days, due_at: now + RELEARN_MINUTES * 60_000 };
    }
    let repetitions = repetitions + 1;
    let interval_days = match repetitions {
        1 => 1.0,
        2 => 6.0,
        _ => (interval * ease).max(1.0),
    };
    let due_at = now + (interval_days * DAY_MS as f64).round() as i64;
    Schedule { repetitions, ease, interval_days, due_at }
}

/// The schedule after a whole history of reviews (score, time), oldest first: what
/// [`review`] gives when applied answer by answer. Used to re-derive a schedule when the
/// score of a past answer changes (a self-assessment claim); `None` without reviews.
pub fn replay(reviews: impl IntoIterator<Item = (f64, i64)>) -> Option<Schedule> {
    reviews.into_iter().fold(None, |previous, (score, at)| Some(review(previous.as_ref(), score, at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn a_strong_answer_is_pushed_further_out_than_a_weak_one() {
        let strong = review(None, 0.95, NOW);
        let weak = review(None, 0.2, NOW);
        assert!(strong.due_at > weak.due_at);
        assert_eq!(weak.due_at, NOW + RELEARN_MINUTES * 60_000, "a weak answer comes back soon");
        assert_eq!(strong.interval_days, 1.0);
    }

    #[test]
    fn passing_reviews_space_out_and_a_failure_resets() {
        let first = review(None, 0.9, NOW);
        let second = review(Some(&first), 0.9, first.due_at);
        let third = review(Some(&second), 0.9, second.due_at);
        assert_eq!((first.interval_days, second.interval_days), (1.0, 6.0));
        assert!(third.interval_days > 6.0 * 2.0, "third interval grows by the ease: {}", third.interval_days);
        let lapse = review(Some(&third), 0.1, third.due_at);
        assert_eq!(lapse.repetitions, 0);
        assert!(lapse.ease < third.ease, "a lapse makes the question harder");
    }

    #[test]
    fn ease_never_drops_below_the_floor_and_quality_follows_the_bands() {
        let mut s = review(None, 0.0, NOW);
        for _ in 0..20 {
            s = review(Some(&s), 0.0, s.due_at);
        }
        assert_eq!(s.ease, MIN_EASE);
        let cases = [(1.0, 5), (0.85, 5), (0.7, 4), (0.6, 3), (0.45, 2), (0.2, 1), (0.0, 0)];
        for (score, q) in cases {
            assert_eq!(quality(score), q, "score {score}");
        }
    }

    #[test]
    fn replaying_a_history_gives_the_schedule_built_answer_by_answer() {
        let history = [(0.9, NOW), (0.3, NOW + DAY_MS), (0.75, NOW + 2 * DAY_MS)];
        let mut step = None;
        for (score, at) in history {
            step = Some(review(step.as_ref(), score, at));
        }
        assert_eq!(replay(history), step);
        assert_eq!(replay([]), None);
        let better = replay([(0.9, NOW), (0.9, NOW + DAY_MS), (0.75, NOW + 2 * DAY_MS)]).map(|s| s.due_at);
        assert!(better > step.map(|s| s.due_at), "a better past answer pushes the question further out");
    }
}
