//! Logging in again after the session ended lands on a page, not on a form's target.
use crate::helpers::{json_of, new_client, spawn_app};
use serde_json::json;

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

#[tokio::test]
async fn an_answer_sent_after_the_session_ended_leads_back_to_its_interview_after_login() {
    // Arrange: an interview, then the session is gone (another browser, expired cookie).
    let mut app = spawn_app().await;
    let name = app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 2})).await).await;
    let interview = started["id"].as_str().expect("id").to_string();
    let question = started["question"]["id"].as_str().expect("q").to_string();
    app.client = new_client();

    // Act: the answer form is sent without a session, and the login it asks for is done.
    let refused = app
        .post_form(&format!("/interviews/{interview}/answer"), &[("question_id", &question), ("answer", "A pod.")])
        .await;
    assert_eq!(refused.status(), 303);
    let login_page = location(&refused);
    assert!(login_page.starts_with("/login?next="), "{login_page}");
    let form = app.get(&login_page).await.text().await.expect("html");
    assert!(
        form.contains("Your session ended, so your last answer was not sent. Log in and send it again"),
        "the login page says the answer was not sent, not only that a login is needed: {form}"
    );
    assert!(!form.contains("Log in to see that page"), "one reason, the one that matters");
    let next = form.split("name=\"next\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("next field");
    let logged_in =
        app.post_form("/login", &[("username", &name), ("password", "correct horse battery"), ("next", next)]).await;

    // Assert: the interview is shown, not a 404 for a URL that only takes POST.
    assert_eq!(logged_in.status(), 303);
    assert_eq!(location(&logged_in), format!("/interviews/{interview}"));
    let page = app.get(&location(&logged_in)).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("html").contains("Question 1 of 2"), "the question is still waiting");

    // A target with no page of its own lands on the practice page.
    for next in ["/interviews", "/logout", "/attempts/x/claims"] {
        app.client = new_client();
        let response = app
            .post_form("/login", &[("username", &name), ("password", "correct horse battery"), ("next", next)])
            .await;
        assert_eq!(location(&response), "/practice", "{next}");
    }
}

#[tokio::test]
async fn the_login_page_says_why_only_when_a_page_sent_the_user_there() {
    let app = spawn_app().await;
    let sent = app.get("/login?next=/progress").await.text().await.expect("html");
    assert!(sent.contains("Log in to see that page"), "{sent}");
    // Sent from an interview's form: what the form carried was not taken, and it says so.
    for (next, says) in [
        ("/interviews/abc/answer", "your last answer was not sent"),
        ("/interviews/abc/follow-up", "your reply to the follow-up was not sent"),
        ("/interviews/abc/finish", "the interview was not ended"),
    ] {
        let page = app.get(&format!("/login?next={next}")).await.text().await.expect("html");
        assert!(page.contains(&format!("Your session ended, so {says}")), "{next}: {page}");
    }
    for plain in ["/login", "/login?next=//evil.example", "/login?next=/interviews/abc"] {
        let page = app.get(plain).await.text().await.expect("html");
        assert!(!page.contains("Your session ended"), "{plain}: nothing was lost");
    }
    for plain in ["/login", "/login?next=//evil.example"] {
        let page = app.get(plain).await.text().await.expect("html");
        assert!(!page.contains("Log in to see that page"), "{plain}: no reason to explain");
    }
}

#[tokio::test]
async fn a_failed_login_still_says_the_answer_was_not_sent_and_leads_back_after() {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 2})).await).await;
    let interview = started["id"].as_str().expect("id").to_string();
    let visitor = app.other_client();
    let form = visitor.get(&format!("/login?next=/interviews/{interview}/answer")).await.text().await.expect("html");
    let next = form.split("name=\"next\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("next field");

    // A mistyped password: the page says so, and still that the answer was not sent.
    let refused =
        visitor.post_form("/login", &[("username", &name), ("password", "not my password"), ("next", next)]).await;
    assert_eq!(refused.status(), 401);
    let page = refused.text().await.expect("html");
    assert!(page.contains("Your session ended, so your last answer was not sent"), "{page}");
    let next = page.split("name=\"next\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("next field");

    // Then the right one: back to the interview, not to a URL that only takes POST.
    let logged_in = visitor
        .post_form("/login", &[("username", &name), ("password", "correct horse battery"), ("next", next)])
        .await;
    assert_eq!(logged_in.status(), 303);
    assert_eq!(location(&logged_in), format!("/interviews/{interview}"));
    // A refused login from a plain page says nothing about a lost answer.
    let plain = visitor.post_form("/login", &[("username", &name), ("password", "nope"), ("next", "/progress")]).await;
    assert!(!plain.text().await.expect("html").contains("Your session ended"), "nothing was lost");
}
