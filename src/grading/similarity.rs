//! Lexical similarity to the reference: TF-IDF cosine over stems and stem bigrams,
//! recall of the reference's content words (the largest single gain in measurements)
//! and how much of the answer is on topic.

use std::collections::BTreeMap;

use std::hash::Hasher;
use std::rc::Rc;
use std::sync::OnceLock;

use super::fxhash::{FastMap, FastSet, FxHasher};
use super::intern::{intern, Stem};

use super::text::{same_str, stem_key, Token};
use super::Corpus;

/// Term weights: IDF from the corpus when there is one, scaled down for function and
/// common words (which stay in the cosine: dropping them hurt in measurements).
#[derive(Debug, Clone, Default)]
pub struct Weighter {
    corpus: Corpus,
    /// Content stems of the question: saying them back shows little, so they weigh
    /// [`QUESTION_WORD_FACTOR`] of a fresh word in recall and cosine (measured: +0.01
    /// to +0.03 on real student answers, no loss on interview answers).
    question: FastSet<String>,
}

/// Weight of a question word relative to a fresh word of the reference.
const QUESTION_WORD_FACTOR: f64 = 0.5;

/// Bigrams count, but less than the words they are made of.
const BIGRAM_FACTOR: f64 = 0.5;

impl Weighter {
    pub fn new(corpus: &Corpus) -> Weighter {
        Weighter { corpus: corpus.clone(), question: FastSet::default() }
    }

    /// Demotes the content words of `question` (see [`Weighter::question`]).
    pub fn with_question(mut self, question: &[Token]) -> Weighter {
        self.question = question.iter().filter(|t| !t.stop).map(|t| t.stem.to_string()).collect();
        self
    }

    /// True when IDF comes from a corpus.
    pub fn has_corpus(&self) -> bool {
        !self.corpus.is_empty()
    }

    /// IDF of a stem normalised to 0..=1 (1.0 when there is no corpus).
    pub fn idf(&self, stem: &str) -> f64 {
        if self.corpus.is_empty() {
            return 1.0;
        }
        self.corpus.idf.get(stem).copied().unwrap_or(self.corpus.unseen_idf)
    }

    /// [`Weighter::idf`] of `stem`, whose [`stem_key`] is `key`: looked up by the key,
    /// so no string is hashed (the stem is compared on a hit).
    #[inline]
    fn idf_keyed(&self, key: u64, stem: &str) -> f64 {
        if self.corpus.is_empty() {
            return 1.0;
        }
        match self.corpus.idf_by_key.get(&key) {
            // No stem of the corpus has this key, so this one is not in it.
            None => self.corpus.unseen_idf,
            Some(Some((s, v))) if same_str(s, stem) => *v,
            // The only corpus stem with this key is another one.
            Some(Some(_)) => self.corpus.unseen_idf,
            // Two corpus stems share the key: look the string up.
            Some(None) => self.idf(stem),
        }
    }

    /// Weight of a token as a term.
    pub fn weight(&self, t: &Token) -> f64 {
        kind_factor(t) * self.asked_factor(&t.stem) * self.idf(&t.stem)
    }

    /// [`QUESTION_WORD_FACTOR`] for a content stem of the question, else 1.
    fn asked_factor(&self, stem: &str) -> f64 {
        if self.question.contains(stem) {
            QUESTION_WORD_FACTOR
        } else {
            1.0
        }
    }
}

/// The part of a token's weight its word class gives: function words and common words
/// weigh less.
fn kind_factor(t: &Token) -> f64 {
    if t.stop {
        0.25
    } else if t.common {
        0.6
    } else {
        1.0
    }
}

/// A map keyed by stem that hashes the stem's [`stem_key`] (carried by every token as
/// [`Token::key`]) instead of the string; stems with equal keys are told apart by the
/// string, so a collision never mixes two stems up. Built once per question and only
/// looked up after: open addressing over a table at most half full (slot = top bits of
/// the key), which a lookup probes with a shift and usually one comparison.
#[derive(Debug, Clone)]
struct StemMap<V> {
    /// (key, stem, value) in insertion order.
    entries: Vec<(u64, Stem, V)>,
    /// Index into `entries` per slot, [`NO_ENTRY`] for a free one.
    slots: Vec<u32>,
    /// Slot of a key: its top bits, as many as the table size needs.
    shift: u32,
    /// The keys present, so that most absent stems cost no probe at all.
    filter: KeyFilter,
}

/// A free slot of a [`StemMap`].
const NO_ENTRY: u32 = u32::MAX;

