//! The soak's record: one JSON file (every sample and window kept, so the figures can be
//! recomputed) and a short Markdown summary.

use std::{collections::BTreeMap, path::Path, time::Duration};

use anyhow::Context as _;
use serde::Serialize;

use crate::machine::RunInfo;

use super::{
    analysis::{self, Rule, Sample, Slope, Verdict, WindowRow},
    drive::Driven,
    workload::Step,
};

/// Memory figures of one run (KiB unless named otherwise).
#[derive(Debug, Clone, Serialize)]
pub struct Memory {
    /// Median RSS over the 10 s after warm-up.
    pub start_rss_kb: Option<f64>,
    /// Median RSS over the last 10 s.
    pub end_rss_kb: Option<f64>,
    /// VmHWM at the end: the highest RSS the process ever had.
    pub peak_rss_kb: Option<u64>,
    pub growth_kb: Option<f64>,
    pub start_pss_kb: Option<f64>,
    pub end_pss_kb: Option<f64>,
    pub start_anon_kb: Option<f64>,
    pub end_anon_kb: Option<f64>,
    /// RSS slope from the end of warm-up to the end.
    pub rss_slope_after_warmup: Option<Slope>,
    /// RSS slope over the second half (the rule's figure).
    pub rss_slope_second_half: Option<Slope>,
    pub pss_slope_second_half: Option<Slope>,
    pub anon_slope_second_half: Option<Slope>,
}

/// One transport's soak.
#[derive(Debug, Clone, Serialize)]
pub struct TransportRun {
    pub transport: String,
    pub command: Vec<String>,
    pub rate_rps: f64,
    pub connections: usize,
    pub duration_s: f64,
    pub warmup_s: f64,
    pub subcategories_used: usize,
    pub calls: u64,
    pub calls_by_step: BTreeMap<Step, u64>,
    pub errors: u64,
    pub error_samples: Vec<String>,
    pub latency_p50_us: f64,
    pub latency_p99_us: f64,
    pub latency_max_us: f64,
    pub memory: Memory,
    /// p50/p99 per window; the first and last full windows after warm-up are compared.
    pub windows: Vec<WindowRow>,
    pub p50_drift_ratio: Option<f64>,
    pub p99_drift_ratio: Option<f64>,
    pub max_loadavg_1m: f64,
    pub verdict: Verdict,
    /// [t_s, rss_kb, pss_kb, anon_kb] every second.
    pub samples: Vec<[f64; 4]>,
}

impl TransportRun {
    #[allow(clippy::too_many_arguments)]
    pub fn analyse(
        transport: &str,
        command: Vec<String>,
        rate: f64,
        connections: usize,
        duration: Duration,
        warmup_fraction: f64,
        subcategories_used: usize,
        driven: &Driven,
        samples: Vec<Sample>,
        max_load: f64,
        rule: &Rule,
    ) -> anyhow::Result<TransportRun> {
        let d = duration.as_secs_f64();
        let warm = d * warmup_fraction;
        let half = d / 2.0;
        let rss = |s: &Sample| Some(s.rss_kb);
        let start_rss = analysis::level(&samples, warm, warm + 10.0, rss);
        let end_rss = analysis::level(&samples, d - 10.0, f64::INFINITY, rss);
        let growth = start_rss.zip(end_rss).map(|(s, e)| e - s);
        let second_half = analysis::field_slope(&samples, half, rss);
        let memory = Memory {
            start_rss_kb: start_rss,
            end_rss_kb: end_rss,
            peak_rss_kb: samples.iter().map(|s| s.hwm_kb).max(),
            growth_kb: growth,
            start_pss_kb: analysis::level(&samples, warm, warm + 10.0, |s| s.pss_kb),
            end_pss_kb: analysis::level(&samples, d - 10.0, f64::INFINITY, |s| s.pss_kb),
            start_anon_kb: analysis::level(&samples, warm, warm + 10.0, |s| s.anon_kb),
            end_anon_kb: analysis::level(&samples, d - 10.0, f64::INFINITY, |s| s.anon_kb),
            rss_slope_after_warmup: analysis::field_slope(&samples, warm, rss),
            rss_slope_second_half: second_half,
            pss_slope_second_half: analysis::field_slope(&samples, half, |s| s.pss_kb),
            anon_slope_second_half: analysis::field_slope(&samples, half, |s| s.anon_kb),
        };
        let windows = driven.windows.rows();
        // Full windows that start after warm-up and end before the run does.
        let full: Vec<&WindowRow> = windows
            .iter()
            .filter(|w| w.calls > 0)
            .filter(|w| w.start_s >= warm)
            .filter(|w| {
                let width = if windows.len() > 1 {
                    windows[1].start_s
                } else {
                    d
                };
                w.start_s + width <= d + 1e-6
            })
            .collect();
        let ratio = |f: fn(&WindowRow) -> f64| match (full.first(), full.last()) {
            (Some(a), Some(b)) if full.len() >= 2 && f(a) > 0.0 => Some(f(b) / f(a)),
            _ => None,
        };
        let all = driven.windows.all()?.summary();
        let verdict = analysis::judge(rule, driven.errors.count, driven.calls, growth, second_half);
        Ok(TransportRun {
            transport: transport.into(),
            command,
            rate_rps: rate,
            connections,
            duration_s: d,
            warmup_s: warm,
            subcategories_used,
            calls: driven.calls,
            calls_by_step: driven.by_step.clone(),
            errors: driven.errors.count,
            error_samples: driven.errors.samples.clone(),
            latency_p50_us: all.p50_us,
            latency_p99_us: all.p99_us,
            latency_max_us: all.max_us,
            memory,
            p50_drift_ratio: ratio(|w| w.p50_us),
            p99_drift_ratio: ratio(|w| w.p99_us),
            windows,
            max_loadavg_1m: max_load,
            verdict,
            samples: samples
                .iter()
                .map(|s| {
                    [
                        (s.t_s * 10.0).round() / 10.0,
                        s.rss_kb as f64,
                        s.pss_kb.map_or(f64::NAN, |v| v as f64),
                        s.anon_kb.map_or(f64::NAN, |v| v as f64),
                    ]
                })
                .collect(),
        })
    }
}

