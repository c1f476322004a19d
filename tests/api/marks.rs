//! Peer marks (issue #10, item 6): a member shares an answer with a group, the other
//! members mark it 0-5 with a comment, the sharer sees the marks, admins see how the
//! grader agrees with them per question, and `rehearse calibrate --from-db` reads them.
use serde_json::{json, Value};

use crate::helpers::{json_of, spawn_app, TestApp};

const TOPIC: &str = "peer-marks";
const QUESTION: &str = "lb-peer";

/// An admin (the returned app) with a topic holding one question of their own, so every
/// interview on that topic asks it; and a group the admin owns, with its id and code.
async fn admin_with_question_and_group() -> (TestApp, String, String) {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let topic = app.post_json("/api/v1/admin/topics", &json!({"id": TOPIC, "name": "Peer marks"})).await;
    assert_eq!(topic.status(), 201, "the admin creates a topic");
    let question = json!({
        "id": QUESTION,
        "topic_id": TOPIC,
        "prompt": "What does a load balancer do?",
        "answer": "A load balancer spreads incoming requests across several servers and stops sending traffic to an unhealthy server.",
        "keywords": [
            {"concept": "spreads | distributes | spread"},
            {"concept": "unhealthy | health checks | failed"}
        ],
        "difficulty": 1
    });
    assert_eq!(app.post_json("/api/v1/admin/questions", &question).await.status(), 201, "the question is made");
    let (group, code) = app.create_group("Marking club").await;
    (app, group, code)
}

/// A new member of the group (a client of its own), and their name.
async fn member(app: &TestApp, code: &str) -> (TestApp, String) {
    let client = app.other_client();
    let name = client.signed_up().await;
    assert_eq!(client.post_json("/api/v1/groups/join", &json!({"code": code})).await.status(), 200, "joins");
    (client, name)
}

/// Answers the topic's one question; returns the answer's id and the grader's score.
async fn answer(client: &TestApp, text: &str) -> (String, f64) {
    let started = json_of(client.start_interview(&json!({"topics": [TOPIC], "count": 1})).await).await;
    let interview = started["id"].as_str().expect("interview");
    assert_eq!(started["question"]["id"], QUESTION, "the topic's only question is asked");
    let graded = json_of(client.answer(interview, QUESTION, text).await).await;
    (graded["attempt_id"].as_str().expect("attempt id").to_string(), graded["score"].as_f64().expect("score"))
}

async fn share(client: &TestApp, group: &str, attempt: &str) -> reqwest::Response {
    client.post_json(&format!("/api/v1/groups/{group}/shared"), &json!({"attempt_id": attempt})).await
}

async fn mark(client: &TestApp, group: &str, attempt: &str, body: &Value) -> reqwest::Response {
    client.put_json(&format!("/api/v1/groups/{group}/shared/{attempt}/mark"), body).await
}

async fn shared(client: &TestApp, group: &str) -> Vec<Value> {
    let response = client.get(&format!("/api/v1/groups/{group}/shared")).await;
    assert_eq!(response.status(), 200, "the member sees what the group shared");
    json_of(response).await["shared"].as_array().expect("shared").clone()
}

async fn stored_marks(app: &TestApp, attempt: &str) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT score, comment FROM peer_marks WHERE attempt_id = $1 ORDER BY score")
        .bind(attempt)
        .fetch_all(&app.db().await)
        .await
        .expect("marks read")
}

const STRONG: &str = "A load balancer spreads incoming requests across several servers, and it uses health checks so it stops sending traffic to an unhealthy server.";

