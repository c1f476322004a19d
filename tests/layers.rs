//! The layering the README describes ("How the code is laid out"), checked on the
//! sources: a `use` that crosses a boundary fails here, before review has to catch it.
use std::path::Path;

/// The Rust files under `src/<dir>`, with their text.
fn sources(dir: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir)];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("readable source folder") {
                stack.push(entry.expect("entry").path());
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("readable source");
            found.push((path.display().to_string(), text));
        }
    }
    found
}

/// Every `crate::<module>` and web or SQL crate named in the files under `src/<dir>`,
/// with the file it is in.
fn references(dir: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (file, text) in sources(dir) {
        for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
            if let Some(rest) = word.strip_prefix("crate::") {
                let module = rest.split("::").next().unwrap_or("");
                found.push((file.clone(), format!("crate::{module}")));
            } else if let Some(name) = word.split("::").next().filter(|_| word.contains("::")) {
                if ["actix_web", "actix_session", "sqlx", "reqwest"].contains(&name) {
                    found.push((file.clone(), name.to_string()));
                }
            }
        }
    }
    found
}

fn assert_only(dir: &str, allowed: &[&str]) {
    let wrong: Vec<String> = references(dir)
        .into_iter()
        .filter(|(_, r)| !allowed.contains(&r.as_str()))
        .map(|(file, r)| format!("{file}: {r}"))
        .collect();
    assert!(wrong.is_empty(), "src/{dir} may use only {allowed:?}, but:\n{}", wrong.join("\n"));
}

#[test]
fn the_grader_imports_nothing_of_the_app_nor_the_web_or_sql() {
    assert_only("grading", &[]);
}

#[test]
fn learning_and_the_domain_use_only_the_pure_layers() {
    assert_only("learning", &["crate::grading", "crate::learning"]);
    assert_only("domain", &["crate::grading", "crate::learning", "crate::bank", "crate::domain"]);
    // The question-file model the domain builds on is pure too.
    assert_only("bank", &["crate::grading", "crate::bank"]);
}

#[test]
fn the_services_use_neither_the_web_nor_sql() {
    let services = [
        "crate::domain",
        "crate::grading",
        "crate::learning",
        "crate::store",
        "crate::bank",
        "crate::configuration",
        "crate::practice",
        "crate::auth",
        "crate::metrics",
        "crate::ratelimit",
    ];
    assert_only("practice", &services);
    assert_only("auth", &services);
}

#[test]
fn the_store_never_reaches_up_to_services_or_the_web() {
    assert_only("store", &["crate::domain", "crate::learning", "crate::bank", "crate::store", "sqlx"]);
    // The scan sees what it looks for: the store's own SQL.
    assert!(references("store").iter().any(|(_, r)| r == "sqlx"));
}

#[test]
fn the_web_reaches_the_store_only_for_the_clock() {
    let store_uses: Vec<String> = sources("routes")
        .into_iter()
        .flat_map(|(file, text)| {
            text.lines()
                .filter(|l| l.contains("crate::store"))
                .map(|l| format!("{file}: {}", l.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    let wrong: Vec<&String> = store_uses.iter().filter(|l| !l.ends_with("use crate::store::now_millis;")).collect();
    assert!(wrong.is_empty(), "routes call the services, not the store:\n{wrong:#?}");
    assert!(references("routes").iter().all(|(_, r)| r != "sqlx"), "no SQL in the web layer");
}

#[test]
fn the_services_hand_the_web_domain_types_not_store_rows() {
    // A store row re-exported by a service, or held in a field of a struct the web reads,
    // would reach the routes without naming `crate::store` there.
    let store_types: Vec<String> = sources("store")
        .iter()
        .flat_map(|(_, text)| {
            text.split("pub struct ").skip(1).chain(text.split("pub enum ").skip(1)).filter_map(|rest| {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                (!name.is_empty()).then_some(name)
            })
        })
        .collect();
    assert!(store_types.iter().any(|t| t == "ScoreRow"), "the scan sees the store's types: {store_types:?}");
    let mut leaks = Vec::new();
    for (file, text) in sources("practice").into_iter().chain(sources("auth")) {
        for line in text.lines().map(str::trim) {
            let reexport = line.starts_with("pub use crate::store");
            let field = line.starts_with("pub ") && !line.contains("fn ") && line.contains(": ");
            if reexport
                || (field
                    && store_types
                        .iter()
                        .any(|t| line.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == t)))
            {
                leaks.push(format!("{file}: {line}"));
            }
        }
    }
    assert!(leaks.is_empty(), "services expose store types to the web:\n{}", leaks.join("\n"));
}
