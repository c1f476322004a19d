//! "Let the learner disagree": claims on graded concepts, and what they change.
use serde_json::{json, Value};

use crate::helpers::{json_of, question_def, reference_of, spawn_app, TestApp};

const BAD: &str = "I am honestly not sure about this one, I think it is something to do with computers.";

/// Starts an interview on `topic` and answers its first question; returns the interview
/// id, the question id and the graded result.
async fn answer_first(app: &TestApp, topic: &str, answer: impl Fn(&str) -> String) -> (String, String, Value) {
    let started = json_of(app.start_interview(&json!({"topics": [topic], "count": 2})).await).await;
    let id = started["id"].as_str().expect("interview id").to_string();
    let qid = started["question"]["id"].as_str().expect("question").to_string();
    let result = app.answer(&id, &qid, &answer(&qid)).await;
    assert_eq!(result.status(), 200);
    (id, qid, json_of(result).await)
}

fn attempt_of(result: &Value) -> String {
    result["attempt_id"].as_str().expect("attempt id").to_string()
}

fn labels(result: &Value, status: &str) -> Vec<String> {
    result["concepts"]
        .as_array()
        .expect("concepts")
        .iter()
        .filter(|c| c["status"] == status)
        .filter_map(|c| c["label"].as_str().map(str::to_string))
        .collect()
}

fn concept<'a>(body: &'a Value, label: &str) -> &'a Value {
    body["concepts"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["label"] == label))
        .unwrap_or_else(|| panic!("{label} in {body}"))
}

/// Σ weights of `claimed` / Σ all weights, from an answer's concepts.
fn share(result: &Value, claimed: &[String]) -> f64 {
    let concepts = result["concepts"].as_array().expect("concepts");
    let weight = |c: &Value| c["weight"].as_f64().expect("weight");
    let total: f64 = concepts.iter().map(weight).sum();
    concepts.iter().filter(|c| claimed.iter().any(|l| c["label"] == l.as_str())).map(weight).sum::<f64>() / total
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-9)
}

async fn topic_mastery(app: &TestApp, topic: &str) -> f64 {
    let topics = json_of(app.get("/api/v1/me/topics").await).await;
    topics
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["topic_id"] == topic))
        .and_then(|t| t["mastery"].as_f64())
        .unwrap_or_else(|| panic!("{topic} has a mastery: {topics}"))
}

