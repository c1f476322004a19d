//! SM-2 against FSRS on the same simulated learners: how many reviews each schedule asks
//! for per question over 90 days, how well the questions are held meanwhile, and how
//! many reviews are lapses.
//!
//! Run: `cargo run --release --example schedule_sim` (options: `--learners N`,
//! `--questions N`, `--seed N`). Seeded: the same command prints the same figures.
//!
//! The simulated memory is deliberately *not* FSRS's model, so that FSRS is not graded
//! against its own assumptions: each memory has a half-life `h` (recall after `t` days is
//! `2^(-t/h)`); a successful review multiplies `h` by more the lower recall had fallen
//! (the spacing effect), by a learner's gain and less for harder questions; a lapse
//! (followed by reading the model answer) cuts `h` to 30% (at least a day). Each learner's gain,
//! first half-life and each question's difficulty are drawn once, and every schedule
//! meets the same learners, the same questions and the same dice (one random stream per
//! learner and question). The grade follows recall: a recalled answer scores 0.55-1.0
//! (fuller when the memory is fresher), a forgotten one 0-0.55, so the rating mapping of
//! `src/learning/schedule.rs` is exercised as in the app. The learner answers every
//! question on the day it falls due, and the first answer is day 0's.
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use rehearse::learning::parameters;
use rehearse::learning::schedule::{Learner, Schedule};
use rehearse::learning::sm2;
use rehearse::learning::DAY_MS;

const START: i64 = 1_800_000_000_000;
const HORIZON_DAYS: i64 = 90;
/// When the "fitted" schedule fits the learner's parameters on the reviews so far.
const FIT_DAY: i64 = 30;

/// One simulated learner.
#[derive(Clone, Copy)]
struct Person {
    /// How much a well-timed success multiplies the half-life.
    gain: f64,
    /// Half-life (days) after the first successful answer.
    first_half_life: f64,
}

/// The true memory of one question.
#[derive(Clone, Copy)]
struct Memory {
    half_life: f64,
    since: i64,
}

impl Memory {
    fn recall(&self, at: i64) -> f64 {
        let days = (at - self.since).max(0) as f64 / DAY_MS as f64;
        0.5f64.powf(days / self.half_life)
    }
}

#[derive(Clone, Copy)]
enum Policy {
    Sm2,
    Fsrs(f64),
    /// FSRS on the defaults until [`FIT_DAY`], then on parameters fitted to the
    /// learner's own reviews (what the server does once a learner has enough).
    FsrsFitted(f64),
}

impl Policy {
    fn name(self) -> String {
        match self {
            Policy::Sm2 => "SM-2 (before)".into(),
            Policy::Fsrs(r) => format!("FSRS, default parameters, retention {r}"),
            Policy::FsrsFitted(r) => format!("FSRS, fitted on day {FIT_DAY}, retention {r}"),
        }
    }
}

#[derive(Clone, Copy)]
enum State {
    Sm2(sm2::Schedule),
    Fsrs(Schedule),
}

/// One question of one learner under one schedule.
struct Question {
    difficulty: f64,
    rng: StdRng,
    memory: Option<Memory>,
    state: Option<State>,
    due: i64,
    /// (self-assessed score, time) of every review: the log a fit learns from.
    log: Vec<(f64, i64)>,
    lapses: u32,
    /// (time, memory after it) of each review, to measure recall between them.
    history: Vec<(i64, Memory)>,
}

impl Question {
    fn new(difficulty: f64, seed: u64) -> Question {
        Question {
            difficulty,
            rng: StdRng::seed_from_u64(seed),
            memory: None,
            state: None,
            due: START,
            log: Vec::new(),
            lapses: 0,
            history: Vec::new(),
        }
    }

    /// Answers at the due time and schedules the next review.
    fn review(&mut self, person: Person, policy: Policy, learner: &Learner) {
        let at = self.due;
        let recall = self.memory.map(|m| m.recall(at)).unwrap_or(0.6);
        let recalled = self.rng.gen::<f64>() < recall;
        let score = if recalled {
            (0.55 + 0.45 * (recall + self.rng.gen_range(-0.2..0.2)).clamp(0.0, 1.0)).min(1.0)
        } else {
            self.rng.gen_range(0.0..0.55)
        };
        let half_life = match self.memory {
            None if recalled => person.first_half_life,
            None => person.first_half_life * 0.4,
            Some(m) if recalled => {
                let spacing = ((1.0 - recall).max(0.01) / 0.1).powf(0.4);
                m.half_life * (1.0 + person.gain * (1.0 - 0.6 * self.difficulty) * spacing)
            }
            Some(m) => (m.half_life * 0.3).max(1.0),
        };
        if self.memory.is_some() && !recalled {
            self.lapses += 1;
        }
        let memory = Memory { half_life, since: at };
        self.memory = Some(memory);
        self.history.push((at, memory));
        self.log.push((score, at));
        let state = match (policy, self.state) {
            (Policy::Sm2, previous) => {
                let previous = match previous {
                    Some(State::Sm2(s)) => Some(s),
                    _ => None,
                };
                State::Sm2(sm2::review(previous.as_ref(), score, at))
            }
            (_, previous) => {
                let previous = match previous {
                    Some(State::Fsrs(s)) => Some(s),
                    _ => None,
                };
                State::Fsrs(learner.review(previous.as_ref(), score, at))
            }
        };
        self.due = match state {
            State::Sm2(s) => s.due_at,
            State::Fsrs(s) => s.due_at,
        };
        self.state = Some(state);
    }

