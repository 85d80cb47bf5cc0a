//! One measurement of one server command, outside any scenario file: what the `stdio`,
//! `http`, `cold-start`, `memory` and `icount` subcommands run, and what tests call.

use std::path::PathBuf;

use anyhow::Context as _;
use serde_json::Value;

use crate::{
    record::TargetResult,
    runner::{self, Context},
    scenario::{Call, Expect, Kind, Load, Scenario, Substitutions, Target},
};

/// The load and the call of an ad hoc run (defaults: 10k sequential `echo` calls).
#[derive(Debug, Clone)]
pub struct AdHoc {
    /// Server argv; for HTTP it must contain `{addr}`.
    pub command: Vec<String>,
    pub tool: String,
    /// Tool arguments (a JSON object).
    pub arguments: Value,
    /// Expected answers: (JSON pointer from the reply's root, value).
    pub expect: Vec<(String, Value)>,
    /// The load shape, as a scenario file's `[load]` gives it.
    pub load: Load,
    /// Cold start: also write the runs in hyperfine's JSON format here.
    pub export_json: Option<PathBuf>,
}

impl AdHoc {
    pub fn new(command: Vec<String>) -> Self {
        Self {
            command,
            tool: "echo".into(),
            arguments: serde_json::json!({"text": "ping"}),
            expect: Vec::new(),
            load: Load {
                requests: Some(10_000),
                warmup: 100,
                flood: 100_000,
                ..Load::default()
            },
            export_json: None,
        }
    }

    fn scenario(&self, kind: Kind) -> Scenario {
        let expect = self
            .expect
            .iter()
            .map(|(pointer, v)| Expect::equals(pointer, v.clone()))
            .collect();
        Scenario {
            name: "adhoc".into(),
            description: "ad hoc run".into(),
            kind,
            profiles: vec![],
            load: self.load.clone(),
            targets: vec![Target {
                name: "adhoc".into(),
                command: self.command.clone(),
                calls: vec![Call {
                    tool: self.tool.clone(),
                    arguments: self.arguments.clone(),
                    expect,
                }],
            }],
        }
    }
}

/// Parses `POINTER=JSON` (the `--expect` syntax).
pub fn parse_expect(spec: &str) -> anyhow::Result<(String, Value)> {
    let (pointer, v) = spec.split_once('=').context("--expect POINTER=JSON")?;
    let equals: Value =
        serde_json::from_str(v).with_context(|| format!("--expect value {v} is not JSON"))?;
    Ok((pointer.to_string(), equals))
}

/// Runs one measurement of `kind` against `a.command`; wrong answers are counted in the
/// row's `errors`, a server that cannot be measured at all is an `Err`.
pub fn measure(kind: Kind, a: &AdHoc) -> anyhow::Result<TargetResult> {
    let scenario = a.scenario(kind);
    let subs = Substitutions::default();
    let tmp = std::env::temp_dir().join(format!("csf-loadgen-{}-{}", std::process::id(), unique()));
    let ctx = Context {
        subs: &subs,
        out_dir: &tmp,
        work_dir: &tmp,
    };
    let measured = runner::measure(&scenario, &scenario.targets[0], &ctx);
    let exported = match (&measured, kind, &a.export_json) {
        (Ok(_), Kind::ColdStart, Some(dest)) => {
            std::fs::copy(tmp.join("adhoc.adhoc.hyperfine.json"), dest)
                .map(|_| ())
                .with_context(|| format!("write {}", dest.display()))
        }
        _ => Ok(()),
    };
    let _ = std::fs::remove_dir_all(&tmp);
    exported?;
    Ok(measured?.result)
}

/// A number no other ad hoc run of this process has used (runs may be concurrent in tests).
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
