//! Result rows: `results/<arch>/<scenario>.json`, one file per scenario, one entry per target,
//! plus ours/floor ratios for every figure both targets have.

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
    /// `ours / floor` for every metric both targets report.
    pub ratios: BTreeMap<String, f64>,
}

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
    /// Fills `ratios` from the `ours` and `floor` targets.
    pub fn compute_ratios(&mut self) {
        self.ratios.clear();
        let find = |name: &str| self.targets.iter().find(|t| t.target == name);
        let (Some(ours), Some(floor)) = (find("ours"), find("floor")) else {
            return;
        };
        let mut ratios = BTreeMap::new();
        for (k, v) in &ours.metrics {
            if let Some(f) = floor.metrics.get(k) {
                if *f > 0.0 && v.is_finite() {
                    ratios.insert(k.clone(), v / f);
                }
            }
        }
        self.ratios = ratios;
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
