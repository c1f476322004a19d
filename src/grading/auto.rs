//! Automatic concepts when an author gave none: the reference's most salient content
//! words, weighted by IDF (or the built-in word lists without a corpus), with words
//! that merely echo the question demoted (saying "pod" back to a pod question shows
//! little).

use std::sync::OnceLock;

use super::fxhash::{FastMap, FastSet};

use super::lexicon::lexicon;
use super::similarity::Weighter;
use super::text::{analyze, denial_cue, Token};
use super::Concept;

/// Echoing the question is worth this fraction of a fresh term.
const ECHO_FACTOR: f64 = 0.35;
/// Each earlier pick from the same reference sentence discounts a candidate by this.
const SPREAD_FACTOR: f64 = 0.7;

/// Without a corpus there is no IDF; longer words are on average rarer and more
/// specific, so they get a mild preference.
fn length_prior(w: &Weighter, surface: &str) -> f64 {
    if w.has_corpus() {
        1.0
    } else {
        (0.6 + 0.04 * surface.chars().count() as f64).min(1.0)
    }
}

/// Derived concepts with their weights, most salient first.
pub fn derive(question: &[Token], reference: &[Token], w: &Weighter) -> Vec<(Concept, f64)> {
    let lex = lexicon();
    let asked: FastSet<&str> = question.iter().map(|t| &*t.stem).collect();
    // stem -> (count, first surface, first position)
    let mut stats: FastMap<&str, (usize, &str, usize)> = FastMap::default();
    for (i, t) in reference.iter().enumerate() {
        if t.stop
            || t.common
            || lex.question.contains(&*t.surface)
            || lex.generic.contains(&*t.surface)
            || fragment(reference, i)
            || t.stem.chars().count() < 2
            || t.stem.chars().all(|c| c.is_ascii_digit())
        {
            continue;
        }
        let e = stats.entry(&*t.stem).or_insert((0, &*t.surface, i));
        e.0 += 1;
    }
    // Words the reference only ever uses in one of three ways are no concepts (a study
    // group's walk-through found each of them as a concept, then in follow-ups and the
    // weak-concept list):
    // - a general verb used as a verb ("any change *produces* a new hash", "it *returns*
    //   the Cartesian product"; `data/verbs.txt`) connects terms and names none;
    // - a word of an example ("e.g. for video calls", "for example to match each
    //   employee with their manager") is one illustration among many a learner could
    //   give;
    // - a word the reference denies ("with no file name or permissions"): a right answer
    //   denies it too, and a denied mention covers nothing, while a wrong answer that
    //   grants it ("it stores the permissions") would cover it.
    // A word also used plainly elsewhere ("the join condition") stays.
    let examples = example_tokens(reference);
    let denied = denied_tokens(reference);
    let mut plain: FastSet<&str> = FastSet::default();
    for (i, t) in reference.iter().enumerate() {
        if stats.contains_key(&*t.stem) && !examples[i] && !denied[i] && !general_verb(reference, i) {
            plain.insert(&*t.stem);
        }
    }
    let mut scored: Vec<(f64, usize, &str, &str)> = stats
        .into_iter()
        .filter(|(stem, _)| plain.contains(stem))
        .map(|(stem, (count, surface, pos))| {
            let echo = if asked.contains(stem) { ECHO_FACTOR } else { 1.0 };
            let s = w.idf(stem) * (1.0 + (count as f64).ln()) * echo * length_prior(w, surface);
            (s, pos, stem, surface)
        })
        .collect();
    // Deterministic order: score, then first position in the reference.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let k = (scored.len() / 4).clamp(4, 8).min(scored.len());
    let max = scored.first().map_or(1.0, |s| s.0).max(1e-9);
    // Spread the picks over the reference's sentences: a model answer makes one point
    // per sentence or so, and the first sentence alone is not the whole answer.
    let mut picked: Vec<(f64, usize, &str, &str)> = Vec::with_capacity(k);
    let mut used: FastMap<u32, u32> = FastMap::default();
    let mut rest = scored;
    while picked.len() < k && !rest.is_empty() {
        let spread = |c: &(f64, usize, &str, &str)| {
            let n = used.get(&reference[c.1].sentence).copied().unwrap_or(0);
            c.0 * SPREAD_FACTOR.powi(n as i32)
        };
        let best =
            (0..rest.len()).max_by(|&a, &b| spread(&rest[a]).total_cmp(&spread(&rest[b])).then(b.cmp(&a))).unwrap_or(0);
        let c = rest.remove(best);
        *used.entry(reference[c.1].sentence).or_insert(0) += 1;
        picked.push(c);
    }
    let picked_stems: Vec<&str> = picked.iter().map(|c| c.2).collect();
    let mut out: Vec<(Concept, f64)> = Vec::with_capacity(picked.len());
    for (s, pos, _, surface) in picked {
        let weight = 0.5 + 0.5 * s / max;
        // A readable phrase label when the neighbour is salient too ("desired state");
        // matching stays lenient because the single word remains an alternative.
        let phrase = phrase_around(reference, pos)
            .filter(|(p, other)| picked_stems.contains(&other.as_str()) && occurrences(reference, p) >= 1)
            .map(|(p, _)| p);
        if let Some(p) = &phrase {
            // Two picks that form one phrase become one concept.
            if let Some((c, w)) = out.iter_mut().find(|(c, _)| &c.label == p) {
                c.alternatives.push(surface.to_string());
                *w = w.max(weight);
                continue;
            }
        }
        // A single word is shown as the word, not its possessive ("project", not
        // "project's"): the label is what feedback names.
        let word = surface.strip_suffix("'s").filter(|w| !w.is_empty()).unwrap_or(surface);
        let label = phrase.unwrap_or_else(|| word.to_string());
        let mut alternatives = vec![label.clone()];
        if label != surface {
            alternatives.push(surface.to_string());
        }
        out.push((Concept { label, alternatives, hint: None }, weight));
    }
    out
}

