//! Property tests: any Unicode input never panics, the score is always finite and
//! within 0..=1, spans are valid, and grading is deterministic.

use proptest::prelude::*;
use rehearse::grading::{grade, Concept, Corpus, PreparedQuestion, Relation, Rule, RuleSet, MAX_RULE_CUT};

const Q: &str = "What's the difference between a liveness probe and a readiness probe?";
const R: &str = "A liveness probe restarts the container when it fails; a readiness probe removes the \
pod from the Service endpoints so it gets no traffic. First the kubelet runs the probe, then the pod \
restarts before traffic returns; the kubelet restarts it and the Service removes it.";

fn prepared() -> PreparedQuestion {
    let concepts: Vec<Concept> = ["liveness | alive", "restart | restarts", "readiness | ready", "traffic"]
        .iter()
        .filter_map(|k| Concept::parse(k))
        .collect();
    PreparedQuestion::new(Q, R, &concepts, &[], &Corpus::from_documents([R]))
}

fn check(answer: &str) {
    let p = prepared();
    let g = p.grade(answer);
    assert!(g.score.is_finite() && (0.0..=1.0).contains(&g.score), "score {}", g.score);
    for c in &g.concepts {
        for s in &c.spans {
            assert!(s.start <= s.end && s.end <= answer.len());
            assert!(answer.is_char_boundary(s.start) && answer.is_char_boundary(s.end));
        }
    }
    assert_eq!(g, p.grade(answer), "not deterministic");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_unicode_answer_is_graded_sanely(answer in "\\PC*") {
        check(&answer);
    }

    #[test]
    fn any_mix_of_words_and_symbols_is_graded_sanely(
        words in prop::collection::vec(prop_oneof![
            Just("liveness".to_string()), Just("doesn't".to_string()), Just("restart".to_string()),
            Just("readiness".to_string()), Just("-".to_string()), Just(",".to_string()), Just(".".to_string()),
            Just("ｌｉｖｅ".to_string()), Just("e\u{301}".to_string()), Just("/".to_string()), "[a-zA-Z']{1,12}",
            Just("the".to_string()), Just("first".to_string()), Just("then".to_string()), Just("before".to_string()),
            Just("after".to_string()), Just("and".to_string()), Just("no".to_string()), Just("pod".to_string()),
            Just("restarts".to_string()), Just("probe".to_string()), Just("traffic".to_string()), Just("end".to_string()),
            "\\PC{1,4}",
        ], 0..60)
    ) {
        check(&words.join(" "));
    }

    #[test]
    fn any_question_reference_and_keywords_are_handled(
        q in "\\PC{0,80}", r in "\\PC{0,200}", k in prop::collection::vec("\\PC{0,20}", 0..5), a in "\\PC{0,120}"
    ) {
        let g = grade(&q, &r, &k, &a);
        prop_assert!(g.score.is_finite() && (0.0..=1.0).contains(&g.score));
        prop_assert_eq!(g, grade(&q, &r, &k, &a));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn single_concept_grading_and_authored_relations_never_panic(
        specs in prop::collection::vec("\\PC{0,24}", 0..6),
        rels in prop::collection::vec("\\PC{0,10}&\\PC{0,10}", 0..4),
        a in "\\PC{0,160}",
        idx in 0usize..8,
    ) {
        let concepts: Vec<Concept> = specs.iter().filter_map(|k| Concept::parse(k)).collect();
        let relations: Vec<Relation> = rels.iter().filter_map(|r| Relation::parse(r)).collect();
        let p = PreparedQuestion::new(Q, R, &concepts, &relations, &Corpus::from_documents([R, Q]));
        let g = p.grade(&a);
        prop_assert!(g.score.is_finite() && (0.0..=1.0).contains(&g.score));
        prop_assert_eq!(p.grade_concept(idx, &a).is_some(), idx < p.concepts().len());
    }
}

#[test]
fn prepared_question_is_send_sync_clone() {
    fn assert_traits<T: Send + Sync + Clone>() {}
    assert_traits::<PreparedQuestion>();
    assert_traits::<Corpus>();
}

#[test]
fn empty_and_whitespace_answers_score_zero() {
    for a in ["", " ", "\n\t", "...", "???"] {
        let g = prepared().grade(a);
        assert_eq!(g.score, 0.0, "{a:?}");
    }
}

#[test]
fn huge_answer_is_graded() {
    let answer = "liveness restarts the container, readiness removes traffic. ".repeat(5_000);
    check(&answer);
    let weird = "\u{0}\u{202e}\u{fe0f}🙂e\u{301}\u{301}\u{301}ß".repeat(3_000);
    check(&weird);
}

/// Every bundled question, prepared as the server prepares it (IDF over the bank).
fn bank() -> Vec<(rehearse::bank::QuestionDef, PreparedQuestion)> {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questions"));
    let questions: Vec<_> =
        rehearse::bank::load_dir(dir).expect("bank loads").into_iter().flat_map(|t| t.questions).collect();
    let corpus = Corpus::from_documents(questions.iter().map(|q| q.answer.as_str()));
    questions
        .into_iter()
        .map(|q| {
            let concepts: Vec<Concept> = q.keywords.iter().filter_map(|k| Concept::parse(&k.concept)).collect();
            let relations: Vec<Relation> = q.relations.iter().filter_map(|r| Relation::parse(r)).collect();
            let p = PreparedQuestion::new(&q.prompt, &q.answer, &concepts, &relations, &corpus)
                .with_ordered_steps(q.ordered);
            (q, p)
        })
        .collect()
}

/// Circular definitions over every question of the bundled bank: the model answer
/// loses nothing to the rule, and an answer that names every concept only to define it
/// by itself ("Desired state is when desired state happens.") loses more than half of
/// what the rule can take ([`MAX_RULE_CUT`]: the full cut unless a label's own words
/// split its sentence, as "created and destroyed" does) and scores below the same
/// answer graded without the rule.
#[test]
fn bank_wide_circular_definitions() {
    let mut problems = Vec::new();
    for (q, p) in bank() {
        let model = p.grade(&q.answer);
        if model.components.circular_factor != 1.0 {
            problems.push(format!(
                "{}: the model answer is read as circular ({:.2})",
                q.id, model.components.circular_share
            ));
        }
        let labels: Vec<String> =
            q.keywords.iter().filter_map(|k| Concept::parse(&k.concept)).map(|c| c.label).collect();
        let circular: String = labels.iter().map(|l| format!("{l} is when {l} happens. ")).collect();
        let with = p.grade(&circular);
        let without = p.clone().with_rules(RuleSet::default().without(Rule::Circular)).grade(&circular);
        if with.components.circular_factor > 1.0 - MAX_RULE_CUT / 2.0 || with.score >= without.score {
            problems.push(format!(
                "{}: circular answer {:.3} (factor {:.2}) vs {:.3} without the rule",
                q.id, with.score, with.components.circular_factor, without.score
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Orderings over every question of the bundled bank (all of its questions, not one sentence):
/// the model answer beats half of it, which beats an unrelated answer; a bare list of
/// the concept labels scores below the model answer; the model answer with its sentences
/// in reverse order is still strong and flags nothing (order is judged only where an
/// author asks for it); and saying nothing wrong never yields a "got wrong" verdict.
#[test]
fn bank_wide_orderings() {
    let mut problems = Vec::new();
    for (q, p) in &bank() {
        let concepts: Vec<Concept> = q.keywords.iter().filter_map(|k| Concept::parse(&k.concept)).collect();
        let sentences: Vec<&str> =
            // Sentences end at a stop and a space ("0.0.0.0" and "8080:8000" stay whole).
            q.answer.split_inclusive(". ").map(str::trim).filter(|s| !s.is_empty()).collect();
        let half = sentences[..sentences.len().div_ceil(2)].join(" ");
        let reversed: Vec<&str> = sentences.iter().rev().copied().collect();
        let list = concepts.iter().map(|c| c.label.as_str()).collect::<Vec<_>>().join(", ");
        let full = p.grade(&q.answer);
        let half = p.grade(&half);
        let unrelated = p.grade("I would make a cup of tea and read the newspaper first.");
        let reversed = p.grade(&reversed.join(" "));
        let list = p.grade(&format!("{list}."));
        if !(full.score >= half.score && half.score > unrelated.score) {
            problems.push(format!(
                "{}: full {:.2} half {:.2} unrelated {:.2}",
                q.id, full.score, half.score, unrelated.score
            ));
        }
        if list.score >= full.score - 0.2 {
            problems.push(format!("{}: list of labels {:.2} vs model answer {:.2}", q.id, list.score, full.score));
        }
        if !q.ordered && (reversed.band != rehearse::grading::Band::Strong || !reversed.contradicted().is_empty()) {
            problems.push(format!("{}: reversed sentences {:.2} {:?}", q.id, reversed.score, reversed.contradicted()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Self-corrections over every bundled question: a slip taken back before the model
/// answer ("<another question's sentence> Actually no, scratch that. <model answer>")
/// grades as the model answer alone; a last sentence taken back ("... <last sentence>
/// Actually no, I have that backwards.") grades as the answer without that sentence; and
/// a marker's words never mark anything got wrong.
#[test]
fn bank_wide_self_corrections() {
    let questions = bank();
    let mut problems = Vec::new();
    for (n, (q, p)) in questions.iter().enumerate() {
        let sentences: Vec<&str> = q.answer.split_inclusive(". ").map(str::trim).filter(|s| !s.is_empty()).collect();
        let other = &questions[(n + 1) % questions.len()].0.answer;
        let slip = other.split_inclusive(". ").next().unwrap_or(other).trim();
        let full = p.grade(&q.answer);
        let slipped = p.grade(&format!("{slip} Actually no, scratch that. {}", q.answer));
        if (slipped.score - full.score).abs() > 1e-9 || !slipped.contradicted().is_empty() {
            problems.push(format!(
                "{}: slip taken back {:.3} vs model answer {:.3} {:?}",
                q.id,
                slipped.score,
                full.score,
                slipped.contradicted()
            ));
        }
        if sentences.len() >= 3 {
            let kept = sentences[..sentences.len() - 1].join(" ");
            let taken_back = p.grade(&format!("{} Actually no, I have that backwards.", sentences.join(" ")));
            let without = p.grade(&kept);
            if (taken_back.score - without.score).abs() > 1e-9 {
                problems.push(format!(
                    "{}: last sentence taken back {:.3} vs answer without it {:.3}",
                    q.id, taken_back.score, without.score
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
