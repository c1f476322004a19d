//! Roles and registration: the registration modes, the first admin from the CLI, the
//! admin pages (members get 403), the last admin, disabled accounts, temporary passwords.
use rehearse::configuration::Registration;
use serde_json::json;

use crate::helpers::{json_of, spawn_app, spawn_app_with, TestApp};

const PASSWORD: &str = "correct horse battery";

async fn my_id(app: &TestApp) -> String {
    json_of(app.get("/api/v1/me").await).await["id"].as_str().expect("logged in").to_string()
}

/// An app in `mode` with an admin made by `rehearse user add --admin`, logged in.
async fn app_with_cli_admin(mode: Registration) -> TestApp {
    let app = spawn_app_with(|s| s.registration = mode).await;
    let made = app.user_cli(&["add", "boss", "--admin"], &format!("{PASSWORD}\n"));
    assert!(made.status.success(), "user add: {}", String::from_utf8_lossy(&made.stderr));
    assert!(String::from_utf8_lossy(&made.stdout).contains("created boss (admin)"));
    assert_eq!(app.login("boss", PASSWORD).await.status(), 200, "the CLI's admin logs in");
    app
}

#[tokio::test]
async fn sign_up_follows_the_registration_mode() {
    // Open: anyone, with or without a code.
    let open = spawn_app().await;
    assert_eq!(open.register("anyone", PASSWORD).await.status(), 201, "open");

    // Closed: refused in JSON and HTML, and the sign-up page says so.
    let closed = spawn_app_with(|s| s.registration = Registration::Closed).await;
    let refused = closed.register("someone", PASSWORD).await;
    assert_eq!(refused.status(), 403, "closed, JSON");
    let message = json_of(refused).await["error"]["message"].as_str().unwrap_or("").to_string();
    assert!(message.contains("Sign-up is closed"), "{message}");
    let form = closed.post_form("/signup", &[("username", "someone"), ("password", PASSWORD)]).await;
    assert_eq!(form.status(), 403, "closed, HTML");
    assert!(form.text().await.expect("html").contains("Sign-up is closed on this server"));
    let page = closed.get("/signup").await.text().await.expect("html");
    assert!(page.contains("id=\"signup-closed\"") && !page.contains("name=\"password\""), "no form: {page}");
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&closed.db().await).await.expect("n");
    assert_eq!(users, 0, "nobody got in");

    // Invite: only with a valid code, which joins its group.
    let invite = app_with_cli_admin(Registration::Invite).await;
    let (group, code) = invite.create_group("Cohort").await;
    let newcomer = invite.other_client();
    for (body, case) in [
        (json!({"username": "newbie", "password": PASSWORD}), "no code"),
        (json!({"username": "newbie", "password": PASSWORD, "invite_code": "AAAAAAAAAA"}), "a wrong code"),
    ] {
        let response = newcomer.post_json("/api/v1/register", &body).await;
        assert_eq!(response.status(), 422, "invite, {case}");
        assert!(json_of(response).await["error"]["message"].as_str().unwrap_or("").contains("invite code"), "{case}");
    }
    let joined = newcomer
        .post_json("/api/v1/register", &json!({"username": "newbie", "password": PASSWORD, "invite_code": code}))
        .await;
    assert_eq!(joined.status(), 201, "invite, a valid code");
    assert_eq!(json_of(newcomer.get("/api/v1/groups").await).await["groups"][0]["id"], group.as_str(), "joined");

    let browser = invite.other_client();
    let page = browser.get(&format!("/signup?code={code}")).await.text().await.expect("html");
    assert!(page.contains(&format!("value=\"{code}\"")) && page.contains("required aria-describedby=\"invite-rules\""));
    let no_code = browser.post_form("/signup", &[("username", "webbie"), ("password", PASSWORD)]).await;
    assert_eq!(no_code.status(), 422, "the form needs a code too");
    let signed_up =
        browser.post_form("/signup", &[("username", "webbie"), ("password", PASSWORD), ("invite_code", &code)]).await;
    assert_eq!(signed_up.status(), 303);
    let landing = format!("/groups/{group}?done=welcome");
    assert_eq!(signed_up.headers()["location"], landing.as_str(), "lands on the group's page");
    let welcome = browser.get(&landing).await.text().await.expect("html");
    assert!(welcome.contains("you are a member of “Cohort”"), "says what happened, naming the group: {welcome}");
    let list = browser.get("/groups?done=welcome").await.text().await.expect("html");
    assert!(!list.contains("{group}") && !list.contains("a member of"), "no notice with a hole in it: {list}");
    let members = json_of(invite.get(&format!("/api/v1/groups/{group}")).await).await["members"].clone();
    assert_eq!(members.as_array().map(Vec::len), Some(3), "boss, newbie and webbie: {members}");
}

