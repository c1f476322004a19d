//! The synonym and abbreviation table (`data/synonyms.txt`, with the irregular verb
//! forms of `data/irregular_verbs.txt`): variants are rewritten to canonical stems on
//! both sides, so "k8s" in an answer matches "Kubernetes" in a concept, "env var"
//! matches "environment variable" and "torn down" "tear down".

use std::rc::Rc;
use std::sync::OnceLock;

use super::fxhash::FastMap;
use super::text::{stem_key, tokenize_raw, Token};

struct SynonymEntry {
    variant: Vec<String>,
    /// Canonical stems and their [`stem_key`]s.
    /// Canonical stems, their [`stem_key`]s and their [`canonical_stem`] numbers.
    canonical: Vec<(String, u64, usize)>,
}

/// Variants by the [`stem_key`] of their first stem (a lookup hashes no string; the
/// variant's stems, the first included, are compared before an entry applies).
struct SynonymTable {
    /// 4,096-bit filter over the first stems' keys (their top 12 bits): almost every
    /// answer word starts no variant, and one bit says so without a hash lookup.
    filter: [u64; 64],
    map: FastMap<u64, Vec<SynonymEntry>>,
}

impl SynonymTable {
    fn bit(key: u64) -> (usize, u64) {
        let b = (key >> 52) as usize;
        (b / 64, 1 << (b % 64))
    }

    fn get(&self, key: u64) -> Option<&Vec<SynonymEntry>> {
        let (word, bit) = SynonymTable::bit(key);
        if self.filter[word] & bit == 0 {
            return None;
        }
        self.map.get(&key)
    }
}

fn synonym_table() -> &'static SynonymTable {
    static TABLE: OnceLock<SynonymTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: FastMap<u64, Vec<SynonymEntry>> = FastMap::default();
        // Numbers the canonical stems of every entry (see `canonical_stem`).
        let mut next_id = 0;
        let lines = include_str!("data/synonyms.txt").lines().chain(include_str!("data/irregular_verbs.txt").lines());
        for line in lines {
            let line = line.trim();
            let Some((canon, variants)) = line.split_once('=') else {
                continue;
            };
            if line.starts_with('#') {
                continue;
            }
            let canonical: Vec<String> = tokenize_raw(canon).into_iter().map(|t| t.stem.to_string()).collect();
            for v in variants.split(',') {
                let variant: Vec<String> = tokenize_raw(v).into_iter().map(|t| t.stem.to_string()).collect();
                if variant.is_empty() || canonical.is_empty() {
                    continue;
                }
                let canonical = canonical
                    .iter()
                    .map(|c| {
                        next_id += 1;
                        (c.clone(), stem_key(c), next_id - 1)
                    })
                    .collect();
                let key = stem_key(&variant[0]);
                map.entry(key).or_default().push(SynonymEntry { variant, canonical });
            }
        }
        // Longest variants first so "env var" wins over "env".
        for list in map.values_mut() {
            list.sort_by_key(|e| std::cmp::Reverse(e.variant.len()));
        }
        let mut filter = [0u64; 64];
        for &key in map.keys() {
            let (word, bit) = SynonymTable::bit(key);
            filter[word] |= bit;
        }
        SynonymTable { filter, map }
    })
}

/// Rewrites variants to their canonical stems (each canonical token keeps the span of
/// the whole variant, so feedback still points at what the candidate wrote).
pub fn apply(raw: Vec<Token>) -> Vec<Token> {
    let table = synonym_table();
    // First find where variants start (reading only), then move the tokens.
    let mut hits: Vec<(usize, &SynonymEntry)> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let hit = table.get(raw[i].key).and_then(|list| {
            list.iter().find(|e| {
                let n = e.variant.len();
                i + n <= raw.len()
                    && raw[i..i + n].iter().zip(&e.variant).all(|(t, v)| *t.stem == **v)
                    && raw[i..i + n].iter().all(|t| t.sentence == raw[i].sentence)
            })
        });
        match hit {
            Some(e) => {
                hits.push((i, e));
                i += e.variant.len();
            }
            None => i += 1,
        }
    }
    if hits.is_empty() {
        return raw;
    }
    if hits.iter().all(|(_, e)| e.canonical.len() == e.variant.len()) {
        // Every variant is as long as its canonical form (the usual case: one word for
        // one word), so the tokens are rewritten where they stand rather than moved
        // into a new vector; each gets what the general path below gives it.
        let mut raw = raw;
        for &(i, e) in &hits {
            let end = raw[i + e.variant.len() - 1].end;
            for (k, (c, key, id)) in e.canonical.iter().enumerate() {
                // Built from the variant's first token, as below (`raw[i]` is already
                // rewritten for k > 0, but only in the fields set here again).
                raw[i + k] = canonical_token(&raw[i], canonical_stem(c, *id), *key, end);
            }
        }
        return raw;
    }
    let ends: Vec<usize> = hits.iter().map(|(i, e)| raw[i + e.variant.len() - 1].end).collect();
    let mut out = Vec::with_capacity(raw.len() + 4);
    let mut next = hits.iter().zip(ends).peekable();
    let mut skip = 0;
    for (i, tok) in raw.into_iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        match next.peek() {
            Some(((at, e), end)) if *at == i => {
                out.extend(
                    e.canonical.iter().map(|(c, key, id)| canonical_token(&tok, canonical_stem(c, *id), *key, *end)),
                );
                skip = e.variant.len() - 1;
                next.next();
            }
            _ => out.push(tok),
        }
    }
    out
}

/// One word of a canonical form, standing where the variant's first token `from` stood
/// and reaching to the variant's `end`: a content word, whatever the variant was.
fn canonical_token(from: &Token, stem: Rc<str>, key: u64, end: usize) -> Token {
    let mut t = from.clone();
    t.stem = stem;
    t.key = key;
    t.end = end;
    t.stop = false;
    t
}

