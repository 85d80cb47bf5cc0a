//! Workloads as data: one TOML file per scenario (see `benches/scenarios/`).
//!
//! A scenario names the measurement (`kind`), the load shape, and for every target
//! (`ours`, `floor`) the command to start and the tool calls to make, each with the answer
//! it must give. Every response is checked against those expectations; a wrong answer is
//! an error that is counted and reported, never dropped.

use std::path::Path;

use anyhow::{bail, Context as _};
use serde::Deserialize;
use serde_json::Value;

/// What a scenario measures.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `tools/call` over stdio: N processes, sequential or pipelined.
    Stdio,
    /// `tools/call` over Streamable HTTP: C connections, closed or open loop.
    Http,
    /// spawn → `initialize` reply, N runs.
    ColdStart,
    /// idle RSS after `initialize`, then peak RSS under a pipelined flood.
    Memory,
    /// instructions executed by the server (callgrind) for a fixed stdio session.
    Icount,
}

/// One scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Defaults to the file stem.
    #[serde(default)]
    pub name: String,
    pub description: String,
    pub kind: Kind,
    /// Profiles that include this scenario (`standard`, `short`).
    pub profiles: Vec<String>,
    #[serde(default)]
    pub load: Load,
    pub targets: Vec<Target>,
}

/// The load shape. Fields that do not apply to a scenario's kind are ignored.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Load {
    /// stdio: server processes driven in parallel.
    pub processes: usize,
    /// stdio: requests in flight per process (1 = sequential).
    pub window: usize,
    /// http: client connections (one request in flight each).
    pub connections: usize,
    /// http: client runtime threads.
    pub client_threads: usize,
    /// http: total target rate in requests/s (open loop); absent = closed loop.
    pub rate: Option<f64>,
    /// http: initialize a session per connection and send `Mcp-Session-Id`.
    pub session: bool,
    /// Measured requests per process (stdio) or in total (http), if no duration is given.
    pub requests: Option<u64>,
    /// Measured duration in milliseconds (takes precedence over `requests`).
    pub duration_ms: Option<u64>,
    /// Requests per process / connection made before measuring starts.
    pub warmup: u64,
    /// cold-start: measured runs (after `warmup_runs`).
    pub runs: usize,
    /// cold-start: unmeasured runs first (page cache, dynamic loader).
    pub warmup_runs: usize,
    /// memory: requests written back to back without waiting for replies.
    pub flood: u64,
    /// memory: milliseconds to wait after `initialize` before reading idle RSS.
    pub settle_ms: u64,
    /// memory: processes started one after another to read idle RSS/PSS (the interval's samples).
    pub idle_runs: usize,
    /// icount: startup sessions counted (the interval's samples).
    pub startup_runs: usize,
}

impl Default for Load {
    fn default() -> Self {
        Self {
            processes: 1,
            window: 1,
            connections: 1,
            client_threads: 1,
            rate: None,
            session: false,
            requests: None,
            duration_ms: None,
            warmup: 0,
            runs: 20,
            warmup_runs: 3,
            flood: 0,
            settle_ms: 200,
            idle_runs: 5,
            startup_runs: 3,
        }
    }
}

/// One server measured by a scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// `ours` or `floor`: ratios are ours/floor.
    pub name: String,
    /// argv; `{ours}`, `{floor}` and `{addr}` are substituted.
    pub command: Vec<String>,
    /// Tool calls, made in rotation (request i uses `calls[i % len]`).
    #[serde(default)]
    pub calls: Vec<Call>,
}

/// One `tools/call` and the answer it must give.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    pub tool: String,
    #[serde(default = "empty_object")]
    pub arguments: Value,
    /// Checks on the JSON-RPC response (pointers from its root, e.g. `/result/structuredContent/id`).
    #[serde(default)]
    pub expect: Vec<Expect>,
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

/// One check on a response. Exactly one of the conditions is set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// RFC 6901 JSON pointer from the response root.
    pub pointer: String,
    /// The value there equals this.
    pub equals: Option<Value>,
    /// The value there is an array with at least this many items.
    pub min_items: Option<usize>,
    /// The value there is a string starting with this (e.g. an id within a category).
    pub starts_with: Option<String>,
}

impl Expect {
    /// The value at `pointer` equals `v`.
    pub fn equals(pointer: &str, v: Value) -> Self {
        Self::at(pointer, Some(v), None, None)
    }

    /// The value at `pointer` is an array of at least `n` items.
    pub fn at_least(pointer: &str, n: usize) -> Self {
        Self::at(pointer, None, Some(n), None)
    }

