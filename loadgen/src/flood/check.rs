//! One flood check's outcome: pass, fail, or a finding (a weakness of the server that the
//! check demonstrates and reports, which is not this harness's to fix).

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    /// A reproducible weakness, reported to the owner of the server code.
    Finding,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub outcome: Outcome,
    /// One sentence: what was done and what happened.
    pub summary: String,
    /// Why it failed or what the finding is (empty on a clean pass).
    pub reasons: Vec<String>,
    /// Named figures (units in the names).
    pub figures: BTreeMap<String, f64>,
}

impl Check {
    pub fn new(name: &str) -> Check {
        Check {
            name: name.into(),
            outcome: Outcome::Pass,
            summary: String::new(),
            reasons: Vec::new(),
            figures: BTreeMap::new(),
        }
    }

    pub fn figure(&mut self, name: &str, v: f64) {
        self.figures.insert(name.into(), v);
    }

    /// Fails the check unless `ok`.
    pub fn require(&mut self, ok: bool, reason: impl Into<String>) {
        if !ok {
            self.outcome = Outcome::Fail;
            self.reasons.push(reason.into());
        }
    }

    /// Fails the check if anything went wrong, naming how many and the first.
    pub fn require_none(&mut self, what: &str, failures: &[String]) {
        if let Some(first) = failures.first() {
            self.require(false, format!("{} {what}: {first}", failures.len()));
        }
    }

    /// Records how the ordinary calls made during an attack went; any failure fails the check.
    pub fn ordinary_calls(&mut self, calls: u64, failed: &[String], worst: std::time::Duration) {
        self.figure("ordinary_calls", calls as f64);
        self.figure("ordinary_failed", failed.len() as f64);
        self.figure("ordinary_worst_ms", worst.as_secs_f64() * 1e3);
        self.require_none("ordinary calls failed", failed);
    }

    /// Records a finding unless `ok` (a failure stays a failure).
    pub fn finding(&mut self, ok: bool, reason: impl Into<String>) {
        if !ok {
            if self.outcome == Outcome::Pass {
                self.outcome = Outcome::Finding;
            }
            self.reasons.push(format!("FINDING: {}", reason.into()));
        }
    }

    /// A check that could not run at all.
    pub fn broken(name: &str, e: &anyhow::Error) -> Check {
        let mut c = Check::new(name);
        c.summary = "could not run".into();
        c.require(false, format!("{e:#}"));
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_outranks_finding() {
        let mut c = Check::new("x");
        c.finding(false, "slow");
        assert_eq!(c.outcome, Outcome::Finding);
        c.require(false, "wrong");
        assert_eq!(c.outcome, Outcome::Fail);
        c.finding(false, "again");
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.reasons.len(), 3);
        let mut ok = Check::new("y");
        ok.require(true, "never");
        ok.finding(true, "never");
        assert_eq!((ok.outcome, ok.reasons.len()), (Outcome::Pass, 0));
    }
}