#[tokio::test]
async fn a_member_shares_an_answer_the_others_mark_it_and_the_sharer_sees_the_marks() {
    let (app, group, code) = admin_with_question_and_group().await;
    let (alice, _) = member(&app, &code).await;
    let (bob, bob_name) = member(&app, &code).await;
    let (carol, carol_name) = member(&app, &code).await;
    assert!(shared(&bob, &group).await.is_empty(), "nothing is shared yet");
    let (attempt, score) = answer(&alice, STRONG).await;

    let first = share(&alice, &group, &attempt).await;
    assert_eq!(first.status(), 201, "shared");
    let again = share(&alice, &group, &attempt).await;
    assert_eq!(again.status(), 200, "sharing again changes nothing");
    assert_eq!(shared(&alice, &group).await.len(), 1, "shared once");

    let seen = shared(&bob, &group).await;
    assert_eq!(seen[0]["attempt_id"], attempt.as_str());
    assert_eq!(seen[0]["answer"], STRONG);
    assert_eq!(seen[0]["prompt"], "What does a load balancer do?");
    assert_eq!(seen[0]["is_mine"], false);
    assert!(seen[0].get("grader_score").is_none(), "no grader score before marking: {}", seen[0]);
    assert!(seen[0].get("marks").is_none(), "other members' marks are not shown: {}", seen[0]);
    assert_eq!(seen[0]["your_mark"], Value::Null);

    let marked =
        mark(&bob, &group, &attempt, &json!({"score": 4, "comment": "Clear, but say what a health check is."})).await;
    assert_eq!(marked.status(), 201, "a first mark");
    let marked = json_of(marked).await;
    assert_eq!(marked["your_mark"]["score"], 4);
    assert_eq!(marked["grader_score"].as_f64(), Some(score), "the grader's score once marked");
    let remarked = mark(&bob, &group, &attempt, &json!({"score": 3, "comment": "On second thought: fine."})).await;
    assert_eq!(remarked.status(), 200, "marking again replaces the mark");
    assert_eq!(json_of(remarked).await["your_mark"]["score"], 3);
    assert_eq!(mark(&carol, &group, &attempt, &json!({"score": 5})).await.status(), 201);
    assert_eq!(
        stored_marks(&app, &attempt).await,
        [(3, "On second thought: fine.".to_string()), (5, String::new())],
        "one mark per marker"
    );

    let own = mark(&alice, &group, &attempt, &json!({"score": 5})).await;
    assert_eq!(own.status(), 403, "the sharer cannot mark their own answer");
    assert!(json_of(own).await["error"]["message"].as_str().unwrap_or("").contains("your own answer"));

    let mine = shared(&alice, &group).await;
    assert_eq!(mine[0]["is_mine"], true);
    assert_eq!(mine[0]["mark_count"], 2);
    assert_eq!(mine[0]["grader_score"].as_f64(), Some(score));
    let mut marks: Vec<(String, i64, String)> = mine[0]["marks"]
        .as_array()
        .expect("the sharer sees every mark")
        .iter()
        .map(|m| {
            let comment = m["comment"].as_str().unwrap_or("").to_string();
            (m["marker"].as_str().unwrap_or("").to_string(), m["score"].as_i64().unwrap_or(-1), comment)
        })
        .collect();
    // Marks come in the order they were given; two given in the same millisecond (bob's
    // second mark and carol's, on a fast machine) come in an arbitrary order.
    marks.sort_by_key(|m| m.1);
    assert_eq!(
        marks,
        [(bob_name.clone(), 3, "On second thought: fine.".to_string()), (carol_name.clone(), 5, String::new())]
    );
    let received = json_of(alice.get(&format!("/api/v1/attempts/{attempt}/marks")).await).await;
    assert_eq!(received["marks"].as_array().map(Vec::len), Some(2), "{received}");
    assert_eq!(bob.get(&format!("/api/v1/attempts/{attempt}/marks")).await.status(), 404, "not bob's answer");
}

#[tokio::test]
async fn only_the_owner_shares_only_with_their_groups_and_outsiders_get_404() {
    let (app, group, code) = admin_with_question_and_group().await;
    let (alice, _) = member(&app, &code).await;
    let (bob, _) = member(&app, &code).await;
    let (attempt, _) = answer(&alice, STRONG).await;
    let stranger = app.other_client();
    stranger.signed_up().await;
    let (other_group, _) = stranger.create_group("Elsewhere").await;

    let cases = [
        (share(&bob, &group, &attempt).await, "someone else's answer"),
        (share(&alice, &other_group, &attempt).await, "a group she is not in"),
        (share(&alice, &group, "not-an-id").await, "no such answer"),
        (share(&stranger, &group, &attempt).await, "a stranger to the group"),
    ];
    for (response, case) in cases {
        assert_eq!(response.status(), 404, "{case}");
    }
    assert_eq!(share(&alice, &group, &attempt).await.status(), 201);
    let unshared = uuid::Uuid::new_v4().to_string();
    let cases = [
        (stranger.get(&format!("/api/v1/groups/{group}/shared")).await, "a stranger lists the group's answers"),
        (mark(&stranger, &group, &attempt, &json!({"score": 1})).await, "a stranger marks"),
        (mark(&bob, &group, &unshared, &json!({"score": 1})).await, "an answer not shared with the group"),
        (mark(&bob, &other_group, &attempt, &json!({"score": 1})).await, "a group bob is not in"),
    ];
    for (response, case) in cases {
        assert_eq!(response.status(), 404, "{case}");
        assert_eq!(json_of(response).await["error"]["code"], "not_found", "{case}");
    }
    assert!(stored_marks(&app, &attempt).await.is_empty(), "nothing was marked");
}

