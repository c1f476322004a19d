use serde_json::json;

use crate::helpers::{json_of, new_client, spawn_app};

#[tokio::test]
async fn sign_up_logs_the_user_in_and_stores_an_argon2id_hash() {
    let app = spawn_app().await;

    let response = app.register("Alice", "correct horse battery").await;

    assert_eq!(response.status(), 201);
    let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(cookie.contains("HttpOnly"), "cookie is HttpOnly: {cookie}");
    assert!(cookie.contains("SameSite=Lax"), "cookie is SameSite=Lax: {cookie}");
    assert_eq!(json_of(response).await["username"], "Alice");
    assert_eq!(json_of(app.get("/api/v1/me").await).await["username"], "Alice");
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'Alice'")
        .fetch_one(&app.db().await)
        .await
        .expect("user row");
    assert!(hash.starts_with("$argon2id$"), "argon2id hash stored, not the password");
}

#[tokio::test]
async fn a_taken_username_is_a_conflict_whatever_its_case() {
    let app = spawn_app().await;
    app.register("alice", "correct horse battery").await;

    let response = app.register("ALICE", "another password").await;

    assert_eq!(response.status(), 409);
    let body = json_of(response).await;
    assert_eq!(body["error"]["code"], "conflict");
    assert!(body["error"]["message"].as_str().unwrap_or("").contains("taken"), "{body}");
}

#[tokio::test]
async fn invalid_sign_ups_are_refused_with_a_reason() {
    let app = spawn_app().await;
    let cases = [
        (json!({"username": "al", "password": "long enough pw"}), "3 to 32", "short username"),
        (json!({"username": "alice", "password": "short"}), "at least 10", "short password"),
        (json!({"username": "alice", "password": "          "}), "blank", "blank password"),
        (json!({"username": "alice", "password": "Password123"}), "common passwords", "common password"),
        (json!({"username": "bad name", "password": "long enough pw"}), "letters", "space in username"),
    ];
    for (body, expected, case) in cases {
        let response = app.post_json("/api/v1/register", &body).await;
        assert_eq!(response.status(), 422, "{case}");
        let message = json_of(response).await["error"]["message"].as_str().unwrap_or("").to_string();
        assert!(message.contains(expected), "{case}: {message}");
    }
}

#[tokio::test]
async fn login_works_with_the_right_password_only() {
    let app = spawn_app().await;
    app.register("bob", "correct horse battery").await;
    let other = new_client();

    let wrong = other
        .post(app.url("/api/v1/login"))
        .json(&json!({"username": "bob", "password": "wrong password"}))
        .send()
        .await
        .expect("request");
    assert_eq!(wrong.status(), 401);
    assert_eq!(json_of(wrong).await["error"]["code"], "bad_credentials");

    let unknown = other
        .post(app.url("/api/v1/login"))
        .json(&json!({"username": "nobody", "password": "wrong password"}))
        .send()
        .await
        .expect("request");
    assert_eq!(unknown.status(), 401, "unknown users look like wrong passwords");

    let right = other
        .post(app.url("/api/v1/login"))
        .json(&json!({"username": "BOB", "password": "correct horse battery"}))
        .send()
        .await
        .expect("request");
    assert_eq!(right.status(), 200);
    let me = other.get(app.url("/api/v1/me")).send().await.expect("request");
    assert_eq!(me.status(), 200);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let name = app.signed_up().await;
    assert_eq!(app.get("/api/v1/me/history").await.status(), 200);

    let response = app.post_json("/api/v1/logout", &json!({})).await;

    assert_eq!(response.status(), 204);
    assert_eq!(app.get("/api/v1/me/history").await.status(), 401);
    assert_eq!(app.login(&name, "correct horse battery").await.status(), 200, "and can log in again");
    assert_eq!(app.get("/api/v1/me/history").await.status(), 200);
}

