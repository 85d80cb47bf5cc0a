//! Assessment entries: batch writes with versions and history, reads, as-of reconstruction.

use super::codec::{self, enum_text, json_text, ENTRY_COLS, HISTORY_COLS};
use super::cursor;
use super::profile_guard::{self, ensure_writable};
use super::query::{into_page, Query};
use super::{Backend, Stmt, Tx};
use crate::assessment::{
    AssessmentEntry, ChangeKind, EntryFilter, EntryInput, EntryWrite, EvidenceRef, HistoryRecord,
    WriteOutcome,
};
use crate::error::{Result, StoreError};
use crate::ids::ProfileId;
use crate::patch::Patch;
use crate::records::{Page, PageRequest};
use crate::time::{from_micros, to_micros, Timestamp};
use crate::validate::{self, MAX_EVIDENCE};
use std::collections::HashMap;

const ENTRY_PLACEHOLDERS: &str = "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15";

pub(crate) fn insert_entry(e: &AssessmentEntry) -> Result<Stmt> {
    Ok((
        format!("INSERT INTO assessment_entries ({ENTRY_COLS}) VALUES ({ENTRY_PLACEHOLDERS})"),
        codec::entry_params(e)?,
    ))
}

fn update_entry(e: &AssessmentEntry) -> Result<Stmt> {
    // Same parameter order as ENTRY_COLS: ?1 profile, ?2 subcategory, then the content.
    Ok((
        "UPDATE assessment_entries SET status = ?3, maturity = ?4, priority = ?5, owner = ?6, \
         target_date = ?7, evidence = ?8, notes = ?9, assessed_by = ?10, confidence = ?11, \
         version = ?12, updated_at_us = ?13, updated_by = ?14, assessed_on = ?15 \
         WHERE profile_id = ?1 AND subcategory_id = ?2"
            .to_owned(),
        codec::entry_params(e)?,
    ))
}

pub(crate) fn insert_history(
    change: ChangeKind,
    old: Option<&AssessmentEntry>,
    new: &AssessmentEntry,
    changed_fields: &[String],
) -> Result<Stmt> {
    Ok((
        "INSERT INTO entry_history (profile_id, subcategory_id, changed_at_us, changed_by, \
         change, changed_fields, old_entry, new_entry) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            .to_owned(),
        vec![
            new.profile_id.as_str().into(),
            new.subcategory_id.as_str().into(),
            to_micros(&new.updated_at).into(),
            new.updated_by.as_str().into(),
            enum_text(&change)?.into(),
            json_text(&changed_fields)?.into(),
            old.map(json_text).transpose()?.into(),
            json_text(new)?.into(),
        ],
    ))
}

fn load(tx: &mut dyn Tx, profile: &ProfileId, sub: &str) -> Result<Option<AssessmentEntry>> {
    let rows = tx.query(
        &format!(
            "SELECT {ENTRY_COLS} FROM assessment_entries \
             WHERE profile_id = ?1 AND subcategory_id = ?2"
        ),
        &[profile.as_str().into(), sub.into()],
    )?;
    rows.first().map(codec::entry).transpose()
}

/// Above this many rows, one scan of the profile's entries beats one lookup per row.
const LOOKUP_ALL_ABOVE: usize = 8;

/// The current entries a batch touches, by subcategory id.
fn existing(
    tx: &mut dyn Tx,
    profile: &ProfileId,
    entries: &[EntryInput],
) -> Result<HashMap<String, AssessmentEntry>> {
    let mut out = HashMap::new();
    if entries.len() > LOOKUP_ALL_ABOVE {
        let rows = tx.query(
            &format!("SELECT {ENTRY_COLS} FROM assessment_entries WHERE profile_id = ?1"),
            &[profile.as_str().into()],
        )?;
        for row in &rows {
            let e = codec::entry(row)?;
            out.insert(e.subcategory_id.clone(), e);
        }
    } else {
        for input in entries {
            if let Some(e) = load(tx, profile, &input.subcategory_id)? {
                out.insert(e.subcategory_id.clone(), e);
            }
        }
    }
    Ok(out)
}

