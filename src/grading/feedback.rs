//! Learner-facing text: a hint per missed or contradicted concept and a one or two
//! sentence summary that says what to do next. Strings are joined with `concat` or
//! written piece by piece into one buffer, not with `format!`: the same text, without
//! the formatting machinery on every grading.

use super::scoring::Components;
use super::text::Token;
use super::{Band, Concept, ConceptResult, ConceptStatus};

/// Hint for one concept result (empty when covered); `in_reference`: the model answer
/// names the concept (else it is only the question's ask, and the hint says so).
pub fn hint(concept: &Concept, status: ConceptStatus, in_reference: bool) -> String {
    match status {
        ConceptStatus::Covered => String::new(),
        ConceptStatus::Missed => match &concept.hint {
            Some(h) if !h.trim().is_empty() => h.trim().to_string(),
            _ if !in_reference => {
                ["This question also asks about ", concept.label.as_str(), "; say how it fits in."].concat()
            }
            _ => ["The model answer also covers ", concept.label.as_str(), "; say how it fits in."].concat(),
        },
        ConceptStatus::Contradicted => {
            ["Check what you said about ", concept.label.as_str(), ": the model answer says otherwise."].concat()
        }
    }
}

/// Hint for a concept not found in an answer the grader cannot judge (an explanation
/// in the learner's own words or through a comparison): not "you left it out".
pub fn unsure_hint(label: &str) -> String {
    ["I could not find ", label, " in these words; if you explained it, press “Mark as covered”."].concat()
}

/// The check shown when the answer states, without its negation, what an author's
/// negated alternative denies ("SIGKILL can be caught" against "cannot be caught"),
/// quoting the learner's phrase.
pub fn negation_check(phrase: &str, label: &str) -> String {
    format!("Check: you said \"{phrase}\", where the model answer says the opposite ({label}).")
}

/// Whether the grader cannot tell if the answer holds: it scores weak or off topic,
/// nothing in it was caught as wrong, and it explains through a comparison, whose parts
/// the grader cannot map to the subject's terms. Such a grade is shown but counts for
/// nothing (see [`super::Grade::unsure`]); the feedback says why.
pub(super) fn undecided(band: Band, c: &Components) -> bool {
    matches!(band, Band::Weak | Band::OffTopic) && c.relation_factor >= 0.7 && c.comparison.is_some()
}

/// Words after the opening of a comparison that [`comparison`] quotes at most.
const COMPARISON_QUOTE_WORDS: usize = 8;

