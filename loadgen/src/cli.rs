//! Command line of `csf-loadgen`: `run` and `gate` for the harness, and one ad hoc subcommand
//! per measurement (`stdio`, `http`, `cold-start`, `memory`, `icount`, `image-size`) for a
//! single server. Argument parsing only: the work is in the library's modules.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};

use crate::{
    adhoc::{self, AdHoc},
    gate, history, image_size, machine, record, runner,
    scenario::{Kind, Load, Substitutions},
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
    Stdio(AdHocArgs),
    /// Ad hoc: tools/call over Streamable HTTP; the command must contain {addr}.
    Http(AdHocArgs),
    /// Ad hoc: spawn -> initialize reply, N runs (hyperfine-compatible export).
    ColdStart(AdHocArgs),
    /// Ad hoc: idle RSS after initialize, peak RSS under a pipelined flood.
    Memory(AdHocArgs),
    /// Ad hoc: server instructions (callgrind) for initialize + N sequential calls.
    Icount(AdHocArgs),
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
    /// Our server as `make release` builds it (glibc), substituted for {ours}.
    #[arg(long, default_value = "target/release/nist-csf-mcp")]
    ours: String,
    /// Our server as the image ships it (static musl), substituted for {ours_static}; without
    /// it, targets that use {ours_static} are skipped.
    #[arg(long)]
    ours_static: Option<String>,
    /// The floor binary (built the way the image binary is), substituted for {floor}.
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
    /// Skip the baseline rules when there is no baseline for this architecture (a CI runner
    /// whose baseline has not been recorded yet); absolute targets and floor ratios still gate.
    #[arg(long)]
    no_baseline: bool,
}

#[derive(Args)]
struct AdHocArgs {
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

impl AdHocArgs {
    fn into_adhoc(self) -> anyhow::Result<AdHoc> {
        Ok(AdHoc {
            tool: self.tool,
            arguments: serde_json::from_str(&self.args).context("--args is not JSON")?,
            expect: self
                .expect
                .iter()
                .map(|e| adhoc::parse_expect(e))
                .collect::<anyhow::Result<_>>()?,
            load: Load {
                processes: self.processes,
                window: self.window,
                connections: self.connections,
                client_threads: self.client_threads,
                rate: self.rate,
                session: self.session,
                requests: Some(self.requests),
                duration_ms: self.duration_ms,
                warmup: self.warmup,
                runs: self.runs,
                flood: self.flood,
                ..Load::default()
            },
            export_json: self.export_json,
            command: self.command,
        })
    }
}

/// Runs the command line; errors exit with status 2, failed checks with 1.
pub fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("csf-loadgen: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn pass_fail(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run() -> anyhow::Result<ExitCode> {
    match Cli::parse().cmd {
        Cmd::Run(a) => {
            let out = a
                .out
                .unwrap_or_else(|| Path::new("results").join(machine::arch()));
            let opts = runner::RunOptions {
                scenarios: a.scenarios,
                profile: a.profile,
                out,
                work: a.work,
                subs: Substitutions {
                    ours: a.ours,
                    ours_static: a.ours_static,
                    floor: a.floor,
                },
                only: a.only,
                targets: a.targets,
            };
            let run = runner::run_all(&opts)?;
            println!("{}", run.table);
            if run.errors > 0 {
                eprintln!(
                    "csf-loadgen: {} errors (wrong or missing replies): see error_samples in the rows",
                    run.errors
                );
            }
            Ok(pass_fail(run.errors == 0))
        }
        Cmd::Gate(a) => {
            let baseline = a.baseline.unwrap_or_else(|| {
                Path::new("results")
                    .join(machine::arch())
                    .join("baseline.json")
            });
            let checks = gate::evaluate(&gate::GateInput {
                results: &a.results,
                baseline: &baseline,
                targets: &a.targets,
                inject: &a.inject,
                require_baseline: !a.no_baseline,
            })?;
            print!("{}", gate::report(&checks));
            Ok(pass_fail(gate::passed(&checks)))
        }
        Cmd::Baseline { results, out } => {
            let n = record::write_baseline(&results, &out)?;
            eprintln!("baseline: {n} scenarios -> {}", out.display());
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
        } => {
            let Some(row) = image_size::measure(&archives, &profile)? else {
                return Ok(ExitCode::SUCCESS);
            };
            for t in &row.targets {
                println!(
                    "{}  layers={}  compressed={} B  uncompressed={} B  pull={} B",
                    t.target,
                    t.metrics.get("layers").copied().unwrap_or(0.0),
                    t.metrics.get("compressed_bytes").copied().unwrap_or(0.0),
                    t.metrics.get("uncompressed_bytes").copied().unwrap_or(0.0),
                    t.metrics.get("pull_bytes").copied().unwrap_or(0.0),
                );
                for e in &t.error_samples {
                    eprintln!("image-size: error: {}: {e}", t.target);
                }
            }
            if let Some(out) = out {
                row.write(&out)?;
            }
            Ok(pass_fail(row.targets.iter().all(|t| t.errors == 0)))
        }
        Cmd::Flood(a) => Ok(pass_fail(crate::flood::run(&a)?)),
        Cmd::Soak(a) => Ok(pass_fail(crate::soak::run(&a)?)),
    }
}

fn adhoc(kind: Kind, a: AdHocArgs) -> anyhow::Result<ExitCode> {
    let r = adhoc::measure(kind, &a.into_adhoc()?)?;
    println!("{}", serde_json::to_string_pretty(&r)?);
    for (k, v) in &r.metrics {
        eprintln!("{k:>24}  {}", summary::fmt_metric(k, *v));
    }
    Ok(pass_fail(r.errors == 0))
}
