//! Self-corrections. Candidates correct themselves as they speak ("docker stop sends
//! SIGKILL, no, sorry, SIGTERM first"; "Actually no, I have that backwards: ..."), and
//! a grader that reads both versions credits the one taken back and may call the
//! final one a contradiction of it. What a marker takes back is dropped before
//! grading, so the answer is graded on what the candidate finally commits to.
//!
//! Only explicit markers count: "no" between commas after "actually", "wait", "well",
//! "hmm" or before "sorry" or "wait" (", no wait," with a pause on both sides); "sorry, I mean"; "scratch that"; "let me correct
//! that"; "I should correct myself"; "I have that backwards" (swapped, mixed up,
//! wrong); "I mixed them up"; "let me rephrase" (restart, start over, try again);
//! "Or rather," opening a sentence; "it's the other way
//! round" (only opening a sentence:
//! "with pull it's the other way round" is a contrast). A marker takes back what
//! precedes it in its sentence, or the whole sentence before when it opens one, and
//! itself ("no" would otherwise deny the words after it); nothing further back. A
//! spoken "no" inside a sentence (", no wait,", "no, sorry", "sorry, I mean") replaces
//! only the clause it follows: "as env vars or, no wait, mounted files" keeps what the
//! sentence said before that clause.
use std::ops::Range;

use super::text::{clause_start, sentence_start, Token};

/// Words after which "no," takes back ("actually, no, ...", "wait, no, ...").
const BEFORE_NO: &[&str] = &["actually", "wait", "well", "hmm", "oh", "oops", "uh", "um"];
/// Words that may come before a marker that opens a sentence
/// ("Or rather, I think I mixed them up").
const INTERJECTIONS: &[&str] = &[
    "actually", "wait", "well", "hmm", "oh", "oops", "uh", "um", "so", "okay", "ok", "sorry", "no", "or", "rather",
    "i", "think", "guess",
];
/// Words that make "no," take back when they follow it ("no, sorry, ...", "no, wait").
const AFTER_NO: &[&str] = &["sorry", "wait"];
/// Objects of "I have ... backwards" and "I mixed ... up".
const PRONOUNS: &[&str] = &["that", "it", "them", "those", "these", "this", "both"];
/// How an object is had wrong ("I have that backwards", "I got those swapped").
const WRONGLY: &[&str] = &["backwards", "backward", "swapped", "reversed", "mixed", "wrong", "confused", "flipped"];

/// Token ranges taken back by self-corrections, each ending after its marker; sorted
/// and disjoint. `text` is the string the tokens index.
fn retracted(tokens: &[Token], text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(marker) = marker_at(tokens, text, i) else {
            i += 1;
            continue;
        };
        let start = sentence_start(tokens, marker.start);
        // Interjections before the marker ("Hmm, well, actually no") do not make it
        // take back less.
        let opens = (start..marker.start).all(|j| INTERJECTIONS.contains(&&*tokens[j].surface));
        // "It's the other way round" takes back only when it opens its sentence: "with
        // pull it's the other way round" states a contrast.
        if !opens && tokens[marker.clone()].iter().any(|t| &*t.surface == "other") {
            i += 1;
            continue;
        }
        // A marker that opens its sentence takes back the sentence before. Inside a
        // sentence, "I have that backwards" and the like revise the whole statement so
        // far, but a spoken "no" ("no, wait", "no, sorry", "sorry, I mean") replaces
        // only the clause it follows ("you pass secrets at runtime, as env vars or, no
        // wait, mounted files" takes back "as env vars or", not the runtime).
        let phrase =
            tokens[marker.clone()].iter().any(|t| &*t.surface == "no") || &*tokens[marker.start].surface == "sorry";
        let from = if opens && start > 0 {
            sentence_start(tokens, start - 1)
        } else if opens || !phrase {
            start
        } else {
            let mut k = marker.start - 1;
            while k > start && INTERJECTIONS.contains(&&*tokens[k].surface) {
                k -= 1;
            }
            clause_start(tokens, k)
        };
        // Merged with the ranges it overlaps ("actually no, I have that backwards"
        // reaches further back than the "no" before it).
        let mut range = from..marker.end;
        while let Some(last) = out.last() {
            if last.end < range.start {
                break;
            }
            range = range.start.min(last.start)..range.end.max(last.end);
            out.pop();
        }
        out.push(range);
        i = marker.end;
    }
    out
}

