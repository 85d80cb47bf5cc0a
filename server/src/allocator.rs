//! The process allocator (mimalloc) and the settings we change in it.
//!
//! mimalloc returns freed memory to the OS after `purge_delay` (1 s by default in the v3 it
//! builds), but a delayed purge only runs when some thread calls into the allocator again.
//! After a burst of HTTP requests the runtime's worker and blocking threads go idle, so what
//! they freed stays resident. Purging at once fixes that. Measured with
//! `csf-loadgen flood --quick --only http-overload` (256 connections against
//! `--max-concurrent 4`, release build, 2-core VM), three runs each: peak RSS 53–65 MiB and
//! 49–63 MiB still resident 5 s later by default, 31–32 and 26–30 MiB with immediate purging.
//! `MIMALLOC_PURGE_DELAY` in the environment still wins.
//!
//! Purging at once has a price under steady load, though: every page that empties goes back
//! to the OS and is faulted in again by the next request (page faults, memory-cgroup charges,
//! TLB shootdowns: about a fifth of the HTTP server's CPU per call at 64 connections). So the
//! HTTP server purges after [`HTTP_PURGE_DELAY_MS`] instead: a runtime worker that runs out of
//! work hands its empty pages back ([`collect_this_thread`]), and a janitor thread runs the
//! purges that are due every [`JANITOR_PERIOD`] (mimalloc v3 purges per arena, from any
//! thread), so what a burst freed still leaves once the workers are idle.

use std::time::Duration;

use libmimalloc_sys::{mi_collect, mi_option_get, mi_option_set, mi_option_t};

/// `mi_option_purge_delay`: its position in `mi_option_e` (mimalloc v3's `mimalloc.h`).
const PURGE_DELAY: mi_option_t = 15;
/// Its default in that version: seeing it confirms the position (and that the environment did
/// not set the option).
const PURGE_DELAY_DEFAULT_MS: std::os::raw::c_long = 1000;

/// Purge freed memory immediately, unless the environment chose a delay. Returns whether the
/// setting was changed.
#[allow(unsafe_code)] // mimalloc option calls; SAFETY note inside
pub fn purge_freed_memory_at_once() -> bool {
    // SAFETY: reading and setting a mimalloc option by index has no memory-safety
    // preconditions; an index mimalloc does not know is ignored by it.
    unsafe {
        if mi_option_get(PURGE_DELAY) != PURGE_DELAY_DEFAULT_MS {
            return false;
        }
        mi_option_set(PURGE_DELAY, 0);
        mi_option_get(PURGE_DELAY) == 0
    }
}

/// How long freed memory stays mapped while the HTTP server runs: long enough for the next
/// requests to reuse it, short against the flood check's 5 s.
pub const HTTP_PURGE_DELAY_MS: std::os::raw::c_long = 50;

/// How often the janitor runs the purges that are due.
pub const JANITOR_PERIOD: Duration = Duration::from_millis(250);

/// For the HTTP server: purge after [`HTTP_PURGE_DELAY_MS`] instead of at once, with a janitor
/// thread that runs due purges. Only if [`purge_freed_memory_at_once`] set the delay (not the
/// environment). Returns whether the janitor runs.
#[allow(unsafe_code)] // mimalloc option and collect calls; SAFETY notes inside
pub fn purge_freed_memory_soon() -> bool {
    // SAFETY: as in `purge_freed_memory_at_once`.
    let ours = unsafe { mi_option_get(PURGE_DELAY) == 0 };
    if !ours || std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return false;
    }
    let janitor = std::thread::Builder::new()
        .name("mi-purge".into())
        .stack_size(64 * 1024)
        .spawn(|| loop {
            std::thread::sleep(JANITOR_PERIOD);
            // SAFETY: `mi_collect` may be called from any thread at any time; without `force`
            // it frees this thread's empty pages and runs the arena purges that are due.
            unsafe { mi_collect(false) };
        });
    if janitor.is_err() {
        return false; // no janitor: keep purging at once
    }
    // SAFETY: as above.
    unsafe { mi_option_set(PURGE_DELAY, HTTP_PURGE_DELAY_MS) };
    true
}

/// Hands this thread's empty pages back to the allocator's arenas (purged once due). For
/// runtime workers that run out of work.
#[allow(unsafe_code)] // mimalloc collect call; SAFETY note inside
pub fn collect_this_thread() {
    // SAFETY: `mi_collect` may be called from any thread at any time.
    unsafe { mi_collect(false) };
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_found_and_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return; // the environment's choice is respected, nothing to check
        }
        // Fails if a mimalloc upgrade moved the option or changed its default: then update the
        // constants from the new mimalloc.h / options.c.
        assert!(super::purge_freed_memory_at_once());
        assert!(!super::purge_freed_memory_at_once(), "set only once");
        // The HTTP server's setting follows ours, once.
        assert!(super::purge_freed_memory_soon());
        #[allow(unsafe_code)] // reading a mimalloc option
        // SAFETY: reading an option by index has no preconditions.
        let delay = unsafe { super::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, super::HTTP_PURGE_DELAY_MS);
        assert!(!super::purge_freed_memory_soon(), "set only once");
    }
}
