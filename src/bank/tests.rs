use super::*;

const GOOD: &str = r#"
topic = "Kubernetes"
description = "Pods and friends."

[[question]]
id = "k8s-pod"
prompt = "What is a pod?"
answer = "The smallest deployable unit."
keywords = ["pod | smallest unit", { concept = "container", hint = "Say what runs inside." }]
relations = ["pod & container"]
follow_ups = ["Why one container per pod?"]
difficulty = 2
"#;

fn error_text(text: &str) -> String {
    parse_topic("kubernetes", "kubernetes.toml", text).unwrap_err().to_string()
}

#[test]
fn a_valid_file_parses_with_hints_relations_and_defaults() {
    let topic = parse_topic("kubernetes", "kubernetes.toml", GOOD).expect("valid file");
    assert_eq!(topic.slug, "kubernetes");
    assert_eq!(topic.name, "Kubernetes");
    let q = &topic.questions[0];
    assert_eq!(q.id, "k8s-pod");
    assert_eq!(q.keywords.len(), 2);
    assert_eq!(q.keywords[1].hint.as_deref(), Some("Say what runs inside."));
    assert_eq!(q.relations, vec!["pod & container".to_string()]);
    assert_eq!(q.difficulty, 2);
    assert!(!q.ordered, "order is off unless the author asks for it");
    let ordered = GOOD.replace("difficulty = 2", "difficulty = 2\nordered = true");
    let topic = parse_topic("kubernetes", "kubernetes.toml", &ordered).expect("valid file");
    assert!(topic.questions[0].ordered);
    let bad = GOOD.replace("difficulty = 2", "difficulty = 2\nordered = \"yes\"");
    assert!(error_text(&bad).contains("`ordered`"), "{}", error_text(&bad));
}

#[test]
fn errors_name_the_file_the_question_and_the_field() {
    let cases = [
        (
            GOOD.replace("prompt = \"What is a pod?\"", "prompt = \"  \""),
            "question \"k8s-pod\": field `prompt`",
            "empty prompt",
        ),
        (
            GOOD.replace("difficulty = 2", "difficulty = 9"),
            "field `difficulty`: must be 1, 2 or 3",
            "difficulty out of range",
        ),
        (GOOD.replace("difficulty = 2", "difficulty = \"hard\""), "field `difficulty`", "difficulty of the wrong type"),
        (GOOD.replace("pod & container", "pod & scheduler"), "field `relations`", "relation to an unknown concept"),
        (GOOD.replace("pod & container", "pod and container"), "field `relations`", "relation without &"),
        (GOOD.replace("\"pod | smallest unit\"", "\" | \""), "field `keywords`", "keyword with no alternative"),
        (GOOD.replace("id = \"k8s-pod\"", "id = \"K8s Pod\""), "field `id`", "id with capitals and spaces"),
        (GOOD.replace("difficulty = 2", "difficulty = 2\ncolour = \"red\""), "unknown field `colour`", "unknown field"),
        (GOOD.replace("topic = \"Kubernetes\"", ""), "field `topic` is missing", "no topic"),
        (GOOD.replace("answer = ", "answer = = "), "not valid TOML", "broken TOML"),
    ];
    for (text, expected, case) in cases {
        let message = error_text(&text);
        assert!(message.starts_with("kubernetes.toml"), "{case}: {message}");
        assert!(message.contains(expected), "{case}: expected {expected:?} in {message:?}");
    }
}

/// A relation naming things that are not keyword labels is refused once for all of
/// them, with the labels it could use.
#[test]
fn a_relation_error_names_every_unknown_side_and_the_labels_there_are() {
    let both = error_text(&GOOD.replace("pod & container", "rebase & merge"));
    assert!(both.contains(r#""rebase" and "merge" in "rebase & merge" are not the label"#), "{both}");
    assert!(both.contains(r#"the labels are "pod", "container""#), "{both}");
    let one = error_text(&GOOD.replace("pod & container", "pod & scheduler"));
    assert!(one.contains(r#""scheduler" in "pod & scheduler" is not the label"#), "{one}");
}

#[test]
fn a_question_without_an_id_is_named_by_its_position() {
    let message = error_text(&GOOD.replace("id = \"k8s-pod\"", ""));
    assert!(message.contains("question \"#1\": field `id`"), "{message}");
}

#[test]
fn duplicate_ids_across_files_are_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.toml"), GOOD).expect("write");
    std::fs::write(dir.path().join("b.toml"), GOOD).expect("write");
    let message = load_dir(dir.path()).unwrap_err().to_string();
    assert!(message.contains("b.toml") && message.contains("duplicate id"), "{message}");
}

#[test]
fn an_empty_folder_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(matches!(load_dir(dir.path()), Err(BankError::Empty(_))));
}

#[test]
fn the_bundled_bank_is_valid_and_big_enough() {
    let topics = load_dir(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questions"))).expect("bundled bank loads");
    let total: usize = topics.iter().map(|t| t.questions.len()).sum();
    assert!(topics.len() >= 4, "at least four topics, found {}", topics.len());
    assert!(total >= 60, "at least 60 questions, found {total}");
    for t in &topics {
        for q in &t.questions {
            assert!(!q.follow_ups.is_empty(), "{} has a follow-up", q.id);
            assert!(!q.keywords.is_empty(), "{} has keywords", q.id);
        }
    }
}

#[test]
fn misconceptions_parse_and_a_bad_one_names_its_field() {
    let with = |entries: &str| GOOD.replace("difficulty = 2", &format!("difficulty = 2\nmisconceptions = [{entries}]"));
    let good = with(
        r#"{ subject = "pod", claim = "has several IP addresses", correction = "A pod has one IP shared by its containers." },
           { claim = "pods are repaired", correction = "A dead pod is replaced, not repaired." }"#,
    );
    let topic = parse_topic("kubernetes", "kubernetes.toml", &good).expect("valid file");
    let m = &topic.questions[0].misconceptions;
    assert_eq!(m.len(), 2);
    assert_eq!((m[0].subject.as_str(), m[0].claim.as_str()), ("pod", "has several IP addresses"));
    assert_eq!(m[1].subject, "", "the subject is optional");
    assert!(parse_topic("kubernetes", "kubernetes.toml", GOOD).expect("valid").questions[0].misconceptions.is_empty());
    let cases = [
        (with(r#"{ claim = "the", correction = "x" }"#), "no content word", "a claim of stop words"),
        (with(r#"{ claim = "pods are repaired", correction = " " }"#), "needs a correction", "no correction"),
        (with(r#"{ claim = "pods are repaired" }"#), "field `misconceptions`", "a missing correction"),
        (with(r#"{ claim = "x y", correction = "z", colour = "red" }"#), "field `misconceptions`", "an unknown key"),
    ];
    for (text, expected, case) in cases {
        let message = error_text(&text);
        assert!(message.contains("field `misconceptions`") && message.contains(expected), "{case}: {message}");
    }
}