impl<V> Default for StemMap<V> {
    fn default() -> Self {
        StemMap { entries: Vec::new(), slots: Vec::new(), shift: 0, filter: KeyFilter::default() }
    }
}

impl<V> StemMap<V> {
    /// Index into `entries` of `stem`, whose key is `key`.
    #[inline(always)]
    fn position(&self, key: u64, stem: &str) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut s = (key >> self.shift) as usize;
        loop {
            let e = self.slots[s];
            if e == NO_ENTRY {
                return None;
            }
            let (k, st, _) = &self.entries[e as usize];
            if *k == key && same_str(st, stem) {
                return Some(e as usize);
            }
            s = (s + 1) & mask;
        }
    }

    #[inline(always)]
    fn get(&self, key: u64, stem: &str) -> Option<&V> {
        if !self.filter.may_contain(key) {
            return None;
        }
        self.position(key, stem).map(|e| &self.entries[e].2)
    }

    /// Puts entry `e` (key `key`) in the first free slot from its own.
    fn place(&mut self, key: u64, e: usize) {
        let mask = self.slots.len() - 1;
        let mut s = (key >> self.shift) as usize;
        while self.slots[s] != NO_ENTRY {
            s = (s + 1) & mask;
        }
        self.slots[s] = u32::try_from(e).expect("fewer than 2^32 stems");
    }

    fn get_or_insert_with(&mut self, stem: &str, make: impl FnOnce() -> V) -> &mut V {
        let key = stem_key(stem);
        if let Some(e) = self.position(key, stem) {
            return &mut self.entries[e].2;
        }
        self.filter.insert(key);
        self.entries.push((key, intern(stem), make()));
        let e = self.entries.len() - 1;
        if self.slots.len() < 2 * self.entries.len() {
            // Grow to keep the table at most half full, and place every entry again.
            let size = (2 * self.entries.len()).next_power_of_two().max(16);
            self.slots = vec![NO_ENTRY; size];
            self.shift = 64 - size.trailing_zeros();
            for i in 0..self.entries.len() {
                self.place(self.entries[i].0, i);
            }
        } else {
            self.place(key, e);
        }
        &mut self.entries[e].2
    }
}

/// A 2,048-bit filter over 64-bit keys (their top 11 bits, which FxHash mixes best): a
/// clear bit proves a key absent with one test, before any hash lookup.
#[derive(Debug, Clone, Copy, Default)]
struct KeyFilter([u64; 32]);

impl KeyFilter {
    fn bit(key: u64) -> (usize, u64) {
        let b = (key >> 53) as usize;
        (b / 64, 1 << (b % 64))
    }

    fn insert(&mut self, key: u64) {
        let (word, bit) = KeyFilter::bit(key);
        self.0[word] |= bit;
    }

    fn may_contain(&self, key: u64) -> bool {
        let (word, bit) = KeyFilter::bit(key);
        self.0[word] & bit != 0
    }
}

/// What the prepared question knows about one stem, looked up once per distinct answer
/// stem in [`RefVector::compare`].
#[derive(Debug, Clone, Default)]
struct StemInfo {
    /// TF-IDF weight in the reference vector.
    uni: Option<f64>,
    /// Weight in the recall of the reference's content words.
    recall: Option<f64>,
    /// [`Weighter::asked_factor`] and [`Weighter::idf`] of the stem.
    asked: f64,
    idf: f64,
    /// Part of the topic vocabulary.
    topic: bool,
}

/// The reference side, prepared once.
#[derive(Debug, Clone, Default)]
pub struct RefVector {
    uni: FastMap<String, f64>,
    /// Bigrams keyed by [`pair_key`].
    bi: FastMap<u64, f64>,
    /// The keys of `bi`: most of an answer's bigrams are not the reference's.
    bi_filter: KeyFilter,
    norm: f64,
    /// Content stems and their weights, for recall.
    recall_terms: FastMap<String, f64>,
    recall_total: f64,
    /// Every stem of the reference, the question and the topic with what `compare`
    /// needs of it (see [`RefVector::index`]); other stems have neither a reference
    /// weight nor a question factor, nor are they on topic.
    info: StemMap<StemInfo>,
    /// [`RefVector::index`] has run.
    indexed: bool,
}

/// Similarity signals of one answer.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SimScores {
    pub cosine: f64,
    pub recall: f64,
    /// Share of the answer's content words that belong to the topic vocabulary.
    pub precision: f64,
}

/// The order in which a reference's bigrams are summed: a 64-bit FxHash of both
/// stems.
fn pair_hash(a: &str, b: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(a.as_bytes());
    h.write_u8(0xff);
    h.write(b.as_bytes());
    h.finish()
}

