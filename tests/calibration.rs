//! The grader against human grades, computed exactly as `rehearse calibrate` computes
//! them, on three kinds of data:
//!
//! - `../shared/calibration/dev.jsonl`: the set the grader was tuned on (in-sample);
//! - `../shared/calibration/unt-odd.jsonl`: real student answers, no keywords;
//! - `tests/fixtures/validation/`: answers written and graded by hand by someone who had
//!   not read the grader, frozen before any tuning on them (held out).
//!
//! The checks are orderings and properties over many answers (kinds in the right order,
//! correct answers not called wrong), plus correlation floors a little under the
//! measured figures so that a regression fails. The `../shared` files are not in the
//! repository: without them those tests say they were skipped, unless
//! `REHEARSE_REQUIRE_SHARED` is set (as `.ci/run` does), when they fail.
use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::path::Path;

use rehearse::cli::batch::{self, Line};
use rehearse::cli::calibrate::{false_alarms, per_question, CALLED_WRONG, CORRECT};
use rehearse::grading::{stats, ConceptStatus, Rule, RuleSet, UNSURE_SCORE};

const DEV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/calibration/dev.jsonl");
const UNT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/calibration/unt-odd.jsonl");
const NEW_QUESTIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/new-questions.jsonl");
const BANK_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/bank-answers.jsonl");
const NEW_BANK_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/new-bank-answers.jsonl");
const FRESH_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/fresh-bank-answers.jsonl");
const SPOKEN_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/spoken-bank-answers.jsonl");
const CONTRAST_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/contrast-bank-answers.jsonl");
const PARAPHRASE_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/paraphrase-bank-answers.jsonl");
const CONTRAST_DENIAL_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/contrast-denial-answers.jsonl");
const FORMAT_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/format-answers.jsonl");
const STORY_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/story-answers.jsonl");
const CODE_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/code-answers.jsonl");
const MISCONCEPTION_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/misconception-bank-answers.jsonl");
const DEPTH_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/depth-answers.jsonl");
const TERSE_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/terse-answers.jsonl");
const GAMING_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/gaming-bank-answers.jsonl");
const NERVOUS_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/nervous-bank-answers.jsonl");
const BULLET_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/bullet-bank-answers.jsonl");
const OPS_QUESTIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/ops-questions.jsonl");
const SELFCORRECT_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/selfcorrect-bank-answers.jsonl");
const RUNON_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/runon-answers.jsonl");
const GLOSSARY_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/glossary-answers.jsonl");
const GAMING2_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/gaming2-answers.jsonl");
const MLFE_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/mlfe-answers.jsonl");
const ROLES_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/roles-answers.jsonl");
const AVOID_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/avoid-answers.jsonl");
const EVERYDAY_CONTRAST_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/everyday-contrast-bank-answers.jsonl");
const ANALOGY2_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/analogy2-answers.jsonl");
const MIXED3_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/mixed3-answers.jsonl");
const MIXED4_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/mixed4-answers.jsonl");
const MIXED5_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/mixed5-answers.jsonl");
const MIXED6_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/mixed6-answers.jsonl");
const MISC_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/misc-bank-answers.jsonl");
const SECOS_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/secos-answers.jsonl");
const UNSEEN8_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen8-bank-answers.jsonl");
const UNSEEN9_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen9-bank-answers.jsonl");
const UNSEEN10_NEW_QUESTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen10-new-questions.jsonl");
const UNSEEN11_NEW_QUESTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen11-new-questions.jsonl");
const UNSEEN12_NEW_QUESTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen12-new-questions.jsonl");
const UNSEEN13_NEW_QUESTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen13-new-questions.jsonl");
const UNSEEN14_NEW_QUESTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen14-new-questions.jsonl");
const UNSEEN15_NEW_QUESTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen15-new-questions.jsonl");
const LONG16_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/long16-answers.jsonl");
const CONTRAST17_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/contrast17-answers.jsonl");
const ESL18_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/esl18-bank-answers.jsonl");
const ESL19_NEW_QUESTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/esl19-new-questions.jsonl");
const UNSEEN20_NEW_QUESTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen20-new-questions.jsonl");
const UNSEEN21_NEW_QUESTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen21-new-questions.jsonl");
const UNSEEN25_NEW_QUESTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen25-new-questions.jsonl");
const FRESH26_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/fresh26-bank-answers.jsonl");
const FRESH27_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/fresh27-bank-answers.jsonl");
const CONTRAST24_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/contrast24-answers.jsonl");
const CHAT21_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/chat21-bank-answers.jsonl");
const UNSEEN7_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/unseen7-bank-answers.jsonl");
const RELATIONS_BANK_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/relations-bank-answers.jsonl");
const NEWTOPICS_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/newtopics-answers.jsonl");
const VALIDATION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation");
const BANK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/questions");

/// The lines of a calibration file; `None` (with a note) when a `../shared` file is
/// absent and not required.
fn lines(path: &str) -> Option<Vec<Line>> {
    if !Path::new(path).exists() {
        if std::env::var_os("REHEARSE_REQUIRE_SHARED").is_some() {
            panic!("{path} is required (REHEARSE_REQUIRE_SHARED is set) but missing");
        }
        // Written to the stderr handle itself, which the test harness does not capture,
        // so the skip shows in a passing run.
        let _ = writeln!(std::io::stderr(), "skipped: {path} not found (it lives in ../shared, beside the repository)");
        return None;
    }
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let batch = batch::read(BufReader::new(file)).expect("readable");
    assert!(batch.errors.is_empty(), "{:?}", batch.errors);
    Some(batch.lines)
}

/// Bank answers are graded as the server grades them: with the bank's keywords,
/// relations and step order.
fn with_bank(mut lines: Vec<Line>) -> Vec<Line> {
    let topics = rehearse::bank::load_dir(Path::new(BANK)).expect("bank loads");
    for l in &mut lines {
        let q = topics.iter().flat_map(|t| &t.questions).find(|q| q.prompt.trim() == l.question.trim());
        let q = q.unwrap_or_else(|| panic!("{} is not a bank question", l.question));
        l.keywords = q.keywords.iter().map(|k| k.concept.clone()).collect();
        l.relations = q.relations.clone();
        l.ordered = q.ordered;
        l.misconceptions = q.misconceptions.clone();
    }
    lines
}

struct Figures {
    pearson: f64,
    per_question: f64,
    false_alarms: usize,
    /// Answers a human graded correct (>= CORRECT) with a concept marked got wrong.
    wrong_verdicts_on_correct: usize,
    by_kind: HashMap<String, f64>,
}

fn figures(lines: &[Line], use_keywords: bool) -> Figures {
    let grades = batch::grade_all(lines, use_keywords);
    let scores: Vec<f64> = grades.iter().map(|g| g.score).collect();
    let human: Vec<f64> = lines.iter().map(|l| l.human.expect("human grade")).collect();
    let wrong_verdicts_on_correct = grades
        .iter()
        .zip(&human)
        .filter(|(g, h)| {
            **h >= CORRECT
                && (g.concepts.iter().any(|c| c.status == ConceptStatus::Contradicted)
                    || !g.components.conflicts.is_empty())
        })
        .count();
    let mut sums: HashMap<String, (f64, usize)> = HashMap::new();
    for (l, s) in lines.iter().zip(&scores) {
        if let Some(kind) = &l.kind {
            let e = sums.entry(kind.clone()).or_default();
            e.0 += s;
            e.1 += 1;
        }
    }
    let f = Figures {
        pearson: stats::pearson(&scores, &human).expect("pearson"),
        per_question: per_question(lines, &scores).map_or(0.0, |(mean, _)| mean),
        false_alarms: false_alarms(lines, &scores),
        wrong_verdicts_on_correct,
        by_kind: sums.into_iter().map(|(k, (s, n))| (k, s / n as f64)).collect(),
    };
    eprintln!(
        "pearson {:.3}, mean per-question {:.3}, {} false alarms (human >= {CORRECT}, score < {CALLED_WRONG}), \
         {} correct answers with a got-wrong verdict",
        f.pearson, f.per_question, f.false_alarms, f.wrong_verdicts_on_correct
    );
    f
}

/// Gamed answers score below partial ones, wrong ones below strong ones (and below
/// partial ones where `confused_below_partial`), and off-topic ones lowest.
fn kinds_are_ordered(k: &HashMap<String, f64>, context: &str, confused_below_partial: bool) {
    kinds_are_ordered_with(k, context, confused_below_partial, 0.15);
}

/// [`kinds_are_ordered`], with off-topic answers below `offtopic_ceiling` on average.
fn kinds_are_ordered_with(
    k: &HashMap<String, f64>,
    context: &str,
    confused_below_partial: bool,
    offtopic_ceiling: f64,
) {
    let get = |kind: &str| k.get(kind).copied();
    let Some(partial) = get("partial") else { return };
    for bad in ["stuffed", "offtopic"] {
        if let Some(v) = get(bad) {
            assert!(v < partial, "{context}: {bad} {v:.3} should score below partial {partial:.3}");
        }
    }
    let strong = get("strong").expect("strong answers");
    assert!(strong > partial, "{context}: strong {strong:.3} vs partial {partial:.3}");
    if let Some(confused) = get("confused") {
        // Known limit: answers that state false relations in the reference's own words
        // are only partly caught on held-out sets (about 0.5 against a human 0.05).
        let bound = if confused_below_partial { partial } else { strong - 0.2 };
        assert!(confused < bound, "{context}: confused {confused:.3} should score below {bound:.3}");
    }
    if let (Some(off), Some(strong)) = (get("offtopic"), get("strong")) {
        assert!(off < offtopic_ceiling && off < strong, "{context}: offtopic {off:.3}");
    }
}

#[test]
fn dev_set_in_sample_with_keywords_and_derived_concepts() {
    let Some(lines) = lines(DEV) else { return };
    assert_eq!(lines.len(), 80);
    let with = figures(&lines, true);
    assert!(with.pearson >= 0.83, "pearson {:.3}", with.pearson);
    assert_eq!(with.false_alarms, 0);
    kinds_are_ordered(&with.by_kind, "dev with keywords", false);
    let k = &with.by_kind;
    assert!((k["typos"] - k["strong"]).abs() <= 0.1, "typos {:.3} vs strong {:.3}", k["typos"], k["strong"]);
    assert!(k["strong"] > k["short"] && k["short"] > k["partial"], "strong > short > partial");
    assert!(k["rambling"] < k["partial"], "rambling {:.3} vs partial {:.3}", k["rambling"], k["partial"]);
    // In-sample: 0.812 before the premise rule was removed (it was right once here and
    // never on held-out data), 0.795 since.
    let without = figures(&lines, false);
    assert!(without.pearson >= 0.78, "pearson {:.3}", without.pearson);
    kinds_are_ordered(&without.by_kind, "dev without keywords", false);
}

#[test]
fn real_student_answers_without_keywords() {
    let Some(lines) = lines(UNT) else { return };
    assert_eq!(lines.len(), 1149);
    let f = figures(&lines, false);
    // The targets: 0.60 overall and per question (published systems reach about 0.59;
    // human graders agree at 0.597). Measured 0.605 and 0.624 on 2026-12-05.
    assert!(f.pearson >= 0.60, "pearson {:.3}", f.pearson);
    assert!(f.per_question >= 0.60, "mean per-question pearson {:.3}", f.per_question);
}

#[test]
fn held_out_new_questions() {
    let lines = lines(NEW_QUESTIONS).expect("in the repository");
    assert_eq!(lines.len(), 80);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.70, "pearson {:.3}", f.pearson);
    assert!(f.false_alarms <= 2, "{} correct answers called wrong", f.false_alarms);
    // Off topic under 0.2 on average, not 0.15: one off-topic answer (a rolling update,
    // for a blue/green question) names a rollback as "kubectl rollout undo", which the
    // general paraphrases ("rollback = ... | undo") credit, rightly, as a rollback.
    kinds_are_ordered_with(&f.by_kind, "new questions", false, 0.2);
}

#[test]
fn held_out_answers_to_the_bank_graded_as_the_server_does() {
    let lines = with_bank(lines(BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 116);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.79, "pearson {:.3}", f.pearson);
    assert_eq!(f.false_alarms, 0, "correct answers called wrong");
    kinds_are_ordered(&f.by_kind, "bank answers", false);
}

/// Answers to the 37 questions added to the bank later (serverless, system design, more
/// Docker and Kubernetes), written and graded by someone who had read neither the grader
/// nor its other sets, frozen before the grader ever saw them.
#[test]
fn held_out_answers_to_the_newer_bank_questions() {
    let lines = with_bank(lines(NEW_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 222);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.79, "pearson {:.3}", f.pearson);
    assert!(f.per_question >= 0.80, "mean per-question pearson {:.3}", f.per_question);
    assert!(f.false_alarms <= 1, "{} correct answers called wrong", f.false_alarms);
    kinds_are_ordered(&f.by_kind, "newer bank answers", false);
    let k = &f.by_kind;
    assert!(k["strong"] > k["short"] && k["short"] > k["partial"], "strong > short > partial");
    assert!(k["rambling"] < k["partial"], "rambling {:.3} vs partial {:.3}", k["rambling"], k["partial"]);
}

/// Answers to 24 bundled questions (six per topic), written and graded by someone who had
/// read neither the grader nor any other set, frozen before the grader saw them
/// (measured then: r 0.781, 0 false alarms). Strong answers avoid the model answer's
/// and the keywords' wording on purpose. Its off-topic answers answer a neighbouring
/// question of the same topic, so they share its vocabulary: 0.156 on average.
#[test]
fn held_out_fresh_answers_in_other_words() {
    let lines = with_bank(lines(FRESH_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 144);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.76, "pearson {:.3}", f.pearson);
    assert!(f.per_question >= 0.78, "mean per-question pearson {:.3}", f.per_question);
    assert_eq!(f.false_alarms, 0, "correct answers called wrong");
    kinds_are_ordered_with(&f.by_kind, "fresh bank answers", false, 0.2);
    let k = &f.by_kind;
    assert!(k["strong"] > k["short"] && k["short"] > k["partial"], "strong > short > partial");
    assert!(k["rambling"] < k["partial"], "rambling {:.3} vs partial {:.3}", k["rambling"], k["partial"]);
    assert!(k["offtopic"] < k["rambling"], "offtopic {:.3} vs rambling {:.3}", k["offtopic"], k["rambling"]);
}

