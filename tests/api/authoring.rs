//! Question authoring by admins (issue #10): create, edit, retire and restore over the
//! API and the pages, 403 for members, 404 and 422 with the field named, the preview
//! with unsaved keywords, sample answers with the grader's verdict, versions kept with
//! attempts, web edits surviving a restart, and export → import → export.
use serde_json::{json, Value};

use crate::helpers::{json_of, spawn_app, spawn_app_with, TestApp};

const TOPIC: &str = "authoring-test";

/// An app with a logged-in admin and a topic of its own.
async fn app_with_admin() -> TestApp {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let topic = app
        .post_json(
            "/api/v1/admin/topics",
            &json!({"id": TOPIC, "name": "Authoring test", "description": "Made on the web."}),
        )
        .await;
    assert_eq!(topic.status(), 201, "the admin creates a topic");
    app
}

fn question(id: &str) -> Value {
    json!({
        "id": id,
        "topic_id": TOPIC,
        "prompt": "What does a load balancer do?",
        "answer": "A load balancer spreads incoming requests across several servers and stops sending traffic to an unhealthy server.",
        "keywords": [
            {"concept": "spreads | distributes | spread", "hint": "Say what it does with requests."},
            {"concept": "unhealthy | health checks | failed"}
        ],
        "follow_ups": ["What is sticky session routing?"],
        "difficulty": 2
    })
}

async fn create(app: &TestApp, body: &Value) -> Value {
    let response = app.post_json("/api/v1/admin/questions", body).await;
    assert_eq!(response.status(), 201, "created");
    json_of(response).await
}

#[tokio::test]
async fn an_admin_creates_edits_retires_and_restores_a_question() {
    let app = app_with_admin().await;

    let created = create(&app, &question("lb-basics")).await;
    assert_eq!(created["version"], 1);
    assert_eq!(created["edited_on_web"], true);
    assert_eq!(created["keywords"][0]["hint"], "Say what it does with requests.");

    let mut edited = question("ignored-the-path-wins");
    edited["prompt"] = json!("What is a load balancer for?");
    let response = app.put_json("/api/v1/admin/questions/lb-basics", &edited).await;
    assert_eq!(response.status(), 200, "edited");
    let body = json_of(response).await;
    assert_eq!((body["id"].as_str(), body["version"].as_i64()), (Some("lb-basics"), Some(2)), "{body}");
    assert_eq!(body["prompt"], "What is a load balancer for?");

    let same = app.put_json("/api/v1/admin/questions/lb-basics", &edited).await;
    assert_eq!(json_of(same).await["version"], 2, "saving unchanged content is not a new version");

    // New interviews ask the new version at once.
    let started = json_of(app.start_interview(&json!({"topics": [TOPIC], "count": 1})).await).await;
    assert_eq!(started["question"]["prompt"], "What is a load balancer for?", "{started}");

    let retired = json_of(app.post_json("/api/v1/admin/questions/lb-basics/retire", &json!({})).await).await;
    assert_eq!(retired["retired"], true);
    let refused = app.start_interview(&json!({"topics": [TOPIC], "count": 1})).await;
    assert_ne!(refused.status(), 201, "a retired question is no longer asked");

    let restored = json_of(app.post_json("/api/v1/admin/questions/lb-basics/restore", &json!({})).await).await;
    assert_eq!(restored["retired"], false);
    let list = json_of(app.get("/api/v1/admin/questions").await).await;
    let listed = list["questions"].as_array().expect("questions").iter().find(|q| q["id"] == "lb-basics").cloned();
    assert_eq!(listed.map(|q| q["retired"].clone()), Some(json!(false)), "listed as active again");
    assert!(list["topics"].as_array().expect("topics").iter().any(|t| t["id"] == TOPIC && t["questions"] == 1));
}