/// Questions for which `/me/concepts` lists `label` as weak.
async fn weak_for(app: &TestApp, label: &str) -> Vec<String> {
    let weak = json_of(app.get("/api/v1/me/concepts").await).await;
    weak.as_array()
        .expect("list")
        .iter()
        .filter(|w| w["concept"].as_str().is_some_and(|c| c.eq_ignore_ascii_case(label)))
        .flat_map(|w| w["questions"].as_array().cloned().unwrap_or_default())
        .filter_map(|q| q["id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn a_learner_claims_a_missed_concept_sets_it_again_and_withdraws_it() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (_, qid, result) = answer_first(&app, "kubernetes", |_| BAD.to_string()).await;
    let attempt = attempt_of(&result);
    assert!(
        result["concepts"]
            .as_array()
            .is_some_and(|cs| cs.iter().all(|c| c["claim"].is_null() && c["self_assessed"] == c["status"])),
        "a fresh answer shows every concept's claim as null: {result}"
    );
    let missed = labels(&result, "missed");
    let label = missed.first().expect("a weak answer misses concepts").clone();
    let score = result["score"].as_f64().expect("score");
    let db = app.db().await;
    let grade_before: String = sqlx::query_scalar("SELECT grade FROM attempts WHERE id = $1")
        .bind(&attempt)
        .fetch_one(&db)
        .await
        .expect("row");

    let claimed = app.put_claim(&attempt, &label, "covered").await;

    assert_eq!(claimed.status(), 200);
    let claimed = json_of(claimed).await;
    let c = concept(&claimed, &label);
    assert_eq!(
        (&c["status"], &c["claim"], &c["self_assessed"]),
        (&json!("missed"), &json!("covered"), &json!("covered"))
    );
    assert!(close(&claimed["score"], score), "the grader's score is kept: {claimed}");
    let expected = (score + rehearse::grading::W_COVERAGE * share(&result, std::slice::from_ref(&label))).min(1.0);
    assert!(close(&claimed["self_assessed_score"], expected), "expected {expected}: {claimed}");

    // Setting it again (also spelled differently) keeps one claim per concept.
    let again = app.put_claim(&attempt, &format!("  {}  ", label.to_uppercase()), "covered").await;
    assert_eq!(again.status(), 200);
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT concept, grader_status, claim FROM attempt_claims WHERE attempt_id = $1")
            .bind(&attempt)
            .fetch_all(&db)
            .await
            .expect("rows");
    assert_eq!(rows, [(label.clone(), "missed".to_string(), "covered".to_string())]);
    let grade_after: String = sqlx::query_scalar("SELECT grade FROM attempts WHERE id = $1")
        .bind(&attempt)
        .fetch_one(&db)
        .await
        .expect("row");
    assert_eq!(grade_before, grade_after, "the stored grade is never rewritten");
    let compare = json_of(app.get(&format!("/api/v1/me/questions/{qid}/attempts")).await).await;
    let first = &compare["attempts"][0];
    assert_eq!(concept(first, &label)["claim"], "covered", "{compare}");
    assert!(close(&first["self_assessed_score"], expected));

    let withdrawn = app.delete_claim(&attempt, &label).await;

    assert_eq!(withdrawn.status(), 204);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempt_claims").fetch_one(&db).await.expect("count");
    assert_eq!(left, 0);
    let compare = json_of(app.get(&format!("/api/v1/me/questions/{qid}/attempts")).await).await;
    assert!(concept(&compare["attempts"][0], &label)["claim"].is_null());
    assert!(close(&compare["attempts"][0]["self_assessed_score"], score));
    let twice = app.delete_claim(&attempt, &label).await;
    assert_eq!(twice.status(), 404, "nothing left to withdraw");
    assert_eq!(json_of(twice).await["error"]["code"], "not_found");
}

#[tokio::test]
async fn nobody_can_claim_on_someone_elses_answer() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (_, _, result) = answer_first(&app, "docker", |_| BAD.to_string()).await;
    let attempt = attempt_of(&result);
    let label = labels(&result, "missed").first().expect("missed").clone();

    app.signed_up().await; // the same client is now someone else
    let cases = [
        (app.put_claim(&attempt, &label, "covered").await, "someone else's answer"),
        (app.delete_claim(&attempt, &label).await, "withdrawing on someone else's answer"),
        (app.put_claim("00000000-0000-0000-0000-000000000000", &label, "covered").await, "unknown answer"),
        (app.put_claim("not-an-id", &label, "covered").await, "not an id"),
    ];

    for (response, case) in cases {
        assert_eq!(response.status(), 404, "{case}");
        assert_eq!(json_of(response).await["error"]["code"], "not_found", "{case}");
    }
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attempt_claims").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(stored, 0);
    let anonymous = crate::helpers::new_client()
        .put(app.url(&format!("/api/v1/attempts/{attempt}/claims")))
        .json(&json!({"concept": label, "claim": "covered"}))
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn bad_claims_are_refused_with_a_reason() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (_, _, result) = answer_first(&app, "kubernetes", |_| BAD.to_string()).await;
    let attempt = attempt_of(&result);
    let missed = labels(&result, "missed").first().expect("missed").clone();
    let url = app.url(&format!("/api/v1/attempts/{attempt}/claims"));
    let cases: [(Value, u16, &str, &str); 5] = [
        (json!({"concept": "flux capacitor", "claim": "covered"}), 422, "is not a concept graded", "unknown concept"),
        (json!({"concept": missed, "claim": "maybe"}), 422, "use \"covered\"", "unknown claim"),
        (json!({"concept": missed, "claim": "wrong"}), 422, "already marked", "agrees with the grader"),
        (json!({"concept": missed}), 400, "claim", "missing field"),
        (json!({"concept": missed, "claim": "covered", "extra": 1}), 400, "extra", "unknown field"),
    ];

    for (body, status, says, case) in cases {
        let response = app.client.put(&url).json(&body).send().await.expect("request");
        assert_eq!(response.status(), status, "{case}");
        let error = json_of(response).await;
        let message = error["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{case}: {message}");
    }
    let malformed =
        app.client.put(&url).header("content-type", "application/json").body("{").send().await.expect("request");
    assert_eq!(malformed.status(), 400);
    assert_eq!(json_of(malformed).await["error"]["code"], "bad_request");
    let unknown = app.delete_claim(&attempt, "flux capacitor").await;
    assert_eq!(unknown.status(), 422, "withdrawing on an unknown concept");
}

#[tokio::test]
async fn claims_feed_weak_concepts_mastery_and_the_schedule_and_withdrawing_restores_them() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (_, qid, result) = answer_first(&app, "docker", reference_of).await;
    let attempt = attempt_of(&result);
    let covered = labels(&result, "covered");
    assert!(covered.len() >= 2, "the model answer covers its concepts: {result}");
    let score = result["score"].as_f64().expect("score");
    let db = app.db().await;
    let schedule = || {
        let db = db.clone();
        let qid = qid.clone();
        async move {
            sqlx::query_as::<_, (i64, f64)>("SELECT due_at, last_score FROM schedules WHERE question_id = $1")
                .bind(qid)
                .fetch_one(&db)
                .await
                .expect("scheduled")
        }
    };
    let (due_before, _) = schedule().await;
    assert!(close(&json!(topic_mastery(&app, "docker").await), score));
    assert!(weak_for(&app, &covered[0]).await.is_empty());

    // "Mark as wrong" on one covered concept: it becomes weak, mastery drops.
    let one = json_of(app.put_claim(&attempt, &covered[0], "wrong").await).await;
    assert_eq!(concept(&one, &covered[0])["self_assessed"], "contradicted");
    assert_eq!(weak_for(&app, &covered[0]).await, vec![qid.clone()], "claimed wrong counts as a miss");
    let expected = score - rehearse::grading::W_COVERAGE * share(&result, &covered[..1]);
    assert!(close(&json!(topic_mastery(&app, "docker").await), expected), "mastery uses the self-assessed score");

    // Wrong on every covered concept: the self-assessed score fails, so it comes back soon.
    let mut last = one;
    for label in &covered[1..] {
        last = json_of(app.put_claim(&attempt, label, "wrong").await).await;
    }
    let own = last["self_assessed_score"].as_f64().expect("score");
    assert!(close(
        &last["self_assessed_score"],
        (score - rehearse::grading::W_COVERAGE * share(&result, &covered)).max(0.0)
    ));
    assert!(own < 0.55, "losing all coverage is a failed review: {own}");
    let (due_failed, last_score) = schedule().await;
    assert!(due_failed < due_before - 12 * 3600 * 1000, "due again soon: {due_failed} vs {due_before}");
    assert!((last_score - own).abs() < 1e-9, "the schedule keeps the self-assessed score");
    let stats: (i64, i64, String) = sqlx::query_as(
        "SELECT misses, contradicted, last_status FROM concept_stats WHERE question_id = $1 AND concept = $2",
    )
    .bind(&qid)
    .bind(&covered[1])
    .fetch_one(&db)
    .await
    .expect("tally");
    assert_eq!(stats, (1, 1, "contradicted".to_string()));

    // Withdrawing everything brings back the grader's view.
    for label in &covered {
        assert_eq!(app.delete_claim(&attempt, label).await.status(), 204);
    }
    let (due_after, last_score) = schedule().await;
    assert!((due_after - due_before).abs() < 5_000, "the schedule is the grader's again: {due_after} vs {due_before}");
    assert!((last_score - score).abs() < 1e-9);
    assert!(close(&json!(topic_mastery(&app, "docker").await), score));
    assert!(weak_for(&app, &covered[0]).await.is_empty());
}

