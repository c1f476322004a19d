//! The `rehearse` binary's `grade` and `import` commands.
use std::io::Write;
use std::process::{Command, Stdio};

fn rehearse() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rehearse"))
}

/// `rehearse grade` with `args`, `input` on its standard input.
fn grade_stdin(args: &[&str], input: &str) -> std::process::Output {
    let mut child = rehearse()
        .arg("grade")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    // A command refused at once (a bad flag) exits without reading its input: a closed
    // pipe then is its answer, not the test's failure.
    match child.stdin.take().expect("stdin").write_all(input.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => panic!("writing the input: {e}"),
    }
    child.wait_with_output().expect("finishes")
}

/// A calibration file that is in the repository (the `../shared` ones may be absent).
const VALIDATION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/new-questions.jsonl");

#[test]
fn grade_prints_one_line_per_input_and_reports_bad_lines() {
    let input = concat!(
        r#"{"id": "a", "question": "Pod?", "reference": "A pod is the smallest deployable unit and wraps one or more containers.", "keywords": ["pod", "containers"], "answer": "A pod wraps containers and is the smallest unit you deploy."}"#,
        "\n",
        "this is not json\n",
        r#"{"id": 7, "reference": "A pod wraps containers.", "answer": "bananas", "human": 0.1, "kind": "offtopic"}"#,
        "\n"
    );
    let output = grade_stdin(&[], input);

    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(lines.len(), 2, "the good lines are graded: {stdout}");
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[1]["id"], 7);
    for l in &lines {
        let score = l["score"].as_f64().expect("score");
        assert!((0.0..=1.0).contains(&score));
        assert!(l["band"].is_string() && l["covered"].is_array() && l["missed"].is_array());
    }
    assert!(lines[0]["score"].as_f64() > lines[1]["score"].as_f64(), "on-topic beats bananas");
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 2"), "bad line reported by number");
    assert!(!output.status.success(), "exit code is non-zero when a line failed");
}

/// `--without RULE` grades with that rule off: a self-correction is then read whole, so
/// the grade of an answer that takes back a wrong start changes; an unknown rule is
/// refused with the list of rules.
#[test]
fn grade_without_a_rule_switches_it_off_and_names_the_rules_on_a_typo() {
    let line = r#"{"id": "s", "question": "What does docker stop send first?", "reference": "docker stop sends SIGTERM first, waits a grace period, then sends SIGKILL.", "keywords": ["sigterm", "grace period", "sigkill"], "answer": "Bananas grow in bunches on tall plants. Actually no, scratch that. It sends SIGTERM, waits a grace period, then SIGKILL."}"#;
    let grade = |extra: &[&str]| grade_stdin(extra, line);
    let score = |out: &std::process::Output| {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
        v["score"].as_f64().expect("score")
    };
    let with = grade(&[]);
    let without = grade(&["--without", "retraction"]);
    assert!(with.status.success() && without.status.success());
    assert!(score(&with) > score(&without), "the banana sentence counts only without the rule");
    let typo = grade(&["--without", "retractions"]);
    assert!(!typo.status.success());
    let err = String::from_utf8_lossy(&typo.stderr);
    assert!(err.contains("retraction") && err.contains("stuffing"), "{err}");
}

#[test]
fn grade_reads_the_calibration_file_in_order() {
    let path = VALIDATION;
    let Ok(text) = std::fs::read_to_string(path) else {
        panic!("validation file missing at {path}");
    };
    let output = rehearse().args(["grade", "--input", path]).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let ids_in: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json")["id"].to_string())
        .collect();
    let ids_out: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json")["id"].to_string())
        .collect();
    assert_eq!(ids_in, ids_out);
}

#[test]
fn import_loads_the_bank_and_a_bad_bank_fails_loudly() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    let ok = rehearse()
        .args(["import", "--database", &db, "--questions", concat!(env!("CARGO_MANIFEST_DIR"), "/questions")])
        .output()
        .expect("runs");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("imported"));

    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).expect("dir");
    std::fs::write(bad.join("x.toml"), "topic = \"X\"\n[[question]]\nid = \"x-1\"\nprompt = \"?\"\n").expect("write");
    let failed = rehearse().args(["import", "--database", &db, "--questions"]).arg(&bad).output().expect("runs");
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("x.toml") && stderr.contains("x-1") && stderr.contains("`answer`"), "{stderr}");

    // A PostgreSQL server that is not there gets a message naming it, not a bare driver error.
    let postgres = rehearse()
        .args(["import", "--database", "postgres://127.0.0.1:1/rehearse", "--questions"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/questions"))
        .output()
        .expect("runs");
    assert!(!postgres.status.success());
    let stderr = String::from_utf8_lossy(&postgres.stderr);
    assert!(stderr.contains("cannot connect to PostgreSQL at postgres://127.0.0.1:1/rehearse"), "{stderr}");
}

#[test]
fn a_missing_question_folder_is_named_once_with_the_flag_that_sets_it() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    let missing = dir.path().join("no-such-folder");
    let failed = rehearse().args(["import", "--database", &db, "--questions"]).arg(&missing).output().expect("runs");
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("cannot read question folder") && stderr.contains("no-such-folder"), "{stderr}");
    assert!(stderr.contains("--questions"), "the message says how to name another folder: {stderr}");
    assert_eq!(stderr.matches("os error").count(), 1, "the cause is said once: {stderr}");
    assert!(!stderr.contains('\u{1b}'), "no colour codes when stderr is not a terminal: {stderr}");
}

