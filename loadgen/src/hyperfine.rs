//! The cold start measured a second way, by `hyperfine` (when installed), for a figure
//! anyone can reproduce without this crate. hyperfine times spawn → exit: the server gets the
//! `initialize` line on a pipe, answers it into a pipe, reads EOF and exits, so it is a little
//! more than spawn → reply, which `cold_start` times.

use std::{path::Path, process::Command};

use anyhow::{bail, Context as _};
use serde::Deserialize;

use crate::jsonrpc;

/// Whether `hyperfine` can be run.
pub fn available() -> bool {
    Command::new("hyperfine")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[derive(Deserialize)]
struct Export {
    results: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    times: Vec<f64>,
}

/// Runs `argv` `runs` times (after `warmup` runs) under hyperfine, writes its JSON export to
/// `export` and returns the run times in milliseconds.
pub fn cold_start(
    argv: &[String],
    runs: usize,
    warmup: usize,
    export: &Path,
) -> anyhow::Result<Vec<f64>> {
    // A pipe on stdin as a client gives it (the shell's builtin printf, no extra exec), and
    // `--output=pipe` for stdout: the server takes the same non-blocking pipe path as with a
    // real client. hyperfine subtracts the shell's own start-up.
    let quoted: Vec<String> = argv.iter().map(|a| shell_quote(a)).collect();
    let command = format!(
        "printf '%s\\n' {} | {}",
        shell_quote(&jsonrpc::initialize(0)),
        quoted.join(" ")
    );
    if let Some(dir) = export.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let out = Command::new("hyperfine")
        .args(["--style", "none", "--output", "pipe"])
        .args(["--runs", &runs.max(2).to_string()])
        .args(["--warmup", &warmup.to_string()])
        .arg("--export-json")
        .arg(export)
        .arg(&command)
        .output()
        .context("run hyperfine")?;
    if !out.status.success() {
        bail!(
            "hyperfine failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text =
        std::fs::read_to_string(export).with_context(|| format!("read {}", export.display()))?;
    let parsed: Export =
        serde_json::from_str(&text).with_context(|| format!("parse {}", export.display()))?;
    let entry = parsed
        .results
        .first()
        .context("hyperfine export has no result")?;
    Ok(entry.times.iter().map(|s| s * 1e3).collect())
}

/// `s` in single quotes for `sh`.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_survive_the_shell() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
