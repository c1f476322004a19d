//! Spaced repetition with FSRS (the `fsrs` crate of the open-spaced-repetition project,
//! the scheduler Anki uses by default), driven by the automatic grade.
//!
//! # From grade to rating
//! FSRS takes one of four ratings per review. Ours comes from the *self-assessed* score
//! (the grader's score moved by the learner's "I covered this" / "I got this wrong"
//! claims, [`super::claims`]), with the cut points SM-2's quality used ([`Rating::from_score`]):
//!
//! | score | band | rating | SM-2 quality it replaces |
//! |---|---|---|---|
//! | ≥ 0.85 | strong, nearly complete | Easy | 5 |
//! | 0.70 – 0.85 | strong | Good | 4 |
//! | 0.55 – 0.70 | upper partial | Hard | 3 |
//! | < 0.55 | lower partial, weak, off-topic | Again (a lapse) | 0 – 2 |
//!
//! Why these: FSRS's one hard line is recalled (Hard, Good, Easy) against forgotten
//! (Again), and it is where SM-2 drew its pass line too, so a review that failed before
//! the switch is a lapse now and converted SM-2 schedules keep their meaning. An answer
//! covering less than about half of the model answer's concepts is not counted as
//! remembered: counting the whole partial band (0.40 – 0.70) as recall would stretch the
//! intervals of questions the learner only half knows. Above the line, the rating grows
//! with how much of the answer was there. Unlike Anki's buttons, the rating cannot be
//! pressed carelessly; a learner who disagrees with the grader says so concept by
//! concept, and the claim moves the score that is rated. Retries, given right after
//! the model answer was shown, are not reviews at all.
//!
//! # Scheduling
//! After a lapse the question is due again in [`RELEARN_MINUTES`] (a learning step, so a
//! weak answer comes back in the same sitting or the next drill). Otherwise it is due
//! after the interval at which FSRS predicts the learner's recall falls to their desired
//! retention (0.9 unless they change it), in whole days, at least one and at most
//! [`MAX_INTERVAL_DAYS`]. Time since the last review is counted in whole days, FSRS's
//! unit; a second review on the same day goes through FSRS's short-term formula.
//!
//! Each learner is a [`Learner`]: FSRS with their own parameters once they have been
//! fitted from their review log ([`super::parameters`]), the crate's defaults until then.
use fsrs::{MemoryState, DEFAULT_PARAMETERS, FSRS};

use super::DAY_MS;

/// Minutes until a failed question is due again.
pub const RELEARN_MINUTES: i64 = 10;
/// The longest interval given (a century: effectively "known").
pub const MAX_INTERVAL_DAYS: f64 = 36_500.0;
/// Desired retention of a learner who has not chosen one.
pub const DEFAULT_RETENTION: f64 = 0.9;
/// Desired retention a learner may choose. Below 0.7 most reviews would be lapses; above
/// 0.97 the number of reviews grows steeply for little more recall.
pub const RETENTION_RANGE: std::ops::RangeInclusive<f64> = 0.70..=0.97;
/// The recall SM-2 is taken to have reached on its due dates when its schedules are
/// converted: the retention Anki assumes for SM-2 history.
pub const SM2_RETENTION: f32 = 0.9;

/// FSRS's four ratings of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    /// The rating of a review scored `score` (self-assessed, 0..1); see the module doc.
    pub fn from_score(score: f64) -> Rating {
        if score >= 0.85 {
            Rating::Easy
        } else if score >= 0.70 {
            Rating::Good
        } else if score >= 0.55 {
            Rating::Hard
        } else {
            Rating::Again
        }
    }

    /// Whether the review counts as recalled (every rating but Again).
    pub fn recalled(self) -> bool {
        self != Rating::Again
    }

    /// FSRS's number for it, 1..4.
    pub fn number(self) -> u32 {
        self as u32
    }
}

/// FSRS state of one user and question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    /// Days after the last review until predicted recall falls to 90%.
    pub stability: f64,
    /// 1 (easy) .. 10 (hard): how slowly stability grows.
    pub difficulty: f64,
    /// The interval this review set, in days.
    pub interval_days: f64,
    /// When the question was last reviewed (Unix milliseconds).
    pub last_review_at: i64,
    /// When the question is due again (Unix milliseconds).
    pub due_at: i64,
}

