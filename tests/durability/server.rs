//! The real `rehearse` binary as a child process: its own SQLite file, a random port,
//! logs in a file beside the database, and signals sent to it.
use reqwest::{redirect, Client};
use serde_json::{json, Value};
use std::fs::OpenOptions;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A password that passes the sign-up rules (10+ characters, not a common one).
pub const PASSWORD: &str = "correct horse battery";

pub struct Server {
    pub child: Child,
    pub address: String,
    pub log: PathBuf,
}

pub fn database_url(db: &Path) -> String {
    format!("sqlite://{}", db.display())
}

pub fn rehearse() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rehearse"))
}

impl Server {
    /// Starts `rehearse serve` on `db` and waits until it prints its address.
    pub fn start(db: &Path, extra: &[&str]) -> Server {
        Server::start_on(&database_url(db), db.with_extension("log"), extra)
    }

    /// Starts `rehearse serve` on the database at `url` (SQLite or PostgreSQL), logging
    /// to `log`, and waits until it prints its address.
    pub fn start_on(url: &str, log: PathBuf, extra: &[&str]) -> Server {
        let stderr = OpenOptions::new().create(true).append(true).open(&log).expect("log file");
        let mut child = rehearse()
            .args(["serve", "--bind", "127.0.0.1:0", "--database", url, "--questions"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/questions"))
            .args(extra)
            .env("RUST_LOG", "info")
            // A few learners answering back to back stand in for a class: the per-user
            // limits (tested in tests/api/limits.rs) would turn most of the load into 429s.
            .env("REHEARSE_ANSWERS_PER_MINUTE", "1000000")
            .env("REHEARSE_INTERVIEWS_PER_MINUTE", "1000000")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(stderr))
            .spawn()
            .expect("rehearse starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        // Keep reading stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let address = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.split("http://").nth(1) {
                        break format!("http://{}", rest.split('/').next().expect("host:port"));
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    panic!("server did not start; log:\n{}", std::fs::read_to_string(&log).unwrap_or_default());
                }
            }
        };
        Server { child, address, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid; no memory is involved.
        let rc = unsafe { libc::kill(self.pid(), signal) };
        assert_eq!(rc, 0, "signal {signal} sent");
    }

    /// Waits for the process to exit, at most `limit`.
    pub fn wait_for_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL, then reap.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

/// A client logged in as `username`, signing up first when `new`.
pub async fn logged_in(address: &str, username: &str, new: bool) -> Client {
    let client = client();
    let path = if new { "/api/v1/register" } else { "/api/v1/login" };
    let response = client
        .post(format!("{address}{path}"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .expect("request");
    assert!(response.status().is_success(), "{path} for {username}: {}", response.status());
    client
}

/// Opens a database file directly (not through the server).
pub async fn open(db: &Path) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&database_url(db)).await.expect("database opens")
}

pub async fn integrity(pool: &sqlx::SqlitePool) -> String {
    sqlx::query_scalar("PRAGMA integrity_check").fetch_one(pool).await.expect("integrity_check")
}

/// An answer the server acknowledged with a 2xx.
#[derive(Debug, Clone)]
pub struct Ack {
    pub username: String,
    pub interview: String,
    pub attempt: String,
    pub answer: String,
}

/// What one client saw.
pub struct Run {
    pub acks: Vec<Ack>,
    /// An answer was on its way when the server went away (sent, never acknowledged).
    pub cut_off: bool,
}

/// Answers questions as `username` until a request fails (the server went away) or
/// `stop` is set.
pub async fn answer_until_failure(
    address: String,
    client: Client,
    username: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Run {
    let mut acks = Vec::new();
    let mut cut_off = false;
    let mut n = 0;
    'interviews: while !stop.load(std::sync::atomic::Ordering::SeqCst) {
        let Ok(started) = client.post(format!("{address}/api/v1/interviews")).json(&json!({"count": 20})).send().await
        else {
            break;
        };
        if !started.status().is_success() {
            break;
        }
        let Ok(started) = started.json::<Value>().await else { break };
        let interview = started["id"].as_str().expect("interview id").to_string();
        let mut question = started["question"]["id"].as_str().map(str::to_string);
        while let Some(q) = question {
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                break 'interviews;
            }
            n += 1;
            let answer = format!(
                "{username} answer {n}: a pod wraps one or more containers that share a network \
                 namespace, and a deployment keeps the desired number of replicas running."
            );
            let sent = client
                .post(format!("{address}/api/v1/interviews/{interview}/answers"))
                .json(&json!({"question_id": q, "answer": answer}))
                .send()
                .await;
            let Ok(response) = sent else {
                cut_off = true;
                break 'interviews;
            };
            if !response.status().is_success() {
                break 'interviews;
            }
            let Ok(body) = response.json::<Value>().await else {
                cut_off = true;
                break 'interviews;
            };
            acks.push(Ack {
                username: username.clone(),
                interview: interview.clone(),
                attempt: body["attempt_id"].as_str().expect("attempt id").to_string(),
                answer,
            });
            question = body["next"]["id"].as_str().map(str::to_string);
        }
    }
    Run { acks, cut_off }
}
