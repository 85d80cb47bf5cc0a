//! Inline SVG charts for the HTML report: function radar, gap heat map, progress bars.
//! Pure string building; every label is escaped.

use super::escape::esc;
use std::fmt::Write;

/// One axis of the radar: label and up to two series values in 0..=1.
pub(crate) struct RadarAxis {
    pub label: String,
    pub current: Option<f64>,
    pub target: Option<f64>,
}

/// A radar (spider) chart with a current and an optional target polygon.
pub(crate) fn radar(axes: &[RadarAxis], title: &str) -> String {
    let (cx, cy, r) = (200.0_f64, 190.0_f64, 140.0_f64);
    let n = axes.len().max(3) as f64;
    let pt = |i: usize, v: f64| {
        let a = -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * i as f64 / n;
        (cx + r * v * a.cos(), cy + r * v * a.sin())
    };
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r#"<svg class="chart radar" viewBox="0 0 400 400" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        esc(title),
        esc(title)
    );
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let pts: Vec<String> = (0..axes.len())
            .map(|i| {
                let (x, y) = pt(i, ring);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            s,
            r##"<polygon points="{}" fill="none" stroke="#c9ced6" stroke-width="1"/>"##,
            pts.join(" ")
        );
    }
    for (i, a) in axes.iter().enumerate() {
        let (x, y) = pt(i, 1.0);
        let (lx, ly) = pt(i, 1.16);
        let _ = write!(
            s,
            r##"<line x1="{cx}" y1="{cy}" x2="{x:.1}" y2="{y:.1}" stroke="#c9ced6"/><text x="{lx:.1}" y="{ly:.1}" text-anchor="middle" dominant-baseline="middle" class="axis">{}</text>"##,
            esc(&a.label)
        );
    }
    for (i, pct) in [25, 50, 75, 100].iter().enumerate() {
        let (_, y) = pt(0, (i + 1) as f64 / 4.0);
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="tick">{pct}%</text>"#,
            cx + 4.0,
            y - 2.0
        );
    }
    let poly = |sel: &dyn Fn(&RadarAxis) -> Option<f64>| -> Option<String> {
        if axes.iter().all(|a| sel(a).is_none()) {
            return None;
        }
        Some(
            axes.iter()
                .enumerate()
                .map(|(i, a)| {
                    let (x, y) = pt(i, sel(a).unwrap_or(0.0).clamp(0.0, 1.0));
                    format!("{x:.1},{y:.1}")
                })
                .collect::<Vec<_>>()
                .join(" "),
        )
    };
    if let Some(p) = poly(&|a| a.target) {
        let _ = write!(
            s,
            r##"<polygon class="series-target" points="{p}" fill="#f4a261" fill-opacity="0.15" stroke="#e76f51" stroke-width="2" stroke-dasharray="6 4"/>"##
        );
    }
    if let Some(p) = poly(&|a| a.current) {
        let _ = write!(
            s,
            r##"<polygon class="series-current" points="{p}" fill="#2a6f97" fill-opacity="0.30" stroke="#1d4e89" stroke-width="2"/>"##
        );
        for (i, a) in axes.iter().enumerate() {
            if let Some(v) = a.current {
                let (x, y) = pt(i, v.clamp(0.0, 1.0));
                let _ = write!(
                    s,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="#1d4e89"/>"##
                );
            }
        }
    }
    let _ = write!(
        s,
        r##"<rect x="20" y="372" width="14" height="10" fill="#2a6f97" fill-opacity="0.5" stroke="#1d4e89"/><text x="40" y="381" class="legend">Current implementation score</text><rect x="220" y="372" width="14" height="10" fill="#f4a261" fill-opacity="0.3" stroke="#e76f51"/><text x="240" y="381" class="legend">Target</text></svg>"##
    );
    s
}

/// One heat-map cell.
pub(crate) struct HeatCell {
    pub label: String,
    /// 0 = no open gap … 1 = everything open; None = nothing compared.
    pub intensity: Option<f64>,
    pub caption: String,
}

/// Rows of cells (one row per function), coloured green → amber → red.
pub(crate) fn heat_map(rows: &[(String, Vec<HeatCell>)], title: &str) -> String {
    let cols = rows.iter().map(|r| r.1.len()).max().unwrap_or(1).max(1);
    let (cw, ch, left, top) = (112.0, 46.0, 56.0, 8.0);
    let w = left + cw * cols as f64 + 8.0;
    let h = top + ch * rows.len() as f64 + 48.0;
    let mut s = String::with_capacity(8192);
    let _ = write!(
        s,
        r#"<svg class="chart heatmap" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        esc(title),
        esc(title)
    );
    for (ri, (fname, cells)) in rows.iter().enumerate() {
        let y = top + ch * ri as f64;
        let _ = write!(
            s,
            r#"<text x="6" y="{:.1}" dominant-baseline="middle" class="rowlabel">{}</text>"#,
            y + ch / 2.0,
            esc(fname)
        );
        for (ci, c) in cells.iter().enumerate() {
            let x = left + cw * ci as f64;
            let fill = c
                .intensity
                .map_or_else(|| "#e9ecef".to_owned(), heat_colour);
            let _ = write!(
                s,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="4" fill="{fill}" stroke="#fff" stroke-width="2"><title>{}</title></rect><text x="{:.1}" y="{:.1}" text-anchor="middle" class="cell">{}</text><text x="{:.1}" y="{:.1}" text-anchor="middle" class="cellsub">{}</text>"##,
                x + 1.0,
                y + 1.0,
                cw - 2.0,
                ch - 2.0,
                esc(&c.caption),
                x + cw / 2.0,
                y + ch / 2.0 - 3.0,
                esc(&c.label),
                x + cw / 2.0,
                y + ch / 2.0 + 12.0,
                esc(&c.caption)
            );
        }
    }
    let ly = top + ch * rows.len() as f64 + 12.0;
    let _ = write!(
        s,
        r#"<text x="{left}" y="{:.1}" class="legend">open weighted gap:</text>"#,
        ly + 10.0
    );
    for i in 0..=4 {
        let v = f64::from(i) / 4.0;
        let x = left + 120.0 + f64::from(i) * 50.0;
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="{ly:.1}" width="48" height="14" fill="{}"/><text x="{:.1}" y="{:.1}" text-anchor="middle" class="legend">{}%</text>"#,
            heat_colour(v),
            x + 24.0,
            ly + 26.0,
            i * 25
        );
    }
    let _ = write!(
        s,
        r##"<rect x="{:.1}" y="{ly:.1}" width="48" height="14" fill="#e9ecef"/><text x="{:.1}" y="{:.1}" text-anchor="middle" class="legend">n/a</text></svg>"##,
        left + 380.0,
        left + 404.0,
        ly + 26.0
    );
    s
}

