//! Reads NIST's informative references (OLIR extract, one CSV row per reference) for CSF 2.0.
//! The file is pinned by sha256, so the plain comma split below is checked to be sufficient
//! (a quoted field is refused rather than misread). Depends on nothing.

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub csf_id: String,
    pub csf_level: String,
    pub dataset: String,
    pub dataset_short: String,
    pub relation: String,
    pub target_id: String,
    pub target_type: String,
    pub olir_entry_id: String,
}

pub const HEADER: &str =
    "csf_id,csf_level,dataset,dataset_short,relation,target_id,target_type,olir_entry_id";

pub fn parse(text: &str) -> Result<Vec<Row>, String> {
    let mut lines = text.lines();
    match lines.next() {
        Some(h) if h.trim_end() == HEADER => {}
        other => return Err(format!("unexpected header {other:?}; expected `{HEADER}`")),
    }
    let mut rows = Vec::new();
    for (n, line) in lines.enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        if line.contains('"') {
            return Err(format!("line {}: quoted fields are not expected", n + 2));
        }
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != 8 {
            return Err(format!("line {}: {} fields, expected 8", n + 2, f.len()));
        }
        if f[0].is_empty() || f[2].is_empty() || f[3].is_empty() || f[5].is_empty() {
            return Err(format!(
                "line {}: empty csf_id, dataset or target_id",
                n + 2
            ));
        }
        rows.push(Row {
            csf_id: f[0].into(),
            csf_level: f[1].into(),
            dataset: f[2].into(),
            dataset_short: f[3].into(),
            relation: f[4].into(),
            target_id: f[5].into(),
            target_type: f[6].into(),
            olir_entry_id: f[7].into(),
        });
    }
    Ok(rows)
}
