//! Proves the regression gate: the committed baseline, gated against itself, passes; the
//! same rows with one deliberately regressed figure fail, rule by rule; and on real
//! measurements, a rerun of the same binary passes while a 10% regression of its start-up
//! work (page faults) or memory (idle PSS) fails, decided on intervals.

use std::path::{Path, PathBuf};

use csf_loadgen::{
    gate::{self, Check, GateInput, Verdict},
    machine::RunInfo,
    record::ScenarioResult,
    runner::{self, Context},
    scenario::{Scenario, Substitutions},
};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("csf-gate-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the baseline's rows into a fresh directory as one `<scenario>.json` each,
/// the layout `csf-loadgen run` produces. The gate's logic does not depend on the
/// machine, so the amd64 baseline serves on every architecture.
fn run_dir_from_baseline(name: &str) -> (PathBuf, PathBuf) {
    let baseline = repo().join("results/amd64/baseline.json");
    let rows: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert!(!rows.is_empty(), "baseline has rows");
    let dir = scratch(name);
    for row in rows {
        let scenario = row["scenario"].as_str().unwrap().to_string();
        std::fs::write(dir.join(format!("{scenario}.json")), row.to_string()).unwrap();
    }
    (dir, baseline)
}

fn gate_with(dir: &Path, baseline: &Path, targets: &Path, inject: &[&str]) -> Vec<Check> {
    let inject: Vec<String> = inject.iter().map(|s| s.to_string()).collect();
    gate::evaluate(&GateInput {
        results: dir,
        baseline,
        targets,
        inject: &inject,
        require_baseline: true,
    })
    .unwrap()
}

fn gate(dir: &Path, baseline: &Path, inject: &[&str]) -> (bool, String) {
    let checks = gate_with(dir, baseline, &repo().join("results/targets.toml"), inject);
    (gate::passed(&checks), gate::report(&checks))
}

fn failing(checks: &[Check]) -> Vec<String> {
    checks
        .iter()
        .filter(|c| c.verdict == Verdict::Fail)
        .map(|c| format!("{}: {}", c.what, c.detail))
        .collect()
}

#[test]
fn baseline_passes_its_own_gate() {
    let (dir, baseline) = run_dir_from_baseline("pass");
    let (ok, text) = gate(&dir, &baseline, &[]);
    assert!(ok, "{text}");
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
        let (ok, text) = gate(&dir, &baseline, &[inject]);
        assert!(!ok, "{inject} must fail the gate:\n{text}");
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
    let (ok, text) = gate(
        &dir,
        &baseline,
        &[
            "icount-lookup:ours:ir_per_request*1.05",
            "lookup-stdio:ours:latency_p50_us*1.2",
        ],
    );
    assert!(ok, "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_required_figure_fails() {
    let (dir, baseline) = run_dir_from_baseline("missing");
    std::fs::remove_file(dir.join("icount-lookup.json")).unwrap();
    let (ok, text) = gate(&dir, &baseline, &[]);
    assert!(!ok, "{text}");
    assert!(text.contains("required figure missing"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_target_gated_on_another_architecture_is_reported_not_gated() {
    // The baseline's rows were measured on amd64; a bound no server meets, gated on each
    // architecture in turn.
    let (dir, baseline) = run_dir_from_baseline("arch");
    let targets = dir.join("targets.toml");
    for (arch, fails) in [("arm64", false), ("amd64", true)] {
        std::fs::write(
            &targets,
            format!(
                "[[target]]\nfigure = \"idle RSS\"\nscenario = \"memory\"\n\
                 metric = \"rss_idle_kb\"\nof = \"ours\"\ngate = true\narch = \"{arch}\"\n\
                 max = 1\n"
            ),
        )
        .unwrap();
        let checks = gate_with(&dir, &baseline, &targets, &[]);
        let rule = checks
            .iter()
            .find(|c| c.what.starts_with("target idle RSS"))
            .unwrap();
        let report = gate::report(&checks);
        assert_eq!(gate::passed(&checks), !fails, "gated on {arch}: {report}");
        let expected = if fails { Verdict::Fail } else { Verdict::Skip };
        assert_eq!(rule.verdict, expected, "gated on {arch}: {report}");
    }
    // A run without the rule's scenario: still another architecture's rule, not a missing
    // figure.
    std::fs::write(
        &targets,
        "[[target]]\nfigure = \"idle RSS\"\nscenario = \"memory\"\nmetric = \"rss_idle_kb\"\n\
         of = \"ours\"\ngate = true\narch = \"arm64\"\nmax = 1\n",
    )
    .unwrap();
    std::fs::remove_file(dir.join("memory.json")).unwrap();
    let checks = gate_with(&dir, &baseline, &targets, &[]);
    assert!(gate::passed(&checks), "{}", gate::report(&checks));
    // A misspelt architecture is refused, naming the valid ones.
    std::fs::write(
        &targets,
        "[[target]]\nfigure = \"x\"\nscenario = \"memory\"\nmetric = \"rss_idle_kb\"\n\
         of = \"ours\"\narch = \"x86_64\"\nmax = 1\n",
    )
    .unwrap();
    let refused = gate::Targets::load(&targets).unwrap_err();
    let text = format!("{refused:#}");
    assert!(text.contains("amd64") && text.contains("arm64"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The server command measured by `rerun_passes_and_a_ten_percent_regression_fails`: the
/// shipped binary when `CSF_GATE_SERVER` names it (`make bench-gate-proof`: the release and the
/// image binary), else the floor server cargo built for this test. The gate's decision is the
/// same logic either way.
fn measured_server() -> Vec<String> {
    match std::env::var("CSF_GATE_SERVER") {
        Ok(bin) => vec![bin, "serve".into()],
        Err(_) => vec![env!("CARGO_BIN_EXE_rmcp-floor").into()],
    }
}

/// Runs the cold-start and memory scenarios (with their short-profile sizes) against the
/// server into `dir`.
fn measure_startup(server: &[String], dir: &Path) -> Vec<ScenarioResult> {
    let subs = Substitutions {
        ours: server[0].clone(),
        ours_static: None,
        floor: env!("CARGO_BIN_EXE_rmcp-floor").into(),
    };
    let work = dir.join("work");
    let ctx = Context {
        subs: &subs,
        out_dir: dir,
        work_dir: &work,
    };
    let info = RunInfo::collect("short");
    let mut rows = Vec::new();
    for name in ["cold-start", "memory"] {
        let path = repo().join(format!("benches/scenarios/{name}.toml"));
        let mut scenario = Scenario::load(&path, "short").unwrap();
        // One target, named ours, with the calls its server understands (the floor has only
        // `echo`). A small flood keeps it quick.
        let source = if server.len() > 1 { "ours" } else { "floor" };
        scenario.targets.retain(|t| t.name == source);
        scenario.targets[0].name = "ours".into();
        scenario.targets[0].command = server.to_vec();
        scenario.load.flood = scenario.load.flood.min(2000);
        let row = runner::run_scenario(&scenario, &info, &ctx).unwrap();
        let ours = row.target("ours").unwrap();
        assert_eq!(ours.errors, 0, "{:?}", ours.error_samples);
        row.write(dir).unwrap();
        rows.push(row);
    }
    rows
}

#[test]
fn rerun_passes_and_a_ten_percent_regression_fails() {
    let server = measured_server();
    let first = scratch("first");
    let rows = measure_startup(&server, &first);
    let baseline = first.join("baseline.json");
    std::fs::write(&baseline, serde_json::to_string(&rows).unwrap()).unwrap();

    // Rules on the stable figures only, 5% margins: start-up page faults and idle memory.
    let targets = first.join("targets.toml");
    std::fs::write(
        &targets,
        r#"
[[regression]]
scenario = "cold-start"
metric = "startup_faults"
of = "ours"
max_factor = 1.05

[[regression]]
scenario = "memory"
metric = "pss_idle_kb"
of = "ours"
max_factor = 1.05

[[regression]]
scenario = "memory"
metric = "rss_idle_kb"
of = "ours"
max_factor = 1.05
"#,
    )
    .unwrap();

    let rerun = scratch("rerun");
    measure_startup(&server, &rerun);
    let checks = gate_with(&rerun, &baseline, &targets, &[]);
    assert!(
        gate::passed(&checks),
        "a rerun of {server:?} must pass: {:?}",
        failing(&checks)
    );
    for c in checks.iter().filter(|c| c.what.starts_with("regression")) {
        assert!(
            c.detail.contains("95% CI"),
            "decided on an interval: {}",
            c.detail
        );
    }

    for (inject, rule) in [
        (
            "cold-start:ours:startup_faults*1.1",
            "regression cold-start/ours/startup_faults",
        ),
        (
            "memory:ours:pss_idle_kb*1.1",
            "regression memory/ours/pss_idle_kb",
        ),
    ] {
        let checks = gate_with(&rerun, &baseline, &targets, &[inject]);
        let failed = failing(&checks);
        assert!(
            failed.iter().any(|f| f.starts_with(rule)),
            "{inject} on {server:?} must fail {rule}; failed: {failed:?}"
        );
    }
    std::fs::remove_dir_all(&first).unwrap();
    std::fs::remove_dir_all(&rerun).unwrap();
}
