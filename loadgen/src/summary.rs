//! The one human-readable table a run prints (and writes as `summary.md`): per scenario, its
//! key figures for ours and the floor, their ratio, and the target where there is one.

use std::fmt::Write as _;

use crate::{
    gate::{figure, target_standing, Standing, Targets},
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
            "pss_total_kb",
        ],
        "http" => &[
            "latency_p50_us",
            "latency_p99_us",
            "throughput_rps",
            "rss_peak_kb",
        ],
        "coldstart" => &[
            "cold_start_median_ms",
            "hyperfine_median_ms",
            "cold_start_p90_ms",
            "startup_faults",
            "cpu_median_ms",
        ],
        "memory" => &[
            "rss_idle_kb",
            "pss_idle_kb",
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
    } else if metric.ends_with("_faults") {
        format!("{v:.0}")
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

/// The targets shown as columns, in this order, when a row has them.
const COLUMNS: &[(&str, &str)] = &[
    ("ours", "ours (glibc)"),
    ("ours-static", "ours (static, image)"),
    ("floor", "floor (static)"),
];

/// A figure with its interval: `2.49 ms [2.31–2.70]`.
fn cell(metric: &str, v: Option<(f64, Option<[f64; 2]>)>) -> String {
    match v {
        None => "—".into(),
        Some((v, None)) => fmt_metric(metric, v),
        Some((v, Some([lo, hi]))) => format!(
            "{} [{}–{}]",
            fmt_metric(metric, v),
            fmt_bare(metric, lo),
            fmt_bare(metric, hi)
        ),
    }
}

/// A number in the unit `fmt_metric` would choose for `v`, without the unit.
fn fmt_bare(metric: &str, v: f64) -> String {
    let s = fmt_metric(metric, v);
    s.split(' ')
        .next()
        .unwrap_or(&s)
        .trim_end_matches("k/s")
        .to_string()
}

fn ratio_cell(v: Option<(f64, Option<[f64; 2]>)>) -> String {
    match v {
        None => String::new(),
        Some((r, None)) => format!("{r:.2}×"),
        Some((r, Some([lo, hi]))) => format!("{r:.2}× [{lo:.2}–{hi:.2}]"),
    }
}

/// The Markdown table for a run: every build, the floor, their ratios with 95% bootstrap
/// intervals, and the targets (✔ the whole interval meets it, ✘ the whole interval misses it,
/// ~ the interval straddles it).
pub fn markdown(rows: &[ScenarioResult], targets: Option<&Targets>) -> String {
    let mut s = String::new();
    if let Some(r) = rows.first() {
        let m = &r.run;
        let _ = writeln!(
            s,
            "Run {} ({}), {} profile, {}: {} × {}, kernel {}, load average at start {}{}. \
             Medians with 95% bootstrap intervals [low–high].\n",
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
    let present: Vec<(&str, &str)> = COLUMNS
        .iter()
        .copied()
        .filter(|(t, _)| rows.iter().any(|r| r.target(t).is_some()))
        .collect();
    let builds: Vec<&str> = present
        .iter()
        .map(|(t, _)| *t)
        .filter(|t| *t != crate::record::FLOOR)
        .collect();
    let has_floor = present.iter().any(|(t, _)| *t == crate::record::FLOOR);
    let mut header = String::from("| scenario | conditions | figure |");
    let mut rule = String::from("|---|---|---|");
    for (_, label) in &present {
        let _ = write!(header, " {label} |");
        rule.push_str("---:|");
    }
    if has_floor {
        for b in &builds {
            let _ = write!(header, " {b} ÷ floor |");
            rule.push_str("---:|");
        }
    }
    header.push_str(" target | errors |");
    rule.push_str("---|---:|");
    let _ = writeln!(s, "{header}\n{rule}");
    for row in rows {
        if row.kind == "image" {
            image_rows(&mut s, row, rows, targets, present.len() + builds.len());
            continue;
        }
        let cond = conditions(row);
        let errors: Vec<String> = row
            .targets
            .iter()
            .map(|t| format!("{}: {}", t.target, t.errors))
            .collect();
        for metric in key_metrics(&row.kind) {
            let figures: Vec<_> = present
                .iter()
                .map(|(t, _)| figure(rows, &row.scenario, t, metric))
                .collect();
            if figures.iter().all(Option::is_none) {
                continue;
            }
            let mut line = format!("| {} | {} | {metric} |", row.scenario, cond);
            for f in &figures {
                let _ = write!(line, " {} |", cell(metric, *f));
            }
            if has_floor {
                for b in &builds {
                    let _ = write!(line, " {} |", ratio_cell(row.ratio(b, metric)));
                }
            }
            let mut marks = Vec::new();
            for b in &builds {
                for of in [b.to_string(), format!("ratio:{b}")] {
                    let of = if of == "ratio:ours" {
                        "ratio".to_string()
                    } else {
                        of
                    };
                    let c = target_cell(targets, rows, &row.scenario, &of, metric);
                    if !c.is_empty() {
                        marks.push(c);
                    }
                }
            }
            let _ = writeln!(line, " {} | {} |", marks.join("; "), errors.join(", "));
            s.push_str(&line);
        }
    }
    s
}

/// Image rows have one target per platform: one line each.
fn image_rows(
    s: &mut String,
    row: &ScenarioResult,
    rows: &[ScenarioResult],
    targets: Option<&Targets>,
    value_columns: usize,
) {
    for metric in key_metrics(&row.kind) {
        for t in &row.targets {
            if let Some(v) = t.metrics.get(*metric) {
                let _ = writeln!(
                    s,
                    "| {} | {} | {metric} | {}{} | {} | {} |",
                    row.scenario,
                    t.target,
                    fmt_metric(metric, *v),
                    " |".repeat(value_columns.saturating_sub(1)),
                    target_cell(targets, rows, &row.scenario, &t.target, metric),
                    t.errors
                );
            }
        }
    }
}

/// "ours ≤ 1.00 ms ✘" for the target matching this figure, if any.
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
    let is_ratio = crate::gate::ratio_of(of).is_some();
    let fmt = |b: f64| {
        if is_ratio {
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
    let mark = match figure(rows, scenario, of, metric) {
        None => "",
        Some((v, ci)) => match target_standing(rule, v, ci) {
            Standing::Within => " ✔",
            Standing::Straddles => " ~",
            Standing::Beyond => " ✘",
        },
    };
    let who = match crate::gate::ratio_of(of) {
        Some(t) => format!("{t} ÷ floor"),
        None => of.to_string(),
    };
    let gated = match (&rule.gate, &rule.arch) {
        (true, Some(arch)) => format!(" (gated on {})", arch.as_str()),
        (true, None) => " (gated)".to_string(),
        (false, _) => String::new(),
    };
    format!("{who} {}{mark}{gated}", parts.join(", "))
}
