//! Every form write needs the CSRF token of the browser's own pages.
use crate::helpers::{csrf_token_of, json_of, new_client, spawn_app};

#[tokio::test]
async fn a_form_without_its_token_is_refused_and_nothing_changes() {
    let app = spawn_app().await;
    app.signed_up().await;
    let started = app.post_form("/interviews", &[("topic", "docker"), ("count", "1")]).await;
    assert_eq!(started.status(), 303, "with its token the form works");
    let page = started.headers()["location"].to_str().expect("location").to_string();
    let html = app.get(&page).await.text().await.expect("html");
    let qid = html.split(r#"name="question_id" value=""#).nth(1).and_then(|r| r.split('"').next()).expect("question");
    let answer = "A container image is built in layers <and> each one is cached.";
    let someone_else = csrf_token_of(&new_client(), &app.address).await;

    for (case, token) in
        [("no token", None), ("another browser's token", Some(someone_else.as_str())), ("garbage", Some("zz"))]
    {
        let mut form = vec![("question_id", qid), ("answer", answer)];
        if let Some(token) = token {
            form.push(("csrf_token", token));
        }
        let response = app.client.post(app.url(&format!("{page}/answer"))).form(&form).send().await.expect("request");

        assert_eq!(response.status(), 403, "{case}");
        let body = response.text().await.expect("html");
        assert!(body.contains("Nothing was changed") && body.contains("send the form again"), "{case}: {body}");
        assert!(body.contains("A container image is built in layers"), "{case}: the typed answer is given back");
        assert!(!body.contains("<and>"), "{case}: escaped");
        assert!(body.contains(r#"action="/logout""#), "{case}: the header still shows who is logged in");
    }
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(stored, 0, "no refused answer was stored");

    let sent = app.post_form(&format!("{page}/answer"), &[("question_id", qid), ("answer", answer)]).await;
    assert_eq!(sent.status(), 303, "with the token the answer is taken");
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn logout_and_login_forms_need_their_token_too() {
    let app = spawn_app().await;
    app.register("quinn", "correct horse battery").await;

    let logout = app.client.post(app.url("/logout")).form(&[("x", "")]).send().await.expect("request");
    assert_eq!(logout.status(), 403, "a forged logout");
    assert_eq!(app.get("/api/v1/me").await.status(), 200, "still logged in");

    // Login CSRF: a form that would log a visitor in to someone else's account.
    let visitor = new_client();
    let login_form = [("username", "quinn"), ("password", "correct horse battery")];
    let forged = visitor.post(app.url("/login")).form(&login_form).send().await.expect("request");
    assert_eq!(forged.status(), 403);
    assert!(
        forged
            .headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap_or("").starts_with("rehearse_session=")),
        "no session for a forged login"
    );
    let token = csrf_token_of(&visitor, &app.address).await;
    let mut with_token = login_form.to_vec();
    with_token.push(("csrf_token", &token));
    let real = visitor.post(app.url("/login")).form(&with_token).send().await.expect("request");
    assert_eq!(real.status(), 303, "the login page's own token (a pre-session cookie) works");
    let signup = visitor.post(app.url("/signup")).form(&[("username", "rosa"), ("password", "correct horse battery")]);
    assert_eq!(signup.send().await.expect("request").status(), 403, "sign-up too");
}

/// A pre-session cookie is whatever the browser sends, so its token proves nothing
/// beside a session: a cookie planted from a neighbouring origin, with the token the
/// login page gives for it, must not pass a logged-in form (a hostile probe's finding).
#[tokio::test]
async fn a_logged_in_form_needs_its_sessions_token_not_a_planted_cookies() {
    let app = spawn_app().await;
    assert_eq!(app.register("vera", "correct horse battery").await.status(), 201);
    let bare = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let login = bare
        .post(app.url("/api/v1/login"))
        .json(&serde_json::json!({"username": "vera", "password": "correct horse battery"}))
        .send()
        .await
        .expect("request");
    assert_eq!(login.status(), 200);
    let session = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok()?.strip_prefix("rehearse_session="))
        .map(|c| c.split(';').next().unwrap_or("").to_string())
        .next()
        .expect("a session cookie");
    let token_in = |html: &str| {
        let (_, rest) = html.split_once(r#"name="csrf_token" value=""#).expect("a form with a token");
        rest.split('"').next().unwrap_or("").to_string()
    };
    let planted = "f".repeat(64);
    // Requests that carry exactly the cookies given (the client keeps none of its own).
    let get = |path: &str, cookie: String| bare.get(app.url(path)).header("cookie", cookie).send();
    let post = |path: &str, cookie: String, form: &[(&str, &str)]| {
        bare.post(app.url(path)).header("cookie", cookie).form(form).send()
    };
    let both = format!("rehearse_session={session}; rehearse_csrf={planted}");
    let login_page = get("/login", format!("rehearse_csrf={planted}")).await.expect("request");
    let planted_token = token_in(&login_page.text().await.expect("html"));

    for path in ["/account/logout-everywhere", "/account/sharing"] {
        let form = [("csrf_token", planted_token.as_str()), ("share_progress", "on")];
        let forged = post(path, both.clone(), &form).await.expect("request");
        assert_eq!(forged.status(), 403, "{path}: a planted cookie's token beside a session");
    }
    let only_session = format!("rehearse_session={session}");
    assert_eq!(get("/api/v1/me", only_session.clone()).await.expect("request").status(), 200, "not logged out");
    let settings = get("/api/v1/me/settings", only_session).await.expect("request");
    assert_eq!(json_of(settings).await["share_progress"], false, "nor its sharing changed");

    let account = get("/account", both.clone()).await.expect("request").text().await.expect("html");
    let own = post("/account/logout-everywhere", both, &[("csrf_token", token_in(&account).as_str())]).await;
    assert_eq!(own.expect("request").status(), 303, "the session's own token works");
}