#[tokio::test]
async fn the_first_admin_made_by_the_cli_logs_in_and_reaches_the_admin_pages() {
    let app = app_with_cli_admin(Registration::Closed).await;
    let me = json_of(app.get("/api/v1/me").await).await;
    assert_eq!(me["role"], "admin");
    let users = json_of(app.get("/api/v1/admin/users").await).await;
    assert_eq!(users["users"][0]["username"], "boss");
    assert_eq!(users["users"][0]["role"], "admin");
    let page = app.get("/admin/users").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("html").contains("data-user=\"boss\""));
    assert!(app.get("/account").await.text().await.expect("html").contains("id=\"admin-users\""));
    assert!(
        app.get("/progress").await.text().await.expect("html").contains("<a href=\"/admin/users\">Users</a>"),
        "nav"
    );

    let demoted = app.user_cli(&["set-role", "boss", "member"], "");
    assert!(!demoted.status.success(), "the last admin cannot be demoted from the CLI either");
    assert!(String::from_utf8_lossy(&demoted.stderr).contains("no active admin"));
    let member = app.user_cli(&["add", "helper"], &format!("{PASSWORD}\n"));
    assert!(member.status.success(), "{}", String::from_utf8_lossy(&member.stderr));
    let helper = app.other_client();
    assert_eq!(helper.login("helper", PASSWORD).await.status(), 200);
    assert!(app.user_cli(&["disable", "helper"], "").status.success());
    assert_eq!(helper.get("/api/v1/me").await.status(), 401, "the CLI ended the running server's session");
    assert_eq!(helper.login("helper", PASSWORD).await.status(), 403);
    assert!(app.user_cli(&["enable", "helper"], "").status.success());
    assert!(app.user_cli(&["set-role", "helper", "admin"], "").status.success());
    assert_eq!(helper.login("helper", PASSWORD).await.status(), 200);
    assert_eq!(helper.get("/api/v1/admin/users").await.status(), 200, "made an admin from the CLI");
    let listed = String::from_utf8_lossy(&app.user_cli(&["list"], "").stdout).to_string();
    assert_eq!(listed, "boss\tadmin\nhelper\tadmin\n", "{listed}");
    let unknown = app.user_cli(&["disable", "nobody"], "");
    assert!(!unknown.status.success() && String::from_utf8_lossy(&unknown.stderr).contains("no user \"nobody\""));
    let weak = app.user_cli(&["add", "weakling"], "password\n");
    assert!(!weak.status.success() && String::from_utf8_lossy(&weak.stderr).contains("at least 10"));
}

#[tokio::test]
async fn members_get_403_on_admin_routes() {
    let app = spawn_app().await;
    app.signed_up().await;
    let id = my_id(&app).await;
    for (method, path) in [
        ("GET", "/api/v1/admin/users".to_string()),
        ("GET", "/api/v1/admin/groups".to_string()),
        ("PUT", format!("/api/v1/admin/users/{id}")),
        ("POST", format!("/api/v1/admin/users/{id}/password-reset")),
    ] {
        let response = app
            .client
            .request(method.parse().expect("method"), app.url(&path))
            .json(&json!({}))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 403, "{method} {path}");
        assert_eq!(json_of(response).await["error"]["code"], "forbidden");
    }
    assert_eq!(app.get("/admin/users").await.status(), 403, "the admin page");
    assert!(!app.get("/progress").await.text().await.expect("html").contains("/admin/users"), "no link for members");
    for (path, fields) in [
        (format!("/admin/users/{id}/role"), vec![("role", "admin")]),
        (format!("/admin/users/{id}/access"), vec![("disabled", "true")]),
        (format!("/admin/users/{id}/password-reset"), vec![]),
    ] {
        assert_eq!(app.post_form(&path, &fields).await.status(), 403, "{path}");
    }
    let role: String = sqlx::query_scalar("SELECT role FROM users").fetch_one(&app.db().await).await.expect("role");
    assert_eq!(role, "member", "nothing changed");
}

