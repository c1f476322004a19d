//! Text pipeline: NFKC normalisation, case folding, tokenising that keeps technical
//! terms, stop words, Snowball stemming and the synonym table, with the byte offsets of
//! every token in the original string so feedback can point into the answer.

use std::rc::Rc;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::fxhash::TailHasher;
use super::lexicon::{lexicon, CLAUSE, COMMON, DEFINING, GLUE, NEGATION, STOP};

/// One token of an analysed text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Normalised, case-folded surface form. Shared with the per-thread word cache, so
    /// a token costs no allocation for it.
    pub surface: Rc<str>,
    /// Matching key: Snowball stem, after synonyms (and, for answers, typo repair).
    /// Shared with the per-thread word cache like `surface`.
    pub stem: Rc<str>,
    /// [`stem_key`] of `stem`, computed once per word: maps and indexes over stems hash
    /// this instead of the string (they still compare the strings on a hit).
    pub key: u64,
    /// Byte range in the original string (always on char boundaries).
    pub start: usize,
    pub end: usize,
    /// Function word or filler.
    pub stop: bool,
    /// Negation cue ("not", "doesn't", "never", "without"...).
    pub neg: bool,
    /// Common content word of little meaning on its own ("use", "way").
    pub common: bool,
    /// Opens a clause ("because", "while"...).
    pub clause_word: bool,
    /// Makes its clause a definition of what precedes it ("is", "means"...).
    pub defining: bool,
    /// Glues terms together without saying anything ("and", "you know"); see
    /// [`super::lexicon::GLUE_WORDS`].
    pub glue: bool,
    /// The surface joins parts with `.`, `/` or `_` ("compose.yaml", "ci/cd"), whose
    /// parts a concept word may match (see [`super::concepts::StemIndex`]).
    pub compound: bool,
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

/// Normalises `text` into `out` (cleared first; a reused buffer saves an allocation
/// per answer).
fn normalise(text: &str, out: &mut Vec<NChar>) {
    out.clear();
    out.reserve(text.len());
    if text.is_ascii() {
        // Plain ASCII needs neither NFKC nor the combining-mark clusters.
        out.extend(text.bytes().enumerate().map(|(start, b)| {
            let c = if b == b'`' { '\'' } else { char::from(b) };
            NChar { c: c.to_ascii_lowercase(), upper: c.is_ascii_uppercase(), start, end: start + 1 }
        }));
        return;
    }
    let mut iter = text.char_indices().peekable();
    let mut cluster = String::new();
    while let Some((start, c)) = iter.next() {
        // A base char and its combining marks are normalised together so that
        // decomposed accents compose, while offsets stay on original char boundaries.
        cluster.clear();
        cluster.push(c);
        let mut end = start + c.len_utf8();
        while let Some(&(i, m)) = iter.peek() {
            if m.is_ascii() || !is_combining_mark(m) {
                break;
            }
            cluster.push(m);
            end = i + m.len_utf8();
            iter.next();
        }
        if cluster.len() == 1 && c.is_ascii() {
            push_folded(out, c, start, end);
        } else {
            for n in cluster.nfkc() {
                push_folded(out, n, start, end);
            }
        }
    }
}

fn push_folded(out: &mut Vec<NChar>, c: char, start: usize, end: usize) {
    if c.is_ascii() && c != '`' {
        let upper = c.is_ascii_uppercase();
        out.push(NChar { c: c.to_ascii_lowercase(), upper, start, end });
        return;
    }
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
fn compute_stem(surface: &str) -> String {
    if !surface.chars().all(|c| c.is_alphabetic() || c == '\'') {
        return surface.to_string();
    }
    let s = surface.strip_suffix("'s").unwrap_or(surface);
    stemmer().stem(s).into_owned()
}

/// The 64-bit FxHash of a stem: the key that stem maps and indexes hash (see
/// [`Token::key`]). Equal stems have equal keys; a hit is always confirmed on the string.
pub fn stem_key(stem: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = super::fxhash::FxHasher::default();
    h.write(stem.as_bytes());
    h.finish()
}

/// True when two strings are equal: the same test as `==`, which for the short words
/// and stems compared here reads a few machine words in place rather than calling
/// `memcmp`.
#[inline]
pub fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let w8 = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().expect("8 bytes"));
    let w4 = |s: &[u8], i: usize| u32::from_le_bytes(s[i..i + 4].try_into().expect("4 bytes"));
    match n {
        // Two (overlapping) words cover every byte.
        8..=16 => w8(a, 0) == w8(b, 0) && w8(a, n - 8) == w8(b, n - 8),
        4..=7 => w4(a, 0) == w4(b, 0) && w4(a, n - 4) == w4(b, n - 4),
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
    }
}

/// What the per-thread word cache knows about a folded word: everything a token of it
/// takes from the word, ready to copy.
#[derive(Clone)]
struct WordInfo {
    surface: Rc<str>,
    stem: Rc<str>,
    key: u64,
    stop: bool,
    neg: bool,
    common: bool,
    clause_word: bool,
    defining: bool,
    glue: bool,
    compound: bool,
}

/// The hash of a folded word that keys the per-thread word cache ([`TailHasher`],
/// which hashes a short word in few steps).
#[inline]
fn word_hash(surface: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = TailHasher::default();
    h.write(surface.as_bytes());
    h.finish()
}

