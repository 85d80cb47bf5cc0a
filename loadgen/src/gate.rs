//! The regression gate: compares a run with the committed baseline and with the targets
//! of `results/targets.toml`, and fails on
//! - any error in any row (a wrong answer is a failure, whatever the speed);
//! - a `[[target]]` with `gate = true` outside its bound;
//! - a `[[regression]]` rule whose figure got worse than `max_factor` × baseline.
//!
//! Only stable figures are gated tightly (instruction counts, RSS, image bytes); wall-clock
//! figures are gated as ratios to the floor measured in the same run, with wide margins.

use std::{fmt::Write as _, path::Path};

use anyhow::Context as _;
use serde::Deserialize;

use crate::record::ScenarioResult;

/// `results/targets.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    #[serde(default, rename = "target")]
    pub targets: Vec<TargetRule>,
    #[serde(default, rename = "regression")]
    pub regressions: Vec<RegressionRule>,
}

/// Which number of a scenario a rule reads.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Lower,
    Higher,
}

/// An absolute target from the issue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetRule {
    pub figure: String,
    pub scenario: String,
    pub metric: String,
    /// A target name (`ours`, `floor`, `linux/amd64`) or `ratio` for ours/floor.
    pub of: String,
    pub max: Option<f64>,
    pub min: Option<f64>,
    /// Fail the gate when missed (only for stable figures).
    #[serde(default)]
    pub gate: bool,
    /// The reference server's figure, for context in the summary.
    #[serde(default)]
    pub reference: String,
}

/// A figure that must not get worse than its baseline by more than a factor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegressionRule {
    pub scenario: String,
    pub metric: String,
    pub of: String,
    pub max_factor: f64,
    #[serde(default = "lower")]
    pub better: Better,
    /// Fail when the figure is missing from the run (default); `false` skips it instead
    /// (e.g. image size when no archive was built).
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub why: String,
}

fn lower() -> Better {
    Better::Lower
}

fn yes() -> bool {
    true
}

impl Targets {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("read {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parse {}", path.display()))
    }
}

/// Reads a figure: a target's metric, or the ours/floor ratio.
pub fn value(rows: &[ScenarioResult], scenario: &str, of: &str, metric: &str) -> Option<f64> {
    let row = rows.iter().find(|r| r.scenario == scenario)?;
    if of == "ratio" {
        return row.ratios.get(metric).copied();
    }
    row.target(of)?.metrics.get(metric).copied()
}

/// Outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    Skip,
}

/// One line of the gate's report.
#[derive(Debug, Clone)]
pub struct Check {
    pub verdict: Verdict,
    pub what: String,
    pub detail: String,
}

/// Runs every check. `baseline` may be empty (then only errors and targets are checked,
/// and required regression rules fail for want of a baseline).
pub fn check(run: &[ScenarioResult], baseline: &[ScenarioResult], targets: &Targets) -> Vec<Check> {
    let mut out = Vec::new();
    for row in run {
        for t in &row.targets {
            let verdict = if t.errors == 0 {
                Verdict::Pass
            } else {
                Verdict::Fail
            };
            out.push(Check {
                verdict,
                what: format!("{}/{}: no errors", row.scenario, t.target),
                detail: if t.errors == 0 {
                    "0 errors".into()
                } else {
                    format!("{} errors, e.g. {}", t.errors, t.error_samples.join(" | "))
                },
            });
        }
    }
    for rule in targets.targets.iter().filter(|r| r.gate) {
        let what = format!(
            "target {} ({}/{}/{})",
            rule.figure, rule.scenario, rule.of, rule.metric
        );
        let (verdict, detail) = match value(run, &rule.scenario, &rule.of, &rule.metric) {
            None => (Verdict::Skip, "not measured in this run".to_string()),
            Some(v) => {
                let over = rule.max.is_some_and(|m| v > m);
                let under = rule.min.is_some_and(|m| v < m);
                let bound = bound_text(rule.min, rule.max);
                if over || under {
                    (
                        Verdict::Fail,
                        format!(
                            "{v:.4} outside {bound} (reference server: {})",
                            rule.reference
                        ),
                    )
                } else {
                    (Verdict::Pass, format!("{v:.4} within {bound}"))
                }
            }
        };
        out.push(Check {
            verdict,
            what,
            detail,
        });
    }
    for rule in &targets.regressions {
        let what = format!(
            "regression {}/{}/{} (×{})",
            rule.scenario, rule.of, rule.metric, rule.max_factor
        );
        let cur = value(run, &rule.scenario, &rule.of, &rule.metric);
        let base = value(baseline, &rule.scenario, &rule.of, &rule.metric);
        let (verdict, detail) = match (cur, base) {
            (Some(c), Some(b)) => {
                let (limit, worse) = match rule.better {
                    Better::Lower => (b * rule.max_factor, c > b * rule.max_factor),
                    Better::Higher => (b / rule.max_factor, c < b / rule.max_factor),
                };
                let change = if b != 0.0 {
                    format!("{:+.1}%", (c / b - 1.0) * 100.0)
                } else {
                    "n/a".into()
                };
                let detail = format!("baseline {b:.4}, now {c:.4} ({change}), limit {limit:.4}");
                if worse {
                    (Verdict::Fail, format!("{detail}; {}", rule.why))
                } else {
                    (Verdict::Pass, detail)
                }
            }
            (None, _) if !rule.required => {
                (Verdict::Skip, "not measured in this run (optional)".into())
            }
            (None, _) => (
                Verdict::Fail,
                "required figure missing from this run".into(),
            ),
            (Some(_), None) if !rule.required => (
                Verdict::Skip,
                "no baseline for this figure (optional): record one".into(),
            ),
            (Some(_), None) => (
                Verdict::Fail,
                "no baseline for this figure: record one".into(),
            ),
        };
        out.push(Check {
            verdict,
            what,
            detail,
        });
    }
    out
}

