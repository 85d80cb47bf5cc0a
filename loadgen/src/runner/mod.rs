//! Runs a scenario against each of its targets, in the same run and with the same load,
//! and turns what was measured into result rows with named metrics, each figure measured from
//! samples carrying its 95% bootstrap interval.

mod figures;
mod http_server;
mod measure;

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    time::Instant,
};

use anyhow::bail;

use crate::{
    gate,
    machine::RunInfo,
    record::{self, Replicates, ScenarioResult, TargetResult},
    scenario::{Scenario, Substitutions},
    summary,
};

pub(crate) use http_server::{free_addr, HttpServer};
pub use measure::measure;

/// Where side files (hyperfine exports, callgrind outputs) go.
pub struct Context<'a> {
    pub subs: &'a Substitutions,
    pub out_dir: &'a Path,
    pub work_dir: &'a Path,
}

/// A target's row and the bootstrap replicates of its figures (to bootstrap ratios).
pub struct Measured {
    pub result: TargetResult,
    pub replicates: Replicates,
}

/// What `csf-loadgen run` does: which scenarios, which binaries, where results go.
pub struct RunOptions {
    pub scenarios: Vec<PathBuf>,
    /// `standard` (make bench) or `short` (the gate).
    pub profile: String,
    pub out: PathBuf,
    /// Scratch directory (callgrind outputs).
    pub work: PathBuf,
    pub subs: Substitutions,
    /// Only the scenarios with these names (all when empty).
    pub only: Vec<String>,
    /// `results/targets.toml`, for the summary's target column.
    pub targets: PathBuf,
}

/// A finished run: its rows, the summary table, and the number of errors in them.
pub struct Run {
    pub rows: Vec<ScenarioResult>,
    pub table: String,
    pub errors: u64,
}

/// Runs every scenario of the profile, writes one row per scenario and `summary.md` into
/// `opts.out`.
pub fn run_all(opts: &RunOptions) -> anyhow::Result<Run> {
    let subs = &opts.subs;
    let mut bins = vec![&subs.ours, &subs.floor];
    bins.extend(subs.ours_static.as_ref());
    for bin in bins {
        if !Path::new(bin).exists() {
            bail!("{bin} not found: build it first (make bench-build)");
        }
    }
    if subs.ours_static.is_none() {
        eprintln!("note: no --ours-static: the image binary's targets are skipped");
    }
    let info = RunInfo::collect(&opts.profile);
    let ctx = Context {
        subs,
        out_dir: &opts.out,
        work_dir: &opts.work,
    };
    let mut rows = Vec::new();
    for path in &opts.scenarios {
        let scenario = Scenario::load(path, &opts.profile)?;
        if !scenario.profiles.contains(&opts.profile)
            || (!opts.only.is_empty() && !opts.only.contains(&scenario.name))
        {
            continue;
        }
        eprintln!("scenario {} ({:?})", scenario.name, scenario.kind);
        let row = run_scenario(&scenario, &info, &ctx)?;
        row.write(&opts.out)?;
        rows.push(row);
    }
    // Keep rows measured earlier (e.g. image-size) in the summary.
    let all = record::read_dir(&opts.out)?;
    let targets = gate::Targets::load(&opts.targets).ok();
    let table = summary::markdown(&all, targets.as_ref());
    std::fs::write(opts.out.join("summary.md"), &table)?;
    let errors = rows.iter().flat_map(|r| &r.targets).map(|t| t.errors).sum();
    Ok(Run {
        rows,
        table,
        errors,
    })
}

/// Runs every target of `scenario` and computes target ÷ floor ratios with intervals.
pub fn run_scenario(
    scenario: &Scenario,
    run: &RunInfo,
    ctx: &Context<'_>,
) -> anyhow::Result<ScenarioResult> {
    let mut targets = Vec::new();
    let mut replicates = Vec::new();
    for target in &scenario.targets {
        if !target.available(ctx.subs) {
            eprintln!(
                "  {} / {}: skipped (binary not given)",
                scenario.name, target.name
            );
            continue;
        }
        eprintln!("  {} / {} …", scenario.name, target.name);
        let t0 = Instant::now();
        // A target that cannot be measured (won't start, lacks a flag) is a recorded failure,
        // not a reason to lose the other targets' figures.
        let m = measure(scenario, target, ctx).unwrap_or_else(|e| {
            eprintln!("  {} / {}: FAILED: {e:#}", scenario.name, target.name);
            Measured {
                result: TargetResult {
                    target: target.name.clone(),
                    command: target.argv(ctx.subs, Some("{addr}")),
                    transport: String::new(),
                    conditions: BTreeMap::new(),
                    errors: 1,
                    error_samples: vec![format!("{e:#}")],
                    metrics: BTreeMap::from([("errors".to_string(), 1.0)]),
                    intervals: BTreeMap::new(),
                },
                replicates: Replicates::new(),
            }
        });
        eprintln!(
            "  {} / {}: {} errors, {:.1}s",
            scenario.name,
            target.name,
            m.result.errors,
            t0.elapsed().as_secs_f64()
        );
        targets.push(m.result);
        replicates.push(m.replicates);
    }
    let mut result = ScenarioResult {
        scenario: scenario.name.clone(),
        kind: format!("{:?}", scenario.kind).to_lowercase(),
        description: scenario.description.clone(),
        run: run.clone(),
        targets,
        ratios: BTreeMap::new(),
    };
    result.compute_ratios(&replicates);
    Ok(result)
}
