//! Command line: `run` and `gate` for the harness, and one ad hoc subcommand per measurement
//! (`stdio`, `http`, `cold-start`, `memory`, `icount`, `image-size`) for a single server.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::{bail, Context as _};
use clap::{Args, Parser, Subcommand};
use serde_json::Value;

use crate::{
    gate, history, image_size,
    machine::{self, RunInfo},
    record::{self, ScenarioResult, TargetResult},
    runner::{self, Context},
    scenario::{Call, Expect, Kind, Load, Scenario, Substitutions, Target},
    summary,
};

#[derive(Parser)]
#[command(
    name = "csf-loadgen",
    version,
    about = "MCP load generator and benchmark gate for nist-csf-mcp"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run scenario files against ours and the floor; write results/<arch>/ and a summary.
    Run(RunArgs),
    /// Compare a run with the baseline and targets; exit 1 on regression.
    Gate(GateArgs),
    /// Collect a run's rows into one baseline file.
    Baseline {
        /// Directory holding the run's <scenario>.json rows.
        #[arg(long)]
        results: PathBuf,
        /// Baseline file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Append a results directory's key figures to its history.jsonl and redraw history.svg.
    History {
        #[arg(long)]
        results: PathBuf,
    },
    /// Print the Markdown summary of a results directory.
    Summary {
        #[arg(long)]
        results: PathBuf,
        #[arg(long, default_value = "results/targets.toml")]
        targets: PathBuf,
    },
    /// Ad hoc: tools/call over stdio against one server command.
    Stdio(AdHoc),
    /// Ad hoc: tools/call over Streamable HTTP; the command must contain {addr}.
    Http(AdHoc),
    /// Ad hoc: spawn -> initialize reply, N runs (hyperfine-compatible export).
    ColdStart(AdHoc),
    /// Ad hoc: idle RSS after initialize, peak RSS under a pipelined flood.
    Memory(AdHoc),
    /// Ad hoc: server instructions (callgrind) for initialize + N sequential calls.
    Icount(AdHoc),
    /// Layers and compressed/uncompressed bytes per architecture of OCI archives.
    ImageSize {
        /// OCI archives (dist/*.tar); missing files are skipped with a message.
        archives: Vec<PathBuf>,
        /// Write image-size.json (and summary rows) into this directory.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value = "standard")]
        profile: String,
    },
    /// Steady mixed load (reads, searches, writes, reports) on the release server for a long
    /// time; RSS sampled every second, least-squares slope, latency per window.
    Soak(crate::soak::SoakArgs),
    /// Bounded loopback overload checks: HTTP over --max-concurrent, rate limit, body limit,
    /// slow and idle connections; stdio floods of writes, large requests, an over-long line.
    Flood(crate::flood::FloodArgs),
}

#[derive(Args)]
struct RunArgs {
    /// Scenario files (benches/scenarios/*.toml); those not in the profile are skipped.
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// standard (make bench) or short (CI gate).
    #[arg(long, default_value = "standard")]
    profile: String,
    /// Results directory (default results/<arch>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Scratch directory for callgrind outputs.
    #[arg(long, default_value = "target/bench-work")]
    work: PathBuf,
    /// Our server binary, substituted for {ours}.
    #[arg(long, default_value = "target/release/nist-csf-mcp")]
    ours: String,
    /// The floor binary, substituted for {floor}.
    #[arg(long, default_value = "target/release/rmcp-floor")]
    floor: String,
    /// Only run scenarios with these names.
    #[arg(long)]
    only: Vec<String>,
    /// Targets file for the summary's target column.
    #[arg(long, default_value = "results/targets.toml")]
    targets: PathBuf,
}