fn bound_text(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(lo), Some(hi)) => format!("[{lo}, {hi}]"),
        (Some(lo), None) => format!("≥ {lo}"),
        (None, Some(hi)) => format!("≤ {hi}"),
        (None, None) => "(no bound)".into(),
    }
}

/// The report as text; failures first so they are seen.
pub fn report(checks: &[Check]) -> String {
    let mut s = String::new();
    let mut sorted: Vec<&Check> = checks.iter().collect();
    sorted.sort_by_key(|c| match c.verdict {
        Verdict::Fail => 0,
        Verdict::Skip => 1,
        Verdict::Pass => 2,
    });
    for c in sorted {
        let tag = match c.verdict {
            Verdict::Pass => "pass",
            Verdict::Fail => "FAIL",
            Verdict::Skip => "skip",
        };
        let _ = writeln!(s, "{tag}  {}: {}", c.what, c.detail);
    }
    let fails = checks.iter().filter(|c| c.verdict == Verdict::Fail).count();
    let passes = checks.iter().filter(|c| c.verdict == Verdict::Pass).count();
    let skips = checks.len() - fails - passes;
    let _ = writeln!(
        s,
        "bench-gate: {passes} passed, {fails} failed, {skips} skipped"
    );
    s
}

/// Alters one figure of a run to prove the gate catches it:
/// `SCENARIO:TARGET:METRIC*FACTOR` multiplies, `SCENARIO:TARGET:METRIC=VALUE` sets
/// (`:` separates, since image targets are platforms like `linux/amd64`).
pub fn inject(rows: &mut [ScenarioResult], spec: &str) -> anyhow::Result<()> {
    const USAGE: &str =
        "inject: expected SCENARIO:TARGET:METRIC*FACTOR or SCENARIO:TARGET:METRIC=VALUE";
    let (path, op, num) = match (spec.split_once('*'), spec.split_once('=')) {
        (Some((p, n)), _) => (p, '*', n),
        (None, Some((p, n))) => (p, '=', n),
        (None, None) => anyhow::bail!("{USAGE}, got {spec}"),
    };
    let num: f64 = num
        .parse()
        .with_context(|| format!("{USAGE}, got {spec}"))?;
    let mut parts = path.splitn(3, ':');
    let (Some(scenario), Some(target), Some(metric)) = (parts.next(), parts.next(), parts.next())
    else {
        anyhow::bail!("{USAGE}, got {spec}");
    };
    let row = rows
        .iter_mut()
        .find(|r| r.scenario == scenario)
        .with_context(|| format!("inject: no scenario {scenario} in the run"))?;
    let t = row
        .targets
        .iter_mut()
        .find(|t| t.target == target)
        .with_context(|| format!("inject: no target {target} in {scenario}"))?;
    let v = t
        .metrics
        .get_mut(metric)
        .with_context(|| format!("inject: no metric {metric} in {scenario}/{target}"))?;
    *v = if op == '*' { *v * num } else { num };
    if metric == "errors" {
        t.errors = *v as u64;
        t.error_samples.push("injected by --inject".into());
    }
    row.compute_ratios();
    Ok(())
}
