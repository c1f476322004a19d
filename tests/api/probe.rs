//! A hostile-input probe: every route, anonymous, as the owner of the data and as
//! another user, gets a battery of bad inputs (broken and oversized bodies, wrong types
//! and methods, odd text, SQL-ish and traversal ids, bogus cookies, junk query strings,
//! malformed HTTP). Whatever comes back must not be a 5xx, no HTML page may carry the
//! `<script>` it was sent unescaped, and no redirect may leave the site.
//!
//! The API routes come from the served OpenAPI document, so a new route is probed
//! without touching this file; the page routes are listed in [`PAGES`], and the probe
//! fails when the router registers one that is not listed there.
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, Method, RequestBuilder};
use serde_json::{json, Map, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{reference_of, spawn_app_with, TestApp};
use rehearse::configuration::Limits;

/// Sent in text fields, ids and query strings; must never come back as markup.
const MARKER: &str = "<script>probe()</script>";

/// The body limit of the JSON and form extractors (`src/routes/mod.rs`).
const BODY_LIMIT: usize = 64 * 1024;

/// Every route outside `/api/v1` as (method, path, form fields it reads).
const PAGES: &[(&str, &str, &[&str])] = &[
    ("GET", "/", &[]),
    ("GET", "/login", &[]),
    ("POST", "/login", &["username", "password", "next"]),
    ("GET", "/signup", &[]),
    ("POST", "/signup", &["username", "password", "next"]),
    ("POST", "/logout", &[]),
    ("GET", "/account", &[]),
    ("POST", "/account/password", &["current_password", "new_password", "new_password_again"]),
    ("POST", "/account/logout-everywhere", &[]),
    ("POST", "/account/sharing", &["share_progress"]),
    ("POST", "/account/retention", &["desired_retention"]),
    ("GET", "/groups", &[]),
    ("POST", "/groups", &["name"]),
    ("POST", "/groups/join", &["code"]),
    ("GET", "/groups/{id}", &[]),
    ("POST", "/groups/{id}/leave", &[]),
    ("POST", "/groups/{id}/invite-code", &[]),
    ("POST", "/groups/{id}/members/{user_id}/remove", &[]),
    ("POST", "/groups/{id}/assignment", &["topic", "count", "due_on", "action"]),
    ("POST", "/groups/{id}/shared/{attempt_id}/mark", &["score", "comment"]),
    ("GET", "/admin/users", &[]),
    ("POST", "/admin/users/{id}/role", &["role"]),
    ("POST", "/admin/users/{id}/access", &["disabled"]),
    ("POST", "/admin/users/{id}/password-reset", &[]),
    ("GET", "/admin/questions", &[]),
    ("GET", "/admin/questions/new", &[]),
    ("GET", "/admin/questions/{id}", &[]),
    ("POST", "/admin/questions", &["id", "topic_id", "prompt", "answer", "keywords", "sample", "action"]),
    ("POST", "/admin/questions/{id}", &["topic_id", "prompt", "answer", "keywords", "sample", "action"]),
    ("POST", "/admin/questions/{id}/retire", &[]),
    ("POST", "/admin/questions/{id}/restore", &[]),
    ("POST", "/admin/questions/{id}/samples", &["answer", "expected_band"]),
    ("POST", "/admin/questions/{id}/samples/{sample_id}/delete", &[]),
    ("POST", "/admin/topics", &["id", "name", "description"]),
    ("POST", "/admin/topics/{id}", &["name", "description"]),
    ("POST", "/admin/topics/{id}/retire", &[]),
    ("POST", "/admin/topics/{id}/restore", &[]),
    ("GET", "/admin/notes", &[]),
    ("POST", "/admin/notes", &["file_name", "text", "topic", "action"]),
    ("GET", "/topics/{id}/notes", &[]),
    ("GET", "/practice", &[]),
    ("POST", "/interviews", &["topic", "count", "mode", "timer"]),
    ("GET", "/interviews/{id}", &[]),
    ("POST", "/interviews/{id}/answer", &["question_id", "answer", "time_taken_ms", "retry"]),
    ("POST", "/interviews/{id}/follow-up", &["attempt_id", "answer"]),
    ("POST", "/interviews/{id}/finish", &[]),
    ("GET", "/history", &[]),
    ("GET", "/progress", &[]),
    ("GET", "/questions", &[]),
    ("GET", "/questions/{id}", &[]),
    ("POST", "/attempts/{id}/claims", &["concept", "claim", "from"]),
    ("POST", "/attempts/{id}/share", &["group_id"]),
    ("GET", "/health", &[]),
    ("GET", "/ready", &[]),
    ("GET", "/static/app.css", &[]),
    ("GET", "/static/app.js", &[]),
];

/// The files whose `.route("path", web::method()…)` calls register the routes above.
const ROUTER_FILES: &[&str] = &["src/routes/mod.rs", "src/routes/pages/mod.rs", "src/routes/assets.rs"];

/// Query strings tried on every GET: open redirects, control characters, bad encodings.
const JUNK_QUERIES: &[&str] = &[
    "next=//evil.example",
    "next=\\\\evil.example",
    "next=/\\evil.example",
    "next=/%09/evil.example",
    "next=%09//evil.example",
    "next=/%0d%0aSet-Cookie:%20x=1",
    "next=https://evil.example/",
    "next=/%2F%2Fevil.example",
    "next=%00",
    "next=%FF%FE",
    "next=javascript:alert(1)",
    "next=/practice%00",
    "ended=everywhere&ended=%3Cscript%3E",
    "changed=-1",
    "changed=99999999999999999999999",
    "changed=%3Cscript%3Eprobe()%3C/script%3E",
    "x=%3Cscript%3Eprobe()%3C/script%3E",
    "%%%&&&===",
    "a[]=1&a[x]=2&a",
];

/// Text that has broken servers before.
fn hostile_strings() -> Vec<(&'static str, String)> {
    vec![
        ("empty", String::new()),
        ("blank", " \t\n ".into()),
        ("script", MARKER.into()),
        ("sql", "' OR 1=1 --".into()),
        ("sql-drop", "x'); DROP TABLE users; --".into()),
        ("traversal", "../../etc/passwd".into()),
        ("percent-nul", "%00".into()),
        ("nul", "a\0b".into()),
        ("control", "\u{1}\u{7}\u{8}\u{1b}[31m\r\n\u{7f}".into()),
        ("rtl-override", "\u{202e}evil\u{202c}.example".into()),
        ("zero-width", "a\u{200b}\u{200d}\u{feff}b".into()),
        ("emoji", "😀👩\u{200d}👩\u{200d}👧🏳\u{fe0f}\u{200d}🌈".into()),
        ("combining", format!("e{}", "\u{301}\u{302}\u{303}\u{304}".repeat(40))),
        ("noncharacters", "\u{fffe}\u{ffff}\u{10ffff}".into()),
        ("template", "{{7*7}} ${jndi:ldap://x} %s%n".into()),
        ("long-words", "a pod runs containers on a node ".repeat(300)),
        ("over-every-cap", "a".repeat(60_000)),
    ]
}

/// Values of the wrong type (or out of range) for any field.
fn wrong_values() -> Vec<(&'static str, Value)> {
    vec![
        ("null", Value::Null),
        ("bool", json!(true)),
        ("negative", json!(-1)),
        ("float", json!(1.5)),
        ("huge-float", json!(1e308)),
        ("u64-max", json!(u64::MAX)),
        ("i64-min", json!(i64::MIN)),
        ("array", json!(["a", 1, null])),
        ("object", json!({"$ne": null})),
        ("many-items", Value::Array(vec![json!("x"); 5_000])),
    ]
}

/// Raw JSON bodies (as bytes: some are not UTF-8), with whether the connection may
/// be dropped before an answer (a body over the limit may be refused while it is sent).
fn raw_bodies() -> Vec<(&'static str, Vec<u8>, bool)> {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes();
    let nested_objects = format!("{}1{}", "{\"a\":".repeat(5_000), "}".repeat(5_000)).into_bytes();
    vec![
        ("empty", vec![], false),
        ("whitespace", b"  \n ".to_vec(), false),
        ("null", b"null".to_vec(), false),
        ("array", b"[]".to_vec(), false),
        ("string", b"\"text\"".to_vec(), false),
        ("number", b"42".to_vec(), false),
        ("empty-object", b"{}".to_vec(), false),
        ("truncated", b"{\"answer\": \"a".to_vec(), false),
        ("unclosed", b"{".to_vec(), false),
        ("trailing-garbage", b"{} x".to_vec(), false),
        ("trailing-comma", b"{\"a\": 1,}".to_vec(), false),
        ("single-quotes", b"{'a': 1}".to_vec(), false),
        ("comment", b"/* x */ {}".to_vec(), false),
        ("nan", b"{\"count\": NaN}".to_vec(), false),
        ("duplicate-keys", b"{\"answer\": \"a\", \"answer\": \"b\"}".to_vec(), false),
        ("unknown-field", b"{\"probe_unknown\": 1}".to_vec(), false),
        ("bom", b"\xef\xbb\xbf{}".to_vec(), false),
        ("invalid-utf8", b"{\"answer\": \"\xff\xfe\xc3\x28\"}".to_vec(), false),
        ("overlong-utf8", b"{\"answer\": \"\xc0\xaf\"}".to_vec(), false),
        ("lone-surrogate", b"{\"answer\": \"\\ud800\"}".to_vec(), false),
        ("nul-escape", b"{\"answer\": \"\\u0000\"}".to_vec(), false),
        ("raw-control", b"{\"answer\": \"a\x01\x1b\"}".to_vec(), false),
        ("nested-arrays", nested(100_000), true),
        ("nested-shallow", nested(127), false),
        ("nested-objects", nested_objects, false),
        ("just-over-limit", vec![b' '; BODY_LIMIT + 1], true),
        ("huge", vec![b'{'; 4 * 1024 * 1024], true),
    ]
}

/// Ids put in path segments (percent-encoded by the URL builder).
fn hostile_ids() -> Vec<(&'static str, String)> {
    vec![
        ("nil-uuid", "00000000-0000-0000-0000-000000000000".into()),
        ("random-uuid", uuid::Uuid::new_v4().to_string()),
        ("not-a-uuid", "abc".into()),
        ("sql", "' OR 1=1 --".into()),
        ("sql-union", "1 UNION SELECT password_hash FROM users".into()),
        ("traversal", "../../etc/passwd".into()),
        ("percent-nul", "%00".into()),
        ("nul", "\0".into()),
        ("newline", "a\r\nSet-Cookie: x=1".into()),
        ("script", MARKER.into()),
        ("rtl-override", "\u{202e}1234".into()),
        ("zero-width", "\u{200b}".into()),
        ("emoji", "😀".into()),
        ("combining", "e\u{301}\u{301}\u{301}".into()),
        ("long", "9".repeat(4_000)),
        ("very-long", "x".repeat(20_000)),
    ]
}

/// What the owner has, so the probe can also go deep into real records.
struct Owned {
    user_id: String,
    interview: String,
    question: String,
    attempt: String,
    concept: String,
}

/// One identity the battery runs as: its cookies and the CSRF token of its pages.
struct Pass {
    name: &'static str,
    cookie: String,
    csrf: String,
    /// Whose sessions to bring back after a request ended them (the owner's, so the
    /// rest of the battery still runs logged in).
    revive: Option<String>,
}

struct Probe {
    app: TestApp,
    db: sqlx::AnyPool,
    client: Client,
    requests: usize,
    server_errors: Vec<String>,
    no_answer: Vec<String>,
    reflected: Vec<String>,
    offsite_redirects: Vec<String>,
    case: usize,
    pending: tokio::task::JoinSet<Vec<Finding>>,
}

impl Probe {
    /// Sends one request (up to [`IN_FLIGHT`] at once: refusals are held back a second
    /// and hashing queues, so one at a time would take minutes).
    async fn send(&mut self, pass: &Pass, label: String, request: RequestBuilder, may_drop: bool) {
        let label: String = format!("[{}] {label}", pass.name).chars().take(200).collect();
        let revive = pass.revive.clone().map(|user| (user, self.db.clone()));
        self.spawn(async move { answer_of(label, request, may_drop, revive).await }).await;
    }

    async fn spawn(&mut self, task: impl std::future::Future<Output = Vec<Finding>> + Send + 'static) {
        self.requests += 1;
        self.pending.spawn(task);
        while self.pending.len() >= IN_FLIGHT {
            self.collect_one().await;
        }
    }

    async fn collect_one(&mut self) {
        let Some(done) = self.pending.join_next().await else { return };
        for finding in done.expect("a probe request ran") {
            match finding {
                Finding::ServerError(s) => self.server_errors.push(s),
                Finding::NoAnswer(s) => self.no_answer.push(s),
                Finding::Reflected(s) => self.reflected.push(s),
                Finding::Offsite(s) => self.offsite_redirects.push(s),
            }
        }
    }

    /// Waits for every request sent so far.
    async fn finish(&mut self) {
        while !self.pending.is_empty() {
            self.collect_one().await;
        }
    }

    fn request(&self, pass: &Pass, method: Method, url: &str) -> RequestBuilder {
        let builder = self.client.request(method, url);
        if pass.cookie.is_empty() {
            builder
        } else {
            builder.header(COOKIE, &pass.cookie)
        }
    }

    /// A fresh string for fields that must differ per request (usernames: the login
    /// throttle counts per name).
    fn fresh(&mut self) -> String {
        self.case += 1;
        format!("probe{}", self.case)
    }

    /// A sample of a schema: the first of an enum, a fresh string, 1, false, one item.
    fn sample(&mut self, doc: &Value, schema: &Value) -> Value {
        let schema = resolve(doc, schema);
        if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
            return first.clone();
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(first) = schema[key].as_array().and_then(|v| v.iter().find(|s| s["type"] != "null")) {
                return self.sample(doc, first);
            }
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        match types.into_iter().find(|t| *t != "null") {
            Some("string") => Value::String(self.fresh()),
            Some("integer") => json!(1),
            Some("number") => json!(1.0),
            Some("boolean") => json!(false),
            Some("array") => json!([self.sample(doc, &schema["items"])]),
            Some("object") | None if schema["properties"].is_object() => {
                let mut object = Map::new();
                for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                    object.insert(name.clone(), self.sample(doc, property));
                }
                Value::Object(object)
            }
            _ => Value::Null,
        }
    }
}

