//! The topic's vocabulary (question, reference and concept words) and typo repair:
//! an answer word outside the vocabulary that is a likely misspelling or derivational
//! variant of a vocabulary word takes that word's stem, so "imgae" counts as "image"
//! everywhere (concepts, similarity, relations).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::fuzzy::{derivation_close, typo_close};
use super::fxhash::{FastMap, FastSet};
use super::intern::{intern, Stem};
use super::text::{same_str, stem_key, Token};

/// A word of the vocabulary.
#[derive(Debug, Clone)]
struct VocabWord {
    surface: String,
    stem: Stem,
    /// Which of 64 letter classes occur in the word (a cheap edit-distance filter).
    mask: u64,
}

fn letter_mask(word: &str) -> u64 {
    word.chars().fold(0u64, |m, c| m | 1 << (c as u32 % 64))
}

/// Content words of the topic, by stem and by first letter.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Identifies this vocabulary in the per-thread repair memo (clones share it, as
    /// they share the words).
    id: u64,
    stems: FastSet<String>,
    /// Every stem by its [`stem_key`], as a byte range of `stem_text` ([`COLLIDED`] for a
    /// key that two stems share): a token carries the key of its stem, so looking a stem
    /// up hashes no string (the strings are compared on a hit). Flat, so cloning a
    /// vocabulary stays cheap.
    by_key: FastMap<u64, (u32, u32)>,
    stem_text: String,
    /// 2,048-bit filter over the keys of `by_key` (their top 11 bits): most answer words
    /// are not in the vocabulary, and a clear bit says so with one test.
    key_filter: [u64; 32],
    by_first: FastMap<char, Vec<VocabWord>>,
}

impl Vocabulary {
    /// Collects the content words of `tokens`.
    pub fn new<'a>(tokens: impl Iterator<Item = &'a Token>) -> Vocabulary {
        let mut words: Vec<(String, String)> =
            tokens.filter(|t| !t.stop).map(|t| (t.surface.to_string(), t.stem.to_string())).collect();
        // Sorted, so that repair picks the same candidate every time.
        words.sort();
        words.dedup();
        let stems: FastSet<String> = words.iter().map(|(_, s)| s.clone()).collect();
        let mut by_key: FastMap<u64, (u32, u32)> = FastMap::default();
        let mut stem_text = String::new();
        let mut key_filter = [0u64; 32];
        for stem in &stems {
            let key = stem_key(stem);
            let (word, bit) = filter_bit(key);
            key_filter[word] |= bit;
            let start = u32::try_from(stem_text.len()).expect("a vocabulary under 4 GB");
            stem_text.push_str(stem);
            let end = u32::try_from(stem_text.len()).expect("a vocabulary under 4 GB");
            by_key.entry(key).and_modify(|r| *r = COLLIDED).or_insert((start, end));
        }
        let mut by_first: FastMap<char, Vec<VocabWord>> = FastMap::default();
        for (surface, stem) in words {
            if let Some(c) = surface.chars().next() {
                let mask = letter_mask(&surface);
                by_first.entry(c).or_default().push(VocabWord { surface, stem: intern(&stem), mask });
            }
        }
        Vocabulary { id: NEXT_ID.fetch_add(1, Ordering::Relaxed), stems, by_key, stem_text, key_filter, by_first }
    }

    /// True when `stem`, whose [`stem_key`] is `key`, is one of the vocabulary's.
    #[inline]
    fn has_stem(&self, key: u64, stem: &str) -> bool {
        let (word, bit) = filter_bit(key);
        if self.key_filter[word] & bit == 0 {
            return false;
        }
        match self.by_key.get(&key) {
            None => false,
            Some(&COLLIDED) => self.stems.contains(stem),
            Some(&(start, end)) => same_str(&self.stem_text[start as usize..end as usize], stem),
        }
    }

    /// The vocabulary's stems.
    pub fn stems(&self) -> &FastSet<String> {
        &self.stems
    }

    /// Rewrites the stems of misspelt or derived answer words to the vocabulary's.
    ///
    /// The search is a pure function of (vocabulary, word), so its results are
    /// memoised per thread: answers to one question reuse most of their words.
    pub fn repair(&self, tokens: &mut [Token]) {
        REPAIRS.with(|cell| {
            let all = &mut *cell.borrow_mut();
            if all.entries > MEMO_ENTRIES {
                all.by_vocab.clear();
                all.entries = 0;
            }
            let memo = all.by_vocab.entry(self.id).or_default();
            let in_vocab = |t: &Token| self.has_stem(t.key, &t.stem);
            // A word of fewer than MIN_REPAIRED chars is never repaired (see `find`),
            // and fewer bytes means fewer chars: such words skip the memo.
            for t in tokens.iter_mut() {
                if t.stop || t.surface.len() < MIN_REPAIRED || in_vocab(t) {
                    continue;
                }
                // Keyed by the address of the surface (shared with the word cache, and
                // kept alive by the entry, so no other word can take that address while
                // the entry exists) and the stem's key; confirmed on both.
                let key = (Rc::as_ptr(&t.surface) as *const u8 as usize, t.key);
                let list = memo.entry(key).or_default();
                let hit = list.iter().find(|e| {
                    Rc::ptr_eq(&e.surface, &t.surface) && (Rc::ptr_eq(&e.stem, &t.stem) || *e.stem == *t.stem)
                });
                let found = match hit {
                    Some(e) => e.found.clone(),
                    None => {
                        let found = self.find(t).map(|stem| (Rc::from(stem), stem_key(stem)));
                        list.push(MemoEntry { surface: t.surface.clone(), stem: t.stem.clone(), found: found.clone() });
                        all.entries += 1;
                        found
                    }
                };
                if let Some((stem, key)) = found {
                    t.stem = stem;
                    t.key = key;
                }
            }
        });
    }

    /// The vocabulary stem a misspelt or derived word stands for, if any.
    fn find(&self, t: &Token) -> Option<&str> {
        let first = t.surface.chars().next()?;
        let cands = self.by_first.get(&first)?;
        if t.surface.chars().count() < MIN_REPAIRED {
            return None;
        }
        let mask = letter_mask(&t.surface);
        let close = |v: &&VocabWord| {
            // Cheap filters first: one edit changes the length by at most one and the
            // letter set by at most two letters; stems get a little slack as their
            // endings differ from the surface forms.
            let edits: usize = if v.surface.len().max(t.surface.len()) <= 8 { 1 } else { 3 };
            derivation_close(&t.stem, &v.stem)
                || (v.surface.len().abs_diff(t.surface.len()) <= edits
                    && (v.mask ^ mask).count_ones() as usize <= 2 * edits + 2
                    && (typo_close(&t.surface, &v.surface) || typo_close(&t.stem, &v.stem)))
        };
        cands.iter().find(close).map(|v| &*v.stem)
    }
}

