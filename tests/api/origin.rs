//! Cross-site writes are refused: a page on another site, or on another port of the same
//! host, cannot log a visitor in or act with their cookie.
use serde_json::json;

use crate::helpers::{json_of, spawn_app};

#[tokio::test]
async fn writes_from_another_origin_are_refused_and_same_origin_ones_work() {
    let app = spawn_app().await;
    app.register("olga", "correct horse battery").await;
    let host = app.address.trim_start_matches("http://").to_string();
    let (_, port) = host.rsplit_once(':').expect("port");
    let other_port = format!("http://127.0.0.1:{}", port.parse::<u16>().expect("port").wrapping_add(1));
    let login = json!({"username": "olga", "password": "correct horse battery"});

    for origin in ["https://evil.example", other_port.as_str(), "null"] {
        // The JSON API: a JSON error.
        let api = app.client.post(app.url("/api/v1/interviews")).header("Origin", origin).json(&json!({})).send().await;
        let api = api.expect("request");
        assert_eq!(api.status(), 403, "{origin}");
        assert_eq!(json_of(api).await["error"]["code"], "forbidden");
        // A form: a readable page, and no session is set (login CSRF).
        let form = app
            .client
            .post(app.url("/login"))
            .header("Origin", origin)
            .form(&[("username", "olga"), ("password", "correct horse battery")])
            .send()
            .await
            .expect("request");
        assert_eq!(form.status(), 403, "{origin}");
        assert!(form.headers().get("set-cookie").is_none(), "{origin}: no session for a refused login");
        assert!(form.text().await.expect("html").contains("another site"));
    }

    // A client-set forwarding header does not make a foreign origin the server's own
    // (believed only with --trust-forwarded-for), and every Origin header must match.
    let forged: [(&str, &str); 3] = [
        ("X-Forwarded-Host", "evil.example"),
        ("Forwarded", "host=evil.example;proto=https"),
        ("Origin", "https://evil.example"),
    ];
    for (name, value) in forged {
        let origin = if name == "Origin" { app.address.as_str() } else { "https://evil.example" };
        let r = app
            .client
            .post(app.url("/api/v1/interviews"))
            .header("Origin", origin)
            .header(name, value)
            .json(&json!({}))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), 403, "{name}: {value}");
    }

    // The server's own origin, and clients that send none, work as before.
    let same = app.client.post(app.url("/api/v1/login")).header("Origin", &app.address).json(&login).send().await;
    assert_eq!(same.expect("request").status(), 200);
    let none = app.post_json("/api/v1/interviews", &json!({})).await;
    assert_eq!(none.status(), 201);
    // Reads are never refused.
    let read = app.client.get(app.url("/api/v1/me")).header("Origin", "https://evil.example").send().await;
    assert_eq!(read.expect("request").status(), 200);
}