/// Requests in flight at once.
const IN_FLIGHT: usize = 16;

/// What is wrong with one answer.
enum Finding {
    ServerError(String),
    NoAnswer(String),
    Reflected(String),
    Offsite(String),
}

/// Sends `request` and says what is wrong with its answer. When the answer ended the
/// session of a pass that must stay logged in, the session is brought back.
async fn answer_of(
    label: String,
    request: RequestBuilder,
    may_drop: bool,
    revive: Option<(String, sqlx::AnyPool)>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let response = match request.timeout(Duration::from_secs(10)).send().await {
        Ok(response) => response,
        Err(e) => {
            if !may_drop {
                findings.push(Finding::NoAnswer(format!("{label}: {e}")));
            }
            return findings;
        }
    };
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    if status >= 500 {
        findings.push(Finding::ServerError(format!("{label}: {status}")));
    }
    if let Some(location) = headers.get(LOCATION) {
        let location = String::from_utf8_lossy(location.as_bytes()).to_string();
        if !is_local(&location) {
            findings.push(Finding::Offsite(format!("{label}: Location {location:?}")));
        }
    }
    let html = headers.get(CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    let body = response.bytes().await.unwrap_or_default();
    if html && String::from_utf8_lossy(&body).contains(MARKER) {
        findings.push(Finding::Reflected(label));
    }
    let ended = headers.get_all(SET_COOKIE).iter().any(|c| c.as_bytes().starts_with(b"rehearse_session="));
    if let (true, Some((user_id, db))) = (ended, revive) {
        sqlx::query("UPDATE sessions SET revoked_at = NULL WHERE user_id = $1")
            .bind(user_id)
            .execute(&db)
            .await
            .expect("session revived");
    }
    findings
}

/// A redirect target on this site: a path, not `//host` or `/\host`, no control
/// characters or whitespace (browsers drop tabs and newlines, making `/\t/host` `//host`).
fn is_local(location: &str) -> bool {
    let local = location.starts_with('/') && !location.starts_with("//") && !location.starts_with("/\\");
    local && !location.chars().any(|c| c.is_control() || c.is_whitespace())
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => &doc["components"]["schemas"][name],
        None => schema,
    }
}

