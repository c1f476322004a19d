//! What a second hostile probe (2026-12-06) got past the server, each refused now with a
//! message that says why, and nothing stored: padded and invisible passwords, staff
//! names with accents, answers and group names with no visible text, far-off due dates,
//! a query parameter given twice, and a form whose bytes are not UTF-8.
use serde_json::json;

use crate::helpers::{json_of, spawn_app, TestApp};

/// Starts a one-question Docker interview as the logged-in user: its page and the
/// question's id.
async fn started_interview(app: &TestApp) -> (String, String) {
    let started = app.post_form("/interviews", &[("topic", "docker"), ("count", "1")]).await;
    let page = started.headers()["location"].to_str().expect("location").to_string();
    let html = app.get(&page).await.text().await.expect("html");
    let qid = html.split(r#"name="question_id" value=""#).nth(1).and_then(|r| r.split('"').next()).expect("question");
    (page, qid.to_string())
}

#[tokio::test]
async fn passwords_count_what_can_be_seen() {
    let app = spawn_app().await;
    for (i, password) in [
        "12345     ",
        "abcde     ",
        "abcde\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}",
        "aaaaa\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}",
        " 1234567890 ",
    ]
    .into_iter()
    .enumerate()
    {
        let response = app.register(&format!("padded{i}"), password).await;
        assert_eq!(response.status(), 422, "{password:?}");
        let message = json_of(response).await["error"]["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains("assword"), "{password:?}: {message}");
    }
    assert_eq!(app.register("spaced", "correct  horse  battery").await.status(), 201, "spaces inside are fine");
}

#[tokio::test]
async fn staff_names_with_accents_or_look_alike_letters_are_reserved() {
    let app = spawn_app().await;
    for name in
        ["Adm\u{ed}n", "Adm\u{131}n", "a\u{301}dmin", "r00t", "R\u{d6}\u{d6}T", "ADMlN", "adm1n", "4dmin", "5upport"]
    {
        let response = app.register(name, "correct horse battery").await;
        assert_eq!(response.status(), 422, "{name:?}");
        let message = json_of(response).await["error"]["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains("staff") || message.contains("reserved"), "{name:?}: {message}");
    }
    assert_eq!(app.register("m\u{fc}ller", "correct horse battery").await.status(), 201, "accents are welcome");
}

#[tokio::test]
async fn answers_without_words_are_refused_and_the_question_stays() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"topics": ["docker"], "count": 1})).await).await;
    let (interview, question) =
        (started["id"].as_str().expect("id"), started["question"]["id"].as_str().expect("question"));
    for wordless in ["\u{1f914}\u{1f433}\u{1f525}\u{1f4a5}\u{1f648}", "?!...", "  \u{200b}\u{200b} "] {
        let response = app.answer(interview, question, wordless).await;
        assert_eq!(response.status(), 422, "{wordless:?}");
        let message = json_of(response).await["error"]["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains("no words") || message.contains("empty"), "{wordless:?}: {message}");
    }
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(stored, 0, "nothing was stored");
    assert_eq!(app.answer(interview, question, "\u{1f433} Images are built in layers.").await.status(), 200);
}

#[tokio::test]
async fn group_names_must_show_something_and_due_dates_be_near() {
    let app = spawn_app().await;
    app.signed_up().await;
    for name in ["\u{200b}\u{200b}\u{200b}", " \u{feff} ", "Kube\u{202e}bulc"] {
        let response = app.post_json("/api/v1/groups", &json!({"name": name})).await;
        assert_eq!(response.status(), 422, "{name:?}");
    }
    let (group, _) = app.create_group("Kube club").await;
    for due in ["+99999-12-31", "2999-01-01"] {
        let response = app
            .put_json(
                &format!("/api/v1/groups/{group}/assignment"),
                &json!({"topic": "docker", "count": 3, "due_on": due}),
            )
            .await;
        assert_eq!(response.status(), 422, "{due}");
    }
}

#[tokio::test]
async fn a_query_parameter_given_twice_gets_a_readable_400() {
    let app = spawn_app().await;
    app.signed_up().await;
    let api = app.get("/api/v1/me/concepts?limit=1&limit=2").await;
    assert_eq!(api.status(), 400);
    assert!(api.headers()["content-type"].to_str().unwrap_or("").starts_with("application/json"));
    let message = json_of(api).await["error"]["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("query string") && message.contains("limit"), "{message}");

    let page = app.get("/login?next=/a&next=/b").await;
    assert_eq!(page.status(), 400);
    assert!(page.headers()["content-type"].to_str().unwrap_or("").starts_with("text/html"));
    assert!(page.text().await.expect("html").contains("query string"));
}

#[tokio::test]
async fn a_form_whose_bytes_are_not_utf8_is_refused_not_stored_garbled() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (page, qid) = started_interview(&app).await;
    let qid = qid.as_str();
    let token = app.csrf_token().await;
    let body = format!("question_id={qid}&answer=caf%E9+%FF+layers&csrf_token={token}");
    let response = app
        .client
        .post(app.url(&format!("{page}/answer")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 400);
    assert!(response.text().await.expect("html").contains("UTF-8"));
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(stored, 0, "nothing was stored");
    let fine =
        app.post_form(&format!("{page}/answer"), &[("question_id", qid), ("answer", "café layers are cached")]).await;
    assert_eq!(fine.status(), 303, "real UTF-8 text is taken");
}

/// A body over the limit gets 413 with a reason, as JSON under `/api/` and as a page
/// for a form, and nothing is stored (a hostile probe saw 400 for oversized JSON and 413
/// for oversized forms).
#[tokio::test]
async fn an_oversized_body_gets_413_with_a_reason() {
    let app = spawn_app().await;
    app.signed_up().await;
    let huge = json!({"reference": "Liveness restarts the container.", "answer": "a ".repeat(40_000)});
    let response = app.post_json("/api/v1/grade", &huge).await;
    assert_eq!(response.status(), 413);
    let body = json_of(response).await;
    assert_eq!(body["error"]["code"], "payload_too_large");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("larger than") && message.contains("10,000 characters"), "{message}");

    let (page, qid) = started_interview(&app).await;
    let qid = qid.as_str();
    let answer = "layers ".repeat(20_000);
    let response = app.post_form(&format!("{page}/answer"), &[("question_id", qid), ("answer", &answer)]).await;
    assert_eq!(response.status(), 413);
    assert!(response.text().await.expect("html").contains("too large"));
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(stored, 0, "nothing was stored");
}