#[tokio::test]
async fn i_covered_this_takes_a_concept_off_the_weak_list_like_a_covered_answer() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (_, qid, result) = answer_first(&app, "kubernetes", |_| BAD.to_string()).await;
    let attempt = attempt_of(&result);
    let missed = labels(&result, "missed");
    let label = missed.first().expect("missed").clone();
    assert_eq!(weak_for(&app, &label).await, vec![qid.clone()], "a missed concept is weak");
    let before = topic_mastery(&app, "kubernetes").await;

    assert_eq!(app.put_claim(&attempt, &label, "covered").await.status(), 200);

    assert!(weak_for(&app, &label).await.is_empty(), "claimed covered leaves the list");
    let after = topic_mastery(&app, "kubernetes").await;
    assert!(
        (after - before - rehearse::grading::W_COVERAGE * share(&result, std::slice::from_ref(&label))).abs() < 1e-9,
        "{before} → {after}"
    );
    let stats: (i64, i64, String) =
        sqlx::query_as("SELECT seen, misses, last_status FROM concept_stats WHERE question_id = $1 AND concept = $2")
            .bind(&qid)
            .bind(&label)
            .fetch_one(&app.db().await)
            .await
            .expect("tally");
    assert_eq!(stats, (1, 0, "covered".to_string()));
}