/// Decides one row: checks `expected_version`, builds the new entry, and adds the statements
/// that write it and its history row to `stmts`.
fn plan(
    profile: &ProfileId,
    input: &EntryInput,
    old: Option<&AssessmentEntry>,
    now: Timestamp,
    by: &str,
    stmts: &mut Vec<Stmt>,
) -> Result<EntryWrite> {
    let current = old.map_or(0, |e| e.version);
    if let Some(expected) = input.expected_version {
        if expected != current {
            return Err(StoreError::Conflict {
                kind: "assessment entry",
                id: format!("{profile}/{}", input.subcategory_id),
                expected,
                actual: current,
            });
        }
    }
    let status = match (input.status, old) {
        (Some(s), _) => s,
        (None, Some(o)) if !input.replace => o.status,
        (None, _) => {
            return Err(StoreError::invalid(
                "status",
                if old.is_none() {
                    format!(
                        "{} has no entry yet: give a status to create it",
                        input.subcategory_id
                    )
                } else {
                    "a whole-entry replacement needs a status".to_owned()
                },
            ))
        }
    };
    let r = input.replace;
    let new = AssessmentEntry {
        profile_id: profile.clone(),
        subcategory_id: input.subcategory_id.clone(),
        status,
        maturity: input
            .maturity
            .apply(old.and_then(|o| o.maturity.as_ref()), r),
        priority: input
            .priority
            .apply(old.and_then(|o| o.priority.as_ref()), r),
        owner: input.owner.apply(old.and_then(|o| o.owner.as_ref()), r),
        target_date: input
            .target_date
            .apply(old.and_then(|o| o.target_date.as_ref()), r),
        evidence: merged_evidence(input, old)?,
        notes: input.notes.apply(old.and_then(|o| o.notes.as_ref()), r),
        assessed_by: input
            .assessed_by
            .apply(old.and_then(|o| o.assessed_by.as_ref()), r),
        confidence: input
            .confidence
            .apply(old.and_then(|o| o.confidence.as_ref()), r),
        assessed_on: input
            .assessed_on
            .apply(old.and_then(|o| o.assessed_on.as_ref()), r),
        version: current + 1,
        updated_at: now,
        updated_by: by.to_owned(),
    };
    let (outcome, changed, cleared) = match old {
        Some(o) if o.same_content(&new) => {
            return Ok(EntryWrite {
                subcategory_id: new.subcategory_id,
                outcome: WriteOutcome::Unchanged,
                version: current,
                changed: Vec::new(),
                cleared: Vec::new(),
            })
        }
        Some(o) => {
            let changed = new.changed_fields(o);
            stmts.push(update_entry(&new)?);
            stmts.push(insert_history(
                ChangeKind::Updated,
                Some(o),
                &new,
                &changed,
            )?);
            (WriteOutcome::Updated, changed, new.cleared_fields(o))
        }
        None => {
            stmts.push(insert_entry(&new)?);
            stmts.push(insert_history(ChangeKind::Created, None, &new, &[])?);
            (WriteOutcome::Created, Vec::new(), Vec::new())
        }
    };
    Ok(EntryWrite {
        subcategory_id: new.subcategory_id,
        outcome,
        version: new.version,
        changed,
        cleared,
    })
}

/// The entry's evidence after the change. In a merge, given references are added to the
/// stored ones (one already stored is not repeated), so a partial update never drops evidence.
fn merged_evidence(input: &EntryInput, old: Option<&AssessmentEntry>) -> Result<Vec<EvidenceRef>> {
    let stored = old.map_or(&[][..], |o| o.evidence.as_slice());
    let out = match &input.evidence {
        Patch::Set(given) if !input.replace => {
            let mut out = stored.to_vec();
            for e in given {
                if !out.contains(e) {
                    out.push(e.clone());
                }
            }
            out
        }
        Patch::Set(given) => given.clone(),
        Patch::Clear => Vec::new(),
        Patch::Keep if input.replace => Vec::new(),
        Patch::Keep => stored.to_vec(),
    };
    if out.len() > MAX_EVIDENCE {
        return Err(StoreError::invalid(
            "evidence",
            format!(
                "the entry would hold {} references: at most {MAX_EVIDENCE} are allowed (clear \
                 them with null, or replace the list)",
                out.len()
            ),
        ));
    }
    Ok(out)
}

