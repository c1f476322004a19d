use serde_json::{json, Value};

use crate::helpers::{json_of, reference_of, spawn_app, spawn_app_with, TestApp};

async fn started(app: &TestApp, body: Value) -> (String, Value) {
    let response = app.start_interview(&body).await;
    assert_eq!(response.status(), 201, "interview starts");
    let body = json_of(response).await;
    (body["id"].as_str().expect("id").to_string(), body["question"].clone())
}

#[tokio::test]
async fn an_interview_asks_each_question_once_and_ends_with_next_null() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, mut question) = started(&app, json!({"topics": ["kubernetes"], "count": 3})).await;
    let mut seen = Vec::new();

    for round in 0..3 {
        assert_eq!(question["topic"], "Kubernetes", "round {round}: topic filter holds");
        assert!(question["prompt"].as_str().is_some_and(|p| !p.is_empty()));
        let qid = question["id"].as_str().expect("question id").to_string();
        assert!(!seen.contains(&qid), "no repeats");
        let response = app.answer(&id, &qid, &reference_of(&qid)).await;
        assert_eq!(response.status(), 200, "round {round}");
        let result = json_of(response).await;
        for field in ["score", "band", "covered", "missed", "feedback", "reference"] {
            assert!(!result[field].is_null(), "round {round}: {field} present in {result}");
        }
        assert!(result["score"].as_f64().unwrap_or(0.0) > 0.6, "the model answer itself scores high: {result}");
        seen.push(qid);
        question = result["next"].clone();
    }

    assert!(question.is_null(), "no next question after the last one");
    let db = app.db().await;
    let attempts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE interview_id = $1")
        .bind(&id)
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(attempts, 3, "every answer stored");
    let finished: Option<i64> = sqlx::query_scalar("SELECT finished_at FROM interviews WHERE id = $1")
        .bind(&id)
        .fetch_one(&db)
        .await
        .expect("row");
    assert!(finished.is_some(), "interview marked finished");
    let concepts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attempt_concepts").fetch_one(&db).await.expect("count");
    assert!(concepts >= 3, "per-concept results stored");
    let done = app.answer(&id, &seen[0], "one more").await;
    assert_eq!(done.status(), 409, "a finished interview takes no more answers");
}

#[tokio::test]
async fn a_strong_answer_scores_far_above_a_vague_one() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id_a, qa) = started(&app, json!({"count": 1})).await;
    let (id_b, qb) = started(&app, json!({"count": 1})).await;
    let qa_id = qa["id"].as_str().expect("id");
    let qb_id = qb["id"].as_str().expect("id");

    let strong = json_of(app.answer(&id_a, qa_id, &reference_of(qa_id)).await).await;
    let vague = json_of(app.answer(&id_b, qb_id, "I'm not sure, it depends on the situation really.").await).await;

    let (s, v) = (strong["score"].as_f64().unwrap_or(0.0), vague["score"].as_f64().unwrap_or(1.0));
    assert!(s - v > 0.5, "strong {s} vs vague {v}");
    assert_ne!(vague["band"], "strong");
    assert!(vague["missed"].as_array().is_some_and(|m| !m.is_empty()), "vague answer misses concepts");
}

#[tokio::test]
async fn bad_answers_are_refused_and_nothing_is_lost() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, question) = started(&app, json!({"count": 2})).await;
    let qid = question["id"].as_str().expect("id");
    let cases = [
        (app.answer(&id, qid, "   ").await, 422, "empty answer"),
        (app.answer(&id, qid, &"x".repeat(10_001)).await, 422, "oversized answer"),
        (app.answer(&id, "no-such-question", "a pod runs containers").await, 404, "unknown question"),
        (app.answer("00000000-0000-0000-0000-000000000000", qid, "a pod").await, 404, "unknown interview"),
        (app.answer("not-a-uuid", qid, "a pod").await, 404, "malformed interview id"),
    ];
    for (response, status, case) in cases {
        assert_eq!(response.status(), status, "{case}");
        let body = json_of(response).await;
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{case}: {body}");
    }
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(stored, 0, "refused answers are not stored");

    let ok = app.answer(&id, qid, "my real answer").await;
    assert_eq!(ok.status(), 200, "the question can still be answered after an error");
    let again = app.answer(&id, qid, "my real answer").await;
    assert_eq!(again.status(), 409, "answering the same question twice is a conflict");
}

