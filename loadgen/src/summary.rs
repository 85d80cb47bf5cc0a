//! The one human-readable table a run prints (and writes as `summary.md`): per scenario, its
//! key figures for ours and the floor, their ratio, and the target where there is one.

use std::fmt::Write as _;

use crate::{
    gate::{value, Targets},
    record::ScenarioResult,
};

/// The figures shown for each kind of scenario.
fn key_metrics(kind: &str) -> &'static [&'static str] {
    match kind {
        "stdio" => &[
            "latency_p50_us",
            "latency_p99_us",
            "throughput_rps",
            "rss_peak_total_kb",
        ],
        "http" => &[
            "latency_p50_us",
            "latency_p99_us",
            "throughput_rps",
            "rss_peak_kb",
        ],
        "coldstart" => &["cold_start_median_ms", "cold_start_p90_ms"],
        "memory" => &[
            "rss_idle_kb",
            "rss_idle_anon_kb",
            "rss_peak_kb",
            "flood_throughput_rps",
        ],
        "icount" => &["ir_startup", "ir_per_request"],
        "image" => &["compressed_bytes", "uncompressed_bytes", "layers"],
        _ => &[],
    }
}

/// Formats a figure with the unit its name carries.
pub fn fmt_metric(metric: &str, v: f64) -> String {
    if metric.ends_with("_us") {
        if v >= 1000.0 {
            format!("{:.2} ms", v / 1000.0)
        } else {
            format!("{v:.1} µs")
        }
    } else if metric.ends_with("_ms") {
        format!("{v:.2} ms")
    } else if metric.ends_with("_kb") {
        format!("{:.1} MiB", v / 1024.0)
    } else if metric.ends_with("_rps") {
        if v >= 1000.0 {
            format!("{:.1}k/s", v / 1000.0)
        } else {
            format!("{v:.0}/s")
        }
    } else if metric.ends_with("_bytes") {
        format!("{:.2} MB", v / 1e6)
    } else if metric.starts_with("ir_") {
        format!("{:.2} M", v / 1e6)
    } else {
        format!("{v:.0}")
    }
}

fn conditions(row: &ScenarioResult) -> String {
    // The first target that was measured (a failed target has no conditions).
    let Some(t) = row
        .targets
        .iter()
        .find(|t| !t.conditions.is_empty())
        .or(row.targets.first())
    else {
        return String::new();
    };
    let c = &t.conditions;
    let get = |k: &str| {
        c.get(k)
            .map(|v| v.to_string().trim_matches('"').to_string())
    };
    let mut parts = vec![t.transport.clone()];
    for (key, label) in [
        ("processes", "proc"),
        ("window", "window"),
        ("connections", "conns"),
        ("loop", "loop"),
        ("rate_rps", "rate"),
        ("requests", "req"),
        ("duration_ms", "ms"),
        ("runs", "runs"),
        ("flood", "flood"),
    ] {
        if let Some(v) = get(key) {
            if v != "null" {
                parts.push(format!("{label}={v}"));
            }
        }
    }
    parts.join(" ")
}

/// The Markdown table for a run.
pub fn markdown(rows: &[ScenarioResult], targets: Option<&Targets>) -> String {
    let mut s = String::new();
    if let Some(r) = rows.first() {
        let m = &r.run;
        let _ = writeln!(
            s,
            "Run {} ({}), {} profile, {}: {} × {}, kernel {}, load average at start {}{}.\n",
            m.date_utc,
            m.git_sha.get(..10).unwrap_or(&m.git_sha),
            m.profile,
            m.arch,
            m.nproc,
            m.cpu_model,
            m.kernel,
            m.loadavg_at_start,
            if m.git_dirty {
                ", uncommitted changes"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(
        s,
        "| scenario | conditions | figure | ours | floor | ours/floor | target | errors |"
    );
    let _ = writeln!(s, "|---|---|---|---:|---:|---:|---|---:|");
    for row in rows {
        let cond = conditions(row);
        let errors: Vec<String> = row
            .targets
            .iter()
            .map(|t| format!("{}: {}", t.target, t.errors))
            .collect();
        let has_floor = row.target("floor").is_some();
        let first_target = row
            .targets
            .first()
            .map(|t| t.target.as_str())
            .unwrap_or("ours");
        let main = if row.target("ours").is_some() {
            "ours"
        } else {
            first_target
        };
        for metric in key_metrics(&row.kind) {
            // Image rows have one target per platform: show each on its own line.
            if row.kind == "image" {
                for t in &row.targets {
                    if let Some(v) = t.metrics.get(*metric) {
                        let _ = writeln!(
                            s,
                            "| {} | {} | {metric} | {} | | | {} | |",
                            row.scenario,
                            t.target,
                            fmt_metric(metric, *v),
                            target_cell(targets, rows, &row.scenario, &t.target, metric)
                        );
                    }
                }
                continue;
            }
            let ours = value(rows, &row.scenario, main, metric);
            let floor = if has_floor {
                value(rows, &row.scenario, "floor", metric)
            } else {
                None
            };
            if ours.is_none() && floor.is_none() {
                continue;
            }
            let ratio = row
                .ratios
                .get(*metric)
                .map_or(String::new(), |r| format!("{r:.2}×"));
            let mut target = target_cell(targets, rows, &row.scenario, main, metric);
            let ratio_target = target_cell(targets, rows, &row.scenario, "ratio", metric);
            if !ratio_target.is_empty() {
                target = [target, format!("ratio {ratio_target}")]
                    .into_iter()
                    .filter(|x| !x.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
            }
            let _ = writeln!(
                s,
                "| {} | {} | {metric} | {} | {} | {ratio} | {target} | {} |",
                row.scenario,
                cond,
                ours.map_or("—".into(), |v| fmt_metric(metric, v)),
                floor.map_or("—".into(), |v| fmt_metric(metric, v)),
                errors.join(", ")
            );
        }
    }
    s
}

/// "≤ 150 µs ✔" for the target matching this figure, if any.
fn target_cell(
    targets: Option<&Targets>,
    rows: &[ScenarioResult],
    scenario: &str,
    of: &str,
    metric: &str,
) -> String {
    let Some(targets) = targets else {
        return String::new();
    };
    let Some(rule) = targets
        .targets
        .iter()
        .find(|r| r.scenario == scenario && r.of == of && r.metric == metric)
    else {
        return String::new();
    };
    let v = value(rows, scenario, of, metric);
    let fmt = |b: f64| {
        if of == "ratio" {
            format!("{b}×")
        } else {
            fmt_metric(metric, b)
        }
    };
    let mut parts = Vec::new();
    if let Some(max) = rule.max {
        parts.push(format!("≤ {}", fmt(max)));
    }
    if let Some(min) = rule.min {
        parts.push(format!("≥ {}", fmt(min)));
    }
    let ok = v.map(|v| rule.max.is_none_or(|m| v <= m) && rule.min.is_none_or(|m| v >= m));
    let mark = match ok {
        Some(true) => " ✔",
        Some(false) => " ✘",
        None => "",
    };
    format!("{}{mark}", parts.join(", "))
}
