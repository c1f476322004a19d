//! A small, fast, deterministic hasher for the grader's internal maps (the FxHash
//! scheme used by rustc). The default SipHash is built to resist hash flooding, which
//! these maps of short words do not need, and it dominated lookup cost.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash state.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    /// The same hash as the default (`write` of the native bytes: one full chunk),
    /// without the byte loop: maps keyed by stem keys hash one `u64` per lookup.
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(u64::from_le_bytes(i.to_ne_bytes()));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// FxHash that reads the tail of a byte string in at most three steps (4, 2 and 1
/// bytes) rather than byte by byte: short words hash in a third of the steps. It gives
/// other hash values than [`FxHasher`], so it is only for maps whose iteration order
/// never matters (lookup-only caches).
#[derive(Default, Clone, Copy)]
pub struct TailHasher {
    inner: FxHasher,
}

impl Hasher for TailHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((c, tail)) = rest.split_first_chunk::<8>() {
            self.inner.add(u64::from_le_bytes(*c));
            rest = tail;
        }
        if let Some((c, tail)) = rest.split_first_chunk::<4>() {
            self.inner.add(u64::from(u32::from_le_bytes(*c)));
            rest = tail;
        }
        if let Some((c, tail)) = rest.split_first_chunk::<2>() {
            self.inner.add(u64::from(u16::from_le_bytes(*c)));
            rest = tail;
        }
        if let Some(&b) = rest.first() {
            self.inner.add(u64::from(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.inner.add(u64::from(i));
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.inner.finish()
    }
}

/// `HashMap` with [`FxHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// `HashMap` with [`TailHasher`]: only for maps that are looked up, never iterated.
pub type TailMap<K, V> = HashMap<K, V, BuildHasherDefault<TailHasher>>;
/// `HashSet` with [`FxHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;
