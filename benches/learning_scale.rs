//! Learning-loop latency at scale: 1,000,000 stored attempts across 10,000 users.
//!
//! Seeds (once, cached in `target/bench-data/`) a real SQLite file through the app's own
//! migrations and question bank, then times, per random user, the dashboard computation
//! (`practice::progress`: mastery per topic, trend, weak concepts, due, streak) and a
//! drill's question choice (`practice::start_interview` in drill mode, which also stores
//! the interview). Prints p50 / p95 / p99 / max in milliseconds.
//!
//! Run: `cargo bench --bench learning_scale` (the first run seeds the data).
//! Sizes can be changed with `SCALE_USERS` and `SCALE_ATTEMPTS_PER_USER`.
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rehearse::configuration::Settings;
use rehearse::domain::User;
use rehearse::learning::schedule::{Learner, Schedule};
use rehearse::practice::{self, InterviewRequest, Mode, Practice};
use rehearse::startup::{import_bank, load_bank};
use rehearse::store::{now_millis, Store};
use sqlx::{QueryBuilder, Sqlite};
use std::collections::HashMap;
use std::time::Instant;

const DAY: i64 = 24 * 3600 * 1000;
const SAMPLES: usize = 1000;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Attempt {
    id: String,
    user: usize,
    question: usize,
    score: f64,
    at: i64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let users = env_or("SCALE_USERS", 10_000);
    let per_user = env_or("SCALE_ATTEMPTS_PER_USER", 100);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench-data");
    std::fs::create_dir_all(dir)?;
    let path = format!("{dir}/scale-{users}x{per_user}.db");
    let url = format!("sqlite://{path}");
    let settings = Settings::for_database(url.clone());
    let store = Store::connect(&url).await?;
    import_bank(&store, &settings).await?;
    let pool = sqlx::SqlitePool::connect(&url).await?;
    let seeded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&pool).await?;
    if seeded < (users * per_user) as i64 {
        let started = Instant::now();
        seed(&pool, users, per_user).await?;
        println!("seeded {} attempts for {users} users in {:.1} s", users * per_user, started.elapsed().as_secs_f64());
    }
    let counts: (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM attempts), (SELECT COUNT(*) FROM attempt_concepts), (SELECT COUNT(*) FROM schedules)",
    )
    .fetch_one(&pool)
    .await?;
    println!("database: {} attempts, {} concept results, {} schedules ({path})", counts.0, counts.1, counts.2);

    let bank = load_bank(&store).await?;
    let state =
        Practice::new(store, bank, &rehearse::configuration::Limits::default(), rehearse::metrics::Metrics::new());
    let mut rng = StdRng::seed_from_u64(7);
    let now = now_millis();
    let mut dashboard = Vec::with_capacity(SAMPLES);
    let mut drill = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let user = User { id: user_id(rng.gen_range(0..users)), username: "bench".into(), role: Default::default() };
        let t = Instant::now();
        let p = practice::progress(&state, &user, now).await?;
        dashboard.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(p.attempts > 0, "seeded user has attempts");
        let t = Instant::now();
        let request = InterviewRequest { mode: Mode::Drill, count: Some(5), ..Default::default() };
        practice::start_interview(&state, &user, request).await?;
        drill.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    report("dashboard (progress)", &mut dashboard);
    report("drill question choice", &mut drill);
    Ok(())
}

fn report(name: &str, samples: &mut [f64]) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name}: n={} p50={:.2} ms p95={:.2} ms p99={:.2} ms max={:.2} ms",
        samples.len(),
        at(0.5),
        at(0.95),
        at(0.99),
        at(1.0)
    );
}

fn user_id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

