//! Security headers on every kind of response, and HEAD wherever GET works.
use crate::helpers::{spawn_app, spawn_app_with};
use base64::Engine;
use rehearse::routes::headers::{CONTENT_SECURITY_POLICY, INLINE_SCRIPT_HASH};
use reqwest::header::HeaderMap;
use sha2::{Digest, Sha256};

fn assert_secure(headers: &HeaderMap, what: &str) {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert_eq!(get("content-security-policy"), CONTENT_SECURITY_POLICY, "{what}: CSP");
    assert!(get("content-security-policy").contains("frame-ancestors 'none'"), "{what}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
    assert_eq!(get("referrer-policy"), "same-origin", "{what}");
    assert!(headers.get("strict-transport-security").is_none(), "{what}: no HSTS over plain HTTP");
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let cases: Vec<(&str, reqwest::Response, u16)> = vec![
        ("home page", app.get("/").await, 200),
        ("login page", app.get("/login").await, 200),
        ("page that needs a login", app.get("/progress").await, 303),
        ("missing page", app.get("/nope").await, 404),
        ("stylesheet", app.get("/static/app.css").await, 200),
        ("API JSON", app.get("/api/v1/topics").await, 200),
        ("API 401", app.get("/api/v1/me").await, 401),
        ("API 404", app.get("/api/v1/nope").await, 404),
        ("health", app.get("/health").await, 200),
        (
            "write refused from another site",
            app.client
                .post(app.url("/api/v1/login"))
                .header("Origin", "https://evil.example")
                .json(&serde_json::json!({"username": "a", "password": "b"}))
                .send()
                .await
                .expect("request"),
            403,
        ),
        (
            "malformed JSON",
            app.client
                .post(app.url("/api/v1/login"))
                .header("Content-Type", "application/json")
                .body("{")
                .send()
                .await
                .expect("request"),
            400,
        ),
    ];
    for (what, response, status) in cases {
        assert_eq!(response.status(), status, "{what}");
        assert_secure(response.headers(), what);
        let cache = response.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        if what == "stylesheet" {
            assert!(cache.starts_with("public"), "static files stay cacheable: {cache}");
        } else {
            assert_eq!(cache, "no-store", "{what}: no copy kept by the browser");
        }
    }
}

#[tokio::test]
async fn private_pages_are_not_kept_by_the_browser_so_back_after_logout_shows_nothing() {
    let app = spawn_app().await;
    app.signed_up().await;
    for path in ["/history", "/progress", "/account", "/api/v1/me", "/api/v1/me/progress"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"), "{path}");
    }
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_server_is_configured_as_behind_https() {
    let app = spawn_app_with(|s| s.secure_cookies = true).await;
    for path in ["/", "/api/v1/topics", "/nope"] {
        let response = app.get(path).await;
        assert_eq!(
            response.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()),
            Some("max-age=31536000"),
            "{path}"
        );
    }
}

/// The policy allows no inline script but the one in `base.html` (by its hash), and no
/// inline style or event handler at all: every template must live with that.
#[test]
fn templates_need_nothing_inline_beyond_what_the_policy_allows() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let mut inline_scripts = Vec::new();
    for entry in std::fs::read_dir(dir).expect("templates") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("template");
        let name = path.display().to_string();
        assert!(!text.contains("style="), "{name}: an inline style attribute is blocked by the CSP");
        assert!(!text.contains("<style"), "{name}: an inline <style> is blocked by the CSP");
        assert!(!text.contains("javascript:"), "{name}: javascript: URLs are blocked by the CSP");
        for word in text.split(|c: char| c.is_whitespace() || c == '<') {
            let handler =
                word.starts_with("on") && word.contains("=\"") && word[2..3].chars().all(|c| c.is_ascii_lowercase());
            assert!(!handler, "{name}: inline event handler {word:?} is blocked by the CSP");
        }
        for chunk in text.split("<script").skip(1) {
            let (attributes, rest) = chunk.split_once('>').expect("closed tag");
            if !attributes.contains("src=") {
                inline_scripts.push(rest.split("</script>").next().expect("script").to_string());
            }
        }
    }
    assert_eq!(inline_scripts.len(), 1, "one inline script: {inline_scripts:?}");
    let digest = Sha256::digest(inline_scripts[0].as_bytes());
    let hash = format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(digest));
    assert_eq!(hash, INLINE_SCRIPT_HASH, "the inline script in base.html changed: update INLINE_SCRIPT_HASH");
}

#[tokio::test]
async fn head_answers_wherever_get_does_with_the_same_status_and_headers_and_no_body() {
    let app = spawn_app().await;
    let mut paths = vec![
        "/health",
        "/ready",
        "/",
        "/login",
        "/signup",
        "/static/app.css",
        "/static/app.js",
        "/api/v1/topics",
        "/api/v1/openapi.json",
        "/api/v1/me",
        "/progress",
        "/nope",
        "/api/v1/nope",
    ];
    let visitor = paths.clone();
    app.signed_up().await;
    paths.extend(["/practice", "/history", "/progress", "/api/v1/me", "/api/v1/me/history"]);
    for (i, path) in paths.iter().enumerate() {
        let who = if i < visitor.len() { "visitor" } else { "member" };
        let get = app.get(path).await;
        let (status, content_type) = (get.status(), get.headers().get("content-type").cloned());
        let get_length = get.bytes().await.expect("GET body").len();
        let head = app.client.head(app.url(path)).send().await.expect("HEAD");
        assert_eq!(head.status(), status, "HEAD {path} ({who}) answers like GET");
        assert_eq!(head.headers().get("content-type").cloned(), content_type, "HEAD {path} ({who})");
        let length = head.headers().get("content-length").and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
        if path != &"/ready" && path != &"/" {
            // Pages that show live numbers may differ by a digit between the two requests.
            assert_eq!(length, Some(get_length), "HEAD {path} ({who}) gives GET's Content-Length");
        }
        assert_secure(head.headers(), path);
        assert!(head.bytes().await.expect("HEAD body").is_empty(), "HEAD {path} ({who}) has no body");
    }
    // A path that only takes POST is not turned into something else by HEAD.
    let head = app.client.head(app.url("/logout")).send().await.expect("HEAD");
    assert_eq!(head.status(), app.get("/logout").await.status(), "HEAD /logout as GET /logout");
}
