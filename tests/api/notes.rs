use crate::helpers::{json_of, spawn_app_with};
use serde_json::json;

const NOTES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/notes/containers.txt");

#[tokio::test]
async fn questions_imported_from_notes_can_be_answered_in_an_interview() {
    // Arrange: the notes go into their own topic before the server starts, and the
    // server's own bank import at start-up must leave them in place.
    let app = spawn_app_with(|settings| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"))
            .args(["import", "--database", &settings.database_url, "--topic", "Release notes", NOTES])
            .arg("--questions")
            .arg(&settings.questions_dir)
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    })
    .await;
    app.signed_up().await;

    // Act: an interview on that topic, every question answered with its own notes answer.
    let started = app.start_interview(&json!({"topics": ["release-notes"], "count": 4})).await;
    assert_eq!(started.status(), 201, "an interview starts on the imported topic");
    let body = json_of(started).await;
    let id = body["id"].as_str().expect("id").to_string();
    let mut question = body["question"].clone();
    let mut asked = Vec::new();
    while let Some(qid) = question["id"].as_str().map(str::to_string) {
        assert_eq!(question["topic_id"], "release-notes");
        let (reference,): (String,) = sqlx::query_as("SELECT answer FROM questions WHERE id = ?")
            .bind(&qid)
            .fetch_one(&app.db().await)
            .await
            .expect("the imported question is stored");
        let answered = app.answer(&id, &qid, &reference).await;
        assert_eq!(answered.status(), 200, "{qid} can be answered");
        let graded = json_of(answered).await;
        let score = graded["score"].as_f64().expect("a score");
        assert!(score > 0.6, "{qid}: its own answer scores high, got {score}: {graded}");
        asked.push(qid);
        question = graded["next"].clone();
    }

    // Assert
    asked.sort();
    assert_eq!(asked.len(), 4, "{asked:?}");
    assert!(asked.iter().all(|q| q.starts_with("note-")), "{asked:?}");
}