/// For each token, whether it is part of an example: after "e.g.", "for example", "for
/// instance" or "such as", to the end of the sentence or up to a clause that opens with
/// a clause word ("..., so reads are fast").
fn example_tokens(tokens: &[Token]) -> Vec<bool> {
    let mut out = vec![false; tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        let cue = match &*tokens[i].surface {
            "e.g" | "eg" => Some(1),
            "for" if tokens.get(i + 1).is_some_and(|n| matches!(&*n.surface, "example" | "instance")) => Some(2),
            "such" if tokens.get(i + 1).is_some_and(|n| &*n.surface == "as") => Some(2),
            _ => None,
        };
        let Some(len) = cue else {
            i += 1;
            continue;
        };
        let mut j = i + len;
        // The sentence of what follows the cue: "e.g." ends one with its full stop.
        let Some(sentence) = tokens.get(j).map(|t| t.sentence) else {
            break;
        };
        let cue_clause = tokens[i].clause;
        while j < tokens.len()
            && tokens[j].sentence == sentence
            && !(tokens[j].clause_word && tokens[j].clause != cue_clause && j > i + len)
        {
            out[j] = true;
            j += 1;
        }
        i = j.max(i + 1);
    }
    out
}

/// For each token, whether the reference denies it: a negation reaches it
/// ([`denial_cue`]), it continues a denied compound ("no file *name*"), or it is joined
/// by "or" to a denied word ("no file name *or permissions*").
fn denied_tokens(tokens: &[Token]) -> Vec<bool> {
    let mut out = vec![false; tokens.len()];
    for i in 0..tokens.len() {
        let (t, clause) = (&tokens[i], tokens[i].clause);
        out[i] = denial_cue(tokens, i).is_some()
            || (i >= 1 && !t.stop && !tokens[i - 1].stop && tokens[i - 1].clause == clause && out[i - 1])
            || (i >= 2
                && matches!(&*tokens[i - 1].surface, "or" | "nor")
                && tokens[i - 2].clause == clause
                && out[i - 2]);
    }
    out
}

