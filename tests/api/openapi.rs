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
            let no_body = [
                "/logout",
                "/me/logout-everywhere",
                "/groups/{id}/leave",
                "/interviews/{id}/finish",
                "/groups/{id}/invite-code",
                "/admin/users/{id}/password-reset",
                "/admin/questions/{id}/retire",
                "/admin/questions/{id}/restore",
                "/admin/topics/{id}/retire",
                "/admin/topics/{id}/restore",
            ]
            .contains(path);
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
        if who == "logged in" && ["/logout", "/me/logout-everywhere"].contains(path) {
            continue;
        }
        let full = format!("{PREFIX}{path}");
        let url = app.url(
            &full.replace("{id}", "x").replace("{attempt_id}", "x").replace("{concept}", "x").replace("{user_id}", "x"),
        );
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

/// The responses of a whole session (sign-up, interview, weak answer, follow-up, claim,
/// progress, history, grading) match the schemas the document gives them: every
/// required field present, no field the document does not name, types and enums right.
#[tokio::test]
async fn real_responses_match_their_documented_schemas() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let check = |method: &str, route: &str, status: u16, body: &Value| {
        let full = format!("{PREFIX}{route}");
        let response = &doc["paths"][&full][method]["responses"][status.to_string()];
        let schema = &response["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{method} {full} {status}: no documented schema");
        let mut errors = Vec::new();
        conform(&doc, schema, body, "$", &mut errors);
        assert!(errors.is_empty(), "{method} {full} {status}:\n{}\nin {body}", errors.join("\n"));
    };
    let got = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        (status, response.json::<Value>().await.expect("JSON body"))
    };

    let (status, body) = got(app.register("erin", "correct horse battery").await).await;
    check("post", "/register", status, &body);
    let (status, body) = got(app.register("erin", "correct horse battery").await).await;
    check("post", "/register", status, &body);
    let (status, body) = got(app.get("/api/v1/me").await).await;
    check("get", "/me", status, &body);
    let (status, body) = got(app.get("/api/v1/topics").await).await;
    check("get", "/topics", status, &body);

    let (status, started) = got(app.start_interview(&json!({"topics": ["kubernetes"], "count": 2})).await).await;
    check("post", "/interviews", status, &started);
    let id = started["id"].as_str().expect("id");
    let qid = started["question"]["id"].as_str().expect("question");
    let (status, weak) = got(app.answer(id, qid, "I am not sure, something with containers.").await).await;
    check("post", "/interviews/{id}/answers", status, &weak);
    let attempt = weak["attempt_id"].as_str().expect("attempt");
    assert!(weak["follow_up"].is_object(), "a weak answer gets a follow-up: {weak}");
    let url = format!("/api/v1/interviews/{id}/follow-ups");
    for _ in 0..2 {
        // The second reply is a conflict: the follow-up was answered.
        let (status, body) = got(app.post_json(&url, &json!({"attempt_id": attempt, "answer": "no idea"})).await).await;
        check("post", "/interviews/{id}/follow-ups", status, &body);
    }
    let missed = weak["missed"][0].as_str().expect("a weak answer misses a concept");
    let (status, body) = got(app.put_claim(attempt, missed, "covered").await).await;
    check("put", "/attempts/{attempt_id}/claims", status, &body);
    let (status, body) = got(app.put_claim(attempt, "flux capacitor", "covered").await).await;
    check("put", "/attempts/{attempt_id}/claims", status, &body);
    let next = weak["next"]["id"].as_str().expect("next question");
    let (status, body) = got(app.answer(id, next, &crate::helpers::reference_of(next)).await).await;
    check("post", "/interviews/{id}/answers", status, &body);

    for (route, path) in [
        ("/interviews/{id}", format!("/api/v1/interviews/{id}")),
        ("/me/history", "/api/v1/me/history".to_string()),
        ("/me/progress", "/api/v1/me/progress".to_string()),
        ("/me/topics", "/api/v1/me/topics".to_string()),
        ("/me/concepts", "/api/v1/me/concepts".to_string()),
        ("/me/due", "/api/v1/me/due".to_string()),
        ("/me/claims", "/api/v1/me/claims".to_string()),
        ("/me/questions/{id}/attempts", format!("/api/v1/me/questions/{qid}/attempts")),
        ("/me/questions/{id}/attempts", "/api/v1/me/questions/nope/attempts".to_string()),
    ] {
        let (status, body) = got(app.get(&path).await).await;
        check("get", route, status, &body);
    }
    // Groups: one member shares, one does not (whose `mastery` is then absent), with an
    // assignment; settings; admin routes refused to a member.
    let (status, created) = got(app.post_json("/api/v1/groups", &json!({"name": "Schema club"})).await).await;
    check("post", "/groups", status, &created);
    let group = created["id"].as_str().expect("group id");
    let (status, body) = got(app.put_json("/api/v1/me/settings", &json!({"share_progress": true})).await).await;
    check("put", "/me/settings", status, &body);
    let (status, body) = got(app.get("/api/v1/me/settings").await).await;
    check("get", "/me/settings", status, &body);
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).format("%Y-%m-%d").to_string();
    let assignment = json!({"topic": "kubernetes", "count": 2, "due_on": due});
    let (status, body) = got(app.put_json(&format!("/api/v1/groups/{group}/assignment"), &assignment).await).await;
    check("put", "/groups/{id}/assignment", status, &body);
    let friend = app.other_client();
    friend.signed_up().await;
    let (status, body) =
        got(friend.post_json("/api/v1/groups/join", &json!({"code": created["invite_code"]})).await).await;
    check("post", "/groups/join", status, &body);
    let (status, body) = got(friend.post_json("/api/v1/groups/join", &json!({"code": "nope"})).await).await;
    check("post", "/groups/join", status, &body);
    let (status, body) = got(app.get(&format!("/api/v1/groups/{group}")).await).await;
    assert!(body["members"][1].get("mastery").is_none(), "the private member's mastery is absent: {body}");
    check("get", "/groups/{id}", status, &body);
    let (status, body) = got(app.get("/api/v1/groups").await).await;
    check("get", "/groups", status, &body);
    let (status, body) = got(app.post_json(&format!("/api/v1/groups/{group}/invite-code"), &json!({})).await).await;
    check("post", "/groups/{id}/invite-code", status, &body);
    let (status, body) = got(friend.get("/api/v1/admin/users").await).await;
    check("get", "/admin/users", status, &body);

    let grade = json!({"reference": "A pod runs containers.", "keywords": ["pod", {"concept": "container", "hint": "Say what runs."}], "answer": "pods"});
    let (status, body) = got(app.post_json("/api/v1/grade", &grade).await).await;
    check("post", "/grade", status, &body);
    let (status, body) = got(app.post_json("/api/v1/grade", &json!({"answer": "x"})).await).await;
    check("post", "/grade", status, &body);
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")],
        None => schema,
    }
}

