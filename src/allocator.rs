//! How the process allocates memory; [`configure`] runs first thing in `main` (and in
//! the grading benchmark, which measures grading as the server runs it).
//!
//! Rust's allocations go to mimalloc (the binary's `#[global_allocator]`): each thread
//! allocates from a heap of its own, where glibc's malloc made the server's threads
//! (async workers, database connections, grading, hashing) take turns on two shared
//! arenas. Under 64 learners answering back to back (`cargo bench --bench load`, A/B
//! pairs in docs/performance-notes.md) that gave 2,876-2,883 answers/s against
//! 2,261, p99 31.6-31.8 ms against 40.0, for a peak RSS of 53.5-56.5 MB against
//! 48.3-50.4. SQLite is C and allocates through glibc's malloc still.

/// Sets up both allocators; call before any other thread starts.
pub fn configure() {
    limit_malloc_arenas();
    tune_mimalloc();
}

/// glibc's malloc gives each thread that allocates an arena of its own, up to eight per
/// core, and keeps what each arena once held: SQLite's connection threads kept
/// megabytes each. Two arenas serve them as fast here. `MALLOC_ARENA_MAX` in the
/// environment still overrides this.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: called before any other thread exists; mallopt only sets a parameter.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

/// mimalloc's defaults back its arenas with transparent huge pages, keep freed memory
/// for a while and commit arenas up front, which took the server's peak RSS from about
/// 50 MB to 80-120 MB under the load script (a touched byte faulted in 2 MiB) and added
/// stalls of up to 200 ms (the kernel compacting memory for huge pages). Here huge pages
/// are refused for the whole process (a flag of the process, which only its children
/// inherit), freed pages go back at once and arenas are committed as they are used.
/// Each setting yields to its `MIMALLOC_*` variable when that is set.
fn tune_mimalloc() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: sets a flag of this process; the call reads no memory of ours.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
    // Positions in mimalloc.h's `mi_option_e`, the same in its versions 2 and 3.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    for (option, variable) in
        [(ARENA_EAGER_COMMIT, "MIMALLOC_ARENA_EAGER_COMMIT"), (PURGE_DELAY, "MIMALLOC_PURGE_DELAY")]
    {
        if std::env::var_os(variable).is_none() {
            // SAFETY: sets one of mimalloc's options; 0 is a valid value of both.
            unsafe { libmimalloc_sys::mi_option_set(option, 0) };
        }
    }
}