/// The per-thread word cache: words by [`word_hash`], each entry confirmed on its
/// surface (with [`same_str`], no `memcmp`), and by the word itself for the few whose
/// hash another word took first.
#[derive(Default)]
struct WordMap {
    by_hash: std::collections::HashMap<u64, WordInfo, std::hash::BuildHasherDefault<super::fxhash::FxHasher>>,
    collided: std::collections::HashMap<Rc<str>, WordInfo, std::hash::BuildHasherDefault<TailHasher>>,
}

/// Per-thread state of the tokenizer: the word cache and reused buffers.
#[derive(Default)]
struct Scratch {
    /// Folded word -> stem and word-list flags. Stemming and the lookups dominate the
    /// cost of tokenising and answers reuse a small vocabulary, so both are memoised
    /// per thread. The cache never changes a result (both are pure functions of the
    /// word); it is only bounded in size.
    words: WordMap,
    /// The normalised chars of the text being tokenised.
    chars: Vec<NChar>,
    /// The word being looked up.
    word: String,
    /// Token vectors handed back by [`recycle`], reused by the next tokenising so that
    /// grading an answer does not allocate (and free) one of a few kilobytes.
    spare: Vec<Vec<Token>>,
}

/// Most token vectors kept for reuse per thread.
const SPARE_VECTORS: usize = 2;
/// Largest token vector kept for reuse (in tokens): one very long answer should not
/// keep its buffer.
const SPARE_MAX_TOKENS: usize = 4096;

/// An empty token vector with room for `n` tokens: a spare one if it is big enough.
fn token_vec(spare: &mut Vec<Vec<Token>>, n: usize) -> Vec<Token> {
    match spare.pop() {
        Some(v) if v.capacity() >= n => v,
        _ => Vec::with_capacity(n),
    }
}

/// Hands a token vector back for reuse by the next tokenising on this thread (its
/// tokens are dropped). Worth it for the vector of a whole answer, and for any vector
/// tokenised while an answer is graded: tokenising takes a spare whatever its size, so
/// a vector dropped instead costs the next answer an allocation.
pub fn recycle(mut tokens: Vec<Token>) {
    tokens.clear();
    if tokens.capacity() == 0 || tokens.capacity() > SPARE_MAX_TOKENS {
        return;
    }
    SCRATCH.with(|cell| {
        if let Ok(mut scratch) = cell.try_borrow_mut() {
            if scratch.spare.len() < SPARE_VECTORS {
                scratch.spare.push(tokens);
            }
        }
    });
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Empties this thread's word cache and spare buffers. For a thread that is done with
/// grading for good (the one that prepares the bank at start holds every word of it, a
/// megabyte or more, and grades nothing afterwards); a thread that goes on tokenising
/// just fills the cache again.
pub fn release_thread_cache() {
    SCRATCH.with(|cell| {
        if let Ok(mut scratch) = cell.try_borrow_mut() {
            *scratch = Scratch::default();
        }
    });
}

/// The cached [`WordInfo`] of the folded word `surface`. Inlined: almost every word is
/// in the cache.
#[inline]
fn word_info(words: &mut WordMap, surface: &str) -> WordInfo {
    let hash = word_hash(surface);
    if let Some(info) = cached(words, hash, surface) {
        return info.clone();
    }
    new_word_info(words, hash, surface)
}

/// The cached [`WordInfo`] of `surface` (whose [`word_hash`] is `hash`), if the cache
/// holds it under its hash.
#[inline]
fn cached<'a>(words: &'a WordMap, hash: u64, surface: &str) -> Option<&'a WordInfo> {
    words.by_hash.get(&hash).filter(|info| same_str(&info.surface, surface))
}

/// Adds the token of the folded word `surface` at bytes `start..end` to `tokens`, built
/// straight from the cached [`WordInfo`] (no copy of it is made on the way, as
/// [`word_info`] makes one). Inlined: almost every word is in the cache.
#[inline]
fn push_word(
    words: &mut WordMap,
    surface: &str,
    tokens: &mut Vec<Token>,
    bounds: &mut Bounds,
    (start, end): (usize, usize),
) {
    let hash = word_hash(surface);
    if let Some(info) = cached(words, hash, surface) {
        bounds.push_info(tokens, info, start, end);
        return;
    }
    let info = new_word_info(words, hash, surface);
    bounds.push_info(tokens, &info, start, end);
}

/// Stems and classifies a word the cache does not hold yet (or holds under
/// [`WordMap::collided`]), and caches it.
#[cold]
#[inline(never)]
fn new_word_info(words: &mut WordMap, hash: u64, surface: &str) -> WordInfo {
    if let Some(info) = words.collided.get(surface) {
        return info.clone();
    }
    let stem: Rc<str> = compute_stem(surface).into();
    let surface: Rc<str> = surface.into();
    let flags = word_flags(&surface);
    let neg = flags & NEGATION != 0;
    let info = WordInfo {
        key: stem_key(&stem),
        surface: surface.clone(),
        stem,
        stop: neg || flags & STOP != 0,
        neg,
        common: flags & COMMON != 0,
        clause_word: flags & CLAUSE != 0,
        defining: flags & DEFINING != 0,
        glue: flags & GLUE != 0,
        compound: surface.bytes().any(|b| matches!(b, b'.' | b'/' | b'_')),
    };
    if words.by_hash.len() + words.collided.len() >= STEM_CACHE_LIMIT {
        words.by_hash.clear();
        words.collided.clear();
    }
    match words.by_hash.entry(hash) {
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(info.clone());
        }
        std::collections::hash_map::Entry::Occupied(_) => {
            words.collided.insert(surface, info.clone());
        }
    }
    info
}

