//! Memory the prepared question bank holds, counted by allocation.
//!
//! The server's memory at rest is mostly the prepared bank (every question's concepts,
//! misconceptions, vocabulary and similarity tables), kept as many small allocations;
//! their number, not only their bytes, is what the allocator's pages pay for. This
//! loads `questions/`, prepares every question as the server does, and prints the
//! bytes requested and the allocations still live afterwards, counted by a global
//! allocator that wraps the system's.
//!
//! Run: `cargo bench --bench bank_memory` (from the repository's folder).
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

struct Counting;

static BYTES: AtomicIsize = AtomicIsize::new(0);
static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed straight to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        BYTES.fetch_add(layout.size() as isize, Relaxed);
        LIVE.fetch_add(1, Relaxed);
        // SAFETY: the caller's contract is forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        BYTES.fetch_sub(layout.size() as isize, Relaxed);
        LIVE.fetch_sub(1, Relaxed);
        // SAFETY: the caller's contract is forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        BYTES.fetch_add(new_size as isize - layout.size() as isize, Relaxed);
        // SAFETY: the caller's contract is forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn counters() -> (isize, isize) {
    (BYTES.load(Relaxed), LIVE.load(Relaxed))
}

fn main() -> anyhow::Result<()> {
    let topics = rehearse::bank::load_dir(std::path::Path::new("questions"))?;
    // The word tables are built on first use; build them before counting.
    let warm = rehearse::practice::QuestionBank::from_files(&topics[..1])?;
    drop(warm);
    let (bytes, live) = counters();
    let bank = rehearse::practice::QuestionBank::from_files(&topics)?;
    let (after_bytes, after_live) = counters();
    println!(
        "prepared bank of {} questions: {:.2} MB requested in {} live allocations",
        bank.active_count(),
        (after_bytes - bytes) as f64 / 1e6,
        after_live - live
    );
    Ok(())
}
