//! Load and memory of the real server, answering as a classroom does.
//!
//! 1. Measures the raw SQLite commit rate on this machine: one row of the size of a
//!    stored answer per transaction, same journal mode and `synchronous` setting as the
//!    server, one writer, for a few seconds. This is the ceiling the server is compared to.
//! 2. Starts the release binary on a fresh database file in a temporary directory
//!    (`rehearse serve`, bundled questions), signs up `LOAD_USERS` users (default 64).
//! 3. Phase "answers": every user answers their own interviews through the real
//!    submit-answer API (`POST /api/v1/interviews/{id}/answers`) as fast as the server
//!    lets them, for `LOAD_SECONDS` (default 15).
//! 4. Phase "hostile": the same, beside a wrong-password login flood (16 clients, each
//!    a different username, so every attempt reaches argon2 until the throttle answers
//!    429) and 4 logged-in clients sending the largest `/api/v1/grade` requests the server
//!    accepts, in a loop.
//!
//! The per-user limits on answers and interviews, and the per-address sign-up limit, are
//! raised for the run (64 users on one address answering back to back stand in for a
//! much larger class); the login throttles and the grading limit stay as shipped, since
//! the hostile clients are what they are for.
//! 5. Phase "paced": the same users answer on a schedule instead of back to back, at an
//!    offered rate of `LOAD_PACED_RATE` answers/s in all (default: half the raw commit
//!    rate of step 1, the rate the target asks the server to hold at p99 < 20 ms), each
//!    user at its own steady interval. Latency counts from when an answer
//!    was due, not when it was sent, so a server that falls behind cannot hide it. Back
//!    to back, latency is mostly queueing (64 users ÷ throughput); paced, it is what a
//!    learner waits when the server is not saturated.
//! 6. Prints answers/s, its ratio to the raw commit rate, p50/p99/max latency of the
//!    answers, every status seen (5xx must be 0), the server's CPU time per stored
//!    answer (all its threads, from `/proc`: a steadier figure to compare builds by than
//!    the rate, which moves with whatever else the machine runs) and the server's peak
//!    RSS (`VmHWM`); on SQLite, at the end, how many bytes of the database file each
//!    stored answer takes (rows and index entries, the log folded in).
//!
//! Run: `cargo bench --bench load` (builds the release binary). Users and seconds can be
//! set with `LOAD_USERS` and `LOAD_SECONDS`; `LOAD_SERVER_BIN` runs another build of the
//! server (to compare two versions under the same load); `LOAD_TIMELINE=DIR` writes every
//! answer's due time and latency, per phase, to `DIR/<phase>.tsv` (to see whether slow
//! answers come spread out or in stalls).
//!
//! On PostgreSQL: with `LOAD_POSTGRES_URL` set to a server (a URL whose user may create
//! databases), the script makes a fresh database there, measures PostgreSQL's raw
//! single-row commit rate instead, and starts `LOAD_REPLICAS` servers (default 2) on
//! that one database; the users are spread over the replicas, as behind a load
//! balancer, and the RSS figures are per replica (the largest). For a throwaway cluster:
//! `LOAD_PG_DURABLE=1 scripts/with-postgres sh -c 'LOAD_POSTGRES_URL=$REHEARSE_TEST_POSTGRES_URL cargo bench --bench load'`
//! (`LOAD_PG_DURABLE=1` keeps PostgreSQL's fsync on, so the figures mean what they say).
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A typical answer: about 60 words.
const ANSWER: &str = "A pod is the smallest deployable unit in Kubernetes: one or more containers that \
share a network namespace and storage volumes and are scheduled together on one node. A deployment \
manages a replica set of identical pods, keeps the desired number running, replaces failed ones and \
rolls out new versions with rolling updates and rollbacks.";

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    /// (when the answer was due, its latency) of every answer, for `LOAD_TIMELINE`.
    timeline: Vec<(Instant, u64)>,
    statuses: BTreeMap<u16, u64>,
    transport_errors: u64,
}

