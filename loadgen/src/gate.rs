//! The regression gate: compares a run with the committed baseline and with the targets
//! of `results/targets.toml`, and fails on
//! - any error in any row (a wrong answer is a failure, whatever the speed);
//! - a `[[target]]` with `gate = true` whose figure is outside its bound;
//! - a `[[regression]]` rule whose figure got worse than `max_factor` × baseline.
//!
//! Decisions are made on intervals, not single medians: a figure measured from samples carries
//! its 95% bootstrap interval, and it fails only when the whole interval lies beyond the bound
//! (the miss is real, not noise). A figure whose interval straddles the bound passes and says
//! so. Exact figures (image bytes) have no interval and are compared as they are. Stable
//! figures (instruction counts, page faults, memory) have narrow intervals and tight factors;
//! wall-clock figures are gated as ratios to the floor measured in the same run.

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
    /// A target name (`ours`, `ours-static`, `floor`, `linux/amd64`), `ratio` for ours ÷ floor
    /// or `ratio:TARGET` for TARGET ÷ floor.
    pub of: String,
    pub max: Option<f64>,
    pub min: Option<f64>,
    /// Fail the gate when missed (set once the product meets the target).
    #[serde(default)]
    pub gate: bool,
    /// Gate only runs on this architecture: a target met where it was measured, not yet
    /// shown on the other runner. Elsewhere it is reported, not gated.
    #[serde(default)]
    pub arch: Option<Arch>,
    /// A gated target whose figure is missing fails (default); `false` skips it (e.g. image
    /// size when no archive was built).
    #[serde(default = "yes")]
    pub required: bool,
    /// The reference server's figure, for context in the summary.
    #[serde(default)]
    pub reference: String,
}

/// A CPU architecture, named as `results/<arch>/` and the runs' `arch` field name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    Amd64,
    Arm64,
}

impl Arch {
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::Amd64 => "amd64",
            Arch::Arm64 => "arm64",
        }
    }
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

/// The target whose ratio to the floor `of` names (`ratio` = ours, `ratio:X` = X), if any.
pub fn ratio_of(of: &str) -> Option<&str> {
    match of {
        "ratio" => Some("ours"),
        _ => of.strip_prefix("ratio:"),
    }
}

/// Reads a figure and its interval: a target's metric, or a target ÷ floor ratio.
pub fn figure(
    rows: &[ScenarioResult],
    scenario: &str,
    of: &str,
    metric: &str,
) -> Option<(f64, Option<[f64; 2]>)> {
    let row = rows.iter().find(|r| r.scenario == scenario)?;
    match ratio_of(of) {
        Some(target) => row.ratio(target, metric),
        None => row.target(of)?.figure(metric),
    }
}

/// Reads a figure: a target's metric, or a target ÷ floor ratio.
pub fn value(rows: &[ScenarioResult], scenario: &str, of: &str, metric: &str) -> Option<f64> {
    figure(rows, scenario, of, metric).map(|(v, _)| v)
}

/// Where a figure stands against a bound, judged on its interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The whole interval is within the bound.
    Within,
    /// The interval straddles the bound: not shown to be a miss.
    Straddles,
    /// The whole interval is beyond the bound.
    Beyond,
}

/// `value` (interval `ci`) against `bound`, where `higher_is_worse` says which side misses.
pub fn standing(value: f64, ci: Option<[f64; 2]>, bound: f64, higher_is_worse: bool) -> Standing {
    let [lo, hi] = ci.unwrap_or([value, value]);
    let (best, worst) = if higher_is_worse { (lo, hi) } else { (hi, lo) };
    let beyond = |x: f64| {
        if higher_is_worse {
            x > bound
        } else {
            x < bound
        }
    };
    if beyond(best) {
        Standing::Beyond
    } else if beyond(worst) {
        Standing::Straddles
    } else {
        Standing::Within
    }
}

/// A figure against a target's min/max: the worse of the two standings.
pub fn target_standing(rule: &TargetRule, value: f64, ci: Option<[f64; 2]>) -> Standing {
    let mut s = Standing::Within;
    for st in [
        rule.max.map(|m| standing(value, ci, m, true)),
        rule.min.map(|m| standing(value, ci, m, false)),
    ]
    .into_iter()
    .flatten()
    {
        s = match (s, st) {
            (Standing::Beyond, _) | (_, Standing::Beyond) => Standing::Beyond,
            (Standing::Straddles, _) | (_, Standing::Straddles) => Standing::Straddles,
            _ => Standing::Within,
        };
    }
    s
}

