//! Result rows: `results/<arch>/<scenario>.json`, one file per scenario, one entry per target,
//! plus target ÷ floor ratios for every figure both have, each with its 95% bootstrap interval
//! where the figure has samples.

use std::{collections::BTreeMap, path::Path};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::machine::RunInfo;

/// How many distinct failure messages a target row keeps (the count is always exact).
pub const MAX_ERROR_SAMPLES: usize = 5;

/// One scenario's recorded run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub scenario: String,
    pub kind: String,
    pub description: String,
    pub run: RunInfo,
    pub targets: Vec<TargetResult>,
    /// `target ÷ floor` for every other target (`ours`, `ours-static`) and every metric both
    /// report, measured in the same run.
    pub ratios: BTreeMap<String, Figures>,
}

/// Named figures with the 95% bootstrap interval of those that have samples.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Figures {
    pub values: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub intervals: BTreeMap<String, [f64; 2]>,
}

/// A target's bootstrap replicates per metric (kept in memory to bootstrap ratios; not saved).
pub type Replicates = BTreeMap<String, Vec<f64>>;

/// The name of the floor target, the denominator of every ratio.
pub const FLOOR: &str = "floor";

/// One target's figures in a scenario.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TargetResult {
    pub target: String,
    /// The exact argv that was started.
    pub command: Vec<String>,
    pub transport: String,
    /// Load shape: processes, window, connections, rate, session, requests or duration.
    pub conditions: BTreeMap<String, Value>,
    /// Wrong answers, protocol errors, lost replies: counted, never dropped.
    pub errors: u64,
    pub error_samples: Vec<String>,
    /// Named figures; units are in the names (`_us`, `_ms`, `_kb`, `_rps`, `_bytes`).
    pub metrics: BTreeMap<String, f64>,
    /// 95% bootstrap interval [low, high] of every figure computed from samples (medians of
    /// runs, latency quantiles, per-window throughput, per-process memory).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub intervals: BTreeMap<String, [f64; 2]>,
}

impl TargetResult {
    /// A figure and its interval (a figure without samples is exact: no interval).
    pub fn figure(&self, metric: &str) -> Option<(f64, Option<[f64; 2]>)> {
        let v = *self.metrics.get(metric)?;
        Some((v, self.intervals.get(metric).copied()))
    }
}

/// Collects error messages: exact count, a few distinct samples.
#[derive(Debug, Default)]
pub struct Errors {
    pub count: u64,
    pub samples: Vec<String>,
}

impl Errors {
    pub fn push(&mut self, msg: impl Into<String>) {
        self.count += 1;
        let msg = msg.into();
        if self.samples.len() < MAX_ERROR_SAMPLES && !self.samples.contains(&msg) {
            self.samples.push(msg);
        }
    }

    pub fn merge(&mut self, other: Errors) {
        self.count += other.count;
        for s in other.samples {
            if self.samples.len() < MAX_ERROR_SAMPLES && !self.samples.contains(&s) {
                self.samples.push(s);
            }
        }
    }
}

impl ScenarioResult {
    /// Fills `ratios` (every target ÷ the floor), with intervals where both targets have
    /// bootstrap replicates (`replicates[i]` belongs to `targets[i]`).
    pub fn compute_ratios(&mut self, replicates: &[Replicates]) {
        self.ratios.clear();
        let Some(fi) = self.targets.iter().position(|t| t.target == FLOOR) else {
            return;
        };
        let floor = &self.targets[fi];
        for (ti, t) in self.targets.iter().enumerate() {
            if ti == fi || t.errors > 0 && t.metrics.len() <= 1 {
                continue;
            }
            let mut figures = Figures::default();
            for (k, v) in &t.metrics {
                let Some(f) = floor.metrics.get(k) else {
                    continue;
                };
                if *f <= 0.0 || !v.is_finite() {
                    continue;
                }
                figures.values.insert(k.clone(), v / f);
                let reps = |i: usize| replicates.get(i).and_then(|r| r.get(k));
                if let (Some(a), Some(b)) = (reps(ti), reps(fi)) {
                    if let Some(ci) = crate::stats::ratio_interval(a, b) {
                        figures.intervals.insert(k.clone(), ci);
                    }
                }
            }
            self.ratios.insert(t.target.clone(), figures);
        }
    }

    /// A ratio figure of `target` ÷ floor and its interval.
    pub fn ratio(&self, target: &str, metric: &str) -> Option<(f64, Option<[f64; 2]>)> {
        let r = self.ratios.get(target)?;
        let v = *r.values.get(metric)?;
        Some((v, r.intervals.get(metric).copied()))
    }

    pub fn target(&self, name: &str) -> Option<&TargetResult> {
        self.targets.iter().find(|t| t.target == name)
    }

    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
        let path = dir.join(format!("{}.json", self.scenario));
        let text = serde_json::to_string_pretty(self)?;
        std::fs::write(&path, text + "\n").with_context(|| format!("write {}", path.display()))
    }
}

/// Collects a run's rows into one baseline file; returns how many rows it holds.
pub fn write_baseline(results: &Path, out: &Path) -> anyhow::Result<usize> {
    let rows = read_dir(results)?;
    if rows.is_empty() {
        anyhow::bail!("no result rows in {}", results.display());
    }
    std::fs::write(out, serde_json::to_string_pretty(&rows)? + "\n")
        .with_context(|| format!("write {}", out.display()))?;
    Ok(rows.len())
}

/// Reads every scenario result in `dir` (files `*.json` that parse as one), sorted by name.
pub fn read_dir(dir: &Path) -> anyhow::Result<Vec<ScenarioResult>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).with_context(|| format!("read {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        let is_json = path.extension().is_some_and(|e| e == "json");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !is_json || name.starts_with("baseline") || name.ends_with(".hyperfine.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        let value: Value =
            serde_json::from_str(&text).with_context(|| format!("parse {}", path.display()))?;
        // Other tools keep their own JSON here too (e.g. image.json from image-verify).
        if value.get("scenario").is_none() || value.get("targets").is_none() {
            tracing::debug!(path = %path.display(), "not a scenario row, skipped");
            continue;
        }
        let row: ScenarioResult =
            serde_json::from_value(value).with_context(|| format!("parse {}", path.display()))?;
        out.push(row);
    }
    out.sort_by(|a, b| a.scenario.cmp(&b.scenario));
    Ok(out)
}