#[tokio::test]
async fn a_bad_mark_or_a_long_comment_is_refused_with_a_clear_message() {
    let (app, group, code) = admin_with_question_and_group().await;
    let (alice, _) = member(&app, &code).await;
    let (bob, _) = member(&app, &code).await;
    let (attempt, _) = answer(&alice, STRONG).await;
    assert_eq!(share(&alice, &group, &attempt).await.status(), 201);

    let cases = [
        (json!({"score": 6}), 422, "from 0 to 5", "a mark above 5"),
        (json!({"score": -1}), 422, "from 0 to 5", "a negative mark"),
        (json!({"score": "x"}), 422, "from 0 to 5, not \"x\".", "a mark that is not a number"),
        (json!({"score": 4.5}), 422, "from 0 to 5, not 4.5.", "a mark that is not whole"),
        (json!({"comment": "no mark"}), 400, "score", "no mark at all"),
        (json!({"score": 3, "comment": "x".repeat(501)}), 422, "at most 500 characters", "a comment too long"),
        (json!({"score": 3, "stars": 2}), 400, "stars", "an unknown field"),
    ];
    for (body, status, message, case) in cases {
        let response = mark(&bob, &group, &attempt, &body).await;
        assert_eq!(response.status(), status, "{case}");
        let error = json_of(response).await;
        let text = error["error"]["message"].as_str().unwrap_or("");
        assert!(text.contains(message), "{case}: {text:?}");
    }
    assert!(stored_marks(&app, &attempt).await.is_empty(), "no bad mark was stored");
    let longest = json!({"score": 0, "comment": "x".repeat(500)});
    assert_eq!(mark(&bob, &group, &attempt, &longest).await.status(), 201, "500 characters are fine");
}