/// Parameters that FSRS refuses (wrong count, not finite).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("FSRS parameters refused: {0}")]
pub struct InvalidParameters(String);

/// One learner's FSRS: their parameters (or the defaults) and desired retention.
#[derive(Debug, Clone)]
pub struct Learner {
    fsrs: FSRS,
    parameters: Vec<f32>,
    desired_retention: f64,
    personal: bool,
}

impl Learner {
    /// A learner on the crate's default parameters, fitted to the average user of the
    /// open spaced-repetition benchmark.
    pub fn with_defaults(desired_retention: f64) -> Learner {
        Learner {
            fsrs: FSRS::default(),
            parameters: DEFAULT_PARAMETERS.to_vec(),
            desired_retention: clamp_retention(desired_retention),
            personal: false,
        }
    }

    /// A learner on their own fitted parameters.
    pub fn with_parameters(parameters: &[f32], desired_retention: f64) -> Result<Learner, InvalidParameters> {
        if parameters.len() != DEFAULT_PARAMETERS.len() {
            return Err(InvalidParameters(format!(
                "{} parameters, not {}",
                parameters.len(),
                DEFAULT_PARAMETERS.len()
            )));
        }
        let fsrs = FSRS::new(parameters).map_err(|e| InvalidParameters(e.to_string()))?;
        Ok(Learner {
            fsrs,
            parameters: parameters.to_vec(),
            desired_retention: clamp_retention(desired_retention),
            personal: true,
        })
    }

    /// The learner's own parameters when there are some and FSRS accepts them, else the
    /// defaults: stored parameters that turn out unusable never stop anyone practising.
    pub fn for_user(parameters: Option<&[f32]>, desired_retention: f64) -> Learner {
        parameters
            .and_then(|p| Learner::with_parameters(p, desired_retention).ok())
            .unwrap_or_else(|| Learner::with_defaults(desired_retention))
    }

    /// Whether the parameters were fitted to this learner (not the defaults).
    pub fn personal(&self) -> bool {
        self.personal
    }

    pub fn parameters(&self) -> &[f32] {
        &self.parameters
    }

    pub fn desired_retention(&self) -> f64 {
        self.desired_retention
    }

    /// The schedule after answering with `score` (self-assessed) at `now` (ms), given the
    /// previous one.
    pub fn review(&self, previous: Option<&Schedule>, score: f64, now: i64) -> Schedule {
        let rating = Rating::from_score(score);
        let (state, elapsed) = match previous {
            Some(s) => (Some(memory(s)), whole_days(now - s.last_review_at)),
            None => (None, 0),
        };
        let retention = self.desired_retention as f32;
        let next = self
            .fsrs
            .next_states(state, retention, elapsed)
            // A stored state FSRS cannot step from (not finite) starts over as new.
            .or_else(|_| self.fsrs.next_states(None, retention, 0))
            .ok();
        let (memory, interval) = match next {
            Some(n) => {
                let item = match rating {
                    Rating::Again => n.again,
                    Rating::Hard => n.hard,
                    Rating::Good => n.good,
                    Rating::Easy => n.easy,
                };
                (item.memory, f64::from(item.interval))
            }
            None => (MemoryState { stability: 1.0, difficulty: 5.0 }, 1.0),
        };
        let (interval_days, due_at) = if rating.recalled() {
            let days = if interval.is_finite() { interval.round().clamp(1.0, MAX_INTERVAL_DAYS) } else { 1.0 };
            (days, now + (days * DAY_MS as f64) as i64)
        } else {
            (RELEARN_MINUTES as f64 / (24.0 * 60.0), now + RELEARN_MINUTES * 60_000)
        };
        Schedule {
            stability: f64::from(memory.stability),
            difficulty: f64::from(memory.difficulty),
            interval_days,
            last_review_at: now,
            due_at,
        }
    }

    /// The schedule after a whole history of reviews (score, time), oldest first: what
    /// [`Learner::review`] gives when applied answer by answer. Used to re-derive a
    /// schedule when the score of a past answer changes (a self-assessment claim);
    /// `None` without reviews.
    pub fn replay(&self, reviews: impl IntoIterator<Item = (f64, i64)>) -> Option<Schedule> {
        reviews.into_iter().fold(None, |previous, (score, at)| Some(self.review(previous.as_ref(), score, at)))
    }

