//! Imports of assessment entries given as content (CSV or JSON), never as a path: every row is
//! parsed and validated on its own, so the caller gets one error per bad row and nothing is
//! stored unless all rows are good.

use chrono::NaiveDate;
use csf_store::{
    Confidence, EntryInput, EvidenceRef, ImplementationStatus, Maturity, Patch, Priority,
};
use serde::Deserialize;

use csf_catalog::ids;

/// Largest accepted import (bytes). Far above a full profile (106 rows of a few hundred bytes).
pub const MAX_IMPORT_BYTES: usize = 1 << 20;
/// Most rows in one import (the store writes a batch of up to 1000 in one transaction).
pub const MAX_ROWS: usize = 1000;

pub const CSV_COLUMNS: &str = "subcategory_id,status,maturity,priority,owner,target_date,notes,\
    assessed_by,confidence,assessed_on,evidence_title,evidence_location";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// 1-based data row (CSV: line 2 is row 1; JSON: array index + 1).
    pub row: usize,
    pub message: String,
}

/// One row as written by people: every field text, parsed and checked here. A field left out
/// (or a blank CSV cell) keeps the stored value; JSON `null` (or an empty string) clears it.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawRow {
    subcategory_id: Option<String>,
    status: Option<String>,
    maturity: Patch<serde_json::Value>,
    priority: Patch<String>,
    owner: Patch<String>,
    target_date: Patch<String>,
    notes: Patch<String>,
    assessed_by: Patch<String>,
    confidence: Patch<String>,
    assessed_on: Patch<String>,
    evidence_title: Option<String>,
    evidence_location: Option<String>,
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A text field's change: a blank value clears.
fn text(p: Patch<String>) -> Patch<String> {
    match p {
        Patch::Set(v) if v.trim().is_empty() => Patch::Clear,
        Patch::Set(v) => Patch::Set(v.trim().to_string()),
        other => other,
    }
}

fn date(field: &str, d: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
        format!(
            "{field} `{}` is not a date like 2026-12-31",
            d.chars().take(40).collect::<String>()
        )
    })
}

fn status(s: &str) -> Result<ImplementationStatus, String> {
    ImplementationStatus::parse(s).ok_or_else(|| {
        format!(
            "status `{}` is not one of not_implemented, partially, largely, fully, not_applicable",
            s.chars().take(40).collect::<String>()
        )
    })
}

