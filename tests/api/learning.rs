//! The learning loop: mastery, weak concepts, schedule, drill, follow-ups, retries.
use serde_json::{json, Value};

use crate::helpers::{json_of, question_def, reference_of, spawn_app, spawn_app_with, TestApp};

const BAD: &str = "I am honestly not sure about this one, I think it is something to do with computers.";

/// Answers a whole interview on one topic, strongly (the model answer) or badly.
async fn sit(app: &TestApp, topic: &str, count: usize, strong: bool) -> Vec<(String, Value)> {
    let started = json_of(app.start_interview(&json!({"topics": [topic], "count": count})).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let mut question = started["question"].clone();
    let mut results = Vec::new();
    while let Some(qid) = question["id"].as_str().map(str::to_string) {
        let answer = if strong { reference_of(&qid) } else { BAD.to_string() };
        let result = json_of(app.answer(&id, &qid, &answer).await).await;
        question = result["next"].clone();
        results.push((qid, result));
    }
    results
}

#[tokio::test]
async fn the_badly_answered_topic_is_weakest_and_its_missed_concepts_are_listed() {
    let app = spawn_app().await;
    app.signed_up().await;
    sit(&app, "docker", 3, true).await;
    let bad = sit(&app, "kubernetes", 3, false).await;

    let topics = json_of(app.get("/api/v1/me/topics").await).await;
    let concepts = json_of(app.get("/api/v1/me/concepts").await).await;

    let topics = topics.as_array().expect("a list");
    assert_eq!(topics[0]["topic_id"], "kubernetes", "weakest first: {topics:?}");
    assert_eq!(topics[1]["topic_id"], "docker");
    let (weak, strong) = (topics[0]["mastery"].as_f64().unwrap_or(1.0), topics[1]["mastery"].as_f64().unwrap_or(0.0));
    assert!(strong - weak > 0.4, "docker {strong} vs kubernetes {weak}");
    assert_eq!(topics[0]["tried"], 3);
    assert!(topics[0]["total"].as_u64().unwrap_or(0) > 3, "untried questions are not counted as tried");
    assert_eq!(topics[0]["attempts"], 3);

    let missed_in_bad: Vec<String> = bad
        .iter()
        .flat_map(|(_, r)| r["missed"].as_array().cloned().unwrap_or_default())
        .filter_map(|m| m.as_str().map(str::to_string))
        .collect();
    let listed = concepts.as_array().expect("a list");
    assert!(!listed.is_empty(), "missed concepts are listed");
    for c in listed {
        assert!(
            missed_in_bad.contains(&c["concept"].as_str().unwrap_or("").to_string()),
            "{c} comes from the bad answers"
        );
        let from: Vec<&str> =
            c["questions"].as_array().expect("questions").iter().filter_map(|q| q["id"].as_str()).collect();
        assert!(from.iter().all(|q| q.starts_with("k8s-")), "{c}: questions it comes from");
    }
}

#[tokio::test]
async fn the_schedule_pushes_a_strong_answer_further_out_than_a_weak_one() {
    let app = spawn_app().await;
    app.signed_up().await;
    let strong = sit(&app, "docker", 1, true).await;
    let weak = sit(&app, "kubernetes", 1, false).await;
    let db = app.db().await;
    let due_of = |qid: String| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT due_at FROM schedules WHERE question_id = $1")
                .bind(qid)
                .fetch_one(&db)
                .await
                .expect("scheduled")
        }
    };

    let strong_due = due_of(strong[0].0.clone()).await;
    let weak_due = due_of(weak[0].0.clone()).await;

    assert!(strong_due - weak_due > 12 * 3600 * 1000, "strong due {strong_due}, weak due {weak_due}");
    let due = json_of(app.get("/api/v1/me/due").await).await;
    assert_eq!(due["count"], 0, "nothing is due the moment it was answered");
    assert!(due["next_due_at"].as_i64().is_some_and(|t| t == weak_due), "the weak one is next: {due}");
}

