use rehearse::configuration::Settings;
use rehearse::startup::Application;
use reqwest::{redirect, Client, Response};
use serde_json::{json, Value};
use std::path::Path;
use tempfile::TempDir;

pub struct TestApp {
    pub address: String,
    pub client: Client,
    /// The database the app runs on: a fresh SQLite file, or a fresh PostgreSQL
    /// database when `REHEARSE_TEST_POSTGRES_URL` is set (see [`fresh_database`]).
    pub database_url: String,
    _dir: TempDir,
}

pub fn new_client() -> Client {
    Client::builder().cookie_store(true).redirect(redirect::Policy::none()).build().expect("client")
}

/// Starts the real app on 127.0.0.1:0 with a fresh SQLite file and the bundled questions.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    // `TEST_LOG=1` shows the servers' logs (with `--nocapture`), e.g. a 500's cause.
    if std::env::var_os("TEST_LOG").is_some() {
        rehearse::telemetry::init(rehearse::telemetry::LogFormat::Text);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings::for_database(fresh_database(dir.path()).await);
    tweak(&mut settings);
    let database_url = settings.database_url.clone();
    let app = Application::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp { address, client: new_client(), database_url, _dir: dir }
}

/// The URL of an empty database for one test. SQLite by default: a file in `dir`.
/// With `REHEARSE_TEST_POSTGRES_URL` set to a PostgreSQL server (a URL whose user may
/// create databases, e.g. `postgres://postgres@127.0.0.1:5433/postgres`; `.ci/run`
/// starts a throwaway cluster and sets it), a new database on that server, so the
/// whole suite runs on PostgreSQL.
pub async fn fresh_database(dir: &Path) -> String {
    match std::env::var("REHEARSE_TEST_POSTGRES_URL") {
        Ok(server) if !server.is_empty() => {
            use sqlx::Connection;
            let name = format!("rehearse_test_{}", uuid::Uuid::new_v4().simple());
            let mut admin = sqlx::PgConnection::connect(&server).await.expect("the PostgreSQL server answers");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("database created");
            let _ = admin.close().await;
            let (base, _) = server.rsplit_once('/').expect("the URL names a database");
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}", dir.join("test.db").display()),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client.post(self.url(path)).json(body).send().await.expect("request")
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Response {
        self.client.put(self.url(path)).json(body).send().await.expect("request")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.client.delete(self.url(path)).send().await.expect("request")
    }

    /// Another logged-out client of the same server (its own cookies).
    pub fn other_client(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: new_client(),
            database_url: self.database_url.clone(),
            _dir: tempfile::tempdir().expect("dir"),
        }
    }

    /// Creates a group; returns its id and invite code.
    pub async fn create_group(&self, name: &str) -> (String, String) {
        let response = self.post_json("/api/v1/groups", &json!({"name": name})).await;
        assert_eq!(response.status(), 201, "the group is created");
        let body = json_of(response).await;
        (body["id"].as_str().expect("id").to_string(), body["invite_code"].as_str().expect("code").to_string())
    }

    /// Makes a user an admin directly in the database (the CLI's test does it the real way).
    pub async fn make_admin(&self, username: &str) {
        sqlx::query("UPDATE users SET role = 'admin' WHERE username = $1")
            .bind(username)
            .execute(&self.db().await)
            .await
            .expect("promoted");
    }

    /// Runs `rehearse user ARGS...` on this app's database with `stdin` as input.
    pub fn user_cli(&self, args: &[&str], stdin: &str) -> std::process::Output {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"))
            .arg("user")
            .args(args)
            .args(["--database", &self.database_url])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("rehearse runs");
        child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("password written");
        child.wait_with_output().expect("rehearse finishes")
    }

    /// The CSRF token this client's pages carry (the start page's `csrf-token` meta tag).
    pub async fn csrf_token(&self) -> String {
        csrf_token_of(&self.client, &self.address).await
    }

    /// Posts a form as a browser would: with the CSRF token of this client's pages.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        let token = self.csrf_token().await;
        let mut fields = form.to_vec();
        fields.push(("csrf_token", &token));
        self.client.post(self.url(path)).form(&fields).send().await.expect("request")
    }

    pub async fn register(&self, username: &str, password: &str) -> Response {
        self.post_json("/api/v1/register", &json!({"username": username, "password": password})).await
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post_json("/api/v1/login", &json!({"username": username, "password": password})).await
    }

    /// Registers a fresh user (and is thereby logged in).
    pub async fn signed_up(&self) -> String {
        let name = format!("user{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let response = self.register(&name, "correct horse battery").await;
        assert_eq!(response.status(), 201, "sign-up works");
        name
    }

    pub async fn start_interview(&self, body: &Value) -> Response {
        self.post_json("/api/v1/interviews", body).await
    }

    pub async fn answer(&self, interview: &str, question: &str, answer: &str) -> Response {
        self.post_json(
            &format!("/api/v1/interviews/{interview}/answers"),
            &json!({"question_id": question, "answer": answer}),
        )
        .await
    }

    /// `PUT /api/v1/attempts/{attempt}/claims`.
    pub async fn put_claim(&self, attempt: &str, concept: &str, claim: &str) -> Response {
        self.client
            .put(self.url(&format!("/api/v1/attempts/{attempt}/claims")))
            .json(&json!({"concept": concept, "claim": claim}))
            .send()
            .await
            .expect("request")
    }

    /// `DELETE /api/v1/attempts/{attempt}/claims/{concept}`, the concept percent-encoded.
    pub async fn delete_claim(&self, attempt: &str, concept: &str) -> Response {
        let mut url = reqwest::Url::parse(&self.url(&format!("/api/v1/attempts/{attempt}/claims"))).expect("url");
        url.path_segments_mut().expect("base").push(concept);
        self.client.delete(url).send().await.expect("request")
    }

    /// Opens the app's database directly, to check what was stored (SQLite or
    /// PostgreSQL, so the SQL must suit both: `$1` placeholders, no `?`).
    pub async fn db(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::pool::PoolOptions::<sqlx::Any>::new()
            .max_connections(2)
            .connect(&self.database_url)
            .await
            .expect("db opens")
    }
}

/// The CSRF token `client`'s pages carry, read from the start page.
pub async fn csrf_token_of(client: &Client, address: &str) -> String {
    let html = client.get(format!("{address}/")).send().await.expect("request").text().await.expect("html");
    let (_, rest) = html.split_once(r#"<meta name="csrf-token" content=""#).expect("the page has a CSRF token");
    let token = rest.split('"').next().unwrap_or("").to_string();
    assert!(!token.is_empty(), "the CSRF token is not empty");
    token
}

pub async fn json_of(response: Response) -> Value {
    response.json().await.expect("JSON body")
}

/// A bundled question, read from the question files.
pub fn question_def(question_id: &str) -> rehearse::bank::QuestionDef {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questions"));
    rehearse::bank::load_dir(dir)
        .expect("bank")
        .into_iter()
        .flat_map(|t| t.questions)
        .find(|q| q.id == question_id)
        .expect("question exists")
}

/// The reference answer of a bundled question.
pub fn reference_of(question_id: &str) -> String {
    question_def(question_id).answer
}