/// Word-list flags of a folded word, with [`NEGATION`] also set for a word ending in
/// "n't" (computed once per word, for the cache).
fn word_flags(surface: &str) -> u8 {
    let flags = lexicon().flags(surface);
    if surface.ends_with("n't") {
        flags | NEGATION
    } else {
        flags
    }
}

/// Upper bound on memoised words per thread (a few MB at most).
const STEM_CACHE_LIMIT: usize = 50_000;

/// The normalised chars a tokenizer reads: [`NChar`]s, or the bytes of an ASCII text
/// read as [`normalise`] would fold them (so ASCII answers skip building the chars).
trait Folded {
    fn len(&self) -> usize;
    /// Folded char `i`.
    fn c(&self, i: usize) -> char;
    /// Char `i` was upper case before folding.
    fn upper(&self, i: usize) -> bool;
    /// Byte range of char `i` in the original text.
    fn start(&self, i: usize) -> usize;
    fn end(&self, i: usize) -> usize;
    /// Char `i` is alphanumeric.
    #[inline]
    fn alnum(&self, i: usize) -> bool {
        self.c(i).is_alphanumeric()
    }
    /// Char `i` (alphanumeric) starts a new word of a camelCase run: upper case after
    /// a lower-case letter.
    #[inline]
    fn camel_break(&self, i: usize) -> bool {
        self.upper(i) && self.c(i - 1).is_lowercase() && !self.upper(i - 1)
    }
    /// The folded word of chars `a..b`, written into `buf` unless it can be borrowed.
    fn word<'s>(&'s self, (a, b): (usize, usize), buf: &'s mut String) -> &'s str {
        buf.clear();
        buf.extend((a..b).map(|i| self.c(i)));
        buf
    }
}

impl Folded for [NChar] {
    #[inline]
    fn len(&self) -> usize {
        <[NChar]>::len(self)
    }
    #[inline]
    fn c(&self, i: usize) -> char {
        self[i].c
    }
    #[inline]
    fn upper(&self, i: usize) -> bool {
        self[i].upper
    }
    #[inline]
    fn start(&self, i: usize) -> usize {
        self[i].start
    }
    #[inline]
    fn end(&self, i: usize) -> usize {
        self[i].end
    }
}

/// An ASCII text, folded as [`normalise`] folds it: lower case, a backtick read as an
/// apostrophe, one char per byte.
struct Ascii<'a>(&'a str);

impl Folded for Ascii<'_> {
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }
    #[inline]
    fn c(&self, i: usize) -> char {
        let b = self.0.as_bytes()[i];
        if b == b'`' {
            '\''
        } else {
            char::from(b.to_ascii_lowercase())
        }
    }
    #[inline]
    fn upper(&self, i: usize) -> bool {
        self.0.as_bytes()[i].is_ascii_uppercase()
    }
    /// Folding keeps letters letters and digits digits, so the raw byte tells.
    #[inline]
    fn alnum(&self, i: usize) -> bool {
        self.0.as_bytes()[i].is_ascii_alphanumeric()
    }
    #[inline]
    fn camel_break(&self, i: usize) -> bool {
        let b = self.0.as_bytes();
        b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase()
    }
    /// Most words are written in lower case already: then the word is the text itself,
    /// and nothing is copied.
    #[inline]
    fn word<'s>(&'s self, (a, b): (usize, usize), buf: &'s mut String) -> &'s str {
        let raw = &self.0[a..b];
        if !raw.bytes().any(|x| x.is_ascii_uppercase() || x == b'`') {
            return raw;
        }
        buf.clear();
        buf.extend(raw.bytes().map(|x| if x == b'`' { '\'' } else { char::from(x.to_ascii_lowercase()) }));
        buf
    }
    #[inline]
    fn start(&self, i: usize) -> usize {
        i
    }
    #[inline]
    fn end(&self, i: usize) -> usize {
        i + 1
    }
}

/// Builds a token from folded chars `a..b` of `chars`.
fn make_token<F: Folded + ?Sized>(
    words: &mut WordMap,
    word: &mut String,
    chars: &F,
    (a, b): (usize, usize),
    sentence: u32,
    clause: u32,
) -> Token {
    let info = word_info(words, chars.word((a, b), word));
    token_of(info, chars.start(a), chars.end(b - 1), sentence, clause)
}

/// The token of a word with its cached [`WordInfo`], at bytes `start..end`.
#[inline]
fn token_of(info: WordInfo, start: usize, end: usize, sentence: u32, clause: u32) -> Token {
    let WordInfo { surface, stem, key, stop, neg, common, clause_word, defining, glue, compound } = info;
    Token { surface, stem, key, start, end, stop, neg, common, clause_word, defining, glue, compound, sentence, clause }
}

/// True when `c` can continue a token between two alphanumerics (requirements.txt, CI/CD, it's).
fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '/' | '_' | '\'' | '+' | '#')
}

/// Tokenises without synonyms (used to compile the synonym table itself).
pub fn tokenize_raw(text: &str) -> Vec<Token> {
    SCRATCH.with(|cell| {
        // A tokenizer never calls itself, so the cell is never borrowed twice.
        let Scratch { words, chars, word, spare } = &mut *cell.borrow_mut();
        if text.is_ascii() {
            // Room for the tokens of ordinary prose (about one per five or six bytes)
            // with some to spare: growing the vector would copy every token already there.
            let tokens = token_vec(spare, text.len() / 4 + 4);
            return tokenize_ascii(words, word, text, tokens);
        }
        normalise(text, chars);
        let tokens = token_vec(spare, chars.len() / 5 + 1);
        tokenize_chars(words, word, chars.as_slice(), tokens)
    })
}

