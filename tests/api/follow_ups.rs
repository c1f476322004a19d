//! The follow-up asked after an answer is stored with it and read back, never worked out
//! again from the stored answer.
use serde_json::{json, Value};

use crate::helpers::{json_of, question_def, spawn_app, spawn_app_with};

const WEAK: &str = "I think it is something about containers, but I am not sure.";

/// Starts a kubernetes interview and answers its first question weakly; returns
/// (interview id, question id, attempt id, the follow-up's concept and prompt).
async fn weak_answer(app: &crate::helpers::TestApp) -> (String, String, String, String, String) {
    weak_answer_to(app, json!({"topics": ["kubernetes"], "count": 2})).await
}

/// [`weak_answer`] in an interview started with `start`.
async fn weak_answer_to(app: &crate::helpers::TestApp, start: Value) -> (String, String, String, String, String) {
    let (id, qid, result) = weak_answer_graded(app, start).await;
    let attempt = result["attempt_id"].as_str().expect("attempt id").to_string();
    let concept = result["follow_up"]["concept"].as_str().expect("a follow-up after a weak answer").to_string();
    let prompt = result["follow_up"]["prompt"].as_str().expect("prompt").to_string();
    (id, qid, attempt, concept, prompt)
}

/// Signs up, starts an interview with `start` and answers its first question weakly;
/// returns (interview id, question id, the answer's result as the API sent it).
async fn weak_answer_graded(app: &crate::helpers::TestApp, start: Value) -> (String, String, Value) {
    app.signed_up().await;
    let started = json_of(app.start_interview(&start).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let qid = started["question"]["id"].as_str().expect("question").to_string();
    let result = json_of(app.answer(&id, &qid, WEAK).await).await;
    (id, qid, result)
}

async fn stored_follow_up(app: &crate::helpers::TestApp, attempt: &str) -> (Option<String>, Option<String>, bool) {
    // The flag as a number: sqlx's Any driver reads no SQLite boolean.
    let (concept, prompt, backfill): (Option<String>, Option<String>, i64) = sqlx::query_as(
        "SELECT follow_up_concept, follow_up_prompt, CASE WHEN follow_up_backfill THEN 1 ELSE 0 END
         FROM attempts WHERE id = $1",
    )
    .bind(attempt)
    .fetch_one(&app.db().await)
    .await
    .expect("attempt row");
    (concept, prompt, backfill == 1)
}

#[tokio::test]
async fn the_follow_up_asked_is_stored_with_the_answer_and_is_what_the_page_and_reply_use() {
    // Arrange
    let app = spawn_app().await;
    let (id, qid, attempt, concept, prompt) = weak_answer(&app).await;
    assert_eq!(stored_follow_up(&app, &attempt).await, (Some(concept.clone()), Some(prompt), false));
    // Another concept of the same question, as if the question had asked about it.
    let other = question_def(&qid)
        .keywords
        .into_iter()
        .filter_map(|k| k.concept.split('|').next().map(|l| l.trim().to_string()))
        .find(|label| *label != concept)
        .expect("a second concept");
    let stored_prompt = format!("Stored question: where does {other} come in?");
    sqlx::query("UPDATE attempts SET follow_up_concept = $1, follow_up_prompt = $2 WHERE id = $3")
        .bind(&other)
        .bind(&stored_prompt)
        .bind(&attempt)
        .execute(&app.db().await)
        .await
        .expect("update");

    // Act
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
    let reply = app
        .post_json(&format!("/api/v1/interviews/{id}/follow-ups"), &json!({"attempt_id": attempt, "answer": "no idea"}))
        .await;

    // Assert
    assert!(page.contains(&stored_prompt), "the page shows the stored follow-up");
    assert_eq!(reply.status(), 200);
    let reply = json_of(reply).await;
    assert_eq!(reply["concept"], other.as_str(), "the reply is graded on the stored concept: {reply}");
    assert_eq!(reply["prompt"], stored_prompt.as_str());
}

#[tokio::test]
async fn answers_stored_before_follow_ups_were_kept_get_theirs_once_at_start_up() {
    // Arrange: an answer whose follow-up was not recorded (as before migration 0006).
    let app = spawn_app().await;
    let (_, _, attempt, concept, prompt) = weak_answer(&app).await;
    sqlx::query(
        "UPDATE attempts SET follow_up_concept = NULL, follow_up_prompt = NULL, follow_up_backfill = TRUE WHERE id = $1",
    )
    .bind(&attempt)
    .execute(&app.db().await)
    .await
    .expect("update");

    // Act: the server starts again on the same database.
    let url = app.database_url.clone();
    let _restarted = spawn_app_with(|s| s.database_url = url).await;

    // Assert
    assert_eq!(
        stored_follow_up(&app, &attempt).await,
        (Some(concept), Some(prompt), false),
        "filled by grading the stored answer once, and no longer marked"
    );
}

#[tokio::test]
async fn a_concept_covered_in_the_follow_up_reply_is_marked_so_on_the_page() {
    let app = spawn_app().await;
    // A question whose follow-up describes the concept without naming it ("say what
    // number you change to scale by hand" for *replica count*): a reply naming it is
    // evidence. (Naming back a concept the follow-up named is not; see below.)
    let (id, qid, attempt, concept, prompt) = weak_answer_to(&app, json!({"question": "k8s-scaling"})).await;
    assert!(!prompt.to_lowercase().contains(&concept), "{prompt}");
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
    assert!(!page.contains("covered in your follow-up reply"), "nothing before the reply");
    let claim = format!("aria-label=\"Mark as covered: {concept}\"");
    assert!(page.contains(&claim), "before the reply the learner may say they covered it");
    let attempts_page = app.get(&format!("/questions/{qid}")).await.text().await.expect("question page");
    assert!(attempts_page.contains(&claim) && !attempts_page.contains("covered in your follow-up reply"));
    let history = app.get("/history").await.text().await.expect("history");
    assert!(history.contains(&concept) && !history.contains("covered in your follow-up reply"), "{history}");
    assert_eq!(json_of(app.get("/api/v1/me/history").await).await["follow_ups"], json!([]));
    // A reply that names the concept in the question's own words.
    let spec = question_def(&qid)
        .keywords
        .into_iter()
        .find(|k| k.concept.split('|').next().map(str::trim) == Some(concept.as_str()))
        .expect("the concept's keyword")
        .concept;
    let words = spec.split('|').map(str::trim).collect::<Vec<_>>().join(", ");
    let reply = app
        .post_json(&format!("/api/v1/interviews/{id}/follow-ups"), &json!({"attempt_id": attempt, "answer": words}))
        .await;
    let reply = json_of(reply).await;
    assert_eq!(reply["status"], "covered", "the reply covers it: {reply}");
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
    assert!(page.contains("covered in your follow-up reply"), "the missed concept says it was covered later");
    // In a list of its own after the reply, not under "Missed" (read as both at once).
    let after = page.split("After the follow-up:").nth(1).expect("a list for what the reply covered");
    assert!(after.split("</ul>").next().is_some_and(|list| list.contains(&format!(">{concept}<"))), "{after}");
    let missed = page.split("<strong>Missed:</strong>").nth(1).and_then(|m| m.split("</ul>").next()).unwrap_or("");
    assert!(!missed.contains(&format!(">{concept}<")), "not under Missed: {missed}");
    // Covered, it is not offered "Mark as covered" any more (the other missed ones are).
    assert!(!page.contains(&claim), "{page}");
    assert!(page.contains("aria-label=\"Mark as covered: "), "{page}");
    // So does the question's attempts page (a walk-through found the button there).
    let attempts_page = app.get(&format!("/questions/{qid}")).await.text().await.expect("question page");
    assert!(attempts_page.contains("covered in your follow-up reply") && !attempts_page.contains(&claim));
    assert!(attempts_page.contains("aria-label=\"Mark as covered: "), "{attempts_page}");
    // The history's Missed column and the API's history say so too.
    let history = app.get("/history").await.text().await.expect("history");
    assert!(history.contains(&format!("{concept} (covered in your follow-up reply)")), "{history}");
    let api = json_of(app.get("/api/v1/me/history").await).await;
    let replies = api["follow_ups"].as_array().expect("follow_ups");
    assert_eq!(replies.len(), 1, "{api}");
    assert_eq!(replies[0]["attempt_id"], attempt.as_str());
    assert_eq!(replies[0]["concept"], concept.as_str());
    assert_eq!(replies[0]["status"], "covered");
    assert_eq!(replies[0]["reply"], words.as_str());
}

/// A follow-up that names its concept ("Can you build just one stage of a multi-stage
/// Dockerfile?" for *stages*) is answered without naming it again: such a reply is not
/// told it is missing the concept, in the reply's feedback, in the transcript or on the
/// question's attempts page. The grader's verdict is kept as it is.
#[tokio::test]
async fn a_reply_to_a_follow_up_that_named_its_concept_is_not_called_a_miss() {
    let app = spawn_app().await;
    let (id, qid, attempt, concept, prompt) =
        weak_answer_to(&app, json!({"question": "docker-multi-stage-build"})).await;
    assert_eq!(concept, "stages");
    assert_eq!(prompt, "Can you build just one stage of a multi-stage Dockerfile?");

    let reply = app
        .post_json(
            &format!("/api/v1/interviews/{id}/follow-ups"),
            &json!({"attempt_id": attempt, "answer": "yes: docker build --target with the name you gave it"}),
        )
        .await;
    assert_eq!(reply.status(), 200);
    let reply = json_of(reply).await;
    assert_eq!(reply["status"], "missed", "the grader's verdict is kept: {reply}");
    let feedback = reply["feedback"].as_str().expect("feedback");
    assert!(
        !feedback.contains("didn't find") && feedback.contains("words the grader looks for on stages"),
        "{feedback}"
    );

    let transcript = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
    assert!(
        transcript.contains("words the grader looks for on stages")
            && !transcript.contains("didn&#x27;t find")
            && !transcript.contains("didn't find"),
        "{transcript}"
    );
    let attempts = app.get(&format!("/questions/{qid}")).await.text().await.expect("page");
    assert!(attempts.contains("not judged: the follow-up used the words of stages"), "{attempts}");
    assert!(!attempts.contains("stages not found"), "{attempts}");
}

/// Naming back a concept the follow-up named is no evidence either way: on three
/// hand-graded sets of follow-up replies 22 of the 46 replies so credited were wrong
/// ("Cartesian means the rows get sorted by their coordinates" was told "Yes: that
/// covers cartesian" in a study group's walk-through). Such a reply is not judged: not
/// credited, nothing marked covered, and the learner is shown the model answer to
/// compare with.
#[tokio::test]
async fn naming_back_a_concept_the_follow_up_named_is_not_credited() {
    let app = spawn_app().await;
    let (id, _, attempt, _, prompt) = weak_answer_to(&app, json!({"question": "docker-multi-stage-build"})).await;
    assert_eq!(prompt, "Can you build just one stage of a multi-stage Dockerfile?");
    let wrong = "Stages are just the layers Docker caches, one stage per RUN line.";
    let reply = app
        .post_json(&format!("/api/v1/interviews/{id}/follow-ups"), &json!({"attempt_id": attempt, "answer": wrong}))
        .await;
    let reply = json_of(reply).await;
    assert_eq!(reply["judged"], false, "{reply}");
    assert_eq!(reply["covered"], false, "{reply}");
    assert_eq!(reply["spans"], json!([]), "{reply}");
    let feedback = reply["feedback"].as_str().expect("feedback");
    assert!(
        !feedback.contains("Yes: that covers") && feedback.contains("The model answer puts it this way"),
        "{feedback}"
    );
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
    assert!(!page.contains("covered in your follow-up reply"), "nothing marked covered");
    // The page itself shows the sentence to compare with, not only the reply's response
    // (a walk-through's learner, told to compare, found no model answer on the page).
    let shown = page.split("follow-up-result").nth(1).and_then(|r| r.split("</div>").next()).unwrap_or_default();
    assert!(shown.contains("Compare your reply") && shown.contains("The model answer puts it this way"), "{shown}");
}

/// A reply that still misses the concept is shown the model answer's own sentence on it,
/// and told how to say the grader missed it.
#[tokio::test]
async fn a_missed_reply_is_shown_the_model_answers_sentence_on_the_concept() {
    let app = spawn_app().await;
    app.signed_up().await;
    let qid = "docker-what-is-docker";
    let started = json_of(app.start_interview(&json!({"question": qid})).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let result = json_of(app.answer(&id, qid, WEAK).await).await;
    let attempt = result["attempt_id"].as_str().expect("attempt id").to_string();
    let concept = result["follow_up"]["concept"].as_str().expect("a follow-up after a weak answer").to_string();
    let reply = app
        .post_json(
            &format!("/api/v1/interviews/{id}/follow-ups"),
            &json!({"attempt_id": attempt, "answer": "I am still not sure, sorry."}),
        )
        .await;
    assert_eq!(reply.status(), 200);
    let reply = json_of(reply).await;
    let feedback = reply["feedback"].as_str().expect("feedback");
    assert!(feedback.starts_with(&format!("I didn't find {concept} in your reply.")), "{feedback}");
    let quoted = feedback.split('\u{201c}').nth(1).and_then(|q| q.split('\u{201d}').next()).expect("a quote");
    let model = question_def(qid).answer;
    let whole = quoted.trim_end_matches('\u{2026}');
    assert!(model.contains(whole), "the quote is the model answer's own words: {quoted}");
    assert!(quoted.len() <= 240 + '\u{2026}'.len_utf8(), "{quoted}");
    assert!(feedback.contains("Mark as covered"), "{feedback}");
}

/// A question an admin writes without hints (as most are) used to get "where does X
/// come into this?" for every missed concept, which names it, so no reply was ever
/// judged. Now the follow-up is the model answer's line with the concept left out: a
/// reply that fills the gap with the concept is credited, and one without its words is
/// shown the model answer's fill, not told it missed. The page does not name the
/// concept above the follow-up.
#[tokio::test]
async fn a_question_without_hints_asks_to_fill_a_gap_and_judges_the_reply() {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let topic = json!({"id": "gaps", "name": "Gaps", "description": "Written on the web."});
    assert_eq!(app.post_json("/api/v1/admin/topics", &topic).await.status(), 201);
    let question = json!({
        "id": "cfs-basics",
        "topic_id": "gaps",
        "prompt": "How does the Linux CFS scheduler pick the next task?",
        "answer": "CFS tracks a virtual runtime for every runnable task, the CPU time it has used weighted by its nice value. Runnable tasks sit in a red-black tree ordered by that runtime, and the scheduler always picks the leftmost task.",
        "keywords": [{"concept": "vruntime | virtual runtime"}, {"concept": "red-black tree | rbtree"}, {"concept": "leftmost"}],
        "difficulty": 2
    });
    assert_eq!(app.post_json("/api/v1/admin/questions", &question).await.status(), 201);
    const WEAK_CFS: &str = "Each task has a virtual runtime and the one with the least runs next.";
    // Answers the question weakly in a new interview, then sends `reply` to the
    // follow-up; returns the interview, the answer's result and the reply's.
    let weak_then = |reply: &'static str| {
        let app = &app;
        async move {
            let started = json_of(app.start_interview(&json!({"question": "cfs-basics"})).await).await;
            let id = started["id"].as_str().expect("id").to_string();
            let result = json_of(app.answer(&id, "cfs-basics", WEAK_CFS).await).await;
            let attempt = result["attempt_id"].as_str().expect("attempt").to_string();
            let path = format!("/api/v1/interviews/{id}/follow-ups");
            let before = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
            let replied = json_of(app.post_json(&path, &json!({"attempt_id": attempt, "answer": reply})).await).await;
            (before, result, replied)
        }
    };
    let (page, result, reply) = weak_then("a red-black tree").await;
    assert_eq!(result["follow_up"]["concept"], "red-black tree", "{result}");
    let prompt = result["follow_up"]["prompt"].as_str().expect("prompt");
    assert!(
        prompt.contains("what fills the gap")
            && prompt.contains("Runnable tasks sit in a ___ ordered by that runtime")
            && !prompt.to_lowercase().contains("red-black"),
        "{prompt}"
    );
    let header = page.split("bubble interviewer follow-up").nth(1).unwrap_or_default();
    let header = header.split("</div>").next().unwrap_or_default();
    assert!(!header.to_lowercase().contains("red-black"), "the page gives the fill away: {header}");
    assert_eq!((reply["judged"].clone(), reply["covered"].clone()), (json!(true), json!(true)), "{reply}");

    // In other words the grader does not know: shown the fill, not called a miss.
    let (_, _, reply) = weak_then("a self-balancing binary search tree").await;
    assert_eq!((reply["judged"].clone(), reply["status"].clone()), (json!(false), json!("missed")), "{reply}");
    let feedback = reply["feedback"].as_str().expect("feedback");
    assert!(
        feedback.starts_with("The gap reads red-black tree; your reply does not use its words.")
            && !feedback.contains("didn't find")
            && feedback.contains("sit in a red-black tree")
            && feedback.contains("Mark as covered"),
        "{feedback}"
    );

    // Not knowing is a miss, however the follow-up was put.
    let (_, _, reply) = weak_then("No idea, sorry.").await;
    assert_eq!((reply["judged"].clone(), reply["status"].clone()), (json!(true), json!("missed")), "{reply}");
    let feedback = reply["feedback"].as_str().expect("feedback");
    assert!(feedback.starts_with("I didn't find red-black tree in your reply."), "{feedback}");
}

/// A follow-up that asks for a missed concept without naming it is a recall question:
/// until the learner replies, neither the answer's feedback (API and page) nor its
/// Missed list names the concept, and the model answer warns that it gives the
/// follow-up away (opening it hides the reply box in the page's script); after the
/// reply all of it shows as before. A
/// follow-up that names its concept holds nothing back.
#[tokio::test]
async fn a_follow_up_keeps_its_concept_and_the_model_answer_back_until_the_reply() {
    // Arrange
    let app = spawn_app().await;

    // Act: a weak answer to a question whose follow-up describes its concept.
    let (id, _, result) = weak_answer_graded(&app, json!({"question": "k8s-scaling"})).await;
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");

    // Assert: held back while the follow-up waits.
    let concept = result["follow_up"]["concept"].as_str().expect("a follow-up").to_string();
    let prompt = result["follow_up"]["prompt"].as_str().expect("prompt").to_string();
    assert!(!prompt.to_lowercase().contains(&concept.to_lowercase()), "{prompt}");
    let feedback = result["feedback"].as_str().expect("feedback");
    assert!(!feedback.to_lowercase().contains(&concept.to_lowercase()), "{feedback}");
    assert!(feedback.ends_with("The interviewer's follow-up asks about one more point."), "{feedback}");
    assert!(result["missed"].as_array().expect("missed").iter().any(|m| m == concept.as_str()), "the API lists it");
    assert!(page.contains(&format!("<li hidden data-held-back><span class=\"chip miss\">{concept}</span>")), "{page}");
    assert!(page.contains("one more point — the follow-up asks about it"), "a placeholder stands in for it");
    assert!(page.contains("<details class=\"model\" data-ends-follow-up>"), "opening the model answer ends it");
    assert!(page.contains("Try the follow-up below before the model answer"), "and the page says so");

    // Act: the learner replies.
    let attempt = result["attempt_id"].as_str().expect("attempt");
    let reply = app
        .post_json(&format!("/api/v1/interviews/{id}/follow-ups"), &json!({"attempt_id": attempt, "answer": "no idea"}))
        .await;
    assert_eq!(reply.status(), 200);
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");

    // Assert: everything shows.
    assert!(!page.contains("data-held-back"), "nothing held back after the reply");
    assert!(page.contains(&format!("The follow-up asked about {concept}.")), "the feedback names it now");
    assert!(page.contains(&format!("<li><span class=\"chip miss\">{concept}</span>")), "{page}");
    assert!(
        page.contains("<details class=\"model\">") && !page.contains("data-ends-follow-up"),
        "a plain model answer"
    );

    // A follow-up that names its concept holds nothing back: the same page after
    // the stored prompt is changed to one that names it.
    let (id2, _, attempt2, concept2, _) = weak_answer(&app).await;
    sqlx::query("UPDATE attempts SET follow_up_prompt = $1 WHERE id = $2")
        .bind(format!("Before we move on: where does {concept2} come into this?"))
        .bind(&attempt2)
        .execute(&app.db().await)
        .await
        .expect("update");
    let page = app.get(&format!("/interviews/{id2}")).await.text().await.expect("page");
    assert!(!page.contains("data-held-back"), "{page}");
}

/// A follow-up the learner moved on from without a reply stays in the transcript, marked
/// "Not answered" (it used to vanish once the next question was answered, and showed
/// nothing under it before); the page's script shows the same mark, rendered hidden, as
/// the learner moves on.
#[tokio::test]
async fn a_follow_up_left_without_a_reply_is_marked_not_answered() {
    // Arrange
    let app = spawn_app().await;
    let (id, _, first) = weak_answer_graded(&app, json!({"topics": ["kubernetes"], "count": 2})).await;
    let attempt = first["attempt_id"].as_str().expect("attempt");
    assert!(first["follow_up"]["concept"].is_string(), "{first}");
    let next = first["next"]["id"].as_str().expect("a second question");
    const NOT_ANSWERED: &str =
        "<div class=\"bubble candidate not-answered\"><span class=\"who\">You</span><p class=\"answer-text skipped\"><em>Not answered</em></p></div>";

    // Act
    let waiting = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
    app.answer(&id, next, "A deployment keeps the desired number of replicas running.").await;
    let moved_on = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");

    // Assert: while it waits, the mark is there for the script, hidden.
    assert!(waiting.contains("id=\"follow-up-form\""), "{waiting}");
    assert!(waiting.contains("not-answered\" hidden data-not-answered>"), "{waiting}");
    assert!(!waiting.contains(NOT_ANSWERED), "{waiting}");
    // Moved on: the first answer's follow-up is still there, marked, and holds nothing back.
    let first_exchange = moved_on
        .split(&format!("id=\"a-{attempt}\""))
        .nth(1)
        .and_then(|rest| rest.split("id=\"q-2\"").next())
        .expect("the first exchange, then the second question");
    let follow_up = first_exchange.split(&format!("id=\"follow-up-{attempt}\"")).nth(1).expect("its follow-up");
    assert!(follow_up.contains(NOT_ANSWERED), "{follow_up}");
    assert!(!first_exchange.contains("data-held-back") && !first_exchange.contains("data-ends-follow-up"));
}

/// An answer's missed concept held back for its follow-up is said to be the follow-up's
/// in the same words on screen (the Missed list and the summary) and in the live-region
/// announcement, which counted it among the missed without a word (the list showed
/// "one more point" alone); after the reply it is named everywhere.
#[tokio::test]
async fn a_held_back_point_is_said_to_be_the_follow_ups_on_screen_and_aloud() {
    let app = spawn_app().await;
    let (id, _, result) = weak_answer_graded(&app, json!({"question": "k8s-scaling"})).await;
    let concept = result["follow_up"]["concept"].as_str().expect("a follow-up").to_string();
    const SAID: &str = "one more point — the follow-up asks about it";
    let announced = |page: &str| -> String {
        let (_, rest) = page.split_once("data-announce=\"").expect("an announcement");
        rest.split('"').next().unwrap_or_default().to_string()
    };

    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
    let missed = result["missed"].as_array().expect("missed").len();
    assert!(page.contains(&format!("<li data-held-back-note><span class=\"chip miss\">{SAID}</span>")), "{page}");
    assert!(
        announced(&page).ends_with(&format!("{missed} missed, one of them the point the follow-up asks about.")),
        "{}",
        announced(&page)
    );
    let work_on = page.split_once("id=\"to-work-on\"").expect("concepts to work on").1;
    assert!(work_on.contains(&format!("<span class=\"chip miss\" data-held-back-note>{SAID}</span>")), "{work_on}");

    let attempt = result["attempt_id"].as_str().expect("attempt");
    let path = format!("/api/v1/interviews/{id}/follow-ups");
    assert_eq!(app.post_json(&path, &json!({"attempt_id": attempt, "answer": "no idea"})).await.status(), 200);
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
    assert!(!page.contains("one more point") && !page.contains("data-held-back"), "{page}");
    assert!(announced(&page).ends_with(&format!("{missed} missed.")), "{}", announced(&page));
    let work_on = page.split_once("id=\"to-work-on\"").expect("concepts to work on").1;
    assert!(work_on.contains(&format!("<span class=\"chip miss\">{concept}</span>")), "named: {work_on}");
}

/// Ending an interview while its follow-up waits leaves the follow-up without a reply:
/// the summary does not offer it again (it did, with a reply box the page's script put
/// the keyboard in, and held its point back as "one more"): it is marked not answered,
/// and the answer's feedback, its Missed list and the summary name the point.
#[tokio::test]
async fn an_interview_ended_while_a_follow_up_waits_offers_it_no_more() {
    let app = spawn_app_with(|s| {
        s.limits.interviews_per_minute = 1_000;
        s.limits.answers_per_minute = 1_000;
    })
    .await;
    app.signed_up().await;
    // An interview whose first answer's follow-up holds its point back.
    let mut held_back = None;
    for _ in 0..30 {
        let started = json_of(app.start_interview(&json!({"topics": ["kubernetes"], "count": 2})).await).await;
        let id = started["id"].as_str().expect("id").to_string();
        let qid = started["question"]["id"].as_str().expect("question").to_string();
        let result = json_of(app.answer(&id, &qid, WEAK).await).await;
        if result["feedback"].as_str().is_some_and(|f| f.ends_with("follow-up asks about one more point.")) {
            held_back = Some((id, result));
            break;
        }
    }
    let (id, result) = held_back.expect("a weak answer whose follow-up holds its point back");
    let concept = result["follow_up"]["concept"].as_str().expect("a follow-up").to_string();
    let waiting = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");
    assert!(waiting.contains("id=\"follow-up-form\"") && waiting.contains("data-held-back"), "{waiting}");

    let ended = app.post_form(&format!("/interviews/{id}/finish"), &[]).await;
    assert!(ended.status().is_redirection(), "{}", ended.status());
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("page");

    assert!(page.contains("Interview ended"), "{page}");
    assert!(!page.contains("id=\"follow-up-form\"") && !page.contains("follow-up-open-note"), "not offered again");
    assert!(
        page.contains("<div class=\"bubble candidate not-answered\"><span class=\"who\">You</span><p class=\"answer-text skipped\"><em>Not answered</em></p></div>"),
        "{page}"
    );
    assert!(!page.contains("data-held-back") && !page.contains("one more point"), "nothing held back: {page}");
    assert!(page.contains(&format!("The follow-up asked about {concept}.")), "the feedback names it");
    assert!(page.contains(&format!("<li><span class=\"chip miss\">{concept}</span>")), "the Missed list names it");
    let summary = page.split_once("id=\"summary\"").expect("the summary").1;
    assert!(summary.contains(&format!("<span class=\"chip miss\">{concept}</span>")), "{summary}");
}