/// `/interviews/{id}` with each `{…}` replaced: the owner's record where the segment
/// before names one, else `other`.
fn fill(path: &str, owned: &Owned, other: Option<&str>) -> String {
    let mut out = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        if segment.starts_with('{') {
            let real = match (i.checked_sub(1).map(|j| segments[j]), *segment) {
                (_, "{concept}") => &owned.concept,
                (Some("interviews"), _) => &owned.interview,
                (Some("questions"), _) => &owned.question,
                (Some("attempts"), _) => &owned.attempt,
                _ => &owned.interview,
            };
            out.push(encode(other.unwrap_or(real.as_str())));
        } else {
            out.push(segment.to_string());
        }
    }
    out.join("/")
}

/// Percent-encodes one path segment.
fn encode(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn form_encode(fields: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish()
}

const ALL_METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"];

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).expect("method")
}

/// Every JSON route of the served document: (method, path, request body schema).
fn api_routes(doc: &Value) -> Vec<(String, String, Option<Value>)> {
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (verb, operation) in item.as_object().expect("path item") {
            let schema = operation["requestBody"]["content"]["application/json"]["schema"].clone();
            let schema = (!schema.is_null()).then_some(schema);
            routes.push((verb.to_uppercase(), path.clone(), schema));
        }
    }
    routes
}