/// Removes the tokens that self-corrections take back (see [`retracted`]).
pub fn drop_retracted(tokens: &mut Vec<Token>, text: &str) {
    let ranges = retracted(tokens, text);
    if ranges.is_empty() {
        return;
    }
    let mut k = 0;
    let mut ranges = ranges.iter().peekable();
    tokens.retain(|_| {
        while ranges.peek().is_some_and(|r| r.end <= k) {
            ranges.next();
        }
        let keep = !ranges.peek().is_some_and(|r| r.contains(&k));
        k += 1;
        keep
    });
}

/// The words a marker may open with: those of the `match` at the top of [`marker_at`]
/// (a word added there must be added here too, or [`may_open`] turns it away).
const OPENERS: [&str; 21] = [
    "actually", "wait", "well", "hmm", "oh", "oops", "uh", "um", "no", "sorry", "scratch", "correct", "fix", "i",
    "i've", "i'd", "it's", "its", "it", "or", "let",
];

/// Per first byte, bit `n` set when an [`OPENERS`] word of `n` bytes starts with it.
static OPENER_STARTS: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut k = 0;
    while k < OPENERS.len() {
        let word = OPENERS[k].as_bytes();
        table[word[0] as usize] |= 1 << word.len();
        k += 1;
    }
    table
};

/// False when `word` is certainly none of [`OPENERS`]: no opener has its first byte and
/// its length. One table read turns most words away before any string comparison.
#[inline]
fn may_open(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() < 16 && b.first().is_some_and(|&c| OPENER_STARTS[usize::from(c)] & (1 << b.len()) != 0)
}

