//! Any bytes, split into question / reference / keywords / answer, must grade without
//! panicking, with a finite score in 0..=1, identically twice.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rehearse::grading::{Concept, Corpus, PreparedQuestion, Relation};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1}');
    let question = parts.next().unwrap_or("");
    let reference = parts.next().unwrap_or("");
    let keywords = parts.next().unwrap_or("");
    let answer = parts.next().unwrap_or("");
    let concepts: Vec<Concept> = keywords.split('\n').filter_map(Concept::parse).collect();
    let relations: Vec<Relation> = keywords.split('\n').filter_map(Relation::parse).collect();
    let corpus = Corpus::from_documents([reference, question]);
    let prepared = PreparedQuestion::new(question, reference, &concepts, &relations, &corpus);
    let grade = prepared.grade(answer);
    assert!(grade.score.is_finite() && (0.0..=1.0).contains(&grade.score));
    assert_eq!(grade, prepared.grade(answer));
    for c in &grade.concepts {
        for s in &c.spans {
            assert!(s.start <= s.end && s.end <= answer.len());
            assert!(answer.is_char_boundary(s.start) && answer.is_char_boundary(s.end));
        }
    }
    for i in 0..prepared.concepts().len() {
        let _ = prepared.grade_concept(i, answer);
    }
});
