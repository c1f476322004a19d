//! One shared copy of each stem that prepared questions keep.
//!
//! A prepared question holds its concepts' and misconceptions' words as stems, and the
//! bank's 71 questions held about 120,000 of them as strings of their own, most a few
//! bytes long and the same few thousand words over and over (a misconception's claim
//! alone lists dozens of phrasings). Each was an allocation, and the server's memory
//! at rest was mostly such small allocations. [`intern`] hands out one reference-counted
//! copy per distinct stem instead.
//!
//! The table forgets a stem once nothing else holds it: when it has grown to twice the
//! size it had after the last sweep, it drops every entry only it still refers to. So
//! one-off questions (`/grade` with a reference of its own) cannot grow it for good.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

/// A stem shared through the [`intern`] table.
pub type Stem = Arc<str>;

/// Entries below which the table is never swept.
const MIN_SWEEP: usize = 4_096;

struct Table {
    stems: HashSet<Stem>,
    /// Size at which the next sweep runs.
    sweep_at: usize,
}

fn table() -> &'static Mutex<Table> {
    static TABLE: OnceLock<Mutex<Table>> = OnceLock::new();
    TABLE.get_or_init(|| Mutex::new(Table { stems: HashSet::new(), sweep_at: MIN_SWEEP }))
}

/// The shared copy of `stem`.
pub fn intern(stem: &str) -> Stem {
    // A poisoned lock only means another thread panicked mid-insert; the set is
    // still a valid set.
    let mut table = table().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(shared) = table.stems.get(stem) {
        return Arc::clone(shared);
    }
    if table.stems.len() >= table.sweep_at {
        table.stems.retain(|s| Arc::strong_count(s) > 1);
        table.sweep_at = (2 * table.stems.len()).max(MIN_SWEEP);
    }
    let shared: Stem = Arc::from(stem);
    table.stems.insert(Arc::clone(&shared));
    shared
}

/// Distinct stems the table holds now.
#[cfg(test)]
fn held() -> usize {
    table().lock().unwrap_or_else(|e| e.into_inner()).stems.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_stems_share_one_copy() {
        let a = intern("container");
        let b = intern(&String::from("container"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, "container");
        assert!(!Arc::ptr_eq(&a, &intern("contain")));
    }

    #[test]
    fn stems_nobody_holds_are_forgotten_as_the_table_grows() {
        let kept: Vec<Stem> = (0..100).map(|i| intern(&format!("kept-word-{i}"))).collect();
        for i in 0..40_000 {
            intern(&format!("one-off-word-{i}"));
        }
        // Without sweeps the one-off words alone would be 40,000 entries.
        assert!(held() < 20_000, "{} stems held", held());
        for (i, stem) in kept.iter().enumerate() {
            assert!(Arc::ptr_eq(stem, &intern(&format!("kept-word-{i}"))), "a stem still held was forgotten");
        }
    }
}