/// Byte classes of ASCII text for [`tokenize_ascii`].
const ALNUM: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 4;
/// Can continue a token between two alphanumerics: [`is_joiner`] of the folded byte (a
/// backtick folds to an apostrophe).
const JOINER: u8 = 8;
/// Folds to another byte (upper case, backtick): a word without one is its own text.
const FOLDS: u8 = 16;

static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut class = 0;
        if c.is_ascii_alphanumeric() {
            class |= ALNUM;
        }
        if c.is_ascii_uppercase() {
            class |= UPPER | FOLDS;
        }
        if c == b'`' {
            class |= FOLDS;
        }
        if c.is_ascii_lowercase() {
            class |= LOWER;
        }
        if matches!(c, b'.' | b'/' | b'_' | b'\'' | b'+' | b'#' | b'`') {
            class |= JOINER;
        }
        table[b] = class;
        b += 1;
    }
    table
};

/// [`tokenize_chars`] over [`Ascii`] text, with the char tests read from a byte-class
/// table: the same tokens, in fewer steps per byte (most answers are plain ASCII).
fn tokenize_ascii(words: &mut WordMap, word: &mut String, text: &str, mut tokens: Vec<Token>) -> Vec<Token> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let class = |i: usize| BYTE_CLASS[usize::from(bytes[i])];
    // Alphanumeric, and false past the end.
    let alnum = |i: usize| i < n && class(i) & ALNUM != 0;
    let chars = Ascii(text);
    let mut bounds = Bounds::default();
    let mut i = 0;
    while i < n {
        let c = bytes[i];
        if c == b' ' {
            // A space starts no word and marks no boundary (see `Bounds::punctuation`).
            i += 1;
            continue;
        }
        let starts_path = c == b'/' && alnum(i + 1) && (i == 0 || class(i - 1) & ALNUM == 0);
        let first = class(i);
        if first & ALNUM != 0 || starts_path {
            let a = i;
            // The classes of the word's bytes so far, and of the last one.
            let (mut seen, mut prev) = (first, first);
            i += 1;
            // Most of a word is lower-case letters and digits: each one continues the
            // word, adds no class that matters to `seen` (neither folds) and breaks no
            // camelCase, so a run of them is skipped in a tight loop first.
            let run =
                bytes[i..].iter().position(|&b| BYTE_CLASS[usize::from(b)] & (ALNUM | UPPER) != ALNUM).unwrap_or(n - i);
            if run > 0 {
                i += run;
                prev = class(i - 1);
            }
            while i < n {
                let k = class(i);
                if k & ALNUM != 0 {
                    // camelCase boundary: lower followed by upper starts a new word
                    // (not after a leading "No": see `no_prefix`).
                    if k & UPPER != 0 && prev & LOWER != 0 && !no_prefix(&bytes[a..i]) {
                        break;
                    }
                } else if !(k & JOINER != 0 && alnum(i + 1) && prev & ALNUM != 0) {
                    break;
                }
                seen |= k;
                prev = k;
                i += 1;
            }
            // Most words are written in lower case already: then the word is the text
            // itself, and nothing is copied.
            let folded = if seen & FOLDS == 0 { &text[a..i] } else { chars.word((a, i), word) };
            push_word(words, folded, &mut tokens, &mut bounds, (a, i));
            continue;
        }
        let inside_word = i > 0 && class(i - 1) & ALNUM != 0 && alnum(i + 1);
        bounds.punctuation(&tokens, &chars, i, char::from(c), inside_word);
        i += 1;
    }
    tokens
}

/// True when the word so far is a leading "No" of a camelCase name ("NoSQL",
/// "NoSchedule", "NoExecute"): the name stays one word. Split, it read as "no SQL", a
/// negation, and the two sides of "SQL vs NoSQL" as SQL and "database", so a full swap
/// of the two scored 100 (a browser walk-through, 2026-12-06).
#[inline]
fn no_prefix(word: &[u8]) -> bool {
    word.len() == 2 && word.eq_ignore_ascii_case(b"no")
}

/// Tokenises the normalised chars `chars`.
fn tokenize_chars<F: Folded + ?Sized>(
    words: &mut WordMap,
    word: &mut String,
    chars: &F,
    mut tokens: Vec<Token>,
) -> Vec<Token> {
    let n_chars = chars.len();
    let mut bounds = Bounds::default();
    let mut i = 0;
    let alnum = |i: usize| i < n_chars && chars.alnum(i);
    while i < n_chars {
        let c = chars.c(i);
        let starts_path = c == '/' && alnum(i + 1) && (i == 0 || !alnum(i - 1));
        if chars.alnum(i) || starts_path {
            let a = i;
            i += 1;
            while i < n_chars {
                if chars.alnum(i) {
                    // camelCase boundary: lower followed by upper starts a new word
                    // (not after a leading "No": see `no_prefix`).
                    if chars.camel_break(i) && !(i - a == 2 && chars.c(a) == 'n' && chars.c(a + 1) == 'o') {
                        break;
                    }
                    i += 1;
                } else if is_joiner(chars.c(i)) && alnum(i + 1) && alnum(i - 1) {
                    i += 1;
                } else {
                    break;
                }
            }
            let tok = make_token(words, word, chars, (a, i), bounds.sentence, bounds.clause);
            bounds.push(&mut tokens, tok);
            continue;
        }
        bounds.punctuation(&tokens, chars, i, c, i > 0 && alnum(i - 1) && alnum(i + 1));
        i += 1;
    }
    tokens
}

