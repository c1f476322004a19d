//! Follow-up questions that probe a concept the answer missed or got wrong, the way an
//! interviewer would.
use crate::grading::{Concept, ConceptResult, ConceptStatus};

/// A follow-up to ask: which concept it probes and the question itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub concept: String,
    pub prompt: String,
}

/// Picks the concept to probe (a contradicted one first, then the heaviest missed one)
/// and phrases the question: an author's follow-up that mentions the concept if there
/// is one, else one built from the concept's hint, else a gap to fill in the model
/// answer's sentence on it (`gap` gives that sentence with the concept blanked out, by
/// label, when there is one that does not name the concept otherwise), else the label.
/// `None` when nothing was missed.
///
/// Why a gap before the label: a follow-up that names its concept ("where does X come
/// into this?") cannot be judged (the reply names it back whether it holds or not), and
/// a question an admin writes usually has no hints, so every follow-up on it used to be
/// the label's and none of its replies was judged.
pub fn choose(
    results: &[ConceptResult],
    concepts: &[Concept],
    authored: &[String],
    gap: impl FnOnce(&str) -> Option<String>,
) -> Option<FollowUp> {
    let pick = results
        .iter()
        .filter(|r| r.status == ConceptStatus::Contradicted)
        .chain(
            results
                .iter()
                .filter(|r| r.status == ConceptStatus::Missed)
                // Heaviest first; among equals the one listed first, which authors
                // tend to make the most basic.
                .rev()
                .max_by(|a, b| a.weight.total_cmp(&b.weight)),
        )
        .next()?;
    let concept = concepts.iter().find(|c| c.label == pick.label);
    let alternatives: Vec<String> = concept
        .map(|c| c.alternatives.iter().map(|a| a.to_lowercase()).collect())
        .unwrap_or_else(|| vec![pick.label.to_lowercase()]);
    let written = authored.iter().find(|f| {
        let text = f.to_lowercase();
        alternatives.iter().any(|a| a.chars().count() >= 3 && text.contains(a.as_str()))
    });
    let prompt = match (written, pick.status) {
        (Some(f), _) => f.clone(),
        // The learner's own words, as the check quoted them ("Check: you said
        // "namespaced", ..."), rather than a concept label they may not have used.
        (None, ConceptStatus::Contradicted) => match quoted(&pick.hint) {
            Some(phrase) => {
                format!("Let's check one thing: you said \"{phrase}\". Can you say that part again, more precisely?")
            }
            None => format!("Let's check what you said about {}: can you explain that part again?", pick.label),
        },
        (None, _) => match concept.and_then(|c| c.hint.as_deref()) {
            Some(hint) => format!("Before we move on: {}", lower_first(hint)),
            None => match gap(&pick.label) {
                Some(sentence) => gap_prompt(&sentence),
                None => format!("Before we move on: where does {} come into this?", pick.label),
            },
        },
    };
    Some(FollowUp { concept: pick.label.clone(), prompt })
}

/// Whether the concept a follow-up asks for stays unnamed until the learner replies or
/// moves on (in the answer's feedback and its list of missed concepts; the model answer
/// warns that it gives the follow-up away): a learner who reads the answer above the
/// follow-up recalls nothing. Only a
/// missed concept (one got wrong was named by the learner already), and only when the
/// prompt does not name it itself ("where does X come into this?").
pub fn holds_back(status: ConceptStatus, concept: &str, prompt: &str) -> bool {
    status == ConceptStatus::Missed && !prompt.to_lowercase().contains(&concept.to_lowercase())
}

/// How a follow-up that asks to fill a gap opens.
const GAP_LEAD: &str = "Before we move on: what fills the gap in this line of the model answer?";

/// The follow-up that asks to fill the gap in `sentence`, a line of the model answer
/// with the concept blanked out.
pub fn gap_prompt(sentence: &str) -> String {
    format!("{GAP_LEAD} \u{201c}{sentence}\u{201d}")
}

/// True when `prompt` asks to fill a gap ([`gap_prompt`]).
pub fn is_gap_prompt(prompt: &str) -> bool {
    prompt.starts_with(GAP_LEAD)
}

