//! Circular definitions: "a shared reference is a reference that is shared", "the
//! congestion window is the window used for congestion". A candidate who knows only the
//! names of the terms can say every one of them this way; each sentence then matches a
//! concept while explaining nothing.
//!
//! A definition is a subject, a defining word ("is", "are", "means", "refers to"), and
//! what follows in its clause (or, when the clause ends there, as in "a move is | when
//! something moves", in the next one). It is circular when what follows repeats a
//! content word of the subject, adds none of its own and is not negated.

use super::text::Token;

/// A content word: neither a function word nor a common one ("use", "way").
fn is_content(t: &Token) -> bool {
    !t.stop && !t.common
}

/// Longest subject read as a term being defined: "the slow-start threshold" is one,
/// "traces are for microservices so you can see a request" is not.
const MAX_SUBJECT_WORDS: usize = 4;

/// Share of the answer's clauses (those with a content word) spent on circular
/// definitions; a definition whose predicate is the next clause ("a move is | when
/// something moves") counts as one.
pub fn circular_share(tokens: &[Token]) -> f64 {
    let mut circular = 0usize;
    let mut absorbed = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        if t.defining {
            if let Some(extra) = circular_at(tokens, i) {
                circular += 1;
                absorbed += extra;
            }
        }
    }
    if circular == 0 {
        // Most answers: the clauses need not be counted.
        return 0.0;
    }
    let mut clauses = 0usize;
    let mut last_clause = None;
    for t in tokens.iter().filter(|t| is_content(t)) {
        if last_clause != Some(t.clause) {
            clauses += 1;
            last_clause = Some(t.clause);
        }
    }
    let units = clauses.saturating_sub(absorbed);
    if units == 0 {
        0.0
    } else {
        (circular as f64 / units as f64).min(1.0)
    }
}

/// When the defining word `tokens[i]` opens a circular definition: how many clauses
/// after its own the definition took in.
fn circular_at(tokens: &[Token], i: usize) -> Option<usize> {
    let (clause, sentence) = (tokens[i].clause, tokens[i].sentence);
    let from = (0..i).rev().take_while(|&j| tokens[j].clause == clause && !tokens[j].defining).last().unwrap_or(i);
    // A defining word after another in the same clause is part of that one's predicate
    // ("a reference that is shared"), or of an unpunctuated run whose subject cannot be
    // told apart from the previous predicate: it starts no definition of its own.
    if from > 0 && tokens[from - 1].clause == clause {
        return None;
    }
    // The subject's content words, by stem key (at most MAX_SUBJECT_WORDS of them).
    let mut subject = [0u64; MAX_SUBJECT_WORDS];
    let mut n = 0;
    for t in &tokens[from..i] {
        if t.neg {
            return None;
        }
        if is_content(t) {
            if n == MAX_SUBJECT_WORDS {
                return None;
            }
            subject[n] = t.key;
            n += 1;
        }
    }
    let subject = &subject[..n];
    if subject.is_empty() {
        return None;
    }
    let clause_end =
        |k: usize| (k..tokens.len()).find(|&j| tokens[j].clause != tokens[k].clause).unwrap_or(tokens.len());
    // Circular: not negated, and not one content word that the subject does not have.
    // Allowing one ("drop is when a value is dropped") was right 40 times instead of 27
    // but wrong 9 times instead of none, 7 of them on real student answers ("a
    // persistent volume claim is a request for a persistent volume" has one new word
    // and says what a claim is). The first new word settles it, so the words are read
    // in order and the scan stops there, as it does for most definitions: `read` gives
    // the number of content words in `words`, all of them the subject's, or `None` at
    // a new one or a negation.
    let read = |words: &[Token]| -> Option<usize> {
        let mut n = 0;
        for t in words {
            if t.neg || (is_content(t) && !subject.contains(&t.key)) {
                return None;
            }
            n += usize::from(is_content(t));
        }
        Some(n)
    };
    let mut to = clause_end(i);
    let mut repeats = read(&tokens[i + 1..to])?;
    let mut extra = 0;
    if repeats == 0 {
        // "A move is | when something moves": the definition is the next clause.
        if to < tokens.len() && tokens[to].sentence == sentence {
            repeats = read(&tokens[to..clause_end(to)])?;
            extra = 1;
        }
    } else {
        // "Vertical scaling is scaling up, adding more CPU": what follows in the sentence
        // belongs to the definition until another definition starts.
        while to < tokens.len() && tokens[to].sentence == sentence {
            let next = clause_end(to);
            if tokens[to..next].iter().any(|t| t.defining) {
                break;
            }
            repeats += read(&tokens[to..next])?;
            to = next;
        }
    }
    (repeats > 0).then_some(extra)
}

#[cfg(test)]
mod tests {
    use super::super::text::analyze;
    use super::*;

    fn share(text: &str) -> f64 {
        circular_share(&analyze(text))
    }

    #[test]
    fn terms_defined_by_their_own_names_are_circular() {
        for text in [
            "A shared reference is a reference that is shared.",
            "The congestion window is the window used for congestion.",
            "A move is when something moves.",
            "Consistent hashing is hashing that is consistent.",
            "Logs are logs.",
        ] {
            assert_eq!(share(text), 1.0, "{text}");
        }
        let answer = "A B-tree index is an index that is a B-tree. A range scan is a scan over a range. \
                      A composite index is an index that is composite.";
        assert_eq!(share(answer), 1.0);
    }

    /// Definitions that say something, even when they reuse a word of the term, and
    /// sentences with a defining word that define nothing.
    #[test]
    fn informative_definitions_are_not_circular() {
        for text in [
            "A persistent volume claim is a request for a persistent volume.",
            "Vertical scaling is scaling up, adding more CPU and memory to a server.",
            "A backup you've never restored is not really a backup.",
            "Ingress is traffic coming in and egress is traffic going out.",
            "global variables are declared in the main function local variables are declared in any other function",
            "A readiness probe checks whether the pod is ready to take traffic.",
            "Eventual consistency means replicas converge once writes stop.",
            "improper handling of cases such that not all possible values are able to be handled",
        ] {
            assert_eq!(share(text), 0.0, "{text}");
        }
    }

    /// One restated term in a long answer is a small share of its clauses, whatever
    /// the punctuation: a run-on of several clauses dilutes it as sentences do.
    #[test]
    fn one_circular_clause_among_many_is_a_small_share() {
        let run_on = "basically traces are for microservices so you can see a request going through all the \
                      services and how long each one took and metrics are the graphs and logs are logs and we \
                      used datadog for all of it";
        assert!(share(run_on) < 0.2, "{}", share(run_on));
        let prose = "Logs are logs. Metrics are numbers aggregated over time, cheap to store and alert on. \
                     Traces follow one request across services. Each span records how long a step took.";
        assert!(share(prose) < 0.3, "{}", share(prose));
    }
}