/// Sentence and clause numbering while tokenising, shared by both tokenisers.
#[derive(Default)]
struct Bounds {
    sentence: u32,
    clause: u32,
    pending_clause: bool,
}

impl Bounds {
    /// Adds a word token, opening a new clause after clause punctuation or at a clause
    /// word ("because", "while").
    fn push(&mut self, tokens: &mut Vec<Token>, mut tok: Token) {
        if self.opens_clause(tok.clause_word, tokens) {
            tok.clause = self.clause;
        }
        tokens.push(tok);
    }

    /// Opens a new clause before a word after clause punctuation, or at a clause word
    /// that is not the first token; true when it did.
    #[inline]
    fn opens_clause(&mut self, clause_word: bool, tokens: &[Token]) -> bool {
        let opens = self.pending_clause || (clause_word && !tokens.is_empty());
        if opens {
            self.clause += 1;
            self.pending_clause = false;
        }
        opens
    }

    /// [`Bounds::push`] of the token of a word with its cached [`WordInfo`], at bytes
    /// `start..end`: the same token, built in place.
    #[inline(always)]
    fn push_info(&mut self, tokens: &mut Vec<Token>, info: &WordInfo, start: usize, end: usize) {
        self.opens_clause(info.clause_word, tokens);
        tokens.push(Token {
            surface: info.surface.clone(),
            stem: info.stem.clone(),
            key: info.key,
            start,
            end,
            stop: info.stop,
            neg: info.neg,
            common: info.common,
            clause_word: info.clause_word,
            defining: info.defining,
            glue: info.glue,
            compound: info.compound,
            sentence: self.sentence,
            clause: self.clause,
        });
    }

    /// Punctuation `c` at `i`; `inside_word` when alphanumerics stand on both sides.
    fn punctuation<F: Folded + ?Sized>(&mut self, tokens: &[Token], chars: &F, i: usize, c: char, inside_word: bool) {
        match c {
            '.' if dots_continue(chars, i) => {}
            '?' if placeholder(chars, i) => {}
            '.' | '!' | '?' | '\n' => {
                if tokens.last().is_some_and(|t| t.sentence == self.sentence) {
                    self.sentence += 1;
                    self.clause += 1;
                }
                self.pending_clause = false;
            }
            // A hyphen inside a word (read-only) only splits the word.
            '-' if inside_word => {}
            ',' | ';' | ':' | '(' | ')' | '[' | ']' | '"' | '\u{2014}' | '\u{2013}' | '-' => {
                self.pending_clause = true;
            }
            _ => {}
        }
    }
}

/// True when the dot at `i` does not end a sentence: dots inside a term
/// ("do...while"), the dot of an abbreviation ("e.g. UPDATE", "i.e.", "vs."; "etc."
/// only before a lower-case word), an ellipsis before a lower-case word ("a do...
/// while loop"), and an ellipsis that elides code between two words in capitals
/// ("SELECT ... FOR UPDATE").
fn dots_continue<F: Folded + ?Sized>(chars: &F, i: usize) -> bool {
    let n = chars.len();
    let mut j = i;
    while j > 0 && chars.c(j - 1) == '.' {
        j -= 1;
    }
    let first = j;
    j = i;
    while j < n && chars.c(j) == '.' {
        j += 1;
    }
    if j < n && chars.alnum(j) {
        return first > 0 && chars.alnum(first - 1);
    }
    let dots = j - first;
    while j < n && chars.c(j) == ' ' {
        j += 1;
    }
    let lower_next = j < n && chars.alnum(j) && !chars.upper(j);
    if dots == 1 {
        return match abbreviation_before(chars, first) {
            Some(Abbreviation::Always) => true,
            Some(Abbreviation::BeforeLowerCase) => lower_next,
            None => false,
        };
    }
    lower_next || (j < n && capitals(chars, j, 1) && first > 0 && capitals(chars, first, -1))
}

/// How an abbreviation's closing dot reads.
enum Abbreviation {
    /// Never at the end of a sentence ("e.g.", "i.e.", "vs.", "cf.").
    Always,
    /// At the end of one unless a lower-case word follows ("etc.").
    BeforeLowerCase,
}

/// The abbreviation that ends right before the dot at `dot`, if any.
fn abbreviation_before<F: Folded + ?Sized>(chars: &F, dot: usize) -> Option<Abbreviation> {
    let mut a = dot;
    while a > 0 && dot - a < 8 && (chars.alnum(a - 1) || chars.c(a - 1) == '.') {
        a -= 1;
    }
    if a > 0 && (chars.alnum(a - 1) || chars.c(a - 1) == '.') {
        return None;
    }
    let mut word = [' '; 8];
    for (k, slot) in (a..dot).zip(word.iter_mut()) {
        *slot = chars.c(k);
    }
    match &word[..dot - a] {
        ['e', '.', 'g'] | ['i', '.', 'e'] | ['v', 's'] | ['c', 'f'] | ['v', 'i', 'z'] => Some(Abbreviation::Always),
        ['e', 't', 'c'] | ['a', 'p', 'p', 'r', 'o', 'x'] | ['r', 'e', 's', 'p'] | ['i', 'n', 'c', 'l'] => {
            Some(Abbreviation::BeforeLowerCase)
        }
        _ => None,
    }
}