/// The first phrase between double quotes in `text`, if any.
fn quoted(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once('"')?;
    let (phrase, _) = rest.split_once('"')?;
    let phrase = phrase.trim();
    (!phrase.is_empty()).then_some(phrase)
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(label: &str, status: ConceptStatus, weight: f64) -> ConceptResult {
        ConceptResult { label: label.into(), status, spans: vec![], hint: String::new(), weight }
    }

    fn concept(spec: &str, hint: Option<&str>) -> Concept {
        Concept::parse(spec).map(|c| c.with_hint(hint.map(str::to_string))).expect("concept")
    }

    #[test]
    fn an_authored_follow_up_about_the_missed_concept_is_preferred() {
        let results =
            [result("pod", ConceptStatus::Covered, 1.0), result("readiness probe", ConceptStatus::Missed, 1.0)];
        let concepts = [concept("pod", None), concept("readiness probe | readiness", None)];
        let authored = ["Why use pods?".to_string(), "What does readiness control?".to_string()];
        let f = choose(&results, &concepts, &authored, |_| None).expect("a follow-up");
        assert_eq!(f.concept, "readiness probe");
        assert_eq!(f.prompt, "What does readiness control?");
    }

    #[test]
    fn without_an_authored_one_the_hint_becomes_the_question() {
        let results = [result("traffic", ConceptStatus::Missed, 0.5), result("restart", ConceptStatus::Missed, 2.0)];
        let concepts = [concept("traffic", None), concept("restart", Some("Say what happens to the container."))];
        let f = choose(&results, &concepts, &[], |_| None).expect("a follow-up");
        assert_eq!(f.concept, "restart", "the heaviest missed concept");
        assert_eq!(f.prompt, "Before we move on: say what happens to the container.");
    }

    #[test]
    fn without_a_hint_the_model_answers_line_with_a_gap_comes_before_the_label() {
        let results = [result("restart", ConceptStatus::Missed, 1.0), result("traffic", ConceptStatus::Missed, 0.5)];
        let concepts = [concept("restart", None), concept("traffic", None)];
        let gap = |label: &str| {
            (label == "restart").then(|| "A failing liveness probe makes the kubelet ___ the container.".to_string())
        };
        let f = choose(&results, &concepts, &[], gap).expect("a follow-up");
        assert_eq!(
            f.prompt,
            "Before we move on: what fills the gap in this line of the model answer? \u{201c}A failing liveness probe makes the kubelet ___ the container.\u{201d}"
        );
        // No line to blank: the label, as before; a hint still comes first.
        let f = choose(&results, &concepts, &[], |_| None).expect("a follow-up");
        assert_eq!(f.prompt, "Before we move on: where does restart come into this?");
        let hinted = [concept("restart", Some("Say what happens to the container.")), concept("traffic", None)];
        let f = choose(&results, &hinted, &[], gap).expect("a follow-up");
        assert_eq!(f.prompt, "Before we move on: say what happens to the container.");
    }

    #[test]
    fn a_follow_up_on_a_check_quotes_the_learners_words_not_the_label() {
        let mut wrong = result("cluster-wide", ConceptStatus::Contradicted, 1.0);
        wrong.hint = "Check: you said \"namespaced\", where the model answer says the opposite (cluster-wide).".into();
        let f = choose(&[wrong], &[], &[], |_| None).expect("a follow-up");
        assert_eq!(
            f.prompt,
            "Let's check one thing: you said \"namespaced\". Can you say that part again, more precisely?"
        );
        assert!(!f.prompt.contains("cluster-wide"), "{}", f.prompt);
    }

    #[test]
    fn among_equally_weighted_misses_the_first_listed_is_asked() {
        let results =
            [result("multi-container", ConceptStatus::Missed, 1.0), result("depends_on", ConceptStatus::Missed, 1.0)];
        assert_eq!(choose(&results, &[], &[], |_| None).map(|f| f.concept), Some("multi-container".to_string()));
    }

    #[test]
    fn contradictions_come_first_and_a_full_answer_gets_none() {
        let results = [result("a", ConceptStatus::Missed, 3.0), result("b", ConceptStatus::Contradicted, 1.0)];
        let f = choose(&results, &[], &[], |_| None).expect("a follow-up");
        assert_eq!(f.concept, "b");
        assert_eq!(f.prompt, "Let's check what you said about b: can you explain that part again?");
        assert_eq!(choose(&[result("a", ConceptStatus::Covered, 1.0)], &[], &[], |_| None), None);
    }
}
