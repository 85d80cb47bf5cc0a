//! The append-only audit log. There is no update or delete path here, and the schema's
//! triggers refuse UPDATE and DELETE on the table from any other client too.

use super::codec::{self, enum_text, AUDIT_COLS};
use super::cursor;
use super::query::{into_page, Query};
use super::{Backend, Tx};
use crate::audit::{AuditEvent, AuditFilter, AuditRecord};
use crate::error::{Result, StoreError};
use crate::records::{Page, PageRequest};
use crate::time::to_micros;
use crate::validate::audit_text;

pub(crate) fn append<B: Backend>(b: &B, event: &AuditEvent) -> Result<AuditRecord> {
    b.write(&mut |tx| insert(tx, event))
}

/// Inserts the row inside the caller's transaction (alone, or with the write it records).
pub(crate) fn insert(tx: &mut dyn Tx, event: &AuditEvent) -> Result<AuditRecord> {
    let tool = audit_text(&event.tool, 100);
    let principal = audit_text(&event.principal, 200);
    let args = audit_text(&event.args_summary, 4000);
    let detail = event.detail.as_deref().map(|d| audit_text(d, 4000));
    let result = enum_text(&event.result)?;
    let now = to_micros(&tx.now()?);
    let rows = tx.query(
        &format!(
            "INSERT INTO audit_log (at_us, tool, principal, org_id, args_summary, result, \
             detail, profile_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING {AUDIT_COLS}"
        ),
        &[
            now.into(),
            tool.as_str().into(),
            principal.as_str().into(),
            event.org_id.as_ref().map(|o| o.as_str()).into(),
            args.as_str().into(),
            result.as_str().into(),
            detail.as_deref().into(),
            event.profile_id.as_ref().map(|p| p.as_str()).into(),
        ],
    )?;
    rows.first()
        .map(codec::audit)
        .unwrap_or_else(|| Err(StoreError::backend("audit insert returned no row")))
}

pub(crate) fn trail<B: Backend>(
    b: &B,
    filter: &AuditFilter,
    page: &PageRequest,
) -> Result<Page<AuditRecord>> {
    let limit = page.checked_limit()?;
    let cursor = page.cursor.as_deref().map(cursor::seq).transpose()?;
    b.read(&mut |tx| {
        let mut q = Query::default();
        if let Some(o) = &filter.org_id {
            let p = q.bind(o.as_str());
            q.and(format!("org_id = {p}"));
        }
        if let Some(p) = &filter.profile_id {
            let p = q.bind(p.as_str());
            q.and(format!("profile_id = {p}"));
        }
        if let Some(v) = &filter.principal {
            let p = q.bind(v.as_str());
            q.and(format!("principal = {p}"));
        }
        if let Some(v) = &filter.tool {
            let p = q.bind(v.as_str());
            q.and(format!("tool = {p}"));
        }
        if let Some(t) = &filter.since {
            let p = q.bind(to_micros(t));
            q.and(format!("at_us >= {p}"));
        }
        if let Some(t) = &filter.until {
            let p = q.bind(to_micros(t));
            q.and(format!("at_us < {p}"));
        }
        if let Some(c) = cursor {
            let p = q.bind(c);
            q.and(format!("seq < {p}"));
        }
        let lim = q.bind(limit + 1);
        let sql = format!(
            "SELECT {AUDIT_COLS} FROM audit_log{} ORDER BY seq DESC LIMIT {lim}",
            q.where_sql()
        );
        let rows = tx.query(&sql, &q.params)?;
        let items = rows.iter().map(codec::audit).collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |r| r.seq.to_string()))
    })
}
