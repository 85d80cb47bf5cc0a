//! System benchmarks live in `request_path.rs` (criterion), `scenarios/` (loadgen) and `scripts/`
//! (hyperfine and wrk); this library is empty.