#[tokio::test]
async fn claims_on_a_retry_are_kept_but_change_nothing_in_the_learning_loop() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, qid, _) = answer_first(&app, "docker", |_| BAD.to_string()).await;
    let retry = app
        .post_json(
            &format!("/api/v1/interviews/{id}/answers"),
            &json!({"question_id": qid, "answer": reference_of(&qid), "retry": true}),
        )
        .await;
    let retry = json_of(retry).await;
    let attempt = attempt_of(&retry);
    let covered = labels(&retry, "covered");
    let db = app.db().await;
    let snapshot = || async {
        let schedule: (i64, f64, f64, f64) =
            sqlx::query_as("SELECT due_at, last_score, stability, difficulty FROM schedules WHERE question_id = $1")
                .bind(&qid)
                .fetch_one(&db)
                .await
                .expect("scheduled");
        let stats: Vec<(String, i64, i64, String)> = sqlx::query_as(
            "SELECT concept, seen, misses, last_status FROM concept_stats WHERE question_id = $1 ORDER BY concept",
        )
        .bind(&qid)
        .fetch_all(&db)
        .await
        .expect("stats");
        let topics = json_of(app.get("/api/v1/me/topics").await).await;
        let concepts = json_of(app.get("/api/v1/me/concepts").await).await;
        (schedule, stats, topics, concepts)
    };
    let before = snapshot().await;

    let claimed = app.put_claim(&attempt, &covered[0], "wrong").await;

    assert_eq!(claimed.status(), 200, "a retry's grade can be disputed too");
    let claimed = json_of(claimed).await;
    assert!(claimed["self_assessed_score"].as_f64() < retry["score"].as_f64(), "{claimed}");
    assert_eq!(snapshot().await, before, "but retries still change nothing");
    assert_eq!(app.delete_claim(&attempt, &covered[0]).await.status(), 204);
    assert_eq!(snapshot().await, before);
}

#[tokio::test]
async fn claims_are_listed_and_counted_per_question_for_the_learner_and_for_authors() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (_, qid, result) = answer_first(&app, "docker", |_| BAD.to_string()).await;
    let attempt = attempt_of(&result);
    let missed = labels(&result, "missed");
    assert!(missed.len() >= 2, "{result}");
    for label in &missed[..2] {
        assert_eq!(app.put_claim(&attempt, label, "covered").await.status(), 200);
    }

    let mine = json_of(app.get("/api/v1/me/claims").await).await;

    let list = mine["claims"].as_array().expect("claims");
    assert_eq!(list.len(), 2, "{mine}");
    for c in list {
        assert_eq!((&c["question_id"], &c["attempt_id"]), (&json!(qid), &json!(attempt)));
        assert_eq!((&c["status"], &c["claim"]), (&json!("missed"), &json!("covered")), "grader status and claim");
        assert_eq!(c["prompt"], question_def(&qid).prompt.as_str(), "the question it is about");
        assert!(c["claimed_at"].as_i64().is_some_and(|t| t > 0));
    }
    let compare = json_of(app.get(&format!("/api/v1/me/questions/{qid}/attempts")).await).await;
    let counts = compare["claim_counts"].as_array().expect("counts per concept");
    assert_eq!(counts.len(), 2, "{compare}");
    assert!(counts.iter().all(|n| n["covered_claims"] == 1 && n["wrong_claims"] == 0), "{compare}");
    let status = compare["attempts"][0]["statuses"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["concept"] == missed[0].as_str()))
        .expect("status of the concept");
    assert_eq!((&status["status"], &status["claim"]), (&json!("missed"), &json!("covered")));

    // A second learner answers the same question and disputes one of the same concepts.
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"topics": ["docker"], "count": 20})).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let mut question = started["question"].clone();
    let mut theirs = None;
    while let Some(q) = question["id"].as_str().map(str::to_string) {
        let answered = json_of(app.answer(&id, &q, BAD).await).await;
        question = answered["next"].clone();
        if q == qid {
            theirs = Some(attempt_of(&answered));
            break;
        }
    }
    let theirs = theirs.expect("a full docker interview asks every docker question");
    assert_eq!(app.put_claim(&theirs, &missed[0], "covered").await.status(), 200);
    let own = json_of(app.get(&format!("/api/v1/me/questions/{qid}/attempts")).await).await;
    assert_eq!(own["claim_counts"], json!([{"concept": missed[0], "covered_claims": 1, "wrong_claims": 0}]));
    assert_eq!(json_of(app.get("/api/v1/me/claims").await).await["claims"].as_array().map(Vec::len), Some(1));

    // Across everyone, for the question's author.
    let store = rehearse::store::Store::connect(&app.database_url).await.expect("store");
    let all = store.question_claim_counts(&qid, None).await.expect("counts");
    let pairs: Vec<(String, i64, i64)> =
        all.into_iter().map(|n| (n.concept, n.covered_claims, n.wrong_claims)).collect();
    assert_eq!(pairs[0], (missed[0].clone(), 2, 0), "most disputed first: {pairs:?}");
    assert_eq!(pairs[1], (missed[1].clone(), 1, 0));
    assert_eq!(pairs.len(), 2);
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