/// Plans every row of a batch against the profile's current entries.
fn plan_batch(
    tx: &mut dyn Tx,
    profile: &ProfileId,
    entries: &[EntryInput],
    now: Timestamp,
    by: &str,
    stmts: &mut Vec<Stmt>,
) -> Result<Vec<EntryWrite>> {
    let current = existing(tx, profile, entries)?;
    entries
        .iter()
        .enumerate()
        .map(|(i, input)| {
            plan(
                profile,
                input,
                current.get(&input.subcategory_id),
                now,
                by,
                stmts,
            )
            .map_err(|e| e.in_field(&format!("entries[{i}]")))
        })
        .collect()
}

/// What `record` would do now, from a read-only snapshot: same checks, nothing written.
pub(crate) fn preview<B: Backend>(
    b: &B,
    profile: &ProfileId,
    entries: &[EntryInput],
) -> Result<Vec<EntryWrite>> {
    validate::entry_batch(entries)?;
    b.read(&mut |tx| {
        let p = profile_guard::load(tx, profile, "")?;
        ensure_writable(&p)?;
        let now = tx.now()?;
        plan_batch(tx, profile, entries, now, "preview", &mut Vec::new())
    })
}

pub(crate) fn record<B: Backend>(
    b: &B,
    profile: &ProfileId,
    entries: &[EntryInput],
    by: &str,
) -> Result<Vec<EntryWrite>> {
    validate::entry_batch(entries)?;
    validate::principal(by)?;
    b.write(&mut |tx| {
        // The profile row lock serialises writers of one profile (PostgreSQL); SQLite's
        // BEGIN IMMEDIATE already serialises all writers.
        let p = profile_guard::load(tx, profile, B::FOR_UPDATE)?;
        b.attribute(Some(&p.org_id), Some(profile));
        ensure_writable(&p)?;
        record_in(tx, profile, entries, by)
    })
}

/// The writes of `record` inside a transaction that already holds the profile (locked and
/// checked writable): for changes that record entries together with other rows.
pub(crate) fn record_in(
    tx: &mut dyn Tx,
    profile: &ProfileId,
    entries: &[EntryInput],
    by: &str,
) -> Result<Vec<EntryWrite>> {
    // One commit time for the whole batch: an as-of read sees all of it or none of it.
    // Never earlier than the profile's last change, so history time never runs backwards
    // (clock steps, skew between hosts).
    let last = tx
        .query(
            "SELECT changed_at_us FROM entry_history WHERE profile_id = ?1 \
             ORDER BY seq DESC LIMIT 1",
            &[profile.as_str().into()],
        )?
        .first()
        .map(|r| r.int(0))
        .transpose()?;
    let now = match last {
        Some(us) => tx.now()?.max(from_micros(us)?),
        None => tx.now()?,
    };
    let mut stmts = Vec::with_capacity(entries.len() * 2);
    let writes = plan_batch(tx, profile, entries, now, by, &mut stmts)?;
    // Every row is decided: the writes are independent of each other.
    tx.execute_all(stmts)?;
    Ok(writes)
}

pub(crate) fn get<B: Backend>(b: &B, profile: &ProfileId, sub: &str) -> Result<AssessmentEntry> {
    validate::code_id("subcategory_id", sub)?;
    b.read(&mut |tx| {
        profile_guard::load(tx, profile, "")?;
        load(tx, profile, sub)?.ok_or_else(|| StoreError::NotFound {
            kind: "assessment entry",
            id: format!("{profile}/{sub}"),
        })
    })
}