/// The battery for one JSON route.
async fn probe_api_route(
    p: &mut Probe,
    pass: &Pass,
    doc: &Value,
    owned: &Owned,
    route: &(String, String, Option<Value>),
) {
    let (verb, path, schema) = route;
    let url = p.app.url(&fill(path, owned, None));
    let writes = !matches!(verb.as_str(), "GET" | "HEAD");
    let json_request = |p: &Probe, body: Vec<u8>| {
        p.request(pass, method(verb), &url).header(CONTENT_TYPE, "application/json").body(body)
    };

    // The route as documented, then every field of its body swapped for something bad.
    if let Some(schema) = schema {
        let base = p.sample(doc, schema);
        let fields: Vec<String> = base.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
        let fresh_base = |p: &mut Probe| {
            let mut fresh = p.sample(doc, schema);
            if let (Some(fresh), Some(base)) = (fresh.as_object_mut(), base.as_object()) {
                for (k, v) in base {
                    fresh.entry(k.clone()).or_insert(v.clone());
                }
            }
            fresh
        };
        for field in &fields {
            let mut values: Vec<(String, Value)> =
                hostile_strings().into_iter().map(|(n, s)| (n.to_string(), Value::String(s))).collect();
            values.extend(wrong_values().into_iter().map(|(n, v)| (n.to_string(), v)));
            for (name, value) in values {
                let mut body = fresh_base(p);
                body[field.as_str()] = value;
                let bytes = serde_json::to_vec(&body).expect("json");
                let request = json_request(p, bytes);
                p.send(pass, format!("{verb} {path} {field}={name}"), request, false).await;
            }
            let mut body = fresh_base(p);
            body.as_object_mut().expect("object").remove(field);
            let request = json_request(p, serde_json::to_vec(&body).expect("json"));
            p.send(pass, format!("{verb} {path} without {field}"), request, false).await;
        }
        let mut body = fresh_base(p);
        body["probe_unknown_field"] = json!(MARKER);
        let request = json_request(p, serde_json::to_vec(&body).expect("json"));
        p.send(pass, format!("{verb} {path} unknown field"), request, false).await;
    }

    if writes {
        for (name, body, may_drop) in raw_bodies() {
            let request = json_request(p, body);
            p.send(pass, format!("{verb} {path} body {name}"), request, may_drop).await;
        }
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=utf-16",
            "application/jsonp",
            "APPLICATION/JSON",
            ";;;",
            "application/json\u{0}",
        ] {
            let request =
                p.request(pass, method(verb), &url).header(CONTENT_TYPE, content_type.replace('\0', "%00")).body("{}");
            p.send(pass, format!("{verb} {path} as {content_type:?}"), request, false).await;
        }
        let request = p.request(pass, method(verb), &url).body("{}");
        p.send(pass, format!("{verb} {path} body without a type"), request, false).await;
        let request = p.request(pass, method(verb), &url).header(CONTENT_TYPE, "application/json");
        p.send(pass, format!("{verb} {path} typed but no body"), request, false).await;
        let request = p.request(pass, method(verb), &url).header("origin", "https://evil.example").json(&json!({}));
        p.send(pass, format!("{verb} {path} from another origin"), request, false).await;
    }

    // Hostile ids in each path segment that takes one.
    if path.contains('{') {
        for (name, id) in hostile_ids() {
            let url = p.app.url(&fill(path, owned, Some(&id)));
            let mut request = p.request(pass, method(verb), &url);
            if let Some(schema) = schema {
                let body = p.sample(doc, schema);
                request = request.json(&body);
            }
            p.send(pass, format!("{verb} {path} id={name}"), request, false).await;
        }
    }
    probe_methods_and_queries(p, pass, verb, &url, path).await;
}