#[tokio::test]
async fn without_javascript_the_claim_buttons_post_and_come_back_to_the_page() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (id, qid, result) = answer_first(&app, "kubernetes", |_| BAD.to_string()).await;
    let attempt = attempt_of(&result);
    let label = labels(&result, "missed").first().expect("missed").clone();
    let chat = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(chat.contains(&format!("action=\"/attempts/{attempt}/claims\"")), "a form per concept");
    assert!(chat.contains(&format!("aria-label=\"Mark as covered: {label}\"")), "labelled for screen readers");
    assert!(!chat.contains("self-assessed:"));

    let posted = app
        .post_form(
            &format!("/attempts/{attempt}/claims"),
            &[("concept", &label), ("claim", "covered"), ("from", "interview")],
        )
        .await;

    assert_eq!(posted.status(), 303);
    assert_eq!(location(&posted), format!("/interviews/{id}#a-{attempt}"));
    let chat = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(chat.contains("self-assessed: covered") && chat.contains(">undo</button>"), "the claim is shown");
    assert!(chat.contains("class=\"self-score\">self-assessed: "), "the self-assessed score beside the grader's");
    // Claiming every missed concept does not make 100 (a walk-through read 63 as a
    // mistake): the page says why.
    assert!(chat.contains("class=\"muted small self-score-why\""), "the self-assessed score is explained");
    let page = format!("/questions/{qid}");
    let table = app.get(&page).await.text().await.expect("html");
    assert!(table.contains("self-assessed: covered") && table.contains("Where you disagreed with the grader"));

    let undone = app
        .post_form(
            &format!("/attempts/{attempt}/claims"),
            &[("concept", &label), ("claim", "withdraw"), ("from", "question")],
        )
        .await;
    assert_eq!(undone.status(), 303);
    assert_eq!(location(&undone), format!("{page}#claims-{attempt}"));
    let table = app.get(&page).await.text().await.expect("html");
    assert!(!table.contains("self-assessed: covered") && table.contains("Mark as covered"));

    let agreeing =
        app.post_form(&format!("/attempts/{attempt}/claims"), &[("concept", &label), ("claim", "wrong")]).await;
    assert_eq!(agreeing.status(), 422);
    assert!(agreeing.text().await.expect("html").contains("already marked"));
    app.signed_up().await;
    let theirs =
        app.post_form(&format!("/attempts/{attempt}/claims"), &[("concept", &label), ("claim", "covered")]).await;
    assert_eq!(theirs.status(), 404, "not someone else's");
}

/// A signed-up learner's interview on the probes question, answered with the two
/// probes swapped: (app, interview id, graded answer).
async fn swapped_probes() -> (TestApp, String, Value) {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"question": "k8s-liveness-vs-readiness"})).await).await;
    let id = started["id"].as_str().expect("interview id").to_string();
    let swapped = "The liveness probe decides whether the pod gets traffic: when it fails the pod is pulled out of \
                   the service endpoints. The readiness probe is what kills and restarts the container when the app \
                   hangs.";
    let result = json_of(app.answer(&id, "k8s-liveness-vs-readiness", swapped).await).await;
    (app, id, result)
}