fn level<T>(field: &str, s: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, String> {
    parse(s).ok_or_else(|| {
        format!(
            "{field} `{}` is not one of high, medium, low",
            s.chars().take(40).collect::<String>()
        )
    })
}

fn maturity(v: &serde_json::Value) -> Result<Option<Maturity>, String> {
    let n = match v {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::String(s) if s.trim().is_empty() => return Ok(None),
        serde_json::Value::String(s) => s.trim().parse::<u64>().ok(),
        serde_json::Value::Number(n) => n.as_u64(),
        _ => None,
    };
    match n {
        Some(n) if n <= 5 => Maturity::new(n as u8).map(Some).map_err(|e| e.to_string()),
        _ => Err(format!("maturity `{v}` is not an integer from 0 to 5")),
    }
}

fn convert(raw: RawRow) -> Result<EntryInput, String> {
    let sub = non_empty(&raw.subcategory_id).ok_or("subcategory_id is missing")?;
    let sub = ids::subcategory(sub).map_err(|e| e.to_string())?;
    let mut e = EntryInput::keep(sub.id);
    e.status = non_empty(&raw.status).map(status).transpose()?;
    e.maturity = match raw.maturity.try_map(|v| maturity(&v))? {
        Patch::Set(Some(m)) => Patch::Set(m),
        Patch::Set(None) | Patch::Clear => Patch::Clear,
        Patch::Keep => Patch::Keep,
    };
    e.priority = text(raw.priority).try_map(|p| level("priority", &p, Priority::parse))?;
    e.confidence = text(raw.confidence).try_map(|c| level("confidence", &c, Confidence::parse))?;
    e.target_date = text(raw.target_date).try_map(|d| date("target_date", &d))?;
    e.assessed_on = text(raw.assessed_on).try_map(|d| date("assessed_on", &d))?;
    e.owner = text(raw.owner);
    e.notes = text(raw.notes);
    e.assessed_by = text(raw.assessed_by);
    match (
        non_empty(&raw.evidence_title),
        non_empty(&raw.evidence_location),
    ) {
        (Some(t), loc) => {
            e.evidence = Patch::Set(vec![EvidenceRef {
                title: t.to_string(),
                location: loc.unwrap_or_default().to_string(),
            }])
        }
        (None, Some(_)) => return Err("evidence_location needs an evidence_title".into()),
        (None, None) => {}
    }
    Ok(e)
}

/// Parses and validates an import. Returns the entries in input order and every row's error.
/// A subcategory appearing twice is an error (which row should win would be a guess).
pub fn parse(content: &str, format: Format) -> (Vec<EntryInput>, Vec<RowError>) {
    if content.len() > MAX_IMPORT_BYTES {
        return (
            Vec::new(),
            vec![RowError {
                row: 0,
                message: format!(
                    "content is {} bytes; at most {MAX_IMPORT_BYTES} are accepted — split the import",
                    content.len()
                ),
            }],
        );
    }
    let raw: Vec<Result<RawRow, String>> = match format {
        Format::Csv => csv_rows(content),
        Format::Json => json_rows(content),
    };
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    if raw.len() > MAX_ROWS {
        errors.push(RowError {
            row: 0,
            message: format!("{} rows; at most {MAX_ROWS} per import", raw.len()),
        });
        return (entries, errors);
    }
    for (i, r) in raw.into_iter().enumerate() {
        let row = i + 1;
        match r.and_then(convert) {
            Ok(e) => {
                if let Some(first) = seen.insert(e.subcategory_id.clone(), row) {
                    errors.push(RowError {
                        row,
                        message: format!("{} is already in row {first}", e.subcategory_id),
                    });
                } else {
                    entries.push(e);
                }
            }
            Err(message) => errors.push(RowError { row, message }),
        }
    }
    if entries.is_empty() && errors.is_empty() {
        errors.push(RowError {
            row: 0,
            message: "no rows to import".into(),
        });
    }
    (entries, errors)
}

fn csv_rows(content: &str) -> Vec<Result<RawRow, String>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(content.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return vec![Err(format!("cannot read the CSV header: {e}"))],
    };
    let known: Vec<&str> = CSV_COLUMNS.split(',').collect();
    if let Some(bad) = headers.iter().find(|h| !known.contains(h)) {
        return vec![Err(format!(
            "unknown CSV column `{}`; columns are {CSV_COLUMNS}",
            bad.chars().take(40).collect::<String>()
        ))];
    }
    reader
        .records()
        .map(|rec| {
            let rec = rec.map_err(|e| format!("malformed CSV: {e}"))?;
            let mut row = RawRow::default();
            for (h, v) in headers.iter().zip(rec.iter()) {
                // A blank cell keeps the stored value: a spreadsheet cannot say "clear".
                let p = if v.is_empty() {
                    Patch::Keep
                } else {
                    Patch::Set(v.to_string())
                };
                let v = Some(v.to_string());
                match h {
                    "subcategory_id" => row.subcategory_id = v,
                    "status" => row.status = v,
                    "maturity" => row.maturity = p.map(serde_json::Value::String),
                    "priority" => row.priority = p,
                    "owner" => row.owner = p,
                    "target_date" => row.target_date = p,
                    "notes" => row.notes = p,
                    "assessed_by" => row.assessed_by = p,
                    "confidence" => row.confidence = p,
                    "assessed_on" => row.assessed_on = p,
                    "evidence_title" => row.evidence_title = v,
                    _ => row.evidence_location = v,
                }
            }
            Ok(row)
        })
        .collect()
}