#[test]
fn calibrate_reports_agreement_per_kind_and_the_worst_cases() {
    let output = rehearse().args(["calibrate", VALIDATION, "--rules"]).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "== with keywords",
        "== without keywords",
        "pearson",
        "spearman",
        "mean abs error",
        "false alarms (human >= 0.8, score < 0.5)",
        "mean per-question pearson",
        "offtopic",
        "largest disagreements",
        "fired  right  wrong",
        "swap",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }

    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("no-human.jsonl");
    std::fs::write(&file, "{\"id\": 1, \"reference\": \"r\", \"answer\": \"a\"}\n").expect("write");
    let failed = rehearse().arg("calibrate").arg(&file).output().expect("runs");
    assert!(!failed.status.success());
    assert!(String::from_utf8_lossy(&failed.stderr).contains("human"));
}

/// `--scores FILE` writes one JSON object per answer and run, in input order, with the
/// same scores the report is computed from.
#[test]
fn calibrate_writes_every_score_beside_its_human_grade() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("scores.jsonl");
    let output = rehearse().args(["calibrate", VALIDATION, "--scores"]).arg(&out).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let input: Vec<serde_json::Value> = std::fs::read_to_string(VALIDATION)
        .expect("fixture")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .expect("scores written")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    // Both runs (with keywords, then derived concepts), each in input order.
    assert_eq!(rows.len(), 2 * input.len());
    for (i, row) in rows.iter().enumerate() {
        let line = &input[i % input.len()];
        assert_eq!(row["id"], line["id"]);
        assert_eq!(row["human"], line["human"]);
        assert_eq!(row["kind"], line["kind"]);
        assert_eq!(row["keywords"], serde_json::Value::Bool(i < input.len()));
        let score = row["score"].as_f64().expect("score");
        assert!((0.0..=1.0).contains(&score), "{row}");
    }
    // The file's scores are the report's: the false alarms it prints can be counted from it.
    let text = String::from_utf8_lossy(&output.stdout);
    let keyword_rows = &rows[..input.len()];
    let false_alarms = keyword_rows
        .iter()
        .filter(|r| r["human"].as_f64().unwrap_or(0.0) >= 0.8 && r["score"].as_f64().unwrap_or(1.0) < 0.5)
        .count();
    let correct = keyword_rows.iter().filter(|r| r["human"].as_f64().unwrap_or(0.0) >= 0.8).count();
    let expected = format!("false alarms (human >= 0.8, score < 0.5): {false_alarms} of {correct}");
    assert!(text.contains(&expected), "{expected:?} in:\n{text}");
    // And so are its unsure grades: the counted false alarms are the rest.
    let unsure = keyword_rows.iter().filter(|r| r["unsure"].as_bool().expect("unsure is a bool")).count();
    let unsure_alarms = keyword_rows
        .iter()
        .filter(|r| r["unsure"] == serde_json::Value::Bool(true))
        .filter(|r| r["human"].as_f64().unwrap_or(0.0) >= 0.8 && r["score"].as_f64().unwrap_or(1.0) < 0.5)
        .count();
    let expected =
        format!("unsure grades (not counted for the learner): {unsure}; false alarms among them {unsure_alarms}");
    assert!(text.contains(&expected), "{expected:?} in:\n{text}");

    let unwritable = rehearse()
        .args(["calibrate", VALIDATION, "--scores"])
        .arg(dir.path().join("missing-dir/scores.jsonl"))
        .output()
        .expect("runs");
    assert!(!unwritable.status.success());
    assert!(String::from_utf8_lossy(&unwritable.stderr).contains("cannot write"), "a clear error");
}