fn ci_text(ci: Option<[f64; 2]>) -> String {
    ci.map_or(String::new(), |[lo, hi]| {
        format!(" [95% CI {lo:.4} – {hi:.4}]")
    })
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

/// Runs every check. `baseline` may be empty (then only errors and targets are checked, and
/// required regression rules fail for want of a baseline unless `require_baseline` is off).
pub fn check(
    run: &[ScenarioResult],
    baseline: &[ScenarioResult],
    targets: &Targets,
    require_baseline: bool,
) -> Vec<Check> {
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
        // Every row of a run carries the same machine.
        let run_arch = run.first().map(|r| r.run.arch.as_str());
        let other_arch = rule
            .arch
            .filter(|a| run_arch.is_some_and(|r| r != a.as_str()));
        let (verdict, detail) = match figure(run, &rule.scenario, &rule.of, &rule.metric) {
            _ if other_arch.is_some() => (
                Verdict::Skip,
                format!(
                    "gated on {} only (this run: {})",
                    other_arch.map_or("", Arch::as_str),
                    run_arch.unwrap_or_default()
                ),
            ),
            None if !rule.required => (
                Verdict::Skip,
                "not measured in this run (optional)".to_string(),
            ),
            None => (
                Verdict::Fail,
                "required figure missing from this run".to_string(),
            ),
            Some((v, ci)) => {
                let bound = bound_text(rule.min, rule.max);
                let ci_s = ci_text(ci);
                match target_standing(rule, v, ci) {
                    Standing::Beyond => (
                        Verdict::Fail,
                        format!(
                            "{v:.4}{ci_s} outside {bound} (reference server: {})",
                            rule.reference
                        ),
                    ),
                    Standing::Straddles => (
                        Verdict::Pass,
                        format!("{v:.4}{ci_s} straddles {bound}: not shown to miss"),
                    ),
                    Standing::Within => (Verdict::Pass, format!("{v:.4}{ci_s} within {bound}")),
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
        let cur = figure(run, &rule.scenario, &rule.of, &rule.metric);
        let base = value(baseline, &rule.scenario, &rule.of, &rule.metric);
        let (verdict, detail) = match (cur, base) {
            (Some((c, ci)), Some(b)) => {
                let higher_is_worse = rule.better == Better::Lower;
                let limit = if higher_is_worse {
                    b * rule.max_factor
                } else {
                    b / rule.max_factor
                };
                let change = if b != 0.0 {
                    format!("{:+.1}%", (c / b - 1.0) * 100.0)
                } else {
                    "n/a".into()
                };
                let detail = format!(
                    "baseline {b:.4}, now {c:.4}{} ({change}), limit {limit:.4}",
                    ci_text(ci)
                );
                match standing(c, ci, limit, higher_is_worse) {
                    Standing::Beyond => (Verdict::Fail, format!("{detail}; {}", rule.why)),
                    Standing::Straddles => (
                        Verdict::Pass,
                        format!("{detail}; straddles the limit: not shown to regress"),
                    ),
                    Standing::Within => (Verdict::Pass, detail),
                }
            }
            (None, _) if !rule.required => {
                (Verdict::Skip, "not measured in this run (optional)".into())
            }
            (None, _) => (
                Verdict::Fail,
                "required figure missing from this run".into(),
            ),
            (Some(_), None) if !rule.required || !require_baseline => (
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
    let old = *v;
    *v = if op == '*' { *v * num } else { num };
    let factor = if old != 0.0 { *v / old } else { f64::NAN };
    // The whole interval moves with the figure (every sample regressed alike); a set value
    // has no samples behind it.
    match t.intervals.get_mut(metric) {
        Some(ci) if factor.is_finite() => *ci = ci.map(|x| x * factor),
        _ => {
            t.intervals.remove(metric);
        }
    }
    if metric == "errors" {
        t.errors = *v as u64;
        t.error_samples.push("injected by --inject".into());
    }
    let is_floor = target == crate::record::FLOOR;
    for (name, figures) in &mut row.ratios {
        if !is_floor && name != target {
            continue;
        }
        let scale = if is_floor { 1.0 / factor } else { factor };
        if let Some(r) = figures.values.get_mut(metric) {
            *r *= scale;
        }
        match figures.intervals.get_mut(metric) {
            Some(ci) if scale.is_finite() => *ci = ci.map(|x| x * scale),
            _ => {
                figures.intervals.remove(metric);
            }
        }
    }
    Ok(())
}

/// What [`evaluate`] gates.
pub struct GateInput<'a> {
    /// Directory holding the run's `<scenario>.json` rows.
    pub results: &'a Path,
    /// The committed baseline (an array of rows); a missing file is an empty baseline.
    pub baseline: &'a Path,
    /// `results/targets.toml`.
    pub targets: &'a Path,
    /// Figures to alter before gating (see [`inject`]).
    pub inject: &'a [String],
    /// Fail required regression rules that have no baseline figure.
    pub require_baseline: bool,
}

/// Reads a run, the baseline and the rules, applies the injections, and checks.
pub fn evaluate(input: &GateInput<'_>) -> anyhow::Result<Vec<Check>> {
    let mut rows = crate::record::read_dir(input.results)?;
    if rows.is_empty() {
        anyhow::bail!("no result rows in {}", input.results.display());
    }
    for spec in input.inject {
        inject(&mut rows, spec)?;
        eprintln!("bench-gate: injected {spec}");
    }
    let baseline: Vec<ScenarioResult> = match std::fs::read_to_string(input.baseline) {
        Ok(text) => serde_json::from_str(&text)
            .with_context(|| format!("parse {}", input.baseline.display()))?,
        Err(e) => {
            eprintln!(
                "bench-gate: no baseline at {} ({e})",
                input.baseline.display()
            );
            Vec::new()
        }
    };
    let targets = Targets::load(input.targets)?;
    Ok(check(&rows, &baseline, &targets, input.require_baseline))
}

/// No check failed.
pub fn passed(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.verdict != Verdict::Fail)
}