/// Held out: answers to 24 bundled questions as candidates say them, a quarter of them
/// dictated (speech-to-text: no punctuation, "docker file", "config map", "a p i"),
/// written and graded by someone who read neither the grader nor any other set, and
/// committed before any change (r 0.829 then).
#[test]
fn held_out_spoken_and_dictated_answers() {
    let lines = with_bank(lines(SPOKEN_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 144);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.80, "pearson {:.3}", f.pearson);
    assert!(f.per_question >= 0.82, "mean per-question pearson {:.3}", f.per_question);
    assert_eq!(f.false_alarms, 0, "correct answers called wrong");
    kinds_are_ordered_with(&f.by_kind, "spoken bank answers", false, 0.15);
    let k = &f.by_kind;
    assert!((k["dictated"] - k["strong"]).abs() <= 0.1, "dictated {:.3} vs strong {:.3}", k["dictated"], k["strong"]);
    assert!(k["strong"] > k["short"] && k["short"] > k["partial"], "strong > short > partial");
}

/// Held out: answers to 18 bundled questions, the correct ones partly said through
/// contrasts and negations ("X doesn't do A, that's Y's job"), where a grader reading
/// clauses is most likely to call a correct statement wrong; written and graded by
/// someone who read neither the grader nor any other set, committed before any change.
#[test]
fn held_out_contrasts_and_negations() {
    let lines = with_bank(lines(CONTRAST_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 108);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.76, "pearson {:.3}", f.pearson);
    assert!(f.per_question >= 0.76, "mean per-question pearson {:.3}", f.per_question);
    assert_eq!(f.false_alarms, 0, "correct answers called wrong");
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    kinds_are_ordered_with(&f.by_kind, "contrast bank answers", false, 0.15);
    let k = &f.by_kind;
    assert!((k["contrast"] - k["strong"]).abs() <= 0.1, "contrast {:.3} vs strong {:.3}", k["contrast"], k["strong"]);
    assert!(k["strong"] > k["short"] && k["short"] > k["partial"], "strong > short > partial");
}

/// Ten operations questions outside the bank's topics (signals, TCP/UDP, DNS, TLS,
/// observability, git, HTTP caching, indexes, pooling, CI/CD), with their own keywords;
/// written and graded by someone who read neither the grader nor any other set. First
/// measured before any change: r 0.718, 0 false alarms of 30, one correct answer told
/// it got something wrong (a negated keyword, since fixed).
#[test]
fn held_out_operations_questions() {
    let lines = lines(OPS_QUESTIONS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.70, "pearson {:.3}", f.pearson);
    assert!(f.per_question >= 0.72, "mean per-question pearson {:.3}", f.per_question);
    assert_eq!(f.false_alarms, 0, "correct answers called wrong");
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    for good in ["strong", "typos", "short"] {
        assert!(k[good] > k["partial"], "{good} {:.3} vs partial {:.3}", k[good], k["partial"]);
    }
    for gamed in ["stuffed", "rambling", "offtopic"] {
        assert!(k[gamed] < k["partial"], "{gamed} {:.3} vs partial {:.3}", k[gamed], k["partial"]);
    }
    assert!(k["offtopic"] < 0.15, "offtopic {:.3}", k["offtopic"]);
    // Known limit, not asserted: confused answers here state false relations in the
    // keywords' own words (SIGKILL "the graceful one", UDP "connection-oriented") and
    // score about like strong ones.
    eprintln!("confused {:.3}, partial {:.3}, strong {:.3}", k["confused"], k["partial"], k["strong"]);
}

