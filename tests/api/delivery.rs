//! Spoken answers and delivery insights through the API and the interview page.
use serde_json::json;

use crate::helpers::{json_of, reference_of, spawn_app};

#[tokio::test]
async fn an_answer_comes_back_with_its_delivery_and_is_stored_as_spoken() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 2})).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let first = started["question"]["id"].as_str().expect("question").to_string();

    // "toaster": a word of no question, so leant on whichever question came up (the
    // question's own words are never listed).
    let answer = "Um, so, basically a toaster is, like, a process, you know, and the toaster shares the kernel.";
    let response = app
        .post_json(
            &format!("/api/v1/interviews/{id}/answers"),
            &json!({"question_id": first, "answer": answer, "time_taken_ms": 30_000, "spoken": true}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let result = json_of(response).await;
    let delivery = &result["delivery"];
    assert_eq!(delivery["words"], 17, "{delivery}");
    assert_eq!(delivery["words_per_minute"], 34, "17 words in 30 s: {delivery}");
    assert_eq!(delivery["filler_total"], 4, "um, basically, like, you know: {delivery}");
    assert_eq!(delivery["most_used"][0], json!({"word": "toaster", "count": 2}), "{delivery}");
    // The question is drawn at random: the answer's words are among the model answer's
    // key words only when the model answer uses them.
    let reference = reference_of(&first).to_lowercase();
    let shared = ["process", "kernel"].iter().any(|w| reference.contains(w));
    let (used, of) = (delivery["key_terms_used"].as_u64(), delivery["key_terms"].as_u64());
    assert!(used.zip(of).is_some_and(|(u, o)| (0 < u || !shared) && u < o), "{delivery}");

    let next = result["next"]["id"].as_str().expect("next").to_string();
    let typed = json_of(
        app.post_json(
            &format!("/api/v1/interviews/{id}/answers"),
            &json!({"question_id": next, "answer": reference_of(&next)}),
        )
        .await,
    )
    .await;
    assert_eq!(typed["delivery"]["words_per_minute"], json!(null), "no time, no pace");
    assert_eq!(
        typed["delivery"]["key_terms_used"], typed["delivery"]["key_terms"],
        "the model answer uses all its words"
    );

    let history = json_of(app.get("/api/v1/me/history").await).await;
    let spoken: Vec<(String, bool)> = history["attempts"]
        .as_array()
        .expect("attempts")
        .iter()
        .map(|a| (a["question_id"].as_str().unwrap_or_default().to_string(), a["spoken"] == json!(true)))
        .collect();
    assert!(spoken.contains(&(first, true)) && spoken.contains(&(next, false)), "{spoken:?}");

    // The interview page shows the same insights under each answer's feedback.
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
    assert!(page.contains("How you said it: 17 words · 34 a minute · spoken"), "delivery on the page");
    assert!(page.contains("typed"));
}

#[tokio::test]
async fn the_answer_form_stores_whether_it_was_spoken() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 1})).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let question = started["question"]["id"].as_str().expect("question").to_string();
    let response = app
        .post_form(
            &format!("/interviews/{id}/answer"),
            &[("question_id", &question), ("answer", "Dictated: containers share the host kernel."), ("spoken", "1")],
        )
        .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    // As a number: sqlx's Any driver reads no SQLite boolean.
    let spoken: i64 =
        sqlx::query_scalar("SELECT CASE WHEN spoken THEN 1 ELSE 0 END FROM attempts WHERE interview_id = $1")
            .bind(&id)
            .fetch_one(&app.db().await)
            .await
            .expect("stored");
    assert_eq!(spoken, 1);
}

/// "Words you leant on" never lists a word the question itself needs: one of its prompt,
/// its concept labels or its model answer, in any form ("containers" for "container").
/// A learner was told they leant on "kernel ×3, container ×3" answering "container vs
/// VM", and on "concurrency ×3" answering a question on Lambda concurrency.
#[tokio::test]
async fn the_words_leant_on_are_never_the_questions_own() {
    let app = spawn_app().await;
    app.signed_up().await;
    let most_used = |delivery: &serde_json::Value| -> Vec<String> {
        delivery["most_used"]
            .as_array()
            .expect("most used")
            .iter()
            .map(|w| format!("{} ×{}", w["word"].as_str().unwrap_or_default(), w["count"]))
            .collect()
    };
    let cases = [
        (
            "docker-container-vs-vm",
            "Containers share the host kernel. A container's kernel is the host kernel, so a container \
             starts fast. A VM is heavier, much heavier, since it boots a whole guest system.",
            "heavier ×2",
        ),
        (
            "serverless-concurrency-throttling",
            "Concurrency is how many requests run at once. Hit the concurrency limit and you are throttled; \
             reserved concurrency sets some aside. Tricky, tricky stuff.",
            "tricky ×2",
        ),
        // The question's words fill the grader's five most used: the word after them
        // still shows.
        (
            "docker-container-vs-vm",
            "The container, the container and the container share the kernel, the kernel and the kernel: \
             the hypervisor, the hypervisor and the hypervisor, namespaces, namespaces and namespaces, \
             the host, the host and the host. A toaster, a toaster.",
            "toaster ×2",
        ),
    ];
    for (question, answer, leant) in cases {
        let started = json_of(app.start_interview(&json!({"question": question})).await).await;
        let id = started["id"].as_str().expect("id").to_string();
        let result = json_of(app.answer(&id, question, answer).await).await;
        let words = most_used(&result["delivery"]);
        assert_eq!(words, [leant], "{question}: only the word that is not the question's: {}", result["delivery"]);
        // The interview page shows the same list.
        let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
        assert!(page.contains(&format!("<dt>Words you leant on</dt><dd>{leant}</dd>")), "{question}: {page}");
    }
}
