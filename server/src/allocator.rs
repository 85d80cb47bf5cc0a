//! The process allocator (mimalloc) and the one setting we change in it.
//!
//! mimalloc returns freed memory to the OS after `purge_delay` (1 s by default in the v3 it
//! builds), but a delayed purge only runs when the thread that freed the memory calls the
//! allocator again. After a burst of HTTP requests the runtime's worker and blocking threads go
//! idle, so what they freed stays resident. Purging at once fixes that. Measured with
//! `csf-loadgen flood --quick --only http-overload` (256 connections against
//! `--max-concurrent 4`, release build, 2-core VM), three runs each: peak RSS 53–65 MiB and
//! 49–63 MiB still resident 5 s later by default, 31–32 and 26–30 MiB with immediate purging.
//! `MIMALLOC_PURGE_DELAY` in the environment still wins.

use libmimalloc_sys::{mi_option_get, mi_option_set, mi_option_t};

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
    }
}