/// Stems of the general verbs of `data/verbs.txt`.
fn verb_stems() -> &'static FastSet<String> {
    static VERBS: OnceLock<FastSet<String>> = OnceLock::new();
    VERBS.get_or_init(|| {
        include_str!("data/verbs.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|w| analyze(w).first().map(|t| t.stem.to_string()))
            .collect()
    })
}

/// Whether token `i` is a general verb ([`verb_stems`]) used as a verb: before an
/// article, a possessive, a number or a quantifier ("produces a new hash", "maps each
/// key"), before a particle ("speeds up reads"), or as a participle or third person
/// before a preposition ("is computed from", "points to one tree").
fn general_verb(tokens: &[Token], i: usize) -> bool {
    const OBJECT_OPENERS: &[&str] = &[
        "a", "an", "the", "its", "their", "your", "our", "his", "her", "my", "this", "that", "these", "those", "each",
        "every", "any", "all", "some", "no", "one", "two", "three", "both", "many", "several", "another",
    ];
    const PARTICLES: &[&str] = &["up", "down", "out", "off", "back", "over"];
    const PREPOSITIONS: &[&str] =
        &["from", "by", "to", "into", "in", "on", "at", "with", "for", "as", "through", "across", "onto", "over"];
    let t = &tokens[i];
    if !verb_stems().contains(&*t.stem) {
        return false;
    }
    let Some(next) = tokens.get(i + 1).filter(|n| n.clause == t.clause) else {
        return false;
    };
    let next = &*next.surface;
    let inflected = t.surface.ends_with("ed") || t.surface.ends_with('s');
    OBJECT_OPENERS.contains(&next) || PARTICLES.contains(&next) || (inflected && PREPOSITIONS.contains(&next))
}

/// Whether the token is a scrap of a written word: a part of one or two letters of a
/// camelCase or acronym split ("Vo" of "VoIP", "QL" of "GraphQL"), touching its
/// neighbour with no space between, or a second word the synonym table read into the
/// same written words ("balancer" of "LoadBalancer" carries the span, and the surface,
/// of "load"). Such a scrap means nothing alone as a label; longer parts are words
/// ("cluster" of "ClusterIP") and stay.
fn fragment(tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    let prev = i.checked_sub(1).map(|p| &tokens[p]);
    if prev.is_some_and(|p| p.start == t.start) {
        return true;
    }
    if t.surface.chars().count() > 2 {
        return false;
    }
    let touches = |n: &Token| n.start != t.start && (n.end == t.start || n.start == t.end);
    prev.is_some_and(touches) || tokens.get(i + 1).is_some_and(touches)
}

/// How often a two-word phrase occurs in the text (folded surfaces).
fn occurrences(tokens: &[Token], phrase: &str) -> usize {
    tokens
        .windows(2)
        .filter(|w| {
            let (a, b) = phrase.split_once(' ').unwrap_or((phrase, ""));
            *w[0].surface == *a && *w[1].surface == *b
        })
        .count()
}