#[tokio::test]
async fn members_get_403_on_every_authoring_route() {
    let app = app_with_admin().await;
    create(&app, &question("lb-basics")).await;
    let member = app.other_client();
    member.signed_up().await;

    let json_routes: Vec<(&str, &str)> = vec![
        ("GET", "/api/v1/admin/questions"),
        ("POST", "/api/v1/admin/questions"),
        ("POST", "/api/v1/admin/questions/preview"),
        ("GET", "/api/v1/admin/questions/lb-basics"),
        ("PUT", "/api/v1/admin/questions/lb-basics"),
        ("POST", "/api/v1/admin/questions/lb-basics/retire"),
        ("POST", "/api/v1/admin/questions/lb-basics/restore"),
        ("POST", "/api/v1/admin/questions/lb-basics/samples"),
        ("DELETE", "/api/v1/admin/questions/lb-basics/samples/x"),
        ("POST", "/api/v1/admin/topics"),
        ("PUT", "/api/v1/admin/topics/docker"),
        ("POST", "/api/v1/admin/topics/docker/retire"),
        ("POST", "/api/v1/admin/topics/docker/restore"),
    ];
    let q = question("lb-basics");
    for (method, path) in json_routes {
        let body = match path {
            p if p.ends_with("/preview") => json!({"question": q, "sample": "it spreads requests"}),
            p if p.ends_with("/samples") => json!({"answer": "it spreads requests", "expected_band": "weak"}),
            p if p.ends_with("/topics") => json!({"id": "x", "name": "X"}),
            p if p.ends_with("/topics/docker") => json!({"name": "Not Docker"}),
            p if p.ends_with("/retire") || p.ends_with("/restore") => json!({}),
            _ => q.clone(),
        };
        let request = match method {
            "GET" => member.client.get(member.url(path)),
            "POST" => member.client.post(member.url(path)).json(&body),
            "PUT" => member.client.put(member.url(path)).json(&body),
            _ => member.client.delete(member.url(path)),
        };
        let response = request.send().await.expect("request");
        assert_eq!(response.status(), 403, "{method} {path}");
    }
    for path in ["/admin/questions", "/admin/questions/new", "/admin/questions/lb-basics"] {
        assert_eq!(member.get(path).await.status(), 403, "GET {path}");
    }
    // A learner is told who can help, in words: no command line, no Markdown backticks.
    let refused = member.get("/admin/questions").await.text().await.expect("html");
    assert!(refused.contains("Ask an admin to make you one"), "{refused}");
    assert!(!refused.contains('`') && !refused.contains("rehearse user"), "{refused}");
    let form = [("topic_id", TOPIC), ("prompt", "p"), ("answer", "a"), ("keywords", "x")];
    for path in [
        "/admin/questions",
        "/admin/questions/lb-basics",
        "/admin/questions/lb-basics/retire",
        "/admin/topics",
        "/admin/topics/docker",
        "/admin/topics/docker/retire",
    ] {
        assert_eq!(member.post_form(path, &form).await.status(), 403, "POST {path}");
    }
    let docker: (String, Option<i64>) = sqlx::query_as("SELECT name, retired_at FROM topics WHERE id = 'docker'")
        .fetch_one(&app.db().await)
        .await
        .expect("row");
    assert_eq!(docker, ("Docker".to_string(), None), "a member can neither rename nor retire a topic");
    let stored: String = sqlx::query_scalar("SELECT prompt FROM questions WHERE id = 'lb-basics'")
        .fetch_one(&app.db().await)
        .await
        .expect("row");
    assert_eq!(stored, "What does a load balancer do?", "nothing a member sent was stored");
}

#[tokio::test]
async fn unknown_questions_are_404() {
    let app = app_with_admin().await;
    assert_eq!(app.get("/api/v1/admin/questions/no-such").await.status(), 404, "GET");
    assert_eq!(app.put_json("/api/v1/admin/questions/no-such", &question("no-such")).await.status(), 404, "PUT");
    assert_eq!(app.post_json("/api/v1/admin/questions/no-such/retire", &json!({})).await.status(), 404, "retire");
    let sample = json!({"answer": "it spreads requests", "expected_band": "weak"});
    assert_eq!(app.post_json("/api/v1/admin/questions/no-such/samples", &sample).await.status(), 404, "sample");
    assert_eq!(app.get("/admin/questions/no-such").await.status(), 404, "page");
    let rename = json!({"name": "Nothing"});
    assert_eq!(app.put_json("/api/v1/admin/topics/no-such", &rename).await.status(), 404, "topic PUT");
    assert_eq!(app.post_json("/api/v1/admin/topics/no-such/retire", &json!({})).await.status(), 404, "topic retire");
    assert_eq!(app.post_form("/admin/topics/no-such/retire", &[]).await.status(), 404, "topic retire page");
}

/// Names of the topics a learner can practise.
async fn practised_topics(app: &TestApp) -> Vec<String> {
    let topics = json_of(app.get("/api/v1/topics").await).await;
    let list = topics.as_array().or_else(|| topics["topics"].as_array()).cloned().unwrap_or_default();
    list.iter().map(|t| t["name"].as_str().unwrap_or_default().to_string()).collect()
}