/// Shortest word (in chars) that [`Vocabulary::repair`] may repair: shorter ones are
/// too often a different word one edit away.
const MIN_REPAIRED: usize = 5;

/// Marks a key of [`Vocabulary::by_key`] that two stems share (never seen in
/// practice): such a stem is looked up by its string.
const COLLIDED: (u32, u32) = (u32::MAX, u32::MAX);

/// Bit of a stem key in [`Vocabulary::key_filter`] (FxHash mixes the top bits best).
fn filter_bit(key: u64) -> (usize, u64) {
    let b = (key >> 53) as usize;
    (b / 64, 1 << (b % 64))
}

static NEXT_ID: AtomicU64 = AtomicU64::new(0);
/// Bound of the per-thread repair memo, in (question, word) entries over all questions
/// (a few MB at most per thread; when exceeded the memo starts over). Bounded by entries
/// rather than questions, so that a bank of hundreds of questions does not clear it on
/// every answer.
const MEMO_ENTRIES: usize = 50_000;

/// Per vocabulary: (surface, stem) -> the repaired stem and its [`stem_key`].
#[derive(Default)]
struct RepairMemo {
    by_vocab: FastMap<u64, FastMap<(usize, u64), Vec<MemoEntry>>>,
    /// Entries over all vocabularies.
    entries: usize,
}

/// One memoised repair: the word (surface and stem) and what it was repaired to.
struct MemoEntry {
    surface: Rc<str>,
    stem: Rc<str>,
    found: Option<(Rc<str>, u64)>,
}

thread_local! {
    static REPAIRS: RefCell<RepairMemo> = RefCell::new(RepairMemo::default());
}

#[cfg(test)]
mod tests {
    use super::super::text::analyze;
    use super::*;

    #[test]
    fn misspellings_take_the_vocabulary_stem() {
        let vocab_tokens = analyze("dependencies registry container");
        let vocab = Vocabulary::new(vocab_tokens.iter());
        let mut answer = analyze("dependancies in a registy, one containr, a later pod");
        vocab.repair(&mut answer);
        let stems: Vec<&str> = answer.iter().map(|t| &*t.stem).collect();
        assert!(stems.contains(&"depend") && stems.contains(&"registri"), "{stems:?}");
        // Unrelated words stay as they are.
        assert!(stems.contains(&"later") && stems.contains(&"pod"), "{stems:?}");
    }

    #[test]
    fn adverbs_of_y_adjectives_take_the_adjective_stem() {
        let vocab = Vocabulary::new(analyze("lazy loading, easy rollbacks, a proper index").iter());
        let mut answer = analyze("lazily loading each row, rolled back easily, properly indexed, happily");
        vocab.repair(&mut answer);
        let stems: Vec<&str> = answer.iter().map(|t| &*t.stem).collect();
        assert!(stems.contains(&"lazi") && stems.contains(&"easi"), "{stems:?}");
        // Stems the stemmer already joins are left alone; adverbs of words the question
        // does not use stay as they are.
        assert!(stems.contains(&"proper") && stems.contains(&"happili"), "{stems:?}");
    }
}