#[tokio::test]
async fn the_last_admin_cannot_demote_or_disable_themselves() {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    app.make_admin(&name).await;
    let id = my_id(&app).await;
    let path = format!("/api/v1/admin/users/{id}");

    for body in [json!({"role": "member"}), json!({"disabled": true})] {
        let response = app.put_json(&path, &body).await;
        assert_eq!(response.status(), 409, "{body}");
        assert!(json_of(response).await["error"]["message"].as_str().unwrap_or("").contains("no active admin"));
    }
    let form = app.post_form(&format!("/admin/users/{id}/role"), &[("role", "member")]).await;
    assert_eq!(form.status(), 409, "the page refuses it too");
    assert!(form.text().await.expect("html").contains("make someone else an admin first"));
    let row: (String, Option<i64>) =
        sqlx::query_as("SELECT role, disabled_at FROM users").fetch_one(&app.db().await).await.expect("row");
    assert_eq!(row, ("admin".to_string(), None), "still an active admin");

    // With a second admin, stepping down is fine.
    let other = app.other_client();
    let second = other.signed_up().await;
    let second_id = my_id(&other).await;
    assert_eq!(
        app.put_json(&format!("/api/v1/admin/users/{second_id}"), &json!({"role": "admin"})).await.status(),
        200
    );
    let stepped = json_of(app.put_json(&path, &json!({"role": "member"})).await).await;
    assert_eq!(stepped["role"], "member");
    assert_eq!(app.get("/api/v1/admin/users").await.status(), 403, "the change applies at once");
    let last = other.put_json(&format!("/api/v1/admin/users/{second_id}"), &json!({"disabled": true})).await;
    assert_eq!(last.status(), 409, "{second} is now the last admin");
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in_and_their_sessions_end() {
    let app = spawn_app().await;
    let admin = app.signed_up().await;
    app.make_admin(&admin).await;
    let user = app.other_client();
    let name = user.signed_up().await;
    let id = my_id(&user).await;

    let form = app.post_form(&format!("/admin/users/{id}/access"), &[("disabled", "true")]).await;
    assert_eq!(form.status(), 303, "disabled from the admin page");
    assert_eq!(user.get("/api/v1/me").await.status(), 401, "the open session ended");
    let refused = user.login(&name, PASSWORD).await;
    assert_eq!(refused.status(), 403);
    assert!(json_of(refused).await["error"]["message"].as_str().unwrap_or("").contains("disabled"));
    let page = user.post_form("/login", &[("username", &name), ("password", PASSWORD)]).await;
    assert_eq!(page.status(), 403);
    assert!(page.text().await.expect("html").contains("This account is disabled"));
    assert_eq!(user.login(&name, "wrong password!!").await.status(), 401, "a wrong password says only that");

    let enabled = app.put_json(&format!("/api/v1/admin/users/{id}"), &json!({"disabled": false})).await;
    assert_eq!(json_of(enabled).await["disabled"], false);
    assert_eq!(user.login(&name, PASSWORD).await.status(), 200, "enabled again");
}

#[tokio::test]
async fn an_admin_reset_gives_a_temporary_password_and_ends_sessions() {
    let app = spawn_app().await;
    let admin = app.signed_up().await;
    app.make_admin(&admin).await;
    let user = app.other_client();
    let name = user.signed_up().await;
    let id = my_id(&user).await;

    let page = app.post_form(&format!("/admin/users/{id}/password-reset"), &[]).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.expect("html");
    let temporary = html.split("is now <code>").nth(1).and_then(|r| r.split('<').next()).expect("shown once");
    assert_eq!(user.get("/api/v1/me").await.status(), 401, "their session ended");
    assert_eq!(user.login(&name, PASSWORD).await.status(), 401, "the old password no longer works");
    assert_eq!(user.login(&name, temporary).await.status(), 200, "the temporary one does");
    let web = app.other_client();
    let landed = web.post_form("/login", &[("username", &name), ("password", temporary)]).await;
    let location = landed.headers()["location"].to_str().expect("ascii");
    assert_eq!(location, "/account?temporary=1#password-heading", "the web login asks for a new password");
    let account = web.get("/account").await.text().await.expect("html");
    assert!(account.contains("temporary password"), "{account}");
    // The password form takes the keyboard, and its first box says which password.
    let current = account.split(r#"id="current_password""#).nth(1).and_then(|r| r.split('>').next()).expect("box");
    assert!(current.contains("autofocus") && account.contains("the temporary one you logged in with"), "{current}");
    let new = "a brand new passphrase";
    let fields = [("current_password", temporary), ("new_password", new), ("new_password_again", new)];
    assert_eq!(web.post_form("/account/password", &fields).await.status(), 303);
    let account = web.get("/account").await.text().await.expect("html");
    assert!(!account.contains("temporary password") && !account.contains("autofocus"), "changed");

    let json = json_of(app.post_json(&format!("/api/v1/admin/users/{id}/password-reset"), &json!({})).await).await;
    assert_ne!(json["temporary_password"].as_str(), Some(temporary), "each reset makes a new one");
}
