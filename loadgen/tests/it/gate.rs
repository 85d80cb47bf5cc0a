//! Proves the regression gate: the committed baseline, gated against itself, passes; the
//! same rows with one deliberately regressed figure fail (exit code 1), rule by rule.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Writes the baseline's rows into a fresh directory as one `<scenario>.json` each,
/// the layout `csf-loadgen run` produces. The gate's logic does not depend on the
/// machine, so the amd64 baseline serves on every architecture.
fn run_dir_from_baseline(name: &str) -> (PathBuf, PathBuf) {
    let baseline = repo().join("results/amd64/baseline.json");
    let rows: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert!(!rows.is_empty(), "baseline has rows");
    let dir = std::env::temp_dir().join(format!("csf-gate-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for row in rows {
        let scenario = row["scenario"].as_str().unwrap().to_string();
        std::fs::write(dir.join(format!("{scenario}.json")), row.to_string()).unwrap();
    }
    (dir, baseline)
}

fn gate(dir: &Path, baseline: &Path, inject: &[&str]) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_csf-loadgen"));
    cmd.arg("gate")
        .arg("--results")
        .arg(dir)
        .arg("--baseline")
        .arg(baseline)
        .arg("--targets")
        .arg(repo().join("results/targets.toml"));
    for i in inject {
        cmd.arg("--inject").arg(i);
    }
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn baseline_passes_its_own_gate() {
    let (dir, baseline) = run_dir_from_baseline("pass");
    let (code, text) = gate(&dir, &baseline, &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains(" 0 failed"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn injected_regressions_fail_the_gate() {
    let cases = [
        (
            "memory:ours:rss_peak_kb*3",
            "regression memory/ours/rss_peak_kb",
        ),
        (
            "memory:ours:rss_idle_kb*1.5",
            "regression memory/ours/rss_idle_kb",
        ),
        (
            "icount-lookup:ours:ir_per_request*1.2",
            "regression icount-lookup/ours/ir_per_request",
        ),
        (
            "icount-search:ours:ir_per_request*1.2",
            "regression icount-search/ours/ir_per_request",
        ),
        (
            "lookup-stdio:ours:latency_p50_us*4",
            "regression lookup-stdio/ratio/latency_p50_us",
        ),
        (
            "stdio-8-clients:ours:throughput_rps*0.2",
            "regression stdio-8-clients/ratio/throughput_rps",
        ),
        ("lookup-stdio:ours:errors=3", "lookup-stdio/ours: no errors"),
    ];
    for (i, (inject, rule)) in cases.iter().enumerate() {
        let (dir, baseline) = run_dir_from_baseline(&format!("fail{i}"));
        let (code, text) = gate(&dir, &baseline, &[inject]);
        assert_eq!(code, 1, "{inject} must fail the gate:\n{text}");
        let failing: Vec<&str> = text.lines().filter(|l| l.starts_with("FAIL")).collect();
        assert!(
            failing.iter().any(|l| l.contains(rule)),
            "{inject} must fail rule {rule}, failed: {failing:?}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn small_noise_within_margins_passes() {
    // A 5% instruction-count drift and 20% slower ratio are inside the margins.
    let (dir, baseline) = run_dir_from_baseline("noise");
    let (code, text) = gate(
        &dir,
        &baseline,
        &[
            "icount-lookup:ours:ir_per_request*1.05",
            "lookup-stdio:ours:latency_p50_us*1.2",
        ],
    );
    assert_eq!(code, 0, "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_required_figure_fails() {
    let (dir, baseline) = run_dir_from_baseline("missing");
    std::fs::remove_file(dir.join("icount-lookup.json")).unwrap();
    let (code, text) = gate(&dir, &baseline, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("required figure missing"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}
