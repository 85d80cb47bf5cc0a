//! Recording assessment entries: one request type for an entry, its validation against the
//! catalog and the profile's scope, and the record and import operations.

use std::sync::Arc;

use chrono::NaiveDate;
use csf_store::{
    Confidence, EntryInput, EntryWrite, EvidenceRef, ImplementationStatus, Maturity, Patch,
    Priority, Profile, ProfileId, Scope, Store, WriteOutcome,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::import::{self, Format};
use crate::error::{Error, Result};
use crate::orgs::profile_id;
use crate::service::{Actor, Service};

/// Most entries in one record_assessment call.
pub const MAX_BATCH: usize = 100;

// An evidence reference: metadata only, never opened.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceParam {
    /// What the evidence is ("Access control policy v3").
    pub title: String,
    /// Where it lives or its hash (a document id, URL or sha256) — metadata only, never read.
    pub location: String,
}

// One entry as a caller gives it: the fields to change. A field left out keeps its stored
// value, `null` clears it; with the request's `replace` the entry is exactly what is given.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryParam {
    /// An active CSF 2.0 subcategory, e.g. PR.AA-01 (withdrawn CSF 1.1 ids are refused with
    /// their successor named).
    pub subcategory_id: String,
    /// not_implemented, partially, largely, fully or not_applicable. Required for a new
    /// entry; left out, an existing entry keeps its status.
    pub status: Option<ImplementationStatus>,
    /// Maturity 0–5 (null clears).
    #[serde(default)]
    pub maturity: Patch<u8>,
    /// high, medium or low (as in NIST's Organizational Profile template; null clears).
    #[serde(default)]
    pub priority: Patch<Priority>,
    /// Accountable owner (name or role; null clears).
    #[serde(default)]
    pub owner: Patch<String>,
    /// Target date, YYYY-MM-DD (null clears).
    #[serde(default)]
    pub target_date: Patch<String>,
    /// Evidence references (metadata only). Added to the entry's references (one already there
    /// is not repeated); null removes them all; with `replace` they are the whole list.
    #[serde(default)]
    pub evidence: Patch<Vec<EvidenceParam>>,
    /// Notes (null clears).
    #[serde(default)]
    pub notes: Patch<String>,
    /// Who assessed it (the caller is recorded separately as author; null clears).
    #[serde(default)]
    pub assessed_by: Patch<String>,
    /// Assessor's confidence: high, medium or low (null clears).
    #[serde(default)]
    pub confidence: Patch<Confidence>,
    /// The date the assessment describes, YYYY-MM-DD (when the state was observed; defaults
    /// to none, and the record time is kept separately). Lets earlier cycles be loaded.
    #[serde(default)]
    pub assessed_on: Patch<String>,
    /// Optimistic check: the version you read (0 = must not exist yet). On mismatch nothing in
    /// the batch is stored.
    pub expected_version: Option<i64>,
}

fn parse_date(field: &str, d: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
        format!(
            "{field} `{}` is not a date like 2026-12-31",
            d.chars().take(40).collect::<String>()
        )
    })
}

impl EntryParam {
    /// The validated change; errors name `entries[i]`.
    fn into_input(self, i: usize, replace: bool) -> Result<EntryInput> {
        let at = |m: String| Error::Invalid(format!("entries[{i}]: {m}"));
        let sub =
            csf_catalog::ids::subcategory(&self.subcategory_id).map_err(|e| at(e.to_string()))?;
        let mut out = EntryInput::keep(sub.id);
        out.status = self.status;
        out.maturity = self
            .maturity
            .try_map(|m| Maturity::new(m).map_err(|x| at(x.to_string())))?;
        out.priority = self.priority;
        out.confidence = self.confidence;
        out.target_date = self
            .target_date
            .try_map(|d| parse_date("target_date", &d).map_err(at))?;
        out.assessed_on = self
            .assessed_on
            .try_map(|d| parse_date("assessed_on", &d).map_err(at))?;
        out.owner = self.owner;
        out.notes = self.notes;
        out.assessed_by = self.assessed_by;
        out.expected_version = self.expected_version;
        out.evidence = self.evidence.map(|list| {
            list.into_iter()
                .map(|x| EvidenceRef {
                    title: x.title,
                    location: x.location,
                })
                .collect()
        });
        out.replace = replace;
        Ok(out)
    }
}

/// Refuses a subcategory outside the profile's function scope, naming the scope. `field` names
/// the offending argument.
pub fn check_in_scope(profile: &Profile, subcategory_id: &str, field: &str) -> Result<()> {
    let function = subcategory_id.split('.').next().unwrap_or_default();
    match &profile.scope {
        Scope::Functions(fs)
            if !crate::analysis::scope::covers_function(&profile.scope, function) =>
        {
            Err(Error::Invalid(format!(
                "invalid {field}: {subcategory_id} is outside profile {}'s scope ({})",
                profile.id,
                fs.join(", ")
            )))
        }
        _ => Ok(()),
    }
}

fn write_in_scope(
    s: &dyn Store,
    by: &str,
    profile: &ProfileId,
    entries: &[EntryInput],
    dry_run: bool,
) -> Result<Vec<EntryWrite>> {
    let p = s.get_profile(profile)?;
    for (i, e) in entries.iter().enumerate() {
        check_in_scope(
            &p,
            &e.subcategory_id,
            &format!("entries[{i}].subcategory_id"),
        )?;
    }
    Ok(if dry_run {
        s.preview_entries(profile, entries)?
    } else {
        s.record_entries(profile, entries, by)?
    })
}

