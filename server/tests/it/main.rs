//! Integration tests of nist-csf-mcp: the tools in process (`CsfServer::call`), and the real
//! binary over stdio and HTTP (protocol, hostile input, crash consistency, concurrent writers,
//! security, the CLI), one test binary for all of them.
// A test fails by panicking: unwrap and friends are its assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod analysis_stdio;
mod analysis_tools;
mod assessment_tools;
mod bad_input_http;
mod bad_input_stdio;
mod bad_input_tools;
mod campaign_rounds;
mod campaigns;
mod cli_db_target;
mod cli_default_command;
mod cli_hash_key;
mod concurrent_writers;
mod console_campaigns_http;
mod console_http;
mod crash_consistency;
mod evidence_tools;
mod fuzz_regressions;
mod practitioner;
mod practitioner_analysis;
mod practitioner_plans;
mod practitioner_quick;
mod practitioner_refs;
mod readme;
mod reports_documents;
mod search_sampling;
mod security_audit;
mod security_disclosure;
mod security_exhaustion;
mod security_filesystem;
mod security_logs;
mod security_oauth_hardening;
mod security_review;
mod security_sessions;
mod security_sql;
mod stdio_protocol;
mod store_processes;
mod tools;