#[tokio::test]
async fn a_drill_serves_due_questions_first_then_weak_ones() {
    let app = spawn_app().await;
    app.signed_up().await;
    let strong = sit(&app, "docker", 2, true).await;
    let weak = sit(&app, "kubernetes", 2, false).await;
    let weak_ids: Vec<&str> = weak.iter().map(|(q, _)| q.as_str()).collect();

    let drill = json_of(app.start_interview(&json!({"mode": "drill", "count": 3})).await).await;
    assert_eq!(drill["mode"], "drill");
    let first = drill["question"]["id"].as_str().expect("question");
    assert!(weak_ids.contains(&first), "nothing due yet, so the weakest material comes first: {first}");

    // Make one strong docker question due: it must now come before everything else.
    let due_question = strong[1].0.clone();
    sqlx::query("UPDATE schedules SET due_at = 1 WHERE question_id = $1")
        .bind(&due_question)
        .execute(&app.db().await)
        .await
        .expect("update");
    let due = json_of(app.get("/api/v1/me/due").await).await;
    assert_eq!(due["count"], 1);
    assert_eq!(due["due"][0]["question_id"], due_question.as_str());
    let drill = json_of(app.start_interview(&json!({"mode": "drill", "count": 3})).await).await;
    assert_eq!(drill["question"]["id"], due_question.as_str(), "due questions come first");
}

const DAY: i64 = 24 * 3600 * 1000;