/// The opening of a comparison or analogy in the answer ("Think of a process as a whole
/// restaurant kitchen…", "It's like someone slipping a cheque into a pile…"), quoted
/// from its first word to at most [`COMPARISON_QUOTE_WORDS`] words on, within its
/// sentence; `None` when the answer makes none.
///
/// Why: a correct answer told through an analogy shares few words with the model
/// answer, so a lexical grader scores it low whatever it says; over the held-out sets,
/// half the false alarms (22 of 44) were such answers. The score stays as it is (no
/// lexical evidence tells a sound analogy from a wrong one), but the feedback says why
/// it is low and what would let the grader credit it. It does not say the grade
/// undersells the answer: on `analogy2-answers.jsonl`, written after this note by
/// someone who had not seen it, wrong analogies outscored correct ones (0.39 against
/// 0.28), and of the 37 answers shown the note 21 were accepted by a human, 12 were
/// wrong analogies and 4 off topic.
///
/// The openings: "think of", "imagine", "picture" before a determiner or a number,
/// "like" after "it's", "a bit", "kind of" and the like (not after "is") and before a
/// determiner, "analogy", "metaphor".
pub fn comparison(answer: &str, tokens: &[Token]) -> Option<String> {
    let word = |i: usize| tokens.get(i).map_or("", |t: &Token| &*t.surface);
    const DETERMINERS: &[&str] = &[
        "a", "an", "the", "each", "every", "your", "two", "three", "four", "some", "this", "it", "yourself", "someone",
        "somebody", "having",
    ];
    // Not "is", "are" or "was": over the held-out sets "X is like a ..." opened 9
    // comparisons and a human accepted none of the 9 answers (off-topic answers that
    // explain another question through an analogy, vague ones: "the event loop is like
    // the core of how JavaScript works").
    const BEFORE_LIKE: &[&str] =
        &["it's", "that's", "bit", "more", "just", "much", "kind", "sort", "works", "acts", "basically"];
    let (start, marker) = (0..tokens.len()).find_map(|i| match word(i) {
        "think" if word(i + 1) == "of" => Some((i, i)),
        "imagine" | "analogy" | "metaphor" => Some((i, i)),
        "picture"
            if DETERMINERS.contains(&word(i + 1))
                && !matches!(word(i.wrapping_sub(1)), "the" | "a" | "big" | "whole") =>
        {
            Some((i, i))
        }
        // Quoted from up to three words before ("a semaphore is more like ...", "it's a bit like ...").
        "like" if i > 0 && BEFORE_LIKE.contains(&word(i - 1)) && DETERMINERS.contains(&word(i + 1)) => {
            let sentence = tokens[i].sentence;
            Some(((i.saturating_sub(3)..i).find(|&j| tokens[j].sentence == sentence).unwrap_or(i), i))
        }
        _ => None,
    })?;
    let sentence = tokens[marker].sentence;
    let last = (start..tokens.len().min(marker + COMPARISON_QUOTE_WORDS + 1))
        .take_while(|&j| tokens[j].sentence == sentence)
        .last()
        .unwrap_or(start);
    let mut quote = answer.get(tokens[start].start..tokens[last].end)?.to_string();
    if tokens.get(last + 1).is_some_and(|t| t.sentence == sentence) {
        quote.push('…');
    }
    Some(quote)
}

/// Writes "a", "a and b", "a, b and c" into `out`.
fn list(out: &mut String, items: &[&str]) {
    match items {
        [] => {}
        [one] => out.push_str(one),
        [rest @ .., last] => {
            join(out, rest);
            out.push_str(" and ");
            out.push_str(last);
        }
    }
}

/// Writes the items separated by ", " into `out` (what `join(", ")` returns).
fn join(out: &mut String, items: &[&str]) {
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        out.push_str(item);
    }
}

/// How many labels a list names before "and N more" (see [`list_some`]).
const SHOWN: usize = 3;

/// Writes what an unsure grade found: `none` when no concept was covered, else ": I
/// found" and the covered labels, then `some`.
fn found(out: &mut String, covered: &[&str], none: &str, some: &str) {
    if covered.is_empty() {
        out.push_str(none);
    } else {
        out.push_str(": I found ");
        list(out, covered);
        out.push_str(some);
    }
}

/// Writes at most three items listed; more are counted ("a, b, c and 2 more") so the
/// list never reads as complete when it is not.
fn list_some(out: &mut String, items: &[&str]) {
    if items.len() <= SHOWN {
        return list(out, items);
    }
    join(out, &items[..SHOWN]);
    out.push_str(" and ");
    out.push_str(&(items.len() - SHOWN).to_string());
    out.push_str(" more");
}

/// "Next time also explain a, b and c." for the `missed` labels (at most three named,
/// the rest counted), as a grade's feedback says it; the interview page says it again
/// as the learner's claims leave the list.
pub fn next_time(missed: &[&str]) -> String {
    // A concept named "explain" (SQL's EXPLAIN) would read "also explain explain".
    let shown = &missed[..missed.len().min(SHOWN)];
    let verb = if shown.iter().any(|m| m.split_whitespace().next() == Some("explain")) { "mention" } else { "explain" };
    let mut out = format!("Next time also {verb} ");
    list_some(&mut out, missed);
    out.push('.');
    out
}

/// Writes what the covered concepts were: "all 6 key points" when every concept is
/// covered, else the labels (see [`list_some`]).
fn covered_text(out: &mut String, covered: &[&str], total: usize) {
    match covered.len() {
        n if n == total && n == 2 => out.push_str("both key points"),
        n if n == total && n > 2 => {
            out.push_str("all ");
            out.push_str(&n.to_string());
            out.push_str(" key points");
        }
        _ => list_some(out, covered),
    }
}

