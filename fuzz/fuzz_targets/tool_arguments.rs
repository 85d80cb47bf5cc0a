#![no_main]
//! See `nist_csf_mcp_fuzz::harness::tool_calls`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| nist_csf_mcp_fuzz::harness::tool_calls::run(data));