    /// The value at `pointer` is a string starting with `p`.
    pub fn starts_with(pointer: &str, p: &str) -> Self {
        Self::at(pointer, None, None, Some(p.into()))
    }

    fn at(
        pointer: &str,
        equals: Option<Value>,
        min_items: Option<usize>,
        starts_with: Option<String>,
    ) -> Self {
        Self {
            pointer: pointer.into(),
            equals,
            min_items,
            starts_with,
        }
    }

    fn conditions(&self) -> usize {
        usize::from(self.equals.is_some())
            + usize::from(self.min_items.is_some())
            + usize::from(self.starts_with.is_some())
    }
}

/// Binaries and the address substituted into target commands.
#[derive(Debug, Clone, Default)]
pub struct Substitutions {
    /// `{ours}`: the server as `make release` builds it.
    pub ours: String,
    /// `{ours_static}`: the server as the image ships it (static musl); targets that need it
    /// are skipped when it is not given.
    pub ours_static: Option<String>,
    /// `{floor}`: the rmcp floor server.
    pub floor: String,
}

impl Scenario {
    /// Reads and checks a scenario file, applying `profile`'s overrides.
    pub fn load(path: &Path, profile: &str) -> anyhow::Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("read {}", path.display()))?;
        let mut raw: toml::Table =
            toml::from_str(&text).with_context(|| format!("parse {}", path.display()))?;
        // Merge `[override.<profile>]` into `[load]` before typing, so overrides are typed too.
        // `[override.<profile>]` tables are merged into `[load]` here and not kept.
        let over = raw
            .remove("override")
            .and_then(|o| o.get(profile).and_then(|p| p.as_table()).cloned());
        if let Some(over) = over {
            let load = raw
                .entry("load")
                .or_insert_with(|| toml::Value::Table(Default::default()));
            let Some(load) = load.as_table_mut() else {
                bail!("{}: [load] is not a table", path.display());
            };
            load.extend(over);
        }
        let mut scenario: Scenario = raw
            .try_into()
            .with_context(|| format!("invalid scenario {}", path.display()))?;
        if scenario.name.is_empty() {
            scenario.name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("scenario")
                .to_string();
        }
        scenario
            .validate()
            .with_context(|| format!("{}", path.display()))?;
        Ok(scenario)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if self.targets.is_empty() {
            bail!("no [[targets]]");
        }
        let needs_calls = matches!(
            self.kind,
            Kind::Stdio | Kind::Http | Kind::Memory | Kind::Icount
        );
        for t in &self.targets {
            if t.command.is_empty() {
                bail!("target {}: empty command", t.name);
            }
            if needs_calls && t.calls.is_empty() {
                bail!("target {}: no [[targets.calls]]", t.name);
            }
            for c in &t.calls {
                for e in &c.expect {
                    if e.conditions() != 1 {
                        bail!(
                            "target {}: expect {} needs exactly one of equals / min_items / starts_with",
                            t.name,
                            e.pointer
                        );
                    }
                }
            }
        }
        let l = &self.load;
        if l.processes == 0 || l.window == 0 || l.connections == 0 || l.client_threads == 0 {
            bail!("processes, window, connections and client_threads must be ≥ 1");
        }
        if matches!(self.kind, Kind::Stdio | Kind::Http | Kind::Icount)
            && l.requests.is_none()
            && l.duration_ms.is_none()
        {
            bail!("[load] needs requests or duration_ms");
        }
        if self.kind == Kind::Memory && l.flood == 0 {
            bail!("[load] flood must be ≥ 1 for a memory scenario");
        }
        if self.kind == Kind::Memory && l.idle_runs == 0 {
            bail!("[load] idle_runs must be ≥ 1");
        }
        if self.kind == Kind::ColdStart && l.runs == 0 {
            bail!("[load] runs must be ≥ 1");
        }
        Ok(())
    }
}

impl Target {
    /// Whether every binary the command names was given.
    pub fn available(&self, subs: &Substitutions) -> bool {
        subs.ours_static.is_some() || !self.command.iter().any(|a| a.contains("{ours_static}"))
    }

    /// The command with placeholders replaced.
    pub fn argv(&self, subs: &Substitutions, addr: Option<&str>) -> Vec<String> {
        self.command
            .iter()
            .map(|a| {
                let a = a
                    .replace("{ours_static}", subs.ours_static.as_deref().unwrap_or(""))
                    .replace("{ours}", &subs.ours)
                    .replace("{floor}", &subs.floor);
                match addr {
                    Some(addr) => a.replace("{addr}", addr),
                    None => a,
                }
            })
            .collect()
    }
}