/// Held out: 120 answers to 12 bundled questions picked by position, one strong answer
/// per question told as an experience or analogy that avoids the model answer's terms
/// ("a walled-off section of the cluster" for a namespace); written and graded by a
/// helper who read only the question files, committed before the grader ran on it
/// (r 0.614, 6 false alarms of 48 then, all of them such retellings).
#[test]
fn held_out_answers_in_other_words_and_analogies() {
    let lines = with_bank(lines(PARAPHRASE_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 120);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.58, "pearson {:.3}", f.pearson);
    assert!(f.per_question >= 0.58, "mean per-question pearson {:.3}", f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    for good in ["strong", "typos"] {
        assert!(k[good] > k["partial"], "{good} {:.3} vs partial {:.3}", k[good], k["partial"]);
    }
    for gamed in ["stuffed", "offtopic"] {
        assert!(k[gamed] < k["partial"], "{gamed} {:.3} vs partial {:.3}", k[gamed], k["partial"]);
    }
    assert!(k["offtopic"] < k["stuffed"], "offtopic {:.3} vs stuffed {:.3}", k["offtopic"], k["stuffed"]);
    // Known limits, reported and not asserted: retellings that name none of the terms
    // score low (the false alarms), and confused answers score about like partial ones.
    eprintln!(
        "false alarms {} of 48, confused {:.3}, partial {:.3}, strong {:.3}",
        f.false_alarms, k["confused"], k["partial"], k["strong"]
    );
}

/// Asserts that every kind in `lower` scores below `upper` on average.
fn assert_below(k: &HashMap<String, f64>, lower: &[&str], upper: &str) {
    for l in lower {
        assert!(k[*l] < k[upper], "{l} {:.3} vs {upper} {:.3}", k[*l], k[upper]);
    }
}

/// What every set of the newer frozen ones must show: correlation floors, no correct
/// answer below 0.5 or told it got something wrong, and complete answers (strong, and
/// with typos where the set has them) above partial ones.
fn assert_trustworthy(f: &Figures, floor: f64) {
    assert!(f.pearson >= floor, "pearson {:.3}", f.pearson);
    assert!(f.per_question >= floor, "mean per-question pearson {:.3}", f.per_question);
    assert_eq!(f.false_alarms, 0, "a correct answer scored below 0.5");
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    for good in ["strong", "typos"].into_iter().filter(|kind| k.contains_key(*kind)) {
        assert!(k[good] > k["partial"], "{good} {:.3} vs partial {:.3}", k[good], k["partial"]);
    }
}

/// Twelve new contrast questions (TCP and UDP, SIGTERM and SIGKILL, a process and a
/// thread, ...) with their own keywords, 120 answers: two of each question's three
/// strong answers state the differences through denials ("SIGKILL can't be trapped",
/// "UDP doesn't bother with a handshake"), one confused answer swaps the two sides
/// through denials, and the stuffed answers are keyword dumps without commas. Written
/// and graded by a helper who read no grader code, committed before the grader ran on
/// it: r 0.643 and 2 false alarms then, both from the swap rule on long correct answers
/// (fixed by its tighter bound), and stuffed answers at 0.97 (no commas, so no list
/// items; now runs of terms count).
#[test]
fn held_out_contrasts_said_through_denials() {
    let lines = lines(CONTRAST_DENIAL_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 120);
    let f = figures(&lines, true);
    assert_trustworthy(&f, 0.78);
    let k = &f.by_kind;
    for wrong in ["confused", "offtopic"] {
        assert!(k[wrong] < k["partial"], "{wrong} {:.3} vs partial {:.3}", k[wrong], k["partial"]);
    }
    assert!(k["stuffed"] < k["strong"], "stuffed {:.3} vs strong {:.3}", k["stuffed"], k["strong"]);
    // Known limit, reported and not asserted: dumps that keep a few function words
    // ("cannot be caught cannot be ignored") are not runs of terms.
    eprintln!("stuffed {:.3}, partial {:.3}, confused {:.3}", k["stuffed"], k["partial"], k["confused"]);
}

/// Twelve new backend questions with their own keywords, 120 answers in the forms
/// candidates type into a chat box: of each question's four strong answers one is a
/// bullet list of fragments, one numbered steps, one prose and one terse line; written
/// and graded by a helper who read no grader code, committed before the grader ran on
/// it. First run: r 0.782, 2 false alarms, both bullet lists read as bare term lists
/// (the stuffing cut fired on 25 answers, 9 of them correct). Bullet lines with a
/// function word, and items tied by arrows, are notes now; after that change the set
/// is in-sample for it.
#[test]
fn answers_as_bullets_steps_and_terse_notes() {
    let lines = lines(FORMAT_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 120);
    let f = figures(&lines, true);
    assert_trustworthy(&f, 0.78);
    let k = &f.by_kind;
    for gamed in ["stuffed", "offtopic"] {
        assert!(k[gamed] < k["partial"], "{gamed} {:.3} vs partial {:.3}", k[gamed], k["partial"]);
    }
    // Known limit, reported and not asserted: confused answers score above partial.
    eprintln!("confused {:.3}, partial {:.3}, stuffed {:.3}", k["confused"], k["partial"], k["stuffed"]);
}

/// Sixty answers to ten bundled questions: correct ones as bullet lists, arrow chains
/// and terse notes, and term lists separated by commas or by lines; written by a helper
/// who read only the question files, frozen before it was graded (r 0.956 on first run).
#[test]
fn held_out_bullet_lists_are_not_term_lists() {
    let lines = with_bank(lines(BULLET_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 60);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.9, "pearson {:.3}", f.pearson);
    assert_eq!(f.false_alarms, 0, "a correct answer scored below 0.5");
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert!(k["strong"] > k["partial"] && k["partial"] > k["stuffed"], "{k:?}");
}

/// Ten new questions (feature flags, mocking, isolation levels, locking, N+1 queries,
/// leaks, postmortems, pagination, idempotency keys, merge and rebase) with their own
/// keywords, 100 answers; the strong ones are told as stories from the candidate's own
/// work, STAR style, or hedged. Written and graded by a helper who read no grader code,
/// committed before the grader ran on it: r 0.734, 1 false alarm, 0 got-wrong verdicts
/// on correct answers on the first run.
#[test]
fn held_out_answers_told_as_stories() {
    let lines = lines(STORY_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.7 && f.per_question >= 0.7, "pearson {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "rambling", "stuffed", "offtopic"], "strong");
    assert!(k["partial"] > k["stuffed"] && k["partial"] > k["offtopic"], "{k:?}");
    // Known limits, reported and not asserted: one story answer (mocking, in its own
    // words: "mock the things at the edge that you don't control") scores below 0.5,
    // and confused answers score above partial ones.
    eprintln!(
        "false alarms {}, strong {:.3}, partial {:.3}, confused {:.3}",
        f.false_alarms, k["strong"], k["partial"], k["confused"]
    );
}

/// Ten new questions that candidates answer with commands and code (git, SQL joins and
/// HAVING, ports and disks, permissions, generators, HTTP caching, regular expressions,
/// shell redirection), 100 answers: fenced code with comments, prose with inline code,
/// examples with their output. Written and graded the same way; first run r 0.817, no
/// false alarm, but six got-wrong verdicts on answers that were not wrong, from negated
/// alternatives ("customers without orders") matched by their words spread over a
/// sentence, or said with "no"; now only the phrase said plainly contradicts one.
#[test]
fn held_out_answers_in_code_and_commands() {
    let lines = lines(CODE_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert!(
        f.pearson >= 0.78 && f.per_question >= 0.78,
        "pearson {:.3}, per question {:.3}",
        f.pearson,
        f.per_question
    );
    assert_eq!(f.false_alarms, 0, "a correct answer scored below 0.5");
    // Known limit: "git rebase main" in a code block reads as the plain "rebase main"
    // that the negated alternative "never rebase main" denies (rebasing main, not
    // rebasing onto it). One such verdict is tolerated, and reported.
    assert!(f.wrong_verdicts_on_correct <= 1, "{} got-wrong verdicts on correct answers", f.wrong_verdicts_on_correct);
    let k = &f.by_kind;
    assert_below(k, &["partial"], "strong");
    assert_below(k, &["partial"], "typos");
    assert_below(k, &["stuffed", "offtopic", "short"], "partial");
    eprintln!(
        "got-wrong on correct {}, partial {:.3}, confused {:.3}",
        f.wrong_verdicts_on_correct, k["partial"], k["confused"]
    );
}

/// Ninety-six answers to twelve bundled questions as nervous or non-native candidates
/// give them: self-corrections mid-answer ("it sends SIGKILL, no, sorry, SIGTERM
/// first"), dropped articles and British spelling, chat shorthand (k8s, ctr, w/, b/c),
/// an analogy before the facts. Written by a helper who read only the question files,
/// frozen before it was graded (r 0.811, no false alarm on the first run).
#[test]
fn held_out_nervous_and_non_native_answers() {
    let lines = with_bank(lines(NERVOUS_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 96);
    let f = figures(&lines, true);
    assert_trustworthy(&f, 0.78);
    let k = &f.by_kind;
    assert!(k["offtopic"] < k["short"] && k["short"] < k["strong"], "{k:?}");
    eprintln!("partial {:.3}, short {:.3}, confused {:.3}", k["partial"], k["short"], k["confused"]);
}

/// Ninety-six answers to twelve bundled questions, most of them contrasts: correct ones
/// that state a misconception in order to reject it ("people often think the readiness
/// probe restarts the pod, but it doesn't"), reason through what-ifs, say what each
/// thing is not, or weigh the tempting wrong choice; confused ones that hold the
/// misconception or talk themselves into it. Written by a helper who read only the
/// question files, frozen before it was graded: r 0.774, no false alarm, no got-wrong
/// verdict on a correct answer, the swap rule right on all 6 answers it fired on.
#[test]
fn held_out_misconceptions_rejected_and_held() {
    let lines = with_bank(lines(MISCONCEPTION_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 96);
    let f = figures(&lines, true);
    assert_trustworthy(&f, 0.75);
    let k = &f.by_kind;
    assert!(k["strong"] > k["confused"] && k["short"] < k["strong"], "{k:?}");
    // Known limit, reported and not asserted: half the confused answers (swaps said
    // with no term the reference binds, "the image is the running process") score
    // above 0.6, and their mean is above partial's.
    eprintln!("partial {:.3}, confused {:.3}", k["partial"], k["confused"]);
}

/// Ten new questions (garbage collection, hash tables, Bloom filters, consistent
/// hashing, deadlocks, B-trees and LSM trees, JWT and sessions, WebSockets, sagas,
/// event sourcing), 100 answers: 250-400-word answers that go beyond the model answer,
/// answers through conditionals, answers in another order full of negations; confused
/// answers with one central wrong claim; stuffed answers as sentences of buzzwords
/// ("it's all about hashing and buckets and load factor and resizing"). Written and
/// graded by a helper who read no grader code, committed before the grader ran on it:
/// r 0.610, no false alarm, no got-wrong verdict on a correct answer.
#[test]
fn held_out_thorough_conditional_and_reordered_answers() {
    let lines = lines(DEPTH_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert!(
        f.pearson >= 0.58 && f.per_question >= 0.58,
        "pearson {:.3}, per question {:.3}",
        f.pearson,
        f.per_question
    );
    assert_eq!(f.false_alarms, 0, "a correct answer scored below 0.5");
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "short", "offtopic", "stuffed", "confused"], "strong");
    assert!(k["offtopic"] < k["partial"], "{k:?}");
    // Known limits, reported and not asserted: buzzword sentences carry no list
    // (the terms are chained by "and" inside sentences) and score like partial answers
    // or above; confused answers with one central wrong claim score above partial.
    eprintln!("partial {:.3}, stuffed {:.3}, confused {:.3}", k["partial"], k["stuffed"], k["confused"]);
}

/// Ten new questions (binary search, Dijkstra, dynamic programming, virtual memory,
/// locality, mutexes, UTF-8, signatures, heaps, topological sort), 100 answers: correct
/// ones as telegraphic notes ("code pt → 1-4 bytes"), as chains of short clauses and as
/// prose; stuffed ones as comma lists and as terms chained with "and". Written and
/// graded by a helper who read no grader code, committed before the grader ran on it:
/// r 0.713, no false alarm, no got-wrong verdict on a correct answer; the stuffing cut
/// fired on 15 answers, 14 of them rightly.
#[test]
fn held_out_terse_notes_and_term_lists() {
    let lines = lines(TERSE_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert_trustworthy(&f, 0.7);
    let k = &f.by_kind;
    assert_below(k, &["stuffed", "short", "offtopic"], "partial");
    // Known limits, reported and not asserted: terms chained with "and" inside a
    // sentence ("about pages and frames and the page table and TLB and page faults")
    // are no list and score 0.52-0.72; confused notes score above partial.
    eprintln!("stuffed {:.3}, partial {:.3}, confused {:.3}", k["stuffed"], k["partial"], k["confused"]);
}

/// Ninety-six answers to twelve bundled questions: correct prose and telegraphic notes,
/// a partial answer, and five tricks of a candidate who knows only the buzzwords (terms
/// chained with "and", keywords in vague filler, the question restated, comma-free
/// run-ons glued with "like" and "you know", circular sentences). Written by a helper who
/// read only the question files, frozen before it was graded: r 0.450, no false alarm.
/// It measures how far the grader can be gamed: only the restated question scores low.
#[test]
fn held_out_buzzword_tricks_on_bank_questions() {
    let lines = with_bank(lines(GAMING_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 96);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.4, "pearson {:.3}", f.pearson);
    assert_eq!(f.false_alarms, 0, "a correct answer scored below 0.5");
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert!(k["strong"] > k["partial"] && k["strong"] > k["stuffed"], "{k:?}");
    // Known limit, reported and not asserted: the tricks score 0.75 on average (human
    // 0.07), above partial answers.
    eprintln!("stuffed {:.3}, partial {:.3}, strong {:.3}", k["stuffed"], k["partial"], k["strong"]);
}

/// Ten new questions (DNS, OAuth 2, Raft elections, cache lines, isolation levels, Bloom
/// filters, the Node event loop, certificate trust, rate limiting, replication lag),
/// 100 answers: 50 strong, 30 of them defining each term in its own sentence, 20
/// partial, 30 that define every term by restating it. Written and graded by a helper
/// who read no grader code, committed before the grader ran on it: r 0.724, per
/// question 0.771, no false alarm, circular answers 0.656 (above partial ones, 0.577).
/// The circular rule was first measured on this set and then narrowed on firings in
/// other sets, so it is not fully held out for the rule: it fires on 22 of the 30
/// circular answers and on no strong one.
#[test]
fn glossary_answers_and_circular_definitions() {
    let lines = lines(GLOSSARY_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert_trustworthy(&f, 0.8);
    let k = &f.by_kind;
    assert_below(k, &["circular"], "partial");
    let human: Vec<f64> = lines.iter().map(|l| l.human.expect("human grade")).collect();
    let with = batch::grade_all(&lines, true);
    let without = batch::grade_all_with(&lines, true, RuleSet::default().without(Rule::Circular));
    let r_without = stats::pearson(&without.iter().map(|g| g.score).collect::<Vec<_>>(), &human).expect("pearson");
    assert!(f.pearson > r_without + 0.05, "with the circular rule {:.3}, without {r_without:.3}", f.pearson);
    // Glossary-style strong answers ("X is ...", "Y means ...") never lose anything to it.
    for ((line, a), b) in lines.iter().zip(&with).zip(&without) {
        if line.kind.as_deref() == Some("strong") {
            assert_eq!(a.score, b.score, "{}", line.id);
        }
    }
    eprintln!("circular {:.3}, partial {:.3}, without the rule r {r_without:.3}", k["circular"], k["partial"]);
}

/// Ten new questions (JVM GC, TCP congestion control, B-tree indexes, rebase and merge,
/// HTTP caching, CAP, Rust ownership, load balancing, UTF-8, idempotency keys), 100
/// answers: four strong per question (plain, an anecdote, an analogy in the candidate's
/// own words, one defining every term), two partial, four attempts to game a keyword
/// grader. Written and graded by a helper who read no grader code, committed before the
/// grader ran on it: r 0.258, per question 0.271, 7 false alarms of 40, the weakest of
/// any set. What must hold all the same: no correct answer is told it got something
/// wrong, and strong answers stay above partial ones and above the tricks.
#[test]
fn held_out_analogies_and_grader_gaming_on_new_questions() {
    let lines = lines(GAMING2_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.2, "pearson {:.3}", f.pearson);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "gaming"], "strong");
    // Known limits, reported and not asserted: analogy answers that avoid every keyword
    // ("a small fresh area where every new object lands") score below 0.5, and tricks
    // that carry the keywords score above partial answers.
    eprintln!(
        "false alarms {}, strong {:.3}, partial {:.3}, gaming {:.3}",
        f.false_alarms, k["strong"], k["partial"], k["gaming"]
    );
}

/// Ten questions outside the bank's field (React keys, CSS specificity, event
/// delegation, CORS preflight, overfitting, precision and recall, data splits, the
/// learning rate, database indexes, N+1 queries), each with keywords an author wrote
/// before any answer, and three kinds of strong answer: plain, in everyday words, and
/// through an example. Written and graded by a helper who read no grader code,
/// committed before the grader ran on it: r 0.569, per question 0.589, 14 false alarms
/// of 47. What must hold: no correct answer is told it got something wrong; complete
/// answers (strong, with typos, short) stay above partial ones, and partial ones above
/// off-topic ones.
#[test]
fn held_out_questions_outside_the_bank_with_everyday_words() {
    let lines = lines(MLFE_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.45, "pearson {:.3}", f.pearson);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    for good in ["strong", "typos", "short"] {
        assert_below(k, &["partial", "offtopic"], good);
    }
    assert_below(k, &["offtopic"], "partial");
    // Known limits, reported and not asserted: answers in everyday words ("a name tag on
    // each row" for a key) avoid every keyword and score below 0.5, and confused answers
    // score above partial ones.
    eprintln!(
        "false alarms {}, strong {:.3}, partial {:.3}, confused {:.3}, stuffed {:.3}",
        f.false_alarms, k["strong"], k["partial"], k["confused"], k["stuffed"]
    );
}

/// Correct answers to the bank's contrast questions that say most things through
/// denials ("a failing readiness probe doesn't restart anything", "a ConfigMap isn't
/// meant for sensitive values"), written for the walk-through of the swap rule's
/// denials: every one is graded strong with no concept marked got wrong.
#[test]
fn bank_contrasts_said_through_denials_are_not_called_wrong() {
    let answers: [(&str, &str); 6] = [
        (
            "What's the difference between a liveness probe and a readiness probe?",
            "A failing readiness probe doesn't restart anything, it just takes the pod out of the service's endpoints so it gets no traffic until it's ready again. The liveness probe is the one that makes the kubelet restart the container when it fails, because the app is stuck. Readiness never kills the container; liveness never touches the endpoints.",
        ),
        (
            "What's the difference between a Docker image and a container?",
            "An image can't be changed once it's built: it's a read-only stack of layers. A container isn't read-only, it gets a thin writable layer on top and is a running instance of the image. You don't run an image directly, you start containers from it, and many containers can come from one image.",
        ),
        (
            "What's the difference between a ConfigMap and a Secret?",
            "A ConfigMap isn't meant for sensitive values, it holds plain configuration like feature flags or a config file. A Secret is for passwords, tokens and keys; it's only base64 encoded, not encrypted by default, so you'd turn on encryption at rest and lock it down with RBAC. Both can be mounted as files or exposed as environment variables.",
        ),
        (
            "What's the difference between horizontal and vertical scaling?",
            "Vertical scaling doesn't add machines, you give the one server more CPU and RAM, which is simple but has a ceiling and usually needs a restart. Horizontal scaling doesn't make any box bigger, it adds more instances behind a load balancer, which needs the app to be stateless but has no real ceiling and survives a node dying.",
        ),
        (
            "What's the difference between a StatefulSet and a Deployment?",
            "Deployment pods are interchangeable: they don't have a stable name or their own volume, and they're replaced in any order, which fits stateless web apps. A StatefulSet's pods aren't interchangeable, each keeps a stable identity like db-0 and its own persistent volume claim, and they start and stop in order, which is what databases need, usually with a headless service for DNS.",
        ),
        (
            "What's the difference between CMD and ENTRYPOINT?",
            "ENTRYPOINT isn't replaced when you pass arguments to docker run; they get appended to it, so it fixes the executable. CMD doesn't stick like that: anything after the image name overrides it, so it's the default command or default arguments. Used together, ENTRYPOINT is the program and CMD gives its default args.",
        ),
    ];
    let topics = rehearse::bank::load_dir(Path::new(BANK)).expect("bank loads");
    let lines: Vec<Line> = answers
        .iter()
        .enumerate()
        .map(|(i, (question, answer))| {
            let q = topics.iter().flat_map(|t| &t.questions).find(|q| q.prompt == *question).expect("a bank question");
            Line {
                id: i.into(),
                question: question.to_string(),
                reference: q.answer.clone(),
                keywords: Vec::new(),
                relations: Vec::new(),
                ordered: false,
                misconceptions: Vec::new(),
                answer: answer.to_string(),
                human: Some(0.95),
                kind: Some("strong".to_string()),
            }
        })
        .collect();
    let lines = with_bank(lines);
    for (line, grade) in lines.iter().zip(batch::grade_all(&lines, true)) {
        let wrong: Vec<&str> = grade
            .concepts
            .iter()
            .filter(|c| c.status == ConceptStatus::Contradicted)
            .map(|c| c.label.as_str())
            .collect();
        assert!(wrong.is_empty(), "{}: called wrong on {wrong:?}", line.question);
        assert!(grade.score >= 0.7, "{}: {:.2}", line.question, grade.score);
    }
}

/// Ninety-six answers to twelve bundled questions from candidates who correct themselves
/// as they speak: slips corrected to the right fact ("it sends SIGKILL, no, sorry,
/// SIGTERM first"), doubts that change nothing, and right facts "corrected" into wrong
/// ones ("Actually no, I have that backwards: ..."). Written by a helper who read only
/// the question files, frozen before it was graded: r 0.658, per-question 0.677, no
/// false alarm on the first run. Reading only what a candidate finally commits to
/// (`retraction`) moved every score it changed toward the human grade.
#[test]
fn held_out_self_corrections() {
    let lines = with_bank(lines(SELFCORRECT_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 96);
    let f = figures(&lines, true);
    assert_trustworthy(&f, 0.7);
    let k = &f.by_kind;
    assert_below(k, &["confused"], "partial");
    assert_below(k, &["confused"], "short");
    let human: Vec<f64> = lines.iter().map(|l| l.human.expect("human grade")).collect();
    let without: Vec<f64> = batch::grade_all_with(&lines, true, RuleSet::default().without(Rule::Retraction))
        .iter()
        .map(|g| g.score)
        .collect();
    let r_without = stats::pearson(&without, &human).expect("pearson");
    assert!(f.pearson > r_without + 0.03, "with retraction {:.3}, without {r_without:.3}", f.pearson);
    // Known limit, reported and not asserted: a wrong claim added after a correct
    // answer ("... so you put the token in ARG, it disappears after the build") is
    // not taken back by anything and scores as the correct answer does.
    eprintln!("confused {:.3}, without retraction r {r_without:.3}", k["confused"]);
}

/// Ten new questions (TLS 1.3, DNS resolution, isolation levels, MVCC, virtual memory,
/// context switches, closures, XSS and CSRF, OAuth with PKCE, metrics, logs and traces),
/// 100 answers spoken in one breath: run-on sentences joined by "and ... and then",
/// dictated answers with no punctuation at all, stuffed chains of terms. Written and
/// graded by a helper who read no grader code, committed before the grader ran on it:
/// r 0.859, per-question 0.870, no false alarm; every stuffed answer discounted.
#[test]
fn held_out_run_on_spoken_answers() {
    let lines = lines(RUNON_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert_trustworthy(&f, 0.82);
    let k = &f.by_kind;
    assert_below(k, &["partial", "stuffed", "offtopic", "confused"], "strong");
    assert_below(k, &["partial", "stuffed", "offtopic", "confused"], "dictated");
    assert_below(k, &["stuffed", "offtopic"], "partial");
    // Known limit, reported and not asserted: confused answers score above partial.
    eprintln!("partial {:.3}, confused {:.3}, stuffed {:.3}", k["partial"], k["confused"], k["stuffed"]);
}

/// Ten new questions about parties with different roles (Kerberos, streaming
/// replication, CORS, Paxos, SSH keys, JWT, RabbitMQ, page faults, webhooks, DHCP), none
/// phrased as a comparison, 100 answers; 20 confused ones give one party's job to
/// another. Written and graded by a helper who read no grader code, committed before
/// the grader ran on it: r 0.673, per-question 0.697, no false alarm.
#[test]
fn held_out_role_swaps_on_questions_that_compare_nothing() {
    let lines = lines(ROLES_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert_trustworthy(&f, 0.65);
    let k = &f.by_kind;
    assert_below(k, &["partial", "short", "confused", "offtopic"], "strong");
    assert_below(k, &["offtopic"], "partial");
    // Known limit, reported and not asserted: the swap rule derives entities only on
    // questions that contrast them, so it never fires here; role swaps score about 0.78
    // and confused answers as a whole above partial ones.
    eprintln!("partial {:.3}, confused {:.3}", k["partial"], k["confused"]);
}

/// Ten new questions whose model answers name what the technique avoids ("instead of a
/// wasted disk read": write-ahead logging, copy-on-write, HTTP/2 multiplexing, pooling,
/// memoization, content addressing, optimistic UI, incremental builds, blue-green,
/// Bloom filters), 100 answers; two of each question's three strong answers state the
/// avoided thing through a denial ("it doesn't have to touch the disk"). Written and
/// graded by a helper who read no grader code, committed before the grader ran on it
/// (2026-12-02): r 0.825, per question 0.847, no false alarm.
#[test]
fn held_out_answers_that_deny_what_the_technique_avoids() {
    let lines = lines(AVOID_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert_trustworthy(&f, 0.78);
    let k = &f.by_kind;
    assert_below(k, &["partial", "short", "rambling", "stuffed", "confused", "offtopic"], "strong");
    assert_below(k, &["rambling", "stuffed", "offtopic"], "partial");
    // Known limit, reported and not asserted: confused answers state the avoided thing
    // as what happens ("a Bloom filter can give false negatives but never false
    // positives") in the model answer's words, and score above partial ones.
    eprintln!("partial {:.3}, confused {:.3}", k["partial"], k["confused"]);
}

/// 100 answers to ten bundled contrast questions (containers and VMs, CMD and
/// ENTRYPOINT, ARG and ENV, ConfigMaps and Secrets, liveness and readiness,
/// StatefulSets, Lambda triggers, concurrency, scaling up and out, strong and eventual
/// consistency): three strong answers per question (plain, in everyday words, a story
/// from work), two confused ones that swap the two sides (one of them in everyday
/// words). Written and graded by a helper who read no grader code, committed before
/// the grader ran on it (2026-12-03): r 0.736, per question 0.756 (one correct answer
/// told it got something wrong, by the bank's negated alternative "not encryption",
/// replaced since), confused 0.38 below partial 0.73, the swap rule right on all 8 of
/// its firings.
#[test]
fn held_out_contrasts_in_everyday_words() {
    let lines = with_bank(lines(EVERYDAY_CONTRAST_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.7, "pearson {:.3}", f.pearson);
    assert!(f.per_question >= 0.7, "mean per-question pearson {:.3}", f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "short", "stuffed", "confused", "offtopic"], "strong");
    assert_below(k, &["stuffed", "confused", "offtopic"], "partial");
    // Known limit, reported and not asserted: the strong answers in everyday words
    // ("like taxis at a rank" for interchangeable pods) name few of the keywords, and
    // six of the ten score below 0.5.
    eprintln!("false alarms {} of the 30 strong answers", f.false_alarms);
}

/// Follow-up replies, graded as the server grades them (against the one concept the
/// follow-up asks about), in three sets of 16 bundled questions with 8 replies each:
/// correct ones with the term, in everyday words and terse; wrong ones with the term and
/// in plain words; vague, off-topic and "I don't know". Each set was written and graded
/// by a helper who read no grader code and committed before the grader ran on it
/// (2026-12-03). The first two were measured before the change that stopped calling a
/// reply a miss when the follow-up had named the concept itself: correct replies told
/// "Still missing" 22 of 48 and 22 of 50, then 9 and 8 (the change came from the first
/// set's misses; the second set's were read before it was written).
#[test]
fn follow_up_replies_are_not_told_they_missed_what_they_answered() {
    use rehearse::cli::calibrate::{follow_up_errors, follow_up_verdicts, read_follow_ups};
    use rehearse::practice::FollowUpJudgement;
    for name in ["follow-up-replies", "follow-up-replies-2", "follow-up-replies-3"] {
        let path = format!("{}/tests/fixtures/validation/{name}.jsonl", env!("CARGO_MANIFEST_DIR"));
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let lines = read_follow_ups(BufReader::new(file)).expect("readable");
        assert_eq!(lines.len(), 128, "{name}");
        let verdicts = follow_up_verdicts(&lines, Path::new(BANK)).expect("graded");
        let (told_wrong, false_credit) = follow_up_errors(&lines, &verdicts);
        let accepted = lines.iter().filter(|l| l.covered == 1).count();
        // The first rule: at most one correct reply in four is told it missed the
        // concept or got it wrong.
        assert!(
            told_wrong.len() * 4 <= accepted,
            "{name}: {} of {accepted} correct replies told wrong",
            told_wrong.len()
        );
        // Credit follows the human: a "Yes" is right at least three times in four
        // (2026-12-05: 15 of 18, 19 of 22, 31 of 38; before replies that named back a
        // concept the follow-up had named were credited too, 35 of 53 on the first set),
        // a correct reply in the concept's own terms is not told it missed, and empty
        // replies are not credited.
        let credited = |kind: &str, human: u8| {
            let of: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].kind.as_deref() == Some(kind) && lines[i].covered == human)
                .collect();
            let n = of.iter().filter(|&&i| verdicts[i] == FollowUpJudgement::Covered).count();
            (n, of.len())
        };
        let yes = verdicts.iter().filter(|v| **v == FollowUpJudgement::Covered).count();
        assert!((yes - false_credit.len()) * 4 >= yes * 3, "{name}: {} of {yes} credits wrong", false_credit.len());
        let term_told_wrong = (0..lines.len())
            .filter(|&i| lines[i].kind.as_deref() == Some("correct_term") && verdicts[i].told_wrong())
            .count();
        assert!(term_told_wrong <= 1, "{name}: {term_told_wrong} correct replies in the concept's terms told wrong");
        for kind in ["vague", "off_topic", "dont_know"] {
            let (n, of) = credited(kind, 0);
            assert!(n * 5 <= of, "{name}: {kind} replies credited {n} of {of}");
        }
        eprintln!(
            "{name}: correct replies told wrong {} of {accepted}; replies not accepted credited {}",
            told_wrong.len(),
            false_credit.len()
        );
    }
}

/// Replies to follow-ups that ask to fill a gap in the model answer (the follow-up a
/// question without hints gets: `learning::follow_up::gap_prompt`), on 32 concepts of
/// the held-out questions as an admin writes them (keywords, no hints), 8 replies each:
/// right with the term, in other words, in plain words and terse; wrong with a term and
/// in plain words; vague and "I don't know". Written and graded by a helper who read no
/// grader code, committed before any build graded them (2026-12-06). Before gap
/// follow-ups these concepts were asked "where does X come into this?", which names the
/// concept, so no reply was judged. Now a credit is always right here (80 credits, all
/// to right replies), no reply is told it missed or got the concept wrong unless it
/// did, "I don't know" is told it missed (29 of 32; the word list was written after
/// reading these), and a fill without the concept's words is shown the model answer's
/// fill (`FollowUpJudgement::Unmatched`): 48 of the 128 right replies, 98 of the wrong.
#[test]
fn gap_follow_ups_credit_right_fills_and_call_none_wrong() {
    use rehearse::cli::calibrate::{follow_up_errors, follow_up_verdicts, read_follow_ups};
    use rehearse::practice::FollowUpJudgement;
    let root = env!("CARGO_MANIFEST_DIR");
    let path = format!("{root}/tests/fixtures/validation/gap-follow-up-replies.jsonl");
    let lines =
        read_follow_ups(BufReader::new(std::fs::File::open(&path).expect("in the repository"))).expect("readable");
    assert_eq!(lines.len(), 256);
    let bank = format!("{root}/tests/fixtures/validation/held-out-bank");
    let verdicts = follow_up_verdicts(&lines, Path::new(&bank)).expect("graded");
    let (told_wrong, false_credit) = follow_up_errors(&lines, &verdicts);
    assert!(told_wrong.is_empty(), "right replies told wrong: {told_wrong:?}");
    let yes = verdicts.iter().filter(|v| **v == FollowUpJudgement::Covered).count();
    // A "Yes" is right at least nine times in ten.
    assert!(false_credit.len() * 10 <= yes, "{} of {yes} credits wrong", false_credit.len());
    let of_kind = |kind: &str, verdict: FollowUpJudgement| {
        (0..lines.len()).filter(|&i| lines[i].kind.as_deref() == Some(kind) && verdicts[i] == verdict).count()
    };
    // The concept's own term fills its gap; more than half of all right fills are
    // credited (the rest are shown the model answer's fill, never called a miss).
    assert_eq!(of_kind("correct_term", FollowUpJudgement::Covered), 32);
    let right = lines.iter().filter(|l| l.covered == 1).count();
    assert!((yes - false_credit.len()) * 2 > right, "{yes} credits of {right} right replies");
    for kind in ["vague", "idk", "wrong_plain", "wrong_term"] {
        assert_eq!(of_kind(kind, FollowUpJudgement::Covered), 0, "{kind} replies credited");
    }
    assert!(of_kind("idk", FollowUpJudgement::Missed) * 4 >= 32 * 3, "not knowing is a miss");
    eprintln!(
        "gap follow-ups: {yes} credited ({} wrongly), {} right fills without the concept's words",
        false_credit.len(),
        (0..lines.len()).filter(|&i| lines[i].covered == 1 && verdicts[i] == FollowUpJudgement::Unmatched).count()
    );
}

/// Ten new questions on web security and operating systems (XSS, CSRF, SQL injection,
/// password storage, TLS; processes and threads, virtual memory, deadlock, context
/// switches, mutex and semaphore), 100 answers of every kind of `dev.jsonl`, one of each
/// question's two strong answers told as an analogy ("a process is a whole restaurant
/// kitchen, threads are the cooks"). Written and graded by a helper who read no grader
/// code, committed before the grader ran on it (2026-12-03): r 0.592, per question
/// 0.599, 10 false alarms of 30, all ten the analogies. Known limit, reported and not
/// asserted: those ten score 0.18-0.41.
#[test]
fn held_out_security_and_os_questions_with_analogies() {
    let lines = lines(SECOS_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.55 && f.per_question >= 0.55, "{:.3} {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["stuffed", "offtopic"], "partial");
    assert_below(k, &["partial", "stuffed", "offtopic"], "typos");
    eprintln!("strong {:.3}, partial {:.3}, confused {:.3}", k["strong"], k["partial"], k["confused"]);
}

/// Ten new questions (queues and pub/sub, ACID, rate limiting, DNS, consistent hashing,
/// LRU caches, circuit breakers, OAuth tokens, write-ahead logs, backpressure), each
/// with three correct analogies, two wrong ones, a partial analogy and plain strong,
/// partial, confused and off-topic answers. Written and graded by a helper who read no
/// grader code and no other set, committed before the grader ran on it (2026-12-03,
/// fourth session): r 0.182, per question 0.196, 26 false alarms of 40, correct
/// analogies 0.28 against wrong ones 0.39. Known limit, reported and not asserted: a
/// lexical grader cannot tell a sound analogy from a wrong one, and the wrong ones use
/// more of the subject's terms. What is asserted: plain answers keep their order, and
/// no correct answer is told it got something wrong.
#[test]
fn held_out_analogies_right_and_wrong() {
    let lines = lines(ANALOGY2_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "confused", "offtopic", "analogy-correct", "analogy-wrong"], "strong");
    assert_below(k, &["offtopic"], "partial");
    assert_below(k, &["offtopic"], "analogy-correct");
    eprintln!(
        "r {:.3}, per question {:.3}; analogies: correct {:.3}, partial {:.3}, wrong {:.3}",
        f.pearson, f.per_question, k["analogy-correct"], k["analogy-partial"], k["analogy-wrong"]
    );
}

/// Ten new questions (property-based testing, tree shaking, priority inversion, tail
/// latency, NAT, materialized views, SSRF, JIT compilers, backoff with jitter,
/// availability zones), each with a plain, an analogy and a story-from-work strong
/// answer, a short, a partial and a partial-analogy one, a confused answer, a wrong
/// analogy, a stuffed one and an off-topic one. Written and graded by a helper who read
/// no grader code and no other set, committed before the grader ran on it (2026-12-03,
/// fifth session; first run: r 0.665, per question 0.692, 5 false alarms of 30, all
/// strong analogies; stuffed answers 0.56 above partial ones 0.45). Its stuffed answers
/// end with a closing remark ("That's the main reason Java and JavaScript are fast these
/// days."), which diluted their list; the closing-remark reading was written from this
/// set, so stuffed below partial is in-sample here. Known limit, reported and not
/// asserted: confused answers (0.49) score above partial ones (0.45).
#[test]
fn held_out_mixed_kinds() {
    let lines = lines(MIXED3_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "confused", "stuffed", "offtopic", "wrong-analogy"], "strong");
    assert_below(k, &["partial", "offtopic", "wrong-analogy"], "strong-story");
    assert_below(k, &["stuffed", "offtopic", "wrong-analogy"], "partial");
    assert_below(k, &["offtopic", "wrong-analogy"], "strong-analogy");
    eprintln!(
        "r {:.3}, per question {:.3}; strong {:.3}, analogy {:.3}, story {:.3}, partial {:.3}, confused {:.3}, stuffed {:.3}",
        f.pearson,
        f.per_question,
        k["strong"],
        k["strong-analogy"],
        k["strong-story"],
        k["partial"],
        k["confused"],
        k["stuffed"]
    );
}

/// Ten more new questions (security groups vs network ACLs, slowly changing dimensions,
/// the critical rendering path, interrupts vs polling, flaky tests, password resets,
/// erasure coding, inlining, GraphQL fetching, push notifications), each with a strong
/// answer, one in plain everyday words, one typed in a hurry, a short, a partial, a
/// rambling, a confused, a stuffed, an off-topic one and a partial one with one wrong
/// point. Written and graded by a helper who read no grader code and no other set,
/// committed before the grader ran on it; no grading change was made from it (2026-12-03,
/// sixth session; r 0.569, per question 0.582). Known limits, reported and not asserted:
/// the plain-words answers (human 0.85) score 0.37 and are 9 of its 9 false alarms (they
/// name almost none of the concepts: coverage 0.10); confused answers (0.61) and answers
/// with one wrong point (0.89) score above partial ones (0.42).
#[test]
fn held_out_plain_words_and_kinds() {
    let lines = lines(MIXED4_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "confused", "rambling", "stuffed", "offtopic", "strong-plain"], "strong");
    assert_below(k, &["partial", "rambling", "stuffed", "offtopic"], "typos");
    assert_below(k, &["partial", "rambling", "offtopic"], "short");
    assert_below(k, &["rambling", "stuffed", "offtopic"], "partial");
    assert_below(k, &["rambling", "offtopic"], "strong-plain");
    eprintln!(
        "r {:.3}, per question {:.3}; strong {:.3}, plain {:.3}, partial {:.3}, confused {:.3}, one wrong point {:.3}",
        f.pearson, f.per_question, k["strong"], k["strong-plain"], k["partial"], k["confused"], k["partial-wrong"]
    );
}

/// Ten more new questions (reserved and spot instances, Parquet and CSV, vector clocks,
/// anycast, file descriptors, planner statistics, hydration, mutation testing,
/// trunk-based development, flame graphs), written to try the reading of long
/// explanations in the learner's own words (`Components::own_words`) after it was
/// chosen: most answers 80-150 words, among them rambling, padded, confused and off-topic
/// ones as long and fluent as the correct ones. Written and graded by a helper who read
/// no grader code and no other set, committed before the grader ran on it (2026-12-03,
/// sixth session; r 0.675, per question 0.683, 2 false alarms of 30, both plain-words
/// answers; one correct answer told it got *leak* wrong, "forgets to close them",
/// until negating verbs were read as denials: r 0.678). Its own-words readings were right 4 times in 10, which is why that reading
/// changes no score. Known limit, reported and not asserted: answers with one wrong
/// point score 0.96 (human 0.44).
#[test]
fn held_out_long_answers_of_every_kind() {
    let lines = lines(MIXED5_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    let wrong = ["confused", "rambling", "padded", "stuffed", "offtopic"];
    assert_below(k, &wrong, "strong");
    assert_below(k, &["partial", "strong-plain"], "strong");
    assert_below(k, &wrong, "strong-brief");
    assert_below(k, &["partial"], "strong-brief");
    assert_below(k, &wrong, "partial");
    assert_below(k, &["rambling", "padded", "stuffed", "offtopic"], "strong-plain");
    // Every correct answer it calls wrong is at least left uncounted.
    for (l, g) in lines.iter().zip(batch::grade_all(&lines, true)) {
        if l.human.is_some_and(|h| h >= CORRECT) && g.score < CALLED_WRONG {
            assert!(g.unsure(), "{}: {:.2} and counted", l.id, g.score);
        }
    }
    eprintln!(
        "r {:.3}, per question {:.3}; strong {:.3}, plain {:.3}, brief {:.3}, partial {:.3}, confused {:.3}",
        f.pearson, f.per_question, k["strong"], k["strong-plain"], k["strong-brief"], k["partial"], k["confused"]
    );
}

/// Every held-out set of whole answers in `tests/fixtures/validation/` (not the
/// follow-up replies), in name order.
fn whole_answer_sets() -> Vec<std::path::PathBuf> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(VALIDATION)
        .expect("validation sets")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".jsonl") && !name.contains("follow-up")
        })
        .collect();
    files.sort();
    files
}

/// What the transcript highlights for a covered concept, and quotes as what the learner
/// said, is where the concept was found whole: a phrase matched with one of its words
/// left out still counts, but is shown only when nothing better was found ("one of them
/// dies, no single server" was highlighted and quoted for "stick to one server" beside
/// a sentence that said it). Over every held-out set: no concept shows a loose match
/// beside a whole one, and loose-only concepts are common enough to matter.
#[test]
fn a_concept_shows_its_whole_matches_before_any_loose_one() {
    let (mut whole, mut loose_only) = (0, 0);
    for path in &whole_answer_sets() {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        let lines = lines(path.to_str().expect("utf-8 path")).expect("in the repository");
        let lines = if name.contains("bank") { with_bank(lines) } else { lines };
        for (l, g) in lines.iter().zip(batch::grade_all(&lines, true)) {
            for c in g.concepts.iter().filter(|c| c.status == ConceptStatus::Covered) {
                let loose = c.spans.iter().filter(|s| s.loose).count();
                assert!(loose == 0 || loose == c.spans.len(), "{name}: {} in {:?}: {:?}", c.label, l.answer, c.spans);
                whole += usize::from(loose == 0 && !c.spans.is_empty());
                loose_only += usize::from(loose > 0);
            }
        }
    }
    eprintln!("covered concepts shown by whole matches: {whole}; by loose matches only: {loose_only}");
    assert!(loose_only > 100 && whole > 10 * loose_only, "whole {whole}, loose only {loose_only}");
}

/// A correct answer told through an analogy scores low (half the false alarms of the
/// held-out sets), so a low grade of an answer that makes a comparison says so, quotes
/// it, and says what would let the grader credit it. Over every held-out set of whole
/// answers the note must reach at least a quarter of the false alarms (a third until
/// `unseen10-new-questions.jsonl`, whose false alarms are answers in everyday words, not
/// comparisons: 36 of 114 with it), this note and the own-words one together two
/// thirds, and it is never shown to a strong grade. It claims nothing about the answer ("I cannot tell whether it
/// holds"), since it is shown to wrong analogies too: on `analogy2-answers.jsonl`, the
/// one set written after it, 21 of the 37 answers shown it were accepted by a human.
/// Still, at least half of those shown it must be. Those, and the long explanations in
/// the learner's own words that name few of the concepts (`Components::own_words`,
/// a note of their own), are exactly the unsure grades, which the learning loop does not
/// count (`Grade::unsure`).
#[test]
fn low_grades_of_analogies_say_why() {
    let files = whole_answer_sets();
    let (mut shown, mut shown_accepted, mut false_alarms, mut reached, mut not_counted) = (0, 0, 0, 0, 0);
    let (mut explained, mut missed_unsure) = (0, 0);
    let (mut own, mut own_accepted) = (0, 0);
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        let lines = lines(path.to_str().expect("utf-8 path")).expect("in the repository");
        let lines = if name.contains("bank") { with_bank(lines) } else { lines };
        for (l, g) in lines.iter().zip(batch::grade_all(&lines, true)) {
            let human = l.human.expect("human grade");
            let noted = g.feedback.starts_with("You explained this through a comparison");
            let own_words = g.feedback.starts_with("You explained this in your own words");
            let one_line = g.feedback.starts_with("The model answer to this question is one short line");
            // The answers one of the notes is shown on are the ones not counted in the
            // learning loop (`Grade::unsure`), and no others.
            assert_eq!(noted || own_words || one_line, g.unsure(), "{name}: {}", g.feedback);
            assert_eq!(own_words, g.components.own_words, "{name}: {}", g.feedback);
            assert_eq!(one_line, g.components.short_reference, "{name}: {}", g.feedback);
            // Every other grade of a question with a one-line model answer and derived
            // concepts says the grader checked only its words; no other grade does.
            let checked_words = g.feedback.ends_with(rehearse::grading::ONE_LINE_NOTE);
            assert_eq!(checked_words, g.components.one_line_model_answer && !one_line, "{name}: {}", g.feedback);
            // An unsure grade does not tell the learner a concept is missing: it may be
            // there in their own words (a walk-through's plain answers read "The model
            // answer also covers fallback" beside the sentence that explained it).
            for c in g.concepts.iter().filter(|c| c.status == ConceptStatus::Missed) {
                let told_missing = c.hint.starts_with("The model answer also covers");
                let asked = c.hint.starts_with("I could not find ");
                let fits = if g.unsure() { !told_missing } else { !asked };
                assert!(fits, "{name}: {:?} {}", c.hint, g.score);
                missed_unsure += usize::from(g.unsure() && asked);
            }
            if own_words {
                assert!(g.score < UNSURE_SCORE, "{name}: only a grade below the middle is left uncounted");
                assert!(g.concepts.iter().all(|c| c.status != ConceptStatus::Contradicted), "{name}");
                assert!(g.components.list_share <= 0.5, "{name}: not a list");
                own += 1;
                own_accepted += usize::from(human >= 0.4);
            }
            if noted {
                assert!(g.components.comparison.is_some() && g.score < 0.4, "{name}: {}", g.feedback);
                shown += 1;
                shown_accepted += usize::from(human >= 0.4);
                assert!(g.feedback.contains("I cannot tell whether it holds"), "{}", g.feedback);
                let quoted = g.components.comparison.as_deref().unwrap_or_default().trim_end_matches('…');
                assert!(l.answer.contains(quoted), "the note quotes the answer: {quoted:?}");
            }
            if human >= CORRECT && g.score < CALLED_WRONG {
                false_alarms += 1;
                reached += usize::from(g.components.comparison.is_some());
                explained += usize::from(g.components.comparison.is_some() || g.components.own_words);
                not_counted += usize::from(g.unsure());
            }
        }
    }
    eprintln!(
        "comparison note (an unsure grade, not counted) on {shown} answers, {shown_accepted} of them accepted by a \
         human; it reached {reached} of {false_alarms} false alarms, with the own-words note {explained}, and \
         {not_counted} of them are not counted; own words on {own} answers, {own_accepted} of them accepted"
    );
    assert!(missed_unsure > 100, "{missed_unsure} concepts of unsure grades asked about");
    assert!(shown_accepted * 2 >= shown, "shown on {shown}, accepted {shown_accepted}");
    // A quarter until unseen12 and unseen13 (2026-12-05, seventh session), whose false
    // alarms are answers in everyday words (reached by the own-words note, below), not
    // comparisons: 34 of 137 with them. A fifth until unseen15 and the end of "X is
    // like" as an opening (2026-12-06, thirteenth session): 34 of 177; the two correct
    // answers it no longer reaches are unsure by the own-words note all the same.
    assert!(reached * 6 >= false_alarms, "reached {reached} of {false_alarms} false alarms");
    assert!(explained * 3 >= false_alarms * 2, "explained {explained} of {false_alarms} false alarms");
    // Chosen on these sets (51 of 58 accepted then); out of sample about half (10 of 19).
    assert!(own_accepted * 2 >= own, "own words on {own}, accepted {own_accepted}");
}