/// Key of a stem bigram: the [`Token::key`]s of both stems mixed into one 64-bit
/// FxHash (collisions are negligible at the few hundred bigrams of a reference).
fn pair_key(a: &Token, b: &Token) -> u64 {
    let mut h = FxHasher::default();
    h.write_u64(a.key);
    h.write_u8(0xff);
    h.write_u64(b.key);
    h.finish()
}

/// Counts below this have their [`tf`] read from a table.
const TF_TABLE_LEN: usize = 32;

/// Term frequency weight of a count (a whole number: counts grow by 1.0).
fn tf(count: f64) -> f64 {
    // ln(1) is exactly 0: most terms occur once, and this skips the logarithm for them
    // without changing a bit.
    if count == 1.0 {
        return 1.0;
    }
    // The other small counts read the same expression, worked out once per process: the
    // same bits, without a logarithm per term and answer.
    static TABLE: OnceLock<[f64; TF_TABLE_LEN]> = OnceLock::new();
    if count < TF_TABLE_LEN as f64 && count.fract() == 0.0 && count >= 0.0 {
        let table = TABLE.get_or_init(|| std::array::from_fn(|n| 1.0 + (n as f64).ln()));
        return table[count as usize];
    }
    1.0 + count.ln()
}

impl RefVector {
    pub fn build(tokens: &[Token], w: &Weighter) -> RefVector {
        let mut counts: BTreeMap<String, (f64, f64)> = BTreeMap::new();
        let mut bi_counts: BTreeMap<u64, (f64, f64, u64)> = BTreeMap::new();
        for (i, t) in tokens.iter().enumerate() {
            let e = counts.entry(t.stem.to_string()).or_insert((0.0, w.weight(t)));
            e.0 += 1.0;
            if let Some(next) = tokens.get(i + 1).filter(|n| n.sentence == t.sentence) {
                let bw = BIGRAM_FACTOR * (w.weight(t) + w.weight(next)) / 2.0;
                // Ordered by the string hash, as the norm has always been summed in that
                // order (bit-for-bit identical scores); looked up by `pair_key`.
                let e = bi_counts.entry(pair_hash(&t.stem, &next.stem)).or_insert((0.0, bw, pair_key(t, next)));
                e.0 += 1.0;
            }
        }
        let uni: FastMap<String, f64> = counts.iter().map(|(k, (c, w))| (k.clone(), tf(*c) * w)).collect();
        let bi: FastMap<u64, f64> = bi_counts.values().map(|(c, w, k)| (*k, tf(*c) * w)).collect();
        let norm = counts
            .values()
            .copied()
            .chain(bi_counts.values().map(|(c, w, _)| (*c, *w)))
            .map(|(c, w)| (tf(c) * w).powi(2))
            .sum::<f64>()
            .sqrt();
        let mut recall: BTreeMap<String, f64> = BTreeMap::new();
        for t in tokens.iter().filter(|t| !t.stop) {
            recall.entry(t.stem.to_string()).or_insert_with(|| w.weight(t));
        }
        let recall_total = recall.values().sum();
        let recall_terms = recall.into_iter().collect();
        let mut bi_filter = KeyFilter::default();
        for &key in bi.keys() {
            bi_filter.insert(key);
        }
        RefVector { uni, bi, bi_filter, norm, recall_terms, recall_total, info: StemMap::default(), indexed: false }
    }

    /// Collects, for every stem of the reference, the question and `topic` (the topic
    /// vocabulary), what [`RefVector::compare`] looks up, so that grading looks each
    /// distinct answer stem up once. Call once the weighter and topic are final (a
    /// second call changes nothing).
    pub fn index(mut self, w: &Weighter, topic: &FastSet<String>) -> RefVector {
        if self.indexed {
            return self;
        }
        let mut info: StemMap<StemInfo> = StemMap::default();
        let stems = self.uni.keys().chain(self.recall_terms.keys()).chain(&w.question).chain(topic);
        for stem in stems {
            info.get_or_insert_with(stem, || StemInfo {
                uni: self.uni.get(stem).copied(),
                recall: self.recall_terms.get(stem).copied(),
                asked: w.asked_factor(stem),
                idf: w.idf(stem),
                topic: topic.contains(stem),
            });
        }
        self.info = info;
        self.indexed = true;
        // Only indexing reads these; the index holds what they said.
        self.uni = FastMap::default();
        self.recall_terms = FastMap::default();
        self
    }