/// A concept graded wrong offers "Mark as right" (not "Mark as covered", which reads
/// oddly under "Got wrong"), and the claim it posts counts as covered.
#[tokio::test]
async fn a_concept_graded_wrong_offers_i_had_this_right() {
    let (app, id, result) = swapped_probes().await;
    let wrong = labels(&result, "contradicted");
    assert!(!wrong.is_empty(), "the swap is caught: {result}");
    let chat = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    // A low band with checks says so: the terms were found, tied the wrong way.
    assert!(matches!(result["band"].as_str(), Some("weak" | "off-topic")), "{result}");
    assert!(
        chat.contains("Key points to check")
            && !chat.contains("Key points not found")
            && !chat.contains("Few key points found"),
        "{chat}"
    );
    for label in &wrong {
        assert!(chat.contains(&format!("aria-label=\"Mark as right: {label}\"")), "{label}");
        assert!(!chat.contains(&format!("aria-label=\"Mark as covered: {label}\"")), "{label}");
    }
    let attempt = attempt_of(&result);
    let posted = app.put_claim(&attempt, &wrong[0], "covered").await;
    assert!(posted.status().is_success(), "{}", posted.status());
    let chat = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(chat.contains("self-assessed: covered"), "the claim is shown");
}

/// History's "Missed" column shows a concept the learner says they covered as theirs.
#[tokio::test]
async fn history_shows_a_claimed_concept_as_the_learners() {
    let app = spawn_app().await;
    app.signed_up().await;
    let (_, _, result) = answer_first(&app, "kubernetes", |_| BAD.to_string()).await;
    let attempt = attempt_of(&result);
    let missed = labels(&result, "missed");
    let history = app.get("/history").await.text().await.expect("html");
    assert!(!history.contains("(you: covered)"), "nothing claimed yet");
    assert!(app.put_claim(&attempt, &missed[0], "covered").await.status().is_success());
    let history = app.get("/history").await.text().await.expect("html");
    assert!(history.contains(&format!("{} (you: covered)", missed[0])), "the claim is shown");
    if let Some(other) = missed.get(1) {
        assert!(!history.contains(&format!("{other} (you: covered)")), "only the claimed one");
    }
}

/// History's "Missed or to check" column tells a concept the grader flagged as a
/// possible error from one left out, lists one the learner says they got wrong though
/// the grader called it covered, and leaves the other covered ones out.
#[tokio::test]
async fn history_tells_flagged_and_self_marked_wrong_concepts_from_missed_ones() {
    let (app, _, result) = swapped_probes().await;
    let (wrong, covered) = (labels(&result, "contradicted"), labels(&result, "covered"));
    assert!(!wrong.is_empty() && !covered.is_empty(), "a swap with something right: {result}");
    let history = app.get("/history").await.text().await.expect("html");
    for label in &wrong {
        assert!(history.contains(&format!("{label} (to check)")), "{label}: {history}");
    }
    for label in &covered {
        assert!(!history.contains(&format!(">{label}")) && !history.contains(&format!(", {label}")), "{label}");
    }
    assert!(app.put_claim(&attempt_of(&result), &covered[0], "wrong").await.status().is_success());
    let history = app.get("/history").await.text().await.expect("html");
    assert!(history.contains(&format!("{} (you: got wrong)", covered[0])), "the learner's own mark is shown");
}

/// One sentence per concept of `qid`, each naming it through `pick` (an alternative, or
/// `None` to leave the concept out), and the alternatives used.
fn sentences_for(qid: &str, pick: impl Fn(&str, &[&str]) -> Option<String>) -> (String, Vec<String>) {
    let def = question_def(qid);
    let mut used = Vec::new();
    for k in &def.keywords {
        let alts: Vec<&str> = k.concept.split('|').map(str::trim).collect();
        if let Some(alt) = pick(alts[0], &alts[1..]) {
            used.push(alt);
        }
    }
    let answer = used.iter().map(|a| format!("Then there is {a}, which matters here.")).collect::<Vec<_>>().join(" ");
    (answer, used)
}

/// Roughly two forms of one word, as the interview page decides it.
fn same_word(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    common == shorter || (common >= 4 && common + 2 >= shorter)
}

/// An alternative of at most 30 lower-case letters that shares no word with `label`.
fn in_other_words(label: &str, rest: &[&str]) -> Option<String> {
    let label_words = words_of(label);
    rest.iter()
        .find(|a| {
            a.len() <= 30
                && a.chars().all(|c| c.is_ascii_lowercase() || c == ' ')
                && !words_of(a).iter().any(|w| label_words.iter().any(|l| same_word(w, l)))
        })
        .map(|a| a.to_string())
}

/// Every (label, quoted words) pair the interview page shows.
fn said_pairs(page: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for part in page.split("<span class=\"chip ok\">").skip(1) {
        let Some((label, rest)) = part.split_once("</span>") else { continue };
        if let Some(said) = rest.strip_prefix(" <span class=\"muted small said\">you said “") {
            if let Some((said, _)) = said.split_once("”") {
                pairs.push((label.to_string(), said.to_string()));
            }
        }
    }
    pairs
}

fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 3).map(str::to_lowercase).collect()
}

/// A concept covered in other words than its label shows, beside the label, what the
/// learner said ("registry: you said “image store”"), so they see what counted and learn
/// the term; a concept named by its label shows nothing more.
#[tokio::test]
async fn a_concept_covered_in_other_words_shows_what_the_learner_said() {
    let app = spawn_app().await;
    app.signed_up().await;
    // In other words: for each concept, an alternative that shares no word with its label.
    let (id, qid, result) = answer_first(&app, "docker", |qid| sentences_for(qid, in_other_words).0).await;
    let (_, used) = sentences_for(&qid, in_other_words);
    let covered = labels(&result, "covered");
    assert!(covered.len() >= 2, "{qid}: the alternatives cover their concepts: {result}");
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    let pairs = said_pairs(&page);
    let quoted: Vec<&String> = used.iter().filter(|a| pairs.iter().any(|(_, said)| said == *a)).collect();
    assert!(quoted.len() >= 2, "{qid}: {used:?} quoted {pairs:?}");

    // Named by their labels: a concept is quoted only where what matched shares no word
    // with its label, whatever question comes up.
    let (id, qid, result) =
        answer_first(&app, "kubernetes", |qid| sentences_for(qid, |label, _| Some(label.to_string())).0).await;
    assert!(!labels(&result, "covered").is_empty(), "{qid}: {result}");
    let named = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    for (label, said) in pairs.iter().chain(&said_pairs(&named)) {
        let label_words = words_of(label);
        assert!(!words_of(said).iter().any(|w| label_words.iter().any(|l| same_word(w, l))), "{label}: {said}");
    }
    assert!(said_pairs(&named).len() < labels(&result, "covered").len(), "{qid}: most concepts named by their labels");
}

/// An answer the scheduler question's misconception checks.
const SAYS_THE_SCHEDULER_STARTS_CONTAINERS: &str = "The scheduler starts the containers on the node it picks for each \
     new pod, one with enough free CPU and memory for its requests.";

/// "My answer is right here" on a check (an anticipated misconception, which no concept
/// carries): stored as a claim on "(checks)", it lifts the check's cut from the
/// self-assessed score, over the API and through the page's form, and undoing it
/// restores the grader's score.
#[tokio::test]
async fn a_learner_disputes_a_check_and_withdraws_it() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"question": "k8s-scheduler"})).await).await;
    let id = started["id"].as_str().expect("interview id").to_string();
    let result = json_of(app.answer(&id, "k8s-scheduler", SAYS_THE_SCHEDULER_STARTS_CONTAINERS).await).await;
    assert!(result["feedback"].as_str().is_some_and(|f| f.contains("Check: you said")), "a check: {result}");
    let attempt = attempt_of(&result);
    let score = result["score"].as_f64().expect("score");

    let chat = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(chat.contains("aria-label=\"Dispute the check: my answer is right here\""), "a button beside the check");

    let wrong_way = app.put_claim(&attempt, "(checks)", "wrong").await;
    assert_eq!(wrong_way.status(), 422);
    assert!(json_of(wrong_way).await["error"]["message"].as_str().is_some_and(|m| m.contains("only be disputed")));

    let disputed = app.put_claim(&attempt, "(checks)", "covered").await;
    assert!(disputed.status().is_success(), "{}", disputed.status());
    let body = json_of(disputed).await;
    let lifted = body["self_assessed_score"].as_f64().expect("self-assessed score");
    assert!(lifted > score + 0.1, "the check's cut is lifted: {score} -> {lifted}");
    assert!(close(&body["score"], score), "the grader's score is kept");
    assert!(
        body["concepts"].as_array().is_some_and(|cs| cs.iter().all(|c| c["claim"].is_null())),
        "no concept is claimed: {body}"
    );
    let chat = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(
        chat.contains("self-assessed: right") && chat.contains("Undo your dispute of the check"),
        "shown as the learner's"
    );
    assert!(chat.contains(&format!("self-assessed: {}/100", (lifted * 100.0).round())), "with the lifted score");

    let withdrawn = app.delete_claim(&attempt, "(checks)").await;
    assert!(withdrawn.status().is_success(), "{}", withdrawn.status());
    let mine = json_of(app.get("/api/v1/me/claims").await).await;
    assert_eq!(mine["claims"].as_array().map(Vec::len), Some(0), "{mine}");

    // Without JavaScript the form posts and comes back to the interview.
    let posted = app
        .post_form(
            &format!("/attempts/{attempt}/claims"),
            &[("concept", "(checks)"), ("claim", "covered"), ("from", "interview")],
        )
        .await;
    assert_eq!(posted.status(), 303);
    assert_eq!(location(&posted), format!("/interviews/{id}#a-{attempt}"));
    let chat = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    assert!(chat.contains("self-assessed: right"));
    // The question's attempts page shows the check, the dispute, and counts it for authors.
    let table = app.get("/questions/k8s-scheduler").await.text().await.expect("html");
    assert!(table.contains("<th>Checks</th>") && table.contains("starts the containers"), "the check is listed");
    assert!(table.contains("self-assessed: right") && table.contains("the grader&#39;s checks"), "{table}");

    // An answer without checks has none to dispute.
    let started = json_of(app.start_interview(&json!({"question": "k8s-scheduler"})).await).await;
    let id = started["id"].as_str().expect("interview id").to_string();
    let plain = json_of(app.answer(&id, "k8s-scheduler", BAD).await).await;
    let refused = app.put_claim(&attempt_of(&plain), "(checks)", "covered").await;
    assert_eq!(refused.status(), 422);
    assert!(json_of(refused).await["error"]["message"].as_str().is_some_and(|m| m.contains("no checks")));
}