    /// The predicted probability (0..1) that the learner recalls the question at `now`:
    /// FSRS's forgetting curve at the time since the last review.
    pub fn recall(&self, schedule: &Schedule, now: i64) -> f64 {
        let days = (now - schedule.last_review_at).max(0) as f32 / DAY_MS as f32;
        let decay = self.parameters[20];
        let r = fsrs::current_retrievability(memory(schedule), days, decay);
        if r.is_finite() {
            f64::from(r).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// An SM-2 schedule (ease, interval, when it was last reviewed and is due) as an FSRS
/// one, with the default parameters: FSRS's own conversion (`memory_state_from_sm2`),
/// which takes SM-2's intervals to have been set for [`SM2_RETENTION`]. The due date is
/// kept, so the switch moves no question.
pub fn from_sm2(ease: f64, interval_days: f64, last_review_at: i64, due_at: i64) -> Schedule {
    let state = FSRS::default()
        .memory_state_from_sm2(ease as f32, interval_days as f32, SM2_RETENTION)
        .unwrap_or(MemoryState { stability: interval_days.max(0.01) as f32, difficulty: 5.0 });
    Schedule {
        stability: f64::from(state.stability),
        difficulty: f64::from(state.difficulty),
        interval_days,
        last_review_at,
        due_at,
    }
}

fn memory(s: &Schedule) -> MemoryState {
    MemoryState { stability: s.stability as f32, difficulty: s.difficulty as f32 }
}

/// Whole days in `ms` (negative clock steps count as none).
pub fn whole_days(ms: i64) -> u32 {
    u32::try_from(ms.max(0) / DAY_MS).unwrap_or(u32::MAX)
}

fn clamp_retention(r: f64) -> f64 {
    if r.is_finite() {
        r.clamp(*RETENTION_RANGE.start(), *RETENTION_RANGE.end())
    } else {
        DEFAULT_RETENTION
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn learner() -> Learner {
        Learner::with_defaults(DEFAULT_RETENTION)
    }

    #[test]
    fn scores_map_to_ratings_on_sm2s_cut_points() {
        let cases = [
            (1.0, Rating::Easy, "complete"),
            (0.85, Rating::Easy, "nearly complete"),
            (0.84, Rating::Good, "strong"),
            (0.70, Rating::Good, "strong's lower edge"),
            (0.69, Rating::Hard, "upper partial"),
            (0.55, Rating::Hard, "SM-2's pass line is recall"),
            (0.54, Rating::Again, "lower partial is a lapse"),
            (0.2, Rating::Again, "weak"),
            (0.0, Rating::Again, "off-topic"),
        ];
        for (score, rating, case) in cases {
            assert_eq!(Rating::from_score(score), rating, "{case} ({score})");
            let sm2_pass = crate::learning::sm2::quality(score) >= 3;
            assert_eq!(rating.recalled(), sm2_pass, "{case}: recalled exactly when SM-2 passed");
        }
    }

    #[test]
    fn a_strong_answer_is_pushed_further_out_than_a_weak_one() {
        let strong = learner().review(None, 0.95, NOW);
        let good = learner().review(None, 0.75, NOW);
        let weak = learner().review(None, 0.2, NOW);
        assert!(strong.due_at > good.due_at && good.due_at > weak.due_at);
        assert_eq!(weak.due_at, NOW + RELEARN_MINUTES * 60_000, "a weak answer comes back soon");
        assert!(good.interval_days >= 1.0 && good.interval_days.fract() == 0.0, "whole days: {}", good.interval_days);
    }

    #[test]
    fn reviews_on_time_space_out_and_a_lapse_shrinks_stability() {
        let l = learner();
        let mut s = l.review(None, 0.8, NOW);
        let mut intervals = vec![s.interval_days];
        for _ in 0..4 {
            s = l.review(Some(&s), 0.8, s.due_at);
            intervals.push(s.interval_days);
        }
        assert!(intervals.windows(2).all(|w| w[1] > w[0]), "intervals grow: {intervals:?}");
        let lapse = l.review(Some(&s), 0.1, s.due_at);
        assert!(lapse.stability < s.stability / 2.0, "{} after {}", lapse.stability, s.stability);
        assert!(lapse.difficulty > s.difficulty, "a lapse makes the question harder");
    }

    #[test]
    fn recall_is_the_desired_retention_on_the_due_date_and_falls_after() {
        let l = learner();
        let first = l.review(None, 0.8, NOW);
        let s = l.review(Some(&first), 0.8, first.due_at);
        assert!((l.recall(&s, s.last_review_at) - 1.0).abs() < 1e-6, "just reviewed");
        let at_due = l.recall(&s, s.due_at);
        assert!((at_due - 0.9).abs() < 0.02, "about 0.9 on the due date (whole days): {at_due}");
        assert!(l.recall(&s, s.due_at + 30 * DAY_MS) < at_due);
        let keen = Learner::with_defaults(0.95).review(Some(&first), 0.8, first.due_at);
        assert!(keen.interval_days < s.interval_days, "a higher desired retention reviews sooner");
    }

    #[test]
    fn replaying_a_history_gives_the_schedule_built_answer_by_answer() {
        let l = learner();
        let history = [(0.9, NOW), (0.3, NOW + DAY_MS), (0.75, NOW + 2 * DAY_MS)];
        let mut step = None;
        for (score, at) in history {
            step = Some(l.review(step.as_ref(), score, at));
        }
        assert_eq!(l.replay(history), step);
        assert_eq!(l.replay([]), None);
        let better = l.replay([(0.9, NOW), (0.9, NOW + DAY_MS), (0.75, NOW + 2 * DAY_MS)]).map(|s| s.due_at);
        assert!(better > step.map(|s| s.due_at), "a better past answer pushes the question further out");
    }

    #[test]
    fn without_usable_parameters_a_learner_gets_the_defaults() {
        let defaults = learner();
        let mut fitted = DEFAULT_PARAMETERS.to_vec();
        fitted[2] = 5.0; // a slower forgetter after a first good answer
        let cases: [(Option<&[f32]>, bool, &str); 4] = [
            (None, false, "not fitted yet"),
            (Some(&[1.0, 2.0]), false, "wrong count"),
            (Some(&[f32::NAN; 21]), false, "not finite"),
            (Some(&fitted), true, "fitted"),
        ];
        for (parameters, personal, case) in cases {
            let l = Learner::for_user(parameters, 0.9);
            assert_eq!(l.personal(), personal, "{case}");
            let first = l.review(None, 0.75, NOW);
            if personal {
                assert!(first.interval_days > defaults.review(None, 0.75, NOW).interval_days, "{case}");
            } else {
                assert_eq!(l.parameters(), DEFAULT_PARAMETERS, "{case}");
                assert_eq!(first, defaults.review(None, 0.75, NOW), "{case}");
            }
        }
    }

    #[test]
    fn desired_retention_stays_in_its_range() {
        assert_eq!(Learner::with_defaults(0.2).desired_retention(), 0.70);
        assert_eq!(Learner::with_defaults(1.0).desired_retention(), 0.97);
        assert_eq!(Learner::with_defaults(f64::NAN).desired_retention(), DEFAULT_RETENTION);
    }

    #[test]
    fn sm2_schedules_convert_keeping_their_due_date() {
        let long = from_sm2(2.5, 20.0, NOW - 20 * DAY_MS, NOW);
        let hard = from_sm2(1.3, 20.0, NOW - 20 * DAY_MS, NOW);
        let lapsed = from_sm2(1.7, 10.0 / 1440.0, NOW - 600_000, NOW);
        assert_eq!((long.due_at, long.last_review_at, long.interval_days), (NOW, NOW - 20 * DAY_MS, 20.0));
        assert!((long.stability - 20.0).abs() < 0.01, "an interval SM-2 set for 90% recall: {}", long.stability);
        assert!(hard.difficulty > long.difficulty, "a low ease is a hard question");
        assert!(lapsed.stability < 0.1, "a question failed last time is barely held: {}", lapsed.stability);
        let l = learner();
        assert!((l.recall(&long, NOW) - 0.9).abs() < 0.01, "due now: recall about 0.9");
        let next = l.review(Some(&long), 0.8, NOW);
        assert!(next.interval_days > 20.0, "FSRS carries on from the converted state: {}", next.interval_days);
    }
}
