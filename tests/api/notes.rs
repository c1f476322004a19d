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
        let (reference,): (String,) = sqlx::query_as("SELECT answer FROM questions WHERE id = $1")
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

/// The fixture notes file's text.
fn notes_text() -> String {
    std::fs::read_to_string(NOTES).expect("fixture notes")
}

#[tokio::test]
async fn an_admin_previews_then_imports_notes_over_the_api_and_learners_read_them() {
    let app = crate::helpers::spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let upload = json!({"file_name": "C:\\notes\\containers.txt", "text": notes_text(), "topic": "Release notes", "dry_run": true});

    // A preview writes nothing and shows the derived concepts for review.
    let preview = app.post_json("/api/v1/admin/notes", &upload).await;
    assert_eq!(preview.status(), 200);
    let preview = json_of(preview).await;
    assert_eq!(preview["dry_run"], true);
    assert_eq!(preview["source"], "notes:containers.txt", "the bare file name");
    let questions = preview["questions"].as_array().expect("questions");
    assert_eq!(questions.len(), 4, "{preview}");
    assert!(questions.iter().all(|q| q["change"] == "new" && !q["concepts"].as_array().expect("concepts").is_empty()));
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM questions WHERE source = 'notes:containers.txt'")
        .fetch_one(&app.db().await)
        .await
        .expect("count");
    assert_eq!(stored, 0, "a preview stores nothing");

    // The import: the questions can be practised at once, and the notes are readable.
    let mut real = upload.clone();
    real["dry_run"] = json!(false);
    let imported = json_of(app.post_json("/api/v1/admin/notes", &real).await).await;
    assert_eq!(imported["dry_run"], false);
    let topics = json_of(app.get("/api/v1/topics").await).await;
    let topic = topics["topics"].as_array().expect("topics").iter().find(|t| t["name"] == "Release notes").cloned();
    let topic = topic.expect("the new topic is offered at once, without a restart");
    assert_eq!(topic["has_notes"], true, "{topic}");
    let id = topic["id"].as_str().expect("id").to_string();
    let started = app.start_interview(&json!({"topics": [id.clone()], "count": 4})).await;
    assert_eq!(started.status(), 201);

    let notes = json_of(app.get(&format!("/api/v1/topics/{id}/notes")).await).await;
    let text = notes["notes"][0]["text"].as_str().expect("notes text");
    assert!(text.contains("Ship an application together with everything it needs"), "{notes}");
    let page = app.get(&format!("/topics/{id}/notes")).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("html");
    assert!(page.contains("Release notes: study notes") && page.contains("From containers.txt"), "{page}");
    assert!(page.contains(&format!(r#"href="/practice?topic={id}""#)), "the button ticks the topic: {page}");
    assert!(app.get("/").await.text().await.expect("html").contains(&format!("/topics/{id}/notes")), "linked");
    assert_eq!(app.get("/api/v1/topics/no-such/notes").await.status(), 404);

    // The same file again changes nothing; the file without one question retires it.
    let again = json_of(app.post_json("/api/v1/admin/notes", &real).await).await;
    assert!(again["questions"].as_array().expect("q").iter().all(|q| q["change"] == "unchanged"), "{again}");
    let text = notes_text();
    let line = text.lines().find(|l| l.contains('→') && l.trim_start().starts_with('"')).expect("a question line");
    let mut shorter = real.clone();
    shorter["text"] = json!(text.replacen(line, "", 1));
    let after = json_of(app.post_json("/api/v1/admin/notes", &shorter).await).await;
    assert_eq!(after["retired"].as_array().map(Vec::len), Some(1), "{after}");
}

#[tokio::test]
async fn bad_notes_uploads_get_clear_errors_and_members_get_403() {
    let app = crate::helpers::spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let error_of = |body: serde_json::Value| {
        let app = &app;
        async move {
            let response = app.post_json("/api/v1/admin/notes", &body).await;
            let status = response.status().as_u16();
            (status, json_of(response).await["error"]["message"].as_str().unwrap_or_default().to_string())
        }
    };
    let (status, message) = error_of(json!({"file_name": "n.md", "text": "Just prose.\nNo questions here."})).await;
    assert_eq!(status, 422);
    assert!(message.contains("nothing to import") && message.contains('→'), "says what format is expected: {message}");
    let (status, message) =
        error_of(json!({"file_name": "n.md", "text": "\"Why queues?\" → \"They decouple.\""})).await;
    assert_eq!(status, 422);
    assert!(message.contains("choose a topic") && !message.contains("--topic"), "{message}");
    let (status, message) = error_of(json!({"file_name": " ", "text": "# Q\n\"Why?\" → \"Because.\""})).await;
    assert_eq!((status, message.starts_with("file_name:")), (422, true), "{message}");
    let (status, _) = error_of(json!({"file_name": "n.md", "text": "x".repeat(100_001)})).await;
    assert_eq!(status, 422, "over the size limit");
    let (status, _) = error_of(json!({"file_name": "n.md", "text": "t", "extra": 1})).await;
    assert_eq!(status, 400, "an unknown field");

    let member = app.other_client();
    member.signed_up().await;
    let upload = json!({"file_name": "n.md", "text": "# Queues\n\"Why queues?\" → \"They decouple.\""});
    assert_eq!(member.post_json("/api/v1/admin/notes", &upload).await.status(), 403);
    assert_eq!(member.get("/admin/notes").await.status(), 403);
    let form = [("file_name", "n.md"), ("text", "# Queues\n\"Why?\" → \"So.\""), ("action", "import")];
    assert_eq!(member.post_form("/admin/notes", &form).await.status(), 403);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM questions WHERE source = 'notes:n.md'")
        .fetch_one(&app.db().await)
        .await
        .expect("count");
    assert_eq!(stored, 0, "nothing a member or a bad upload sent was stored");
}

#[tokio::test]
async fn the_notes_page_previews_keeps_the_text_and_imports() {
    let app = crate::helpers::spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let list = app.get("/admin/questions").await.text().await.expect("html");
    assert!(list.contains(r#"href="/admin/notes""#), "linked from the questions page");
    let text = notes_text();
    let fields = |action: &'static str| {
        vec![("file_name", "containers.txt"), ("text", text.as_str()), ("topic", "Release notes"), ("action", action)]
    };

    let preview = app.post_form("/admin/notes", &fields("preview")).await;
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.expect("html");
    assert!(html.contains("Preview, nothing saved yet") && html.contains("new topic"), "{html}");
    assert!(html.contains("Ship an application together"), "the text stays in the box for the import");

    let refused =
        app.post_form("/admin/notes", &[("file_name", "x.md"), ("text", "prose only"), ("action", "import")]).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("html");
    assert!(html.contains("nothing to import") && html.contains("prose only"), "the error and what was sent");
    // The message marks code with backticks for the API and the command line; the page
    // shows it as code.
    let error = html.split(r#"id="notes-error">"#).nth(1).and_then(|e| e.split("</p>").next()).unwrap_or_default();
    assert!(
        error.contains("<code>→</code> or <code>-&gt;</code>") && error.contains("<code># Topic</code>"),
        "{error}"
    );
    assert!(!error.contains('`'), "no backticks on the page: {error}");

    let imported = app.post_form("/admin/notes", &fields("import")).await;
    assert_eq!(imported.status(), 200);
    let html = imported.text().await.expect("html");
    assert!(html.contains("Imported 4 questions: 4 new"), "{html}");
    let topics = json_of(app.get("/api/v1/topics").await).await;
    assert!(topics.to_string().contains("Release notes"), "practised at once: {topics}");
}

#[tokio::test]
async fn a_line_meant_as_a_question_but_malformed_is_reported_not_silently_kept() {
    let app = crate::helpers::spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    // From a study group's walk-through: a busy student's unquoted line was kept as notes
    // without a word, and a missing closing quote on the question was reported as a
    // missing answer.
    let text =
        "# Queues\n\n\"Why queues?\" → \"They decouple producers from consumers.\"\n\"Broken line with no answer\" →\n\
                Plain notes -> with an arrow.\nWhat does no-store mean? -> Never store the response.\n\
                \"What does max-age do? -> \"Sets how long a response stays fresh.\"\n";
    let preview =
        app.post_json("/api/v1/admin/notes", &json!({"file_name": "q.md", "text": text, "dry_run": true})).await;
    assert_eq!(preview.status(), 200);
    let preview = json_of(preview).await;
    assert_eq!(preview["malformed_lines"], json!([4, 6, 7]), "{preview}");
    let problems: Vec<&str> =
        preview["malformed"].as_array().expect("malformed").iter().filter_map(|m| m["problem"].as_str()).collect();
    assert_eq!(
        problems,
        [
            "its answer after the arrow is not in quotes",
            "its question and answer are not in quotes",
            "its question has no closing quote before the arrow"
        ],
        "{preview}"
    );
    assert_eq!(preview["questions"].as_array().map(Vec::len), Some(1));
    let page = app
        .post_form("/admin/notes", &[("file_name", "q.md"), ("text", text), ("action", "preview")])
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains(r#"id="notes-malformed""#), "{page}");
    assert!(page.contains("line 6: its question and answer are not in quotes"), "{page}");
    assert!(page.contains("line 7: its question has no closing quote before the arrow"), "{page}");
    // "They decouple producers from consumers." is a one-line note: the preview says what
    // that means for grading, and how to help the grader.
    assert!(page.contains(r#"id="notes-short""#) && page.contains("short answer"), "{page}");
}

/// A `#Heading` without its space is not a heading; the refusal says so instead of
/// asking for a heading the author can see, and a missing file name is asked for by the
/// field's label, not its form name.
#[tokio::test]
async fn a_heading_without_its_space_and_a_missing_file_name_are_explained() {
    let app = crate::helpers::spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let text = "#Caching\n\"What is an ETag?\" → \"A validator the server sends so a client can ask if a response changed.\"\n";
    let page = app.post_form("/admin/notes", &[("file_name", "c.md"), ("text", text), ("action", "preview")]).await;
    assert_eq!(page.status(), 422);
    let html = page.text().await.expect("html");
    assert!(
        html.contains(
            "line 1 is not read as a heading: put a space after the <code>#</code>, as in <code># Caching</code>"
        ),
        "{html}"
    );
    let page = app.post_form("/admin/notes", &[("file_name", " "), ("text", text), ("action", "preview")]).await;
    let html = page.text().await.expect("html");
    assert!(html.contains("File name: give the notes file"), "{html}");
    assert!(!html.contains("file_name:"), "{html}");
}

/// A question imported from notes has no keywords: its page shows the concepts the
/// grader derives from the model answer in the keywords box, says so, and saving the
/// form as it stands makes them the question's keywords.
#[tokio::test]
async fn a_notes_question_opens_with_its_derived_concepts_as_keywords_to_edit() {
    let app = crate::helpers::spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let text = notes_text();
    let fields =
        [("file_name", "containers.txt"), ("text", text.as_str()), ("topic", "Release notes"), ("action", "import")];
    assert_eq!(app.post_form("/admin/notes", &fields).await.status(), 200);
    let (id, topic, prompt, answer, keywords): (String, String, String, String, String) = sqlx::query_as(
        "SELECT id, topic_id, prompt, answer, keywords FROM questions WHERE id LIKE 'note-%' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.db().await)
    .await
    .expect("an imported question");
    assert_eq!(keywords, "[]", "imported without keywords");

    let html = app.get(&format!("/admin/questions/{id}")).await.text().await.expect("html");
    assert!(html.contains(r#"id="derived-keywords""#) && html.contains("has no keywords yet"), "{html}");
    let boxed = html
        .split_once(r#"id="question-keywords""#)
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</textarea>"))
        .map(|(inside, _)| inside.replace("&#x27;", "'").replace("&amp;", "&").replace("&quot;", "\""))
        .expect("the keywords box");
    let lines: Vec<&str> = boxed.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() >= 3, "derived concepts fill the box: {boxed:?}");

    let saved = app
        .post_form(
            &format!("/admin/questions/{id}"),
            &[
                ("topic_id", topic.as_str()),
                ("prompt", prompt.as_str()),
                ("answer", answer.as_str()),
                ("keywords", boxed.as_str()),
                ("difficulty", "1"),
                ("action", "save"),
            ],
        )
        .await;
    assert!(saved.status().is_success() || saved.status().is_redirection(), "{}", saved.status());
    let (keywords,): (String,) = sqlx::query_as("SELECT keywords FROM questions WHERE id = $1")
        .bind(&id)
        .fetch_one(&app.db().await)
        .await
        .expect("the question");
    let stored: Vec<serde_json::Value> = serde_json::from_str(&keywords).expect("keywords JSON");
    assert_eq!(stored.len(), lines.len(), "every derived concept became a keyword: {keywords}");
    let html = app.get(&format!("/admin/questions/{id}")).await.text().await.expect("html");
    assert!(!html.contains(r#"id="derived-keywords""#), "keywords of its own now");
}

/// Study notes are public on a server with open sign-up; on a private one (invite-only
/// or closed) a visitor who is not logged in gets 401 from the API and the login page
/// from the page, and a user reads them.
#[tokio::test]
async fn a_private_servers_notes_are_for_its_users_only() {
    use rehearse::configuration::Registration;
    for mode in [Registration::Invite, Registration::Closed] {
        let app = spawn_app_with(|s| s.registration = mode).await;
        let imported = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"))
            .args(["import", "--database", &app.database_url, "--topic", "Release notes", NOTES])
            .output()
            .expect("runs");
        assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
        let anonymous = crate::helpers::new_client();
        let api = anonymous.get(app.url("/api/v1/topics/release-notes/notes")).send().await.expect("request");
        assert_eq!(api.status(), 401, "{mode:?}");
        let page = anonymous.get(app.url("/topics/release-notes/notes")).send().await.expect("request");
        assert_eq!(page.status(), 303, "{mode:?}");
        assert_eq!(page.headers()["location"], "/login?next=/topics/release-notes/notes");

        let made = app.user_cli(&["add", "reader"], "correct horse battery\n");
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        assert_eq!(app.login("reader", "correct horse battery").await.status(), 200);
        let notes = json_of(app.get("/api/v1/topics/release-notes/notes").await).await;
        assert!(notes["notes"][0]["text"].as_str().unwrap_or("").contains("Ship an application"), "{notes}");
        assert_eq!(app.get("/topics/release-notes/notes").await.status(), 200);
    }
}

/// Notes whose topic heading sits right above its question lines have no text: the
/// topic is not offered as having notes, and its notes page shows the empty state, not
/// an empty card.
#[tokio::test]
async fn a_heading_over_questions_alone_gives_no_notes_page_of_nothing() {
    let app = crate::helpers::spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let text =
        "# Message queues\n\"What is a dead-letter queue?\" → \"Where messages that keep failing are set aside.\"\n";
    let upload = json!({"file_name": "queues.md", "text": text, "dry_run": false});
    let imported = app.post_json("/api/v1/admin/notes", &upload).await;
    assert_eq!(imported.status(), 200);
    let topics = json_of(app.get("/api/v1/topics").await).await;
    let topic = topics["topics"].as_array().expect("topics").iter().find(|t| t["name"] == "Message queues").cloned();
    let topic = topic.expect("the topic is offered");
    assert_eq!(topic["has_notes"], false, "{topic}");
    let page = app.get(&format!("/topics/{}/notes", topic["id"].as_str().expect("id"))).await.text().await;
    let page = page.expect("html");
    assert!(page.contains("No study notes for this topic yet") && !page.contains("From queues.md"), "{page}");
}

#[tokio::test]
async fn the_study_notes_page_shows_lists_as_lists_and_not_the_lines_rejected_as_questions() {
    // Arrange: notes with a list, one good question line and two the import rejects.
    let app = crate::helpers::spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let text = "# Networking Basics\n\nSome notes I took while studying.\n\n\
        - \"What is DNS?\" → \"DNS translates domain names into IP addresses through resolvers and caches.\"\n\
        - What does a load balancer do? -> Spreads traffic.\n\
        - \"What is a subnet mask?\" → it splits an address into network and host parts\n\
        - Port 80 is HTTP.\n- Port 443 is HTTPS.\n";
    let upload = json!({"file_name": "net.md", "text": text});
    let imported = json_of(app.post_json("/api/v1/admin/notes", &upload).await).await;
    assert_eq!(imported["malformed"].as_array().map(Vec::len), Some(2), "{imported}");

    // Act
    let page = app.get("/topics/networking-basics/notes").await;

    // Assert
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("html");
    assert!(
        page.contains(r#"<ul class="notes-list"><li>Port 80 is HTTP.</li><li>Port 443 is HTTPS.</li></ul>"#),
        "the bullets are a list: {page}"
    );
    assert!(!page.contains("- Port"), "no literal bullet: {page}");
    for rejected in ["load balancer", "subnet mask", "What is DNS"] {
        assert!(!page.contains(rejected), "{rejected:?} is not shown as a note: {page}");
    }
    assert!(page.contains("Some notes I took while studying."), "{page}");
}