/// Below this raw score (about 92/100 after the concave transform) an answer that
/// covered every key point is told that the rest of the score is the model answer's
/// detail.
const DETAIL_NOTE_BELOW: f64 = 0.9;

/// The 1-2 sentence summary. `c.conflicts` holds the checks for suspected errors,
/// most certain first. Written piece by piece into one string: the same text as
/// joining the sentences, with one allocation instead of one per piece.
pub fn summary(band: Band, concepts: &[ConceptResult], c: &Components) -> String {
    summary_holding_back(band, concepts, c, None)
}

/// Said after every grade of a question whose concepts were derived from a one-line
/// model answer (`Components::one_line_model_answer`) but the unsure ones, whose first
/// sentence says as much.
pub const ONE_LINE_NOTE: &str =
    "The model answer is one short line, so I checked its words, not whether your answer holds: compare yours with it.";

/// What the interviewer says when a follow-up asks about a missed concept it leaves
/// unnamed (see [`summary_holding_back`]).
pub const HELD_BACK_NOTE: &str = "The interviewer's follow-up asks about one more point.";

/// [`summary`], except that the missed concept `held_back` (the one a follow-up is
/// about to ask for) is not named: the feedback ends with [`HELD_BACK_NOTE`] instead,
/// so the learner recalls it rather than reading it above the follow-up.
pub fn summary_holding_back(band: Band, concepts: &[ConceptResult], c: &Components, held_back: Option<&str>) -> String {
    // The labels by status (covered, missed, contradicted), each group in concept order,
    // in one vector; a held-back missed concept is left out of its group.
    let mut labels: Vec<&str> = Vec::with_capacity(concepts.len());
    let mut ends = [0usize; 3];
    let mut held = false;
    for (k, s) in [ConceptStatus::Covered, ConceptStatus::Missed, ConceptStatus::Contradicted].into_iter().enumerate() {
        for r in concepts.iter().filter(|r| r.status == s) {
            if s == ConceptStatus::Missed && held_back == Some(r.label.as_str()) {
                held = true;
                continue;
            }
            labels.push(r.label.as_str());
        }
        ends[k] = labels.len();
    }
    let (covered, missed, wrong) = (&labels[..ends[0]], &labels[ends[0]..ends[1]], &labels[ends[1]..ends[2]]);
    let mut out = String::with_capacity(160);
    match band {
        _ if c.stuffing_factor < 0.7 && band != Band::Strong => {
            out.push_str("This reads as a list of terms, not an explanation.")
        }
        _ if c.circular_factor < 0.7 && band != Band::Strong => {
            out.push_str("Several sentences define a term by repeating its name.")
        }
        Band::Strong if covered.is_empty() => out.push_str("Strong answer."),
        // A one-line model answer gives the grader only its own few words (`scoring`).
        _ if c.short_reference => {
            out.push_str("The model answer to this question is one short line, and I can only recognise its own words");
            found(&mut out, covered, ", few of which you used", ", but not the others");
            out.push_str(
                ", so I cannot tell whether your answer in other words holds. Compare it with the model answer.",
            );
        }
        // A long explanation that names few of the concepts (`scoring`): as often right
        // as wrong out of sample, so no verdict.
        _ if c.own_words => {
            out.push_str("You explained this in your own words");
            found(
                &mut out,
                covered,
                ", and I could match few of them to the model answer's key terms",
                ", but few of the other key terms",
            );
            out.push_str(", so I cannot tell how complete it is.");
        }
        Band::Strong => {
            out.push_str("Strong answer: you covered ");
            covered_text(&mut out, covered, concepts.len());
            out.push('.');
        }
        Band::Partial if covered.is_empty() => out.push_str("Partly there."),
        Band::Partial => {
            out.push_str("Partly there: you covered ");
            covered_text(&mut out, covered, concepts.len());
            out.push('.');
        }
        Band::Weak | Band::OffTopic if c.relation_factor < 0.7 => match c.conflicts.len() {
            0 | 1 => out.push_str("The right terms are there, but one statement looks wrong."),
            _ => out.push_str("The right terms are there, but some statements look wrong."),
        },
        Band::Weak | Band::OffTopic if undecided(band, c) => {
            out.push_str("You explained this through a comparison (\"");
            out.push_str(c.comparison.as_deref().unwrap_or_default());
            // Not "this grade may undersell it": on a set written after this note, 16 of
            // the 37 answers shown it were wrong analogies or off topic.
            out.push_str("\"). I can only credit the subject's own terms, so I cannot tell whether it holds.");
        }
        // Said as what the grader could find, not as a verdict on the answer: a correct
        // answer in words unlike the model answer's lands here too (on real student
        // answers, about one correct answer in five scores below 0.5).
        Band::Weak => out.push_str("I found only a few of the key points in this answer."),
        Band::OffTopic => out.push_str("I could not find this question's key points in your answer."),
    }
    // The most useful single next step, in order of how much it costs the answer,
    // after a space (taken back if there is no next step).
    let first_len = out.len();
    out.push(' ');
    if c.stuffing_factor < 0.7 {
        // A bare list has no clauses, so its "bindings" mean nothing: say this first.
        out.push_str("Say what each one does and how they connect, in full sentences.");
    } else if c.circular_factor < 0.7 {
        out.push_str("Say what each term does or is for, in other words than the term itself.");
    } else if let Some(check) = c.conflicts.first() {
        out.push_str(check);
    } else if !wrong.is_empty() {
        out.push_str("Check what you said about ");
        list_some(&mut out, wrong);
        out.push_str(": the model answer says otherwise.");
    } else if !missed.is_empty() && (c.own_words || c.short_reference) {
        out.push_str("If you covered ");
        list_some(&mut out, missed);
        out.push_str(", press \"Mark as covered\" on each; naming them helps an interviewer follow you too.");
    } else if !missed.is_empty() && c.comparison.is_some() && matches!(band, Band::Weak | Band::OffTopic) {
        out.push_str("Say what each part stands for in those terms: start with ");
        list_some(&mut out, missed);
        out.push('.');
    } else if !missed.is_empty() && band == Band::OffTopic {
        // Said as the points they are: "Start with 15 minutes, timeout ..." read as an
        // instruction to spend 15 minutes (a walk-through).
        out.push_str("Key points to start with: ");
        list_some(&mut out, missed);
        out.push('.');
    } else if !missed.is_empty() {
        out.push_str(&next_time(missed));
    } else if held {
        // The follow-up is the next step (the note below says so).
    } else if !covered.is_empty() && c.raw < DETAIL_NOTE_BELOW {
        // Every key point is there, yet the score is not near full: say what else
        // counts, or "you covered all 7" next to 86/100 reads as a contradiction.
        out.push_str("The score also weighs how much of the model answer's detail you gave; compare it with yours.");
    }
    if out.len() == first_len + 1 {
        out.truncate(first_len);
    }
    // A low grade says so in its first sentence (`short_reference`); a higher one would
    // otherwise read as a verdict the grader cannot give.
    if c.one_line_model_answer && !c.short_reference {
        out.push(' ');
        out.push_str(ONE_LINE_NOTE);
    }
    if held {
        out.push(' ');
        out.push_str(HELD_BACK_NOTE);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(covered: usize, missed: usize) -> Vec<ConceptResult> {
        (0..covered + missed)
            .map(|i| ConceptResult {
                label: format!("point{i}"),
                status: if i < covered { ConceptStatus::Covered } else { ConceptStatus::Missed },
                spans: Vec::new(),
                hint: String::new(),
                weight: 1.0,
            })
            .collect()
    }

    fn clean() -> Components {
        Components { stuffing_factor: 1.0, relation_factor: 1.0, circular_factor: 1.0, ..Components::default() }
    }

    #[test]
    fn a_full_answer_below_full_marks_is_told_what_else_counts() {
        let all = results(5, 0);
        let full = summary(Band::Strong, &all, &Components { raw: 1.0, ..clean() });
        assert!(!full.contains("detail"), "{full}");
        let short = summary(Band::Strong, &all, &Components { raw: 0.8, ..clean() });
        assert!(short.contains("all 5 key points") && short.contains("model answer's detail"), "{short}");
        // A missed point is the next step, not the detail.
        let missed = summary(Band::Strong, &results(4, 1), &Components { raw: 0.8, ..clean() });
        assert!(missed.contains("Next time also explain") && !missed.contains("detail"), "{missed}");
    }

    #[test]
    fn an_off_topic_answer_is_given_the_key_points_to_start_with() {
        let mut r = results(0, 2);
        r[0].label = "15 minutes".to_string();
        let text = summary(Band::OffTopic, &r, &Components { raw: 0.05, ..clean() });
        assert!(text.contains("Key points to start with: 15 minutes"), "{text}");
    }

    #[test]
    fn a_missed_concept_named_explain_is_not_explained_twice() {
        let mut r = results(2, 1);
        r[2].label = "explain".to_string();
        let text = summary(Band::Partial, &r, &Components { raw: 0.5, ..clean() });
        assert!(text.contains("Next time also mention explain") && !text.contains("explain explain"), "{text}");
    }

    #[test]
    fn summary_counts_the_suspected_errors_and_shows_the_first_check() {
        let check = "Check: is \"kernel\" true of the a, or of the b?".to_string();
        let tied = Components { relation_factor: 0.5, conflicts: vec![check.clone()], ..clean() };
        let s = summary(Band::Weak, &results(1, 1), &tied);
        assert!(s.contains("one statement looks wrong") && s.contains(&check), "{s}");
        let two = Components { conflicts: vec![check.clone(), check.clone()], ..tied };
        let s = summary(Band::Weak, &results(1, 1), &two);
        assert!(s.contains("some statements look wrong"), "{s}");
    }

    /// Over every band, note and number of concepts: holding a missed concept back
    /// leaves its label out of the text, names every other label the plain summary
    /// names, and says a follow-up asks about one more point; a concept that was not
    /// missed is never held back.
    #[test]
    fn a_held_back_concept_is_never_named_and_everything_else_still_is() {
        let notes = [
            clean(),
            Components { own_words: true, ..clean() },
            Components { short_reference: true, one_line_model_answer: true, ..clean() },
            Components { one_line_model_answer: true, ..clean() },
            Components { comparison: Some("Think of a kitchen".into()), ..clean() },
            Components { raw: 0.5, ..clean() },
            Components { stuffing_factor: 0.5, ..clean() },
        ];
        let mut held_back = 0;
        for band in [Band::Strong, Band::Partial, Band::Weak, Band::OffTopic] {
            for c in &notes {
                for (covered, missed) in [(0, 1), (1, 1), (3, 1), (0, 4), (2, 5), (5, 2)] {
                    let r = results(covered, missed);
                    let plain = summary(band, &r, c);
                    // A grade of a one-line model answer's question says what was checked
                    // (the unsure ones in their first sentence), before any held-back note.
                    let one_line = c.one_line_model_answer && !c.short_reference;
                    assert_eq!(plain.ends_with(ONE_LINE_NOTE), one_line, "{plain}");
                    for h in &r {
                        let text = summary_holding_back(band, &r, c, Some(&h.label));
                        if h.status != ConceptStatus::Missed {
                            assert_eq!(text, plain, "only a missed concept is held back");
                            continue;
                        }
                        held_back += 1;
                        assert!(!text.contains(h.label.as_str()), "{text}");
                        assert!(text.ends_with(HELD_BACK_NOTE), "{text}");
                        for other in r.iter().filter(|o| o.label != h.label) {
                            // "and 2 more" may stand for a label once one less is listed.
                            if plain.contains(other.label.as_str()) && !plain.contains(" more") {
                                assert!(text.contains(other.label.as_str()), "{} left out: {text}", other.label);
                            }
                        }
                    }
                }
            }
        }
        assert!(held_back > 300, "{held_back}");
    }

    #[test]
    fn summary_never_passes_a_partial_list_off_as_complete() {
        let all = summary(Band::Strong, &results(6, 0), &clean());
        assert!(all.contains("all 6 key points"), "{all}");
        let some = summary(Band::Strong, &results(5, 1), &clean());
        assert!(some.contains("point0, point1, point2 and 2 more"), "{some}");
        let few = summary(Band::Partial, &results(2, 5), &clean());
        assert!(few.contains("you covered point0 and point1."), "{few}");
        assert!(few.contains("point2, point3, point4 and 2 more"), "{few}");
    }

    /// Comparisons are found by their opening words wherever they stand, quoted within
    /// their sentence; "like" as a verb or before a term, and "picture" as a noun, are
    /// not comparisons.
    #[test]
    fn comparisons_are_found_by_their_openings_and_quoted() {
        let found = [
            ("Think of a process as a whole restaurant kitchen.", "Think of a process as a whole restaurant kitchen"),
            (
                "Imagine a noticeboard where anyone can pin a note, and more.",
                "Imagine a noticeboard where anyone can pin a note…",
            ),
            ("So, picture four cars at a crossroads.", "picture four cars at a crossroads"),
            (
                "It's a bit like someone slipping a cheque into a pile.",
                "It's a bit like someone slipping a cheque into a pile",
            ),
            ("The best analogy I know is a library.", "analogy I know is a library"),
        ];
        for (answer, quote) in found {
            let tokens = super::super::text::analyze(answer);
            assert_eq!(comparison(answer, &tokens).as_deref(), Some(quote), "{answer}");
        }
        for answer in [
            "I like the idea of a readiness probe.",
            "Languages like Go compile to one binary.",
            "That is the big picture: pods and nodes.",
            "I think the scheduler picks a node.",
            "Looks like a bug in the probe.",
            "A mutex is like the single key to the toilet.",
        ] {
            let tokens = super::super::text::analyze(answer);
            assert_eq!(comparison(answer, &tokens), None, "{answer}");
        }
    }

    /// A low grade of an answer that makes a comparison says why and what to do; the
    /// same answer graded higher reads as before.
    #[test]
    fn a_low_grade_of_a_comparison_says_why() {
        let compared = Components { comparison: Some("Think of a kitchen".into()), ..clean() };
        for band in [Band::Weak, Band::OffTopic] {
            let s = summary(band, &results(0, 3), &compared);
            assert!(s.starts_with("You explained this through a comparison (\"Think of a kitchen\")"), "{s}");
            assert!(s.contains("start with point0, point1 and point2."), "{s}");
        }
        let partial = summary(Band::Partial, &results(2, 1), &compared);
        assert_eq!(partial, summary(Band::Partial, &results(2, 1), &clean()));
        // A list of terms is named first.
        let listed = summary(Band::Weak, &results(1, 2), &Components { stuffing_factor: 0.3, ..compared });
        assert!(listed.starts_with("This reads as a list of terms"), "{listed}");
    }

    /// An answer discounted for circular definitions is told so, and what to do
    /// instead, unless it is strong all the same; a list of terms is named first.
    #[test]
    fn summary_names_circular_definitions() {
        let circular = Components { circular_factor: 0.25, circular_share: 0.8, ..clean() };
        for band in [Band::Partial, Band::Weak, Band::OffTopic] {
            let s = summary(band, &results(4, 2), &circular);
            assert!(s.starts_with("Several sentences define a term by repeating its name."), "{s}");
            assert!(s.contains("in other words than the term itself"), "{s}");
        }
        let strong = summary(Band::Strong, &results(6, 0), &circular);
        assert!(strong.starts_with("Strong answer"), "{strong}");
        let listed = summary(Band::Weak, &results(4, 2), &Components { stuffing_factor: 0.3, ..circular });
        assert!(listed.starts_with("This reads as a list of terms"), "{listed}");
        let plain = summary(Band::Partial, &results(4, 2), &clean());
        assert!(!plain.contains("repeating its name"), "{plain}");
    }
}