/// Four members answer the question from strong to off-topic and share it; every answer
/// gets two marks from the other members. Returns the admin, the group, and per answer
/// (id, grader score, mean mark).
async fn four_marked_answers() -> (TestApp, String, Vec<(String, f64, f64)>) {
    let (app, group, code) = admin_with_question_and_group().await;
    let mut members = Vec::new();
    for _ in 0..4 {
        members.push(member(&app, &code).await.0);
    }
    let answers = [
        (STRONG, [5, 4]),
        ("It spreads requests across servers.", [5, 5]),
        ("It is a server that sits in the network somewhere.", [1, 2]),
        ("I am not sure, something to do with databases.", [0, 0]),
    ];
    let mut marked = Vec::new();
    for (i, (text, marks)) in answers.iter().enumerate() {
        let (attempt, score) = answer(&members[i], text).await;
        assert_eq!(share(&members[i], &group, &attempt).await.status(), 201);
        for (k, value) in marks.iter().enumerate() {
            let marker = &members[(i + k + 1) % 4];
            assert_eq!(mark(marker, &group, &attempt, &json!({"score": value})).await.status(), 201);
        }
        marked.push((attempt, score, (marks[0] + marks[1]) as f64 / 2.0));
    }
    (app, group, marked)
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

#[tokio::test]
async fn the_agreement_view_compares_the_graders_scores_with_peer_marks() {
    let (app, group, marked) = four_marked_answers().await;
    let response = app.get(&format!("/api/v1/admin/questions/{QUESTION}/agreement")).await;
    assert_eq!(response.status(), 200);
    let agreement = json_of(response).await;
    assert_eq!(agreement["marked_attempts"], 4);
    assert_eq!(agreement["marks"], 8);
    let grader: Vec<f64> = marked.iter().map(|m| m.1).collect();
    let peers: Vec<f64> = marked.iter().map(|m| m.2 / 5.0).collect();
    let expected = pearson(&grader, &peers);
    let r = agreement["pearson"].as_f64().expect("a correlation over four answers");
    assert!((r - expected).abs() < 1e-9, "r {r} = {expected}");
    assert!(agreement["summary"].as_str().unwrap_or("").starts_with("Pearson r"), "{agreement}");

    let disagreements = agreement["disagreements"].as_array().expect("disagreements");
    assert_eq!(disagreements.len(), 4);
    let gaps: Vec<f64> = disagreements.iter().map(|d| d["difference"].as_f64().expect("difference").abs()).collect();
    assert!(gaps.windows(2).all(|w| w[0] >= w[1]), "largest first: {gaps:?}");
    let worst = &disagreements[0];
    let (attempt, score, mean) = marked.iter().find(|m| m.0 == worst["attempt_id"]).expect("one of the answers");
    assert_eq!(worst["grader_score"].as_f64(), Some(*score));
    assert_eq!(worst["peer_mean"].as_f64(), Some(*mean));
    assert_eq!(worst["group_id"], group.as_str());

    let page = app.get(&format!("/admin/questions/{QUESTION}")).await.text().await.expect("html");
    assert!(page.contains("Grader and peer marks"), "{page}");
    assert!(page.contains(&format!("Pearson r {r:.2} over 4 marked answers (8 marks).")), "{page}");
    assert!(page.contains(&format!("href=\"/groups/{group}#shared-{attempt}\"")), "links to the answer: {page}");
}

#[tokio::test]
async fn below_three_marked_answers_the_agreement_view_says_there_are_not_enough_marks() {
    let (app, group, code) = admin_with_question_and_group().await;
    let empty = json_of(app.get(&format!("/api/v1/admin/questions/{QUESTION}/agreement")).await).await;
    assert_eq!(empty["marked_attempts"], 0);
    assert_eq!(empty["pearson"], Value::Null);
    assert_eq!(empty["disagreements"], json!([]));
    let (alice, _) = member(&app, &code).await;
    let (bob, _) = member(&app, &code).await;
    for text in [STRONG, "It spreads requests."] {
        let (attempt, _) = answer(&alice, text).await;
        share(&alice, &group, &attempt).await;
        assert_eq!(mark(&bob, &group, &attempt, &json!({"score": 4})).await.status(), 201);
    }
    let two = json_of(app.get(&format!("/api/v1/admin/questions/{QUESTION}/agreement")).await).await;
    assert_eq!(two["marked_attempts"], 2);
    assert_eq!(two["pearson"], Value::Null, "two points always lie on a line");
    assert!(two["summary"].as_str().unwrap_or("").starts_with("Not enough marks: 2 marked answers"), "{two}");
    let page = app.get(&format!("/admin/questions/{QUESTION}")).await.text().await.expect("html");
    assert!(page.contains("Not enough marks: 2 marked answers"), "{page}");
}

#[tokio::test]
async fn members_get_403_on_the_agreement_view() {
    let (app, _, code) = admin_with_question_and_group().await;
    let (bob, _) = member(&app, &code).await;
    let response = bob.get(&format!("/api/v1/admin/questions/{QUESTION}/agreement")).await;
    assert_eq!(response.status(), 403);
    assert_eq!(json_of(response).await["error"]["code"], "forbidden");
    assert_eq!(app.get("/api/v1/admin/questions/no-such-question/agreement").await.status(), 404);
}

#[tokio::test]
async fn calibrate_from_db_reports_the_grader_against_the_peer_marks() {
    let (app, _, marked) = four_marked_answers().await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .args(["calibrate", "--from-db", "--database", &app.database_url])
        .output()
        .expect("rehearse runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}\n{}", String::from_utf8_lossy(&output.stderr));
    for expected in [
        "4 peer-marked answers (8 marks)",
        "== as graded when answered (4 answers)",
        "== with keywords (4 answers)",
        "== without keywords (derived from the reference) (4 answers)",
        "pearson",
        "false alarms (human >= 0.8, score < 0.5)",
        "largest disagreements",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    // The figures as graded when answered are the agreement view's.
    let grader: Vec<f64> = marked.iter().map(|m| m.1).collect();
    let peers: Vec<f64> = marked.iter().map(|m| m.2 / 5.0).collect();
    let stored = text.split("== with keywords").next().unwrap_or("");
    assert!(stored.contains(&format!("pearson {:.3}", pearson(&grader, &peers))), "{stored}");

    let empty = crate::helpers::spawn_app().await;
    let none = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .args(["calibrate", "--from-db", "--database", &empty.database_url])
        .output()
        .expect("rehearse runs");
    assert!(!none.status.success(), "nothing to compare is an error");
    assert!(String::from_utf8_lossy(&none.stderr).contains("peer-marked answers"), "says why");
}

/// The `<li>` of one shared answer on the group page.
fn shared_item<'a>(html: &'a str, attempt: &str) -> &'a str {
    let start = html.find(&format!("id=\"shared-{attempt}\"")).expect("the answer is listed");
    let rest = &html[start..];
    &rest[..rest.find("\n    </li>").expect("end of the item")]
}