    /// Compares an answer with the reference. `topic` is the vocabulary of the question,
    /// reference and concepts, for the on-topic share; it must be the one given to
    /// [`RefVector::index`] if that was called.
    pub fn compare(&self, answer: &[Token], w: &Weighter, topic: &FastSet<String>) -> SimScores {
        if !self.indexed {
            // Not indexed (unit tests build a bare vector): index on the fly.
            return self.clone().index(w, topic).compare(answer, w, topic);
        }
        COMPARE_SCRATCH.with(|cell| {
            // `compare` never calls itself once indexed, so the cell is borrowed once.
            let scratch = &mut *cell.borrow_mut();
            scratch.clear(answer.len());
            self.compare_with(answer, w, scratch)
        })
    }

    /// [`RefVector::compare`] on an indexed vector, with reused buffers.
    fn compare_with(&self, answer: &[Token], w: &Weighter, scratch: &mut CompareScratch) -> SimScores {
        let CompareScratch { index, terms, bi_index, bigrams } = scratch;
        // Distinct stems in first-occurrence order (a map only holds indices), so
        // floating-point sums always run in the same order: grading is bit-for-bit
        // deterministic. Each distinct stem is looked up once. One pass: each token
        // counts its term, and the bigram it closes with the token before it (whose
        // weight it carries over).
        let (mut content, mut on_topic) = (0usize, 0usize);
        let mut prev: Option<(&Token, f64)> = None;
        for (i, t) in answer.iter().enumerate() {
            let same = |x: &Term| same_stem(&answer[x.first].stem, &t.stem);
            let k = match index.get(t.key) {
                Some(k) if same(&terms[k]) => k,
                // Two stems with one key (never seen in practice): scan.
                Some(_) => terms.iter().position(same).unwrap_or_else(|| {
                    terms.push(self.term(i, t, w));
                    terms.len() - 1
                }),
                None => {
                    index.insert(t.key, terms.len());
                    terms.push(self.term(i, t, w));
                    terms.len() - 1
                }
            };
            let term = &mut terms[k];
            // The token's weight (a bigram's weight is made of its two tokens').
            let wt = kind_factor(t) * term.asked * term.idf;
            if term.count == 0.0 {
                term.weight = wt;
            }
            term.count += 1.0;
            if !t.stop {
                content += 1;
                on_topic += usize::from(term.topic);
            }
            if let Some((p, pw)) = prev.filter(|(p, _)| p.sentence == t.sentence) {
                let key = pair_key(p, t);
                let b = match bi_index.get(key) {
                    Some(b) => b,
                    None => {
                        bi_index.insert(key, bigrams.len());
                        bigrams.push((key, 0.0, BIGRAM_FACTOR * (pw + wt) / 2.0));
                        bigrams.len() - 1
                    }
                };
                bigrams[b].1 += 1.0;
            }
            prev = Some((t, wt));
        }
        let (mut dot, mut norm) = (0.0, 0.0);
        let mut recalled = 0.0;
        for term in terms.iter() {
            let v = tf(term.count) * term.weight;
            norm += v * v;
            if let Some(r) = term.uni {
                dot += v * r;
            }
            if let Some(r) = term.recall {
                recalled += r;
            }
        }
        for (key, c, wt) in bigrams.iter() {
            let v = tf(*c) * wt;
            norm += v * v;
            let r = if self.bi_filter.may_contain(*key) { self.bi.get(key) } else { None };
            if let Some(r) = r {
                dot += v * r;
            }
        }
        let denom = norm.sqrt() * self.norm;
        let cosine = if denom > 0.0 { (dot / denom).clamp(0.0, 1.0) } else { 0.0 };
        let recall = if self.recall_total > 0.0 { (recalled / self.recall_total).clamp(0.0, 1.0) } else { 0.0 };
        let precision = if content > 0 { on_topic as f64 / content as f64 } else { 0.0 };
        SimScores { cosine, recall, precision }
    }

    /// A new answer term for the stem of `t` (token `first`), with what the question
    /// knows of it. Inlined: it runs for most tokens, and a call costs a fifth of it.
    #[inline(always)]
    fn term(&self, first: usize, t: &Token, w: &Weighter) -> Term {
        let (uni, recall, asked, idf, topic) = match self.info.get(t.key, &t.stem) {
            Some(i) => (i.uni, i.recall, i.asked, i.idf, i.topic),
            None => (None, None, 1.0, w.idf_keyed(t.key, &t.stem), false),
        };
        Term { first, count: 0.0, weight: 0.0, uni, recall, asked, idf, topic }
    }
}

/// The buffers of [`RefVector::compare`], kept per thread so that grading an answer
/// allocates none of them (they only hold plain numbers, cleared before each use).
#[derive(Default)]
struct CompareScratch {
    /// Stem key -> index into `terms`.
    index: IndexTable,
    terms: Vec<Term>,
    /// Bigram key -> index into `bigrams`.
    bi_index: IndexTable,
    /// (key, count, weight) of each distinct bigram, in first-occurrence order.
    bigrams: Vec<(u64, f64, f64)>,
}