    fn run_until(&mut self, until: i64, person: Person, policy: Policy, learner: &Learner) {
        while self.due < until {
            self.review(person, policy, learner);
        }
    }

    /// True recall at noon of each day 1..=90.
    fn daily_recall(&self) -> Vec<f64> {
        (1..=HORIZON_DAYS)
            .map(|day| {
                let at = START + day * DAY_MS - DAY_MS / 2;
                self.history.iter().rev().find(|(t, _)| *t <= at).map(|(_, m)| m.recall(at)).unwrap_or(0.0)
            })
            .collect()
    }
}

#[derive(Default)]
struct Totals {
    questions: usize,
    reviews: usize,
    follow_ups: usize,
    lapses: usize,
    days: usize,
    recall_sum: f64,
    days_held: usize,
    fitted: usize,
    fully_fitted: usize,
}

fn simulate(policy: Policy, people: &[(Person, Vec<f64>)], seed: u64) -> Totals {
    let end = START + HORIZON_DAYS * DAY_MS;
    let mut totals = Totals::default();
    for (p, (person, difficulties)) in people.iter().enumerate() {
        let mut questions: Vec<Question> = difficulties
            .iter()
            .enumerate()
            .map(|(q, d)| Question::new(*d, seed ^ ((p as u64) << 32) ^ (q as u64 + 1).wrapping_mul(0x9E37_79B9)))
            .collect();
        let (retention, fit) = match policy {
            Policy::Sm2 => (0.9, false),
            Policy::Fsrs(r) => (r, false),
            Policy::FsrsFitted(r) => (r, true),
        };
        let defaults = Learner::with_defaults(retention);
        let learner = if fit {
            let fit_at = START + FIT_DAY * DAY_MS;
            for q in &mut questions {
                q.run_until(fit_at, *person, policy, &defaults);
            }
            let log: Vec<Vec<(f64, i64)>> = questions.iter().map(|q| q.log.clone()).collect();
            match parameters::fit(&log) {
                Ok(w) => {
                    totals.fitted += 1;
                    // Below 64 usable items the optimizer sets only the first four
                    // parameters (the initial stabilities) and keeps the defaults after.
                    if w[4..] != fsrs::DEFAULT_PARAMETERS[4..] {
                        totals.fully_fitted += 1;
                    }
                    Learner::for_user(Some(&w), retention)
                }
                Err(_) => defaults.clone(),
            }
        } else {
            defaults.clone()
        };
        for q in &mut questions {
            q.run_until(end, *person, policy, &learner);
            let daily = q.daily_recall();
            totals.questions += 1;
            totals.reviews += q.log.len();
            totals.follow_ups += q.log.len().saturating_sub(1);
            totals.lapses += q.lapses as usize;
            totals.days += daily.len();
            totals.recall_sum += daily.iter().sum::<f64>();
            totals.days_held += daily.iter().filter(|r| **r >= 0.9).count();
        }
    }
    totals
}

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let learners = arg(&args, "--learners", 200) as usize;
    let count = arg(&args, "--questions", 40) as usize;
    let seed = arg(&args, "--seed", 2026);
    let mut rng = StdRng::seed_from_u64(seed);
    let people: Vec<(Person, Vec<f64>)> = (0..learners)
        .map(|_| {
            // First half-lives of 3 to 30 days (log-uniform): recall falls to 90% between
            // half a day and four and a half days after a first good answer, around
            // FSRS's default first stabilities.
            let first_half_life = 3.0 * 10f64.powf(rng.gen_range(0.0..1.0));
            let person = Person { gain: rng.gen_range(1.2..3.0), first_half_life };
            (person, (0..count).map(|_| rng.gen_range(0.0..1.0)).collect())
        })
        .collect();
    println!("{learners} simulated learners x {count} questions, {HORIZON_DAYS} days, seed {seed}");
    println!();
    println!("| schedule | reviews per question | mean recall over the 90 days | question-days at >= 90% recall | lapses per review after the first |");
    println!("|---|---|---|---|---|");
    for policy in
        [Policy::Sm2, Policy::Fsrs(0.9), Policy::FsrsFitted(0.9), Policy::Fsrs(0.95), Policy::FsrsFitted(0.95)]
    {
        let t = simulate(policy, &people, seed);
        let fitted = if matches!(policy, Policy::FsrsFitted(_)) {
            format!(" ({} of {learners} fitted, {} beyond the first four parameters)", t.fitted, t.fully_fitted)
        } else {
            String::new()
        };
        println!(
            "| {}{fitted} | {:.1} | {:.1}% | {:.1}% | {:.1}% |",
            policy.name(),
            t.reviews as f64 / t.questions as f64,
            100.0 * t.recall_sum / t.days as f64,
            100.0 * t.days_held as f64 / t.days as f64,
            100.0 * t.lapses as f64 / t.follow_ups.max(1) as f64,
        );
    }
}