async fn page(client: &TestApp, path: &str) -> String {
    let response = client.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.expect("html")
}

#[tokio::test]
async fn on_the_pages_a_member_shares_an_answer_another_marks_it_and_the_sharer_reads_the_mark() {
    let (app, group, code) = admin_with_question_and_group().await;
    let (alice, _) = member(&app, &code).await;
    let (bob, bob_name) = member(&app, &code).await;
    let empty = page(&bob, &format!("/groups/{group}")).await;
    assert!(empty.contains("No attempts have been shared with this group yet."), "{empty}");

    let (attempt, _) = answer(&alice, STRONG).await;
    let history = page(&alice, "/history").await;
    assert!(history.contains(&format!("href=\"/questions/{QUESTION}#answer-{attempt}\"")), "{history}");
    let question = page(&alice, &format!("/questions/{QUESTION}")).await;
    assert!(question.contains(&format!("action=\"/attempts/{attempt}/share\"")), "a share button: {question}");
    assert!(question.contains(&format!("<option value=\"{group}\">Marking club</option>")), "{question}");
    let shared = alice.post_form(&format!("/attempts/{attempt}/share"), &[("group_id", &group)]).await;
    assert_eq!(shared.status(), 303);
    assert_eq!(
        shared.headers()["location"].to_str().expect("location"),
        format!("/groups/{group}?done=shared#shared-{attempt}")
    );

    let seen = page(&bob, &format!("/groups/{group}")).await;
    let item = shared_item(&seen, &attempt);
    assert!(item.contains(STRONG) && item.contains("What does a load balancer do?"), "{item}");
    let form = format!("action=\"/groups/{group}/shared/{attempt}/mark\"");
    assert!(item.contains(&form), "a mark form: {item}");
    assert!(!item.contains("Grader:"), "no grader score before marking: {item}");

    let mark_path = format!("/groups/{group}/shared/{attempt}/mark");
    let cases = [
        ("x", "keep me", "A mark is a whole number from 0 to 5, not &#34;x&#34;.", "a mark that is not a number"),
        ("6", "keep me", "A mark is a whole number from 0 to 5, not 6.", "a mark above 5"),
        ("", "keep me", "A mark is a whole number from 0 to 5", "no mark"),
    ];
    for (score, comment, message, case) in cases {
        let refused = bob.post_form(&mark_path, &[("score", score), ("comment", comment)]).await;
        assert_eq!(refused.status(), 422, "{case}");
        let html = refused.text().await.expect("html");
        let item = shared_item(&html, &attempt);
        assert!(item.contains(message), "{case}: the reason is by the form: {item}");
        assert!(!html.contains("id=\"group-error\""), "{case}: not at the top of the page");
        assert!(item.contains(">keep me</textarea>"), "{case}: the comment is kept");
        assert!(item.contains("Save your mark") && !item.contains("Change your mark"), "{case}: nothing stored");
        assert!(focused(item, &format!("mark-score-{attempt}")), "{case}: the mark is focused: {item}");
    }
    let long = "x".repeat(501);
    let refused = bob.post_form(&mark_path, &[("score", "3"), ("comment", &long)]).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("html");
    let item = shared_item(&html, &attempt);
    assert!(item.contains("A comment is at most 500 characters long"), "{item}");
    assert!(item.contains("<option value=\"3\" selected>"), "the typed mark is kept: {item}");
    assert!(item.contains("Save your mark"), "a refused mark is no mark saved: {item}");
    assert!(focused(item, &format!("mark-comment-{attempt}")), "the comment is focused: {item}");

    let saved = bob.post_form(&mark_path, &[("score", "4"), ("comment", "Say what a health check is.")]).await;
    assert_eq!(saved.status(), 303);
    let location = saved.headers()["location"].to_str().expect("location").to_string();
    assert_eq!(location, format!("/groups/{group}?done=marked&at={attempt}#shared-{attempt}"));
    // The page opens at the answer, and says the mark was saved right there, not at the
    // top of the page out of view.
    let landed = page(&bob, location.split('#').next().unwrap_or_default()).await;
    assert!(shared_item(&landed, &attempt).contains("Your mark was saved."), "{landed}");
    assert_eq!(landed.matches("Your mark was saved.").count(), 1, "said once");
    let after = page(&bob, &format!("/groups/{group}")).await;
    assert!(!after.contains("Your mark was saved."), "only right after saving");
    let item = shared_item(&after, &attempt);
    assert!(item.contains("Grader:"), "the grader's score once marked: {item}");
    assert!(item.contains("<option value=\"4\" selected>"), "the mark is shown in its form: {item}");
    assert!(item.contains("Change your mark"), "{item}");
    // A refused change keeps saying what is stored: a mark is there to change.
    let refused = bob.post_form(&mark_path, &[("score", "2"), ("comment", &long)]).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("html");
    let item = shared_item(&html, &attempt);
    assert!(item.contains("Change your mark") && item.contains("Your mark was not saved."), "{item}");
    assert_eq!(stored_marks(&app, &attempt).await, [(4, "Say what a health check is.".to_string())]);

    let own = page(&alice, &format!("/groups/{group}")).await;
    let item = shared_item(&own, &attempt);
    assert!(item.contains(&format!("<strong>4/5</strong> from {bob_name}")), "{item}");
    assert!(item.contains("Say what a health check is."), "{item}");
    assert!(!item.contains(&form), "no mark form on your own answer: {item}");
    let own_mark = alice.post_form(&mark_path, &[("score", "5")]).await;
    assert_eq!(own_mark.status(), 403, "the sharer cannot mark their own answer");
    let question = page(&alice, &format!("/questions/{QUESTION}")).await;
    assert!(question.contains("Shared with Marking club"), "{question}");
    assert!(question.contains(&format!("<strong>4/5</strong> from {bob_name}: ")), "{question}");
    // Shared with the only group: it is not offered again, and a new answer is.
    assert!(!question.contains(&format!("action=\"/attempts/{attempt}/share\"")), "not offered twice: {question}");
    let (second, _) = answer(&alice, STRONG).await;
    let question = page(&alice, &format!("/questions/{QUESTION}")).await;
    assert!(question.contains(&format!("action=\"/attempts/{second}/share\"")), "{question}");
    assert!(!question.contains("id=\"share-hint\""), "a member needs no hint");

    // Someone in no group sees where sharing comes from, and no share form.
    let loner = app.other_client();
    loner.signed_up().await;
    answer(&loner, STRONG).await;
    let question = page(&loner, &format!("/questions/{QUESTION}")).await;
    assert!(question.contains("id=\"share-hint\"") && question.contains("href=\"/groups\""), "{question}");
    assert!(!question.contains("share-form"), "{question}");
}

