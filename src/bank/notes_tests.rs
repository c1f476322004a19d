use super::*;

fn known() -> Vec<KnownTopic> {
    vec![
        KnownTopic { slug: "docker".into(), name: "Docker".into() },
        KnownTopic { slug: "kubernetes".into(), name: "Kubernetes".into() },
    ]
}

#[test]
fn question_lines_are_recognised_in_their_usual_spellings() {
    let cases = [
        (r#""What is a pod?" → "One running instance.""#, Some(("What is a pod?", "One running instance."))),
        (r#"  - "What is a pod?" -> "One running instance."  "#, Some(("What is a pod?", "One running instance."))),
        ("* “What is a pod?” → “One running instance.”", Some(("What is a pod?", "One running instance."))),
        (r#"1. "Why "quotes"?" → "Say "hi" twice""#, Some(("Why \"quotes\"?", "Say \"hi\" twice"))),
        (r#""No closing quote?" → "is tolerated"#, Some(("No closing quote?", "is tolerated"))),
        ("Image → read-only template", None),
        (r#""Only a question?""#, None),
        (r#""" → "empty question""#, None),
        (r#"→ "answer without question""#, None),
    ];
    for (line, expected) in cases {
        let got = question_line(line);
        let expected = expected.map(|(q, a)| (q.to_string(), a.to_string()));
        assert_eq!(got, expected, "{line}");
    }
}

#[test]
fn the_topic_is_the_nearest_known_or_top_level_heading() {
    let text = "# Docker & Kubernetes\n\nIntro.\n\n## Kubernetes\n\nPods.\n\n## Interview answers\n\n\
                \"What is a pod?\" → \"One running instance.\"\n\n# Redis\n\n\"What is Redis?\" → \"A key-value store.\"\n";
    let parsed = parse_notes("n.md", text, None, &known()).expect("parses");
    let topics: Vec<(&str, bool)> = parsed.questions.iter().map(|q| (q.topic.slug.as_str(), q.topic.exists)).collect();
    assert_eq!(topics, [("kubernetes", true), ("redis", false)]);
    let noted: Vec<&str> = parsed.notes.iter().map(|(t, _)| t.slug.as_str()).collect();
    assert_eq!(noted, ["kubernetes", "redis"], "the title's text goes with the first topic");
    assert!(parsed.notes[0].1.contains("Intro.") && parsed.notes[0].1.contains("Pods."));
}

#[test]
fn a_plain_text_line_naming_a_topic_is_a_heading_and_a_snippet_comment_is_not() {
    let text = "Containers\n\nDocker\n\n# Multi-stage build\nFROM rust AS build\n\nKubernetes\n\nCore objects\n\n\
                \"What is a pod?\" → \"One running instance.\"\n";
    let parsed = parse_notes("n.txt", text, None, &known()).expect("parses");
    assert_eq!(parsed.questions[0].topic.slug, "kubernetes");
    let docker = parsed.notes.iter().find(|(t, _)| t.slug == "docker").expect("Docker's section is Docker's notes");
    assert!(docker.1.contains("FROM rust") && !docker.1.contains("Core objects"), "{docker:?}");
}

#[test]
fn the_topic_flag_wins_and_a_missing_topic_is_an_error() {
    let text = "# Kubernetes\n\n\"What is a pod?\" → \"One running instance.\"\n";
    let forced = parse_notes("n.md", text, Some("Platform engineering"), &known()).expect("parses");
    assert_eq!(forced.questions[0].topic.slug, "platform-engineering");
    assert_eq!(forced.notes.len(), 1);

    let err = parse_notes("n.md", "\"What is a pod?\" → \"One.\"\n", None, &known()).expect_err("no topic");
    assert!(err.to_string().contains("--topic"), "{err}");
}

#[test]
fn nothing_to_import_says_what_was_expected() {
    for text in ["", "# Shopping\n\nmilk\neggs\n", "Image → template\n"] {
        let err = parse_notes("n.md", text, Some("X"), &known()).expect_err("nothing");
        let message = err.to_string();
        assert!(message.contains("nothing to import") && message.contains("→"), "{message}");
    }
}

#[test]
fn ids_are_stable_and_repeated_questions_are_kept_once() {
    let text = "# Kubernetes\n\n\"What is a pod?\" → \"One.\"\n\"What is a pod?\" → \"Two.\"\n\"什么?\" → \"三\"\n";
    let parsed = parse_notes("n.md", text, None, &known()).expect("parses");
    assert_eq!(parsed.questions[0].id, "note-what-is-a-pod");
    assert_eq!(parsed.questions[0].answer, "One.");
    assert_eq!(parsed.duplicates, [4]);
    assert!(parsed.questions[1].id.starts_with("note-") && parsed.questions[1].id.len() == 21);
    assert!(crate::bank::is_valid_id(&parsed.questions[1].id));
}

/// A topic's heading right above its question lines is no notes: its text is empty, so
/// the topic is not offered as having notes (it was, with a page of nothing), and notes
/// with text under a heading keep it.
#[test]
fn headings_with_nothing_but_questions_under_them_are_no_notes() {
    let text = "# Redis\n\"What is Redis?\" → \"A key-value store.\"\n\n# Kafka\n\n## Basics\n\n\
                \"What is Kafka?\" → \"A log.\"\n\n# Docker\n\nImages are layered.\n\n\"What is an image?\" → \"A template.\"\n";
    let parsed = parse_notes("n.md", text, None, &known()).expect("parses");
    let notes: Vec<(&str, &str)> = parsed.notes.iter().map(|(t, n)| (t.slug.as_str(), n.as_str())).collect();
    assert_eq!(notes, [("redis", ""), ("kafka", ""), ("docker", "# Docker\n\nImages are layered.")], "{notes:?}");
}