/// The README's configuration table is the reference a host reads: every flag of
/// `rehearse serve --help` must be a row of it, with its environment variable and its
/// default.
#[test]
fn the_readme_table_lists_every_serve_flag_with_its_variable() {
    let output = rehearse().args(["serve", "--help"]).output().expect("runs");
    assert!(output.status.success(), "serve --help works");
    let help = String::from_utf8(output.stdout).expect("utf-8");
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    // (flag, environment variable, default) as clap prints them.
    let mut flags: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    for line in help.lines().map(str::trim) {
        if let Some(flag) = line.strip_prefix("--").and_then(|rest| rest.split([' ', '<']).next()) {
            flags.push((format!("--{flag}"), None, None));
        } else if let (Some(env), Some(last)) = (line.strip_prefix("[env: "), flags.last_mut()) {
            last.1 = env.split('=').next().map(str::to_string);
        } else if let (Some(default), Some(last)) = (line.strip_prefix("[default: "), flags.last_mut()) {
            last.2 = default.strip_suffix(']').map(str::to_string);
        }
    }
    let flags: Vec<_> = flags.into_iter().filter(|(flag, ..)| flag != "--help").collect();
    assert!(flags.len() >= 11, "the help was read: {flags:?}");
    for (flag, env, default) in flags {
        let env = env.unwrap_or_else(|| panic!("{flag} has no environment variable"));
        let row = readme.lines().find(|l| l.starts_with(&format!("| `{flag}` |")));
        let row = row.unwrap_or_else(|| panic!("README's configuration table has no row for {flag}"));
        assert!(row.contains(&format!("`{env}`")), "the README row of {flag} names {env}: {row}");
        if let Some(default) = default {
            assert!(
                row.contains(&format!("`{default}`")),
                "the README row of {flag} gives the default {default}: {row}"
            );
        }
    }
}

const NOTES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/notes/containers.txt");
const BANK_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/questions");
/// The study note the notes import was written for; it lives beside the repository.
const SEED_NOTE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/000_f35976ccc9da2da0.txt");

fn import(db: &str, args: &[&str]) -> std::process::Output {
    rehearse().args(["import", "--database", db, "--questions", BANK_DIR]).args(args).output().expect("runs")
}

/// (id, topic, source, retired) of the questions imported from notes.
async fn note_rows(db: &str) -> Vec<(String, String, String, Option<i64>)> {
    let pool = sqlx::SqlitePool::connect(db).await.expect("db opens");
    let rows = sqlx::query_as(
        "SELECT id, topic_id, source, retired_at FROM questions WHERE source LIKE 'notes:%' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .expect("query");
    pool.close().await;
    rows
}

#[tokio::test]
async fn importing_notes_adds_their_spoken_questions_to_the_topic_they_sit_under() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("notes.db").display());

    let first = import(&db, &[NOTES]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let report = String::from_utf8_lossy(&first.stdout);
    assert!(report.contains("imported 4 questions in 1 topic") && report.contains("4 new"), "{report}");
    assert!(report.contains("Kubernetes (kubernetes, existing topic)"), "{report}");
    assert_eq!(report.matches("concepts (derived, review): ").count(), 4, "concepts shown for review: {report}");
    let rows = note_rows(&db).await;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "note-a-pod-crashes-what-happens-next",
            "note-how-does-a-release-reach-production",
            "note-what-separates-a-pod-from-a-deployment",
            "note-where-do-secrets-live-in-a-cluster",
        ],
        "exactly the four spoken questions, not the `Image → template` lines"
    );
    assert!(rows.iter().all(|r| r.1 == "kubernetes" && r.2 == "notes:containers.txt" && r.3.is_none()), "{rows:?}");
    let pool = sqlx::SqlitePool::connect(&db).await.expect("db opens");
    let notes: Vec<(String, String)> = sqlx::query_as("SELECT topic_id, notes FROM topic_notes ORDER BY topic_id")
        .fetch_all(&pool)
        .await
        .expect("notes");
    pool.close().await;
    let topics: Vec<&str> = notes.iter().map(|n| n.0.as_str()).collect();
    assert_eq!(topics, ["docker", "kubernetes"], "each section's text is kept with its topic");
    assert!(notes[0].1.contains("FROM golang") && notes[1].1.contains("livenessProbe"), "{notes:?}");
    assert!(!notes[1].1.contains("How does a release"), "question lines are not notes");

    let again = import(&db, &[NOTES]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 new, 0 changed, 4 unchanged"));
    assert_eq!(note_rows(&db).await.len(), 4, "importing twice does not duplicate");

    // A later import of the questions folder (as every server start does) keeps them.
    let bank = import(&db, &[]);
    assert!(bank.status.success(), "{}", String::from_utf8_lossy(&bank.stderr));
    assert!(String::from_utf8_lossy(&bank.stdout).contains("0 retired"));
    assert!(note_rows(&db).await.iter().all(|r| r.3.is_none()), "notes questions are not retired by the bank");

    // A question dropped from the notes is retired by the next import of those notes.
    let shorter = dir.path().join("containers.txt");
    let text = std::fs::read_to_string(NOTES).expect("fixture");
    let text: String = text.lines().filter(|l| !l.contains("A pod crashes")).map(|l| format!("{l}\n")).collect();
    std::fs::write(&shorter, text).expect("write");
    let third = import(&db, &[shorter.to_str().expect("utf-8")]);
    assert!(String::from_utf8_lossy(&third.stdout).contains("1 retired"));
    let retired: Vec<String> = note_rows(&db).await.into_iter().filter(|r| r.3.is_some()).map(|r| r.0).collect();
    assert_eq!(retired, ["note-a-pod-crashes-what-happens-next"]);
}

