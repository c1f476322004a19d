//! The review schedule as the learner sees it: their FSRS learner (own parameters or the
//! defaults, desired retention), each scheduled question's predicted recall now, and the
//! background fitting of their parameters.
use std::collections::BTreeMap;

use super::{Error, Practice};
use crate::domain::DueQuestion;
use crate::domain::User;
use crate::learning::parameters::{self, follow_up_reviews};
use crate::learning::schedule::{Learner, RETENTION_RANGE};
use crate::store::LearnerSettings;

/// How often the server looks for learners due for a fit of their parameters.
pub const FIT_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// A scheduled question with the learner's predicted recall of it now.
#[derive(Debug, Clone)]
pub struct Scheduled {
    pub row: DueQuestion,
    /// 0..1: FSRS's probability that the learner recalls it now.
    pub recall: f64,
    /// The same a day from now. Just after an answer every question's recall now is
    /// 100%, a failed one's too; a day later they differ.
    pub recall_in_a_day: f64,
}

/// The scheduler of a learner from their stored settings: their fitted parameters, or
/// the defaults before the first fit (or if the stored ones are unusable).
pub fn learner_from(settings: &LearnerSettings) -> Learner {
    Learner::for_user(settings.parameters.as_deref(), settings.desired_retention)
}

/// The scheduler of this learner.
pub async fn learner(state: &Practice, user: &User) -> Result<Learner, Error> {
    Ok(learner_from(&state.store.learner_settings(&user.id).await?))
}

/// `rows` with their recall at `now`, least likely to be recalled first (then least
/// likely a day later, then soonest due).
pub fn by_recall(learner: &Learner, rows: Vec<DueQuestion>, now: i64) -> Vec<Scheduled> {
    let day = crate::learning::DAY_MS;
    let mut scheduled: Vec<Scheduled> = rows
        .into_iter()
        .map(|row| Scheduled {
            recall: learner.recall(&row.schedule, now),
            recall_in_a_day: learner.recall(&row.schedule, now + day),
            row,
        })
        .collect();
    // Ordered by the whole percentages the pages show: right after an answer every
    // question reads "recall now 100%" whatever the exact value, and a day from now is
    // then what tells them apart, so a list ordered by the hidden digits read as
    // shuffled (83, 83, 77, 95, 83, 98 a day from now).
    let percent = |p: f64| (p * 100.0).round() as i64;
    scheduled.sort_by(|a, b| {
        percent(a.recall)
            .cmp(&percent(b.recall))
            .then(percent(a.recall_in_a_day).cmp(&percent(b.recall_in_a_day)))
            .then(a.recall.total_cmp(&b.recall))
            .then(a.row.due_at.cmp(&b.row.due_at))
            .then_with(|| a.row.question_id.cmp(&b.row.question_id))
    });
    scheduled
}

/// Questions due now (at most `limit`), least likely to be recalled first.
pub async fn due_by_recall(state: &Practice, user: &User, now: i64, limit: i64) -> Result<Vec<Scheduled>, Error> {
    let learner = learner(state, user).await?;
    Ok(by_recall(&learner, state.store.due(&user.id, now, limit).await?, now))
}

/// Every scheduled question of the learner, least likely to be recalled first.
pub async fn all_by_recall(state: &Practice, user: &User, now: i64) -> Result<Vec<Scheduled>, Error> {
    let learner = learner(state, user).await?;
    Ok(by_recall(&learner, state.store.schedules(&user.id).await?, now))
}

/// The learner's desired retention and whether their parameters are their own.
pub struct ScheduleSettings {
    pub desired_retention: f64,
    pub personal_parameters: bool,
}

impl Practice {
    pub async fn schedule_settings(&self, user: &User) -> Result<ScheduleSettings, Error> {
        let learner = learner(self, user).await?;
        Ok(ScheduleSettings { desired_retention: learner.desired_retention(), personal_parameters: learner.personal() })
    }

    /// Sets the recall the learner wants on a question's due date (0.70..0.97); the
    /// next review of each question is scheduled for it.
    pub async fn set_desired_retention(&self, user: &User, retention: f64) -> Result<(), Error> {
        if !RETENTION_RANGE.contains(&retention) {
            return Err(Error::Invalid(format!(
                "desired_retention must be between {} and {}, not {retention}.",
                RETENTION_RANGE.start(),
                RETENTION_RANGE.end()
            )));
        }
        Ok(self.store.set_desired_retention(&user.id, retention).await?)
    }