fn json_rows(content: &str) -> Vec<Result<RawRow, String>> {
    let doc: serde_json::Value = match serde_json::from_str(content) {
        Ok(v) => v,
        Err(e) => return vec![Err(format!("malformed JSON: {e}"))],
    };
    let rows = match doc {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(mut o) => match o.remove("entries") {
            Some(serde_json::Value::Array(a)) => a,
            _ => {
                return vec![Err(
                    "JSON must be an array of rows or {\"entries\": [...]}".into()
                )]
            }
        },
        _ => {
            return vec![Err(
                "JSON must be an array of rows or {\"entries\": [...]}".into()
            )]
        }
    };
    rows.into_iter()
        .map(|v| {
            serde_json::from_value::<RawRow>(v)
                .map_err(|e| format!("{e}; fields are {CSV_COLUMNS} (all text except maturity)"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_become_entries() {
        let csv = "subcategory_id,status,maturity,priority,target_date,evidence_title,evidence_location\n\
                   gv.oc-1,largely,3,high,2026-12-31,Policy v2,sha256:abcd\n\
                   PR.AA-01,Not Implemented,,low,,,\n";
        let (entries, errors) = parse(csv, Format::Csv);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].subcategory_id, "GV.OC-01");
        assert_eq!(entries[0].maturity.as_set().map(|m| m.get()), Some(3));
        assert_eq!(
            entries[0].evidence.as_set().map(|e| e[0].location.as_str()),
            Some("sha256:abcd")
        );
        assert_eq!(
            entries[1].status,
            Some(ImplementationStatus::NotImplemented)
        );
        // A blank cell keeps what is stored.
        assert_eq!(entries[1].maturity, Patch::Keep);
    }

    #[test]
    fn every_bad_row_is_reported_and_nothing_is_kept_silently() {
        let csv = "subcategory_id,status,maturity\n\
                   GV.OC-01,fully,7\n\
                   PR.AC-01,fully,\n\
                   ,fully,\n\
                   DE.CM-01,kinda,\n\
                   RS.MA-01,fully,1\n\
                   RS.MA-01,partially,1\n";
        let (entries, errors) = parse(csv, Format::Csv);
        let rows: Vec<usize> = errors.iter().map(|e| e.row).collect();
        assert_eq!(rows, [1, 2, 3, 4, 6]);
        assert!(errors[1].message.contains("PR.AA-01"));
        assert!(errors[4].message.contains("row 5"));
        assert_eq!(entries.len(), 1);
    }

    #[test]
    fn malformed_inputs_are_refused_with_reasons() {
        assert!(parse("a,b\n1,2\n", Format::Csv).1[0]
            .message
            .contains("unknown CSV column"));
        assert!(parse("subcategory_id,status\nGV.OC-01\n", Format::Csv).1[0]
            .message
            .contains("malformed CSV"));
        assert!(parse("{not json", Format::Json).1[0]
            .message
            .contains("malformed JSON"));
        assert!(parse("42", Format::Json).1[0].message.contains("array"));
        let big = "x".repeat(MAX_IMPORT_BYTES + 1);
        assert!(parse(&big, Format::Csv).1[0].message.contains("at most"));
        assert!(parse("subcategory_id,status\n", Format::Csv).1[0]
            .message
            .contains("no rows"));
    }

    #[test]
    fn json_rows_and_sql_looking_text_are_taken_as_data() {
        let json = r#"{"entries": [
            {"subcategory_id": "ID.AM-01", "status": "fully", "maturity": 4, "notes": "'); DROP TABLE entries; --"},
            {"subcategory_id": "ID.AM-02", "status": "fully", "colour": "red"}
        ]}"#;
        let (entries, errors) = parse(json, Format::Json);
        assert_eq!(
            entries[0].notes.as_set().map(String::as_str),
            Some("'); DROP TABLE entries; --")
        );
        assert_eq!(errors[0].row, 2);
        assert!(errors[0].message.contains("unknown field"));
    }
}