/// An explanation through a comparison that the grader cannot judge (its grade is
/// unsure, not counted for the learner).
const ANALOGY: &str = "Think of it like the host at a busy restaurant: each new guest is seated with \
whichever waiter has the fewest tables, and a waiter who went home sick gets no more guests.";

#[tokio::test]
async fn an_unsure_grade_is_shown_as_unsure_to_markers_and_to_the_author() {
    let (app, group, code) = admin_with_question_and_group().await;
    let (alice, _) = member(&app, &code).await;
    let (bob, _) = member(&app, &code).await;
    let started = json_of(alice.start_interview(&json!({"topics": [TOPIC], "count": 1})).await).await;
    let graded = json_of(alice.answer(started["id"].as_str().expect("interview"), QUESTION, ANALOGY).await).await;
    assert_eq!(graded["unsure"], true, "the grader cannot judge the comparison: {graded}");
    let attempt = graded["attempt_id"].as_str().expect("attempt id").to_string();
    let (sure, _) = answer(&alice, STRONG).await;
    for a in [&attempt, &sure] {
        assert_eq!(share(&alice, &group, a).await.status(), 201);
        assert_eq!(mark(&bob, &group, a, &json!({"score": 4})).await.status(), 201, "a first mark");
    }

    let listed = shared(&bob, &group).await;
    let unsure_of = |id: &str| listed.iter().find(|s| s["attempt_id"] == id).map(|s| s["unsure"].clone());
    assert_eq!(unsure_of(&attempt), Some(json!(true)), "{listed:?}");
    assert_eq!(unsure_of(&sure), Some(json!(false)), "{listed:?}");
    let html = page(&bob, &format!("/groups/{group}")).await;
    let item = shared_item(&html, &attempt);
    assert!(item.contains("band-tag band-unsure") && item.contains("not counted"), "{item}");
    assert!(!shared_item(&html, &sure).contains("band-unsure"), "a sure grade shows its band");

    let agreement = json_of(app.get(&format!("/api/v1/admin/questions/{QUESTION}/agreement")).await).await;
    let disagreements = agreement["disagreements"].as_array().expect("disagreements");
    let flagged: Vec<bool> = [&attempt, &sure]
        .iter()
        .map(|a| {
            let d = disagreements.iter().find(|d| d["attempt_id"] == a.as_str()).expect("listed");
            d["unsure"].as_bool().expect("unsure flag")
        })
        .collect();
    assert_eq!(flagged, [true, false], "{agreement}");
    let admin_page = page(&app, &format!("/admin/questions/{QUESTION}")).await;
    assert_eq!(admin_page.matches("unsure, not counted").count(), 1, "{admin_page}");
}