// How many entries a write created, changed and left as they were.
#[derive(Debug, Serialize, JsonSchema)]
pub struct WriteCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

fn counts(w: &[EntryWrite]) -> WriteCounts {
    let n = |o: WriteOutcome| w.iter().filter(|x| x.outcome == o).count();
    WriteCounts {
        created: n(WriteOutcome::Created),
        updated: n(WriteOutcome::Updated),
        unchanged: n(WriteOutcome::Unchanged),
    }
}

/// Entries to record in one transaction.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordRequest {
    /// The profile (prof_…).
    pub profile_id: String,
    /// 1–100 entries, stored in one transaction: all or none.
    pub entries: Vec<EntryParam>,
    /// Replace whole entries: fields left out are emptied instead of kept (default false:
    /// only the fields given change).
    #[serde(default)]
    pub replace: bool,
}

/// What a record call stored.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RecordOutput {
    pub profile_id: String,
    pub written: Vec<EntryWrite>,
    pub counts: WriteCounts,
}

/// The format of imported content.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    Csv,
    Json,
}

/// Content to import.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    pub profile_id: String,
    /// csv (header row with columns subcategory_id,status,maturity,priority,owner,target_date,
    /// notes,assessed_by,confidence,evidence_title,evidence_location) or json (an array of
    /// objects with those fields, or {"entries": [...]}).
    pub format: ImportFormat,
    /// The file's content itself (not a path), at most 1 MiB.
    pub content: String,
    /// Check everything and report what would change, storing nothing (default false).
    #[serde(default)]
    pub dry_run: bool,
    /// Replace whole entries: columns left blank or out are emptied instead of kept (default
    /// false: only the values given change; in JSON, null clears a field).
    #[serde(default)]
    pub replace: bool,
}

// A row an import refused.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RowErrorView {
    /// 1-based data row (0 for the whole input).
    pub row: usize,
    pub message: String,
}

/// What an import stored, or would store.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ImportOutput {
    pub profile_id: String,
    pub dry_run: bool,
    /// Rows parsed without error.
    pub rows: usize,
    /// True when the entries were stored (all of them, in one transaction).
    pub stored: bool,
    pub counts: WriteCounts,
    pub written: Vec<EntryWrite>,
    /// Per-row problems; when any exist nothing is stored.
    pub errors: Vec<RowErrorView>,
}

impl Service {
    /// Records 1–100 entries in one transaction.
    pub async fn record_assessment(
        self: &Arc<Self>,
        actor: &Actor,
        req: RecordRequest,
    ) -> Result<RecordOutput> {
        let id = profile_id(&req.profile_id)?;
        if req.entries.is_empty() || req.entries.len() > MAX_BATCH {
            return Err(Error::Invalid(format!(
                "`entries` has {} items; give 1–{MAX_BATCH} (use import_assessment for more)",
                req.entries.len()
            )));
        }
        let entries = req
            .entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| e.into_input(i, req.replace))
            .collect::<Result<Vec<_>>>()?;
        let pid = id.clone();
        let written = self
            .write(actor, move |s, by| {
                write_in_scope(s, by, &pid, &entries, false)
            })
            .await?;
        Ok(RecordOutput {
            profile_id: id.to_string(),
            counts: counts(&written),
            written,
        })
    }

    /// Imports CSV or JSON content: every row is checked; any bad row means nothing is stored.
    pub async fn import_assessment(
        self: &Arc<Self>,
        actor: &Actor,
        req: ImportRequest,
    ) -> Result<ImportOutput> {
        let id = profile_id(&req.profile_id)?;
        let format = match req.format {
            ImportFormat::Csv => Format::Csv,
            ImportFormat::Json => Format::Json,
        };
        let (mut entries, errors) = import::parse(&req.content, format);
        if req.replace {
            entries = entries.into_iter().map(EntryInput::replacing).collect();
        }
        let errors: Vec<RowErrorView> = errors
            .into_iter()
            .map(|e| RowErrorView {
                row: e.row,
                message: e.message,
            })
            .collect();
        if !errors.is_empty() {
            if req.dry_run {
                return Ok(ImportOutput {
                    profile_id: id.to_string(),
                    dry_run: true,
                    rows: entries.len(),
                    stored: false,
                    counts: counts(&[]),
                    written: Vec::new(),
                    errors,
                });
            }
            let listed: Vec<String> = errors
                .iter()
                .take(20)
                .map(|e| format!("row {}: {}", e.row, e.message))
                .collect();
            return Err(Error::Invalid(format!(
                "nothing imported: {} row error(s). {}{}",
                errors.len(),
                listed.join("; "),
                if errors.len() > 20 { "; …" } else { "" }
            )));
        }
        let rows = entries.len();
        let pid = id.clone();
        let dry_run = req.dry_run;
        let written = self
            .write(actor, move |s, by| {
                write_in_scope(s, by, &pid, &entries, dry_run)
            })
            .await?;
        Ok(ImportOutput {
            profile_id: id.to_string(),
            dry_run,
            rows,
            stored: !dry_run,
            counts: counts(&written),
            written,
            errors: Vec::new(),
        })
    }
}