#[tokio::test]
async fn starting_an_interview_validates_topics_and_length() {
    let app = spawn_app().await;
    app.signed_up().await;
    let cases = [
        (json!({"topics": ["cooking"]}), 422, "Known topics", "unknown topic"),
        (json!({"count": 0}), 422, "1 to 20", "zero questions"),
        (json!({"count": 500}), 422, "1 to 20", "too many"),
        (json!({"mode": "karaoke"}), 422, "mode", "unknown mode"),
        (json!({"timer_seconds": 5}), 422, "timer", "timer too short"),
    ];
    for (body, status, expected, case) in cases {
        let response = app.start_interview(&body).await;
        assert_eq!(response.status(), status, "{case}");
        let message = json_of(response).await["error"]["message"].as_str().unwrap_or("").to_string();
        assert!(message.contains(expected), "{case}: {message}");
    }
    let by_name = app.start_interview(&json!({"topics": ["Docker"], "count": 2})).await;
    assert_eq!(by_name.status(), 201, "topics can be given by name");
    assert_eq!(json_of(by_name).await["question"]["topic_id"], "docker");
    let defaults = app.client.post(app.url("/api/v1/interviews")).send().await.expect("request");
    assert_eq!(defaults.status(), 201, "a body is optional");
    let defaults = json_of(defaults).await;
    assert_eq!(defaults["count"], 5, "default length is 5");
    assert_eq!(defaults["requested"], 5);
    assert!(defaults["notice"].is_null(), "nothing to explain: {defaults}");
    // The bundled serverless topic has 13 questions: the interview has them all and
    // says why it is shorter than asked for.
    let short = json_of(app.start_interview(&json!({"topics": ["serverless"], "count": 20})).await).await;
    assert_eq!((short["count"].as_i64(), short["requested"].as_i64()), (Some(13), Some(20)), "{short}");
    assert_eq!(
        short["notice"],
        "You asked for 20 questions; the topics you chose have 13 questions to ask, so this interview has 13 questions."
    );
}

#[tokio::test]
async fn nobody_can_see_or_answer_another_users_interview() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, question) = started(&app, json!({"count": 1})).await;
    let intruder = crate::helpers::new_client();
    intruder
        .post(app.url("/api/v1/register"))
        .json(&json!({"username": "mallory", "password": "correct horse battery"}))
        .send()
        .await
        .expect("request");

    let read = intruder.get(app.url(&format!("/api/v1/interviews/{id}"))).send().await.expect("request");
    let write = intruder
        .post(app.url(&format!("/api/v1/interviews/{id}/answers")))
        .json(&json!({"question_id": question["id"], "answer": "hijack"}))
        .send()
        .await
        .expect("request");

    assert_eq!(read.status(), 404);
    assert_eq!(write.status(), 404);
}

#[tokio::test]
async fn topics_are_listed_with_question_counts() {
    let app = spawn_app().await;
    let body = json_of(app.get("/api/v1/topics").await).await;
    let topics = body["topics"].as_array().expect("list");
    let names: Vec<&str> = topics.iter().filter_map(|t| t["name"].as_str()).collect();
    assert!(names.contains(&"Docker") && names.contains(&"Kubernetes"), "{names:?}");
    assert!(topics.iter().all(|t| t["questions"].as_i64().unwrap_or(0) >= 12));
}

