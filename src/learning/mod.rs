//! The learning loop's arithmetic: spaced-repetition schedule (FSRS) and its per-learner
//! parameters, mastery per question and topic with its trend, weak concepts, follow-up
//! prompts, and the self-assessed score when the learner disagrees with the grader.
//! Pure, like `grading/` (it imports nothing but the grader's types): the practice
//! service feeds it rows and shows its results.
pub mod claims;
pub mod follow_up;
pub mod mastery;
pub mod parameters;
pub mod schedule;
pub mod sm2;
pub mod weak;

pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;