async fn seed(pool: &sqlx::SqlitePool, users: usize, per_user: usize) -> anyhow::Result<()> {
    let questions: Vec<(String, String)> =
        sqlx::query_as("SELECT id, keywords FROM questions WHERE retired_at IS NULL").fetch_all(pool).await?;
    let concepts: Vec<Vec<String>> = questions
        .iter()
        .map(|(_, k)| {
            let list: Vec<serde_json::Value> = serde_json::from_str(k).unwrap_or_default();
            list.iter()
                .filter_map(|v| v["concept"].as_str())
                .filter_map(|c| c.split('|').next())
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    let mut rng = StdRng::seed_from_u64(42);
    let now = now_millis();
    let ids: Vec<usize> = (0..users).collect();
    for chunk in ids.chunks(200) {
        let mut tx = pool.begin().await?;
        let mut qb: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT OR IGNORE INTO users (id, username, username_key, password_hash, created_at) ");
        qb.push_values(chunk, |mut b, u| {
            let name = format!("bench{u}");
            b.push_bind(user_id(*u)).push_bind(name.clone()).push_bind(name).push_bind("x").push_bind(0_i64);
        });
        qb.build().execute(&mut *tx).await?;
        let mut attempts = Vec::with_capacity(chunk.len() * per_user);
        let mut schedules: HashMap<(usize, usize), (Schedule, f64)> = HashMap::new();
        // (user, question, concept index) -> (seen, misses, last status)
        let mut tallies: HashMap<(usize, usize, usize), (i64, i64, &str)> = HashMap::new();
        let learner = Learner::with_defaults(0.9);
        for &u in chunk {
            let skill: f64 = rng.gen_range(0.2..0.9);
            let start = now - 90 * DAY;
            for k in 0..per_user {
                let at = start + (k as i64 * 90 * DAY) / per_user as i64 + rng.gen_range(0..3_600_000);
                let question = rng.gen_range(0..questions.len());
                let score: f64 = (skill + rng.gen_range(-0.3..0.3_f64)).clamp(0.0, 1.0);
                let previous = schedules.get(&(u, question)).map(|s| s.0);
                schedules.insert((u, question), (learner.review(previous.as_ref(), score, at), score));
                for i in 0..concepts[question].len() {
                    let status = concept_status(i, score);
                    let t = tallies.entry((u, question, i)).or_insert((0, 0, status));
                    *t = (t.0 + 1, t.1 + i64::from(status != "covered"), status);
                }
                attempts.push(Attempt { id: uuid::Uuid::new_v4().to_string(), user: u, question, score, at });
            }
        }
        for batch in attempts.chunks(400) {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO attempts (id, user_id, interview_id, question_id, answer, score, band, feedback, grade, created_at, kind) ",
            );
            qb.push_values(batch, |mut b, a| {
                b.push_bind(&a.id)
                    .push_bind(user_id(a.user))
                    .push_bind(Option::<String>::None)
                    .push_bind(&questions[a.question].0)
                    .push_bind("seeded answer")
                    .push_bind(a.score)
                    .push_bind("partial")
                    .push_bind("")
                    .push_bind("{}")
                    .push_bind(a.at)
                    .push_bind("answer");
            });
            qb.build().execute(&mut *tx).await?;
            let rows: Vec<(&Attempt, &String, &str)> = batch
                .iter()
                .flat_map(|a| {
                    concepts[a.question].iter().enumerate().map(move |(i, c)| (a, c, concept_status(i, a.score)))
                })
                .collect();
            for rows in rows.chunks(1000) {
                let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                    "INSERT INTO attempt_concepts (attempt_id, user_id, question_id, concept, status) ",
                );
                qb.push_values(rows, |mut b, (a, c, status)| {
                    b.push_bind(&a.id)
                        .push_bind(user_id(a.user))
                        .push_bind(&questions[a.question].0)
                        .push_bind(c.as_str())
                        .push_bind(*status);
                });
                qb.build().execute(&mut *tx).await?;
            }
        }
        let list: Vec<_> = schedules.iter().collect();
        for batch in list.chunks(1000) {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO schedules (user_id, question_id, stability, difficulty, interval_days, last_review_at, due_at, last_score, updated_at) ",
            );
            qb.push_values(batch, |mut b, ((u, q), (s, score))| {
                b.push_bind(user_id(*u))
                    .push_bind(&questions[*q].0)
                    .push_bind(s.stability)
                    .push_bind(s.difficulty)
                    .push_bind(s.interval_days)
                    .push_bind(s.last_review_at)
                    .push_bind(s.due_at)
                    .push_bind(*score)
                    .push_bind(now);
            });
            qb.build().execute(&mut *tx).await?;
        }
        let list: Vec<_> = tallies.iter().collect();
        for batch in list.chunks(1000) {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO concept_stats (user_id, question_id, concept, seen, misses, contradicted, last_status, updated_at) ",
            );
            qb.push_values(batch, |mut b, ((u, q, i), (seen, misses, last))| {
                b.push_bind(user_id(*u))
                    .push_bind(&questions[*q].0)
                    .push_bind(&concepts[*q][*i])
                    .push_bind(*seen)
                    .push_bind(*misses)
                    .push_bind(0_i64)
                    .push_bind(*last)
                    .push_bind(now);
            });
            qb.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// A stronger answer covers more of a question's concepts (earlier ones first).
fn concept_status(index: usize, score: f64) -> &'static str {
    if (index as f64 + 0.5) / 6.0 < score {
        "covered"
    } else {
        "missed"
    }
}
