//! RFC 4180 CSV with a header row. Text cells that a spreadsheet would run as a formula
//! (starting with `=`, `+`, `-`, `@`, tab or CR) are prefixed with `'`.

use crate::analysis::gap::GapAnalysis;
use crate::records::entry_records;
use csf_store::AssessmentEntry;
use std::fmt::Write;

fn cell(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn line(out: &mut String, cells: &[String]) {
    let row: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    let _ = write!(out, "{}\r\n", row.join(","));
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Entries of one profile in official order, one row each.
pub fn entries_csv(entries: &[AssessmentEntry]) -> String {
    let mut out = String::with_capacity(256 * (entries.len() + 1));
    line(
        &mut out,
        &[
            "function_id",
            "category_id",
            "subcategory_id",
            "status",
            "maturity",
            "priority",
            "owner",
            "target_date",
            "evidence",
            "notes",
            "assessed_by",
            "confidence",
            "assessed_on",
            "version",
            "updated_at",
            "updated_by",
        ]
        .map(String::from),
    );
    for e in entry_records(entries) {
        let (f, c) = match csf_catalog::get(&e.subcategory_id) {
            Some(csf_catalog::Element::Subcategory(s)) => (
                s.category().function().id.to_owned(),
                s.category().id.to_owned(),
            ),
            _ => (String::new(), String::new()),
        };
        line(
            &mut out,
            &[
                f,
                c,
                e.subcategory_id.clone(),
                e.status.as_str().to_owned(),
                opt(e.maturity),
                opt(e.priority.map(|p| p.as_str())),
                e.owner.clone().unwrap_or_default(),
                opt(e.target_date),
                e.evidence
                    .iter()
                    .map(|v| format!("{} <{}>", v.title, v.location))
                    .collect::<Vec<_>>()
                    .join("; "),
                e.notes.clone().unwrap_or_default(),
                e.assessed_by.clone().unwrap_or_default(),
                opt(e.confidence.map(|c| format!("{c:?}").to_lowercase())),
                opt(e.assessed_on),
                e.version.to_string(),
                e.updated_at.clone(),
                e.updated_by.clone(),
            ],
        );
    }
    out
}

/// Gap rows, one per in-scope subcategory.
pub fn gaps_csv(gaps: &GapAnalysis) -> String {
    let mut out = String::with_capacity(128 * (gaps.rows.len() + 1));
    line(
        &mut out,
        &[
            "function_id",
            "category_id",
            "subcategory_id",
            "state",
            "current_status",
            "target_status",
            "gap_steps",
            "priority",
            "priority_defaulted",
            "priority_weight",
            "weighted_gap",
            "current_maturity",
            "target_maturity",
            "maturity_gap",
            "owner",
            "target_date",
        ]
        .map(String::from),
    );
    for r in &gaps.rows {
        let state = serde_json::to_value(r.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        line(
            &mut out,
            &[
                r.function_id.clone(),
                r.category_id.clone(),
                r.subcategory_id.clone(),
                state,
                opt(r.current_status.map(|s| s.as_str())),
                opt(r.target_status.map(|s| s.as_str())),
                r.gap_steps.to_string(),
                r.priority.as_str().to_owned(),
                r.priority_defaulted.to_string(),
                r.priority_weight.to_string(),
                r.weighted_gap.to_string(),
                opt(r.current_maturity),
                opt(r.target_maturity),
                opt(r.maturity_gap),
                r.owner.clone().unwrap_or_default(),
                opt(r.target_date),
            ],
        );
    }
    out
}
