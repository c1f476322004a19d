//! The answer writer on its own, without HTTP or grading: what storing a graded answer
//! costs in the store (`Store::record_attempt`, the path every answer takes), on a
//! fresh SQLite file with the bundled bank.
//!
//! - `one at a time`: one learner, each answer awaited before the next is sent, so
//!   every batch holds one answer: the writer's cost per answer when the server is
//!   not saturated (the load script's paced phase);
//! - `N at once`: `WRITER_SENDERS` learners (default 16) answering their own interviews
//!   back to back, so answers share batches.
//!
//! Before each case its learners' interviews are created one at a time
//! (`Store::create_interview`, the path of "Start an interview"), and that is timed too.
//!
//! Prints, per case, wall-clock µs per answer and the process's CPU µs per answer (all
//! threads: the caller's runtime and the connection's thread). Wall-clock figures are
//! noisy on a shared machine; compare two builds by running them in turn, several times.
//!
//! Run: `cargo bench --bench writer` (`WRITER_ANSWERS`, default 3,000 per case).
use rehearse::domain::{AttemptKind, Band, ConceptStatus, Mode, Role};
use rehearse::learning::schedule::Learner;
use rehearse::store::{NewAttempt, Store};
use std::time::Instant;

/// Questions per interview.
const QUESTIONS: usize = 10;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// CPU seconds of this process so far (user + system, all threads), from `/proc`; 0 where
/// there is no `/proc`.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name (which may hold spaces), from field 3 on.
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// A graded answer of typical size: 6 concepts, a stored grade of a few KB, a schedule.
fn attempt(user: &str, interview: &str, question: &str, learner: &Learner) -> NewAttempt {
    let concepts = ["layers", "cache", "image", "volume", "network", "probe"];
    NewAttempt {
        user_id: user.into(),
        interview_id: Some(interview.into()),
        question_id: question.into(),
        answer: "A pod is the smallest deployable unit in Kubernetes: one or more containers that share a \
                 network namespace and storage volumes and are scheduled together on one node. A deployment \
                 manages a replica set of identical pods."
            .into(),
        score: 0.7,
        band: Band::Strong,
        feedback: "Covered: layers, cache, image. Missed: volume.".into(),
        grade_json: r#"{"score":0.7,"concepts":[{"label":"layers","status":"covered"}]}"#.repeat(40),
        concepts: concepts.iter().map(|c| (c.to_string(), ConceptStatus::Covered)).collect(),
        time_taken_ms: Some(30_000),
        spoken: false,
        unsure: false,
        kind: AttemptKind::Answer,
        schedule: Some(learner.review(None, 0.7, rehearse::store::now_millis())),
        follow_up: None,
        question_version: 1,
    }
}

/// One learner answering `interviews` in order, each answer awaited.
async fn answer_all(store: Store, user: String, interviews: Vec<String>, questions: Vec<String>) -> usize {
    let learner = Learner::with_defaults(0.9);
    let mut stored = 0;
    for interview in &interviews {
        for (position, question) in questions.iter().enumerate() {
            store
                .record_attempt(attempt(&user, interview, question, &learner), Some(position as i64))
                .await
                .expect("answer stored");
            stored += 1;
        }
    }
    stored
}

/// Users and their interviews for `senders` learners and `answers` answers in all.
async fn learners(
    store: &Store,
    case: &str,
    senders: usize,
    answers: usize,
    questions: &[String],
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let (mut wall, mut cpu, mut created) = (0.0, 0.0, 0);
    for s in 0..senders {
        let name = format!("{case}{s}");
        let user = store.create_user(&name, &name, "hash", Role::Member, None).await.expect("user").id;
        let mut interviews = Vec::new();
        for _ in 0..(answers / senders / QUESTIONS).max(1) {
            let (started, before) = (Instant::now(), cpu_seconds());
            interviews
                .push(store.create_interview(&user, Mode::Mock, &[], questions, None).await.expect("interview").id);
            (wall, cpu, created) = (wall + started.elapsed().as_secs_f64(), cpu + cpu_seconds() - before, created + 1);
        }
        out.push((user, interviews));
    }
    println!(
        "  {created} interviews created one at a time: {:.0} µs wall and {:.0} µs CPU per interview",
        wall * 1e6 / created as f64,
        cpu * 1e6 / created as f64
    );
    out
}

async fn case(store: &Store, name: &str, senders: usize, answers: usize, questions: &[String]) {
    let learners = learners(store, name.split(' ').next().unwrap_or(name), senders, answers, questions).await;
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let tasks: Vec<_> = learners
        .into_iter()
        .map(|(user, interviews)| tokio::spawn(answer_all(store.clone(), user, interviews, questions.to_vec())))
        .collect();
    let mut stored = 0;
    for task in tasks {
        stored += task.await.expect("learner finished");
    }
    let (wall, cpu) = (started.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    println!(
        "{name}: {stored} answers, {:.0} answers/s, {:.0} µs wall and {:.0} µs CPU per answer",
        stored as f64 / wall,
        wall * 1e6 / stored as f64,
        cpu * 1e6 / stored as f64
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes `--bench`; nothing here takes arguments.
    let answers = env_or("WRITER_ANSWERS", 3_000);
    let senders = env_or("WRITER_SENDERS", 16);
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("writer.db").display())).await.expect("store");
    let bank = rehearse::bank::load_dir(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questions")))
        .expect("bundled questions");
    store.sync_bank(&bank).await.expect("bank stored");
    let questions: Vec<String> =
        bank.iter().flat_map(|t| t.questions.iter().map(|q| q.id.clone())).take(QUESTIONS).collect();
    case(&store, "one at a time", 1, answers, &questions).await;
    case(&store, &format!("{senders} at once"), senders, answers, &questions).await;
    store.close().await;
}