#[tokio::test]
async fn a_dry_run_reports_the_import_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("dry.db");
    let db = format!("sqlite://{}", file.display());

    let fresh = import(&db, &["--dry-run", NOTES]);
    assert!(fresh.status.success(), "{}", String::from_utf8_lossy(&fresh.stderr));
    let report = String::from_utf8_lossy(&fresh.stdout);
    assert!(report.contains("dry run, nothing written: would import 4 questions"), "{report}");
    assert!(!file.exists(), "a dry run does not even create the database");

    assert!(import(&db, &[]).status.success());
    let folder = import(&db, &["--dry-run"]);
    assert!(String::from_utf8_lossy(&folder.stdout).contains("dry run, nothing written"), "the folder form too");
    let with_topic = import(&db, &["--dry-run", "--topic", "Platform", NOTES]);
    let report = String::from_utf8_lossy(&with_topic.stdout);
    assert!(report.contains("Platform (platform, new topic)") && report.contains("4 new"), "{report}");
    assert!(note_rows(&db).await.is_empty(), "no question was written");
}

#[test]
fn a_file_with_nothing_to_import_fails_and_shows_the_expected_format() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("empty.db").display());
    let cases = [
        ("empty.md", ""),
        ("shopping.md", "# Shopping\n\n- milk\n- eggs\n"),
        ("arrows.txt", "Pod → smallest unit\nService → stable address\n"),
    ];
    for (name, text) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, text).expect("write");
        let output = import(&db, &[file.to_str().expect("utf-8")]);
        assert!(!output.status.success(), "{name}: not a silent no-op");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("nothing to import") && stderr.contains(r#""What's a pod vs a deployment?" → "#),
            "{name}: the message shows the expected line: {stderr}"
        );
    }
    let toml = import(&db, &[concat!(env!("CARGO_MANIFEST_DIR"), "/questions/docker.toml")]);
    assert!(!toml.status.success());
    assert!(String::from_utf8_lossy(&toml.stderr).contains("import the folder"), "a question file is not notes");
}

#[tokio::test]
async fn the_shared_seed_note_yields_its_four_verbal_questions() {
    if !std::path::Path::new(SEED_NOTE).exists() {
        if std::env::var_os("REHEARSE_REQUIRE_SHARED").is_some() {
            panic!("{SEED_NOTE} is required (REHEARSE_REQUIRE_SHARED is set) but missing");
        }
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {SEED_NOTE} not found (it lives in ../shared, beside the repository)"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("seed.db").display());
    let output = import(&db, &[SEED_NOTE]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(report.contains("imported 4 questions in 1 topic") && report.contains("4 new"), "{report}");
    let rows = note_rows(&db).await;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "note-how-do-you-handle-secrets-in-k8s",
            "note-how-does-your-app-deploy",
            "note-what-happens-when-a-pod-dies",
            "note-what-s-a-pod-vs-a-deployment",
        ]
    );
    assert!(rows.iter().all(|r| r.1 == "kubernetes"), "{rows:?}");
}

#[tokio::test]
async fn questions_from_notes_survive_an_export_and_import_round_trip() {
    let dir = tempfile::tempdir().expect("dir");
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let (a, b) = (format!("sqlite://{}", a.display()), format!("sqlite://{}", b.display()));
    assert!(import(&a, &[]).status.success(), "the bank");
    assert!(import(&a, &["--topic", "Release notes", NOTES]).status.success(), "the notes");
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    let export = |db: &str, to: &std::path::Path| {
        let out = rehearse().args(["export", &to.display().to_string(), "--database", db]).output().expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    export(&a, &first);
    let text = std::fs::read_to_string(first.join("release-notes.toml")).expect("the notes topic is a file");
    assert_eq!(text.matches("[[question]]").count(), 4, "{text}");
    assert!(text.contains("keywords = []"), "graded on derived concepts, as before: {text}");
    let back = rehearse().args(["import", &first.display().to_string(), "--database", &b]).output().expect("runs");
    assert!(back.status.success(), "the exported files import: {}", String::from_utf8_lossy(&back.stderr));
    export(&b, &second);
    for name in ["release-notes.toml", "kubernetes.toml"] {
        let (x, y) = (std::fs::read_to_string(first.join(name)), std::fs::read_to_string(second.join(name)));
        assert_eq!(x.expect("first"), y.expect("second"), "{name} is the same after the round trip");
    }
}
