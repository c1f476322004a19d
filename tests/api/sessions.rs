//! Server-side sessions: a cookie is only as good as its row in the database. Logout,
//! "log out everywhere", a password change and the time-outs all end it, also for
//! copies of the cookie.
use reqwest::{Client, Response};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::time::Duration;

use crate::helpers::{csrf_token_of, json_of, new_client, spawn_app, spawn_app_with, TestApp};

const PASSWORD: &str = "correct horse battery";

/// The session id a response set, as an attacker who copied the cookie would have it.
fn session_cookie(response: &Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("rehearse_session="))
        .and_then(|c| c.split(';').next())
        .filter(|v| !v.is_empty())
        .expect("a session cookie was set")
        .to_string()
}

/// `GET /api/v1/me` from a client that has only the copied cookie.
async fn me_with(app: &TestApp, cookie: &str) -> u16 {
    let response = Client::new()
        .get(app.url("/api/v1/me"))
        .header("cookie", format!("rehearse_session={cookie}"))
        .send()
        .await
        .expect("request");
    response.status().as_u16()
}

/// Logs `name` in on a client of its own (another device); also returns its cookie.
async fn other_device(app: &TestApp, name: &str) -> (Client, String) {
    let device = new_client();
    let response = device
        .post(app.url("/api/v1/login"))
        .json(&json!({"username": name, "password": PASSWORD}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200, "the other device logs in");
    let cookie = session_cookie(&response);
    (device, cookie)
}

async fn status_of(client: &Client, app: &TestApp, path: &str) -> u16 {
    client.get(app.url(path)).send().await.expect("request").status().as_u16()
}

#[tokio::test]
async fn a_cookie_copied_before_logout_is_refused_after_it() {
    let app = spawn_app().await;
    let response = app.register("ivan", PASSWORD).await;
    let copied = session_cookie(&response);
    assert_eq!(me_with(&app, &copied).await, 200, "the copy works while the session lives");

    let logout = app.post_json("/api/v1/logout", &json!({})).await;

    assert_eq!(logout.status(), 204);
    assert_eq!(me_with(&app, &copied).await, 401, "the copied cookie no longer logs in");
    let page = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(app.url("/progress"))
        .header("cookie", format!("rehearse_session={copied}"))
        .send()
        .await
        .expect("request");
    assert_eq!(page.status(), 303, "pages send the copy to the login form");
    let revoked: Option<i64> =
        sqlx::query_scalar("SELECT revoked_at FROM sessions").fetch_one(&app.db().await).await.expect("session row");
    assert!(revoked.is_some(), "the session row is marked revoked");
}

#[tokio::test]
async fn the_logout_button_ends_the_session_on_the_server_too() {
    let app = spawn_app().await;
    let copied = session_cookie(&app.register("ines", PASSWORD).await);

    let logout = app.post_form("/logout", &[]).await;

    assert_eq!(logout.status(), 303);
    let cleared = logout.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).any(|c| {
        c.starts_with("rehearse_session=;") || c.starts_with("rehearse_session=\"\";") || c.contains("Max-Age=0")
    });
    assert!(cleared, "the browser's cookie is cleared");
    assert_eq!(me_with(&app, &copied).await, 401, "and a copy of it is refused");
}

#[tokio::test]
async fn the_database_keeps_only_a_hash_of_the_session_id() {
    let app = spawn_app().await;
    let cookie = session_cookie(&app.register("judy", PASSWORD).await);

    let stored: Vec<String> =
        sqlx::query_scalar("SELECT id_hash FROM sessions").fetch_all(&app.db().await).await.expect("rows");

    assert_eq!(stored, vec![hex::encode(Sha256::digest(cookie.as_bytes()))]);
    assert!(cookie.len() >= 64, "the id has 256 bits: {cookie}");
}

#[tokio::test]
async fn logging_in_again_replaces_the_session_id() {
    let app = spawn_app().await;
    let first = session_cookie(&app.register("kim", PASSWORD).await);

    let second = session_cookie(&app.login("kim", PASSWORD).await);

    assert_ne!(first, second, "a login always gets a new id (no session fixation)");
    assert_eq!(me_with(&app, &first).await, 401, "the id from before the login is dead");
    assert_eq!(me_with(&app, &second).await, 200);
}

#[tokio::test]
async fn log_out_everywhere_ends_every_session_of_the_user_only() {
    let app = spawn_app().await;
    let copied = session_cookie(&app.register("lena", PASSWORD).await);
    let (phone, _) = other_device(&app, "lena").await;
    let bystander = new_client();
    bystander
        .post(app.url("/api/v1/register"))
        .json(&json!({"username": "morgan", "password": PASSWORD}))
        .send()
        .await
        .expect("request");

    let response = app.post_json("/api/v1/me/logout-everywhere", &json!({})).await;

    assert_eq!(response.status(), 200);
    assert_eq!(json_of(response).await, json!({"ended_sessions": 2}));
    assert_eq!(app.get("/api/v1/me").await.status(), 401, "this device is logged out");
    assert_eq!(status_of(&phone, &app, "/api/v1/me").await, 401, "the other device is logged out");
    assert_eq!(me_with(&app, &copied).await, 401, "a copied cookie is dead");
    assert_eq!(status_of(&bystander, &app, "/api/v1/me").await, 200, "other users keep their sessions");
    assert_eq!(app.login("lena", PASSWORD).await.status(), 200, "logging in again works");
}