impl Tally {
    fn status(&mut self, status: StatusCode) {
        *self.statuses.entry(status.as_u16()).or_default() += 1;
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let users = env_or("LOAD_USERS", 64) as usize;
    let seconds = env_or("LOAD_SECONDS", 15);
    let dir = tempfile::tempdir()?;

    let postgres = std::env::var("LOAD_POSTGRES_URL").ok().filter(|u| !u.is_empty());
    let (database, raw, replicas) = match &postgres {
        None => {
            let raw_db = format!("sqlite://{}?mode=rwc", dir.path().join("raw.db").display());
            let raw = raw_commit_rate(&raw_db, Duration::from_secs(3)).await?;
            println!("raw SQLite single-row commit rate: {raw:.0} commits/s");
            (format!("sqlite://{}", dir.path().join("load.db").display()), raw, 1)
        }
        Some(server) => {
            let raw_db = create_pg_database(server, "load_raw").await?;
            let raw = raw_commit_rate(&raw_db, Duration::from_secs(3)).await?;
            println!("raw PostgreSQL single-row commit rate: {raw:.0} commits/s");
            (create_pg_database(server, "load").await?, raw, env_or("LOAD_REPLICAS", 2) as usize)
        }
    };

    let mut servers = Vec::new();
    let mut bases = Vec::new();
    for _ in 0..replicas {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        servers.push(start_server(&database, port)?);
        let base = format!("http://127.0.0.1:{port}");
        wait_ready(&base).await?;
        bases.push(base);
    }
    if replicas > 1 {
        println!("{replicas} replicas on one PostgreSQL database");
    }
    let pids: Vec<u32> = servers.iter().map(Child::id).collect();

    let result = run(&bases, users, seconds, raw, &pids).await;
    let peak = pids.iter().filter_map(|&p| peak_rss_kib(p)).max();
    for server in &mut servers {
        server.kill().ok();
        server.wait().ok();
    }
    result?;
    if let Some(kib) = peak {
        println!("server peak RSS (VmHWM) over all phases: {:.1} MB", kib as f64 / 1024.0);
    }
    if postgres.is_none() {
        storage_per_answer(&database).await?;
    }
    Ok(())
}

/// How much the database file holds per stored answer once the log is folded in: every
/// row and index entry an answer writes (the users, interviews and bank are a few
/// hundred KB of it).
async fn storage_per_answer(url: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(url).await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await?;
    let answers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&mut conn).await?;
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count").fetch_one(&mut conn).await?;
    let free: i64 = sqlx::query_scalar("PRAGMA freelist_count").fetch_one(&mut conn).await?;
    let page_size: i64 = sqlx::query_scalar("PRAGMA page_size").fetch_one(&mut conn).await?;
    let bytes = (pages - free) * page_size;
    println!(
        "database: {:.1} MB in use for {answers} stored answers = {:.2} KB per answer",
        bytes as f64 / 1e6,
        bytes as f64 / 1e3 / answers.max(1) as f64
    );
    Ok(())
}

