//! Per-learner FSRS parameters, fitted from the learner's own review log with the
//! `fsrs` crate's optimizer.
//!
//! FSRS learns from pairs: a review, the time until the next review of the same question,
//! and whether that one was recalled. A learner is fitted once they have
//! [`MIN_REVIEWS`] such follow-up reviews, and fitted again after [`REFIT_AFTER`] more;
//! until then they are scheduled with the crate's defaults. Below 64 the optimizer itself
//! only adjusts the first four parameters (the initial stabilities), and below 8 it
//! returns the defaults, so fitting earlier would cost CPU for nothing. A fit is CPU
//! work (milliseconds for a log of a thousand reviews in a release build, more for long
//! histories), so the service runs it from a background sweep on a blocking thread,
//! never on a request's path.
use fsrs::{ComputeParametersInput, FSRSItem, FSRSReview};

use super::schedule::{whole_days, Learner, Rating};

/// Follow-up reviews a learner needs before their parameters are fitted.
pub const MIN_REVIEWS: usize = 64;
/// Follow-up reviews since the last fit after which the parameters are fitted again.
pub const REFIT_AFTER: usize = 32;

/// Why a fit gave no parameters.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    #[error("not enough reviews to fit ({0} follow-up reviews, {MIN_REVIEWS} needed)")]
    NotEnoughReviews(usize),
    #[error("the optimizer failed: {0}")]
    Optimizer(String),
    #[error(transparent)]
    Refused(#[from] super::schedule::InvalidParameters),
}

/// Reviews that follow an earlier review of the same question: what FSRS learns from.
/// `questions` holds each question's reviews (self-assessed score, time), oldest first.
pub fn follow_up_reviews(questions: &[Vec<(f64, i64)>]) -> usize {
    questions.iter().map(|q| q.len().saturating_sub(1)).sum()
}

/// Whether a learner with `reviews` follow-up reviews, last fitted on `fitted_on` of them
/// (none yet), is due for a fit.
pub fn due_for_fit(reviews: usize, fitted_on: Option<usize>) -> bool {
    match fitted_on {
        _ if reviews < MIN_REVIEWS => false,
        None => true,
        Some(before) => reviews >= before + REFIT_AFTER,
    }
}

/// [`due_for_fit`] for a learner whose last fit, if any, was on `fitted_on` reviews and
/// whose last failed fit, if any, on `failed_on`: a failure waits for as many new
/// reviews as a refit does, so a log the optimizer cannot use is not refitted every
/// sweep.
pub fn due_for_fit_after_failure(reviews: usize, fitted_on: Option<usize>, failed_on: Option<usize>) -> bool {
    due_for_fit(reviews, fitted_on.max(failed_on))
}

/// The review log as FSRS training items: for each question, one item per review after
/// the first, holding every review up to it (the rating of each, and whole days since
/// the one before; 0 for the first). An item whose reviews all fall on one day is left
/// out: the optimizer needs at least one gap of a day or more in each item (and panics
/// without one).
pub fn training_items(questions: &[Vec<(f64, i64)>]) -> Vec<FSRSItem> {
    let mut items = Vec::new();
    for reviews in questions {
        let mut so_far: Vec<FSRSReview> = Vec::with_capacity(reviews.len());
        let mut previous: Option<i64> = None;
        for &(score, at) in reviews {
            let delta_t = previous.map(|p| whole_days(at - p)).unwrap_or(0);
            so_far.push(FSRSReview { rating: Rating::from_score(score).number(), delta_t });
            previous = Some(at);
            if so_far.len() > 1 && so_far.iter().any(|r| r.delta_t > 0) {
                items.push(FSRSItem { reviews: so_far.clone() });
            }
        }
    }
    items
}