/// The content-word phrase a derived term sits in ("desired state", "host kernel"):
/// the term and its content-word neighbour in the same clause, with that neighbour's
/// stem.
fn phrase_around(reference: &[Token], pos: usize) -> Option<(String, String)> {
    let t = &reference[pos];
    // A neighbour over the same written words is another reading of them ("load
    // balancer" read from "LoadBalancer"), not a second word.
    let usable = |n: &&Token| !n.stop && !n.common && n.clause == t.clause && n.start != t.start;
    // Prefer the word that follows: modifiers come first ("rolling" -> "rolling updates").
    if let Some(n) = reference.get(pos + 1).filter(usable) {
        return Some((format!("{} {}", t.surface, n.surface), n.stem.to_string()));
    }
    let p = reference.get(pos.checked_sub(1)?).filter(usable)?;
    Some((format!("{} {}", p.surface, t.surface), p.stem.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::text::analyze;
    use super::*;

    #[test]
    fn derives_salient_terms_and_demotes_echoes() {
        let q = analyze("What does a liveness probe do?");
        let r = analyze(
            "A liveness probe lets the kubelet restart a deadlocked container; restart \
             happens after repeated failures of the probe.",
        );
        let got = derive(&q, &r, &Weighter::default());
        let labels: Vec<&str> = got.iter().map(|(c, _)| c.label.as_str()).collect();
        assert_eq!(labels[0], "restart", "{labels:?}");
        assert!(labels.len() >= 3, "{labels:?}");
    }
}

#[cfg(test)]
mod label_tests {
    use super::super::text::analyze;
    use super::*;

    #[test]
    fn a_possessive_is_labelled_by_its_word() {
        let q = analyze("What does Compose do?");
        let r = analyze("Compose names the network after the project's folder. Each service reads the project's file.");
        let got = derive(&q, &r, &Weighter::default());
        let labels: Vec<&str> = got.iter().map(|(c, _)| c.label.as_str()).collect();
        assert!(labels.iter().all(|l| !l.ends_with("'s")), "{labels:?}");
        assert!(labels.contains(&"project"), "{labels:?}");
    }
}

#[cfg(test)]
mod use_tests {
    use super::super::text::analyze;
    use super::*;

    fn labels(question: &str, reference: &str) -> Vec<String> {
        derive(&analyze(question), &analyze(reference), &Weighter::default())
            .into_iter()
            .map(|(c, _)| c.label)
            .collect()
    }

    /// From a study group's walk-through: concepts derived from one-sentence notes were
    /// general verbs ("produces", "computed", "returns"), a determiner ("another"), the
    /// notes' own example ("employee") and a thing the answer denies ("permissions", which
    /// a wrong answer granting it then covered). They drove follow-ups ("where does
    /// produces come into this?") and the weak-concept list.
    #[test]
    fn derived_concepts_are_terms_not_connecting_verbs_examples_or_denials() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "Why can't you change an old commit without changing its hash?",
                "The hash is computed from the commit's content including its parent's hash, so any change \
                 produces a new hash for it and every later commit.",
                &["computed", "produces"],
            ),
            (
                "What does a tree object store?",
                "A tree is a directory listing: each entry has a mode, a name and the hash of a blob or another tree.",
                &["another"],
            ),
            (
                "What is a self join used for?",
                "Joining a table to itself with two aliases, for example to match each employee with their manager in \
                 the same table.",
                &["employee", "manager"],
            ),
            (
                "What is a blob in Git?",
                "A blob stores the raw contents of a file, with no file name or permissions; it is identified by the \
                 hash of its content.",
                &["permissions", "stores", "identified"],
            ),
            (
                "What is a CROSS JOIN?",
                "It returns the Cartesian product: every row of the first table paired with every row of the second.",
                &["returns"],
            ),
            (
                "How does a hash table work?",
                "A hash function maps each key to a bucket index in an array. Collisions are handled by chaining or \
                 open addressing.",
                &["maps", "handled"],
            ),
        ];
        for (question, reference, never) in cases {
            let got = labels(question, reference);
            assert!(got.len() >= 2, "{question}: {got:?}");
            for word in *never {
                assert!(
                    got.iter().all(|l| l.split(' ').all(|w| w != *word)),
                    "{question}: \"{word}\" should not be a concept: {got:?}"
                );
            }
        }
    }

    /// The same words used as terms stay candidates: "a hash map", "health checks", "the
    /// join" name things.
    #[test]
    fn general_verbs_used_as_nouns_stay_concepts() {
        let got = labels(
            "How do you keep a service healthy?",
            "Health checks probe each instance; a hash map of instances tracks which pass the checks.",
        );
        assert!(got.iter().any(|l| l.contains("checks")), "{got:?}");
        let marked = example_tokens(&analyze("Lower latency, e.g. for video calls. Then speed matters."));
        assert!(marked.iter().filter(|&&m| m).count() >= 2 && !marked[marked.len() - 1], "{marked:?}");
    }
}