#[derive(Args)]
struct GateArgs {
    /// Directory holding the run's <scenario>.json rows.
    #[arg(long)]
    results: PathBuf,
    /// Baseline file (default results/<arch>/baseline.json).
    #[arg(long)]
    baseline: Option<PathBuf>,
    #[arg(long, default_value = "results/targets.toml")]
    targets: PathBuf,
    /// Alter a figure before gating, to prove the gate catches it:
    /// SCENARIO:TARGET:METRIC*FACTOR or SCENARIO:TARGET:METRIC=VALUE.
    #[arg(long)]
    inject: Vec<String>,
}

#[derive(Args)]
struct AdHoc {
    /// Tool to call.
    #[arg(long, default_value = "echo")]
    tool: String,
    /// Tool arguments (JSON object).
    #[arg(long, default_value = r#"{"text":"ping"}"#)]
    args: String,
    /// Expected answer: POINTER=JSON (e.g. /result/structuredContent/id="GV.OC-01"); repeatable.
    #[arg(long)]
    expect: Vec<String>,
    /// Measured requests (per process for stdio, in total for http).
    #[arg(long, default_value_t = 10_000)]
    requests: u64,
    /// Measure for this long instead of a request count.
    #[arg(long)]
    duration_ms: Option<u64>,
    #[arg(long, default_value_t = 100)]
    warmup: u64,
    /// stdio: processes.
    #[arg(short = 'n', long, default_value_t = 1)]
    processes: usize,
    /// stdio: requests in flight per process.
    #[arg(short = 'w', long, default_value_t = 1)]
    window: usize,
    /// http: connections.
    #[arg(short = 'c', long, default_value_t = 1)]
    connections: usize,
    /// http: client threads.
    #[arg(long, default_value_t = 1)]
    client_threads: usize,
    /// http: open-loop total rate (requests/s).
    #[arg(long)]
    rate: Option<f64>,
    /// http: session mode (initialize -> Mcp-Session-Id).
    #[arg(long)]
    session: bool,
    /// cold-start: measured runs.
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// cold-start: hyperfine-format JSON export.
    #[arg(long)]
    export_json: Option<PathBuf>,
    /// memory: flood size.
    #[arg(long, default_value_t = 100_000)]
    flood: u64,
    /// Server command (after --).
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

pub fn run() -> anyhow::Result<ExitCode> {
    match Cli::parse().cmd {
        Cmd::Run(a) => run_scenarios(a),
        Cmd::Gate(a) => run_gate(a),
        Cmd::Baseline { results, out } => {
            let rows = record::read_dir(&results)?;
            if rows.is_empty() {
                bail!("no result rows in {}", results.display());
            }
            std::fs::write(&out, serde_json::to_string_pretty(&rows)? + "\n")
                .with_context(|| format!("write {}", out.display()))?;
            eprintln!("baseline: {} scenarios -> {}", rows.len(), out.display());
            Ok(ExitCode::SUCCESS)
        }
        Cmd::History { results } => {
            let rows = record::read_dir(&results)?;
            let log = results.join("history.jsonl");
            history::append(&rows, &log)?;
            let entries = history::read(&log)?;
            std::fs::write(results.join("history.svg"), history::svg(&entries))?;
            eprintln!(
                "history: {} runs in {}, chart history.svg",
                entries.len(),
                log.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Summary { results, targets } => {
            let rows = record::read_dir(&results)?;
            let t = gate::Targets::load(&targets).ok();
            print!("{}", summary::markdown(&rows, t.as_ref()));
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Stdio(a) => adhoc(Kind::Stdio, a),
        Cmd::Http(a) => adhoc(Kind::Http, a),
        Cmd::ColdStart(a) => adhoc(Kind::ColdStart, a),
        Cmd::Memory(a) => adhoc(Kind::Memory, a),
        Cmd::Icount(a) => adhoc(Kind::Icount, a),
        Cmd::ImageSize {
            archives,
            out,
            profile,
        } => image_sizes(&archives, out.as_deref(), &profile),
        Cmd::Flood(a) => Ok(if crate::flood::run(&a)? {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }),
        Cmd::Soak(a) => Ok(if crate::soak::run(&a)? {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }),
    }
}

fn run_scenarios(a: RunArgs) -> anyhow::Result<ExitCode> {
    let out = a
        .out
        .unwrap_or_else(|| Path::new("results").join(machine::arch()));
    let subs = Substitutions {
        ours: a.ours,
        floor: a.floor,
    };
    for bin in [&subs.ours, &subs.floor] {
        if !Path::new(bin).exists() {
            bail!("{bin} not found: build it first (make release; cargo build --release -p csf-loadgen)");
        }
    }
    let info = RunInfo::collect(&a.profile);
    let ctx = Context {
        subs: &subs,
        out_dir: &out,
        work_dir: &a.work,
    };
    let mut rows = Vec::new();
    for path in &a.scenarios {
        let scenario = Scenario::load(path, &a.profile)?;
        if !scenario.profiles.contains(&a.profile)
            || (!a.only.is_empty() && !a.only.contains(&scenario.name))
        {
            continue;
        }
        eprintln!("scenario {} ({:?})", scenario.name, scenario.kind);
        let row = runner::run_scenario(&scenario, &info, &ctx)?;
        row.write(&out)?;
        rows.push(row);
    }
    // Keep rows measured earlier (e.g. image-size) in the summary.
    let all = record::read_dir(&out)?;
    let targets = gate::Targets::load(&a.targets).ok();
    let table = summary::markdown(&all, targets.as_ref());
    std::fs::write(out.join("summary.md"), &table)?;
    println!("{table}");
    let errors: u64 = rows.iter().flat_map(|r| &r.targets).map(|t| t.errors).sum();
    if errors > 0 {
        eprintln!("csf-loadgen: {errors} errors (wrong or missing replies): see error_samples in the rows");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn run_gate(a: GateArgs) -> anyhow::Result<ExitCode> {
    let mut rows = record::read_dir(&a.results)?;
    if rows.is_empty() {
        bail!("no result rows in {}", a.results.display());
    }
    for r in &mut rows {
        r.compute_ratios();
    }
    for spec in &a.inject {
        gate::inject(&mut rows, spec)?;
        eprintln!("bench-gate: injected {spec}");
    }
    let baseline_path = a.baseline.unwrap_or_else(|| {
        Path::new("results")
            .join(machine::arch())
            .join("baseline.json")
    });
    let mut baseline: Vec<ScenarioResult> = match std::fs::read_to_string(&baseline_path) {
        Ok(text) => serde_json::from_str(&text)
            .with_context(|| format!("parse {}", baseline_path.display()))?,
        Err(e) => {
            eprintln!(
                "bench-gate: no baseline at {} ({e})",
                baseline_path.display()
            );
            Vec::new()
        }
    };
    for r in &mut baseline {
        r.compute_ratios();
    }
    let targets = gate::Targets::load(&a.targets)?;
    let checks = gate::check(&rows, &baseline, &targets);
    print!("{}", gate::report(&checks));
    let failed = checks.iter().any(|c| c.verdict == gate::Verdict::Fail);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn adhoc(kind: Kind, a: AdHoc) -> anyhow::Result<ExitCode> {
    let arguments: Value = serde_json::from_str(&a.args).context("--args is not JSON")?;
    let expect = a
        .expect
        .iter()
        .map(|e| {
            let (pointer, v) = e.split_once('=').context("--expect POINTER=JSON")?;
            let equals: Value = serde_json::from_str(v)
                .with_context(|| format!("--expect value {v} is not JSON"))?;
            Ok(Expect {
                pointer: pointer.to_string(),
                equals: Some(equals),
                min_items: None,
                starts_with: None,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let scenario = Scenario {
        name: "adhoc".into(),
        description: "ad hoc run".into(),
        kind,
        profiles: vec![],
        load: Load {
            processes: a.processes,
            window: a.window,
            connections: a.connections,
            client_threads: a.client_threads,
            rate: a.rate,
            session: a.session,
            requests: Some(a.requests),
            duration_ms: a.duration_ms,
            warmup: a.warmup,
            runs: a.runs,
            flood: a.flood,
            ..Load::default()
        },
        targets: vec![Target {
            name: "adhoc".into(),
            command: a.command,
            calls: vec![Call {
                tool: a.tool,
                arguments,
                expect,
            }],
        }],
    };
    let subs = Substitutions {
        ours: String::new(),
        floor: String::new(),
    };
    let tmp = std::env::temp_dir().join(format!("csf-loadgen-{}", std::process::id()));
    let ctx = Context {
        subs: &subs,
        out_dir: &tmp,
        work_dir: &tmp,
    };
    let r: TargetResult = runner::measure(&scenario, &scenario.targets[0], &ctx)?;
    if let (Kind::ColdStart, Some(dest)) = (kind, &a.export_json) {
        std::fs::copy(tmp.join("adhoc.adhoc.hyperfine.json"), dest)
            .with_context(|| format!("write {}", dest.display()))?;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!("{}", serde_json::to_string_pretty(&r)?);
    for (k, v) in &r.metrics {
        eprintln!("{k:>24}  {}", summary::fmt_metric(k, *v));
    }
    Ok(if r.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn image_sizes(
    archives: &[PathBuf],
    out: Option<&Path>,
    profile: &str,
) -> anyhow::Result<ExitCode> {
    let present: Vec<&PathBuf> = archives.iter().filter(|p| p.is_file()).collect();
    if present.is_empty() {
        eprintln!(
            "image-size: skipped: no OCI archive found ({}); build one with `make image`",
            if archives.is_empty() {
                "none given".to_string()
            } else {
                archives
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut targets = Vec::new();
    for path in present {
        let images = image_size::inspect(path)?;
        let shared = image_size::shared_layers(&images);
        for img in images {
            let clash: Vec<String> = shared
                .iter()
                .filter(|(a, b)| *a == img.platform || *b == img.platform)
                .map(|(a, b)| {
                    format!("{a} and {b} have identical layers: one binary for two architectures")
                })
                .collect();
            println!(
                "{}  {}  layers={}  compressed={} B  uncompressed={} B  pull={} B",
                path.display(),
                img.platform,
                img.layers,
                img.compressed_bytes,
                img.uncompressed_bytes,
                img.pull_bytes
            );
            let mut metrics = BTreeMap::new();
            metrics.insert("layers".to_string(), img.layers as f64);
            metrics.insert("compressed_bytes".to_string(), img.compressed_bytes as f64);
            metrics.insert(
                "uncompressed_bytes".to_string(),
                img.uncompressed_bytes as f64,
            );
            metrics.insert("pull_bytes".to_string(), img.pull_bytes as f64);
            let mut conditions = BTreeMap::new();
            if let Some(v) = &img.variant {
                conditions.insert("variant".to_string(), Value::String(v.clone()));
            }
            conditions.insert(
                "archive".to_string(),
                Value::String(path.display().to_string()),
            );
            targets.push(TargetResult {
                target: img.platform,
                command: vec![
                    "csf-loadgen".into(),
                    "image-size".into(),
                    path.display().to_string(),
                ],
                transport: "oci-archive".into(),
                conditions,
                errors: clash.len() as u64,
                error_samples: clash,
                metrics,
            });
        }
    }
    let errors: u64 = targets.iter().map(|t| t.errors).sum();
    for t in &targets {
        for e in &t.error_samples {
            eprintln!("image-size: error: {}: {e}", t.target);
        }
    }
    if let Some(out) = out {
        let row = ScenarioResult {
            scenario: "image-size".into(),
            kind: "image".into(),
            description: "Image layers and bytes per platform, read from the OCI archives in dist/"
                .into(),
            run: RunInfo::collect(profile),
            targets,
            ratios: BTreeMap::new(),
        };
        row.write(out)?;
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