/// Above this many entries a buffer is dropped rather than kept (one very long answer
/// should not make every later clear slow).
const SCRATCH_KEEP: usize = 4096;

impl CompareScratch {
    /// Empties every buffer and makes room for `n` tokens.
    fn clear(&mut self, n: usize) {
        if self.index.capacity() > SCRATCH_KEEP || self.bi_index.capacity() > SCRATCH_KEEP {
            *self = CompareScratch::default();
        }
        self.index.reset(n);
        self.terms.clear();
        self.bi_index.reset(n);
        self.bigrams.clear();
        self.terms.reserve(n);
        self.bigrams.reserve(n);
    }
}

/// A map from 64-bit keys (FxHash outputs, well mixed) to indices, for at most the `n`
/// entries it was last [`IndexTable::reset`] for: open addressing with linear probing in
/// a table at most half full. Cheaper than a general hash map for the few dozen keys of
/// one answer: a lookup is a shift, a mask and usually one comparison, and emptying it
/// only starts a new generation (slots of older ones read as free).
#[derive(Default)]
struct IndexTable {
    /// (key, index, generation) per slot.
    slots: Vec<(u64, u32, u32)>,
    /// Slot of a key: its top bits, as many as the table size needs.
    shift: u32,
    /// The current generation (never 0 once reset, so fresh slots are free).
    generation: u32,
}

impl IndexTable {
    fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Empties the table and makes room for `n` entries.
    fn reset(&mut self, n: usize) {
        let size = (2 * n + 2).next_power_of_two().max(16);
        self.generation = self.generation.wrapping_add(1);
        if self.slots.len() < size || self.generation == 0 {
            self.slots.clear();
            self.slots.resize(size.max(self.slots.len()), (0, 0, 0));
            self.generation = 1;
        }
        self.shift = 64 - self.slots.len().trailing_zeros();
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key >> self.shift) as usize
    }

    /// The index stored for `key`.
    #[inline]
    fn get(&self, key: u64) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut s = self.slot(key);
        loop {
            let (k, v, g) = self.slots[s];
            if g != self.generation {
                return None;
            }
            if k == key {
                return Some(v as usize);
            }
            s = (s + 1) & mask;
        }
    }

    /// Stores `index` for `key`, which is not in the table. At most `n` keys (as given
    /// to [`IndexTable::reset`]) may be inserted, so a free slot always remains.
    #[inline]
    fn insert(&mut self, key: u64, index: usize) {
        let mask = self.slots.len() - 1;
        let mut s = self.slot(key);
        while self.slots[s].2 == self.generation {
            s = (s + 1) & mask;
        }
        self.slots[s] = (key, u32::try_from(index).expect("fewer than 2^32 terms"), self.generation);
    }
}

thread_local! {
    static COMPARE_SCRATCH: std::cell::RefCell<CompareScratch> = std::cell::RefCell::new(CompareScratch::default());
}

/// True when two stems are equal; tokens of one word share its stem, which makes most
/// comparisons a pointer comparison.
fn same_stem(a: &Rc<str>, b: &Rc<str>) -> bool {
    Rc::ptr_eq(a, b) || **a == **b
}

/// One distinct stem of an answer in [`RefVector::compare`].
struct Term {
    /// The token it first occurs at (its stem is that token's).
    first: usize,
    count: f64,
    /// Weight of its first occurrence.
    weight: f64,
    uni: Option<f64>,
    recall: Option<f64>,
    asked: f64,
    idf: f64,
    topic: bool,
}

#[cfg(test)]
mod tests {
    use super::super::text::analyze;
    use super::*;

    #[test]
    fn identical_text_has_cosine_one_and_full_recall() {
        let w = Weighter::default();
        let r = analyze("Liveness probes restart the container when it hangs.");
        let v = RefVector::build(&r, &w);
        let s = v.compare(&r, &w, &FastSet::default());
        assert!((s.cosine - 1.0).abs() < 1e-9, "{s:?}");
        assert!((s.recall - 1.0).abs() < 1e-9);
    }

    #[test]
    fn unrelated_text_scores_low() {
        let w = Weighter::default();
        let v = RefVector::build(&analyze("Liveness probes restart the container."), &w);
        let s = v.compare(&analyze("We used Ansible on VMs."), &w, &FastSet::default());
        assert!(s.cosine < 0.2 && s.recall == 0.0, "{s:?}");
    }
}