/// A small JSON Schema check, enough for the shapes utoipa writes.
fn conform(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(variants) = schema["oneOf"].as_array() {
        let fits = variants.iter().any(|v| {
            let mut inner = Vec::new();
            conform(doc, v, value, at, &mut inner);
            inner.is_empty()
        });
        if !fits {
            errors.push(format!("{at}: {value} fits none of {schema}"));
        }
        return;
    }
    if let Some(parts) = schema["allOf"].as_array() {
        // Merge the parts into one object schema, so each part's fields are known to all.
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        for part in parts {
            let part = resolve(doc, part);
            properties.extend(part["properties"].as_object().cloned().unwrap_or_default());
            required.extend(part["required"].as_array().cloned().unwrap_or_default());
        }
        let merged = json!({"type": "object", "properties": properties, "required": required});
        return conform(doc, &merged, value, at, errors);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let fits = types.is_empty() || types.contains(&kind) || (kind == "integer" && types.contains(&"number"));
    if !fits {
        errors.push(format!("{at}: {kind} where the document says {types:?}"));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            errors.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                conform(doc, &schema["items"], item, &format!("{at}[{i}]"), errors);
            }
        }
        Value::Object(fields) => {
            for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                if !fields.contains_key(name) {
                    errors.push(format!("{at}: required field {name} is missing"));
                }
            }
            let properties = schema["properties"].as_object();
            for (name, field) in fields {
                match properties.and_then(|p| p.get(name)) {
                    Some(property) => conform(doc, property, field, &format!("{at}.{name}"), errors),
                    None if schema["additionalProperties"].is_object() => {
                        conform(doc, &schema["additionalProperties"], field, &format!("{at}.{name}"), errors)
                    }
                    None => errors.push(format!("{at}: field {name} is not in the document")),
                }
            }
        }
        _ => {}
    }
}

#[test]
fn the_schema_check_catches_drift() {
    let doc = json!({"components": {"schemas": {"Band": {"type": "string", "enum": ["strong", "weak"]}}}});
    let schema = json!({
        "type": "object",
        "required": ["score", "band"],
        "properties": {
            "score": {"type": "number"},
            "band": {"$ref": "#/components/schemas/Band"},
            "next": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {}}]},
        },
    });
    let errors_of = |value: Value| {
        let mut errors = Vec::new();
        conform(&doc, &schema, &value, "$", &mut errors);
        errors
    };
    assert!(errors_of(json!({"score": 0.5, "band": "weak", "next": null})).is_empty());
    assert!(errors_of(json!({"score": 1, "band": "strong", "next": {}})).is_empty(), "an integer is a number");
    for (value, case) in [
        (json!({"band": "weak"}), "missing field"),
        (json!({"score": 0.5, "band": "weak", "extra": 1}), "undocumented field"),
        (json!({"score": "high", "band": "weak"}), "wrong type"),
        (json!({"score": 0.5, "band": "fine"}), "not in the enum"),
        (json!({"score": 0.5, "band": "weak", "next": 3}), "fits no variant"),
    ] {
        assert!(!errors_of(value).is_empty(), "{case}");
    }
}