/// Methods the route does not take, HEAD and OPTIONS, and junk query strings.
async fn probe_methods_and_queries(p: &mut Probe, pass: &Pass, verb: &str, url: &str, path: &str) {
    for other in ALL_METHODS.iter().filter(|m| **m != verb) {
        let request = p.request(pass, method(other), url);
        p.send(pass, format!("{other} {path} (takes {verb})"), request, false).await;
    }
    for query in JUNK_QUERIES {
        let request = p.request(pass, method(verb), &format!("{url}?{query}"));
        p.send(pass, format!("{verb} {path}?{query}"), request, false).await;
    }
}

/// The battery for one page route.
async fn probe_page(p: &mut Probe, pass: &Pass, owned: &Owned, (verb, path, fields): &(&str, &str, &[&str])) {
    let url = p.app.url(&fill(path, owned, None));
    if *verb == "POST" {
        let token = pass.csrf.clone();
        let base = |p: &mut Probe| -> Vec<(String, String)> {
            fields
                .iter()
                .map(|f| (f.to_string(), if *f == "username" { p.fresh() } else { format!("probe{f}") }))
                .collect()
        };
        let with_token = |mut fields: Vec<(String, String)>| {
            fields.push(("csrf_token".to_string(), token.clone()));
            fields
        };
        let form = |p: &Probe, body: Vec<u8>| {
            p.request(pass, Method::POST, &url).header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(body)
        };
        for field in fields.iter() {
            for (name, value) in hostile_strings() {
                let mut fields = base(p);
                fields.iter_mut().filter(|(k, _)| k.as_str() == *field).for_each(|(_, v)| *v = value.clone());
                let request = form(p, form_encode(&with_token(fields)).into_bytes());
                p.send(pass, format!("POST {path} {field}={name}"), request, false).await;
            }
            let fields: Vec<_> = base(p).into_iter().filter(|(k, _)| k.as_str() != *field).collect();
            let request = form(p, form_encode(&with_token(fields)).into_bytes());
            p.send(pass, format!("POST {path} without {field}"), request, false).await;
        }
        let mut cases: Vec<(&str, Vec<u8>, bool)> = vec![
            ("no token", form_encode(&base(p)).into_bytes(), false),
            ("forged token", format!("{}&csrf_token=00ff", form_encode(&base(p))).into_bytes(), false),
            ("token twice", format!("{}&csrf_token=x", form_encode(&with_token(base(p)))).into_bytes(), false),
            ("empty body", vec![], false),
            ("only the token", form_encode(&with_token(vec![])).into_bytes(), false),
            (
                "bad percent",
                format!("{}&answer=%FF%FE%C3%28&next=%", form_encode(&with_token(base(p)))).into_bytes(),
                false,
            ),
            ("raw bytes", [form_encode(&with_token(base(p))).as_bytes(), b"&answer=\xff\xfe\x00"].concat(), false),
            (
                "over the form limit",
                form_encode(&with_token(vec![("answer".into(), "a".repeat(BODY_LIMIT))])).into_bytes(),
                true,
            ),
            ("huge", vec![b'a'; 4 * 1024 * 1024], true),
            (
                "repeated fields",
                form_encode(&with_token(vec![("topic".into(), "x".into()); 2_000])).into_bytes(),
                false,
            ),
        ];
        for next in ["//evil.example", "/\\evil.example", "/%09/evil.example", "\t//evil.example", "/\u{0}x"] {
            let mut fields = with_token(base(p));
            fields.push(("next".into(), next.into()));
            cases.push(("next", form_encode(&fields).into_bytes(), false));
        }
        for (name, body, may_drop) in cases {
            let request = form(p, body);
            p.send(pass, format!("POST {path} {name}"), request, may_drop).await;
        }
        for content_type in ["application/json", "text/plain", "multipart/form-data; boundary=x", "x/y"] {
            let body = form_encode(&with_token(base(p)));
            let request = p.request(pass, Method::POST, &url).header(CONTENT_TYPE, content_type).body(body);
            p.send(pass, format!("POST {path} as {content_type:?}"), request, false).await;
        }
        let body = form_encode(&with_token(base(p))).into_bytes();
        let request = form(p, body).header("origin", "https://evil.example");
        p.send(pass, format!("POST {path} from another origin"), request, false).await;
    }
    if path.contains('{') {
        for (name, id) in hostile_ids() {
            let url = p.app.url(&fill(path, owned, Some(&id)));
            let mut request = p.request(pass, method(verb), &url);
            if *verb == "POST" {
                let fields: Vec<(String, String)> = fields
                    .iter()
                    .map(|f| (f.to_string(), "x".into()))
                    .chain([("csrf_token".into(), pass.csrf.clone())])
                    .collect();
                request = request.header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(form_encode(&fields));
            }
            p.send(pass, format!("{verb} {path} id={name}"), request, false).await;
        }
    }
    probe_methods_and_queries(p, pass, verb, &url, path).await;
}