#[tokio::test]
async fn log_out_everywhere_from_the_account_page() {
    let app = spawn_app().await;
    app.signed_up().await;
    let name = json_of(app.get("/api/v1/me").await).await["username"].as_str().expect("name").to_string();
    let (phone, _) = other_device(&app, &name).await;
    let page = app.get("/account").await.text().await.expect("html");
    assert!(page.contains("Log out everywhere") && page.contains("Change password"), "{page}");

    let response = app.post_form("/account/logout-everywhere", &[]).await;

    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login?ended=everywhere");
    assert_eq!(status_of(&phone, &app, "/api/v1/me").await, 401);
    assert_eq!(app.get("/account").await.status(), 303, "this browser is logged out too");
    let login = app.get("/login?ended=everywhere").await.text().await.expect("html");
    assert!(login.contains("logged out on every device"), "the login page says what happened");
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_and_keeps_this_one() {
    let app = spawn_app().await;
    let copied = session_cookie(&app.register("nina", PASSWORD).await);
    let (phone, phone_cookie) = other_device(&app, "nina").await;
    let cases = [
        (json!({"current_password": "not my password", "new_password": "a brand new secret"}), "current password"),
        (json!({"current_password": PASSWORD, "new_password": "short"}), "at least 10"),
        (json!({"current_password": PASSWORD, "new_password": "password123"}), "common"),
    ];
    for (body, expected) in cases {
        let refused = app.post_json("/api/v1/me/password", &body).await;
        assert_eq!(refused.status(), 422, "{expected}");
        let message = json_of(refused).await["error"]["message"].as_str().unwrap_or("").to_string();
        assert!(message.contains(expected), "{expected}: {message}");
    }
    assert_eq!(me_with(&app, &phone_cookie).await, 200, "a refused change ends nothing");

    let changed = app
        .post_json("/api/v1/me/password", &json!({"current_password": PASSWORD, "new_password": "a brand new secret"}))
        .await;

    assert_eq!(changed.status(), 200);
    assert_eq!(json_of(changed).await, json!({"ended_sessions": 1}));
    assert_eq!(app.get("/api/v1/me").await.status(), 200, "the changer stays logged in");
    assert_eq!(me_with(&app, &copied).await, 200, "the changer's own cookie, copied, still works");
    assert_eq!(me_with(&app, &phone_cookie).await, 401, "the other device is logged out");
    assert_eq!(status_of(&phone, &app, "/api/v1/me").await, 401);
    let old = new_client().post(app.url("/api/v1/login")).json(&json!({"username": "nina", "password": PASSWORD}));
    assert_eq!(old.send().await.expect("request").status(), 401, "the old password no longer logs in");
    assert_eq!(app.login("nina", "a brand new secret").await.status(), 200, "the new one does");
}

#[tokio::test]
async fn changing_the_password_on_the_account_page() {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    let (phone, _) = other_device(&app, &name).await;
    // The boxes come back empty (a password is never written into the page), so the
    // message names the box that was wrong, and that box, alone, takes the keyboard and
    // is described by the message.
    let cases = [
        (
            ["not my password", "a brand new secret", "a brand new secret"],
            "Current password: that is not your current password",
            "current_password",
        ),
        (
            [PASSWORD, "a brand new secret", "a brand new secreT"],
            "New password again: it is not the same as the new password",
            "new_password_again",
        ),
        // Both wrong: the current password is named first, as the one the other hangs on
        // (told of the new one first, the learner came back only to be refused again).
        (
            ["not my password", "a brand new secret", "a brand new secreT"],
            "Current password: that is not your current password",
            "current_password",
        ),
        ([PASSWORD, "short", "short"], "New password: Password must be at least 10", "new_password"),
        (
            [PASSWORD, PASSWORD, PASSWORD],
            "New password: The new password is the same as your current one",
            "new_password",
        ),
    ];
    let input = |page: &str, id: &str| -> String {
        let at = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
        let start = page[..at].rfind("<input").expect("its tag");
        page[start..start + page[start..].find('>').expect("tag end")].to_string()
    };
    for ([current, new, again], expected, wrong) in cases {
        let refused = app
            .post_form(
                "/account/password",
                &[("current_password", current), ("new_password", new), ("new_password_again", again)],
            )
            .await;
        assert_eq!(refused.status(), 422, "{expected}");
        let page = refused.text().await.expect("html");
        assert!(page.contains(expected), "{expected}: {page}");
        assert!(!page.contains(current) && !page.contains(new), "{expected}: passwords are never echoed");
        for field in ["current_password", "new_password", "new_password_again"] {
            let tag = input(&page, field);
            let named = field == wrong;
            assert_eq!(tag.contains(" autofocus"), named, "{expected}: keyboard on #{wrong} only: {tag}");
            assert_eq!(tag.contains("aria-invalid=\"true\""), named, "{expected}: #{field} marked: {tag}");
            assert_eq!(tag.contains("aria-describedby=\"password-error"), named, "{expected}: #{field}: {tag}");
            assert!(!tag.contains("value="), "{expected}: #{field} comes back empty: {tag}");
        }
    }

    let changed = app
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new secret"),
                ("new_password_again", "a brand new secret"),
            ],
        )
        .await;

    assert_eq!(changed.status(), 303);
    assert_eq!(changed.headers()["location"], "/account?changed=1");
    let page = app.get("/account?changed=1").await.text().await.expect("html");
    assert!(page.contains("Your password was changed, and 1 other session was logged out."), "{page}");
    assert_eq!(status_of(&phone, &app, "/api/v1/me").await, 401, "the other device is logged out");
    assert_eq!(app.get("/api/v1/me").await.status(), 200, "this browser stays logged in");
    assert_eq!(app.login(&name, "a brand new secret").await.status(), 200, "the new password works");
}

