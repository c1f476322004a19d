//! Text pipeline: NFKC normalisation, case folding, tokenising that keeps technical
//! terms, stop words, Snowball stemming and the synonym table, with the byte offsets of
//! every token in the original string so feedback can point into the answer.

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::lexicon::lexicon;

/// One token of an analysed text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Normalised, case-folded surface form.
    pub surface: String,
    /// Matching key: Snowball stem, after synonyms (and, for answers, typo repair).
    pub stem: String,
    /// Byte range in the original string (always on char boundaries).
    pub start: usize,
    pub end: usize,
    /// Function word or filler.
    pub stop: bool,
    /// Negation cue ("not", "doesn't", "never", "without"...).
    pub neg: bool,
    pub sentence: u32,
    pub clause: u32,
}

/// Normalised char with the byte range of the original text it came from.
struct NChar {
    c: char,
    upper: bool,
    start: usize,
    end: usize,
}

fn normalise(text: &str) -> Vec<NChar> {
    let mut out = Vec::with_capacity(text.len());
    let mut iter = text.char_indices().peekable();
    let mut cluster = String::new();
    while let Some((start, c)) = iter.next() {
        // A base char and its combining marks are normalised together so that
        // decomposed accents compose, while offsets stay on original char boundaries.
        cluster.clear();
        cluster.push(c);
        let mut end = start + c.len_utf8();
        while let Some(&(i, m)) = iter.peek() {
            if !is_combining_mark(m) {
                break;
            }
            cluster.push(m);
            end = i + m.len_utf8();
            iter.next();
        }
        if cluster.len() == 1 && c.is_ascii() {
            push_folded(&mut out, c, start, end);
        } else {
            for n in cluster.nfkc() {
                push_folded(&mut out, n, start, end);
            }
        }
    }
    out
}

fn push_folded(out: &mut Vec<NChar>, c: char, start: usize, end: usize) {
    let c = match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' => '\'',
        '\u{2010}'..='\u{2012}' => '-',
        _ => c,
    };
    let upper = c.is_uppercase();
    if upper {
        for l in c.to_lowercase() {
            out.push(NChar { c: l, upper, start, end });
        }
    } else {
        out.push(NChar { c, upper, start, end });
    }
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Stem of one folded word; technical tokens (digits, dots, slashes) are kept whole.
pub fn stem_word(surface: &str) -> String {
    if surface.chars().all(|c| c.is_alphabetic() || c == '\'') {
        let s = surface.strip_suffix("'s").unwrap_or(surface);
        stemmer().stem(s).into_owned()
    } else {
        surface.to_string()
    }
}

const NEG_NO_APOSTROPHE: &[&str] = &["dont", "doesnt", "isnt", "arent", "wasnt", "cant", "wont", "didnt", "shouldnt"];

/// Builds a token from folded chars `chars[a..b]`.
fn make_token(chars: &[NChar], a: usize, b: usize, sentence: u32, clause: u32) -> Token {
    let surface: String = chars[a..b].iter().map(|n| n.c).collect();
    let lex = lexicon();
    let neg = surface.ends_with("n't")
        || lex.negation.contains(surface.as_str())
        || NEG_NO_APOSTROPHE.contains(&surface.as_str());
    let stop = neg || lex.stop.contains(surface.as_str());
    let stem = stem_word(&surface);
    Token { surface, stem, start: chars[a].start, end: chars[b - 1].end, stop, neg, sentence, clause }
}

/// True when `c` can continue a token between two alphanumerics (requirements.txt, CI/CD, it's).
fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '/' | '_' | '\'' | '+' | '#')
}

/// Tokenises without synonyms (used to compile the synonym table itself).
pub fn tokenize_raw(text: &str) -> Vec<Token> {
    let chars = normalise(text);
    let lex = lexicon();
    let mut tokens: Vec<Token> = Vec::new();
    let (mut sentence, mut clause) = (0u32, 0u32);
    let mut pending_clause = false;
    let alnum = |i: usize| chars.get(i).is_some_and(|n| n.c.is_alphanumeric());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].c;
        let starts_path = c == '/' && alnum(i + 1) && (i == 0 || !alnum(i - 1));
        if c.is_alphanumeric() || starts_path {
            let a = i;
            i += 1;
            while i < chars.len() {
                let n = &chars[i];
                if n.c.is_alphanumeric() {
                    // camelCase boundary: lower followed by upper starts a new word.
                    let prev = &chars[i - 1];
                    if n.upper && prev.c.is_lowercase() && !prev.upper {
                        break;
                    }
                    i += 1;
                } else if is_joiner(n.c) && alnum(i + 1) && alnum(i - 1) {
                    i += 1;
                } else {
                    break;
                }
            }
            let mut tok = make_token(&chars, a, i, sentence, clause);
            if pending_clause || (lex.clause.contains(tok.surface.as_str()) && !tokens.is_empty()) {
                clause += 1;
                tok.clause = clause;
                pending_clause = false;
            }
            tokens.push(tok);
            continue;
        }
        match c {
            '.' | '!' | '?' | '\n' => {
                if !tokens.is_empty() && tokens.last().is_some_and(|t| t.sentence == sentence) {
                    sentence += 1;
                    clause += 1;
                }
                pending_clause = false;
            }
            // A hyphen inside a word (read-only) only splits the word.
            '-' if i > 0 && alnum(i - 1) && alnum(i + 1) => {}
            ',' | ';' | ':' | '(' | ')' | '[' | ']' | '"' | '\u{2014}' | '\u{2013}' | '-' => {
                pending_clause = true;
            }
            _ => {}
        }
        i += 1;
    }
    tokens
}