#[tokio::test]
async fn private_endpoints_need_a_login() {
    let app = spawn_app().await;
    let cases = [
        ("GET", "/api/v1/me/history"),
        ("GET", "/api/v1/me"),
        ("POST", "/api/v1/interviews"),
        ("POST", "/api/v1/interviews/00000000-0000-0000-0000-000000000000/answers"),
        ("GET", "/api/v1/interviews/00000000-0000-0000-0000-000000000000"),
    ];
    for (method, path) in cases {
        let request = match method {
            "GET" => app.client.get(app.url(path)),
            _ => app.client.post(app.url(path)).json(&json!({"question_id": "x", "answer": "y"})),
        };
        let response = request.send().await.expect("request");
        assert_eq!(response.status(), 401, "{method} {path}");
        assert_eq!(json_of(response).await["error"]["code"], "unauthorized", "{method} {path}");
    }
}

#[tokio::test]
async fn malformed_json_gets_a_clear_400() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/register"))
        .header("content-type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 400);
    let body = json_of(response).await;
    assert_eq!(body["error"]["code"], "bad_request");
    assert!(body["error"]["message"].as_str().unwrap_or("").contains("JSON"), "{body}");

    let missing = app.post_json("/api/v1/register", &json!({"username": "carol"})).await;
    assert_eq!(missing.status(), 400);
    assert!(json_of(missing).await["error"]["message"].as_str().unwrap_or("").contains("password"));
}

/// Guessing a password is throttled per username: after ten attempts a minute the
/// eleventh gets 429 with `Retry-After`, for the right password too, on the API and the
/// form alike; other usernames are not affected.
#[tokio::test]
async fn repeated_logins_for_one_username_are_throttled() {
    let app = spawn_app().await;
    app.register("guessme", "correct horse battery").await;
    app.register("bystander", "correct horse battery").await;
    for attempt in 1..=10 {
        assert_eq!(app.login("guessme", "wrong wrong wrong").await.status(), 401, "attempt {attempt}");
    }
    let refused = app.login("guessme", "correct horse battery").await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    let body = json_of(refused).await;
    assert_eq!(body["error"]["code"], "too_many_requests");
    assert!(body["error"]["message"].as_str().unwrap_or("").contains("wait"), "{body}");
    let form = app.post_form("/login", &[("username", "GuessMe"), ("password", "correct horse battery")]).await;
    assert_eq!(form.status(), 429, "the form shares the limit, whatever the case");
    assert!(form.headers().get("retry-after").is_some());
    assert_eq!(app.login("bystander", "correct horse battery").await.status(), 200);
}

/// A login name longer than any username is wrong credentials at once, and is not kept
/// by the per-username throttle: names of 64 KB, each counted and kept for a minute,
/// grew the server by 40 MB a minute (a hostile probe). Twelve such attempts under one
/// name get 401 each, never the 429 a counted name gets on the eleventh.
#[tokio::test]
async fn overlong_login_names_are_refused_without_being_counted() {
    let app = spawn_app().await;
    let long = "\u{FDFA}".repeat(21_500);
    let plain = "a".repeat(65_000);
    for attempt in 1..=12 {
        for name in [&long, &plain] {
            let refused = app.login(name, "wrong wrong wrong").await;
            assert_eq!(refused.status(), 401, "attempt {attempt}");
            let body = json_of(refused).await;
            assert_eq!(body["error"]["code"], "bad_credentials", "{body}");
        }
    }
    // The longest real name is still counted (and still logs in).
    let longest = "l".repeat(32);
    app.register(&longest, "correct horse battery").await;
    assert_eq!(app.login(&longest, "correct horse battery").await.status(), 200);
}