async fn run(bases: &[String], users: usize, seconds: u64, raw: f64, pids: &[u32]) -> anyhow::Result<()> {
    let rss_now = || pids.iter().filter_map(|&p| current_rss_kib(p)).max().unwrap_or(0) as f64 / 1024.0;
    let rss_peak = || pids.iter().filter_map(|&p| peak_rss_kib(p)).max().unwrap_or(0) as f64 / 1024.0;
    let mut learners = Vec::with_capacity(users);
    for i in 0..users {
        let base = &bases[i % bases.len()];
        let client = Client::builder().cookie_store(true).build()?;
        let response = client
            .post(format!("{base}/api/v1/register"))
            .json(&json!({"username": format!("load{i}"), "password": "load test password 1"}))
            .send()
            .await?;
        anyhow::ensure!(response.status() == StatusCode::CREATED, "sign-up failed: {}", response.status());
        learners.push(User { client, base: base.clone(), current: None });
    }
    println!("{users} users signed up; server RSS now {:.1} MB", rss_now());

    for phase in [Phase::Answers, Phase::Hostile, Phase::Paced] {
        let hostile = phase == Phase::Hostile;
        let offered =
            std::env::var("LOAD_PACED_RATE").ok().and_then(|r| r.parse::<f64>().ok()).unwrap_or(raw / 2.0).max(1.0);
        let stop = Arc::new(AtomicBool::new(false));
        let tally = Arc::new(Mutex::new(Tally::default()));
        let side = Arc::new(Mutex::new(Tally::default()));
        let mut tasks = Vec::new();
        let mut answering = Vec::new();
        // Each user carries its interview in progress from one phase to the next: a
        // phase starting every user on a fresh interview would have them all finish
        // their interviews, and start the next, in the same few milliseconds, again and
        // again (paced, every user's tenth answer falls in the same interval), which no
        // class does.
        for (i, user) in learners.drain(..).enumerate() {
            // Paced: each user answers every `users / offered` seconds, the users
            // spread evenly over one interval.
            let pace = (phase == Phase::Paced).then(|| {
                let interval = Duration::from_secs_f64(users as f64 / offered);
                (interval, interval.mul_f64(i as f64 / users as f64))
            });
            answering.push(tokio::spawn(answer_loop(user, stop.clone(), tally.clone(), pace)));
        }
        if hostile {
            for i in 0..16 {
                let base = bases[i % bases.len()].clone();
                tasks.push(tokio::spawn(login_flood(base, i, stop.clone(), side.clone())));
            }
            for i in 0..4 {
                let base = bases[i % bases.len()].clone();
                tasks.push(tokio::spawn(hostile_grade(base, i, stop.clone(), side.clone())));
            }
        }
        let started = Instant::now();
        let cpu_before: f64 = pids.iter().filter_map(|&p| cpu_seconds(p)).sum();
        let own_before = cpu_seconds(std::process::id()).unwrap_or(0.0);
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        for task in answering {
            learners.push(task.await?);
        }
        for task in tasks {
            task.await?;
        }
        let elapsed = started.elapsed().as_secs_f64();
        let cpu = pids.iter().filter_map(|&p| cpu_seconds(p)).sum::<f64>() - cpu_before;
        let own = cpu_seconds(std::process::id()).unwrap_or(0.0) - own_before;
        let mut t = tally.lock().expect("tally");
        let answered = t.statuses.get(&200).copied().unwrap_or(0);
        t.latencies_us.sort_unstable();
        let pct = |p: f64| {
            t.latencies_us
                .get(((t.latencies_us.len() as f64 * p) as usize).min(t.latencies_us.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0) as f64
                / 1000.0
        };
        let rate = answered as f64 / elapsed;
        let title = match phase {
            Phase::Answers => "answers".to_string(),
            Phase::Hostile => "answers beside a login flood and hostile /grade calls".to_string(),
            Phase::Paced => format!("paced answers, {offered:.0}/s offered (latency from when each was due)"),
        };
        println!("\n== phase: {title} ({users} users, {elapsed:.0} s)");
        println!("graded and stored answers: {answered} = {rate:.0}/s; ratio to raw commit rate {:.3}", rate / raw);
        println!("answer latency ms: p50 {:.1}  p99 {:.1}  max {:.1}", pct(0.50), pct(0.99), pct(1.0));
        // All of the server's CPU in the phase, per answer stored: in the hostile phase
        // it includes the login flood's hashing and the /grade calls.
        println!(
            "server CPU: {:.2} cores busy, {:.0} µs per stored answer; this load generator: {:.2} cores",
            cpu / elapsed,
            cpu * 1e6 / answered.max(1) as f64,
            own / elapsed
        );
        println!("answer statuses: {:?}  transport errors: {}", t.statuses, t.transport_errors);
        let server_errors: u64 = t.statuses.iter().filter(|(s, _)| **s >= 500).map(|(_, n)| n).sum();
        if hostile {
            let s = side.lock().expect("side");
            println!("login flood and /grade statuses: {:?}  transport errors: {}", s.statuses, s.transport_errors);
            let side_errors: u64 = s.statuses.iter().filter(|(s, _)| **s >= 500).map(|(_, n)| n).sum();
            println!("5xx: {} (answers) + {side_errors} (flood and /grade)", server_errors);
        } else {
            println!("5xx: {server_errors}");
        }
        println!("server peak RSS so far: {:.1} MB", rss_peak());
        if let Ok(dir) = std::env::var("LOAD_TIMELINE") {
            std::fs::create_dir_all(&dir)
                .map_err(|e| anyhow::anyhow!("cannot create the LOAD_TIMELINE folder {dir}: {e}"))?;
            let path = std::path::Path::new(&dir).join(format!("{phase:?}.tsv").to_lowercase());
            let mut out = String::from("due_ms\tlatency_ms\n");
            t.timeline.sort_unstable();
            for (due, latency) in &t.timeline {
                let at = due.saturating_duration_since(started).as_secs_f64() * 1000.0;
                out.push_str(&format!("{at:.2}\t{:.2}\n", *latency as f64 / 1000.0));
            }
            std::fs::write(&path, out).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            println!("timeline of every answer written to {}", path.display());
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    Answers,
    Hostile,
    Paced,
}

/// A signed-up user of the load: its cookies, its server, and the interview it is in
/// (id, current question), if any.
struct User {
    client: Client,
    base: String,
    current: Option<(String, String)>,
}

/// One user: carry on with its interview (or start one), answer every question, start
/// the next, until stopped; back to back, or with `pace` (interval, first delay) on a
/// fixed schedule. Returns the user, in the interview it is in, for the next phase.
async fn answer_loop(
    user: User,
    stop: Arc<AtomicBool>,
    tally: Arc<Mutex<Tally>>,
    pace: Option<(Duration, Duration)>,
) -> User {
    let User { client, base, mut current } = user;
    let mut due = Instant::now() + pace.map_or(Duration::ZERO, |p| p.1);
    while !stop.load(Ordering::Relaxed) {
        let (interview, question) = match current.take() {
            Some(c) => c,
            None => match start(&client, &base).await {
                Some(c) => c,
                None => {
                    tally.lock().expect("tally").transport_errors += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let sent = match pace {
            Some((interval, _)) => {
                tokio::time::sleep_until(due.into()).await;
                let at = due;
                due += interval;
                at
            }
            None => Instant::now(),
        };
        let response = client
            .post(format!("{base}/api/v1/interviews/{interview}/answers"))
            .json(&json!({"question_id": question, "answer": ANSWER}))
            .send()
            .await;
        let elapsed = sent.elapsed().as_micros() as u64;
        match response {
            Ok(r) => {
                let status = r.status();
                let body: Value = r.json().await.unwrap_or(Value::Null);
                let mut t = tally.lock().expect("tally");
                t.status(status);
                if status == StatusCode::OK {
                    t.latencies_us.push(elapsed);
                    t.timeline.push((sent, elapsed));
                    if let Some(next) = body["next"]["id"].as_str() {
                        current = Some((interview, next.to_string()));
                    }
                }
            }
            Err(_) => tally.lock().expect("tally").transport_errors += 1,
        }
    }
    User { client, base, current }
}

async fn start(client: &Client, base: &str) -> Option<(String, String)> {
    let r = client.post(format!("{base}/api/v1/interviews")).json(&json!({"count": 10})).send().await.ok()?;
    let body: Value = r.json().await.ok()?;
    Some((body["id"].as_str()?.to_string(), body["question"]["id"].as_str()?.to_string()))
}

/// Wrong passwords for a username of its own, as fast as the server answers.
async fn login_flood(base: String, i: usize, stop: Arc<AtomicBool>, side: Arc<Mutex<Tally>>) {
    let client = Client::new();
    while !stop.load(Ordering::Relaxed) {
        let r = client
            .post(format!("{base}/api/v1/login"))
            .json(&json!({"username": format!("load{i}"), "password": "not the password at all"}))
            .send()
            .await;
        match r {
            Ok(r) => side.lock().expect("side").status(r.status()),
            Err(_) => side.lock().expect("side").transport_errors += 1,
        }
    }
}

/// The largest `/api/v1/grade` request the server accepts, over and over.
async fn hostile_grade(base: String, i: usize, stop: Arc<AtomicBool>, side: Arc<Mutex<Tally>>) {
    let Ok(client) = Client::builder().cookie_store(true).build() else { return };
    let account = json!({"username": format!("grader{i}"), "password": "load test password 1"});
    if client.post(format!("{base}/api/v1/register")).json(&account).send().await.is_err() {
        side.lock().expect("side").transport_errors += 1;
        return;
    }
    let reference = "containers images layers registry volumes networks pods nodes ".repeat(80);
    let keywords: Vec<String> = (0..30).map(|i| format!("term{i} | alternative {i} words here")).collect();
    let answer = "pods and nodes and images with layers and volumes and networks ".repeat(150);
    let body = json!({
        "question": "What is everything?",
        "reference": &reference[..5000.min(reference.len())],
        "keywords": keywords,
        "answer": &answer[..answer.len().min(9000)],
    });
    while !stop.load(Ordering::Relaxed) {
        match client.post(format!("{base}/api/v1/grade")).json(&body).send().await {
            Ok(r) => side.lock().expect("side").status(r.status()),
            Err(_) => side.lock().expect("side").transport_errors += 1,
        }
    }
}

/// Commits per second of single-row transactions of an answer's size, one writer, on
/// the database at `url` (SQLite in WAL mode with `synchronous=NORMAL`, as the server
/// runs it, or PostgreSQL as configured).
async fn raw_commit_rate(url: &str, run_for: Duration) -> anyhow::Result<f64> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    if url.starts_with("sqlite:") {
        sqlx::query("PRAGMA journal_mode = WAL").execute(&mut conn).await?;
        sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut conn).await?;
    }
    sqlx::query(
        "CREATE TABLE attempts (id TEXT PRIMARY KEY, user_id TEXT, question_id TEXT, answer TEXT,
         score DOUBLE PRECISION, grade TEXT, created_at BIGINT)",
    )
    .execute(&mut conn)
    .await?;
    let grade = "x".repeat(1500);
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < run_for {
        let mut tx = conn.begin().await?;
        sqlx::query("INSERT INTO attempts VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(uuid::Uuid::new_v4().to_string())
            .bind("user")
            .bind("question")
            .bind(ANSWER)
            .bind(0.5)
            .bind(&grade)
            .bind(n as i64)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        n += 1;
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

/// A fresh database on the PostgreSQL server at `server`; its URL.
async fn create_pg_database(server: &str, prefix: &str) -> anyhow::Result<String> {
    use sqlx::Connection;
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(server).await?;
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await?;
    admin.close().await?;
    let (base, _) = server.rsplit_once('/').ok_or_else(|| anyhow::anyhow!("the URL names no database"))?;
    Ok(format!("{base}/{name}"))
}

fn start_server(database: &str, port: u16) -> anyhow::Result<Child> {
    let questions = concat!(env!("CARGO_MANIFEST_DIR"), "/questions");
    // LOAD_SERVER_BIN compares another build (an A/B run) under the same load.
    let binary = std::env::var("LOAD_SERVER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_rehearse").to_string());
    Ok(Command::new(binary)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("REHEARSE_DATABASE_URL", database)
        .env("REHEARSE_QUESTIONS", questions)
        .env("RUST_LOG", "error")
        .env("REHEARSE_ANSWERS_PER_MINUTE", "1000000")
        .env("REHEARSE_INTERVIEWS_PER_MINUTE", "1000000")
        .env("REHEARSE_SIGNUPS_PER_HOUR_PER_ADDRESS", "1000000")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?)
}

async fn wait_ready(base: &str) -> anyhow::Result<()> {
    let client = Client::new();
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{base}/ready")).send().await {
            if r.status().is_success() {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("server did not become ready")
}

fn status_field_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    status_field_kib(pid, "VmHWM:")
}

fn current_rss_kib(pid: u32) -> Option<u64> {
    status_field_kib(pid, "VmRSS:")
}

/// CPU time the process has used so far, user and system, in seconds (`/proc/PID/stat`
/// fields 14 and 15, in clock ticks of 1/100 s on Linux).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, field 2, is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}