struct SynonymEntry {
    variant: Vec<String>,
    canonical: Vec<String>,
}

fn synonym_table() -> &'static HashMap<String, Vec<SynonymEntry>> {
    static TABLE: OnceLock<HashMap<String, Vec<SynonymEntry>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: HashMap<String, Vec<SynonymEntry>> = HashMap::new();
        for line in include_str!("data/synonyms.txt").lines() {
            let line = line.trim();
            let Some((canon, variants)) = line.split_once('=') else {
                continue;
            };
            if line.starts_with('#') {
                continue;
            }
            let canonical: Vec<String> = tokenize_raw(canon).into_iter().map(|t| t.stem).collect();
            for v in variants.split(',') {
                let variant: Vec<String> = tokenize_raw(v).into_iter().map(|t| t.stem).collect();
                if variant.is_empty() || canonical.is_empty() {
                    continue;
                }
                let entry = SynonymEntry { variant: variant.clone(), canonical: canonical.clone() };
                map.entry(variant[0].clone()).or_default().push(entry);
            }
        }
        // Longest variants first so "env var" wins over "env".
        for list in map.values_mut() {
            list.sort_by_key(|e| std::cmp::Reverse(e.variant.len()));
        }
        map
    })
}

/// Full analysis: tokenise, then rewrite variants from the synonym table to their
/// canonical stems (each canonical token keeps the span of the whole variant).
pub fn analyze(text: &str) -> Vec<Token> {
    let raw = tokenize_raw(text);
    let table = synonym_table();
    let mut out = Vec::with_capacity(raw.len() + 4);
    let mut i = 0;
    while i < raw.len() {
        let hit = table.get(&raw[i].stem).and_then(|list| {
            list.iter().find(|e| {
                let n = e.variant.len();
                i + n <= raw.len()
                    && raw[i..i + n].iter().zip(&e.variant).all(|(t, v)| &t.stem == v)
                    && raw[i..i + n].iter().all(|t| t.sentence == raw[i].sentence)
            })
        });
        match hit {
            Some(e) => {
                let n = e.variant.len();
                let (start, end) = (raw[i].start, raw[i + n - 1].end);
                for c in &e.canonical {
                    let mut t = raw[i].clone();
                    t.stem = c.clone();
                    t.start = start;
                    t.end = end;
                    t.stop = false;
                    out.push(t);
                }
                i += n;
            }
            None => {
                out.push(raw[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// Typo tolerance between two folded words: words under five letters must match
/// exactly ("thin" is not a typo of "think"), longer
/// ones may differ by a number of edits (Damerau, adjacent swaps count once) that
/// grows with length. The first letter must agree, which removes most false friends.
pub fn typo_close(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.min(lb) < 5 || a.chars().next() != b.chars().next() {
        return false;
    }
    let allowed = match la.max(lb) {
        0..=8 => 1,
        9..=12 => 2,
        _ => 3,
    };
    la.abs_diff(lb) <= allowed && strsim::osa_distance(a, b) <= allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(text: &str) -> Vec<String> {
        analyze(text).into_iter().map(|t| t.surface).collect()
    }

    #[test]
    fn keeps_technical_tokens_whole() {
        let s = surfaces("Use k8s with 250m CPU, 512Mi, CI/CD and requirements.txt on /api.");
        for want in ["k8s", "250m", "512mi", "ci/cd", "requirements.txt", "/api"] {
            assert!(s.iter().any(|t| t == want), "missing {want} in {s:?}");
        }
    }

    #[test]
    fn camel_case_splits_into_words() {
        let stems: Vec<String> = analyze("livenessProbe").into_iter().map(|t| t.stem).collect();
        assert_eq!(stems, vec!["live", "probe"]);
    }

    #[test]
    fn synonyms_map_abbreviations() {
        let stems: Vec<String> = analyze("k8s lb").into_iter().map(|t| t.stem).collect();
        assert_eq!(stems, vec!["kubernet", "load", "balanc"]);
    }

    #[test]
    fn offsets_point_into_original() {
        let text = "Ｃａｆé says: the Pod doesn't restart";
        for t in analyze(text) {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        let toks = analyze(text);
        let neg = toks.iter().find(|t| t.neg).expect("negation");
        assert_eq!(&text[neg.start..neg.end], "doesn't");
    }

    #[test]
    fn typo_tolerance_is_length_aware() {
        assert!(typo_close("imgae", "image"));
        assert!(typo_close("dependancies", "dependencies"));
        assert!(!typo_close("pod", "pot"));
        assert!(!typo_close("image", "mirage"));
    }
}