#[tokio::test]
async fn an_idle_session_ends_after_the_idle_time_out() {
    let app = spawn_app_with(|s| s.session_idle_timeout = Duration::from_millis(1200)).await;
    let copied = session_cookie(&app.register("olaf", PASSWORD).await);
    // Used every 0.4 s for 1.6 s: longer than the idle time-out, never idle that long.
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(app.get("/api/v1/me").await.status(), 200, "a session in use lives on");
    }

    tokio::time::sleep(Duration::from_millis(1400)).await;

    assert_eq!(app.get("/api/v1/me").await.status(), 401, "idle longer than the time-out");
    assert_eq!(me_with(&app, &copied).await, 401);
    assert_eq!(app.login("olaf", PASSWORD).await.status(), 200, "logging in again works");
    assert_eq!(app.get("/api/v1/me").await.status(), 200);
}

#[tokio::test]
async fn a_busy_session_ends_after_the_absolute_time_out() {
    let app = spawn_app_with(|s| s.session_absolute_timeout = Duration::from_millis(1500)).await;
    app.register("pia", PASSWORD).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(app.get("/api/v1/me").await.status().as_u16());
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(statuses[0], 200);
    assert_eq!(statuses.last(), Some(&401), "used all along, it still ends: {statuses:?}");
    let ended_at = statuses.iter().position(|s| *s == 401).unwrap_or(0);
    assert!(statuses[ended_at..].iter().all(|s| *s == 401), "once ended it stays ended: {statuses:?}");
}

#[tokio::test]
async fn the_page_forms_carry_a_token_tied_to_the_session() {
    let app = spawn_app().await;
    let anonymous = app.csrf_token().await;
    app.signed_up().await;
    let logged_in = app.csrf_token().await;
    assert_ne!(anonymous, logged_in, "logging in changes the forms' token");
    let other = new_client();
    assert_ne!(csrf_token_of(&other, &app.address).await, logged_in, "every browser has its own");
}

#[tokio::test]
async fn sessions_past_their_absolute_time_out_are_deleted_at_start_up() {
    let app = spawn_app().await;
    let old = session_cookie(&app.register("rita", PASSWORD).await);
    let recent = session_cookie(&new_client_registered(&app, "sam").await);
    let db = app.db().await;
    // Rita logged in 31 days ago and never came back.
    let long_ago = now_millis() - 31 * 24 * 3600 * 1000;
    sqlx::query("UPDATE sessions SET created_at = $1, last_seen_at = $2 WHERE id_hash = $3")
        .bind(long_ago)
        .bind(long_ago)
        .bind(hex::encode(Sha256::digest(old.as_bytes())))
        .execute(&db)
        .await
        .expect("update");

    // The server starts again on the same database.
    let settings = rehearse::configuration::Settings::for_database(app.database_url.clone());
    rehearse::startup::Application::build(settings).await.expect("builds");

    let kept: Vec<String> = sqlx::query_scalar("SELECT id_hash FROM sessions").fetch_all(&db).await.expect("rows");
    assert_eq!(kept, vec![hex::encode(Sha256::digest(recent.as_bytes()))], "only the live session is left");
}

async fn new_client_registered(app: &TestApp, name: &str) -> Response {
    let response = new_client()
        .post(app.url("/api/v1/register"))
        .json(&json!({"username": name, "password": PASSWORD}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 201);
    response
}

fn now_millis() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970");
    i64::try_from(now.as_millis()).expect("fits")
}