thread_local! {
    /// The canonical stems as shared strings, by their number in the table: built once
    /// per thread (the table itself is shared by all threads), so rewriting a variant
    /// allocates nothing.
    static CANONICAL: std::cell::RefCell<Vec<Option<Rc<str>>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Canonical stem `stem`, number `id` of the synonym table, as a shared string.
fn canonical_stem(stem: &str, id: usize) -> Rc<str> {
    CANONICAL.with(|cell| {
        let mut stems = cell.borrow_mut();
        if stems.len() <= id {
            stems.resize(id + 1, None);
        }
        stems[id].get_or_insert_with(|| Rc::from(stem)).clone()
    })
}

/// One line of a paraphrase file: a term's stems joined with spaces, and the ways to say
/// it as written in the file compiled into the binary (split at `|` when used), so the
/// table holds one small string per term.
struct Paraphrases {
    key: Box<str>,
    list: &'static str,
    /// From a plain-words lexicon (`data/paraphrases-bank.txt`, `paraphrases-terms.txt`):
    /// the ways candidates say a term in everyday words, which give way to an author's
    /// own (see [`with_paraphrases`]).
    plain_words: bool,
}

impl Paraphrases {
    fn list(&self) -> impl Iterator<Item = &'static str> {
        self.list.split('|').map(str::trim).filter(|p| !p.is_empty())
    }
}

/// Every line of the paraphrase files, sorted by key (lines with the same key in file
/// order).
fn paraphrase_table() -> &'static [Paraphrases] {
    static TABLE: OnceLock<Vec<Paraphrases>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Vec::new();
        let general = include_str!("data/paraphrases-general.txt");
        let own = include_str!("data/paraphrases.txt").lines().chain(general.lines()).map(|l| (l, false));
        let terms = include_str!("data/paraphrases-terms.txt");
        let plain = include_str!("data/paraphrases-bank.txt").lines().chain(terms.lines()).map(|l| (l, true));
        for (line, plain_words) in own.chain(plain) {
            let line = line.trim();
            if line.starts_with('#') {
                continue;
            }
            let Some((term, list)) = line.split_once('=') else {
                continue;
            };
            let key: Vec<String> = super::text::analyze(term).into_iter().map(|t| t.stem.to_string()).collect();
            let entry = Paraphrases { key: key.join(" ").into(), list, plain_words };
            if !key.is_empty() && entry.list().next().is_some() {
                table.push(entry);
            }
        }
        // Stable: a term's lines keep their order.
        table.sort_by(|a, b| a.key.cmp(&b.key));
        table
    })
}

/// The stems of the content words of `phrase` (no function word or negation).
pub(super) fn content_stems(phrase: &str) -> Vec<String> {
    super::text::analyze(phrase).into_iter().filter(|t| !t.stop && !t.neg).map(|t| t.stem.to_string()).collect()
}

/// The alternatives of a concept plus the paraphrases of any alternative that is
/// exactly a listed term (compared on stems), without duplicates. `other_concepts`, if
/// given, says whether another concept of the question uses a stem.
///
/// The plain-words lexicon is what the bank's authors wrote for each of their terms,
/// and it serves the concepts nobody wrote plain words for (a new question's "registry"
/// gains "image store"). So it gives way: a concept that already lists any of the
/// lexicon's paraphrases for its alternatives gains none of them (its author chose the
/// plain words that fit the question; another question's may not: "caps requests" was
/// written for the throttling of an API, and on a question about CPU limits it read as
/// the limits' doing). And a single-word term applies only as the concept's own term,
/// its first alternative: a word further down the list ("faster" under "latency") may
/// mean something else than the concept it was written for ("faster" pulls of a small
/// image, "fewer vulnerabilities"). A single-word paraphrase is lent like any other,
/// though it carries the most of its question's context ("ram", written for the memory
/// an index costs, covers another question's *storage*): lent only where the question
/// or reference uses the word, 12 grades moved less toward the human's and 2 less away,
/// and two correct answers in everyday words of the held-out unseen10 fell below 0.5.
/// Nor is a plain-words paraphrase lent when one of its words belongs to another
/// concept of the question ("main executable of container" for *entrypoint*, on a
/// question whose *executable* is a concept of its own): it would name both, and the
/// answer's statement about one would read as about the other.
pub fn with_paraphrases(alternatives: &[String], other_concepts: Option<&dyn Fn(&str) -> bool>) -> Vec<String> {
    let table = paraphrase_table();
    let mut matching: Vec<&Paraphrases> = Vec::new();
    for (n, alt) in alternatives.iter().enumerate() {
        let stems: Vec<String> = super::text::analyze(alt).into_iter().map(|t| t.stem.to_string()).collect();
        let key = stems.join(" ");
        let first = table.partition_point(|e| *e.key < *key);
        for entry in table[first..].iter().take_while(|e| *e.key == *key) {
            if !entry.plain_words || n == 0 || stems.len() > 1 {
                matching.push(entry);
            }
        }
    }
    let listed = |p: &&str| alternatives.iter().any(|a| a.eq_ignore_ascii_case(p));
    let authored = matching.iter().any(|e| e.plain_words && e.list().any(|p| listed(&p)));
    let mut out: Vec<String> = alternatives.to_vec();
    for entry in matching.into_iter().filter(|e| !(e.plain_words && authored)) {
        for p in entry.list() {
            if let Some(other) = other_concepts.filter(|_| entry.plain_words) {
                if content_stems(p).iter().any(|w| other(w)) {
                    continue;
                }
            }
            if !out.iter().any(|o| o.eq_ignore_ascii_case(p)) {
                out.push(p.to_string());
            }
        }
    }
    out
}
