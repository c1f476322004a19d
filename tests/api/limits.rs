//! Per-user limits on costly requests: a script looping on one account is refused with
//! 429 and `Retry-After`, on the API and the pages, without losing typed text; other
//! users keep their own budget.
use rehearse::configuration::Limits;
use serde_json::{json, Value};

use crate::helpers::{json_of, new_client, spawn_app_with, TestApp};

/// Every limit at 4 a minute: a burst of one, then a wait of about 15 seconds.
async fn tight() -> TestApp {
    spawn_app_with(|s| {
        s.limits =
            Limits { answers_per_minute: 4, interviews_per_minute: 4, gradings_per_minute: 4, ..Limits::default() };
    })
    .await
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds")
}

async fn assert_limited(response: reqwest::Response, what: &str) {
    assert_eq!(response.status(), 429, "{what}");
    let wait = retry_after(&response);
    assert!((1..=15).contains(&wait), "{what}: wait {wait}");
    let body: Value = json_of(response).await;
    assert_eq!(body["error"]["code"], "too_many_requests", "{what}: {body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains(what)), "{body}");
}

#[tokio::test]
async fn new_interviews_answers_and_gradings_are_limited_per_user() {
    let app = tight().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 3})).await).await;
    let sent = std::time::Instant::now();
    let refused = app.start_interview(&json!({"count": 3})).await;
    // A refusal is held back a second, so a client retrying in a loop slows itself.
    assert!(sent.elapsed() >= std::time::Duration::from_millis(900), "{:?}", sent.elapsed());
    assert_limited(refused, "new interviews").await;

    let id = started["id"].as_str().expect("id");
    let qid = started["question"]["id"].as_str().expect("question");
    let first = app.answer(id, qid, "Containers share the host kernel.").await;
    assert_eq!(first.status(), 200);
    let next = json_of(first).await["next"]["id"].as_str().expect("next").to_string();
    assert_limited(app.answer(id, &next, "Images are layered.").await, "answers").await;
    let history = json_of(app.get("/api/v1/me/history").await).await;
    assert_eq!(history["attempts"].as_array().map(Vec::len), Some(1), "the refused answer was not stored");

    let grade = json!({"reference": "A pod is a group of containers.", "answer": "Containers in a group."});
    assert_eq!(app.post_json("/api/v1/grade", &grade).await.status(), 200);
    assert_limited(app.post_json("/api/v1/grade", &grade).await, "gradings").await;

    // Another user has a budget of their own.
    let other = new_client();
    let post = |path: &str, body: Value| other.post(app.url(path)).json(&body).send();
    let signed_up = post("/api/v1/register", json!({"username": "other", "password": "correct horse battery"}));
    assert_eq!(signed_up.await.expect("request").status(), 201);
    assert_eq!(post("/api/v1/interviews", json!({"count": 3})).await.expect("request").status(), 201);
    assert_eq!(post("/api/v1/grade", grade.clone()).await.expect("request").status(), 200);
}

#[tokio::test]
async fn a_limited_answer_on_the_page_comes_back_in_its_form() {
    let app = tight().await;
    app.signed_up().await;
    let started = json_of(app.start_interview(&json!({"count": 3})).await).await;
    let id = started["id"].as_str().expect("id");
    let qid = started["question"]["id"].as_str().expect("question");
    let first = json_of(app.answer(id, qid, "Containers share the host kernel.").await).await;
    let next = first["next"]["id"].as_str().expect("next").to_string();
    let typed = "Layers are cached and shared between images.";
    let refused =
        app.post_form(&format!("/interviews/{id}/answer"), &[("question_id", &next), ("answer", typed)]).await;
    assert_eq!(refused.status(), 429);
    assert!(retry_after(&refused) >= 1);
    let html = refused.text().await.expect("html");
    assert!(html.contains(typed), "the typed answer is given back");
    assert!(html.contains("Too many answers"), "the reason is shown");
}