/// Ten more new questions (system calls, normalization, traceroute, TOTP, service
/// workers, compiler phases, distributed locks and fencing tokens, contract testing,
/// change data capture, training-serving skew), none a comparison, with short correct
/// answers and correct ones full of hesitations and self-corrections beside the usual
/// kinds. Written and graded by a helper who read no grader code and no other set,
/// committed before the grader ran on it (2026-12-04; first run r 0.502, per question
/// 0.504, 3 false alarms of 41, all three plain-words answers). Known limits, reported
/// and not asserted: confused answers score 0.87 (human 0.09) and answers with one wrong
/// point 0.92 (human 0.60): on questions that contrast nothing there are no entities
/// whose terms a swap could cross, and the grader credits right words in wrong
/// statements.
#[test]
fn held_out_short_hedged_and_plain_answers() {
    let lines = lines(MIXED6_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    let wrong = ["stuffed", "offtopic"];
    for right in ["strong", "typos", "hedged-right"] {
        assert_below(k, &wrong, right);
        assert_below(k, &["partial", "short-right", "strong-plain"], right);
    }
    assert_below(k, &wrong, "partial");
    assert_below(k, &wrong, "short-right");
    assert_below(k, &["offtopic"], "strong-plain");
    eprintln!(
        "r {:.3}, per question {:.3}; strong {:.3}, hedged {:.3}, short {:.3}, plain {:.3}, partial {:.3}, confused {:.3}",
        f.pearson,
        f.per_question,
        k["strong"],
        k["hedged-right"],
        k["short-right"],
        k["strong-plain"],
        k["partial"],
        k["confused"]
    );
}

/// The bank's anticipated misconceptions on answers written after them by someone who
/// saw neither them nor the grader: correct answers, including ones that name a myth
/// to reject it and ones that compare two things, get no check; every misconception
/// that fires is on an answer a human graded below 0.6; confused and off-topic answers
/// score below partial ones, and those below correct ones.
#[test]
fn held_out_misconceptions_never_fire_on_a_correct_answer() {
    let lines = with_bank(lines(MISC_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 112);
    let grades = batch::grade_all(&lines, true);
    let mut fired = 0;
    for (line, grade) in lines.iter().zip(&grades) {
        let human = line.human.expect("human grade");
        if grade.components.misconceptions > 0 {
            fired += 1;
            assert!(human < 0.6, "{:?} (human {human}) was shown {:?}", line.id, grade.components.conflicts);
        }
    }
    assert!(fired > 0, "the set has confused answers that make the bank's anticipated claims");
    let f = figures(&lines, true);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    for right in ["strong", "strong-rejects-myth", "strong-compare"] {
        assert_below(k, &["partial", "confused", "offtopic-or-vague"], right);
    }
    assert_below(k, &["confused", "offtopic-or-vague"], "partial");
    eprintln!(
        "r {:.3}, per question {:.3}; misconceptions fired on {fired}; strong {:.3}, myth rejected {:.3}, compare {:.3}, partial {:.3}, confused {:.3}, one wrong {:.3}",
        f.pearson,
        f.per_question,
        k["strong"],
        k["strong-rejects-myth"],
        k["strong-compare"],
        k["partial"],
        k["confused"],
        k["one-wrong"]
    );
}

/// 72 answers to 12 bundled questions (three per topic file), the strong ones in other
/// words than the model answer ("thousandths of a core" for millicores); written and
/// graded by a helper who read only the question files, committed before the grader ran
/// on it (2026-12-04, sixth session: r 0.844, per question 0.869, 0 false alarms). With
/// the bank's misconceptions, confused and stuffed answers score below partial ones.
#[test]
fn held_out_bank_answers_in_other_words_with_the_banks_misconceptions() {
    let lines = with_bank(lines(UNSEEN7_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 72);
    let f = figures(&lines, true);
    assert_trustworthy(&f, 0.8);
    // Its off-topic answers are neighbouring questions' answers (0.20 on average).
    kinds_are_ordered_with(&f.by_kind, "unseen7 with keywords", true, 0.25);
    assert_below(&f.by_kind, &["partial", "confused", "stuffed", "offtopic"], "short");
}

/// 256 answers to 32 bundled questions, eight kinds each: strong ones whose later
/// sentences say "it" and "they", strong ones in everyday words, short, partial, one
/// wrong point in an otherwise right answer, confused, off topic, hedged (a
/// self-correction or a myth named to reject it); written and graded by two helpers who
/// read no grader code, question file or other set, committed before the grader ran on
/// it (2026-12-05, fourth session: r 0.767 with the build before the session's
/// misconception changes, 0.773 after; 10 then 9 false alarms of 97, every one an
/// answer in everyday words; none told it got something wrong once ", no wait," reads
/// as a self-correction: the "it" reading had checked a claim taken back that way).
#[test]
fn held_out_bank_answers_with_pronouns_one_wrong_point_and_hedges() {
    let lines = with_bank(lines(UNSEEN8_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 256);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.7 && f.per_question >= 0.7, "pearson {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    kinds_are_ordered_with(&f.by_kind, "unseen8 with keywords", true, 0.25);
    // Complete answers, said plainly, hedged or briefly, above partial and wrong ones;
    // an answer with one wrong point below the complete ones.
    assert_below(&f.by_kind, &["partial", "confused", "offtopic", "one-wrong"], "strong");
    assert_below(&f.by_kind, &["partial", "confused", "offtopic", "one-wrong"], "hedged");
    assert_below(&f.by_kind, &["partial", "confused", "offtopic"], "short");
}

/// 192 answers to 24 bundled questions that unseen7 and unseen8 do not ask, eight kinds
/// each: strong, correct in everyday words, short, partial, one wrong point, confused,
/// a bare list of terms, off topic; written and graded by two helpers who read no
/// grader code, question file or other set, committed before the grader ran on it
/// (2026-12-05, fifth session: r 0.707, 9 false alarms of 48, all in everyday words,
/// which scored 0.57 on average against a human 0.93, below partial answers). The
/// plain-words alternatives added to the bank that session, by helpers who had not
/// seen this set, took it to r 0.754 and 4 false alarms.
#[test]
fn held_out_bank_answers_in_everyday_words_lists_and_one_wrong_point() {
    let lines = with_bank(lines(UNSEEN9_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 192);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.7 && f.per_question >= 0.7, "pearson {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    kinds_are_ordered_with(&f.by_kind, "unseen9 with keywords", true, 0.25);
    // Complete answers above every kind that leaves out or gets something wrong; plain
    // words above wrong answers and bare lists.
    assert_below(
        &f.by_kind,
        &["own-words", "short", "partial", "one-wrong", "confused", "stuffed", "offtopic"],
        "strong",
    );
    assert_below(&f.by_kind, &["confused", "stuffed", "offtopic"], "own-words");
    assert_below(&f.by_kind, &["confused", "stuffed", "offtopic"], "partial");
}

/// Questions nobody tuned for: 40 new questions outside the bank (unseen10: containers,
/// Kubernetes, operations, back ends; unseen11: operating systems, networking, security,
/// front end, streaming, incident response and more), each with the 5-6 keywords a
/// hurried author writes (the term and a spelling or two), 8 answers of eight kinds;
/// written and graded by four helpers who read no grader code, question file or other
/// set, each set committed before the grader ran on it. The first build scored them r
/// 0.599 and 0.507 with 12 and 17 false alarms of 40, nearly all correct answers in
/// everyday words; the plain-words lexicon and thesaurus (2026-12-05, sixth session)
/// took them to 0.675 and 0.558, 4 and 12. unseen12 (20 more: zombie processes, epoll,
/// ARP, CIDR, quorums, HSTS, generics, fuzzing, drift, Operators, SLOs and more),
/// written the same way the next session, read 0.446 with 16 false alarms before the
/// thesaurus grew by 1,686 terms (seventh session) and 0.479 with 13 after; unseen13,
/// written after that choice to check it, 0.516 with 9 (0.470 with 17 without plain words);
/// unseen14 (2026-12-06), written to check the stuffing cut's deeper bound, 0.442 with 12
/// before it (bare lists above partial answers) and 0.468 with 12 after.
#[test]
fn held_out_new_questions_with_a_hurried_authors_keywords() {
    for (path, floor) in [
        (UNSEEN10_NEW_QUESTIONS, 0.65),
        (UNSEEN11_NEW_QUESTIONS, 0.53),
        (UNSEEN12_NEW_QUESTIONS, 0.45),
        (UNSEEN13_NEW_QUESTIONS, 0.48),
        (UNSEEN14_NEW_QUESTIONS, 0.45),
    ] {
        let lines = lines(path).expect("in the repository");
        assert_eq!(lines.len(), 160);
        let f = figures(&lines, true);
        assert!(
            f.pearson >= floor && f.per_question >= floor,
            "{path}: r {:.3}, per question {:.3}",
            f.pearson,
            f.per_question
        );
        assert_eq!(f.wrong_verdicts_on_correct, 0, "{path}: a correct answer was told it got something wrong");
        let k = &f.by_kind;
        // Complete answers in the usual terms above every other kind; correct answers in
        // everyday words above partial ones, bare lists and off-topic answers, and partial
        // answers above off-topic ones. (Not above confused ones: those use every term.)
        assert_below(k, &["own-words", "short", "partial", "one-wrong", "confused", "stuffed", "offtopic"], "strong");
        assert_below(k, &["partial", "stuffed", "offtopic"], "own-words");
        // Bare lists of the terms below partial answers: at the stuffing cut's old
        // bound (0.7) they scored 0.39-0.41 on unseen11-13, above partial ones.
        assert_below(k, &["stuffed", "offtopic"], "partial");
    }
}

/// The held-out bank with anticipated misconceptions (`tests/fixtures/validation/
/// held-out-misconceptions`): 294 written on 2026-12-07 for unseen12-14's 60 questions
/// by two authors from each prompt and model answer alone, who saw none of these
/// answers. What an admin who writes misconceptions for a new question gives the grader.
const HELD_OUT_MISCONCEPTIONS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/held-out-misconceptions");

/// The lines with the misconceptions of the held-out question asking the same.
fn with_held_out_misconceptions(mut lines: Vec<Line>) -> Vec<Line> {
    let topics = rehearse::bank::load_dir(Path::new(HELD_OUT_MISCONCEPTIONS)).expect("bank loads");
    for l in &mut lines {
        let q = topics.iter().flat_map(|t| &t.questions).find(|q| q.prompt.trim() == l.question.trim());
        let q = q.unwrap_or_else(|| panic!("{} is not a held-out question", l.question));
        l.misconceptions = q.misconceptions.clone();
    }
    lines
}

/// Misconceptions an author writes for a new question, without seeing any answer, lift
/// agreement on unseen12-14 and tell no correct answer it got something wrong. First run
/// (2026-12-07, twentieth session): r 0.534, 0.547, 0.466 with keywords only against
/// 0.682, 0.671, 0.600 with them; confused answers 0.70, 0.72, 0.83 against 0.38, 0.43,
/// 0.54 (still above partial ones, 0.28-0.31); the rule fired 62 times, 58 toward the
/// human grade, and checked two correct answers, which two general readings then left
/// alone ("averaging per-server p99s doesn't give you ...": words of a claim that a
/// negation follows; "... otherwise it would hog the CPU": what would happen otherwise).
#[test]
fn held_out_new_questions_with_misconceptions_written_blind() {
    for path in [UNSEEN12_NEW_QUESTIONS, UNSEEN13_NEW_QUESTIONS, UNSEEN14_NEW_QUESTIONS] {
        let plain = lines(path).expect("in the repository");
        let without = figures(&plain, true);
        let with = figures(&with_held_out_misconceptions(plain), true);
        assert!(with.pearson >= without.pearson + 0.08, "{path}: r {:.3} against {:.3}", with.pearson, without.pearson);
        assert!(
            with.false_alarms <= without.false_alarms,
            "{path}: {} false alarms against {}",
            with.false_alarms,
            without.false_alarms
        );
        assert_eq!(with.wrong_verdicts_on_correct, 0, "{path}: a correct answer was told it holds a misconception");
        let (k, k0) = (&with.by_kind, &without.by_kind);
        assert!(
            k["confused"] + 0.2 < k0["confused"],
            "{path}: confused {:.3} against {:.3}",
            k["confused"],
            k0["confused"]
        );
        assert!(
            k["one-wrong"] < k0["one-wrong"],
            "{path}: one wrong point {:.3} against {:.3}",
            k["one-wrong"],
            k0["one-wrong"]
        );
        for kind in ["strong", "own-words", "partial"] {
            assert!(k[kind] > k0[kind] - 0.03, "{path}: {kind} {:.3} against {:.3}", k[kind], k0[kind]);
        }
    }
}

/// unseen15 (2026-12-06, thirteenth session): 12 more questions off the bank's topics
/// (locking, the TCP handshake, page faults, CAP, CSRF, the event loop, garbage
/// collection, mocks, deployments, overfitting, late events, hash tables), one answer of
/// each of eight kinds per question, written and graded by a helper who read no grader
/// code and committed before the grader ran on it. First run: r 0.567, per question
/// 0.578, 8 false alarms of 25 (all answers in everyday words: 0.39 against a human
/// 0.90). The sentence-splitting fix found on it ("SELECT ... FOR UPDATE" ended a
/// sentence) took it to 0.583 and 0.599 by catching one confused answer that traded
/// optimistic and pessimistic locking whole.
#[test]
fn held_out_new_questions_one_answer_of_each_kind() {
    let lines = lines(UNSEEN15_NEW_QUESTIONS).expect("in the repository");
    assert_eq!(lines.len(), 96);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.55 && f.per_question >= 0.55, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    // Complete answers in the usual terms above every other kind; answers that are
    // right as far as they go (terse, partial) above vague, off-topic and listed ones.
    // Not asserted, because it does not hold: answers in everyday words above partial
    // ones (0.39 against 0.50), confused answers below partial ones (0.54 against 0.50).
    assert_below(k, &["own-words", "terse", "partial", "one-wrong", "confused", "rambling", "offtopic"], "strong");
    assert_below(k, &["rambling", "offtopic"], "partial");
    assert_below(k, &["rambling", "offtopic", "partial"], "terse");
    // The one confused answer caught by the swap check (it traded the two kinds of
    // locking whole) is below every partial answer to the same question.
    let grades = batch::grade_all(&lines, true);
    let score = |id: &str| lines.iter().zip(&grades).find(|(l, _)| l.id == id).map(|(_, g)| g.score).expect("id");
    assert!(score("u15-opt-pess-locking-6") < score("u15-opt-pess-locking-4") - 0.2);
}

/// unseen20 (2026-12-07, sixteenth session): 10 new questions off the bank's topics
/// (merge and rebase, the event loop's microtasks, isolation levels, OAuth with PKCE,
/// consistent hashing, generational GC, Unicode and UTF-8, Bloom filters, delivery
/// semantics, password hashing), each with its author's six keywords, 10 answers each
/// (two strong, one in everyday words, one wrong point, two partial, short, confused,
/// off-topic, stuffed); written and graded by a helper who read no grader code and
/// frozen (sha256 2e950f52...91d5) before the grader ran on it. First run: r 0.554,
/// per question 0.579, 8 false alarms of 30: all eight the everyday-words answers
/// (analogies of light switches, a desk and a filing cabinet, ...), and all eight
/// unsure grades, the only unsure grades of the set. Not asserted, because it does not
/// hold: confused answers (0.72, human 0.05: definitions swapped in the question's own
/// terms) and answers with one wrong point (0.91, human 0.65) below partial ones (0.67).
#[test]
fn held_out_new_questions_with_their_authors_keywords() {
    let lines = lines(UNSEEN20_NEW_QUESTIONS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.5 && f.per_question >= 0.5, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["strong-plain", "partial", "short", "one-wrong", "confused", "stuffed", "offtopic"], "strong");
    assert_below(k, &["stuffed", "offtopic"], "partial");
    assert_below(k, &["stuffed", "offtopic"], "short");
    // Every correct answer scored below the middle is an unsure grade (not counted
    // against the learner), and every unsure grade was accepted by the human.
    for (l, g) in lines.iter().zip(batch::grade_all(&lines, true)) {
        let human = l.human.expect("human grade");
        if human >= CORRECT && g.score < CALLED_WRONG {
            assert!(g.unsure(), "{}: {:.2} counted against the learner", l.id, g.score);
        }
        if g.unsure() {
            assert!(human >= 0.4, "{}: unsure, human {human}", l.id);
        }
    }
}

/// unseen21 (2026-12-07, twenty-first session): 12 new questions (TCP congestion
/// control, MVCC, deadlock, CSRF, consistent hashing, the event loop, test doubles,
/// blue-green and canary releases, change data capture, bias and variance, closures,
/// distributed tracing), each with its author's keywords and ten kinds of answer
/// (strong; correct in everyday words, long and short; partial; confused; off topic,
/// rambling and analogies of 80 words or more; stuffed; one wrong point); written and
/// graded by a helper who read no grader code and frozen (sha256 6c2a229f...a68d)
/// before the grader ran on it. First run: r 0.406, per question 0.416, 7 false alarms
/// of 37 (all correct answers in everyday words; 4 of them unsure grades). Used once,
/// to try the own-words reading with a lower share of the model answer's words (0.09
/// for 0.12, chosen beforehand on the other sets, where it made 20 more false alarms
/// unsure for 27 wrong answers): here it made 6 more grades unsure, 1 correct and 5 off
/// topic or rambling, so it was not kept. Not asserted, because it does not hold:
/// confused answers (0.78, human 0.04) and answers with one wrong point (0.97, human
/// 0.55) below partial ones (0.49).
#[test]
fn held_out_new_questions_with_long_wrong_answers() {
    let lines = lines(UNSEEN21_NEW_QUESTIONS).expect("in the repository");
    assert_eq!(lines.len(), 120);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.35 && f.per_question >= 0.35, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(
        k,
        &["own-words", "own-words-short", "analogy", "partial", "confused", "offtopic", "rambling", "stuffed"],
        "strong",
    );
    assert_below(k, &["stuffed", "offtopic", "rambling"], "partial");
}

/// unseen25 (2026-12-08, twenty-third session): 10 new questions (floating point and
/// money, semantic versioning, composition and inheritance, shallow and deep copies,
/// endianness, time zones, dynamic arrays, dependency injection, tries and hash tables,
/// monorepos), each with its author's keywords and answers of the kinds in `dev.jsonl`;
/// written and graded by a helper who read no grader code and frozen (sha256
/// 03a7a877...279d) before the grader ran on it. First run: r 0.688, per question
/// 0.694, 5 false alarms of 31 (all correct answers in everyday words, all unsure), and
/// two wrong verdicts: a correct short contrast read as a swap ("a deep copy duplicates
/// everything so nothing is shared" gave the deep copy the shallow one's sharing) and a
/// strong answer told it got "instead of creating" wrong for saying "instead of
/// instantiating them itself". Both readings were fixed as classes (a term said of
/// "nothing" is denied; a negated alternative turned down in other words is stated);
/// no other grade of any README run moved: r 0.705. Not asserted, because it does not
/// hold: confused answers (0.65, human 0.01) below partial ones (0.52).
#[test]
fn held_out_new_questions_of_the_dev_kinds() {
    let lines = lines(UNSEEN25_NEW_QUESTIONS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.65 && f.per_question >= 0.65, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "confused", "offtopic", "rambling", "stuffed"], "strong");
    assert_below(k, &["partial", "confused", "offtopic", "rambling", "stuffed"], "typos");
    assert_below(k, &["stuffed", "offtopic", "rambling"], "partial");
}

/// fresh26 (2026-12-08, twenty-third session): 10 bundled questions (two or three per
/// topic), 9 answers each: strong, strong in everyday words, short, two partial answers
/// covering different halves, confused, one confident wrong claim, stuffed, and off
/// topic (a neighbouring question); written and graded by a helper who read no grader
/// code, frozen (sha256 155645e0...f83c) before the grader ran on it. First run, with
/// the bank's keywords and misconceptions: r 0.765, per question 0.777, 2 false alarms
/// of 20 (everyday-words answers; one unsure); every rule that fired (26 firings:
/// misconceptions 11, stuffing 10, swaps 2, negation 1) moved its score toward the human
/// grade. Not asserted, because it does not hold: partial answers (0.75-0.78, human
/// 0.50-0.56) and answers with one wrong claim (0.76, human 0.61) below short ones.
#[test]
fn held_out_bank_answers_of_nine_kinds() {
    let lines = with_bank(lines(FRESH26_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 90);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.7 && f.per_question >= 0.7, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(
        k,
        &["strong-plain", "short", "partial", "partial-2", "one-wrong", "confused", "stuffed", "offtopic"],
        "strong",
    );
    assert_below(k, &["confused", "stuffed", "offtopic"], "strong-plain");
    assert_below(k, &["confused", "stuffed", "offtopic"], "partial");
    assert_below(k, &["confused", "stuffed", "offtopic"], "partial-2");
}

/// fresh27 (2026-12-08, twenty-fourth session): 10 bundled questions, 10 answers each:
/// strong, strong in plain everyday words, strong through synonyms and converse
/// phrasings ("what it is supposed to have"), short, partial, one confident wrong claim,
/// confused, stuffed, off topic, and vague (long, fluent, nothing specific); written and
/// graded by a helper who read no grader code and committed (72a22df) before the grader
/// ran on it. First run, with the bank as it was: r 0.726, per question 0.735, 1 false
/// alarm of 30 (an everyday-words answer, unsure); every rule that fired (21: stuffing
/// 10, misconceptions 8, swaps 3) moved its score toward the human grade. With the
/// alternatives added that session from a browser walk-through (`k8s-pod-dies`,
/// `sd-cap-theorem`): r 0.730, one grade toward the human one, one away. Not asserted,
/// because it does not hold: answers with one wrong claim (0.85, human 0.38) and partial
/// ones (0.78, human 0.48) above short ones, and above plain correct ones (0.67).
#[test]
fn held_out_bank_answers_with_converse_phrasings_and_vague_ones() {
    let lines = with_bank(lines(FRESH27_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.7 && f.per_question >= 0.7, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    let wrong = ["confused", "stuffed", "offtopic", "vague"];
    assert_below(
        k,
        &["strong-plain", "short", "partial", "one-wrong", "confused", "stuffed", "offtopic", "vague"],
        "strong",
    );
    for right in ["strong-reworded", "strong-plain", "short", "partial"] {
        assert_below(k, &wrong, right);
    }
}

/// contrast24 (2026-12-07, twenty-first session): 10 contrast questions (optimistic and
/// pessimistic locking, symmetric and asymmetric encryption, horizontal and vertical
/// partitioning, processes and coroutines, L4 and L7 load balancers, row and column
/// storage, cookies and localStorage, hard and symbolic links, monoliths and
/// microservices, authentication and authorization), 8 answers each: strong, correct
/// through comparisons or denials framed from the other side, a full swap, one property
/// swapped, partial, short, off topic; written and graded by a helper who read no
/// grader code and frozen (sha256 74482228...6f3f) before the grader ran on it. First
/// run (before shared terms counted half): r 0.793, 0 false alarms of 30. With it: r
/// 0.824; it fired once, on a full swap (1.0 -> 0.28). Not asserted, because it does not
/// hold: full swaps (0.32) and one-property swaps (0.98, human 0.41) below partial
/// answers (0.66).
#[test]
fn held_out_contrasts_with_swaps_and_comparisons() {
    let lines = lines(CONTRAST24_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 80);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.75 && f.per_question >= 0.75, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.false_alarms, 0, "a correct answer scored below the middle");
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "swap-full", "offtopic"], "strong");
    assert_below(k, &["swap-full", "offtopic"], "strong-comparative");
    assert_below(k, &["swap-full", "offtopic"], "strong-denial");
    assert_below(k, &["swap-full", "offtopic"], "short");
}

/// chat21 (2026-12-07, seventeenth session): 12 bank questions (3 per topic), 10
/// answers each as people type into a chat box (lower case, "k8s", "b/c", "w/", "->",
/// run-on sentences), of ten kinds; written and graded by a helper who read no grader
/// code and frozen (sha256 15df3f35...8362) before the grader ran on it. First run: r
/// 0.764, per question 0.775, 1 false alarm of 49 (an answer in everyday words, 0.31
/// against 0.85). Its keyword dumps typed without commas scored up to 0.90 where a
/// hyphenated word ("read-only") cut the run of terms short of a list; a run now goes
/// through a hyphen and a command-line flag (r 0.785, per question 0.797; over the other
/// sets 9 grades moved toward the human's and 1 away, by 0.05). Shorter dumps with a
/// function word ("encryption at rest", "single point of failure") still pass for
/// sentences. Not asserted, because it does not hold: answers with one wrong point below
/// partial ones (0.75 against 0.44), answers in everyday words above partial ones by
/// more than a little.
#[test]
fn held_out_answers_typed_as_in_a_chat() {
    let lines = with_bank(lines(CHAT21_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 120);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.75 && f.per_question >= 0.75, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    // Casual shorthand costs a complete answer nothing against the same content in
    // sentences, and arrows and equals signs are read as notes, not as a list of terms.
    let all_but_strong = [
        "chat-strong-short",
        "chat-own-words",
        "chat-partial",
        "chat-partial-wrong",
        "chat-confused",
        "chat-unsure",
        "chat-offtopic",
        "chat-keywords",
    ];
    assert_below(k, &all_but_strong, "chat-strong");
    assert_below(k, &all_but_strong, "chat-arrows");
    assert_below(k, &["chat-partial", "chat-confused", "chat-offtopic", "chat-keywords"], "chat-unsure");
    assert_below(k, &["chat-confused", "chat-offtopic", "chat-keywords"], "chat-partial");
    assert_below(k, &["chat-offtopic"], "chat-confused");
}

/// long16 (2026-12-06, thirteenth session): 14 new questions, six answers of 90-140
/// words each (two correct in everyday words with a run of examples, one in the usual
/// terms, rambling, padded, confused), written and graded by a helper who read no
/// grader code and committed before the grader ran on it, to check the own-words
/// reading's new allowance for a few items in a row (`OWN_WORDS_LIST_MIN_RECALL`, chosen
/// on the older sets). With it, of the 16 correct answers scored below 0.5, 14 are
/// unsure (not counted against the learner; 7 before), and 20 of the 27 unsure grades
/// were accepted by the human (12 of 18 before).
#[test]
fn held_out_long_answers_in_everyday_words_are_left_uncounted() {
    let lines = lines(LONG16_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 84);
    let grades = batch::grade_all(&lines, true);
    let (mut low_correct, mut low_correct_unsure, mut unsure, mut unsure_accepted) = (0, 0, 0, 0);
    for (l, g) in lines.iter().zip(&grades) {
        let human = l.human.expect("human grade");
        if human >= CORRECT && g.score < CALLED_WRONG {
            low_correct += 1;
            low_correct_unsure += usize::from(g.unsure());
        }
        if g.unsure() {
            unsure += 1;
            unsure_accepted += usize::from(human >= 0.4);
        }
    }
    assert!(
        low_correct_unsure * 4 >= low_correct * 3,
        "{low_correct_unsure} of {low_correct} low correct answers unsure"
    );
    assert!(unsure_accepted * 3 >= unsure * 2, "{unsure_accepted} of {unsure} unsure grades accepted");
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.4, "r {:.3}", f.pearson);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["own-words", "own-words-2", "padded", "rambling", "confused"], "strong");
    assert_below(k, &["rambling"], "padded");
}

/// What the second-language sets (esl18, esl19) must show: no answer with nothing wrong
/// in it (complete, own words, short or partial) told it got something wrong, but for
/// the ids in `left`; and grammar never costing a grade: on every question the
/// non-native complete answer (`-2`) within 0.1 of the fluent one (`-1`).
fn assert_second_language_answers_trusted(lines: &[Line], left: &[&str]) {
    let grades = batch::grade_all(lines, true);
    let right = ["strong", "esl-strong", "esl-own-words", "esl-short", "esl-partial"];
    for (l, g) in lines.iter().zip(&grades) {
        let id = l.id.as_str().expect("string id");
        let wrong =
            g.concepts.iter().any(|c| c.status == ConceptStatus::Contradicted) || !g.components.conflicts.is_empty();
        if right.contains(&l.kind.as_deref().unwrap_or("")) && !left.contains(&id) {
            assert!(!wrong, "{id}: {}", g.feedback);
        }
    }
    let score = |id: &str| lines.iter().zip(&grades).find(|(l, _)| l.id == id).map(|(_, g)| g.score);
    for l in lines.iter().filter(|l| l.kind.as_deref() == Some("strong")) {
        let id = l.id.as_str().expect("string id");
        let other = format!("{}-2", id.strip_suffix("-1").expect("strong answers are -1"));
        let (fluent, esl) = (score(id).expect("id"), score(&other).expect("id"));
        assert!(esl >= fluent - 0.1, "{other} {esl:.2} against {id} {fluent:.2}");
    }
}

/// esl18 (2026-12-06, fourteenth session): 12 bank questions (3 per topic), 8 answers
/// each as candidates writing in a second language would give them (dropped articles,
/// "it restart", calques), written and graded by a helper who read no grader code and
/// committed before the grader ran on it. Grammar costs the non-native correct answers
/// nothing (0.995 against 0.995 for fluent ones). Its first run told two answers that
/// are right as far as they go that they got something wrong: "Vertical scaling is
/// adding more CPU and RAM" crossed the authored term "adding machines" on one word, and
/// "I avoid Lambda when job runs longer than 15 minutes" read the job's run time as
/// Lambda's. Both readings were narrowed (no grade on any other set moved).
#[test]
fn held_out_answers_in_a_second_language() {
    let lines = with_bank(lines(ESL18_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 96);
    assert_second_language_answers_trusted(&lines, &[]);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.7 && f.per_question >= 0.7, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    let k = &f.by_kind;
    assert_below(k, &["esl-own-words", "esl-short", "esl-partial", "esl-confused", "offtopic"], "esl-strong");
    assert_below(k, &["esl-confused", "offtopic"], "esl-partial");
    assert_below(k, &["esl-confused", "offtopic"], "esl-short");
    assert_below(k, &["offtopic"], "esl-confused");
}

/// esl19 (2026-12-06, fourteenth session): as esl18, on 12 new questions whose author
/// wrote the keywords before the answers. First run: r 0.600, 9 false alarms of 37 (6
/// unsure; all answers in everyday words), and one answer with nothing wrong told it got
/// shared branches wrong: "you must not do it on a branch that is already pushed and
/// shared" against the author's "not shared" (since read as said under that negation).
/// A second, "It works by reachability" against "not reachable", is left (see
/// docs/grading-notes.md). Not asserted, because it does not hold: confused answers below partial ones (0.60
/// against 0.51), answers in everyday words above short ones (0.40 against 0.74).
#[test]
fn held_out_new_questions_answered_in_a_second_language() {
    let lines = lines(ESL19_NEW_QUESTIONS).expect("in the repository");
    assert_eq!(lines.len(), 96);
    // The one the notes leave alone: "It works by reachability" against "not reachable".
    assert_second_language_answers_trusted(&lines, &["e19-garbage-collection-1"]);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.55 && f.per_question >= 0.55, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    let k = &f.by_kind;
    assert_below(
        k,
        &["esl-own-words", "esl-short", "esl-partial", "esl-one-wrong", "esl-confused", "offtopic"],
        "esl-strong",
    );
    assert_below(k, &["esl-partial", "offtopic"], "esl-short");
    assert_below(k, &["offtopic"], "esl-partial");
    assert_below(k, &["offtopic"], "esl-confused");
}

/// contrast17 (2026-12-06, thirteenth session): 12 contrast questions off the bank's
/// topics, 8 answers each, among them correct answers that explain each side through
/// the other's properties ("unlike push, where every client decides when to send") or
/// as reverse comparisons, and full swaps; written and graded by a helper who read no
/// grader code, committed before the grader ran on it. First run: the swap check fired
/// 11 times, on all 9 full swaps it caught and on 2 correct answers; an alternative set
/// aside ("rather than to distinct resource URLs") is since not said of the clause's
/// subject, which took one of those two (0.23 → 0.61). The other, a push/pull answer
/// built on "doesn't need the server to find each target, which is exactly where pull
/// struggles: batch jobs ...", is still told it got something wrong: the limit this
/// test records.
#[test]
fn held_out_contrasts_explained_through_the_other_side() {
    let lines = lines(CONTRAST17_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 96);
    let grades = batch::grade_all(&lines, true);
    let (mut on_correct, mut on_swaps, mut swaps) = (0, 0, 0);
    for (l, g) in lines.iter().zip(&grades) {
        let checked = !g.components.conflicts.is_empty();
        if l.human.expect("human grade") >= CORRECT {
            on_correct += usize::from(checked);
        }
        if l.kind.as_deref() == Some("swap-full") {
            swaps += 1;
            on_swaps += usize::from(checked);
        }
    }
    assert!(on_correct <= 1, "{on_correct} correct answers told they got something wrong");
    assert!(on_swaps * 4 >= swaps * 3, "the swap check caught {on_swaps} of {swaps} full swaps");
    let f = figures(&lines, true);
    let k = &f.by_kind;
    assert_below(k, &["swap-full"], "strong");
    assert_below(k, &["swap-full"], "strong-crossref");
    assert_below(k, &["swap-full"], "comparative");
    assert_below(k, &["swap-full"], "short-correct");
    assert_below(k, &["swap-full"], "swap-one");
    assert_below(k, &["swap-full"], "one-side");
}

/// Ten new questions on topics the bank lacks (indexes, isolation levels, TCP and UDP,
/// typing a URL, TLS, rebase and merge, processes and threads, hashing and encryption,
/// CSRF, garbage collection), each with the 4-6 keywords a busy author writes, 90
/// answers; written and graded by a helper who read no grader code and no other set,
/// committed before the grader ran on it (2026-12-04, seventh session: r 0.690, per
/// question 0.697, 3 false alarms of 30, all plain-words answers). Those false alarms
/// are unsure grades, which the learning loop does not count against the learner, and
/// no correct answer is told it got something wrong.
#[test]
fn held_out_new_topics_with_an_authors_quick_keywords() {
    let lines = lines(NEWTOPICS_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 90);
    let grades = batch::grade_all(&lines, true);
    for (l, g) in lines.iter().zip(&grades) {
        let human = l.human.expect("human grade");
        if human >= CORRECT && g.score < CALLED_WRONG {
            assert!(g.unsure(), "{:?} (human {human}) scored {:.2} and counts against the learner", l.id, g.score);
        }
    }
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.65 && f.per_question >= 0.65, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    kinds_are_ordered(&f.by_kind, "new topics with keywords", true);
    let k = &f.by_kind;
    for right in ["strong", "typos", "strong-plain"] {
        assert_below(k, &["rambling", "stuffed", "offtopic"], right);
    }
    assert_below(k, &["partial", "short", "strong-plain"], "strong");
    // Concepts derived from the model answer instead of the author's quick keywords.
    let derived = figures(&lines, false);
    assert!(derived.pearson >= 0.7, "derived concepts: r {:.3}", derived.pearson);
    assert_eq!(derived.wrong_verdicts_on_correct, 0);
    kinds_are_ordered(&derived.by_kind, "new topics, derived concepts", true);
}

const SHORT_REFERENCE_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/short-reference-answers.jsonl");
const NOTES_WALKTHROUGH_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/notes-walkthrough-answers.jsonl");

/// Ten questions outside the bank with notes-style model answers of one or two
/// sentences and no keywords (concepts derived), 100 answers of nine kinds, written and
/// graded by a helper who read no grader code and no other set, committed before the
/// grader ran on it: r 0.565, per question 0.600, 6 false alarms of 40 then. Short model
/// answers leave the grader little to match: a correct answer in everyday words scores
/// about 0.65, and confused answers (the right words, the facts swapped) score like
/// complete ones. What must hold: complete answers above partial ones, and vague, wrong
/// and off-topic answers well below partial ones.
#[test]
fn held_out_notes_style_model_answers_without_keywords() {
    let lines = lines(SHORT_REFERENCE_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let f = figures(&lines, false);
    assert!(f.pearson >= 0.54 && f.per_question >= 0.58, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    let k = &f.by_kind;
    for right in ["strong", "strong-terms", "longer"] {
        assert_below(k, &["partial"], right);
        assert_below(k, &["vague", "wrong", "offtopic"], "partial");
    }
    assert_below(k, &["strong"], "strong-terms");
}

/// A study group's admin imported their own notes (Git internals, SQL joins: one-sentence
/// model answers) and answered the twelve questions as a learner, grading each answer
/// before sending it: the hardest case there is for a lexical grader. First run r 0.258
/// (per question 0.283), 6 of 24 correct answers below 0.5; the derived concepts were
/// general verbs, examples and denied words ("produces", "employee", "permissions"), now
/// passed over. Answers in the notes' own terms must stay on top, and wrong ones below
/// partial ones.
#[test]
fn held_out_answers_to_questions_imported_from_notes() {
    let lines = lines(NOTES_WALKTHROUGH_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 49);
    let f = figures(&lines, false);
    assert!(f.pearson >= 0.28, "r {:.3}", f.pearson);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "wrong", "correct-own-words"], "correct-terms");
    assert_below(k, &["wrong"], "partial");
}

const ONE_LINE_NOTES_ANSWERS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/one-line-notes-answers.jsonl");

/// Twelve questions with the one-line model answers of study notes (13-19 words,
/// concepts derived), 96 answers of eight kinds (right in the notes' terms, right in
/// plain words, right and terse, partial, wrong with the right words, wrong in plain
/// words, vague, "I don't know"); written and graded by a helper who read no grader
/// code, committed before any build graded it (2026-12-06). First run: r 0.411, 16
/// false alarms of 36 (every plain-words answer, 0.15 against a human 0.90), wrong
/// answers in the notes' words 0.66. Such a reference gives a lexical grader only its
/// own few words, so a low grade of a sentence-long answer there is unsure
/// (`Components::short_reference`): not counted, and the feedback says why instead of
/// "I found only a few of the key points". What must hold: no correct answer below the
/// middle is counted against the learner, none is told it got something wrong, and
/// answers in the notes' own terms stay on top.
#[test]
fn held_out_one_line_notes_leave_low_grades_unsure() {
    let lines = lines(ONE_LINE_NOTES_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 96);
    let grades = batch::grade_all(&lines, false);
    let (mut unsure, mut unsure_accepted) = (0, 0);
    for (l, g) in lines.iter().zip(&grades) {
        let human = l.human.expect("human grade");
        assert!(l.reference.split_whitespace().count() < rehearse::grading::SHORT_REFERENCE_WORDS, "{}", l.id);
        if human >= CORRECT && g.score < CALLED_WRONG {
            assert!(g.unsure(), "{} (human {human}) scored {:.2} and counts against the learner", l.id, g.score);
            assert!(g.feedback.starts_with("The model answer to this question is one short line"), "{}", g.feedback);
        }
        // Every grade says the grader could only check the line's words, one way or the
        // other (a wrong answer in the notes' words scores high).
        assert!(
            g.components.short_reference || g.feedback.ends_with(rehearse::grading::ONE_LINE_NOTE),
            "{}",
            g.feedback
        );
        // Only a grade below the middle, with nothing flagged as wrong, is left uncounted.
        if g.components.short_reference {
            assert!(g.score < UNSURE_SCORE, "{}: {:.2}", l.id, g.score);
            assert!(g.concepts.iter().all(|c| c.status != ConceptStatus::Contradicted), "{}", l.id);
            unsure += 1;
            unsure_accepted += usize::from(human >= 0.4);
        }
    }
    let f = figures(&lines, false);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "vague", "idk", "wrong-plain", "correct-own-words"], "correct-terms");
    assert_below(k, &["vague", "idk"], "partial");
    eprintln!(
        "one-line notes: r {:.3}, {} false alarms, unsure on {unsure} answers ({unsure_accepted} graded 0.4 or more \
         by a human)",
        f.pearson, f.false_alarms
    );
}

/// Real student answers (`unt-odd.jsonl`, concepts derived): where the model answer is
/// a line of fewer than [`rehearse::grading::SHORT_REFERENCE_WORDS`] words, the low
/// grades left uncounted are mostly of accepted answers (in sample: the rule was looked
/// at against these answers; 224 of 244 graded 0.4 or more by a human).
#[test]
fn real_answers_to_one_line_model_answers_left_unsure_are_mostly_accepted() {
    let Some(lines) = lines(UNT) else { return };
    let grades = batch::grade_all(&lines, false);
    let flagged: Vec<f64> = lines
        .iter()
        .zip(&grades)
        .filter(|(_, g)| g.components.short_reference)
        .map(|(l, _)| l.human.expect("human grade"))
        .collect();
    let accepted = flagged.iter().filter(|h| **h >= 0.4).count();
    eprintln!("unt-odd: unsure on {} answers to one-line model answers, {accepted} accepted", flagged.len());
    assert!(flagged.len() >= 100, "{} flagged", flagged.len());
    assert!(accepted * 10 >= flagged.len() * 8, "{accepted} of {} accepted", flagged.len());
}

/// The bank's twelve contrast questions, graded as the server does (with their authored
/// relations and misconceptions), 120 answers: strong ones that define each side in turn,
/// frame it by contrast or by rejecting the classic mistake, or tell a story; short,
/// partial, one wrong attribution stated plainly, a full swap, off-topic. Written and
/// graded by a helper who read no grader code, committed before it was used: r 0.658,
/// per question 0.664, 1 false alarm of 47 (a story of a node drain, 0.49), full swaps
/// 0.43 against a human 0.03. A sentence that opens by defining one side with the other's
/// authored term now counts as a swap on its own (one full swap caught: 0.92 → 0.34), and
/// the bank's misconceptions were widened (r 0.691). Known limit, reported and not
/// asserted: one wrong attribution in an otherwise right answer scores with the strong
/// ones (0.82 against a human 0.35).
#[test]
fn held_out_contrasts_on_bank_questions_with_authored_relations() {
    let lines = with_bank(lines(RELATIONS_BANK_ANSWERS).expect("in the repository"));
    assert_eq!(lines.len(), 120);
    let f = figures(&lines, true);
    assert!(f.pearson >= 0.67 && f.per_question >= 0.67, "r {:.3}, per question {:.3}", f.pearson, f.per_question);
    assert!(f.false_alarms <= 1, "{} correct answers below 0.5", f.false_alarms);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert_below(k, &["partial", "swapped", "offtopic"], "strong");
    assert_below(k, &["swapped", "offtopic"], "partial");
    assert_below(k, &["offtopic"], "swapped");
    eprintln!("one-wrong {:.3}, partial {:.3}, strong {:.3}", k["one-wrong"], k["partial"], k["strong"]);
}

const PAIRED_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/paired-answers.jsonl");

/// Ten new questions that name two things side by side ("Services and Ingresses", "a
/// mutex and a condition variable"), with correct answers that tie the two together in
/// one sentence ("the Ingress routes to Services") and answers that swap their roles;
/// written and graded by a helper who read no grader code, committed before any build
/// graded it (2026-12-06), after the swap check was extended to such questions. No
/// correct answer is told it got something wrong, a swap check fires only where a human
/// gave a low grade, and swapped answers score well below correct ones (0.86 against
/// 0.94 before the extension, 0.69 with it).
#[test]
fn held_out_pairs_named_side_by_side() {
    let lines = lines(PAIRED_ANSWERS).expect("in the repository");
    assert_eq!(lines.len(), 100);
    let grades = batch::grade_all(&lines, true);
    for (l, g) in lines.iter().zip(&grades) {
        let human = l.human.expect("human grade");
        if g.components.relations_crosswise > 0 && g.components.relation_factor < 1.0 {
            assert!(human < 0.4, "{} (human {human}) was read as a swap: {}", l.id, g.feedback);
        }
    }
    let f = figures(&lines, true);
    assert_eq!(f.wrong_verdicts_on_correct, 0, "a correct answer was told it got something wrong");
    let k = &f.by_kind;
    assert!(k["swapped"] < k["strong"] - 0.2, "swapped {:.3} vs strong {:.3}", k["swapped"], k["strong"]);
    assert_below(k, &["partial", "vague", "offtopic"], "strong-relating");
    assert_below(k, &["vague", "offtopic"], "partial");
}
