use crate::helpers::{json_of, spawn_app};
use serde_json::json;

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

#[tokio::test]
async fn anonymous_visitors_see_the_landing_page_and_are_sent_to_login_elsewhere() {
    let app = spawn_app().await;
    let landing = app.get("/").await;
    assert_eq!(landing.status(), 200);
    assert!(landing.text().await.expect("html").contains("Sign up"));
    for path in ["/practice", "/history", "/interviews/00000000-0000-0000-0000-000000000000"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert!(location(&response).starts_with("/login?next=/"), "{path} → {}", location(&response));
    }
    assert_eq!(app.get("/login").await.status(), 200);
    assert_eq!(app.get("/signup").await.status(), 200);
    let missing = app.get("/no-such-page").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.expect("html").contains("Page not found"));
}

#[tokio::test]
async fn the_html_flow_signs_up_interviews_grades_and_records_history() {
    let app = spawn_app().await;
    let signup = app
        .post_form("/signup", &[("username", "dana"), ("password", "correct horse battery"), ("next", "/practice")])
        .await;
    assert_eq!(signup.status(), 303);
    assert_eq!(location(&signup), "/practice");
    let practice = app.get("/practice").await.text().await.expect("html");
    assert!(practice.contains("Kubernetes") && practice.contains("Docker"));
    // A topic on the home page leads to the practice form with that topic chosen.
    let home = app.get("/").await.text().await.expect("html");
    assert!(home.contains(r#"<a href="/practice?topic=docker">Docker</a>"#), "{home}");
    let chosen = app.get("/practice?topic=docker").await.text().await.expect("html");
    assert!(chosen.contains(r#"value="docker" checked"#), "{chosen}");

    let created = app.post_form("/interviews", &[("topic", "docker"), ("topic", "kubernetes"), ("count", "3")]).await;
    assert_eq!(created.status(), 303);
    let page_url = location(&created);
    assert!(page_url.starts_with("/interviews/"));
    let page = app.get(&page_url).await.text().await.expect("html");
    assert!(page.contains("Question 1 of 3") && page.contains("name=\"question_id\""));
    let qid = page
        .split("name=\"question_id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("question id")
        .to_string();

    let empty = app.post_form(&format!("{page_url}/answer"), &[("question_id", &qid), ("answer", "  ")]).await;
    assert_eq!(empty.status(), 422);
    assert!(empty.text().await.expect("html").contains("Your answer is empty"));
    let long = "containers ".repeat(1000);
    let too_long = app.post_form(&format!("{page_url}/answer"), &[("question_id", &qid), ("answer", &long)]).await;
    assert_eq!(too_long.status(), 422);
    assert!(too_long.text().await.expect("html").contains(long.trim()), "the refused text is given back");

    let answered = app
        .post_form(
            &format!("{page_url}/answer"),
            &[("question_id", &qid), ("answer", "Containers share the host kernel."), ("time_taken_ms", "4200")],
        )
        .await;
    assert_eq!(answered.status(), 303);
    assert!(location(&answered).starts_with(&format!("{page_url}#a-")), "{}", location(&answered));
    let after = app.get(&page_url).await.text().await.expect("html");
    assert!(after.contains("Show model answer") && after.contains("/100") && after.contains("Question 1 of 3</span>"));
    // Without the script the next question shows below the feedback, and the heading's
    // no-script half names it.
    assert!(after.contains(r#"<span class="no-js">Question 2 of 3</span></h1>"#), "{after}");
    assert!(after.contains("data-next=\"Mock interview · Question 2 of 3\""), "the next question waits behind 'Next'");

    // A refused follow-up reply comes back in the follow-up form, with the reason.
    assert!(after.contains("id=\"follow-up-form\""), "a weak answer gets a follow-up");
    {
        let attempt =
            after.split("name=\"attempt_id\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("attempt");
        let refused =
            app.post_form(&format!("{page_url}/follow-up"), &[("attempt_id", attempt), ("answer", " ")]).await;
        assert_eq!(refused.status(), 422);
        let body = refused.text().await.expect("html");
        let error = body.find("Your answer is empty").expect("reason shown");
        assert!(error > body.find("id=\"follow-up-form\"").expect("form"), "shown in the follow-up form");
    }

    // A retry supersedes the pending follow-up: only one answer box stays open.
    let retried = app
        .post_form(
            &format!("{page_url}/answer"),
            &[("question_id", &qid), ("answer", "Containers share the host kernel."), ("retry", "1")],
        )
        .await;
    assert_eq!(retried.status(), 303);
    let after_retry = app.get(&page_url).await.text().await.expect("html");
    assert!(!after_retry.contains("id=\"follow-up-form\""), "no follow-up left waiting after a retry");
    assert!(
        after_retry.contains("You · retry") && after_retry.contains("data-next=\"Mock interview · Question 2 of 3\"")
    );

    let history = app.get("/history").await.text().await.expect("html");
    assert!(history.contains(&page_url) && history.contains("1/3 answered"));
    let time: Option<i64> = sqlx::query_scalar("SELECT time_taken_ms FROM attempts WHERE kind = 'answer'")
        .fetch_one(&app.db().await)
        .await
        .expect("row");
    assert_eq!(time, Some(4200), "time taken is stored");
}

#[tokio::test]
async fn login_page_reports_bad_credentials_and_never_redirects_off_site() {
    let app = spawn_app().await;
    app.post_form("/signup", &[("username", "erin"), ("password", "correct horse battery")]).await;
    app.post_form("/logout", &[]).await;

    let wrong = app.post_form("/login", &[("username", "erin"), ("password", "nope nope nope")]).await;
    assert_eq!(wrong.status(), 401);
    let body = wrong.text().await.expect("html");
    assert!(body.contains("Wrong username or password") && body.contains("value=\"erin\""));
    // The cursor waits in the password box, not the username already typed.
    let field = |id: &str| {
        body.split(&format!("id=\"{id}\"")).nth(1).and_then(|r| r.split('>').next()).unwrap_or("").to_string()
    };
    assert!(field("password").contains("autofocus") && !field("username").contains("autofocus"), "{body}");

    let right = app
        .post_form(
            "/login",
            &[("username", "erin"), ("password", "correct horse battery"), ("next", "//evil.example/")],
        )
        .await;
    assert_eq!(right.status(), 303);
    assert_eq!(location(&right), "/practice");
    // A tab or newline after the slash makes a browser treat the rest as another host;
    // control characters would not fit in a header. All land on the practice page.
    for next in ["/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: x=1", "/ /evil.example", "/\u{7f}x"] {
        app.post_form("/logout", &[]).await;
        let response = app
            .post_form("/login", &[("username", "erin"), ("password", "correct horse battery"), ("next", next)])
            .await;
        assert_eq!(response.status(), 303, "{next:?}");
        assert_eq!(location(&response), "/practice", "{next:?}");
    }
    // A local path is still followed.
    app.post_form("/logout", &[]).await;
    let local = app
        .post_form("/login", &[("username", "erin"), ("password", "correct horse battery"), ("next", "/progress")])
        .await;
    assert_eq!(location(&local), "/progress");
    let dup = app.post_form("/signup", &[("username", "ERIN"), ("password", "correct horse battery")]).await;
    assert_eq!(dup.status(), 409);
}

#[tokio::test]
async fn a_form_missing_fields_gets_a_readable_error_page() {
    let app = spawn_app().await;
    app.post_form("/signup", &[("username", "fay"), ("password", "correct horse battery")]).await;

    let response = app.post_form("/interviews/00000000-0000-0000-0000-000000000000/answer", &[("answer", "hi")]).await;

    assert_eq!(response.status(), 400);
    assert!(response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .starts_with("text/html"));
    assert!(response.text().await.expect("html").contains("The form could not be read"));
}

#[tokio::test]
async fn the_practice_page_can_open_with_a_topic_ticked() {
    let app = crate::helpers::spawn_app().await;
    app.signed_up().await;
    let page = app.get("/practice?topic=kubernetes").await.text().await.expect("html");
    assert!(page.contains(r#"value="kubernetes" checked"#), "the topic is ticked");
    assert!(!page.contains(r#"value="docker" checked"#), "and only that one");
    let plain = app.get("/practice").await.text().await.expect("html");
    assert!(!plain.contains(r#"value="kubernetes" checked"#), "nothing ticked without the query");
    // `&count=N` (an assignment's length) picks the length; one the list lacks joins
    // it, more than an interview holds picks the longest, and nonsense the default.
    let selected = |page: &str| -> Vec<String> {
        let select = page.split(r#"id="count""#).nth(1).and_then(|r| r.split("</select>").next()).unwrap_or("");
        select
            .split("<option value=\"")
            .filter_map(|o| o.split_once("\" selected>").map(|(n, _)| n.to_string()))
            .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
            .collect()
    };
    assert_eq!(selected(&plain), ["5"], "five by default");
    for (query, expected) in [("8", "8"), ("7", "7"), ("500", "20"), ("0", "5"), ("many", "5")] {
        let page = app.get(&format!("/practice?topic=kubernetes&count={query}")).await.text().await.expect("html");
        assert_eq!(selected(&page), [expected], "count={query}");
        assert!(page.contains(&format!(r#"<option value="{expected}""#)), "count={query}");
    }
}

#[tokio::test]
async fn every_page_starts_with_a_skip_link_to_its_content() {
    let app = crate::helpers::spawn_app().await;
    for path in ["/", "/login", "/signup"] {
        let page = app.get(path).await.text().await.expect("html");
        let skip = page.find(r##"<a class="skip-link" href="#main">"##).expect("a skip link");
        let nav = page.find("<nav>").expect("the navigation");
        assert!(skip < nav, "{path}: the skip link comes before the navigation");
        assert!(page.contains(r#"<main id="main""#), "{path}: it leads to the content");
    }
}

#[tokio::test]
async fn an_interview_shorter_than_asked_for_says_why() {
    let app = crate::helpers::spawn_app().await;
    app.signed_up().await;
    // The bundled serverless topic has 13 questions.
    let created = app.post_form("/interviews", &[("topic", "serverless"), ("count", "20")]).await;
    assert_eq!(created.status(), 303);
    let url = location(&created);
    assert!(url.ends_with("?asked=20"), "{url}");
    let page = app.get(&url).await.text().await.expect("html");
    assert!(page.contains("Question 1 of 13"), "the interview has what the topic has");
    assert!(
        page.contains("You asked for 20 questions; the topics you chose have 13 questions to ask, so this interview has 13 questions."),
        "and says so"
    );
    // Without the query, or with nonsense in it, no notice and no error.
    let plain = url.trim_end_matches("?asked=20");
    for other in [plain.to_string(), format!("{plain}?asked=lots"), format!("{plain}?asked=5")] {
        let response = app.get(&other).await;
        assert_eq!(response.status(), 200, "{other}");
        assert!(!response.text().await.expect("html").contains("You asked for"), "{other}");
    }
    // Asking for what the topic has gives no query and no notice.
    let exact = app.post_form("/interviews", &[("topic", "serverless"), ("count", "3")]).await;
    assert!(!location(&exact).contains('?'), "{}", location(&exact));
}

#[tokio::test]
async fn the_practice_page_offers_to_resume_unfinished_interviews() {
    let app = crate::helpers::spawn_app().await;
    app.signed_up().await;
    let fresh = app.get("/practice").await.text().await.expect("html");
    assert!(!fresh.contains("Pick up where you left off"), "nothing to resume yet");

    let created = app.post_form("/interviews", &[("topic", "docker"), ("count", "1")]).await;
    let url = location(&created);
    let practice = app.get("/practice").await.text().await.expect("html");
    assert!(practice.contains("Pick up where you left off"), "the open interview is offered");
    assert!(practice.contains(&format!("href=\"{url}\"")) && practice.contains("0/1 answered"), "with its progress");

    let page = app.get(&url).await.text().await.expect("html");
    let qid = page.split("name=\"question_id\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("question");
    let answered = app
        .post_form(&format!("{url}/answer"), &[("question_id", qid), ("answer", "Containers share the host kernel.")])
        .await;
    assert_eq!(answered.status(), 303);
    let after = app.get("/practice").await.text().await.expect("html");
    assert!(!after.contains("Pick up where you left off"), "a finished interview is not offered");
}

#[tokio::test]
async fn a_question_page_starts_an_interview_of_that_question() {
    let app = crate::helpers::spawn_app().await;
    app.signed_up().await;
    let page = app.get("/questions/k8s-pod-vs-deployment").await.text().await.expect("html");
    assert!(
        page.contains("Practise this question") && page.contains("name=\"question\" value=\"k8s-pod-vs-deployment\"")
    );
    // Not answered yet, the page is titled for the question, not "Your attempts".
    assert!(page.contains("<title>Question · rehearse</title>"), "{page}");
    let created = app.post_form("/interviews", &[("question", "k8s-pod-vs-deployment")]).await;
    assert_eq!(created.status(), 303);
    let url = location(&created);
    let interview = app.get(&url).await.text().await.expect("html");
    // A practice of one question, named so: not "Mock interview · Question 1 of 1".
    assert!(interview.contains("<h1 class=\"progress\" id=\"progress\">Practice · 1 question</h1>"), "{interview}");
    assert!(interview.contains("<title>Practice · 1 question · rehearse</title>"), "{interview}");
    assert!(!interview.contains("Mock interview") && !interview.contains("of 1"), "{interview}");
    assert!(interview.contains("name=\"question_id\" value=\"k8s-pod-vs-deployment\""), "the chosen one");
    // Once answered, the page offers it again.
    let answered = app
        .post_form(
            &format!("{url}/answer"),
            &[("question_id", "k8s-pod-vs-deployment"), ("answer", "A pod runs containers.")],
        )
        .await;
    assert!(answered.status().is_redirection() || answered.status().is_success(), "{}", answered.status());
    let again = app.get("/questions/k8s-pod-vs-deployment").await.text().await.expect("html");
    assert!(again.contains("Practise it again"), "offered again after an attempt");
    assert!(again.contains("<title>Your attempts · rehearse</title>"), "{again}");
    // Answered, it is still a practice: its page, its summary and the history say so.
    let done = app.get(&url).await.text().await.expect("html");
    assert!(done.contains("id=\"progress\"") && done.contains(">Practice · "), "{done}");
    // While its follow-up waits the tab says so, not "summary" (a walk-through's finding).
    let title = if done.contains("id=\"follow-up-form\"") { "Practice · follow-up" } else { "Practice summary" };
    assert!(done.contains(&format!("<title>{title} · rehearse</title>")), "{done}");
    assert!(!done.contains("Mock interview") && !done.contains("Interview complete"), "{done}");
    let history = app.get("/history").await.text().await.expect("html");
    assert!(history.contains("Practice · Kubernetes · “"), "{history}");
    // A question that does not exist is a clear error page, not a 500.
    let missing = app.post_form("/interviews", &[("question", "no-such-question")]).await;
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.expect("html").contains("There is no question"), "says why");
}

/// A learner who practised one question on the web and answered it briefly: the app, the
/// interview's URL and the question's id.
async fn one_question_answered() -> (crate::helpers::TestApp, String, &'static str) {
    let app = crate::helpers::spawn_app().await;
    app.signed_up().await;
    let created = app.post_form("/interviews", &[("question", "docker-image-vs-container")]).await;
    let url = location(&created);
    let qid = "docker-image-vs-container";
    app.post_form(&format!("{url}/answer"), &[("question_id", qid), ("answer", "An image is a template.")]).await;
    (app, url, qid)
}

#[tokio::test]
async fn the_summary_says_it_counts_first_answers_when_there_were_retries() {
    let (app, url, qid) = one_question_answered().await;
    let before = app.get(&url).await.text().await.expect("html");
    assert!(before.contains("id=\"summary\"") && !before.contains("id=\"retries-note\""), "no retries yet");
    for _ in 0..2 {
        let retried = app
            .post_form(
                &format!("{url}/answer"),
                &[
                    ("question_id", qid),
                    ("answer", "An image is a read-only template; a container runs it."),
                    ("retry", "1"),
                ],
            )
            .await;
        assert!(retried.status().is_redirection(), "{}", retried.status());
    }
    let after = app.get(&url).await.text().await.expect("html");
    assert!(after.contains("id=\"retries-note\"") && after.contains("your 2 retries are kept"), "says so");
    // The concepts the retries covered stay to work on, marked as covered on retry.
    let to_work_on = after.split("id=\"to-work-on\"").nth(1).and_then(|p| p.split("</p>").next()).expect("to work on");
    assert!(to_work_on.contains("retry: covered"), "{to_work_on}");
    assert!(after.contains("id=\"retry-covered-note\""), "and the page says why they stay");
}

/// A one-question interview ("Practise this question") is listed in the history by its
/// question: a walk-through's forty of them read as one line repeated.
#[tokio::test]
async fn the_history_names_the_question_of_a_one_question_interview() {
    let (app, _, _) = one_question_answered().await;
    let history = app.get("/history").await.text().await.expect("html");
    let list = history.split("id=\"interviews\"").nth(1).and_then(|l| l.split("</ul>").next()).expect("the list");
    assert!(list.contains("difference between a Docker image and a container?”"), "{list}");
}

/// One anticipated misconception can contradict two concepts and head the feedback: the
/// page says its correction once (walk-through 5 read the same sentence three times).
#[tokio::test]
async fn a_correction_is_shown_once_however_many_concepts_it_contradicts() {
    let app = spawn_app().await;
    app.signed_up().await;
    let qid = "docker-ports-expose";
    let started = json_of(app.start_interview(&json!({"question": qid})).await).await;
    let id = started["id"].as_str().expect("id").to_string();
    let answer = "EXPOSE publishes the port to the host. Once your Dockerfile says EXPOSE 8080, Docker opens port \
                  8080 on the host machine automatically, so you don't need any flags on docker run.";
    let graded = json_of(app.answer(&id, qid, answer).await).await;
    let wrong = graded["contradicted"].as_array().map_or(0, |c| c.len());
    assert!(wrong >= 2, "two concepts contradicted by one claim: {graded}");
    let page = app.get(&format!("/interviews/{id}")).await.text().await.expect("html");
    let lists = page.split("<strong>Got wrong:</strong>").nth(1).and_then(|p| p.split("</ul>").next()).expect("list");
    assert!(!lists.contains("Check: you said"), "the check is not repeated beside each concept: {lists}");
    assert_eq!(lists.matches("See the check above.").count(), wrong, "{lists}");
}

#[tokio::test]
async fn a_form_address_opened_again_goes_to_the_page_of_its_form() {
    // Arrange: a refused password change is shown at its POST address.
    let app = spawn_app().await;
    app.signed_up().await;
    let refused = app
        .post_form(
            "/account/password",
            &[
                ("current_password", "not my password"),
                ("new_password", "a new password 1"),
                ("new_password_again", "a new password 2"),
            ],
        )
        .await;
    assert!(refused.status().is_client_error(), "{}", refused.status());

    // Act / Assert: that address opened again (address bar, reopened tab, bookmark).
    for (address, page, case) in [
        ("/account/password", "/account#password-heading", "a refused password change"),
        ("/admin/users/u-1/role", "/admin/users", "a refused role change"),
        ("/groups/g-1/assignment", "/groups/g-1#assignment-heading", "a refused assignment"),
        ("/groups/join", "/groups", "a refused invite code"),
        ("/groups/g-1/shared/a-1/mark", "/groups/g-1#shared-a-1", "a refused mark: back to the answer"),
        ("/interviews/i-1/answer", "/interviews/i-1", "an answer sent after the session ended"),
        ("/attempts/a-1/share", "/history", "an attempt's form: the history links to its page"),
    ] {
        let response = app.get(address).await;
        assert_eq!(response.status(), 303, "{case}: {address}");
        assert_eq!(location(&response), page, "{case}");
    }
    let page = app.get("/account").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("html").contains("id=\"password-heading\""));
    // Anything else still is not found.
    assert_eq!(app.get("/groups/g-1/no-such-form").await.status(), 404);
}

#[tokio::test]
async fn every_question_is_listed_by_topic_with_how_the_learner_did_and_can_be_practised_alone() {
    // Arrange: a learner who has answered one question.
    let app = spawn_app().await;
    app.signed_up().await;
    let empty = app.get("/questions").await.text().await.expect("html");
    let started = json_of(app.start_interview(&json!({"count": 1})).await).await;
    let (interview, asked) = (started["id"].as_str().expect("id"), started["question"]["id"].as_str().expect("q"));
    let answered = app.answer(interview, asked, "It depends on the details, but I would keep it simple.").await;
    assert_eq!(answered.status(), 200);

    // Act
    let page = app.get("/questions").await;

    // Assert: every question once, under its topic, with a form to practise it alone.
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("html");
    let items: Vec<&str> = page.split("<li id=\"q-").skip(1).collect();
    let ids: std::collections::BTreeSet<&str> = items.iter().filter_map(|i| i.split('"').next()).collect();
    assert!(items.len() >= 50 && ids.len() == items.len(), "{} items, {} ids", items.len(), ids.len());
    let practice = app.get("/practice").await.text().await.expect("html");
    assert!(practice.contains("href=\"/questions\""), "the practice page leads to the list");
    let listed: usize = practice
        .split(" question")
        .filter_map(|s| s.rsplit("· ").next().and_then(|n| n.trim().parse::<usize>().ok()))
        .sum();
    assert_eq!(items.len(), listed, "as many as the practice page's topics count");
    for topic in ["Docker", "Kubernetes"] {
        assert!(page.contains(&format!("\">{topic} <span")), "{topic} has its heading");
    }
    for item in &items {
        let id = item.split('"').next().expect("id");
        assert!(item.contains(&format!("href=\"/questions/{id}\"")), "{id}: links to its page");
        assert!(item.contains(&format!("name=\"question\" value=\"{id}\"")), "{id}: can be practised alone");
        let answered_here = id == asked;
        assert_eq!(item.contains("not answered yet"), !answered_here, "{id}");
        assert_eq!(item.contains("1 answer<") || item.contains("1 answer\n"), answered_here, "{id}: {item}");
    }
    assert!(!empty.contains("1 answer"), "nothing answered at first: {empty}");

    // The list's button starts an interview of that one question.
    let other = ids.iter().find(|id| **id != asked).expect("another question");
    let started = app.post_form("/interviews", &[("question", other)]).await;
    assert_eq!(started.status(), 303);
    let interview = app.get(&location(&started)).await.text().await.expect("html");
    assert!(interview.contains("Practice · 1 question"), "{interview}");
    assert!(interview.contains(&format!("name=\"question_id\" value=\"{other}\"")), "the one picked");
}