#[tokio::test]
async fn staff_usernames_are_refused_at_sign_up_and_an_operator_can_still_create_one() {
    let app = spawn_app().await;
    for name in ["admin", "Administrator", "root", "support-2"] {
        let refused = app.register(name, "correct horse battery").await;
        assert_eq!(refused.status(), 422, "{name}");
        let message = json_of(refused).await["error"]["message"].as_str().unwrap_or("").to_string();
        assert!(message.contains("kept for the server's staff"), "{name}: {message}");
    }
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&app.db().await).await.expect("count");
    assert_eq!(stored, 0, "no account was made");
    // The page says so too, and keeps what was typed.
    let page = app.post_form("/signup", &[("username", "admin"), ("password", "correct horse battery")]).await;
    assert_eq!(page.status(), 422);
    let html = page.text().await.expect("html");
    assert!(html.contains("kept for the server") && html.contains(r#"value="admin""#), "{html}");
    // An operator can still give the name out.
    let out = app.user_cli(&["add", "admin", "--admin"], "correct horse battery\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(app.login("admin", "correct horse battery").await.status(), 200);
}

#[tokio::test]
async fn look_alike_usernames_are_refused_and_full_width_ones_are_the_same_account() {
    let app = spawn_app().await;
    app.register("alice", "correct horse battery").await;

    // A Cyrillic "а" among Latin letters looks like "alice" but is another string.
    let look_alike = new_client()
        .post(app.url("/api/v1/register"))
        .json(&json!({"username": "\u{0430}lice", "password": "correct horse battery"}))
        .send()
        .await
        .expect("request");
    assert_eq!(look_alike.status(), 422);
    let message = json_of(look_alike).await["error"]["message"].as_str().unwrap_or("").to_string();
    assert!(message.contains("alphabets"), "{message}");

    // A name all in Cyrillic whose every letter has a Latin twin reads as "paco".
    app.register("paco", "correct horse battery").await;
    let whole_script = new_client()
        .post(app.url("/api/v1/register"))
        .json(&json!({"username": "\u{0440}\u{0430}\u{0441}\u{043e}", "password": "correct horse battery"}))
        .send()
        .await
        .expect("request");
    assert_eq!(whole_script.status(), 422);
    let message = json_of(whole_script).await["error"]["message"].as_str().unwrap_or("").to_string();
    assert!(message.contains("looks like a Latin"), "{message}");
    let russian = app.register("\u{0438}\u{0432}\u{0430}\u{043d}", "correct horse battery").await;
    assert_eq!(russian.status(), 201, "a Cyrillic name with letters of its own is fine");

    // Full-width letters are the same letters under NFKC: the name is taken.
    let full_width = app.register("\u{ff41}lice", "correct horse battery").await;
    assert_eq!(full_width.status(), 409);
    let login = new_client()
        .post(app.url("/api/v1/login"))
        .json(&json!({"username": "\u{ff21}\u{ff2c}\u{ff29}\u{ff23}\u{ff25}", "password": "correct horse battery"}))
        .send()
        .await
        .expect("request");
    assert_eq!(login.status(), 200, "and logs in to alice");
    assert_eq!(json_of(login).await["username"], "alice");

    let zoe = app.register("Zo\u{0065}\u{0308}", "correct horse battery").await;
    assert_eq!(zoe.status(), 201, "one script with a combining mark is fine");
    assert_eq!(json_of(zoe).await["username"], "Zo\u{eb}", "stored composed (NFKC)");
}

/// A hash made with an older release's settings (19 MiB, 2 passes) still logs in, and
/// that login re-hashes the password with the current settings; a wrong password
/// leaves the stored hash alone.
#[tokio::test]
async fn a_hash_from_older_settings_is_upgraded_at_the_next_login() {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let app = spawn_app().await;
    app.register("olga", "correct horse battery").await;
    let old_params = argon2::Params::new(19 * 1024, 2, 1, None).expect("params");
    let old = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, old_params)
        .hash_password(b"correct horse battery", &SaltString::generate(&mut OsRng))
        .expect("hash")
        .to_string();
    let db = app.db().await;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE username = 'olga'")
        .bind(&old)
        .execute(&db)
        .await
        .expect("set an old hash");
    let stored = || async {
        sqlx::query_scalar::<_, String>("SELECT password_hash FROM users WHERE username = 'olga'")
            .fetch_one(&db)
            .await
            .expect("user row")
    };

    // Each login from a fresh client, as from another device.
    let log_in = |password: &'static str| {
        let url = app.url("/api/v1/login");
        async move {
            let body = json!({"username": "olga", "password": password});
            new_client().post(url).json(&body).send().await.expect("request").status().as_u16()
        }
    };

    assert_eq!(log_in("wrong horse battery").await, 401);
    assert_eq!(stored().await, old, "a failed login changes nothing");

    assert_eq!(log_in("correct horse battery").await, 200, "the old hash still logs in");
    let upgraded = stored().await;
    assert!(upgraded.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "re-hashed with the current settings: {upgraded}");

    assert_eq!(log_in("correct horse battery").await, 200, "the new hash logs in");
    assert_eq!(stored().await, upgraded, "a current hash is not re-hashed");
}