/// True when the word that starts at `at` (`step` 1) or ends right before it (`step`
/// -1, skipping spaces) is written in capitals, two letters or more (a keyword of code:
/// "SELECT", "WHERE").
fn capitals<F: Folded + ?Sized>(chars: &F, at: usize, step: isize) -> bool {
    let n = chars.len() as isize;
    let mut k = at as isize;
    if step < 0 {
        k -= 1;
        while k >= 0 && chars.c(k as usize) == ' ' {
            k -= 1;
        }
    }
    let mut letters = 0;
    while k >= 0 && k < n && chars.alnum(k as usize) {
        if !chars.upper(k as usize) && !chars.c(k as usize).is_ascii_digit() {
            return false;
        }
        letters += 1;
        k += step;
    }
    letters >= 2
}

/// True when the question mark at `i` is a placeholder of code ("WHERE id = ?",
/// "VALUES (?, ?)"), not the end of a question: an equals sign, an opening parenthesis
/// or a comma comes right before it.
fn placeholder<F: Folded + ?Sized>(chars: &F, i: usize) -> bool {
    let mut k = i;
    while k > 0 && chars.c(k - 1) == ' ' {
        k -= 1;
    }
    k > 0 && matches!(chars.c(k - 1), '=' | '(' | ',')
}

/// The first token of the sentence of token `k`.
pub fn sentence_start(tokens: &[Token], k: usize) -> usize {
    let sentence = tokens[k].sentence;
    (0..k).rev().take_while(|&j| tokens[j].sentence == sentence).last().unwrap_or(k)
}

/// The first token of the clause of token `k`.
pub fn clause_start(tokens: &[Token], k: usize) -> usize {
    let clause = tokens[k].clause;
    (0..k).rev().take_while(|&j| tokens[j].clause == clause).last().unwrap_or(k)
}

/// Where `word` first stands in `text` as a word of its own (no letter or digit right
/// before or after it), as written: a byte offset.
pub fn find_word(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Full analysis: tokenise, then rewrite variants from the synonym table to their
/// canonical stems (see [`super::synonyms`]).
pub fn analyze(text: &str) -> Vec<Token> {
    let mut tokens = super::synonyms::apply(tokenize_raw(text));
    implicit_negations(&mut tokens);
    tokens
}

/// Words after "to" that show it is a preposition ("refused to the user").
const NOT_INFINITIVE: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "my", "your", "our", "them",
    "him", "me", "us", "it", "each", "every", "any", "some",
];

/// Marks the "to" after a negating verb ([`super::lexicon::NEGATING_VERBS`]) as a
/// negation cue, so what follows is read as denied: "forgets to close them" states the
/// author's "not closed", where "close" alone had read as its opposite (a correct
/// answer told it got leaks wrong). When the verb is itself denied, the two cancel:
/// "don't forget to allow egress" and "never fails to close" state what follows, so
/// the cue before the verb negates nothing either.
fn implicit_negations(tokens: &mut [Token]) {
    for i in 1..tokens.len() {
        let verb = &tokens[i - 1];
        // Every negating verb starts with f, n or r: most tokens before "to" are turned
        // away by one byte.
        if &*tokens[i].surface != "to"
            || !matches!(verb.surface.as_bytes().first(), Some(b'f' | b'n' | b'r'))
            || verb.clause != tokens[i].clause
            || !super::lexicon::NEGATING_VERBS.contains(&&*verb.surface)
        {
            continue;
        }
        // "To" before an article or a pronoun is a preposition, not an infinitive:
        // "access was refused to the user", "it fails to a safe default" deny nothing.
        if tokens.get(i + 1).is_some_and(|next| NOT_INFINITIVE.contains(&&*next.surface)) {
            continue;
        }
        // A cue up to two tokens before the verb, in its clause ("don't forget",
        // "never fails to").
        let clause = verb.clause;
        match (i.saturating_sub(3)..i - 1).rev().find(|&j| tokens[j].neg && tokens[j].clause == clause) {
            Some(cue) => tokens[cue].neg = false,
            None => {
                tokens[i].neg = true;
                tokens[i].stop = true;
            }
        }
    }
}

/// How far back (in tokens, same clause) a negation cue still negates a word.
pub const NEGATION_REACH: usize = 3;
/// How far back a negation cue still negates a word when only function words and one
/// verb stand between them ("does not give them a shared network").
pub const NEGATION_SCOPE: usize = 6;

/// The negation cue that negates token `i`, if any: one at most [`NEGATION_REACH`]
/// tokens back in the same clause, or at most [`NEGATION_SCOPE`] back with no more than
/// one content word (the negated verb) in between.
///
/// A verb joined by "or" to a negated one is negated too ("doesn't call the service
/// directly or wait for it"): right after an "or", the cue of the words before it
/// counts, up to [`NEGATION_SCOPE`] tokens before the "or".
pub fn negation_cue(tokens: &[Token], i: usize) -> Option<usize> {
    let clause = tokens[i].clause;
    let mut content = 0;
    for j in (i.saturating_sub(NEGATION_SCOPE)..i).rev() {
        let t = &tokens[j];
        if t.clause != clause {
            return None;
        }
        if t.neg {
            return (i - j <= NEGATION_REACH || content <= 1).then_some(j);
        }
        if &*t.surface == "or" && j + 1 == i {
            return (j.saturating_sub(NEGATION_SCOPE)..j)
                .rev()
                .take_while(|&k| tokens[k].clause == clause)
                .find(|&k| tokens[k].neg);
        }
        if !t.stop {
            content += 1;
        }
    }
    None
}

