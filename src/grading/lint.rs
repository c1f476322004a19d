//! Warnings for authors about keywords that give credit too easily: an alternative that
//! a learner satisfies without knowing the concept. Three classes, all measured by the
//! words alone (no answers needed), so an author sees them while typing keywords:
//!
//! - **A command-line flag** ("--secret"): the tokenizer keeps no dashes, so it is
//!   matched as its bare word, and "use secrets" covered *secret mounts* (found in a
//!   walk-through).
//!
//! - **Echo of the question**: every content word of the alternative is in the
//!   question's prompt ("deployment" for "What's a pod vs a deployment?"): repeating the
//!   question covers the concept.
//! - **One everyday word**: the alternative is a single word of little meaning on its
//!   own ("way", "used", "always"), or one that matches a filler once stemmed ("likes"
//!   is matched as "like", which learners say all the time): nearly any answer says it. (A phrase is matched
//!   word for word, so "the way" is not flagged.) Some are terms in context (HTTP
//!   `PUT`, `restart: always`), so this is advice, not an error.
//!
//! The question still works either way: the author decides.
use super::lexicon::{lexicon, COMMON, GLUE_WORDS, STOP};
use super::text::analyze;
use super::Concept;

/// One keyword alternative that gives credit too easily, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordWarning {
    /// The concept's label (its first alternative).
    pub concept: String,
    pub alternative: String,
    /// What is wrong, in an author's words.
    pub message: String,
}

/// The warnings for `concepts` of a question whose prompt is `prompt`.
pub fn keyword_warnings(prompt: &str, concepts: &[Concept]) -> Vec<KeywordWarning> {
    let asked: Vec<String> = analyze(prompt).into_iter().filter(|t| !t.stop).map(|t| t.stem.to_string()).collect();
    let mut warnings = Vec::new();
    for concept in concepts {
        for alternative in &concept.alternatives {
            let tokens = analyze(alternative);
            let content: Vec<_> = tokens.iter().filter(|t| !t.stop).collect();
            let single = tokens.len() == 1;
            let flag = alternative
                .trim_start()
                .strip_prefix('-')
                .is_some_and(|rest| rest.trim_start_matches('-').starts_with(|c: char| c.is_ascii_alphabetic()));
            let message = if flag {
                let words: Vec<&str> = content.iter().map(|t| &*t.surface).collect();
                Some(format!(
                    "\"{alternative}\" is read as \"{}\": a command-line flag loses its dashes, so any answer that says that word gets this concept. Write what the flag does, in words, or the option with its value (\"name=value\").",
                    words.join(" ")
                ))
            } else if !content.is_empty() && content.iter().all(|t| asked.iter().any(|a| *a == *t.stem)) {
                Some(format!(
                    "\"{alternative}\" is worded like the question itself: a learner who repeats the question gets this concept. Name what the answer should add."
                ))
            } else if single && lexicon().flags(&tokens[0].surface) & (COMMON | STOP) != 0 {
                Some(format!(
                    "\"{alternative}\" is one everyday word: any answer that says it gets this concept. Unless it is a term of art in this subject, use a phrase."
                ))
            } else if single && GLUE_WORDS.contains(&&*tokens[0].stem) {
                Some(format!(
                    "\"{alternative}\" is matched as \"{}\", a word learners say as filler (\"like in a database\"): any answer that says it gets this concept. Use a phrase (\"like counts\").",
                    tokens[0].stem
                ))
            } else {
                None
            };
            if let Some(message) = message {
                warnings.push(KeywordWarning {
                    concept: concept.label.clone(),
                    alternative: alternative.clone(),
                    message,
                });
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concepts(specs: &[&str]) -> Vec<Concept> {
        specs.iter().filter_map(|s| Concept::parse(s)).collect()
    }

    #[test]
    fn an_alternative_the_question_already_says_is_flagged() {
        let w = keyword_warnings(
            "What is the difference between a pod and a deployment?",
            &concepts(&["deployments | replica set", "smallest unit"]),
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!((w[0].concept.as_str(), w[0].alternative.as_str()), ("deployments", "deployments"));
        assert!(w[0].message.contains("repeats the question"), "{}", w[0].message);
    }

    #[test]
    fn a_word_that_stems_to_a_filler_is_flagged() {
        let w = keyword_warnings("Strong or eventual consistency?", &concepts(&["balances | likes | like counts"]));
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].alternative, "likes");
        assert!(w[0].message.contains("filler"), "{}", w[0].message);
    }

    #[test]
    fn one_everyday_word_is_flagged_but_a_phrase_around_it_is_not() {
        let specs = ["decouples | way", "buffers | the way", "way of buffering bursts", "restarts | always"];
        let w = keyword_warnings("Why put a queue between services?", &concepts(&specs));
        let flagged: Vec<&str> = w.iter().map(|w| w.alternative.as_str()).collect();
        assert_eq!(flagged, ["way", "always"], "{w:?}");
        assert!(w[0].message.contains("one everyday word"), "{}", w[0].message);
    }

    #[test]
    fn a_command_line_flag_is_flagged_since_it_is_read_as_its_bare_word() {
        let specs = ["secret mounts | --secret", "restart policy | -restart", "kubectl logs | logs -p", "read-only"];
        let w = keyword_warnings("Why keep secrets out of a Docker image?", &concepts(&specs));
        let flagged: Vec<&str> = w.iter().map(|w| w.alternative.as_str()).collect();
        assert_eq!(flagged, ["--secret", "-restart"], "{w:?}");
        assert!(w[0].message.contains("read as \"secret\""), "{}", w[0].message);
    }

    #[test]
    fn ordinary_keywords_raise_nothing() {
        let w = keyword_warnings(
            "What does a load balancer do?",
            &concepts(&["spreads | distributes", "health checks | unhealthy", "sticky sessions"]),
        );
        assert!(w.is_empty(), "{w:?}");
    }
}
