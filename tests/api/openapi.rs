//! The OpenAPI document served at /api/v1/openapi.json covers every route the app
//! registers under /api/v1 (`routes::api::ROUTES` is the list the router is built from).
use rehearse::routes::api::{PREFIX, ROUTES};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

async fn document(app: &TestApp) -> Value {
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(content_type.starts_with("application/json"), "{content_type}");
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).expect("the document is valid JSON")
}

/// Path parameters of an actix path: `{id}` → `id`.
fn path_params(path: &str) -> Vec<&str> {
    path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect()
}

#[tokio::test]
async fn every_registered_route_is_documented_and_nothing_else() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let version = doc["openapi"].as_str().unwrap_or("");
    assert!(version.starts_with("3.1."), "OpenAPI 3.1.x, got {version:?}");

    let paths = doc["paths"].as_object().expect("paths");
    for (method, path) in ROUTES {
        let full = format!("{PREFIX}{path}");
        let operation = &paths.get(&full).unwrap_or_else(|| panic!("{full} is not documented"))[*method];
        assert!(operation.is_object(), "{method} {full} is not documented");
        let documented: Vec<&str> = operation["parameters"]
            .as_array()
            .map(|ps| ps.iter().filter(|p| p["in"] == "path").filter_map(|p| p["name"].as_str()).collect())
            .unwrap_or_default();
        for param in path_params(path) {
            assert!(documented.contains(&param), "{method} {full}: path parameter {param} not documented");
        }
        assert_eq!(documented.len(), path_params(path).len(), "{method} {full}: extra path parameters");
        let responses = operation["responses"].as_object().expect("responses");
        assert!(responses.keys().any(|s| s.starts_with('2')), "{method} {full}: no success response");
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error",
                    "{method} {full}: {status} is not in the error shape"
                );
            }
        }
        if *method == "post" || *method == "put" {
            let takes_body = operation["requestBody"].is_object();
            let no_body = ["/logout"].contains(path);
            assert!(takes_body || no_body, "{method} {full}: request body not documented");
            if takes_body {
                assert!(responses.contains_key("400"), "{method} {full}: a malformed body's 400 not documented");
            }
        }
    }
    let mut operation_ids = Vec::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("path item") {
            let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(!operation_ids.contains(&id), "operationId {id} is used twice");
            operation_ids.push(id);
            let route = path.strip_prefix(PREFIX).unwrap_or(path);
            assert!(
                ROUTES.iter().any(|(m, p)| m == method && *p == route),
                "{method} {path} is documented but not registered"
            );
        }
    }
    let start = &paths["/api/v1/interviews"]["post"]["requestBody"];
    assert_eq!(start["required"], json!(false), "the body of POST /interviews is optional: {start}");
    assert_eq!(start["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/NewInterview");
}

/// Every `$ref` in the document points at a schema it defines.
#[tokio::test]
async fn every_schema_reference_resolves_and_timestamps_say_their_unit() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {r}"));
        assert!(schemas.contains_key(name), "$ref {r} does not resolve");
    }
    let error = &schemas["Error"];
    assert_eq!(error["properties"]["error"]["$ref"], "#/components/schemas/ErrorDetail", "{error}");
    assert_eq!(schemas["ErrorDetail"]["required"], json!(["code", "message"]));

    let timestamps = ["created_at", "claimed_at", "due_at", "next_due_at"];
    let mut seen = 0;
    for (name, schema) in schemas {
        let Some(properties) = schema["properties"].as_object() else { continue };
        for (field, property) in properties {
            if timestamps.contains(&field.as_str()) || (name == "TrendPoint" && field == "start") {
                seen += 1;
                let description = property["description"].as_str().unwrap_or("");
                assert!(description.contains("Unix milliseconds"), "{name}.{field}: {description:?}");
            }
        }
    }
    assert!(seen >= 5, "timestamps found: {seen}");
}

fn collect_refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// What the real server answers a caller with an empty JSON object and unknown ids,
/// logged out and then logged in, is a status the document lists for that route.
#[tokio::test]
async fn the_statuses_the_server_answers_are_documented() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    calls_answer_documented_statuses(&app, &doc, "anonymous").await;
    app.signed_up().await;
    calls_answer_documented_statuses(&app, &doc, "logged in").await;
}

async fn calls_answer_documented_statuses(app: &TestApp, doc: &Value, who: &str) {
    for (method, path) in ROUTES {
        if who == "logged in" && *path == "/logout" {
            continue;
        }
        let full = format!("{PREFIX}{path}");
        let url = app.url(&full.replace("{id}", "x").replace("{attempt_id}", "x").replace("{concept}", "x"));
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let mut request = app.client.request(method.clone(), url);
        if method == Method::POST || method == Method::PUT {
            request = request.json(&json!({}));
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16().to_string();
        let documented = &doc["paths"][&full][method.as_str().to_lowercase()]["responses"];
        assert!(documented.get(&status).is_some(), "{who}: {method} {full} answered {status}, not documented");
    }
}