/// The text of an answer's feedback on the interview page.
fn feedback_on(page: &str, attempt: &str) -> String {
    let (_, rest) = page.split_once(&format!("id=\"feedback-{attempt}\"")).expect("the answer's feedback");
    let (_, rest) = rest.split_once('>').expect("its text");
    rest.split_once("</p>").expect("its end").0.replace("&#39;", "'")
}

/// The feedback's "Next time also explain …" follows the learner's claims, as the
/// summary's concepts to work on do: a missed concept marked as covered is no longer
/// named, a covered one marked wrong is, and withdrawing a claim names it again (a
/// learner was still told to explain what they had marked as covered).
#[tokio::test]
async fn next_time_also_explain_leaves_out_what_the_learner_marked_as_covered() {
    let app = spawn_app().await;
    app.signed_up().await;
    let question = "docker-container-vs-vm";
    let started = json_of(app.start_interview(&json!({"question": question})).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let answer = "A VM runs on a hypervisor and boots a guest operating system with its own kernel. \
                  Containers share the host kernel, so they are lightweight and start in seconds.";
    let result = json_of(app.answer(&id, question, answer).await).await;
    let attempt = attempt_of(&result);
    // The follow-up asks for namespaces without naming it; the feedback names the rest.
    assert_eq!(labels(&result, "missed"), ["namespaces", "weaker isolation"], "{result}");
    assert_eq!(result["follow_up"]["concept"], "namespaces", "{result}");
    let page = || async { app.get(&format!("/interviews/{id}")).await.text().await.expect("page") };
    let work_on = |page: &str| page.split_once("id=\"to-work-on\">").expect("concepts to work on").1.to_string();
    let before = feedback_on(&page().await, &attempt);
    assert!(before.contains(" Next time also explain weaker isolation. "), "{before}");

    assert_eq!(app.put_claim(&attempt, "weaker isolation", "covered").await.status(), 200);
    let now = page().await;
    let feedback = feedback_on(&now, &attempt);
    assert!(!feedback.contains("Next time") && !feedback.contains("weaker isolation"), "{feedback}");
    let rest = "share the host kernel and 1 more. The interviewer's follow-up asks about one more point.";
    assert!(feedback.ends_with(rest), "only the sentence goes: {feedback}");
    assert!(!work_on(&now).split("</p>").next().unwrap_or_default().contains("weaker isolation"));

    // "I got this wrong" on a covered concept: to explain next time.
    assert_eq!(app.put_claim(&attempt, "hypervisor", "wrong").await.status(), 200);
    let now = page().await;
    assert!(feedback_on(&now, &attempt).contains(" Next time also explain hypervisor. "), "{now}");
    assert!(work_on(&now).split("</p>").next().unwrap_or_default().contains("hypervisor"));
    // Withdrawn, the claim of coverage no longer hides the concept.
    assert_eq!(app.delete_claim(&attempt, "weaker isolation").await.status(), 204);
    let feedback = feedback_on(&page().await, &attempt);
    assert!(feedback.contains(" Next time also explain hypervisor and weaker isolation. "), "{feedback}");
}