/// Answers arriving together are stored together (group commit): each learner's answers
/// all land, in order, and the same answer sent ten times at once is stored once, the
/// other nine told it was already answered.
#[tokio::test]
async fn concurrent_answers_are_each_stored_once() {
    let app = spawn_app().await;
    let mut learners = Vec::new();
    for i in 0..6 {
        let client = crate::helpers::new_client();
        let body = json!({"username": format!("learner{i}"), "password": "correct horse battery"});
        let r = client.post(app.url("/api/v1/register")).json(&body).send().await.expect("request");
        assert_eq!(r.status(), 201);
        learners.push(client);
    }
    let runs = learners.iter().map(|client| {
        let app = &app;
        async move {
            let started: serde_json::Value = client
                .post(app.url("/api/v1/interviews"))
                .json(&json!({"count": 4}))
                .send()
                .await
                .expect("request")
                .json()
                .await
                .expect("json");
            let id = started["id"].as_str().expect("id").to_string();
            let mut question = started["question"]["id"].as_str().expect("question").to_string();
            let mut answered = Vec::new();
            loop {
                let r = client
                    .post(app.url(&format!("/api/v1/interviews/{id}/answers")))
                    .json(&json!({"question_id": question, "answer": "Containers share the host kernel."}))
                    .send()
                    .await
                    .expect("request");
                assert_eq!(r.status(), 200);
                let body: serde_json::Value = r.json().await.expect("json");
                answered.push(question.clone());
                match body["next"]["id"].as_str() {
                    Some(next) => question = next.to_string(),
                    None => break,
                }
            }
            let history: serde_json::Value =
                client.get(app.url("/api/v1/me/history")).send().await.expect("request").json().await.expect("json");
            let stored: Vec<String> = history["attempts"]
                .as_array()
                .expect("attempts")
                .iter()
                .rev()
                .map(|a| a["question_id"].as_str().unwrap_or("").to_string())
                .collect();
            assert_eq!(stored, answered, "every answer stored once, in order");
        }
    });
    futures::future::join_all(runs).await;

    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 2})).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let question = started["question"]["id"].as_str().expect("question").to_string();
    let sends = (0..10).map(|_| app.answer(&id, &question, "Images are built in layers."));
    let statuses: Vec<u16> = futures::future::join_all(sends).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 9, "{statuses:?}");
    let history = json_of(app.get("/api/v1/me/history").await).await;
    assert_eq!(history["attempts"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn answering_from_a_stale_tab_names_both_questions_in_words() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, first) = started(&app, json!({"count": 2})).await;
    let qid = first["id"].as_str().expect("id").to_string();
    assert_eq!(app.answer(&id, &qid, "A first answer with some words in it.").await.status(), 200);
    let again = app.answer(&id, &qid, "The same question from another tab.").await;
    assert_eq!(again.status(), 409);
    let message = json_of(again).await["error"]["message"].as_str().unwrap_or_default().to_string();
    let prompt = first["prompt"].as_str().expect("prompt");
    assert!(message.contains(prompt) && message.contains("another tab"), "{message}");
    assert!(!message.contains(&format!("\"{qid}\"")), "no question ids in the message: {message}");
}