/// The whole soak.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// What this file is (never a bench scenario row: no `scenario` key).
    pub soak: &'static str,
    /// The csf-loadgen command line that produced it.
    pub command: Vec<String>,
    pub run: RunInfo,
    pub rule: Rule,
    pub wall_s: f64,
    pub loadavg_at_end: String,
    pub pass: bool,
    pub runs: Vec<TransportRun>,
}

fn loadavg_now() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn mib(kb: Option<f64>) -> String {
    kb.map_or("–".into(), |k| format!("{:.1}", k / 1024.0))
}

fn slope_cell(s: Option<Slope>) -> String {
    s.map_or("–".into(), |s| {
        format!(
            "{:+.1} KiB/min ({:+.2} MiB/h)",
            s.kib_per_min, s.mib_per_hour
        )
    })
}

fn ms(us: f64) -> String {
    format!("{:.2}", us / 1000.0)
}

impl Report {
    pub fn new(run: RunInfo, rule: Rule, wall: Duration, runs: Vec<TransportRun>) -> Report {
        let pass = !runs.is_empty() && runs.iter().all(|r| r.verdict.pass);
        Report {
            soak: "csf-loadgen soak: steady mixed load, RSS sampled every second",
            command: std::env::args().collect(),
            run,
            rule,
            wall_s: wall.as_secs_f64(),
            loadavg_at_end: loadavg_now(),
            pass,
            runs,
        }
    }

    pub fn write_json(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
        }
        // NaN (a missing PSS figure) is not JSON: serde_json writes it as null.
        let text = serde_json::to_string_pretty(self)?;
        std::fs::write(path, text + "\n").with_context(|| format!("write {}", path.display()))
    }

    pub fn markdown(&self) -> String {
        let mut s = String::from("# Soak\n\n");
        let r = &self.run;
        s += &format!(
            "`{}` (the mix per 20 calls: 6 csf_lookup, 4 search_framework, 3 get_informative_references, 4 record_assessment, 2 get_assessment, 1 generate_report; every reply checked; RSS/PSS sampled every second{})\n\n",
            self.command.join(" "),
            if self.runs.len() > 1 {
                "; HTTP and stdio each against its own server and SQLite file, at the same time"
            } else {
                ""
            }
        );
        s += &format!(
            "Soak: {} · commit `{}`{} · {} · {} ({} cores) · load average {} at start, {} at end\n\n",
            if self.pass { "**PASS**" } else { "**FAIL**" },
            r.git_sha.get(..12).unwrap_or(&r.git_sha),
            if r.git_dirty { " (dirty tree)" } else { "" },
            r.date_utc,
            r.cpu_model,
            r.nproc,
            r.loadavg_at_start,
            self.loadavg_at_end
        );
        s += &format!(
            "Rule: RSS growth after warm-up ≤ {} MiB and RSS slope over the second half ≤ {} MiB/hour, zero errors.\n\n",
            self.rule.max_growth_mib, self.rule.max_slope_mib_per_hour
        );
        s += "| transport | load | calls | errors | RSS start → end (MiB) | peak RSS (MiB) | PSS start → end (MiB) | RSS slope, 2nd half | RSS slope after warm-up | anon slope, 2nd half | p50 / p99 (ms) | p99 drift | verdict |\n";
        s += "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
        for t in &self.runs {
            let m = &t.memory;
            s += &format!(
                "| {} | {} req/s{}, {:.0} s, warm-up {:.0} s | {} | {} | {} → {} | {} | {} → {} | {} | {} | {} | {} / {} | {} | {} |\n",
                t.transport,
                t.rate_rps,
                if t.connections > 1 { format!(" over {} conns", t.connections) } else { String::new() },
                t.duration_s,
                t.warmup_s,
                t.calls,
                t.errors,
                mib(m.start_rss_kb),
                mib(m.end_rss_kb),
                mib(m.peak_rss_kb.map(|v| v as f64)),
                mib(m.start_pss_kb),
                mib(m.end_pss_kb),
                slope_cell(m.rss_slope_second_half),
                slope_cell(m.rss_slope_after_warmup),
                slope_cell(m.anon_slope_second_half),
                ms(t.latency_p50_us),
                ms(t.latency_p99_us),
                t.p99_drift_ratio.map_or("–".into(), |x| format!("×{x:.2}")),
                if t.verdict.pass { "pass".to_string() } else { format!("FAIL: {}", t.verdict.reasons.join("; ")) },
            );
        }
        for t in &self.runs {
            s += &format!(
                "\n{} latency per {:.0}-s window (ms, from each request's scheduled time):\n\n| window start (s) | calls | errors | p50 | p99 | max |\n|---|---|---|---|---|---|\n",
                t.transport,
                t.windows.get(1).map_or(t.duration_s, |w| w.start_s)
            );
            for w in &t.windows {
                s += &format!(
                    "| {:.0} | {} | {} | {} | {} | {} |\n",
                    w.start_s,
                    w.calls,
                    w.errors,
                    ms(w.p50_us),
                    ms(w.p99_us),
                    ms(w.max_us)
                );
            }
            if !t.error_samples.is_empty() {
                s += &format!("\nerror samples: {}\n", t.error_samples.join(" | "));
            }
        }
        s
    }
}