/// True when token `i` is named as the alternative a sentence turns down: after
/// "instead of", "rather than" or a form of "avoid", within the reach of a negation
/// ("in logarithmic time instead of a full table scan"). Read on model answers only:
/// a concept the model answer names only this way is something to avoid, so an
/// answer that denies it ("without scanning the whole table") states it.
pub fn turned_down(tokens: &[Token], i: usize) -> bool {
    let clause = tokens[i].clause;
    let mut content = 0;
    for j in (i.saturating_sub(NEGATION_SCOPE)..i).rev() {
        let t = &tokens[j];
        if t.clause != clause {
            return false;
        }
        let pair = |first: &str, second: &str| &*t.surface == second && j > 0 && &*tokens[j - 1].surface == first;
        let cue = pair("instead", "of") || pair("rather", "than") || t.surface.starts_with("avoid");
        if cue {
            return i - j <= NEGATION_REACH || content <= 1;
        }
        if !t.stop {
            content += 1;
        }
    }
    false
}

/// True when token `i` of a model answer is part of a prohibition or a denial whose
/// negation sits earlier in its clause, beyond the reach of [`negation_cue`]: "you
/// should never rebase commits that are already pushed to a shared branch". Saying it
/// as a prohibition too ("don't rebase a shared branch") then agrees with the model
/// answer rather than denying the concept.
pub fn forbidden(tokens: &[Token], i: usize) -> bool {
    let (clause, sentence) = (tokens[i].clause, tokens[i].sentence);
    // A verb's negation ("never", "don't", "shouldn't"), not a phrase's ("without an
    // index the database does a full table scan" asserts the scan).
    let verbal = |t: &Token| t.neg && !matches!(&*t.surface, "without" | "no" | "nor" | "none" | "nothing" | "neither");
    tokens[..i].iter().rev().take_while(|t| t.clause == clause && t.sentence == sentence).any(verbal)
}

/// The token that denies token `i` ("can't" in "can't be caught", "no" in "no
/// handshake"), if any, so feedback quotes the denial, not the bare word.
pub fn denial_cue(tokens: &[Token], i: usize) -> Option<usize> {
    negation_cue(tokens, i).or_else(|| after_no(tokens, i).then(|| i - 1))
}

/// "no handshake": absence is not a binding. ("no" is not a general negation cue: "so
/// no traffic reaches it" states what happens.)
fn after_no(tokens: &[Token], i: usize) -> bool {
    i > 0 && &*tokens[i - 1].surface == "no" && tokens[i - 1].clause == tokens[i].clause
}

#[cfg(test)]
mod tests {
    /// Whether `word` (its first occurrence) is negated in `text`.
    fn negated(text: &str, word: &str) -> bool {
        let toks = analyze(text);
        let i = toks.iter().position(|t| &*t.surface == word).expect("word present");
        negation_cue(&toks, i).is_some()
    }

    /// Emptying the word cache changes no token: it only makes the next words slower.
    #[test]
    fn tokens_are_the_same_after_the_word_cache_is_emptied() {
        let text = "The kubelet restarts containers whose livenessProbe fails; it doesn't restart ready ones.";
        let key = |t: &Token| (t.surface.to_string(), t.stem.to_string(), t.key, t.stop, t.neg, t.start, t.end);
        let before: Vec<_> = analyze(text).iter().map(key).collect();
        release_thread_cache();
        let after: Vec<_> = analyze(text).iter().map(key).collect();
        assert_eq!(before, after);
        assert!(SCRATCH.with(|cell| cell.borrow().words.by_hash.len()) > 0, "the cache fills again");
    }

    /// "or" carries a negation over to the next verb; a plain "or", or one after a
    /// comma, does not.
    #[test]
    fn a_negation_reaches_over_or() {
        assert!(negated("it doesn't call the other service directly or wait for it", "wait"));
        assert!(negated("you never restart the pod or delete it", "delete"));
        assert!(!negated("it restarts the pod or waits for it", "waits"));
        assert!(!negated("it doesn't restart the pod. Or it waits", "waits"));
        assert!(!negated("it doesn't restart the pod, or rather it waits for a while", "waits"));
    }

    /// Dots inside a term and an ellipsis before a lower-case word keep the sentence
    /// going; a full stop or an ellipsis before a capital ends it.
    #[test]
    fn dots_inside_terms_do_not_end_sentences() {
        let same = |text: &str| {
            let toks = tokenize_raw(text);
            toks.iter().all(|t| t.sentence == toks[0].sentence)
        };
        assert!(same("a do...while loop runs once"));
        assert!(same("a do... while loop runs once"));
        assert!(!same("it waits. Then it retries"));
        assert!(!same("it waits... Then it retries"));
        assert!(!same("it waits.\nthen it retries"));
        // Abbreviations and code elided in prose.
        assert!(same("a probe, e.g. an HTTP check, restarts it"));
        assert!(same("a probe, i.e. a check, vs. a hook"));
        assert!(same("lock the row, SELECT ... FOR UPDATE, so others block"));
        assert!(same("check it, e.g. UPDATE t SET v = v + 1 WHERE id = ? AND v = ?, and retry"));
        assert!(same("pods, services, etc. all get names"));
        assert!(!same("pods, services, etc. Then it retries"));
        assert!(!same("it is SLOW... Then it retries"));
        assert!(!same("is it safe? Yes"));
    }

    use super::*;

    fn surfaces(text: &str) -> Vec<String> {
        analyze(text).into_iter().map(|t| t.surface.to_string()).collect()
    }