#[tokio::test]
async fn a_chosen_question_is_practised_alone_and_bad_choices_are_refused() {
    let app = spawn_app().await;
    app.signed_up().await;
    // Every bundled question can be chosen, and the interview asks it and nothing else.
    for qid in ["docker-image-vs-container", "k8s-pod-vs-deployment", "serverless-cold-start"] {
        let response = app.start_interview(&json!({"question": qid})).await;
        assert_eq!(response.status(), 201, "{qid}");
        let body = json_of(response).await;
        assert_eq!(body["question"]["id"], qid);
        assert_eq!((body["count"].as_i64(), body["requested"].as_i64()), (Some(1), Some(1)), "{body}");
        assert!(body["notice"].is_null(), "{body}");
        let id = body["id"].as_str().expect("id");
        let result = json_of(app.answer(id, qid, &reference_of(qid)).await).await;
        assert!(result["next"].is_null(), "one question, then done: {result}");
    }
    // A count of 1 and a timer go with it; the interview is timed.
    let timed =
        app.start_interview(&json!({"question": "docker-image-vs-container", "count": 1, "timer_seconds": 60})).await;
    assert_eq!(timed.status(), 201);
    assert_eq!(json_of(timed).await["timer_seconds"], 60);

    let refused = [
        (json!({"question": "no-such-question"}), 404, "no question"),
        (json!({"question": "docker-image-vs-container", "count": 3}), 422, "not 3"),
        (json!({"question": "docker-image-vs-container", "topics": ["docker"]}), 422, "not both"),
        (json!({"question": "docker-image-vs-container", "timer_seconds": 5}), 422, "timer"),
    ];
    for (body, status, says) in refused {
        let response = app.start_interview(&body).await;
        assert_eq!(response.status(), status, "{body}");
        let error = json_of(response).await;
        let message = error["error"]["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains(says), "{body}: {error}");
    }
}

/// A learner who does not know an answer skips the question (no text needed) and can end
/// the interview early; both on the API and the page, and nothing about the skipped
/// question's concepts is counted.
#[tokio::test]
async fn a_question_can_be_skipped_and_an_interview_ended_early() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, first) = started(&app, json!({"count": 4})).await;
    let q1 = first["id"].as_str().expect("question").to_string();

    // A skip with `retry` makes no sense and is refused; nothing is stored.
    let both = app
        .post_json(
            &format!("/api/v1/interviews/{id}/answers"),
            &json!({"question_id": q1, "skip": true, "retry": true}),
        )
        .await;
    assert_eq!(both.status(), 422);

    let skipped =
        app.post_json(&format!("/api/v1/interviews/{id}/answers"), &json!({"question_id": q1, "skip": true})).await;
    assert_eq!(skipped.status(), 200);
    let skipped = json_of(skipped).await;
    assert_eq!(skipped["score"], 0.0);
    assert!(skipped["feedback"].as_str().unwrap_or_default().contains("skipped"), "{skipped}");
    assert!(skipped["follow_up"].is_null(), "no follow-up on a skip: {skipped}");
    assert!(!skipped["reference"].as_str().unwrap_or_default().is_empty(), "the model answer comes with it");
    let skip_id = skipped["attempt_id"].as_str().expect("attempt").to_string();
    let q2 = skipped["next"]["id"].as_str().expect("next question").to_string();

    let shown = json_of(app.get(&format!("/api/v1/interviews/{id}")).await).await;
    assert_eq!(shown["attempts"][0]["kind"], "skipped");
    let db = app.db().await;
    let concepts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempt_concepts WHERE attempt_id = $1")
        .bind(&skip_id)
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(concepts, 0, "a skip says nothing about which concepts are weak");
    let scheduled: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schedules WHERE question_id = $1")
        .bind(&q1)
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(scheduled, 1, "the skipped question is scheduled to come back");

    // The second question is answered on the page; the third skipped with its form (the
    // box's text is ignored), then the interview is ended.
    let answered = app
        .post_form(&format!("/interviews/{id}/answer"), &[("question_id", &q2), ("answer", &reference_of(&q2))])
        .await;
    assert_eq!(answered.status(), 303);
    let plan = json_of(app.get(&format!("/api/v1/interviews/{id}")).await).await;
    let q3 = plan["question"]["id"].as_str().expect("third question").to_string();
    let skip_form = app
        .post_form(&format!("/interviews/{id}/answer"), &[("question_id", &q3), ("answer", ""), ("skip", "1")])
        .await;
    assert_eq!(skip_form.status(), 303);
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(page.contains("id=\"skip-question\"") && page.contains("id=\"end-interview\""), "{page}");
    assert!(page.contains("data-confirm=\"End this interview now? The 1 question not answered yet"), "{page}");

    let ended = app.post_form(&format!("/interviews/{id}/finish"), &[]).await;
    assert_eq!(ended.status(), 303);
    let to = ended.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(to, format!("/interviews/{id}#summary"));
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(page.contains("Interview ended"), "{page}");
    // The heading counts what was asked, as the summary does (not "Complete · 4").
    assert!(page.contains(">Mock interview · Ended · 3 of 4 questions asked</h1>"), "{page}");
    assert!(page.contains("You answered 1 question"), "skips are not answers: {page}");
    assert!(page.contains("You skipped 2 questions"), "{page}");
    assert!(page.contains("with 1 question not answered"), "{page}");
    assert_eq!(page.matches("<em>Skipped</em>").count(), 2, "{page}");
    assert!(!page.contains("id=\"answer-form\""), "nothing more is asked");

    // History's mean is the summary's: the one answer's score, the skips left out.
    let history = json_of(app.get("/api/v1/me/history").await).await;
    let answer_score = history["attempts"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["question_id"] == q2.as_str()))
        .and_then(|a| a["score"].as_f64())
        .expect("the answer in history");
    let listed = history["interviews"]
        .as_array()
        .and_then(|i| i.iter().find(|i| i["id"] == id.as_str()))
        .cloned()
        .expect("the interview in history");
    assert_eq!(listed["mean_score"].as_f64(), Some(answer_score), "skips are not in the mean: {listed}");
    assert_eq!(listed["answered"], 1, "skips are not answered questions: {listed}");
    let history_page = app.get("/history").await.text().await.expect("html");
    assert!(history_page.contains("1/4 answered"), "{history_page}");
    let shown = format!("average {}/100", (answer_score * 100.0).round() as i64);
    assert!(history_page.contains(&shown), "{shown} in {history_page}");
    // The progress page counts the one answer as an answer and the skips apart (a
    // walk-through's learner read "8 answers counted" after answering 7 and skipping 1).
    let progress = app.get("/progress").await.text().await.expect("html");
    let stat = |id: &str| {
        progress
            .split(&format!("id=\"{id}\""))
            .nth(1)
            .and_then(|c| c.split("</div>").next())
            .unwrap_or_default()
            .to_string()
    };
    assert!(stat("counted").contains(">1<") && stat("counted").contains("answer counted"), "{}", stat("counted"));
    assert!(stat("skipped-count").contains(">2<") && stat("skipped-count").contains("skipped"), "{progress}");
    // The topics count the same way, so their answers add up to the headline's (a
    // walk-through's learner read "4 answers counted" above a topic's "5 answers").
    let (mut answers, mut skipped) = (0, 0);
    for row in progress.split("<tr data-topic=").skip(1) {
        let counts = row.split(r#"<div class="muted small">"#).nth(1).and_then(|c| c.split("</div>").next());
        let counts = counts.unwrap_or_default();
        answers += counts.split(" answer").next().and_then(|n| n.trim().parse::<i64>().ok()).expect("answers");
        skipped += counts
            .split(" · ")
            .find_map(|part| part.strip_suffix(" skipped").and_then(|n| n.parse::<i64>().ok()))
            .unwrap_or(0);
    }
    assert_eq!((answers, skipped), (1, 2), "the topics' answers and skips: {progress}");
    // Four cards: laid out as one row of four, or two of two on a phone (not 3 + 1).
    assert!(progress.contains(r#"<div class="stats four" id="stats">"#), "{progress}");
    let overview = json_of(app.get("/api/v1/me/progress").await).await;
    assert_eq!((overview["attempts"].clone(), overview["skipped"].clone()), (json!(3), json!(2)), "{overview}");

    // The API agrees, and an ended interview takes no answer and cannot be ended twice.
    let plan = json_of(app.get(&format!("/api/v1/interviews/{id}")).await).await;
    assert_eq!(plan["finished"], true);
    assert!(plan["question"].is_null());
    let q4 = app.answer(&id, &q3, "Too late.").await;
    assert_eq!(q4.status(), 409);
    let again = app.post_json(&format!("/api/v1/interviews/{id}/finish"), &json!({})).await;
    assert_eq!(again.status(), 409);

    // Ending on the API returns the interview, finished.
    let (other, _) = started(&app, json!({"count": 3})).await;
    let ended = app.post_json(&format!("/api/v1/interviews/{other}/finish"), &json!({})).await;
    assert_eq!(ended.status(), 200);
    let ended = json_of(ended).await;
    assert_eq!(ended["finished"], true);
    assert!(ended["question"].is_null());
    assert_eq!(json_of(app.get("/api/v1/interviews/not-a-uuid").await).await["error"]["code"], "not_found");
}

/// Consecutive mock interviews go round a topic before they ask a question again: the
/// questions never asked come first, then the one asked longest ago.
#[tokio::test]
async fn mock_interviews_ask_every_question_of_a_topic_before_repeating_one() {
    let app = spawn_app_with(|s| s.limits.interviews_per_minute = 1_000).await;
    app.signed_up().await;
    // The bundled serverless topic has 13 questions.
    let mut asked: Vec<String> = Vec::new();
    for _ in 0..13 {
        let (_, first) = started(&app, json!({"topics": ["serverless"], "count": 1})).await;
        asked.push(first["id"].as_str().expect("question").to_string());
    }
    let distinct: std::collections::HashSet<&String> = asked.iter().collect();
    assert_eq!(distinct.len(), 13, "no question twice before all 13 were asked: {asked:?}");
    // Then the one asked longest ago, and the next, whether answered or not.
    let (interview, first) = started(&app, json!({"topics": ["serverless"], "count": 1})).await;
    assert_eq!(first["id"].as_str(), Some(asked[0].as_str()));
    let question = asked[0].clone();
    assert_eq!(app.answer(&interview, &question, &reference_of(&question)).await.status(), 200);
    let (_, next) = started(&app, json!({"topics": ["serverless"], "count": 1})).await;
    assert_eq!(next["id"].as_str(), Some(asked[1].as_str()));
    // A longer interview takes the least recently asked ones too, none of them twice.
    let (_, first) = started(&app, json!({"topics": ["serverless"], "count": 3})).await;
    assert_eq!(first["id"].as_str(), Some(asked[2].as_str()));
}
