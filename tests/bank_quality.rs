//! The bundled question bank grades sensibly, loaded through the app's own loader:
//! each model answer is a strong answer to its own question, an unrelated answer is
//! not, and a concept worded with a negation needs that negation.
use rehearse::bank::QuestionDef;
use rehearse::grading::{Band, Concept, Corpus, PreparedQuestion, Relation};

fn bank() -> (Vec<QuestionDef>, Corpus) {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questions"));
    let questions: Vec<QuestionDef> =
        rehearse::bank::load_dir(dir).expect("bank loads").into_iter().flat_map(|t| t.questions).collect();
    let corpus = Corpus::from_documents(questions.iter().map(|q| q.answer.as_str()));
    (questions, corpus)
}

fn prepare(q: &QuestionDef, corpus: &Corpus) -> PreparedQuestion {
    let concepts: Vec<Concept> =
        q.keywords.iter().filter_map(|k| Concept::parse(&k.concept).map(|c| c.with_hint(k.hint.clone()))).collect();
    let relations: Vec<Relation> = q.relations.iter().filter_map(|r| Relation::parse(r)).collect();
    PreparedQuestion::new(&q.prompt, &q.answer, &concepts, &relations, corpus).with_ordered_steps(q.ordered)
}

#[test]
fn every_model_answer_is_strong_and_an_unrelated_one_is_not() {
    let (questions, corpus) = bank();
    let mut problems = Vec::new();
    for q in &questions {
        let prepared = prepare(q, &corpus);
        let own = prepared.grade(&q.answer);
        if own.band != Band::Strong || !own.missed().is_empty() || !own.contradicted().is_empty() {
            problems.push(format!("{}: own answer {:.2} {:?} missed {:?}", q.id, own.score, own.band, own.missed()));
        }
        let unrelated = prepared.grade("I would make a cup of tea and read the newspaper first.");
        if unrelated.score >= 0.15 {
            problems.push(format!(
                "{}: unrelated answer scored {:.2} covering {:?}",
                q.id,
                unrelated.score,
                unrelated.covered()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_concept_worded_with_a_negation_needs_that_negation() {
    let (questions, corpus) = bank();
    let q = questions.iter().find(|q| q.id == "k8s-namespaces").expect("namespaces question");
    let prepared = prepare(q, &corpus);
    let label = prepared
        .concepts()
        .iter()
        .find(|c| c.alternatives.iter().any(|a| a == "not hard security"))
        .map(|c| c.label.clone())
        .expect("a concept worded with a negation");

    let stated = prepared.grade("It's not hard security isolation: pods still run on the same nodes");
    let denied = prepared.grade("Namespaces give hard security isolation and pods never share nodes");

    assert!(stated.covered().contains(&label), "{:?}", stated.concepts);
    assert!(!denied.covered().contains(&label), "{:?}", denied.concepts);
}

/// The model answer's sentence that mentions the concept: what a good follow-up reply says.
fn sentence_about(answer: &str, concept: &Concept) -> String {
    answer
        .split_inclusive(['.', '?', '!'])
        .find(|s| concept.alternatives.iter().any(|a| s.to_lowercase().contains(&a.to_lowercase())))
        .unwrap_or(answer)
        .trim()
        .to_string()
}

#[test]
fn a_follow_up_reply_that_explains_the_concept_covers_it() {
    let (questions, corpus) = bank();
    let mut problems = Vec::new();
    for q in &questions {
        let prepared = prepare(q, &corpus);
        for (i, concept) in prepared.concepts().iter().enumerate() {
            let reply = sentence_about(&q.answer, concept);
            let result = prepared.grade_concept(i, &reply).expect("concept exists");
            if result.status != rehearse::grading::ConceptStatus::Covered {
                problems.push(format!("{}: {:?} -> {:?}", q.id, concept.label, result.status));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Rewordings learners reported as missed: each must cover its concept on the bank
/// question that asks for it (paraphrase data and compound words, not rules for one
/// answer: the same entries apply wherever the concept appears).
#[test]
fn reported_rewordings_cover_their_concepts() {
    let (questions, corpus) = bank();
    let cases = [
        (
            "docker-volumes-persistence",
            "ephemeral",
            "Anything written inside is thrown away when the container is deleted.",
        ),
        ("docker-compose", "yaml", "You describe all the services in compose.yaml and start them with one command."),
        (
            "k8s-pod-dies",
            "desired state",
            "The controller sees fewer pods than the number of pods it wants and makes one.",
        ),
        // Browser walk-throughs of 2026-12-07 (twentieth and twenty-first sessions):
        // correct answers in plain words whose concept was missed.
        (
            "k8s-rolling-update-rollback",
            "zero downtime",
            "New pods come up before old ones go, so users see no outage.",
        ),
        ("k8s-rolling-update-rollback", "zero downtime", "Done this way the app never goes dark during a release."),
        (
            "k8s-blue-green-vs-canary",
            "switching back",
            "If something breaks you flip straight back to the old environment.",
        ),
        (
            "k8s-taints-tolerations",
            "does not attract",
            "A toleration does not pull the pod to that node; it only lets it in.",
        ),
        ("docker-what-is-docker", "isolated", "Each container is fenced off from the others on the same host."),
        (
            "sd-message-queues",
            "asynchronously",
            "The sender doesn't have to wait; the other service picks the message up later.",
        ),
        ("sd-message-queues", "resilient", "Messages wait in the queue even if the consumer is down for a while."),
        ("sd-idempotent-apis", "same effect", "Sending it twice leaves things the same as doing it once."),
    ];
    for (id, label, answer) in cases {
        let q = questions.iter().find(|q| q.id == id).unwrap_or_else(|| panic!("{id} in the bank"));
        let g = prepare(q, &corpus).grade(answer);
        assert!(g.covered().contains(&label.to_string()), "{id}: {label} not covered by {answer:?}: {:?}", g.concepts);
    }
}

/// A confidently wrong answer (every fact of a contrast question inverted) was reported
/// scoring Strong: on a question that contrasts two things it must fall far below the
/// same facts stated the right way round, with the swap shown as a check.
#[test]
fn inverting_every_fact_of_a_contrast_question_is_not_strong() {
    let (questions, corpus) = bank();
    let q = questions.iter().find(|q| q.id == "docker-container-vs-vm").expect("container vs VM question");
    let p = prepare(q, &corpus);
    let right = p.grade(
        "A virtual machine runs a full guest operating system with its own kernel on top of a hypervisor, so \
         it is heavy and slow to boot. A container shares the host kernel and is just an isolated process, so \
         it's lightweight and starts in seconds, but the isolation is weaker.",
    );
    let inverted = p.grade(
        "A container runs its own full guest operating system with its own kernel on a hypervisor, so it is \
         heavy and takes minutes to boot, while a virtual machine shares the host kernel and is just an \
         isolated process, so VMs are lightweight and start in seconds.",
    );
    assert_eq!(right.band, Band::Strong, "{right:?}");
    assert!(right.contradicted().is_empty(), "{right:?}");
    assert!(inverted.score < right.score - 0.4, "inverted {:.2} vs right {:.2}", inverted.score, right.score);
    assert!(inverted.feedback.contains("Check:"), "{}", inverted.feedback);
}

/// No bundled keyword is one word that is matched as a filler once stemmed ("likes" read
/// as "like"): the filler "like in a database" covered *examples* on a walk-through.
#[test]
fn no_bundled_keyword_is_matched_as_a_filler_word() {
    let (questions, _) = bank();
    let mut flagged = Vec::new();
    for q in &questions {
        let concepts: Vec<Concept> = q.keywords.iter().filter_map(|k| Concept::parse(&k.concept)).collect();
        for w in rehearse::grading::keyword_warnings(&q.prompt, &concepts) {
            if w.message.contains("filler") {
                flagged.push(format!("{}: {}", q.id, w.alternative));
            }
        }
    }
    assert!(flagged.is_empty(), "{flagged:?}");
}

/// No bundled keyword (or misconception subject) is a command-line flag: "--secret" is
/// read as "secret", and "use secrets" covered *secret mounts* on a walk-through.
#[test]
fn no_bundled_keyword_is_a_command_line_flag() {
    let (questions, _) = bank();
    let mut flagged = Vec::new();
    for q in &questions {
        let concepts: Vec<Concept> = q.keywords.iter().filter_map(|k| Concept::parse(&k.concept)).collect();
        for w in rehearse::grading::keyword_warnings(&q.prompt, &concepts) {
            if w.message.contains("command-line flag") {
                flagged.push(format!("{}: {}", q.id, w.alternative));
            }
        }
        for m in &q.misconceptions {
            for subject in m.subject.split('|').map(str::trim).filter(|s| s.starts_with('-')) {
                flagged.push(format!("{}: misconception subject {subject}", q.id));
            }
        }
    }
    assert!(flagged.is_empty(), "{flagged:?}");
}

/// Concepts derived from a model answer (notes imports, questions written without
/// keywords) are what feedback names, so each must read as a term: over every bundled
/// question and every question of the validation sets, graded as if no keywords were
/// written, no two derived concepts of a question share a label, none is a scrap of one
/// or two letters of a longer word ("vo" of "VoIP", "ql" of "GraphQL"), and none is a general word that names nothing
/// ("Next time also explain meantime").
#[test]
fn derived_concepts_read_as_terms_on_every_question() {
    let (bank, corpus) = bank();
    let mut questions: Vec<(String, String)> = bank.iter().map(|q| (q.prompt.clone(), q.answer.clone())).collect();
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation"));
    for entry in std::fs::read_dir(dir).expect("validation sets") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if name.starts_with("follow-up") || !name.ends_with(".jsonl") {
            continue;
        }
        for line in std::fs::read_to_string(&path).expect("set").lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            let (Some(q), Some(r)) = (v["question"].as_str(), v["reference"].as_str()) else { continue };
            if !questions.iter().any(|(p, _)| p == q) {
                questions.push((q.to_string(), r.to_string()));
            }
        }
    }
    assert!(questions.len() > 250, "{} questions", questions.len());
    let nothing = [
        "meantime",
        "appropriate",
        "earlier",
        "soon",
        "minutes",
        "somewhere",
        "almost",
        "true",
        "practice",
        "handy",
        "general",
        "basic",
        "apart",
        "refers",
        "questions",
        "pitfall",
        "properly",
        "clearer",
    ];
    let mut problems = Vec::new();
    for (prompt, reference) in &questions {
        let prepared = PreparedQuestion::new(prompt, reference, &[], &[], &corpus);
        let labels: Vec<&str> = prepared.concepts().iter().map(|c| c.label.as_str()).collect();
        // Three at least, unless the model answer is a note of a line or two ("Joining a
        // table to itself with two aliases, for example to match each employee with their
        // manager": its example and connecting verbs name nothing, which leaves two; the
        // 32-word binary-search note gets "middle element" and "range halves" since the
        // bank grew to 71 questions, and "target", "range halves", "middle" before: which
        // words stand out depends on the bank's word weights).
        assert!(labels.len() >= 3 || reference.split_whitespace().count() < 35, "{prompt}: {labels:?}");
        for (i, label) in labels.iter().enumerate() {
            if labels[..i].contains(label) {
                problems.push(format!("{prompt}: {label:?} twice in {labels:?}"));
            }
            // A short label ("ip", "gc", "ls") is a word the model answer wrote on its own.
            let standalone = || reference.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case(label));
            if label.chars().count() < 3 && !standalone() {
                problems.push(format!("{prompt}: scrap {label:?} in {labels:?}"));
            }
            if nothing.contains(label) {
                problems.push(format!("{prompt}: general word {label:?} in {labels:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// The plain-words lexicon (`src/grading/data/paraphrases-bank.txt`): each line's key
/// and paraphrases.
fn plain_words_lexicon() -> Vec<(String, Vec<String>)> {
    plain_words("paraphrases-bank.txt")
}

/// A plain-words file of `src/grading/data`: each line's key and paraphrases.
fn plain_words(file: &str) -> Vec<(String, Vec<String>)> {
    let path = format!("{}/src/grading/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("lexicon readable");
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.split('|').map(|p| p.trim().to_string()).collect()))
        .collect()
}

#[test]
fn the_plain_words_lexicon_is_what_the_bank_lists_for_each_term() {
    let (questions, _) = bank();
    // Every alternative listed by a bundled concept, by the concept's term (its first).
    let mut by_term: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for q in &questions {
        for k in &q.keywords {
            let alts: Vec<String> = k.concept.split('|').map(|a| a.trim().to_lowercase()).collect();
            by_term.entry(alts[0].clone()).or_default().extend(alts[1..].iter().cloned());
        }
    }
    let lexicon = plain_words_lexicon();
    assert!(lexicon.len() > 300, "the lexicon has {} terms", lexicon.len());
    let mut problems = Vec::new();
    for (term, paraphrases) in &lexicon {
        let Some(listed) = by_term.get(term) else {
            problems.push(format!("{term:?} is the term of no bundled concept"));
            continue;
        };
        for p in paraphrases.iter().filter(|p| !listed.contains(&p.to_lowercase())) {
            problems.push(format!("{p:?} is not listed by a bundled concept whose term is {term:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems (edit the bank and the lexicon together):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A question nobody wrote plain words for: its concept is only the term.
fn new_question(term: &str) -> PreparedQuestion {
    let concepts = [Concept::parse(term).expect("concept"), Concept::parse("unrelated widget").expect("concept")];
    let reference = format!("The answer explains {term} and an unrelated widget.");
    let corpus = Corpus::from_documents([reference.as_str()]);
    PreparedQuestion::new("Explain it.", &reference, &concepts, &[], &corpus)
}

#[test]
fn a_new_question_credits_the_plain_words_the_bank_lists_for_its_term() {
    credits_each_paraphrase_of_its_term(&plain_words_lexicon());
}

#[test]
fn a_new_question_credits_the_plain_words_of_the_thesaurus_for_its_term() {
    let thesaurus = plain_words("paraphrases-terms.txt");
    assert!(thesaurus.len() > 1000, "the thesaurus has {} terms", thesaurus.len());
    credits_each_paraphrase_of_its_term(&thesaurus);
}

fn credits_each_paraphrase_of_its_term(lexicon: &[(String, Vec<String>)]) {
    let (mut said, mut credited, mut misses) = (0, 0, Vec::new());
    for (term, paraphrases) in lexicon {
        let prepared = new_question(term);
        for p in paraphrases {
            said += 1;
            let grade = prepared.grade(&format!("Well, I would say {p}, that is how it works."));
            if grade.covered().iter().any(|c| c.eq_ignore_ascii_case(term)) {
                credited += 1;
            } else if misses.len() < 20 {
                misses.push(format!("{term}: {p}"));
            }
        }
    }
    // Nearly all: a few paraphrases are read differently in a sentence of their own
    // (a word repaired toward the question's vocabulary, a phrase the sentence breaks).
    assert!(credited * 100 >= said * 97, "{credited} of {said} credited; e.g. {misses:#?}");
}

#[test]
fn a_concept_whose_author_wrote_plain_words_gains_none_from_the_lexicon() {
    let (mut alone, mut authored) = (0, 0);
    for (term, paraphrases) in plain_words_lexicon().iter().filter(|(_, p)| p.len() >= 3) {
        // The author listed the term and its first paraphrase, not the last one.
        let concept = format!("{term} | {}", paraphrases[0]);
        let concepts = [Concept::parse(&concept).expect("concept")];
        let reference = format!("It is about {term}.");
        let corpus = Corpus::from_documents([reference.as_str()]);
        let prepared = PreparedQuestion::new("Explain it.", &reference, &concepts, &[], &corpus);
        let answer = format!("Well, I would say {}, that is how it works.", paraphrases[paraphrases.len() - 1]);
        alone += usize::from(!new_question(term).grade(&answer).covered().is_empty());
        authored += usize::from(!prepared.grade(&answer).covered().is_empty());
    }
    // Credited alone nearly always (the lexicon applies); with the author's own plain
    // words only where those happen to say the same (a shared word, a synonym).
    assert!(alone > 200, "{alone} credited alone");
    assert!(authored * 5 < alone, "{authored} of {alone} still credited when the author wrote plain words");
}

/// Correct statements about the bundled questions, one a line (`question_id`,
/// `sentence`): written on 2026-12-07 by two authors widening the anticipated
/// misconceptions, from the model answers alone, many of them naming a wrong idea to
/// reject it ("the kubelet, not the scheduler, starts the containers", "uses musl
/// rather than glibc").
const CORRECT_SENTENCES: &str = include_str!("fixtures/correct-sentences.jsonl");

/// Correct sentences the misconception reading still takes for a claim; each is a gap
/// of the matcher, named here so it is fixed, not forgotten ("while" opening a clause
/// about other images is read as still about Alpine).
const KNOWN_GAPS: [&str; 1] = ["Alpine uses musl, while most other images use glibc."];

/// No correct sentence about a question makes one of its anticipated misconceptions: a
/// correct answer told it holds a misconception is the worst thing the grader can do.
#[test]
fn no_correct_sentence_is_taken_for_an_anticipated_misconception() {
    #[derive(serde::Deserialize)]
    struct Line {
        question_id: String,
        sentence: String,
    }
    let (questions, corpus) = bank();
    let mut prepared: std::collections::HashMap<&str, PreparedQuestion> = std::collections::HashMap::new();
    let (mut read, mut flagged, mut gaps) = (0, Vec::new(), 0);
    for line in CORRECT_SENTENCES.lines().filter(|l| !l.trim().is_empty()) {
        let l: Line = serde_json::from_str(line).expect("a sentence line");
        let q = questions.iter().find(|q| q.id == l.question_id).expect("a bundled question");
        let p =
            prepared.entry(q.id.as_str()).or_insert_with(|| prepare(q, &corpus).with_misconceptions(&q.misconceptions));
        let grade = p.grade(&l.sentence);
        let taken = grade.components.conflicts.iter().any(|c| {
            c.starts_with("Check: you said") && q.misconceptions.iter().any(|m| c.ends_with(m.correction.trim()))
        });
        read += 1;
        match (taken, KNOWN_GAPS.contains(&l.sentence.as_str())) {
            (true, false) => flagged.push(format!("{}: {:?}: {:?}", q.id, l.sentence, grade.components.conflicts)),
            (false, true) => panic!("{:?} is no longer taken for a misconception: take it off KNOWN_GAPS", l.sentence),
            (true, true) => gaps += 1,
            (false, false) => {}
        }
    }
    assert!(read > 1300, "{read} sentences read");
    assert_eq!(gaps, KNOWN_GAPS.len(), "every known gap is in the file");
    assert!(flagged.is_empty(), "{} correct sentences flagged:\n{}", flagged.len(), flagged.join("\n"));
}

/// Sentences about the held-out questions (`question_id`, `sentence`, `expect`: "fire"
/// or "quiet"), written on 2026-12-07 by the two authors of their misconceptions
/// (`tests/fixtures/validation/held-out-misconceptions`), from the model answers alone:
/// for each misconception wrong sentences in a learner's words that should make it, and
/// correct ones about the same things (denials, contrasts, "people think X, but ...",
/// paraphrases of the model answer) that must not.
const HELD_OUT_SENTENCES: &str = include_str!("fixtures/held-out-misconception-sentences.jsonl");

/// Misconceptions written for new questions by authors who saw no answer are precise:
/// no correct sentence makes one, and every wrong sentence does.
#[test]
fn held_out_misconceptions_fire_on_wrong_sentences_and_never_on_correct_ones() {
    #[derive(serde::Deserialize)]
    struct Line {
        question_id: String,
        sentence: String,
        expect: String,
    }
    let dir =
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/held-out-misconceptions"));
    let questions: Vec<QuestionDef> =
        rehearse::bank::load_dir(dir).expect("bank loads").into_iter().flat_map(|t| t.questions).collect();
    let corpus = Corpus::from_documents(questions.iter().map(|q| q.answer.as_str()));
    let mut prepared: std::collections::HashMap<&str, PreparedQuestion> = std::collections::HashMap::new();
    let (mut quiet, mut fire) = (0, 0);
    let mut wrong = Vec::new();
    for line in HELD_OUT_SENTENCES.lines().filter(|l| !l.trim().is_empty()) {
        let l: Line = serde_json::from_str(line).expect("a sentence line");
        let q = questions.iter().find(|q| q.id == l.question_id).expect("a held-out question");
        assert!(!q.misconceptions.is_empty(), "{} has misconceptions", q.id);
        let p =
            prepared.entry(q.id.as_str()).or_insert_with(|| prepare(q, &corpus).with_misconceptions(&q.misconceptions));
        let taken = p.grade(&l.sentence).components.conflicts.iter().any(|c| {
            c.starts_with("Check: you said") && q.misconceptions.iter().any(|m| c.ends_with(m.correction.trim()))
        });
        match (l.expect.as_str(), taken) {
            ("quiet", false) => quiet += 1,
            ("fire", true) => fire += 1,
            (expect, _) => wrong.push(format!("{} (expected {expect}): {:?}", q.id, l.sentence)),
        }
    }
    assert!(quiet > 1400 && fire > 600, "{quiet} correct and {fire} wrong sentences read");
    assert!(wrong.is_empty(), "{} sentences misread:\n{}", wrong.len(), wrong.join("\n"));
}