/// Requests reqwest will not write: traversal, bad encodings and broken framing, sent
/// on a plain socket. Returns the status, or `None` when the server closed without one.
async fn raw(address: &str, request: &[u8]) -> Option<u16> {
    let host = address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.ok()?;
    stream.write_all(request).await.ok()?;
    let mut buffer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(3), async {
        let mut chunk = [0u8; 4096];
        while !buffer.windows(2).any(|w| w == b"\r\n") {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
    });
    read.await.ok()?;
    let line = String::from_utf8_lossy(&buffer);
    line.split_whitespace().nth(1).and_then(|s| s.parse().ok())
}

async fn probe_raw(p: &mut Probe, pass: &Pass, owned: &Owned) {
    let cookie = if pass.cookie.is_empty() { String::new() } else { format!("Cookie: {}\r\n", pass.cookie) };
    let host = p.app.address.trim_start_matches("http://").to_string();
    let interview = &owned.interview;
    let heads: Vec<(&str, String)> = vec![
        ("traversal", "GET /../../etc/passwd HTTP/1.1".into()),
        ("static traversal", "GET /static/../../Cargo.toml HTTP/1.1".into()),
        ("encoded traversal", "GET /static/%2e%2e/%2e%2e/Cargo.toml HTTP/1.1".into()),
        ("api traversal", format!("GET /api/v1/interviews/{interview}/../../me HTTP/1.1")),
        ("percent nul", "GET /interviews/%00 HTTP/1.1".into()),
        ("invalid utf-8", "GET /interviews/%FF%FE HTTP/1.1".into()),
        ("invalid utf-8 api", "GET /api/v1/interviews/%C3%28 HTTP/1.1".into()),
        ("bad escape", "GET /questions/%ZZ HTTP/1.1".into()),
        ("lone percent", "GET /% HTTP/1.1".into()),
        ("bad escape in query", "GET /login?next=%E0%A4%A HTTP/1.1".into()),
        ("asterisk", "OPTIONS * HTTP/1.1".into()),
        ("absolute form", "GET http://evil.example/login?next=//evil.example HTTP/1.1".into()),
        ("http/1.0", "GET / HTTP/1.0".into()),
        ("bogus version", "GET / HTTP/9.9".into()),
        ("lowercase method", "get / HTTP/1.1".into()),
        ("long path", format!("GET /interviews/{} HTTP/1.1", "a".repeat(100_000))),
    ];
    for (name, head) in heads {
        let request = format!("{head}\r\nHost: {host}\r\n{cookie}Connection: close\r\n\r\n");
        p.raw_case(pass, name, request.into_bytes(), name == "long path").await;
    }
    let post = |path: &str, headers: &[u8], body: &[u8]| -> Vec<u8> {
        let head = format!("POST {path} HTTP/1.1\r\nHost: {host}\r\n{cookie}Connection: close\r\n");
        [head.as_bytes(), headers, b"\r\n", body].concat()
    };
    let answers = format!("/api/v1/interviews/{interview}/answers");
    let json = "Content-Type: application/json\r\n";
    let big_chunks =
        [b"10000\r\n".as_slice(), &[b' '; 0x10000], b"\r\n10000\r\n", &[b' '; 0x10000], b"\r\n0\r\n\r\n"].concat();
    let huge_header = format!("{json}X-Probe: {}\r\nContent-Length: 2\r\n", "a".repeat(200_000));
    let many_headers = format!("{json}{}Content-Length: 2\r\n", "X-Probe: a\r\n".repeat(500));
    let cases: Vec<(&str, Vec<u8>, bool)> = vec![
        ("negative length", post(&answers, format!("{json}Content-Length: -1\r\n").as_bytes(), b"{}"), false),
        (
            "absurd length",
            post(&answers, format!("{json}Content-Length: 99999999999999999999\r\n").as_bytes(), b"{}"),
            false,
        ),
        (
            "two lengths",
            post(&answers, format!("{json}Content-Length: 2\r\nContent-Length: 5\r\n").as_bytes(), b"{}"),
            false,
        ),
        (
            "length and chunked",
            post(
                &answers,
                format!("{json}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n").as_bytes(),
                b"2\r\n{}\r\n0\r\n\r\n",
            ),
            false,
        ),
        (
            "bad chunk",
            post(&answers, format!("{json}Transfer-Encoding: chunked\r\n").as_bytes(), b"zz\r\n{}\r\n0\r\n\r\n"),
            true,
        ),
        (
            "chunked over the limit",
            post(&answers, format!("{json}Transfer-Encoding: chunked\r\n").as_bytes(), &big_chunks),
            true,
        ),
        ("short body", post(&answers, format!("{json}Content-Length: 100\r\n").as_bytes(), b"{}"), true),
        (
            "form chunked",
            post(
                &format!("/interviews/{interview}/answer"),
                b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n",
                b"3\r\na=b\r\n0\r\n\r\n",
            ),
            false,
        ),
        (
            "header bytes",
            post("/login", b"Content-Type: a\xff\r\nX-Probe: \x01\x7f\r\nContent-Length: 0\r\n", b""),
            false,
        ),
        ("huge header", post("/api/v1/login", huge_header.as_bytes(), b"{}"), true),
        ("many headers", post("/api/v1/login", many_headers.as_bytes(), b"{}"), true),
        ("garbage", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n".to_vec(), true),
    ];
    for (name, bytes, may_drop) in cases {
        p.raw_case(pass, name, bytes, may_drop).await;
    }
}

impl Probe {
    async fn raw_case(&mut self, pass: &Pass, name: &str, bytes: Vec<u8>, may_drop: bool) {
        let label = format!("[{}] raw {name}", pass.name);
        let address = self.app.address.clone();
        self.spawn(async move {
            match raw(&address, &bytes).await {
                Some(status) if status >= 500 => vec![Finding::ServerError(format!("{label}: {status}"))],
                Some(_) => vec![],
                None if may_drop => vec![],
                None => vec![Finding::NoAnswer(label)],
            }
        })
        .await;
    }
}

/// Bogus cookies on a few routes of each kind.
async fn probe_cookies(p: &mut Probe, owned: &Owned) {
    let cookies = [
        "rehearse_session=garbage".to_string(),
        "rehearse_session=".to_string(),
        format!("rehearse_session={}", "0".repeat(64)),
        format!("rehearse_session={}", "f".repeat(8_000)),
        "rehearse_session=' OR 1=1 --".to_string(),
        "rehearse_session=%00%FF; rehearse_csrf=%00".to_string(),
        "rehearse_session=a; rehearse_session=b".to_string(),
        format!("rehearse_csrf={MARKER}"),
        "=; ;;; rehearse_session".to_string(),
        format!("big={}", "x".repeat(30_000)),
    ];
    let interview = format!("/interviews/{}", owned.interview);
    let api_interview = format!("/api/v1{interview}");
    for cookie in cookies {
        let pass = Pass { name: "cookies", cookie: cookie.clone(), csrf: String::new(), revive: None };
        for (verb, path) in [
            ("GET", "/"),
            ("GET", "/practice"),
            ("GET", interview.as_str()),
            ("GET", "/api/v1/me"),
            ("GET", api_interview.as_str()),
            ("POST", "/logout"),
            ("POST", "/api/v1/logout"),
            ("GET", "/health"),
        ] {
            let request = p.request(&pass, method(verb), &p.app.url(path));
            let shown: String = cookie.chars().take(40).collect();
            p.send(&pass, format!("{verb} {path} cookie {shown}"), request, false).await;
        }
    }
}

/// The `rehearse_session` and `rehearse_csrf` values a response sets, as a Cookie header.
fn cookies_set(headers: &HeaderMap) -> String {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .filter(|c| c.starts_with("rehearse_session=") || c.starts_with("rehearse_csrf="))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The CSRF token of the start page as seen with `cookie`, and the cookies it adds.
async fn page_token(client: &Client, address: &str, cookie: &str) -> (String, String) {
    let mut request = client.get(format!("{address}/"));
    if !cookie.is_empty() {
        request = request.header(COOKIE, cookie);
    }
    let response = request.send().await.expect("start page");
    let added = cookies_set(response.headers());
    let html = response.text().await.expect("html");
    let token = html
        .split_once(r#"<meta name="csrf-token" content=""#)
        .and_then(|(_, rest)| rest.split('"').next())
        .expect("a CSRF token")
        .to_string();
    let cookie = [cookie, added.as_str()].iter().filter(|c| !c.is_empty()).copied().collect::<Vec<_>>().join("; ");
    (token, cookie)
}

/// Signs a user up with a plain client and returns the session cookie and user id.
async fn sign_up(client: &Client, address: &str, name: &str) -> (String, String) {
    let response = client
        .post(format!("{address}/api/v1/register"))
        .json(&json!({"username": name, "password": "correct horse battery"}))
        .send()
        .await
        .expect("register");
    assert_eq!(response.status(), 201, "sign-up works");
    let cookie = cookies_set(response.headers());
    let user: Value = response.json().await.expect("user");
    (cookie, user["id"].as_str().expect("id").to_string())
}

/// The owner's records: an interview with one graded answer.
async fn owned_records(client: &Client, address: &str, cookie: &str, user_id: String) -> Owned {
    let started: Value = client
        .post(format!("{address}/api/v1/interviews"))
        .header(COOKIE, cookie)
        .json(&json!({"topics": ["kubernetes"], "count": 3}))
        .send()
        .await
        .expect("start")
        .json()
        .await
        .expect("interview");
    let interview = started["id"].as_str().expect("interview id").to_string();
    let question = started["question"]["id"].as_str().expect("question id").to_string();
    let answered: Value = client
        .post(format!("{address}/api/v1/interviews/{interview}/answers"))
        .header(COOKIE, cookie)
        .json(&json!({"question_id": question, "answer": reference_of(&question)}))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("graded");
    let attempt = answered["attempt_id"].as_str().expect("attempt id").to_string();
    let concept = answered["concepts"][0]["label"].as_str().expect("a concept").to_string();
    Owned { user_id, interview, question, attempt, concept }
}

/// The routes the router files register outside `/api/v1`, as "METHOD /path".
fn registered_page_routes() -> BTreeSet<String> {
    let mut routes = BTreeSet::new();
    for file in ROUTER_FILES {
        let source = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        for piece in source.split(".route(\"").skip(1) {
            let Some((path, rest)) = piece.split_once('"') else { continue };
            let Some(verb) = rest.split_once("web::").and_then(|(_, r)| r.split_once('(')).map(|(v, _)| v) else {
                continue;
            };
            routes.insert(format!("{} {path}", verb.to_uppercase()));
        }
    }
    routes
}

#[test]
fn every_page_route_the_router_registers_is_in_the_probe_list() {
    let registered = registered_page_routes();
    assert!(registered.len() >= 10, "the router files were read: {registered:?}");
    let listed: BTreeSet<String> = PAGES.iter().map(|(m, p, _)| format!("{m} {p}")).collect();
    let missing: Vec<&String> = registered.difference(&listed).collect();
    assert!(missing.is_empty(), "page routes the probe does not try (add them to PAGES): {missing:?}");
    let stale: Vec<&String> = listed.difference(&registered).collect();
    assert!(stale.is_empty(), "PAGES lists routes the router no longer has: {stale:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_hostile_input_gets_a_server_error_or_is_reflected_as_markup() {
    let started = Instant::now();
    // Per-user and per-address limits have their own tests; here they would only turn
    // cases into 429s.
    let app = spawn_app_with(|s| {
        s.limits = Limits {
            answers_per_minute: 100_000,
            interviews_per_minute: 100_000,
            gradings_per_minute: 100_000,
            logins_per_minute_per_address: 100_000,
            signups_per_hour_per_address: 100_000,
        }
    })
    .await;
    let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let address = app.address.clone();

    let (owner_cookie, owner_id) = sign_up(&client, &address, "probe_owner").await;
    let owned = owned_records(&client, &address, &owner_cookie, owner_id).await;
    let (stranger_cookie, stranger_id) = sign_up(&client, &address, "probe_stranger").await;

    let mut passes = Vec::new();
    for (name, cookie, revive) in [
        ("anonymous", String::new(), None),
        ("owner", owner_cookie, Some(owned.user_id.clone())),
        ("stranger", stranger_cookie, Some(stranger_id)),
    ] {
        let (csrf, cookie) = page_token(&client, &address, &cookie).await;
        passes.push(Pass { name, cookie, csrf, revive });
    }

    let doc: Value = client.get(app.url("/api/v1/openapi.json")).send().await.expect("doc").json().await.expect("json");
    let routes = api_routes(&doc);
    assert!(routes.len() >= 20, "the document lists the API: {}", routes.len());
    let db = app.db().await;
    let mut p = Probe {
        app,
        db,
        client,
        requests: 0,
        server_errors: vec![],
        no_answer: vec![],
        reflected: vec![],
        offsite_redirects: vec![],
        case: 0,
        pending: tokio::task::JoinSet::new(),
    };

    for pass in &passes {
        for route in &routes {
            probe_api_route(&mut p, pass, &doc, &owned, route).await;
        }
        for page in PAGES {
            probe_page(&mut p, pass, &owned, page).await;
        }
        probe_raw(&mut p, pass, &owned).await;
    }
    probe_cookies(&mut p, &owned).await;

    p.finish().await;
    let alive = p.client.get(p.app.url("/health")).send().await.map(|r| r.status().as_u16());
    // The SQL-ish input changed nothing it should not have: the owner's records are
    // there, still the owner's alone.
    let interview = format!("/api/v1/interviews/{}", owned.interview);
    let seen_by = |pass: &Pass| p.client.get(p.app.url(&interview)).header(COOKIE, &pass.cookie).send();
    let owner_view: Value = seen_by(&passes[1]).await.expect("owner").json().await.expect("interview json");
    let stranger_view = seen_by(&passes[2]).await.expect("stranger").status();
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&p.db).await.expect("users");
    println!(
        "probe: {} requests, {} 5xx ({} reflected, {} off-site redirects, {} unanswered) in {:.1} s",
        p.requests,
        p.server_errors.len(),
        p.reflected.len(),
        p.offsite_redirects.len(),
        p.no_answer.len(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(alive.ok(), Some(200), "the server still answers after the probe");
    assert!(owner_view.to_string().contains(&owned.attempt), "the owner's answer is still there: {owner_view}");
    assert_eq!(stranger_view, 404, "another user still cannot see the owner's interview");
    assert!(users >= 2, "the users table is intact: {users}");
    assert!(p.server_errors.is_empty(), "5xx answers:\n{}", p.server_errors.join("\n"));
    assert!(p.reflected.is_empty(), "pages that carry the sent <script> unescaped:\n{}", p.reflected.join("\n"));
    assert!(p.offsite_redirects.is_empty(), "redirects off the site:\n{}", p.offsite_redirects.join("\n"));
    assert!(p.no_answer.is_empty(), "requests that got no answer:\n{}", p.no_answer.join("\n"));
}