/// "Practise this question" refused for starting too many interviews in a row: the
/// practice page says why, keeps the mode, and offers that question again.
#[tokio::test]
async fn a_limited_practise_this_question_offers_the_question_again() {
    let app = tight().await;
    app.signed_up().await;
    assert_eq!(app.start_interview(&json!({"count": 3})).await.status(), 201);
    let qid = "k8s-pod-vs-deployment";
    let refused = app.post_form("/interviews", &[("question", qid), ("mode", "drill")]).await;
    assert_eq!(refused.status(), 429);
    assert!(retry_after(&refused) >= 1);
    let html = refused.text().await.expect("html");
    assert!(html.contains("Too many new interviews"), "the reason is shown: {html}");
    assert!(html.contains(&format!(r#"name="question" value="{qid}""#)), "the question is offered again");
    let again = html.split("id=\"practise-again\"").nth(1).unwrap_or_default();
    assert!(again.contains("pod and a deployment"), "by its prompt: {again:.400}");
    assert!(html.contains(r#"value="drill" id="mode-drill" checked"#), "the mode is kept");
}

async fn register(client: &reqwest::Client, app: &TestApp, name: &str, forwarded: Option<&str>) -> reqwest::Response {
    let mut request =
        client.post(app.url("/api/v1/register")).json(&json!({"username": name, "password": "correct horse battery"}));
    if let Some(address) = forwarded {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.expect("request")
}

/// Mass sign-up and password spraying come from one address over many usernames: both
/// are limited per address, and only valid sign-ups count.
#[tokio::test]
async fn sign_ups_and_logins_are_limited_per_address() {
    let app = spawn_app_with(|s| {
        s.limits = Limits { signups_per_hour_per_address: 2, logins_per_minute_per_address: 3, ..Limits::default() };
    })
    .await;
    let short = app.register("shorty", "short").await;
    assert_eq!(short.status(), 422, "an invalid sign-up is refused for itself and not counted");
    for name in ["ann", "bob"] {
        assert_eq!(register(&new_client(), &app, name, None).await.status(), 201);
    }
    let third = register(&new_client(), &app, "cyd", None).await;
    assert_eq!(third.status(), 429);
    assert!(retry_after(&third) >= 1);
    let message = json_of(third).await["error"]["message"].as_str().unwrap_or("").to_string();
    assert!(message.contains("sign-ups from your network address"), "{message}");

    // Three login attempts over three usernames, then even the right password waits.
    for name in ["x1", "x2", "x3"] {
        assert_eq!(app.login(name, "not the password").await.status(), 401);
    }
    let sprayed = app.login("ann", "correct horse battery").await;
    assert_eq!(sprayed.status(), 429);
    let message = json_of(sprayed).await["error"]["message"].as_str().unwrap_or("").to_string();
    assert!(message.contains("login attempts from your network address"), "{message}");
}

/// Behind a proxy every request comes from the proxy: with `trust_forwarded_for` the
/// address the proxy appended counts; without it the header is ignored (anyone could
/// send it).
#[tokio::test]
async fn the_forwarded_address_counts_only_when_trusted() {
    let trusted = spawn_app_with(|s| {
        s.limits = Limits { signups_per_hour_per_address: 1, ..Limits::default() };
        s.trust_forwarded_for = true;
    })
    .await;
    let proxy = |client: &str| format!("{client}, 10.0.0.7");
    assert_eq!(register(&new_client(), &trusted, "proxied1", Some("10.0.0.7")).await.status(), 201);
    assert_eq!(register(&new_client(), &trusted, "proxied2", Some(&proxy("10.0.0.7"))).await.status(), 429);
    assert_eq!(
        register(&new_client(), &trusted, "proxied3", Some("198.51.100.2")).await.status(),
        201,
        "another client"
    );

    let direct = spawn_app_with(|s| s.limits = Limits { signups_per_hour_per_address: 1, ..Limits::default() }).await;
    assert_eq!(register(&new_client(), &direct, "direct1", Some("198.51.100.1")).await.status(), 201);
    let spoofed = register(&new_client(), &direct, "direct2", Some("198.51.100.99")).await;
    assert_eq!(spoofed.status(), 429, "an untrusted X-Forwarded-For does not buy a new budget");
}

/// Group creation is limited per user, and one account belongs to at most 50 groups:
/// a loop on `POST /groups` can no longer grow the database and every member's pages.
#[tokio::test]
async fn group_creation_is_limited_and_memberships_are_capped() {
    let app = crate::helpers::spawn_app().await;
    let name = app.signed_up().await;
    let me = json_of(app.get("/api/v1/me").await).await;
    let user_id = me["id"].as_str().expect("id").to_string();
    // 49 groups made straight in the database (the API would take minutes to allow it).
    let db = app.db().await;
    for i in 0..49 {
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query("INSERT INTO groups (id, name, owner_id, invite_code, created_at) VALUES ($1, $2, $3, $4, 0)")
            .bind(&id)
            .bind(format!("g{i}"))
            .bind(&user_id)
            .bind(format!("CODE{i:06}"))
            .execute(&db)
            .await
            .expect("group");
        sqlx::query("INSERT INTO group_members (group_id, user_id, joined_at) VALUES ($1, $2, 0)")
            .bind(&id)
            .bind(&user_id)
            .execute(&db)
            .await
            .expect("member");
    }
    let fiftieth = app.post_json("/api/v1/groups", &json!({"name": "fiftieth"})).await;
    assert_eq!(fiftieth.status(), 201, "the 50th membership is allowed");
    let full = app.post_json("/api/v1/groups", &json!({"name": "one too many"})).await;
    assert_eq!(full.status(), 409);
    let message = json_of(full).await["error"]["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("50 groups") && message.contains("leave one"), "{message}");
    // A third creation in a burst is refused by the rate limit, with the wait.
    assert_limited(app.post_json("/api/v1/groups", &json!({"name": "again"})).await, "new groups").await;

    // Joining is refused at the cap too, on the page with the code kept in the form...
    let other = app.other_client();
    other.signed_up().await;
    let (_, code) = other.create_group("Their group").await;
    let joined = app.post_json("/api/v1/groups/join", &json!({"code": code})).await;
    assert_eq!(joined.status(), 409);
    let page = app.post_form("/groups/join", &[("code", &code)]).await;
    assert_eq!(page.status(), 409);
    let html = page.text().await.expect("html");
    assert!(html.contains("50 groups") && html.contains(&code), "the typed code is kept: {html}");
    // ...but a group one is in already says so instead.
    let own_code = {
        let mine = json_of(app.get("/api/v1/groups").await).await;
        let g = mine["groups"].as_array().expect("groups").iter().find(|g| g["name"] == "fiftieth").cloned();
        let g = g.expect("the fiftieth group");
        g["invite_code"].as_str().unwrap_or_default().to_string()
    };
    let again = app.post_form("/groups/join", &[("code", &own_code)]).await;
    assert_eq!(again.status(), 303, "{name}");
    let to = again.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
    let landed = app.get(&to).await.text().await.expect("html");
    assert!(landed.contains("You are in this group already."), "{landed}");
}
