use serde_json::json;

use crate::helpers::{json_of, spawn_app};

const REFERENCE: &str = "A liveness probe tells Kubernetes whether the container is still alive; if it fails, \
the kubelet restarts the container. A readiness probe tells Kubernetes whether the pod can serve traffic; if it \
fails, the pod is removed from the service's endpoints so the load balancer stops sending it requests.";

#[tokio::test]
async fn stateless_grading_explains_the_score() {
    let app = spawn_app().await;
    app.signed_up().await;
    let keywords = ["liveness probe | liveness", "restart", "readiness probe | readiness", "traffic | load balancer"];

    let good = json_of(
        app.post_json(
            "/api/v1/grade",
            &json!({"question": "Liveness vs readiness?", "reference": REFERENCE, "keywords": keywords,
                    "answer": "Liveness checks the app is alive and Kubernetes restarts the container when it fails; readiness decides whether the pod gets traffic from the load balancer."}),
        )
        .await,
    )
    .await;
    let bad = json_of(
        app.post_json(
            "/api/v1/grade",
            &json!({"reference": REFERENCE, "keywords": keywords, "answer": "I like pizza with extra cheese."}),
        )
        .await,
    )
    .await;

    assert!(good["score"].as_f64().unwrap_or(0.0) > bad["score"].as_f64().unwrap_or(1.0) + 0.4, "{good} vs {bad}");
    assert!(good["covered"].as_array().is_some_and(|c| c.len() >= 3), "{good}");
    assert_eq!(bad["covered"].as_array().map(Vec::len), Some(0), "{bad}");
    assert!(bad["feedback"].as_str().is_some_and(|f| !f.is_empty()));
    for band in [&good["band"], &bad["band"]] {
        assert!(["strong", "partial", "weak", "off-topic"].contains(&band.as_str().unwrap_or("")), "{band}");
    }
}

#[tokio::test]
async fn keywords_can_carry_hints_as_in_question_files() {
    let app = spawn_app().await;
    app.signed_up().await;
    let body = json!({"reference": REFERENCE, "answer": "The pod gets traffic from the load balancer.",
        "keywords": [{"concept": "restart | restarts", "hint": "Say what happens when liveness fails."}, "traffic"]});

    let graded = json_of(app.post_json("/api/v1/grade", &body).await).await;

    assert_eq!(graded["missed"][0], "restart", "{graded}");
    let hint = graded["concepts"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["label"] == "restart"))
        .map(|c| c["hint"].clone());
    assert_eq!(hint, Some(json!("Say what happens when liveness fails.")));
}

#[tokio::test]
async fn grading_input_is_validated() {
    let app = spawn_app().await;
    app.signed_up().await;
    let cases = [
        (json!({"reference": "", "answer": "x"}), 422, "empty reference"),
        (json!({"reference": "r", "answer": " "}), 422, "empty answer"),
        (json!({"answer": "x"}), 400, "missing reference"),
    ];
    for (body, status, case) in cases {
        assert_eq!(app.post_json("/api/v1/grade", &body).await.status(), status, "{case}");
    }
}

/// A crafted request (huge reference, thousands of keywords) used to cost seconds of CPU
/// on a request thread: such requests are refused with a reason before any grading.
#[tokio::test]
async fn oversized_grading_requests_are_refused_before_grading() {
    let app = spawn_app().await;
    app.signed_up().await;
    let many: Vec<String> = (0..500).map(|i| format!("term{i} | other{i}")).collect();
    let cases = [
        (json!({"reference": "word ".repeat(2_000), "answer": "x"}), "`reference` is longer than"),
        (json!({"reference": "r", "keywords": many, "answer": "x"}), "at most 30 `keywords`"),
        (json!({"reference": "r", "keywords": ["k".repeat(400)], "answer": "x"}), "at most 300 characters"),
        (json!({"question": "q".repeat(2_000), "reference": "r", "answer": "x"}), "`question` is longer than"),
    ];
    for (body, expected) in cases {
        let response = app.post_json("/api/v1/grade", &body).await;
        assert_eq!(response.status(), 422, "{expected}");
        let message = json_of(response).await["error"]["message"].as_str().unwrap_or("").to_string();
        assert!(message.contains(expected), "{expected}: {message}");
    }
}

/// A request inside every limit but built so that every position of its answer matches
/// every alternative (alternatives of eight words drawn from four, an answer and a
/// reference of those four words) took 16-25 s of CPU and returned 6.7 MB of places
/// (a hostile probe). Now its concepts show at most 20 places each; the time is
/// measured by `cargo bench --bench grading` (`largest_grade_request_short_alternatives`).
#[tokio::test]
async fn a_grading_request_repeating_a_few_words_returns_a_bounded_grade() {
    let app = spawn_app().await;
    app.signed_up().await;
    let words = ["gx", "dl", "ft", "st"];
    let text = |n: usize, seed: usize| -> String {
        (0..n).map(|i| words[(i * 7 + i / 3 + seed) % 4]).collect::<Vec<_>>().join(" ")
    };
    let keywords: Vec<String> = (0..30)
        .map(|k| (0..12).map(|a| text(8, k + a)).collect::<Vec<_>>().join("|").chars().take(300).collect())
        .collect();
    let body = json!({"reference": text(1_600, 1).chars().take(5_000).collect::<String>(),
                      "answer": text(3_300, 2).chars().take(10_000).collect::<String>(), "keywords": keywords});
    let response = app.post_json("/api/v1/grade", &body).await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
    let grade: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let concepts = grade["concepts"].as_array().expect("concepts");
    assert!(!concepts.is_empty());
    for c in concepts {
        let places = c["spans"].as_array().map_or(0, Vec::len);
        assert!(places <= 20, "{places} places for {}", c["label"]);
    }
}

/// The caller chooses how much work a grading is, so anonymous callers get none.
#[tokio::test]
async fn stateless_grading_needs_a_login() {
    let app = spawn_app().await;
    let response =
        app.post_json("/api/v1/grade", &json!({"reference": REFERENCE, "answer": "Liveness restarts."})).await;
    assert_eq!(response.status(), 401);
    assert_eq!(json_of(response).await["error"]["code"], "unauthorized");
}