#[tokio::test]
async fn an_admin_renames_retires_and_restores_a_topic_and_it_survives_a_restart() {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    // One Docker question was retired on its own before: restoring the topic leaves it retired.
    let alone = app.post_json("/api/v1/admin/questions/docker-image-vs-container/retire", &json!({})).await;
    assert_eq!(alone.status(), 200);

    let renamed = app
        .put_json(
            "/api/v1/admin/topics/docker",
            &json!({"name": "  Containers with Docker ", "description": "Images."}),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let renamed = json_of(renamed).await;
    assert_eq!(renamed["name"], "Containers with Docker", "trimmed");
    assert_eq!(renamed["retired"], false);
    assert!(practised_topics(&app).await.contains(&"Containers with Docker".to_string()), "learners see it at once");
    let empty = app.put_json("/api/v1/admin/topics/docker", &json!({"name": "  "})).await;
    assert_eq!(empty.status(), 422, "an empty name is refused");
    let long = app.put_json("/api/v1/admin/topics/docker", &json!({"name": "x".repeat(101)})).await;
    assert_eq!(long.status(), 422, "a name over 100 characters is refused");

    let active_before = renamed["questions"].as_i64().expect("count");
    assert!(active_before > 1);
    let retired = json_of(app.post_json("/api/v1/admin/topics/docker/retire", &json!({})).await).await;
    assert_eq!((retired["retired"].as_bool(), retired["questions"].as_i64()), (Some(true), Some(0)), "{retired}");
    assert!(!practised_topics(&app).await.contains(&"Containers with Docker".to_string()), "no longer offered");
    let start = app.post_json("/api/v1/interviews", &json!({"topics": ["docker"]})).await;
    assert!(start.status().is_client_error(), "an interview on a retired topic is refused: {}", start.status());

    // The same database started again with the files unchanged: the web state is kept.
    let database = app.database_url.clone();
    let again = spawn_app_with(|s| s.database_url = database.clone()).await;
    assert_eq!(again.login(&name, "correct horse battery").await.status(), 200);
    let list = json_of(again.get("/api/v1/admin/questions").await).await;
    let docker = list["topics"].as_array().expect("topics").iter().find(|t| t["id"] == "docker").cloned();
    let docker = docker.expect("docker listed");
    assert_eq!((docker["name"].as_str(), docker["retired"].as_bool()), (Some("Containers with Docker"), Some(true)));

    let restored = json_of(again.post_json("/api/v1/admin/topics/docker/restore", &json!({})).await).await;
    assert_eq!(restored["retired"], false);
    assert_eq!(restored["questions"].as_i64(), Some(active_before), "the questions retired with it come back");
    let alone = json_of(again.get("/api/v1/admin/questions/docker-image-vs-container").await).await;
    assert_eq!(alone["question"]["retired"], true, "a question retired on its own before stays retired");
    assert!(practised_topics(&again).await.contains(&"Containers with Docker".to_string()));

    // Export carries the new name.
    let dir = tempfile::tempdir().expect("dir");
    rehearse(&["export", &dir.path().display().to_string(), "--database", &database]);
    let docker_file = std::fs::read_to_string(dir.path().join("docker.toml")).expect("docker.toml");
    assert!(docker_file.contains("Containers with Docker"), "{docker_file}");
}

#[tokio::test]
async fn a_topic_header_changed_in_its_file_wins_over_a_web_rename() {
    let questions = copy_of_the_bank();
    let dir = questions.path().to_path_buf();
    let app = spawn_app_with(|s| s.questions_dir = dir.clone()).await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    assert_eq!(app.put_json("/api/v1/admin/topics/docker", &json!({"name": "Web name"})).await.status(), 200);

    let file = questions.path().join("docker.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    let header = text.lines().find(|l| l.starts_with("topic =")).expect("a topic line").to_string();
    std::fs::write(&file, text.replacen(&header, "topic = \"File name\"", 1)).expect("write");
    let database = app.database_url.clone();
    let again = spawn_app_with(|s| {
        s.database_url = database.clone();
        s.questions_dir = dir.clone();
    })
    .await;
    assert!(practised_topics(&again).await.contains(&"File name".to_string()), "the changed file wins");
}

#[tokio::test]
async fn an_admin_renames_and_retires_a_topic_with_the_forms() {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let list = app.get("/admin/questions").await.text().await.expect("html");
    assert!(list.contains(r#"action="/admin/topics/docker/retire""#), "each topic has a retire button");

    let saved = app.post_form("/admin/topics/docker", &[("name", "Docker basics"), ("description", "")]).await;
    assert_eq!(saved.status(), 303);
    let next = saved.headers()["location"].to_str().expect("location").to_string();
    let page = app.get(&next).await.text().await.expect("html");
    assert!(page.contains("Topic saved") && page.contains("Docker basics"), "the notice and the new name");

    let refused = app.post_form("/admin/topics/docker", &[("name", ""), ("description", "")]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("html").contains("name: is missing or empty"), "says what to fix");

    let retired = app.post_form("/admin/topics/docker/retire", &[]).await;
    assert_eq!(retired.status(), 303);
    let page = app.get(retired.headers()["location"].to_str().expect("location")).await.text().await.expect("html");
    assert!(page.contains("Topic retired") && page.contains(r#"action="/admin/topics/docker/restore""#), "{page}");
    let restored = app.post_form("/admin/topics/docker/restore", &[]).await;
    assert_eq!(restored.status(), 303);
    assert!(practised_topics(&app).await.contains(&"Docker basics".to_string()));
}

#[tokio::test]
async fn invalid_questions_are_422_with_the_field_named() {
    let app = app_with_admin().await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("empty prompt", json!({"prompt": "  "}), "prompt"),
        ("no keywords", json!({"keywords": []}), "at least one keyword"),
        ("blank keyword", json!({"keywords": [{"concept": " | "}]}), "keywords"),
        ("bad id", json!({"id": "Not An Id"}), "id"),
        ("unknown topic", json!({"topic_id": "no-such-topic"}), "no topic"),
        ("difficulty", json!({"difficulty": 7}), "difficulty"),
        ("relation", json!({"relations": ["spreads & nothing"]}), "relations"),
    ];
    for (case, change, expected) in cases {
        let mut body = question("lb-invalid");
        for (k, v) in change.as_object().expect("object") {
            body[k] = v.clone();
        }
        let response = app.post_json("/api/v1/admin/questions", &body).await;
        assert_eq!(response.status(), 422, "{case}");
        let message = json_of(response).await["error"]["message"].as_str().unwrap_or("").to_string();
        assert!(message.contains(expected), "{case}: {message}");
    }
    create(&app, &question("lb-basics")).await;
    let again = app.post_json("/api/v1/admin/questions", &question("lb-basics")).await;
    assert_eq!(again.status(), 409, "an id that is taken");
    let bad_topic = app.post_json("/api/v1/admin/topics", &json!({"id": "Bad Id", "name": "x"})).await;
    assert_eq!(bad_topic.status(), 422, "a topic id with spaces");
}

/// The model-answer checks among a response's keyword warnings: the concepts named.
fn model_answer_misses(body: &Value) -> Vec<String> {
    body["keyword_warnings"]
        .as_array()
        .expect("keyword_warnings")
        .iter()
        .filter(|w| w["message"].as_str().unwrap_or_default().contains("model answer itself"))
        .map(|w| w["concept"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn an_author_hears_when_the_model_answer_misses_one_of_its_concepts() {
    let app = app_with_admin().await;
    let mut q = question("lb-sticky");
    q["keywords"] = json!([
        {"concept": "spreads | distributes"},
        {"concept": "unhealthy | health checks"},
        {"concept": "sticky sessions | session affinity"}
    ]);
    let sample = "It spreads requests over the servers.";
    let preview =
        json_of(app.post_json("/api/v1/admin/questions/preview", &json!({"question": q, "sample": sample})).await)
            .await;
    assert_eq!(model_answer_misses(&preview), ["sticky sessions"], "{preview}");

    // Saved anyway (it is advice), the question's page and its API say so too.
    create(&app, &q).await;
    let detail = json_of(app.get("/api/v1/admin/questions/lb-sticky").await).await;
    assert_eq!(model_answer_misses(&detail), ["sticky sessions"], "{detail}");
    let page = app.get("/admin/questions/lb-sticky").await.text().await.expect("html");
    assert!(
        page.contains(r#"id="keyword-checks""#) && page.contains("The model answer itself does not mention"),
        "{page}"
    );

    // A model answer that says it clears the warning; the other checks are unchanged.
    q["answer"] = json!("A load balancer spreads incoming requests across several servers, stops sending traffic to an unhealthy server, and with session affinity keeps a user on one server.");
    let fixed =
        json_of(app.post_json("/api/v1/admin/questions/preview", &json!({"question": q, "sample": sample})).await)
            .await;
    assert!(model_answer_misses(&fixed).is_empty(), "{fixed}");
    assert_eq!(fixed["keyword_warnings"], json!([]), "{fixed}");
}

#[tokio::test]
async fn the_preview_grades_with_unsaved_keywords() {
    let app = app_with_admin().await;
    create(&app, &question("lb-basics")).await;
    let sample = "It uses round robin so no single machine gets all the traffic.";

    let stored = json!({"question": question("lb-basics"), "sample": sample});
    let before = json_of(app.post_json("/api/v1/admin/questions/preview", &stored).await).await;
    assert!(before["missed"].as_array().expect("missed").iter().any(|m| m == "spreads"), "{before}");

    let mut unsaved = question("lb-basics");
    unsaved["keywords"] = json!([{"concept": "round robin | spreads"}, {"concept": "traffic"}]);
    let response =
        app.post_json("/api/v1/admin/questions/preview", &json!({"question": unsaved, "sample": sample})).await;
    assert_eq!(response.status(), 200);
    let after = json_of(response).await;
    assert_eq!(after["covered"], json!(["round robin", "traffic"]), "{after}");
    assert!(after["score"].as_f64() > before["score"].as_f64(), "{before} → {after}");
    assert_eq!(before["keyword_warnings"], json!([]), "the stored keywords need nothing: {before}");

    // Keywords that give credit too easily are pointed out, with the reason.
    let mut easy = question("lb-basics");
    easy["keywords"] = json!([{"concept": "load balancer | balancer"}, {"concept": "spreads | way"}]);
    let checked =
        json_of(app.post_json("/api/v1/admin/questions/preview", &json!({"question": easy, "sample": sample})).await)
            .await;
    let warned: Vec<&str> = checked["keyword_warnings"]
        .as_array()
        .expect("keyword_warnings")
        .iter()
        .map(|w| w["alternative"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(warned, ["load balancer", "balancer", "way"], "{checked}");
    // The page shows the checks beside the keywords as typed (the Test button's page).
    let page = app
        .post_form(
            "/admin/questions/lb-basics",
            &[
                ("topic_id", TOPIC),
                ("prompt", "What does a load balancer do?"),
                ("answer", "A load balancer spreads requests."),
                ("keywords", "load balancer | balancer\nspreads | way"),
                ("difficulty", "2"),
                ("sample", sample),
                ("action", "test"),
            ],
        )
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains(r#"id="keyword-checks""#) && page.contains("one everyday word"), "{page}");

    let detail = json_of(app.get("/api/v1/admin/questions/lb-basics").await).await;
    assert_eq!(detail["question"]["keywords"][0]["concept"], "spreads | distributes | spread", "nothing was saved");
    assert_eq!(detail["keyword_warnings"], json!([]), "the question's page lists keyword checks: {detail}");

    // Without JavaScript: the Test button posts the form and the page shows the verdict
    // with the form as typed, still unsaved.
    let page = app
        .post_form(
            "/admin/questions/lb-basics",
            &[
                ("topic_id", TOPIC),
                ("prompt", "What does a load balancer do?"),
                ("answer", "A load balancer spreads requests."),
                ("keywords", "round robin | spreads :: Name the algorithm.\ntraffic"),
                ("difficulty", "2"),
                ("sample", sample),
                ("action", "test"),
            ],
        )
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("Covered: round robin, traffic"), "{html}");
    assert!(html.contains("round robin | spreads :: Name the algorithm."), "the form keeps what was typed");
    let detail = json_of(app.get("/api/v1/admin/questions/lb-basics").await).await;
    assert_eq!(detail["question"]["version"], 1, "testing saves nothing");

    let empty = app.post_form("/admin/questions/lb-basics", &[("topic_id", TOPIC), ("action", "test")]).await;
    assert_eq!(empty.status(), 422, "testing an empty form says what is missing");

    // No sample typed: the model answer is graded against the keywords, and the page
    // says so (a walk-through's admin was told only "Your answer is empty").
    let own = app
        .post_form(
            "/admin/questions/lb-basics",
            &[
                ("topic_id", TOPIC),
                ("prompt", "What does a load balancer do?"),
                ("answer", "A load balancer spreads requests across servers."),
                ("keywords", "spreads\nhealth checks"),
                ("difficulty", "2"),
                ("sample", "  "),
                ("action", "test"),
            ],
        )
        .await;
    assert_eq!(own.status(), 200);
    let html = own.text().await.expect("html");
    assert!(html.contains(r#"id="preview-own""#), "{html}");
    assert!(html.contains("Covered: spreads") && html.contains("Missed: health checks"), "{html}");
}

#[tokio::test]
async fn a_sample_answer_shows_the_graders_verdict() {
    let app = app_with_admin().await;
    create(&app, &question("lb-basics")).await;
    let page = app.get("/admin/questions/lb-basics").await.text().await.expect("html");
    assert!(page.contains("No sample answers yet"), "an empty state first");

    let good = json!({"answer": "It distributes requests across servers and skips unhealthy servers after failed health checks.", "expected_band": "strong"});
    let response = app.post_json("/api/v1/admin/questions/lb-basics/samples", &good).await;
    assert_eq!(response.status(), 201);
    let bad = json!({"answer": "It makes the database faster.", "expected_band": "strong"});
    let detail = json_of(app.post_json("/api/v1/admin/questions/lb-basics/samples", &bad).await).await;
    let samples = detail["samples"].as_array().expect("samples");
    assert_eq!(samples.len(), 2);
    assert_eq!(
        (samples[0]["grade"]["band"].as_str(), samples[0]["agrees"].as_bool()),
        (Some("strong"), Some(true)),
        "{}",
        samples[0]
    );
    assert_eq!(samples[1]["agrees"], false, "the grader disagrees with the author: {}", samples[1]);

    let page = app.get("/admin/questions/lb-basics").await.text().await.expect("html");
    assert!(page.contains("as expected") && page.contains("differs"), "both verdicts show on the page");

    let unknown_band = json!({"answer": "x y z", "expected_band": "excellent"});
    let refused = app.post_json("/api/v1/admin/questions/lb-basics/samples", &unknown_band).await;
    assert_eq!(refused.status(), 422);
    assert!(json_of(refused).await["error"]["message"].as_str().unwrap_or("").contains("expected_band"));

    let id = samples[1]["id"].as_str().expect("id");
    assert_eq!(app.delete(&format!("/api/v1/admin/questions/lb-basics/samples/{id}")).await.status(), 204);
    let detail = json_of(app.get("/api/v1/admin/questions/lb-basics").await).await;
    assert_eq!(detail["samples"].as_array().map(Vec::len), Some(1));

    // On the page: each sample has a Remove button.
    let last = detail["samples"][0]["id"].as_str().expect("id").to_string();
    let action = format!("/admin/questions/lb-basics/samples/{last}/delete");
    let page = app.get("/admin/questions/lb-basics").await.text().await.expect("html");
    assert!(page.contains(&format!(r#"action="{action}""#)), "{page}");
    let removed = app.post_form(&action, &[]).await;
    assert_eq!(removed.status(), 303);
    let back = app.get(removed.headers()["location"].to_str().expect("location")).await.text().await.expect("html");
    assert!(back.contains("Sample answer removed.") && back.contains("No sample answers yet."), "{back}");
    assert_eq!(app.post_form(&action, &[]).await.status(), 404, "removing it twice: no such sample");
}

#[tokio::test]
async fn an_attempt_keeps_the_version_it_answered() {
    let app = app_with_admin().await;
    create(&app, &question("lb-basics")).await;
    let started = json_of(app.start_interview(&json!({"topics": [TOPIC], "count": 1})).await).await;
    let interview = started["id"].as_str().expect("id");
    let answered = app.answer(interview, "lb-basics", "It spreads requests across servers.").await;
    assert_eq!(answered.status(), 200);

    let mut edited = question("lb-basics");
    edited["prompt"] = json!("Explain load balancing.");
    edited["answer"] = json!("Load balancing shares out requests among servers and avoids failed servers.");
    assert_eq!(app.put_json("/api/v1/admin/questions/lb-basics", &edited).await.status(), 200);

    let attempts = json_of(app.get("/api/v1/me/questions/lb-basics/attempts").await).await;
    let first = &attempts["attempts"][0];
    assert_eq!(first["question_version"], 1, "{first}");
    assert_eq!(first["prompt"], "What does a load balancer do?", "the prompt answered, not today's");
    assert!(first["reference"].as_str().unwrap_or("").starts_with("A load balancer spreads"), "{first}");
    assert_eq!(attempts["question"]["prompt"], "Explain load balancing.", "the question itself is the new version");

    let history = app.get("/history").await.text().await.expect("html");
    assert!(history.contains("What does a load balancer do?"), "history shows the version answered");
    let page = app.get("/questions/lb-basics").await.text().await.expect("html");
    assert!(page.contains("Answered an earlier version") && page.contains("version 1"), "{page}");
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT question_version FROM attempts").fetch_one(&app.db().await).await.expect("row");
    assert_eq!(stored, Some(1));
}

/// A question's admin detail as the editor sends it back: without the fields the server
/// keeps (version, retired, edited on the web).
fn editable(detail: &Value) -> Value {
    let mut body = detail["question"].clone();
    for field in ["version", "retired", "edited_on_web"] {
        body.as_object_mut().expect("object").remove(field);
    }
    body
}

/// Every bundled question can be saved back from the web editor as it is: what the
/// question files may hold, the editor accepts (the bank's misconceptions list many
/// wordings of each wrong claim, longer than a keyword).
#[tokio::test]
async fn every_bundled_question_saves_back_unchanged_from_the_editor() {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let list = json_of(app.get("/api/v1/admin/questions").await).await;
    let ids: Vec<String> = list["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .filter_map(|q| q["id"].as_str().map(str::to_string))
        .collect();
    assert!(ids.len() >= 60, "{} questions listed", ids.len());
    for id in ids {
        let detail = json_of(app.get(&format!("/api/v1/admin/questions/{id}")).await).await;
        let body = editable(&detail);
        let saved = app.put_json(&format!("/api/v1/admin/questions/{id}"), &body).await;
        let status = saved.status();
        assert_eq!(status, 200, "{id}: {}", saved.text().await.unwrap_or_default());
    }
}

#[tokio::test]
async fn a_web_edit_survives_a_restart() {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let detail = json_of(app.get("/api/v1/admin/questions/docker-what-is-docker").await).await;
    let mut body = editable(&detail);
    body["prompt"] = json!("In one minute: what is Docker for?");
    assert_eq!(app.put_json("/api/v1/admin/questions/docker-what-is-docker", &body).await.status(), 200);
    assert_eq!(
        app.post_json("/api/v1/admin/questions/docker-image-vs-container/retire", &json!({})).await.status(),
        200
    );

    // The same database, started again: the question files are read again at start-up.
    let database = app.database_url.clone();
    let again = spawn_app_with(|s| s.database_url = database.clone()).await;
    assert_eq!(again.login(&name, "correct horse battery").await.status(), 200);
    let detail = json_of(again.get("/api/v1/admin/questions/docker-what-is-docker").await).await;
    assert_eq!(detail["question"]["prompt"], "In one minute: what is Docker for?", "the web edit wins");
    assert_eq!(detail["question"]["version"], 2);
    let retired = json_of(again.get("/api/v1/admin/questions/docker-image-vs-container").await).await;
    assert_eq!(retired["question"]["retired"], true, "retiring on the web survives too");
    let untouched = json_of(again.get("/api/v1/admin/questions/docker-layers-caching").await).await;
    assert_eq!(untouched["question"]["edited_on_web"], false, "other questions still follow their files");
}

/// A copy of the bundled question files, for tests that change a file between starts.
fn copy_of_the_bank() -> tempfile::TempDir {
    let questions = tempfile::tempdir().expect("dir");
    let bundled = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questions"));
    for entry in std::fs::read_dir(bundled).expect("questions dir") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, questions.path().join(path.file_name().expect("name"))).expect("copy");
    }
    questions
}

fn rehearse(args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse")).args(args).output().expect("runs");
    assert!(output.status.success(), "rehearse {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn files_of(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| {
            let path = e.expect("entry").path();
            (
                path.file_name().expect("name").to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).expect("text"),
            )
        })
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn export_then_import_into_a_fresh_database_round_trips() {
    let app = app_with_admin().await;
    create(&app, &question("lb-basics")).await;
    let mut edited = question("lb-basics");
    edited["prompt"] = json!("What does a \"load balancer\" do?\nAnswer briefly.");
    edited["ordered"] = json!(true);
    edited["relations"] = json!(["spreads & unhealthy"]);
    assert_eq!(app.put_json("/api/v1/admin/questions/lb-basics", &edited).await.status(), 200);

    let dir = tempfile::tempdir().expect("dir");
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    let database = app.database_url.clone();
    let fresh = format!("sqlite://{}", dir.path().join("fresh.db").display());
    rehearse(&["export", &first.display().to_string(), "--database", &database]);
    let imported = rehearse(&["import", &first.display().to_string(), "--database", &fresh]);
    assert!(imported.contains("0 retired"), "{imported}");
    rehearse(&["export", &second.display().to_string(), "--database", &fresh]);

    let (a, b) = (files_of(&first), files_of(&second));
    assert!(a.iter().any(|(name, text)| name == "authoring-test.toml" && text.contains("Answer briefly.")), "{a:?}");
    assert_eq!(a.len(), 5, "four bundled topics and the web one");
    assert_eq!(a, b, "export → import → export gives identical files");
}

#[tokio::test]
async fn a_file_changed_after_a_web_edit_wins_at_the_next_start() {
    let questions = copy_of_the_bank();
    let dir = questions.path().to_path_buf();
    let app = spawn_app_with(|s| s.questions_dir = dir.clone()).await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let detail = json_of(app.get("/api/v1/admin/questions/docker-what-is-docker").await).await;
    let mut body = editable(&detail);
    body["prompt"] = json!("Edited on the web.");
    assert_eq!(app.put_json("/api/v1/admin/questions/docker-what-is-docker", &body).await.status(), 200);

    // The file's prompt changes after the web edit: the file wins at the next start.
    let file = questions.path().join("docker.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    let old = "What is Docker, and what problem does containerization solve?";
    assert!(text.contains(old), "the bundled prompt is where the test expects it");
    std::fs::write(&file, text.replace(old, "Edited in the file.")).expect("write");
    let database = app.database_url.clone();
    let again = spawn_app_with(|s| {
        s.database_url = database.clone();
        s.questions_dir = dir.clone();
    })
    .await;
    assert_eq!(again.login(&name, "correct horse battery").await.status(), 200);
    let detail = json_of(again.get("/api/v1/admin/questions/docker-what-is-docker").await).await;
    assert_eq!(detail["question"]["prompt"], "Edited in the file.", "{detail}");
    assert_eq!(detail["question"]["edited_on_web"], false, "the web mark is cleared");
    assert_eq!(detail["question"]["version"], 3, "the file's content is a third version");
}

#[tokio::test]
async fn an_admin_creates_a_topic_and_a_question_with_the_forms() {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let list = app.get("/admin/questions").await.text().await.expect("html");
    assert!(list.contains("id=\"create-topic\"") && list.contains("docker-what-is-docker"), "the list page");

    let topic = app.post_form("/admin/topics", &[("id", "queues"), ("name", "Queues"), ("description", "")]).await;
    assert_eq!(topic.status(), 303);
    let again =
        app.post_form("/admin/topics", &[("id", "queues"), ("name", "Queues again"), ("description", "")]).await;
    assert_eq!(again.status(), 422, "the id is taken");
    let html = again.text().await.expect("html");
    assert!(html.contains(r#"id="topic-error""#) && html.contains("There is already a topic"), "{html}");
    assert!(html.contains(r#"value="Queues again""#) && html.contains(r#"value="queues""#), "what was typed stays");
    let next = topic.headers()["location"].to_str().expect("location").to_string();
    assert_eq!(next, "/admin/questions/new?topic=queues");
    let form = app.get(&next).await.text().await.expect("html");
    assert!(form.contains(r#"<option value="queues" selected>Queues</option>"#), "the new topic is chosen");

    let fields = [
        ("id", "queue-basics"),
        ("topic_id", "queues"),
        ("prompt", "Why put a queue between two services?"),
        ("answer", "A queue decouples the producer from the consumer and absorbs bursts of load."),
        ("keywords", ""),
        ("difficulty", "1"),
        ("action", "save"),
    ];
    let refused = app.post_form("/admin/questions", &fields).await;
    assert_eq!(refused.status(), 422, "no keywords");
    let html = refused.text().await.expect("html");
    assert!(html.contains("give at least one keyword"), "the error says what to fix");
    assert!(html.contains("Why put a queue between two services?"), "what was typed is kept");
    // An empty form names every required field at once.
    let empty =
        [("id", ""), ("topic_id", "queues"), ("prompt", " "), ("answer", ""), ("keywords", ""), ("action", "save")];
    let refused = app.post_form("/admin/questions", &empty).await;
    assert_eq!(refused.status(), 422, "nothing filled in");
    let html = refused.text().await.expect("html");
    assert!(html.contains("id, prompt, answer and keywords: each is missing or empty."), "{html}");
    let api = app
        .post_json(
            "/api/v1/admin/questions",
            &json!({"topic_id": "queues", "prompt": "Why?", "answer": "", "keywords": []}),
        )
        .await;
    assert_eq!(api.status(), 422);
    assert!(api.text().await.expect("json").contains("id, answer and keywords: each is missing or empty."));

    let mut fields = fields.to_vec();
    fields[4] = ("keywords", "decouples | decoupled :: Say what it does to the two services.\nbursts | spikes");
    let created = app.post_form("/admin/questions", &fields).await;
    assert_eq!(created.status(), 303);
    assert_eq!(created.headers()["location"], "/admin/questions/queue-basics?done=created");
    let detail = json_of(app.get("/api/v1/admin/questions/queue-basics").await).await;
    assert_eq!(detail["question"]["keywords"][0]["hint"], "Say what it does to the two services.", "{detail}");
    let topics = json_of(app.get("/api/v1/topics").await).await;
    assert!(topics.to_string().contains("Queues"), "the topic can be practised now: {topics}");
}

/// An author's anticipated misconception: stored and returned with the question, shown
/// as a check with the author's correction in the preview and when a learner makes the
/// claim, not when the learner denies it; a bad one is 422 naming the field, and the
/// form keeps what was typed.
#[tokio::test]
async fn an_anticipated_misconception_is_a_check_in_the_preview_and_in_practice() {
    let app = app_with_admin().await;
    let correction = "A load balancer holds no application data: it only forwards requests to the servers.";
    let mut body = question("lb-myths");
    body["misconceptions"] = json!([{"subject": "load balancer", "claim": "stores the data | caches the database", "correction": correction}]);
    let created = create(&app, &body).await;
    assert_eq!(created["misconceptions"][0]["claim"], "stores the data | caches the database", "{created}");

    let wrong = "The load balancer stores the data for the servers and spreads requests across them, \
                 skipping an unhealthy one after failed health checks.";
    let right = "The load balancer does not store the data; it spreads requests across the servers and \
                 skips an unhealthy one after failed health checks.";
    let preview = |sample: &str| json!({"question": body.clone(), "sample": sample});
    let flagged = json_of(app.post_json("/api/v1/admin/questions/preview", &preview(wrong)).await).await;
    assert!(flagged["feedback"].as_str().unwrap_or_default().contains(correction), "{flagged}");
    let clean = json_of(app.post_json("/api/v1/admin/questions/preview", &preview(right)).await).await;
    assert!(!clean["feedback"].as_str().unwrap_or_default().contains("Check:"), "{clean}");
    assert!(flagged["score"].as_f64() < clean["score"].as_f64(), "{flagged} vs {clean}");

    // A learner who makes the claim in practice is shown the correction.
    let started = json_of(app.start_interview(&json!({"topics": [TOPIC], "count": 1})).await).await;
    let (id, qid) = (started["id"].as_str().expect("id"), started["question"]["id"].as_str().expect("question id"));
    let graded = json_of(app.answer(id, qid, wrong).await).await;
    let feedback = graded["feedback"].as_str().unwrap_or_default();
    assert!(feedback.contains("Check: you said \"stores the data\"") && feedback.contains(correction), "{graded}");
    assert_eq!(graded["checks"].as_array().map(Vec::len), Some(1), "{graded}");
    // The interview page marks the phrase in the answer, with the check as its title.
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(
        page.contains("<mark class=\"check\" title=\"Check: you said &quot;stores the data&quot;.")
            && page.contains(">stores the data</mark>"),
        "{page}"
    );
    // History lists the flagged statement as one to check (only the feedback said so).
    let history = app.get("/history").await.text().await.expect("html");
    assert!(history.contains("\u{201c}stores the data\u{201d} (to check)"), "{history}");

    // One without a correction is refused with the field named; nothing is saved.
    let mut bad = body.clone();
    bad["misconceptions"] = json!([{"claim": "stores the data", "correction": "  "}]);
    let refused = app.put_json("/api/v1/admin/questions/lb-myths", &bad).await;
    assert_eq!(refused.status(), 422);
    assert!(json_of(refused).await.to_string().contains("misconceptions"), "the field is named");
    let detail = json_of(app.get("/api/v1/admin/questions/lb-myths").await).await;
    assert_eq!(detail["question"]["version"], 1, "nothing was saved");

    // The form: one a line, `subject :: claim :: correction`, kept as typed.
    let page = app
        .post_form(
            "/admin/questions/lb-myths",
            &[
                ("topic_id", TOPIC),
                ("prompt", "What does a load balancer do?"),
                ("answer", "A load balancer spreads requests and skips unhealthy servers."),
                ("keywords", "spreads | distributes\nunhealthy | health checks"),
                ("misconceptions", &format!("load balancer :: stores the data :: {correction}")),
                ("difficulty", "2"),
                ("sample", wrong),
                ("action", "test"),
            ],
        )
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("load balancer :: stores the data ::"), "the form keeps what was typed");
    assert!(html.contains("A load balancer holds no application data"), "the verdict shows the correction");
}