    #[test]
    fn negation_reaches_past_its_verb_but_not_further() {
        assert!(negated("Compose does not give them a shared network", "shared"));
        assert!(negated("it does not restart the pod", "restart"));
        assert!(!negated("it does not wait for the database to be ready", "ready"));
        assert!(!negated("it is not slow, the network is shared", "shared"));
    }

    /// "Fail to", "refuse to" deny the verb after them; the same words before an
    /// article or a pronoun are a verb and a preposition, and deny nothing.
    #[test]
    fn a_negating_verb_denies_an_infinitive_not_a_place() {
        for (text, word) in [
            ("the container refused to start", "start"),
            ("it forgets to close the socket", "close"),
            ("the code failed to release each lock", "release"),
        ] {
            assert!(negated(text, word), "{text}");
        }
        for (text, word) in [
            ("access was refused to the user", "user"),
            ("the switch fails to a safe default", "safe"),
            ("the request failed to their gateway", "gateway"),
            ("the container never refused to start", "start"),
        ] {
            assert!(!negated(text, word), "{text}");
        }
    }

    #[test]
    fn the_ascii_fast_path_tokenises_as_the_general_one() {
        let texts = [
            "Use k8s with 250m CPU, 512Mi, CI/CD and requirements.txt on /api.",
            "livenessProbe vs. readinessProbe: it's `kubectl` -- not a/b /x y/ c++ c# a_b .net",
            "read-only - x-, -y (a) [b] \"c\"; d: e! f? g\nh. ABCdefGHI aB1 1aB a`b a'b 'a' x.y.z",
            "",
            " / // /a a/ a/b/ -a- .a. ...",
            "a do...while loop, a do... while loop... Then it ends... and then. it goes.. on",
        ];
        for text in texts {
            let fast = tokenize_raw(text);
            let general = SCRATCH.with(|cell| {
                let Scratch { words, chars, word, .. } = &mut *cell.borrow_mut();
                let ascii = tokenize_chars(words, word, &Ascii(text), Vec::new());
                normalise(text, chars);
                assert_eq!(ascii, tokenize_chars(words, word, chars.as_slice(), Vec::new()), "{text}");
                ascii
            });
            assert_eq!(fast, general, "{text}");
        }
    }

    #[test]
    fn same_str_is_equality() {
        let words = ["", "a", "ab", "abc", "abcd", "abce", "abcdefg", "abcdefh", "abcdefgh", "abcdefgi", "xbcdefgh"];
        let long =
            ["abcdefghijklmnop", "abcdefghijklmnoq", "abcdefghijklmnopq", "abcdefghijklmnopr", "bbcdefghijklmnop"];
        for a in words.iter().chain(&long) {
            for b in words.iter().chain(&long) {
                assert_eq!(same_str(a, b), a == b, "{a:?} {b:?}");
            }
        }
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
        let stems: Vec<String> = analyze("livenessProbe").into_iter().map(|t| t.stem.to_string()).collect();
        assert_eq!(stems, vec!["live", "probe"]);
    }

    /// A name that opens with "No" ("NoSQL", "NoSchedule") stays one word on both
    /// tokenisers, so it never reads as the negation "no"; other camelCase names still
    /// split, and a spaced "no SQL" is still two words.
    #[test]
    fn names_opening_with_no_stay_one_word() {
        let surfaces = |text: &str| analyze(text).into_iter().map(|t| t.surface.to_string()).collect::<Vec<_>>();
        assert_eq!(surfaces("NoSQL stores"), ["nosql", "stores"]);
        assert_eq!(surfaces("a PreferNoSchedule taint"), ["a", "prefer", "noschedule", "taint"]);
        assert_eq!(surfaces("NoSQL stores, café"), ["nosql", "stores", "café"]);
        assert_eq!(surfaces("no SQL here"), ["no", "sql", "here"]);
        assert_eq!(surfaces("NotReady"), ["not", "ready"]);
        assert!(analyze("NoSQL").iter().all(|t| !t.neg));
    }

    #[test]
    fn synonyms_map_abbreviations() {
        let stems: Vec<String> = analyze("k8s lb").into_iter().map(|t| t.stem.to_string()).collect();
        assert_eq!(stems, vec!["kubernet", "load", "balanc"]);
    }

    /// Every irregular form in `data/irregular_verbs.txt` reads as its base form, and
    /// keeps the span of what was written ("torn down" matches "tear down").
    #[test]
    fn irregular_verb_forms_read_as_their_base_form() {
        let stem = |w: &str| analyze(w).into_iter().map(|t| t.stem.to_string()).collect::<Vec<_>>();
        let table = include_str!("data/irregular_verbs.txt");
        let mut forms = 0;
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let Some((base, variants)) = line.split_once('=') else { continue };
            for form in variants.split(',').map(str::trim) {
                assert_eq!(stem(form), stem(base.trim()), "{form} reads as {base}");
                forms += 1;
            }
        }
        assert!(forms > 80, "{forms} forms read");
        let text = "AWS tears them down; the file was overwritten";
        let tokens = analyze(text);
        let overwritten = tokens.iter().find(|t| &text[t.start..t.end] == "overwritten").expect("span kept");
        assert_eq!(&*overwritten.stem, &*stem("overwrite")[0]);
        let keywords = ["tear down".to_string(), "overwrites the file".to_string()];
        let graded = super::super::grade("Q?", "R.", &keywords, "The pods are torn down and the file is overwritten.");
        assert_eq!(graded.covered(), keywords);
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
}