pub(crate) fn list<B: Backend>(
    b: &B,
    profile: &ProfileId,
    filter: &EntryFilter,
    page: &PageRequest,
) -> Result<Page<AssessmentEntry>> {
    let limit = page.checked_limit()?;
    let after = page.cursor.as_deref().map(cursor::code).transpose()?;
    if let Some(prefix) = &filter.subcategory_prefix {
        validate::code_id("subcategory_prefix", prefix)?;
    }
    b.read(&mut |tx| {
        profile_guard::load(tx, profile, "")?;
        let mut q = Query::default();
        let p = q.bind(profile.as_str());
        q.and(format!("profile_id = {p}"));
        if let Some(prefix) = &filter.subcategory_prefix {
            // substr rather than LIKE: LIKE is case-insensitive in SQLite, not in PostgreSQL.
            let len = i64::try_from(prefix.len()).unwrap_or(i64::MAX);
            let (l, v) = (q.bind(len), q.bind(prefix.as_str()));
            q.and(format!("substr(subcategory_id, 1, {l}) = {v}"));
        }
        if !filter.statuses.is_empty() {
            // Each status once: a filter repeating one (a caller may send 100,000) would
            // otherwise bind a parameter per repeat, past SQLite's bound-parameter limit, and
            // fail as a database error instead of answering.
            let mut wanted: Vec<String> = Vec::new();
            for s in &filter.statuses {
                let text = enum_text(s)?;
                if !wanted.contains(&text) {
                    wanted.push(text);
                }
            }
            let mut marks = Vec::new();
            for text in wanted {
                marks.push(q.bind(text));
            }
            q.and(format!("status IN ({})", marks.join(", ")));
        }
        if let Some(c) = after {
            let p = q.bind(c);
            q.and(format!("subcategory_id > {p}"));
        }
        let lim = q.bind(limit + 1);
        let sql = format!(
            "SELECT {ENTRY_COLS} FROM assessment_entries{} ORDER BY subcategory_id LIMIT {lim}",
            q.where_sql()
        );
        let rows = tx.query(&sql, &q.params)?;
        let items = rows.iter().map(codec::entry).collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |e| e.subcategory_id.clone()))
    })
}

pub(crate) fn as_of<B: Backend>(
    b: &B,
    profile: &ProfileId,
    at: Timestamp,
) -> Result<Vec<AssessmentEntry>> {
    b.read(&mut |tx| {
        profile_guard::load(tx, profile, "")?;
        // For each subcategory, the newest history row committed at or before `at`: one scan
        // of the profile's history, then one primary-key fetch per entry.
        let rows = tx.query(
            "SELECT h.new_entry FROM entry_history h JOIN (SELECT MAX(seq) AS seq \
               FROM entry_history WHERE profile_id = ?1 AND changed_at_us <= ?2 \
               GROUP BY subcategory_id) latest ON h.seq = latest.seq \
             ORDER BY h.subcategory_id",
            &[profile.as_str().into(), to_micros(&at).into()],
        )?;
        rows.iter()
            .map(|r| {
                serde_json::from_str(r.text(0)?).map_err(|e| {
                    StoreError::backend(format!("stored history entry is not valid: {e}"))
                })
            })
            .collect()
    })
}

pub(crate) fn history<B: Backend>(
    b: &B,
    profile: &ProfileId,
    sub: Option<&str>,
    page: &PageRequest,
) -> Result<Page<HistoryRecord>> {
    let limit = page.checked_limit()?;
    if let Some(s) = sub {
        validate::code_id("subcategory_id", s)?;
    }
    let cursor = page.cursor.as_deref().map(cursor::seq).transpose()?;
    b.read(&mut |tx| {
        profile_guard::load(tx, profile, "")?;
        let mut q = Query::default();
        let p = q.bind(profile.as_str());
        q.and(format!("profile_id = {p}"));
        if let Some(s) = sub {
            let p = q.bind(s);
            q.and(format!("subcategory_id = {p}"));
        }
        if let Some(c) = cursor {
            let p = q.bind(c);
            q.and(format!("seq > {p}"));
        }
        let lim = q.bind(limit + 1);
        let sql = format!(
            "SELECT {HISTORY_COLS} FROM entry_history{} ORDER BY seq LIMIT {lim}",
            q.where_sql()
        );
        let rows = tx.query(&sql, &q.params)?;
        let items = rows
            .iter()
            .map(codec::history)
            .collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |h| h.seq.to_string()))
    })
}
