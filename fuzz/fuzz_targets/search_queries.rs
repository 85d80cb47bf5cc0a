#![no_main]
//! See `nist_csf_mcp_fuzz::harness::search`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| nist_csf_mcp_fuzz::harness::search::run(data));
