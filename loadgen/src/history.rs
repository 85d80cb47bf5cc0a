//! The history of recorded runs (`results/<arch>/history.jsonl`, one line per `make bench`)
//! and its chart (`history.svg`): a few key figures per run, drawn as small multiples so a
//! drift over commits is visible at a glance.

use std::{collections::BTreeMap, fmt::Write as _, io::Write as _, path::Path};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::{gate::value, record::ScenarioResult};

/// The figures kept per run: (scenario, of, metric, label).
const FIGURES: &[(&str, &str, &str, &str)] = &[
    (
        "lookup-stdio",
        "ratio",
        "latency_p50_us",
        "lookup p50 ÷ floor",
    ),
    (
        "search-stdio",
        "ratio",
        "latency_p50_us",
        "search p50 ÷ floor",
    ),
    (
        "cold-start",
        "ratio",
        "cold_start_median_ms",
        "cold start ÷ floor",
    ),
    (
        "stdio-8-clients",
        "ratio",
        "throughput_rps",
        "8-client calls/s ÷ floor",
    ),
    ("lookup-stdio", "ours", "latency_p50_us", "lookup p50 (µs)"),
    ("memory", "ours", "rss_idle_kb", "idle RSS (KiB)"),
    ("memory", "ours", "rss_peak_kb", "flood peak RSS (KiB)"),
    (
        "icount-lookup",
        "ours",
        "ir_per_request",
        "instructions / lookup",
    ),
    (
        "icount-search",
        "ours",
        "ir_per_request",
        "instructions / search",
    ),
    (
        "http-stateless",
        "ours",
        "throughput_rps",
        "HTTP c=64 calls/s",
    ),
];

/// One line of `history.jsonl`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Entry {
    pub date_utc: String,
    pub git_sha: String,
    pub profile: String,
    pub loadavg_at_start: String,
    /// `scenario/of/metric` → value.
    pub figures: BTreeMap<String, f64>,
}

/// Appends the run in `rows` to the history file.
pub fn append(rows: &[ScenarioResult], path: &Path) -> anyhow::Result<()> {
    let Some(first) = rows.first() else {
        anyhow::bail!("no rows to record");
    };
    let figures = FIGURES
        .iter()
        .filter_map(|(s, of, m, _)| value(rows, s, of, m).map(|v| (format!("{s}/{of}/{m}"), v)))
        .collect();
    let entry = Entry {
        date_utc: first.run.date_utc.clone(),
        git_sha: first.run.git_sha.clone(),
        profile: first.run.profile.clone(),
        loadavg_at_start: first.run.loadavg_at_start.clone(),
        figures,
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("open {}", path.display()))?;
    writeln!(f, "{}", serde_json::to_string(&entry)?)?;
    Ok(())
}

pub fn read(path: &Path) -> anyhow::Result<Vec<Entry>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("read {}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{}:{}", path.display(), i + 1))
        })
        .collect()
}

/// One chart panel: its label and the (run index, value) points it has.
struct Panel {
    label: &'static str,
    points: Vec<(usize, f64)>,
}

const PANEL_W: f64 = 300.0;
const PANEL_H: f64 = 120.0;
const COLS: usize = 2;

/// Small multiples, one panel per figure, runs left to right (oldest first).
pub fn svg(entries: &[Entry]) -> String {
    let panels: Vec<Panel> = FIGURES
        .iter()
        .map(|(sc, of, m, label)| {
            let key = format!("{sc}/{of}/{m}");
            let points = entries
                .iter()
                .enumerate()
                .filter_map(|(i, e)| e.figures.get(&key).map(|v| (i, *v)))
                .collect();
            Panel { label, points }
        })
        .filter(|p| !p.points.is_empty())
        .collect();
    let rows = panels.len().div_ceil(COLS).max(1);
    let (w, h) = (PANEL_W * COLS as f64 + 20.0, PANEL_H * rows as f64 + 50.0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="11">"#
    );
    let first = entries.first().map_or("", |e| e.date_utc.as_str());
    let last = entries.last().map_or("", |e| e.date_utc.as_str());
    let _ = writeln!(
        s,
        r#"<text x="10" y="18" font-size="13">nist-csf-mcp benchmark history: {} runs, {} … {}</text>"#,
        entries.len(),
        esc(first),
        esc(last)
    );
    let n = entries.len().max(2) - 1;
    for (idx, Panel { label, points: pts }) in panels.iter().enumerate() {
        let x0 = 10.0 + (idx % COLS) as f64 * PANEL_W;
        let y0 = 35.0 + (idx / COLS) as f64 * PANEL_H;
        let (lo, hi) = pts
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, v)| {
                (a.min(*v), b.max(*v))
            });
        let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
        let (pl, pr, pt, pb) = (
            x0 + 45.0,
            x0 + PANEL_W - 15.0,
            y0 + 20.0,
            y0 + PANEL_H - 20.0,
        );
        let px = |i: usize| pl + (pr - pl) * i as f64 / n as f64;
        let py = |v: f64| pb - (pb - pt) * (v - lo) / span;
        let _ = writeln!(
            s,
            r##"<rect x="{pl}" y="{pt}" width="{}" height="{}" fill="none" stroke="#ccc"/>"##,
            pr - pl,
            pb - pt
        );
        let _ = writeln!(
            s,
            r#"<text x="{x0}" y="{}" font-weight="bold">{}</text>"#,
            y0 + 12.0,
            esc(label)
        );
        let _ = writeln!(s, r#"<text x="{x0}" y="{}">{}</text>"#, pt + 8.0, short(hi));
        let _ = writeln!(s, r#"<text x="{x0}" y="{pb}">{}</text>"#, short(lo));
        let points: Vec<String> = pts
            .iter()
            .map(|(i, v)| format!("{:.1},{:.1}", px(*i), py(*v)))
            .collect();
        let _ = writeln!(
            s,
            r##"<polyline fill="none" stroke="#1f5fa8" stroke-width="1.5" points="{}"/>"##,
            points.join(" ")
        );
        for (i, v) in pts {
            let _ = writeln!(
                s,
                r##"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="#1f5fa8"><title>{} {}: {}</title></circle>"##,
                px(*i),
                py(*v),
                esc(entries[*i]
                    .git_sha
                    .get(..10)
                    .unwrap_or(&entries[*i].git_sha)),
                esc(&entries[*i].date_utc),
                short(*v)
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

fn short(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{:.2}M", v / 1e6)
    } else if v.abs() >= 1e4 {
        format!("{:.1}k", v / 1e3)
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(sha: &str, ratio: f64) -> Entry {
        Entry {
            date_utc: format!("2026-01-0{}T00:00:00Z", sha.len()),
            git_sha: sha.into(),
            profile: "standard".into(),
            loadavg_at_start: "0 0 0".into(),
            figures: BTreeMap::from([("lookup-stdio/ratio/latency_p50_us".to_string(), ratio)]),
        }
    }

    #[test]
    fn chart_has_one_point_per_run_of_each_figure() {
        let svg = svg(&[entry("a", 1.0), entry("bb", 1.2), entry("ccc", 0.9)]);
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(
            svg.matches("<polyline").count(),
            1,
            "figures without data get no panel"
        );
        assert!(svg.contains("lookup p50 ÷ floor"));
    }
}