    /// Fits the parameters of every learner who has enough new reviews since their last
    /// fit (see [`parameters`]), one at a time on a blocking thread; returns how many were
    /// fitted. A learner whose fit fails keeps what they had.
    #[tracing::instrument(skip_all)]
    pub async fn fit_due_learners(&self) -> Result<usize, Error> {
        let candidates =
            self.store.fit_candidates(parameters::MIN_REVIEWS as i64, parameters::REFIT_AFTER as i64).await?;
        let mut fitted = 0;
        for (user_id, fitted_on) in candidates {
            let rows = super::claims::self_assessed_scores_of(self, &user_id).await?;
            let mut by_question: BTreeMap<String, Vec<(f64, i64)>> = BTreeMap::new();
            for r in rows {
                by_question.entry(r.question_id).or_default().push((r.score, r.created_at));
            }
            let log: Vec<Vec<(f64, i64)>> = by_question.into_values().collect();
            let reviews = follow_up_reviews(&log);
            let failed_on = self.failed_fits.lock().map_or(None, |f| f.get(&user_id).copied());
            if !parameters::due_for_fit_after_failure(reviews, fitted_on.map(|n| n as usize), failed_on) {
                continue;
            }
            let started = std::time::Instant::now();
            let fitting = super::off_the_workers(move || parameters::fit(&log)).await;
            match fitting.and_then(|fit| fit.map_err(|e| Error::Unexpected(e.into()))) {
                Ok(parameters) => {
                    self.store.store_parameters(&user_id, &parameters, reviews as i64).await?;
                    if let Ok(mut failed) = self.failed_fits.lock() {
                        failed.remove(&user_id);
                    }
                    tracing::info!(user = %user_id, reviews, took_ms = started.elapsed().as_millis() as u64, "fitted FSRS parameters");
                    fitted += 1;
                }
                Err(e) => {
                    tracing::warn!(user = %user_id, reviews, error = %e, "FSRS parameters not fitted; tried again after more reviews");
                    if let Ok(mut failed) = self.failed_fits.lock() {
                        failed.insert(user_id, reviews);
                    }
                }
            }
        }
        Ok(fitted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::schedule::Schedule;
    use crate::learning::DAY_MS;

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn just_answered_questions_differ_a_day_later_and_the_missed_one_comes_first() {
        let learner = Learner::for_user(None, 0.9);
        let missed = learner.review(None, 0.0, NOW);
        let strong = learner.review(None, 1.0, NOW);
        let rows = ["strong", "missed"].map(|id| DueQuestion {
            question_id: id.into(),
            due_at: if id == "missed" { missed.due_at } else { strong.due_at },
            last_score: if id == "missed" { 0.0 } else { 1.0 },
            schedule: if id == "missed" { missed } else { strong },
        });
        let listed = by_recall(&learner, rows.to_vec(), NOW);
        assert!(listed.iter().all(|s| s.recall > 0.99), "just answered: 100% now, whatever the score");
        assert_eq!(listed[0].row.question_id, "missed", "{listed:?}");
        assert!(listed[0].recall_in_a_day < listed[1].recall_in_a_day, "{listed:?}");
    }

    fn row(id: &str, stability: f64, last_review_days_ago: i64, due_at: i64) -> DueQuestion {
        DueQuestion {
            question_id: id.into(),
            due_at,
            last_score: 0.8,
            schedule: Schedule {
                stability,
                difficulty: 5.0,
                interval_days: stability,
                last_review_at: NOW - last_review_days_ago * DAY_MS,
                due_at,
            },
        }
    }

    #[test]
    fn the_least_likely_to_be_recalled_come_first() {
        let learner = Learner::with_defaults(0.9);
        let rows = vec![
            row("overdue-but-stable", 100.0, 110, NOW - 10 * DAY_MS),
            row("fragile", 1.0, 3, NOW - 2 * DAY_MS),
            row("just-due", 5.0, 5, NOW),
        ];
        let ordered = by_recall(&learner, rows, NOW);
        let ids: Vec<&str> = ordered.iter().map(|s| s.row.question_id.as_str()).collect();
        assert_eq!(ids, ["fragile", "overdue-but-stable", "just-due"], "{ordered:?}");
        assert!(ordered.windows(2).all(|w| w[0].recall <= w[1].recall));
        assert!(ordered.iter().all(|s| (0.0..=1.0).contains(&s.recall)));
    }

    /// The list reads in order as shown: by the whole percentage now, then a day from
    /// now, over questions answered just now, minutes ago and days ago.
    #[test]
    fn the_list_is_ordered_by_the_percentages_it_shows() {
        let learner = Learner::with_defaults(0.9);
        let mut rows = Vec::new();
        for (k, stability) in [0.2, 0.5, 1.0, 2.0, 4.0, 9.0, 30.0, 120.0].into_iter().enumerate() {
            for (j, ago_ms) in [0, 60_000, 8 * 60_000, 3_600_000, DAY_MS, 3 * DAY_MS].into_iter().enumerate() {
                let mut r = row(&format!("q{k}-{j}"), stability, 0, NOW + DAY_MS);
                r.schedule.last_review_at = NOW - ago_ms;
                rows.push(r);
            }
        }
        let listed = by_recall(&learner, rows, NOW);
        let shown = |s: &Scheduled| ((s.recall * 100.0).round() as i64, (s.recall_in_a_day * 100.0).round() as i64);
        assert!(
            listed.windows(2).all(|w| shown(&w[0]) <= shown(&w[1])),
            "{:?}",
            listed.iter().map(shown).collect::<Vec<_>>()
        );
        assert!(listed.iter().filter(|s| shown(s).0 == 100).count() >= 8, "several read 100% now");
    }
}