fn now_millis() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[tokio::test]
async fn the_due_list_gives_each_questions_recall_probability_least_likely_first_and_the_drill_follows_it() {
    let app = spawn_app().await;
    app.signed_up().await;
    let answered = sit(&app, "docker", 3, true).await;
    let ids: Vec<&str> = answered.iter().map(|(q, _)| q.as_str()).collect();
    // Three due questions whose due dates and recall disagree: (stability in days, days
    // since the last review, days overdue).
    let now = now_millis();
    let states = [
        (ids[0], 1.0, 10, 0),  // fragile: recall far below 90%, only just due
        (ids[1], 30.0, 20, 9), // the most overdue, yet still well held
        (ids[2], 10.0, 10, 1), // exactly at its stability: recall 90%
    ];
    let db = app.db().await;
    for (qid, stability, since, overdue) in states {
        sqlx::query("UPDATE schedules SET stability = $1, last_review_at = $2, due_at = $3 WHERE question_id = $4")
            .bind(stability)
            .bind(now - since * DAY)
            .bind(now - overdue * DAY - 60_000)
            .bind(qid)
            .execute(&db)
            .await
            .expect("update");
    }

    let due = json_of(app.get("/api/v1/me/due").await).await;

    assert_eq!(due["count"], 3, "{due}");
    let order: Vec<&str> =
        due["due"].as_array().expect("list").iter().filter_map(|d| d["question_id"].as_str()).collect();
    assert_eq!(order, [ids[0], ids[2], ids[1]], "least likely to be recalled first, not most overdue first: {due}");
    let recall: Vec<f64> =
        due["due"].as_array().expect("list").iter().filter_map(|d| d["recall_probability"].as_f64()).collect();
    assert_eq!(recall.len(), 3, "every item has recall_probability: {due}");
    assert!(recall.iter().all(|r| (0.0..=1.0).contains(r)), "{recall:?}");
    assert!(recall[0] < 0.8, "ten days on a one-day stability: {}", recall[0]);
    assert!((recall[1] - 0.9).abs() < 0.01, "at its stability recall is 90%: {}", recall[1]);
    assert!(recall[2] > 0.9, "{}", recall[2]);

    let drill = json_of(app.start_interview(&json!({"mode": "drill", "count": 3})).await).await;
    assert_eq!(drill["question"]["id"], ids[0], "the drill starts with the question least likely to be recalled");

    let page = app.get("/progress").await.text().await.expect("page");
    let listed = page.split(r#"id="due""#).nth(1).and_then(|rest| rest.split("</ul>").next()).unwrap_or("");
    assert_eq!(listed.matches("recall now").count(), 3, "each due question shows its recall: {listed}");
    let first = format!("{}%", (recall[0] * 100.0).round());
    assert!(listed.contains(&first), "{first} in {listed}");
}

#[tokio::test]
async fn desired_retention_is_a_setting_and_a_lower_one_spaces_reviews_further() {
    let app = spawn_app().await;
    app.signed_up().await;
    let settings = json_of(app.get("/api/v1/me/settings").await).await;
    assert_eq!(settings, json!({"share_progress": false, "desired_retention": 0.9, "personal_parameters": false}));
    let interval_of = |qid: String| {
        let app = &app;
        async move {
            sqlx::query_scalar::<_, f64>("SELECT interval_days FROM schedules WHERE question_id = $1")
                .bind(qid)
                .fetch_one(&app.db().await)
                .await
                .expect("scheduled")
        }
    };
    let at_default = sit(&app, "docker", 1, true).await;

    for refused in [json!({"desired_retention": 0.5}), json!({"desired_retention": 1.0})] {
        let response = app.put_json("/api/v1/me/settings", &refused).await;
        assert_eq!(response.status(), 422, "{refused}");
    }
    let changed = json_of(app.put_json("/api/v1/me/settings", &json!({"desired_retention": 0.8})).await).await;
    assert_eq!(changed["desired_retention"], 0.8);
    assert_eq!(changed["share_progress"], false, "a field not sent stays as it was");
    let at_lower = sit(&app, "kubernetes", 1, true).await;

    let form = app.post_form("/account/retention", &[("desired_retention", "95")]).await;
    assert_eq!(form.status(), 303, "the account page's form saves it too");
    assert_eq!(json_of(app.get("/api/v1/me/settings").await).await["desired_retention"], 0.95);
    let account = app.get("/account").await.text().await.expect("html");
    assert!(account.contains(r#"<option value="95" selected>"#), "the page shows the choice");
    let refused = app.post_form("/account/retention", &[("desired_retention", "40")]).await;
    assert_eq!(refused.status(), 422, "outside 70..97 is refused on the page too");

    let (default_days, lower_days) =
        (interval_of(at_default[0].0.clone()).await, interval_of(at_lower[0].0.clone()).await);
    assert!(lower_days > default_days, "0.8 waits longer than 0.9: {lower_days} vs {default_days} days");
}

#[tokio::test]
async fn a_learner_with_enough_reviews_gets_parameters_fitted_in_the_background_and_a_newcomer_keeps_the_defaults() {
    let app = spawn_app().await;
    let keen = app.signed_up().await;
    let newcomer = app.other_client();
    let newcomer_name = newcomer.signed_up().await;
    // A review log of 80 follow-up reviews, written straight into the database: 20
    // questions answered 5 times each, 1, 3, 7 and 15 days apart, mostly well.
    let db = app.db().await;
    let user_id: String =
        sqlx::query_scalar("SELECT id FROM users WHERE username = $1").bind(&keen).fetch_one(&db).await.expect("user");
    let questions: Vec<String> =
        sqlx::query_scalar("SELECT id FROM questions ORDER BY id LIMIT 20").fetch_all(&db).await.expect("questions");
    let start = now_millis() - 40 * DAY;
    for (q, qid) in questions.iter().enumerate() {
        for (k, day) in [0, 1, 4, 11, 26].into_iter().enumerate() {
            let score = if (q + k) % 7 == 3 { 0.3 } else { 0.8 };
            sqlx::query(
                "INSERT INTO attempts (id, user_id, interview_id, question_id, answer, score, band, feedback, grade,
                 created_at, kind) VALUES ($1, $2, NULL, $3, 'seeded', $4, 'strong', '', '{}', $5, 'drill')",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(&user_id)
            .bind(qid)
            .bind(score)
            .bind(start + day * DAY + q as i64 * 60_000)
            .execute(&db)
            .await
            .expect("attempt");
        }
    }

    // The sweep runs shortly after start-up: a restart on the same database fits them.
    let url = app.database_url.clone();
    let restarted = spawn_app_with(|s| s.database_url = url).await;
    assert_eq!(restarted.login(&keen, "correct horse battery").await.status(), 200);
    let mut personal = false;
    for _ in 0..100 {
        let settings = json_of(restarted.get("/api/v1/me/settings").await).await;
        personal = settings["personal_parameters"] == true;
        if personal {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(personal, "fitted within ten seconds of start-up");
    let (parameters, reviews): (String, i64) =
        sqlx::query_as("SELECT parameters, reviews FROM fsrs_parameters WHERE user_id = $1")
            .bind(&user_id)
            .fetch_one(&db)
            .await
            .expect("stored");
    assert_eq!(reviews, 80, "the fit saw every follow-up review");
    let parameters: Vec<f64> = serde_json::from_str(&parameters).expect("a JSON array");
    assert_eq!(parameters.len(), 21);

    let other = restarted.other_client();
    assert_eq!(other.login(&newcomer_name, "correct horse battery").await.status(), 200);
    let settings = json_of(other.get("/api/v1/me/settings").await).await;
    assert_eq!(settings["personal_parameters"], false, "too few reviews: the defaults");
}

#[tokio::test]
async fn a_follow_up_probes_a_missed_concept_and_grades_the_reply_on_it() {
    let app = spawn_app().await;
    app.signed_up().await;
    // A question whose follow-up describes its concept without naming it (a reply that
    // names back a concept the follow-up named is not judged: `follow_ups.rs`).
    let started = json_of(app.start_interview(&json!({"question": "k8s-scaling"})).await).await;
    let id = started["id"].as_str().expect("id");
    let qid = started["question"]["id"].as_str().expect("question").to_string();

    let result = json_of(app.answer(id, &qid, BAD).await).await;

    let follow_up = &result["follow_up"];
    let concept = follow_up["concept"].as_str().expect("a follow-up after a weak answer").to_string();
    assert!(follow_up["prompt"].as_str().is_some_and(|p| p.len() > 10), "{follow_up}");
    assert!(
        result["missed"].as_array().is_some_and(|m| m.iter().any(|c| c == concept.as_str())),
        "it probes a missed concept"
    );
    let keyword = question_def(&qid)
        .keywords
        .into_iter()
        .find(|k| k.concept.split('|').next().map(str::trim) == Some(concept.as_str()))
        .expect("concept from the question");
    // A good reply: the model answer's sentence about that concept.
    let alternatives: Vec<String> = keyword.concept.split('|').map(|a| a.trim().to_lowercase()).collect();
    let reference = reference_of(&qid);
    let reply_text = reference
        .split_inclusive(['.', '?', '!'])
        .find(|s| alternatives.iter().any(|a| s.to_lowercase().contains(a.as_str())))
        .unwrap_or(&reference)
        .trim()
        .to_string();
    let attempt_id = result["attempt_id"].as_str().expect("attempt id");
    let url = format!("/api/v1/interviews/{id}/follow-ups");

    let reply = app.post_json(&url, &json!({"attempt_id": attempt_id, "answer": reply_text})).await;
    assert_eq!(reply.status(), 200);
    let reply = json_of(reply).await;
    assert_eq!(reply["concept"], concept.as_str());
    assert_eq!(reply["covered"], true, "{reply}");
    let wrong = app.post_json(&url, &json!({"attempt_id": attempt_id, "answer": "again"})).await;
    assert_eq!(wrong.status(), 409, "one reply per follow-up");
    let stored: (String, String) =
        sqlx::query_as("SELECT concept, status FROM follow_up_answers WHERE attempt_id = $1")
            .bind(attempt_id)
            .fetch_one(&app.db().await)
            .await
            .expect("stored with the attempt");
    assert_eq!(stored, (concept.clone(), "covered".to_string()));
    let weak = json_of(app.get("/api/v1/me/concepts").await).await;
    let still_listed = weak.as_array().expect("list").iter().any(|w| {
        w["concept"] == concept.as_str()
            && w["questions"].as_array().is_some_and(|qs| qs.iter().any(|q| q["id"] == qid.as_str()))
    });
    assert!(!still_listed, "a concept covered in the follow-up reply is no longer weak for that question: {weak}");
}

#[tokio::test]
async fn a_retry_answers_the_same_question_again_without_moving_on() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"topics": ["docker"], "count": 2})).await).await;
    let id = started["id"].as_str().expect("id");
    let qid = started["question"]["id"].as_str().expect("question").to_string();
    let first = json_of(app.answer(id, &qid, BAD).await).await;
    let next = first["next"]["id"].as_str().expect("next").to_string();
    let due_before: i64 = sqlx::query_scalar("SELECT due_at FROM schedules WHERE question_id = $1")
        .bind(&qid)
        .fetch_one(&app.db().await)
        .await
        .expect("scheduled");

    let retry = app
        .post_json(
            &format!("/api/v1/interviews/{id}/answers"),
            &json!({"question_id": qid, "answer": reference_of(&qid), "retry": true}),
        )
        .await;

    assert_eq!(retry.status(), 200);
    let retry = json_of(retry).await;
    assert_eq!(retry["retry"], true);
    assert!(retry["score"].as_f64() > first["score"].as_f64());
    assert_eq!(retry["next"]["id"], next.as_str(), "the interview has not moved on");
    let state = json_of(app.get(&format!("/api/v1/interviews/{id}")).await).await;
    assert_eq!(state["question"]["id"], next.as_str());
    let due_after: i64 = sqlx::query_scalar("SELECT due_at FROM schedules WHERE question_id = $1")
        .bind(&qid)
        .fetch_one(&app.db().await)
        .await
        .expect("scheduled");
    assert_eq!(due_before, due_after, "a retry does not reschedule");
    let wrong = app
        .post_json(
            &format!("/api/v1/interviews/{id}/answers"),
            &json!({"question_id": next, "answer": "x", "retry": true}),
        )
        .await;
    assert_eq!(wrong.status(), 409, "only the question just answered can be retried");

    let history = json_of(app.get("/api/v1/me/history").await).await;
    assert_eq!(history["interviews"][0]["answered"], 1, "a retry is not another answered question");
    let compare = json_of(app.get(&format!("/api/v1/me/questions/{qid}/attempts")).await).await;
    let attempts = compare["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[1]["kind"], "retry");
    assert!(
        attempts[1]["gained"].as_array().is_some_and(|g| !g.is_empty()),
        "the retry shows what improved: {compare}"
    );
    assert_eq!(compare["concepts"].as_array().map(Vec::len), attempts[0]["statuses"].as_array().map(Vec::len));

    // Retries are bounded, so an interview's transcript cannot grow without end.
    let path = format!("/api/v1/interviews/{id}/answers");
    let body = json!({"question_id": qid, "answer": "another go", "retry": true});
    for _ in 1..rehearse::practice::MAX_RETRIES {
        assert_eq!(app.post_json(&path, &body).await.status(), 200);
    }
    let refused = app.post_json(&path, &body).await;
    assert_eq!(refused.status(), 409);
    let message = json_of(refused).await["error"]["message"].as_str().unwrap_or("").to_string();
    assert!(message.contains("move on to the next one"), "{message}");
}

#[tokio::test]
async fn the_dashboard_page_shows_weak_topics_concepts_trend_and_its_table() {
    let app = spawn_app().await;
    app.signed_up().await;
    let empty = app.get("/progress").await.text().await.expect("html");
    assert!(empty.contains("Nothing to show yet"), "empty state");
    sit(&app, "docker", 2, true).await;
    // One weak question: every concept is missed once (two questions could share one).
    sit(&app, "kubernetes", 1, false).await;
    let once = app.get("/progress").await.text().await.expect("html");
    assert!(once.contains("Recently missed:"), "a single miss is not 'often'");
    // The drill brings a weak question back; missing its concepts again makes them 'often'.
    let drill = json_of(app.start_interview(&json!({"mode": "drill", "count": 1})).await).await;
    let qid = drill["question"]["id"].as_str().expect("question");
    app.answer(drill["id"].as_str().expect("id"), qid, BAD).await;
    // The drill's own page calls it a drill to the end (its summary was titled as an
    // interview's).
    let drill_page = app.get(&format!("/interviews/{}", drill["id"].as_str().expect("id"))).await;
    let drill_page = drill_page.text().await.expect("html");
    assert!(drill_page.contains("<title>Drill · follow-up"), "{drill_page}");
    assert!(drill_page.contains("data-done-title=\"Drill summary"), "{drill_page}");

    let page = app.get("/progress").await.text().await.expect("html");

    assert!(page.contains("You often miss:"));
    let k8s = page.find("data-topic=\"kubernetes\"").expect("kubernetes row");
    let docker = page.find("data-topic=\"docker\"").expect("docker row");
    assert!(k8s < docker, "weakest topic listed first");
    assert!(page.contains("<svg") && page.contains("<polyline"), "server-rendered chart");
    assert!(page.contains("id=\"trend-table\""), "table alternative to the chart");
    let size = |topic: &str| {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questions"));
        let topics = rehearse::bank::load_dir(dir).expect("bank loads");
        topics.into_iter().find(|t| t.slug == topic).map(|t| t.questions.len()).expect("topic in the bank")
    };
    let (docker_of, k8s_of) =
        (format!("2 of {} questions", size("docker")), format!("1 of {} questions", size("kubernetes")));
    assert!(page.contains(&docker_of) && page.contains(&k8s_of), "coverage shown: {docker_of}, {k8s_of}");
    let timed = app.start_interview(&json!({"timer_seconds": 90, "count": 1})).await;
    assert_eq!(json_of(timed).await["timer_seconds"], 90);
}

#[tokio::test]
async fn a_drill_starts_with_the_lowest_scored_of_the_questions_with_missed_concepts() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"topics": ["docker"], "count": 4})).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let mut question = started["question"].clone();
    let mut scores: Vec<(String, f64)> = Vec::new();
    let mut n = 0;
    while let Some(qid) = question["id"].as_str().map(str::to_string) {
        // Different depths of answer: the first sentence of the model answer, nothing
        // useful, the first half of it, and a vague one.
        let reference = reference_of(&qid);
        let first_sentence = reference.split(". ").next().unwrap_or(&reference).to_string();
        let half: String =
            reference.split_whitespace().take(reference.split_whitespace().count() / 2).collect::<Vec<_>>().join(" ");
        let answer = match n % 4 {
            0 => first_sentence,
            1 => BAD.to_string(),
            2 => half,
            _ => "It is about containers and how they run, mostly.".to_string(),
        };
        let result = json_of(app.answer(&id, &qid, &answer).await).await;
        scores.push((qid, result["score"].as_f64().expect("score")));
        question = result["next"].clone();
        n += 1;
    }
    let lowest = scores.iter().min_by(|a, b| a.1.total_cmp(&b.1)).expect("answered").0.clone();
    let drill = json_of(app.start_interview(&json!({"mode": "drill", "topics": ["docker"], "count": 4})).await).await;
    assert_eq!(drill["question"]["id"], lowest.as_str(), "weakest first: {scores:?}");
}

