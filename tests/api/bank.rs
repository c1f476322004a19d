use serde_json::json;
use std::path::{Path, PathBuf};

use crate::helpers::{json_of, spawn_app_with};

fn copy_bank(to: &Path) {
    let from = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questions"));
    for entry in std::fs::read_dir(from).expect("questions dir") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copy");
    }
}

#[tokio::test]
async fn a_question_removed_from_the_files_is_retired_and_history_stays_readable() {
    let questions = tempfile::tempdir().expect("dir");
    copy_bank(questions.path());
    let dir: PathBuf = questions.path().into();
    let app = spawn_app_with(|s| s.questions_dir = dir.clone()).await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"topics": ["docker"], "count": 1})).await).await;
    let qid = started["question"]["id"].as_str().expect("id").to_string();
    app.answer(started["id"].as_str().expect("id"), &qid, "an answer").await;

    // Remove that question from its file and start the app again on the same database.
    let file = questions.path().join("docker.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    let marker = format!("id = \"{qid}\"");
    let start = text[..text.find(&marker).expect("question in file")].rfind("[[question]]").expect("table");
    let end = text[start + 12..].find("[[question]]").map(|i| start + 12 + i).unwrap_or(text.len());
    std::fs::write(&file, format!("{}{}", &text[..start], &text[end..])).expect("write");
    let mut settings = rehearse::configuration::Settings::for_database(app.database_url.clone());
    settings.questions_dir = dir.clone();
    let again = rehearse::startup::Application::build(settings).await.expect("restarts");
    let address = format!("http://127.0.0.1:{}", again.port());
    tokio::spawn(again.run_until_stopped());

    let retired: Option<i64> = sqlx::query_scalar("SELECT retired_at FROM questions WHERE id = $1")
        .bind(&qid)
        .fetch_one(&app.db().await)
        .await
        .expect("row kept");
    assert!(retired.is_some(), "question retired, not deleted");
    let history: serde_json::Value = app
        .client
        .get(format!("{address}/api/v1/me/history"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(history["attempts"][0]["question_id"], qid.as_str(), "history still shows it");
    for _ in 0..5 {
        let next = json_of(
            app.client
                .post(format!("{address}/api/v1/interviews"))
                .json(&json!({"topics": ["docker"], "count": 20}))
                .send()
                .await
                .expect("request"),
        )
        .await;
        assert_ne!(next["question"]["id"], qid.as_str(), "a retired question is not asked");
    }
}

#[tokio::test]
async fn a_malformed_file_stops_start_up_with_file_question_and_field() {
    let questions = tempfile::tempdir().expect("dir");
    copy_bank(questions.path());
    let file = questions.path().join("kubernetes.toml");
    let text = std::fs::read_to_string(&file).expect("read").replacen("difficulty = ", "difficulty = 7 # ", 1);
    std::fs::write(&file, text).expect("write");
    let db = tempfile::tempdir().expect("dir");
    let mut settings =
        rehearse::configuration::Settings::for_database(format!("sqlite://{}", db.path().join("x.db").display()));
    settings.questions_dir = questions.path().into();

    let error = match rehearse::startup::Application::build(settings).await {
        Ok(_) => panic!("a bad bank must not start"),
        Err(e) => format!("{e:#}"),
    };

    assert!(
        error.contains("kubernetes.toml") && error.contains("question \"k8s-") && error.contains("`difficulty`"),
        "{error}"
    );
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.path().join("x.db").display())).await.expect("db");
    let loaded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM questions").fetch_one(&pool).await.expect("count");
    assert_eq!(loaded, 0, "nothing half-loaded");
}