/// The marker that starts at token `i`, as a token range, if one does.
fn marker_at(tokens: &[Token], text: &str, i: usize) -> Option<Range<usize>> {
    let w = |k: usize| tokens.get(k).map_or("", |t| &*t.surface);
    if !may_open(w(i)) {
        return None;
    }
    // Every marker opens with one of these words ([`BEFORE_NO`] and the first words of
    // the cases below; the same as [`OPENERS`]); most words are none of them, and one
    // `match` tells.
    if !matches!(
        w(i),
        "actually"
            | "wait"
            | "well"
            | "hmm"
            | "oh"
            | "oops"
            | "uh"
            | "um"
            | "no"
            | "sorry"
            | "scratch"
            | "correct"
            | "fix"
            | "i"
            | "i've"
            | "i'd"
            | "it's"
            | "its"
            | "it"
            | "or"
            | "let"
    ) {
        return None;
    }
    let same_sentence = |a: usize, b: usize| b < tokens.len() && tokens[a].sentence == tokens[b].sentence;
    // Punctuation (or the end of the text) right after token `k`: "no," not "no node".
    let pause_after = |k: usize| {
        let rest = match tokens.get(k + 1) {
            Some(next) if next.sentence == tokens[k].sentence => text.get(tokens[k].end..next.start).unwrap_or(""),
            _ => return true,
        };
        rest.chars().any(|c| matches!(c, ',' | ':' | ';' | '-' | '\u{2014}' | '\u{2013}' | '.' | '!' | '?'))
    };
    let one_of = |k: usize, words: &[&str]| words.contains(&w(k));
    // "actually, no," / "wait no," / "no, sorry," / "no, wait"
    if one_of(i, BEFORE_NO) && w(i + 1) == "no" && same_sentence(i, i + 1) && pause_after(i + 1) {
        let end = if one_of(i + 2, AFTER_NO) && same_sentence(i, i + 2) { i + 3 } else { i + 2 };
        return Some(i..end);
    }
    if w(i) == "no" && pause_after(i) && one_of(i + 1, AFTER_NO) && same_sentence(i, i + 1) {
        return Some(i..i + 2);
    }
    // ", no wait," and "no sorry," spoken as one: a pause on both sides ("there's no
    // wait, it's warm" has none before "no").
    if w(i) == "no" && one_of(i + 1, AFTER_NO) && same_sentence(i, i + 1) && pause_after(i + 1) {
        let pause_before = i == 0
            || tokens[i - 1].sentence != tokens[i].sentence
            || text
                .get(tokens[i - 1].end..tokens[i].start)
                .is_some_and(|gap| gap.chars().any(|c| matches!(c, ',' | ';' | '-' | '\u{2014}' | '\u{2013}')));
        if pause_before {
            return Some(i..i + 2);
        }
    }
    // "sorry, I mean", "sorry, I meant"
    if w(i) == "sorry" && w(i + 1) == "i" && matches!(w(i + 2), "mean" | "meant") && same_sentence(i, i + 2) {
        return Some(i..i + 3);
    }
    // "Or rather," opening a sentence: what the sentence before said is revised ("The
    // shell forwards signals. Or rather, it doesn't: ..."). Inside a sentence it only
    // narrows a word ("a process, or rather a group of them").
    if w(i) == "or"
        && w(i + 1) == "rather"
        && pause_after(i + 1)
        && same_sentence(i, i + 1)
        && (i == 0 || tokens[i - 1].sentence != tokens[i].sentence)
    {
        return Some(i..i + 2);
    }
    // "let me rephrase", "let me restart", "let me start over", "let me try again"
    if w(i) == "let" && w(i + 1) == "me" && same_sentence(i, i + 2) {
        let end = match (w(i + 2), w(i + 3)) {
            ("rephrase" | "restart", _) => i + 3,
            ("start", "over" | "again") | ("try", "again") if same_sentence(i, i + 3) => i + 4,
            _ => return None,
        };
        // "let me rephrase that," takes its object along; otherwise a pause must follow
        // ("let me restart the pod" is an action, not a self-correction).
        let end = if matches!(w(end), "that" | "this") && same_sentence(i, end) && !pause_after(end - 1) {
            end + 1
        } else {
            end
        };
        return pause_after(end - 1).then_some(i..end);
    }
    // "scratch that"
    if w(i) == "scratch" && w(i + 1) == "that" {
        return Some(i..i + 2);
    }
    // "let me correct that", "let me fix that", "I should correct myself", "correct myself"
    if matches!(w(i), "correct" | "fix")
        && (w(i + 1) == "myself"
            || ((matches!(w(i + 1), "that" | "this") && pause_after(i + 1))
                && (w(i.wrapping_sub(1)) == "me" || w(i.wrapping_sub(2)) == "i")))
    {
        let start = if w(i.wrapping_sub(1)) == "me" && w(i.wrapping_sub(2)) == "let" { i - 2 } else { i };
        return Some(start..i + 2);
    }
    // "I have that backwards", "I've got those swapped", "I mixed them up", "I mixed up"
    if matches!(w(i), "i" | "i've" | "i'd") {
        let mut k = i + 1;
        if matches!(w(k), "have" | "had" | "got" | "mixed" | "swapped") {
            k += 1;
        } else if w(i) == "i" {
            return None;
        }
        if w(k) == "got" {
            k += 1;
        }
        if w(k) == "up" && w(k - 1) == "mixed" {
            return Some(i..k + 1);
        }
        if !one_of(k, PRONOUNS) {
            return None;
        }
        let how = k + 1;
        if one_of(how, WRONGLY) && same_sentence(i, how) {
            let end = if w(how + 1) == "up" { how + 2 } else { how + 1 };
            return Some(i..end);
        }
        if matches!(w(k - 1), "mixed" | "swapped") {
            let end = if w(how) == "up" { how + 1 } else { how };
            return Some(i..end);
        }
        return None;
    }
    // "it's the other way round", "it is actually the other way around"
    if matches!(w(i), "it's" | "its" | "it") {
        let mut k = i + 1;
        if w(i) == "it" {
            if w(k) != "is" {
                return None;
            }
            k += 1;
        }
        if w(k) == "actually" {
            k += 1;
        }
        if w(k) == "the" && w(k + 1) == "other" && w(k + 2) == "way" && same_sentence(i, k + 2) {
            let end = if matches!(w(k + 3), "round" | "around") { k + 4 } else { k + 3 };
            return Some(i..end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::text::analyze;
    use super::*;

    fn words(tokens: &[Token]) -> String {
        tokens.iter().map(|t| &*t.surface).collect::<Vec<_>>().join(" ")
    }

    /// The answer's words left after self-corrections are dropped.
    fn kept(text: &str) -> String {
        let mut tokens = analyze(text);
        drop_retracted(&mut tokens, text);
        words(&tokens)
    }

    /// The table test lets through every opener (each one token as written) and turns
    /// common words away.
    #[test]
    fn every_opener_passes_the_table_test() {
        for word in OPENERS {
            assert!(may_open(word), "{word}");
            let text = format!("{word} x");
            let tokens = analyze(&text);
            assert_eq!(&*tokens[0].surface, word, "{word} is one token");
        }
        for word in ["the", "and", "pod", "container", "", "iiiiiiiiiiiiiiiiiiii"] {
            assert!(!may_open(word), "{word}");
        }
    }

    /// The quick test at the top of `marker_at` lets through every word a marker may
    /// open with.
    #[test]
    fn the_marker_words_pass_the_quick_test() {
        for word in BEFORE_NO {
            let text = format!("{word} no, it restarts");
            assert_eq!(kept(&text), "it restarts", "{text}");
        }
    }

    #[test]
    fn a_marker_takes_back_what_precedes_it_in_its_sentence() {
        assert_eq!(
            kept("PID 1 gets signals. Docker stop sends SIGKILL, no, sorry, SIGTERM first."),
            "pid 1 gets signals sigterm first"
        );
        // A spoken "no" replaces the clause it follows; "I have that backwards" the
        // whole statement so far.
        assert_eq!(kept("It is cheap. Costs rise when traffic is, wait, no, steady."), "it is cheap costs rise steady");
        assert_eq!(
            kept("Secrets go in at runtime, as env vars or, no wait, as mounted files."),
            "secrets go in at runtime as mounted files"
        );
        assert_eq!(
            kept("An image runs, and the container is, actually no, I have that backwards: the image is the template."),
            "the image is the template"
        );
        assert_eq!(kept("The image is the running one, sorry, I mean the container."), "the container");
        assert_eq!(
            kept("A Deployment sits above that. It manages pods directly, no wait, it manages replicas."),
            "a deployment sits above that it manages replicas"
        );
        // "no wait" as words of the sentence, with no pause before it, takes nothing back.
        assert_eq!(
            kept("With provisioned concurrency there's no wait, it's warm."),
            "with provisioned concurrency there's no wait it's warm"
        );
    }

    #[test]
    fn a_marker_that_opens_a_sentence_takes_back_the_sentence_before_only() {
        assert_eq!(
            kept("Pods run containers. Requests cap usage. Actually no, I mixed them up: limits cap usage."),
            "pods run containers limits cap usage"
        );
        assert_eq!(
            kept("A. The readiness probe restarts it. Hmm, actually, no, it's the other way round: liveness does."),
            "a liveness does"
        );
        assert_eq!(kept("CMD is fixed. I have that backwards. ENTRYPOINT is fixed."), "entrypoint is fixed");
        assert_eq!(kept("Base64 is encryption. Let me correct that: it is encoding."), "it is encoding");
        assert_eq!(kept("The shell forwards signals. Or rather, it swallows them."), "it swallows them");
        assert_eq!(kept("Eventual means reads are fresh. Sorry, let me restart: that is strong."), "that is strong");
        assert_eq!(kept("Replicas agree at once, wait, let me rephrase, they converge."), "they converge");
        assert_eq!(kept("It is fast. Let me start over. It is cheap."), "it is cheap");
    }

    #[test]
    fn plain_uses_of_the_same_words_take_nothing_back() {
        for text in [
            "No node in a circular list contains null, actually.",
            "Actually no container is needed for that.",
            "There is no wait, the call returns at once.",
            "I don't know that one, sorry.",
            "If the pod is OOMKilled you need to fix that by raising the limit.",
            "You can traverse it forwards and backwards.",
            "Is it the other way? No, that's right: the image is read-only.",
            "I have those two configured in the chart.",
            "Scratch space lives in an emptyDir volume.",
            "I had it running in a minute.",
            "With push the server sends the data; with pull it's the other way around.",
            "A pod is one container, or rather, a group of them sharing a network.",
            "Use the exec form or rather than the shell form, a script that ends in exec.",
            "Let me explain how the cache works: layers are reused.",
            "Then let me restart the pod with kubectl and watch it come back.",
            "Let me try again with a bigger limit and see whether it still gets killed.",
        ] {
            assert_eq!(kept(text), words(&analyze(text)), "{text}");
        }
    }
}