/// An explanation through an analogy that names none of a bundled question's terms:
/// the grader cannot tell whether it holds, whichever question it answers.
const ANALOGY: &str = "Think of it like a busy restaurant kitchen: the head chef hands each order to whichever \
cook is free, and when a cook goes home another one takes over the station.";

#[tokio::test]
async fn an_unsure_grade_is_shown_but_moves_neither_schedule_mastery_nor_weak_concepts() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"topics": ["docker"], "count": 2})).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let first = started["question"]["id"].as_str().expect("question").to_string();

    let unsure = json_of(app.answer(&id, &first, ANALOGY).await).await;
    assert_eq!(unsure["unsure"], true, "{unsure}");
    assert!(unsure["score"].as_f64().is_some_and(|s| s < 0.4), "{unsure}");
    assert!(unsure["feedback"].as_str().is_some_and(|f| f.contains("comparison")), "{unsure}");
    let attempt = unsure["attempt_id"].as_str().expect("attempt").to_string();
    let second = unsure["next"]["id"].as_str().expect("the interview moves on").to_string();

    let scheduled = |qid: String| {
        let app = &app;
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM schedules WHERE question_id = $1")
                .bind(qid)
                .fetch_one(&app.db().await)
                .await
                .expect("count")
        }
    };
    assert_eq!(scheduled(first.clone()).await, 0, "not scheduled: the question stays due");
    let concepts = json_of(app.get("/api/v1/me/concepts").await).await;
    assert_eq!(concepts, json!([]), "its misses are not weak concepts");

    // A claim on it is kept, and still re-derives nothing.
    let missed = unsure["missed"][0].as_str().expect("a missed concept").to_string();
    assert_eq!(app.put_claim(&attempt, &missed, "covered").await.status(), 200);
    assert_eq!(scheduled(first.clone()).await, 0);

    let graded = json_of(app.answer(&id, &second, &reference_of(&second)).await).await;
    assert_eq!(graded["unsure"], false, "{graded}");
    assert_eq!(scheduled(second.clone()).await, 1);

    let history = json_of(app.get("/api/v1/me/history").await).await;
    let interview = &history["interviews"][0];
    assert_eq!(interview["answered"], 2, "both questions were answered: {interview}");
    let mean = interview["mean_score"].as_f64().expect("a mean");
    assert!(
        (mean - graded["score"].as_f64().unwrap_or(-1.0)).abs() < 1e-9,
        "the unsure grade is not in the mean: {interview}"
    );
    let shown: Vec<bool> =
        history["attempts"].as_array().expect("attempts").iter().map(|a| a["unsure"] == true).collect();
    assert_eq!(shown, [false, true], "newest first");
    let topics = json_of(app.get("/api/v1/me/topics").await).await;
    let docker = topics.as_array().expect("topics").iter().find(|t| t["topic_id"] == "docker").cloned();
    let docker = docker.expect("docker");
    assert_eq!(docker["attempts"], json!(1), "mastery counts the graded answer only");
    assert_eq!((docker["tried"].clone(), docker["unsure_only"].clone()), (json!(1), json!(1)), "{docker}");
    // The progress page counts both questions as answered, and says why one is not in
    // the mastery (a learner read "1 of N" after answering two).
    let progress = app.get("/progress").await.text().await.expect("page");
    let row = progress.split(r#"data-topic="docker""#).nth(1).and_then(|r| r.split("</tr>").next()).unwrap_or_default();
    assert!(row.contains("2 of ") && row.contains("1 only with unsure grades"), "{row}");
    let counted = progress.split(r#"id="counted""#).nth(1).and_then(|c| c.split("</div>").next()).unwrap_or_default();
    assert!(
        counted.contains(">1<") && counted.contains("answer counted"),
        "the headline count says what it counts: {counted}"
    );

    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
    assert!(page.contains("Unsure: not counted"), "the transcript says so");
    assert!(page.contains("not counted in the average"), "the summary says so");
}

/// Right after an answer the model's recall is 100% whatever the score: a walk-through
/// read "recall now 100%" beside scores of 13 and 15 as a mistake. It says "just
/// asked" (a skipped question too: a later walk-through read "just practised" beside a
/// skip as wrong), and the chance a day on.
#[tokio::test]
async fn a_question_just_answered_reads_just_asked_not_recall_100() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"question": "k8s-scaling"})).await).await;
    let id = started["id"].as_str().expect("id");
    app.answer(id, "k8s-scaling", BAD).await;
    let page = app.get("/progress").await.text().await.expect("page");
    assert!(page.contains("just asked") && !page.contains("recall now 100%"), "{page}");
    assert!(!page.contains("practised"), "{page}");

    // A skipped question is asked, not practised.
    let skipped = json_of(app.start_interview(&json!({"question": "k8s-ingress"})).await).await;
    let sid = skipped["id"].as_str().expect("id");
    let resp = app
        .post_json(&format!("/api/v1/interviews/{sid}/answers"), &json!({"question_id": "k8s-ingress", "skip": true}))
        .await;
    assert!(resp.status().is_success(), "{}", resp.status());
    let page = app.get("/progress").await.text().await.expect("page");
    assert_eq!(page.matches("just asked").count(), 3, "two questions and the explanation: {page}");
    assert!(!page.contains("practised"), "{page}");
}