/// Green (0) → amber (0.5) → red (1).
fn heat_colour(v: f64) -> String {
    let v = v.clamp(0.0, 1.0);
    let (a, b, t) = if v < 0.5 {
        ((0x2d, 0x9c, 0x6a), (0xf2, 0xc1, 0x4e), v * 2.0)
    } else {
        ((0xf2, 0xc1, 0x4e), (0xd6, 0x45, 0x3d), (v - 0.5) * 2.0)
    };
    let mix = |x: i32, y: i32| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as i32;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

/// One labelled progress bar, value 0..=1 (None = no data).
pub(crate) struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub caption: String,
}

/// Horizontal progress bars.
pub(crate) fn bars(items: &[Bar], title: &str) -> String {
    let (left, width, rowh) = (150.0, 330.0, 28.0);
    let h = rowh * items.len() as f64 + 8.0;
    let mut s = String::with_capacity(2048);
    let _ = write!(
        s,
        r#"<svg class="chart bars" viewBox="0 0 720 {h:.0}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        esc(title),
        esc(title)
    );
    for (i, b) in items.iter().enumerate() {
        let y = 4.0 + rowh * i as f64;
        let v = b.value.unwrap_or(0.0).clamp(0.0, 1.0);
        let _ = write!(
            s,
            r##"<text x="0" y="{:.1}" dominant-baseline="middle" class="barlabel">{}</text><rect x="{left}" y="{:.1}" width="{width}" height="16" rx="8" fill="#e9ecef"/><rect x="{left}" y="{:.1}" width="{:.1}" height="16" rx="8" fill="#2a6f97"/><text x="{:.1}" y="{:.1}" dominant-baseline="middle" class="barvalue">{}</text>"##,
            y + 10.0,
            esc(&b.label),
            y + 2.0,
            y + 2.0,
            (width * v).max(if b.value.is_some() { 2.0 } else { 0.0 }),
            left + width + 8.0,
            y + 10.0,
            esc(&b.caption)
        );
    }
    s.push_str("</svg>");
    s
}

/// A line chart of values 0..=1 over labelled periods (gaps where a value is missing).
pub(crate) fn line(points: &[(String, Option<f64>)], title: &str) -> String {
    let (left, top, w, h) = (44.0, 12.0, 540.0, 180.0);
    let n = points.len().max(2) as f64 - 1.0;
    let x = |i: usize| left + w * i as f64 / n;
    let y = |v: f64| top + h * (1.0 - v.clamp(0.0, 1.0));
    let mut s = String::with_capacity(2048);
    let _ = write!(
        s,
        r#"<svg class="chart line" viewBox="0 0 620 230" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        esc(title),
        esc(title)
    );
    for pct in [0, 25, 50, 75, 100] {
        let yy = y(f64::from(pct) / 100.0);
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#e3e7ec"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="tick">{pct}%</text>"##,
            left + w,
            left - 6.0,
            yy + 3.0
        );
    }
    let mut path = String::new();
    let mut pen_up = true;
    for (i, (_, v)) in points.iter().enumerate() {
        match v {
            Some(v) => {
                let _ = write!(
                    path,
                    "{}{:.1},{:.1} ",
                    if pen_up { "M" } else { "L" },
                    x(i),
                    y(*v)
                );
                pen_up = false;
            }
            None => pen_up = true,
        }
    }
    if !path.is_empty() {
        let _ = write!(
            s,
            r##"<path d="{}" fill="none" stroke="#1d4e89" stroke-width="2.5"/>"##,
            path.trim_end()
        );
    }
    for (i, (label, v)) in points.iter().enumerate() {
        if let Some(v) = v {
            let _ = write!(
                s,
                r##"<circle cx="{:.1}" cy="{:.1}" r="4" fill="#1d4e89"><title>{}: {:.1}%</title></circle>"##,
                x(i),
                y(*v),
                esc(label),
                v * 100.0
            );
        }
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="tick">{}</text>"#,
            x(i),
            top + h + 18.0,
            esc(label)
        );
    }
    s.push_str("</svg>");
    s
}