/// Fits FSRS parameters to one learner's review log (each question's reviews, oldest
/// first). CPU-bound: run it off the async workers.
pub fn fit(questions: &[Vec<(f64, i64)>]) -> Result<Vec<f32>, FitError> {
    let reviews = follow_up_reviews(questions);
    if reviews < MIN_REVIEWS {
        return Err(FitError::NotEnoughReviews(reviews));
    }
    let input = ComputeParametersInput { train_set: training_items(questions), ..Default::default() };
    // The optimizer asserts on its input; a panic there is one learner's failed fit, not
    // the end of the sweep.
    let parameters = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fsrs::compute_parameters(input)))
        .map_err(|_| FitError::Optimizer("the optimizer panicked".into()))?
        .map_err(|e| FitError::Optimizer(e.to_string()))?;
    // Only what the scheduler accepts is handed back to be stored.
    Learner::with_parameters(&parameters, super::schedule::DEFAULT_RETENTION)?;
    Ok(parameters)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::DAY_MS;

    const NOW: i64 = 1_800_000_000_000;

    /// A fit that fails (the optimizer's error, or parameters the scheduler refuses)
    /// is tried again only after 32 more reviews, not on every sweep.
    #[test]
    fn a_failed_fit_waits_for_new_reviews_before_it_is_tried_again() {
        let reviews = 70;
        assert!(due_for_fit_after_failure(reviews, None, None), "first try");
        assert!(!due_for_fit_after_failure(reviews, None, Some(reviews)), "not again on the same log");
        assert!(!due_for_fit_after_failure(reviews + REFIT_AFTER - 1, None, Some(reviews)));
        assert!(due_for_fit_after_failure(reviews + REFIT_AFTER, None, Some(reviews)), "enough new reviews");
        // A failure after an earlier good fit waits from the later of the two.
        assert!(!due_for_fit_after_failure(200, Some(100), Some(180)));
        assert!(due_for_fit_after_failure(212, Some(100), Some(180)));
    }

    #[test]
    fn each_review_after_the_first_is_one_training_item_with_its_history() {
        let questions =
            vec![vec![(0.9, NOW), (0.3, NOW + 3 * DAY_MS), (0.6, NOW + 3 * DAY_MS + 600_000)], vec![(0.8, NOW)]];
        let items = training_items(&questions);
        assert_eq!(follow_up_reviews(&questions), 2);
        assert_eq!(items.len(), 2, "a question answered once teaches nothing yet");
        let last: Vec<(u32, u32)> = items[1].reviews.iter().map(|r| (r.rating, r.delta_t)).collect();
        assert_eq!(last, [(4, 0), (1, 3), (2, 0)], "ratings from the scores, whole days between reviews");
    }

    #[test]
    fn fitting_waits_for_enough_reviews_and_refits_as_more_come() {
        let cases = [
            (10, None, false, "too few"),
            (MIN_REVIEWS, None, true, "enough, never fitted"),
            (MIN_REVIEWS + 10, Some(MIN_REVIEWS), false, "fitted recently"),
            (MIN_REVIEWS + REFIT_AFTER, Some(MIN_REVIEWS), true, "enough new ones"),
        ];
        for (reviews, fitted_on, due, case) in cases {
            assert_eq!(due_for_fit(reviews, fitted_on), due, "{case}");
        }
        assert!(matches!(fit(&[vec![(0.9, NOW), (0.9, NOW + DAY_MS)]]), Err(FitError::NotEnoughReviews(1))));
    }

    #[test]
    fn a_log_of_same_day_reviews_fits_without_panicking() {
        // Enough follow-up reviews, but every one ten minutes after the first answer.
        let questions: Vec<Vec<(f64, i64)>> =
            (0..70).map(|q| vec![(0.3, NOW + q * DAY_MS), (0.8, NOW + q * DAY_MS + 600_000)]).collect();
        let fitted = fit(&questions);
        assert!(fitted.is_ok(), "{fitted:?}");
    }

    #[test]
    fn a_learner_who_keeps_remembering_is_fitted_to_longer_intervals() {
        // 40 questions, each answered well at growing gaps: 1, 3, 8 days later.
        let questions: Vec<Vec<(f64, i64)>> = (0..40)
            .map(|q| {
                let start = NOW + q * 3_600_000;
                vec![(0.8, start), (0.8, start + DAY_MS), (0.9, start + 4 * DAY_MS), (0.8, start + 12 * DAY_MS)]
            })
            .collect();
        let parameters = fit(&questions).expect("fitted");
        let fitted = Learner::with_parameters(&parameters, 0.9).expect("usable");
        let defaults = Learner::with_defaults(0.9);
        let after = |l: &Learner| l.replay(questions[0].iter().copied()).map(|s| s.interval_days).unwrap_or(0.0);
        assert!(after(&fitted) >= after(&defaults), "{} vs {}", after(&fitted), after(&defaults));
    }
}