/// The practice page says what a drill would start with: a new learner is told nothing
/// is due or weak yet (a walk-through's new learner started a drill and was given
/// untried questions without a word); after a missed answer it is no longer so. The
/// home page counts the questions due and leads to a drill.
#[tokio::test]
async fn the_practice_page_says_what_a_drill_starts_with() {
    let app = spawn_app().await;
    app.signed_up().await;
    let outlook = |page: &str| -> String {
        page.split(r#"id="drill-outlook""#)
            .nth(1)
            .and_then(|s| s.split("</span>").next())
            .unwrap_or_default()
            .to_string()
    };
    let page = app.get("/practice").await.text().await.expect("page");
    assert!(outlook(&page).contains("nothing is due and nothing weak yet"), "{}", outlook(&page));
    let home = app.get("/").await.text().await.expect("page");
    assert!(!home.contains(r#"id="due-count""#), "nothing is due for a new learner");

    let started = json_of(app.start_interview(&json!({"question": "k8s-scaling"})).await).await;
    let id = started["id"].as_str().expect("id");
    app.answer(id, "k8s-scaling", BAD).await;
    let page = app.get("/practice").await.text().await.expect("page");
    let now = outlook(&page);
    assert!(!now.contains("nothing weak yet"), "{now}");
    assert!(now.contains("due now") || now.contains("the concepts you keep missing first"), "{now}");

    // The home page counts what is due and leads to a drill.
    sqlx::query("UPDATE schedules SET due_at = 1 WHERE question_id = $1")
        .bind("k8s-scaling")
        .execute(&app.db().await)
        .await
        .expect("update");
    let home = app.get("/").await.text().await.expect("page");
    assert!(
        home.contains("<strong>1 question is due</strong>") && home.contains(r#"href="/practice?mode=drill""#),
        "{home}"
    );
    let page = app.get("/practice?mode=drill").await.text().await.expect("page");
    assert!(page.contains(r#"value="drill" id="mode-drill" checked"#), "the drill is chosen");
    assert!(outlook(&page).contains("1 question due now"), "{}", outlook(&page));
    let page = app.get("/practice").await.text().await.expect("page");
    assert!(!page.contains(r#"value="drill" id="mode-drill" checked"#), "a mock interview by default");
}