/// A long explanation in plain words that names neither concept of the question.
const PLAIN: &str = "Picture a busy shop with several tills open. Someone stands at the entrance and \
points each new customer to a till that is free, so no single cashier ends up with a long queue while the \
others sit idle. If one cashier goes home sick, the person at the door notices and simply stops sending \
people to that till until somebody is back. For a website it is the same idea: one thing sits in front of a \
group of machines, passes each incoming request on to one of them, and quietly leaves out any machine that \
has stopped answering.";

#[tokio::test]
async fn a_long_answer_in_plain_words_is_unsure_and_its_page_says_why() {
    let (app, _, _) = admin_with_question_and_group().await;
    let started = json_of(app.start_interview(&json!({"topics": [TOPIC], "count": 1})).await).await;
    let interview = started["id"].as_str().expect("interview").to_string();
    let graded = json_of(app.answer(&interview, QUESTION, PLAIN).await).await;
    assert_eq!(graded["unsure"], true, "{graded}");
    let feedback = graded["feedback"].as_str().unwrap_or("");
    assert!(feedback.starts_with("You explained this in your own words"), "{feedback}");
    assert!(feedback.contains("Mark as covered"), "says how to disagree: {feedback}");
    assert!(graded["score"].as_f64().is_some_and(|s| s < 0.5), "its score stands: {graded}");
    let page = page(&app, &format!("/interviews/{interview}")).await;
    assert!(page.contains("Unsure: not counted") && page.contains("in your own words"), "{page}");
    let concepts = json_of(app.get("/api/v1/me/concepts").await).await;
    assert_eq!(concepts, json!([]), "its misses are not weak concepts");
}

/// Whether the element with this id has the `autofocus` attribute.
fn focused(html: &str, id: &str) -> bool {
    html.find(&format!("id=\"{id}\""))
        .is_some_and(|at| html[at..].split('>').next().unwrap_or("").contains("autofocus"))
}
