//! Implementation plans: create, read, list, compare-and-set update. Deletes happen with the
//! profiles they reference (see `orgs::remove_profiles`).

use super::codec::{self, PLAN_COLS};
use super::cursor;
use super::query::{into_page, Query};
use super::{orgs, profile_guard, Backend, Tx};
use crate::error::{Result, StoreError};
use crate::ids::OrgId;
use crate::plans::{NewPlan, StoredPlan};
use crate::records::{Page, PageRequest};
use crate::time::to_micros;
use crate::validate;

/// Reads a plan (with `lock` = `B::FOR_UPDATE` before a read-modify-write); `None` if absent.
fn find(tx: &mut dyn Tx, id: &str, lock: &str) -> Result<Option<StoredPlan>> {
    let sql = format!("SELECT {PLAN_COLS} FROM plans WHERE id = ?1{lock}");
    tx.query(&sql, &[id.into()])?
        .first()
        .map(|row| codec::plan(row).map(|(_, p)| p))
        .transpose()
}

fn load(tx: &mut dyn Tx, id: &str, lock: &str) -> Result<StoredPlan> {
    find(tx, id, lock)?.ok_or_else(|| StoreError::NotFound {
        kind: "plan",
        id: id.to_owned(),
    })
}

fn taken(id: &str, actual: i64) -> StoreError {
    StoreError::Conflict {
        kind: "plan",
        id: id.to_owned(),
        expected: 0,
        actual,
    }
}

pub(crate) fn create<B: Backend>(b: &B, new: &NewPlan, by: &str) -> Result<StoredPlan> {
    validate::plan_id("id", &new.id)?;
    validate::profile_name(&new.name)?;
    let body = validate::plan_body(&new.body)?;
    validate::principal(by)?;
    b.attribute(Some(&new.org_id), Some(&new.current_profile_id));
    b.write(&mut |tx| {
        if let Some(existing) = find(tx, &new.id, "")? {
            return Err(taken(&new.id, existing.revision));
        }
        // Lock the organization and both profiles so a concurrent delete cannot orphan the plan.
        orgs::load(tx, &new.org_id, B::FOR_UPDATE)?;
        for (field, pid) in [
            ("current_profile_id", &new.current_profile_id),
            ("target_profile_id", &new.target_profile_id),
        ] {
            let p = profile_guard::load(tx, pid, B::FOR_UPDATE)?;
            if p.org_id != new.org_id {
                return Err(StoreError::invalid(
                    field,
                    format!(
                        "profile '{pid}' belongs to organization '{}', not '{}': use profiles \
                         of the plan's organization",
                        p.org_id, new.org_id
                    ),
                ));
            }
        }
        let now = to_micros(&tx.now()?);
        // A creator racing us between the check above and here makes this insert a no-op.
        let inserted = tx.execute(
            "INSERT INTO plans (id, org_id, current_profile_id, target_profile_id, name, \
             revision, created_at_us, updated_at_us, created_by, updated_by, body) \
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6, ?7, ?7, ?8) ON CONFLICT (id) DO NOTHING",
            &[
                new.id.as_str().into(),
                new.org_id.as_str().into(),
                new.current_profile_id.as_str().into(),
                new.target_profile_id.as_str().into(),
                new.name.as_str().into(),
                now.into(),
                by.into(),
                body.as_str().into(),
            ],
        )?;
        if inserted == 0 {
            let actual = find(tx, &new.id, "")?.map_or(1, |p| p.revision);
            return Err(taken(&new.id, actual));
        }
        load(tx, &new.id, "")
    })
}

pub(crate) fn get<B: Backend>(b: &B, id: &str) -> Result<StoredPlan> {
    validate::plan_id("plan_id", id)?;
    b.read(&mut |tx| load(tx, id, ""))
}

pub(crate) fn list<B: Backend>(
    b: &B,
    org_id: Option<&OrgId>,
    page: &PageRequest,
) -> Result<Page<StoredPlan>> {
    let limit = page.checked_limit()?;
    let after = page.cursor.as_deref().map(cursor::seq).transpose()?;
    b.read(&mut |tx| {
        let mut q = Query::default();
        if let Some(org) = org_id {
            orgs::load(tx, org, "")?;
            let p = q.bind(org.as_str());
            q.and(format!("org_id = {p}"));
        }
        if let Some(seq) = after {
            let p = q.bind(seq);
            q.and(format!("seq > {p}"));
        }
        let lim = q.bind(limit + 1);
        let sql = format!(
            "SELECT {PLAN_COLS} FROM plans{} ORDER BY seq LIMIT {lim}",
            q.where_sql()
        );
        let rows = tx.query(&sql, &q.params)?;
        let items = rows.iter().map(codec::plan).collect::<Result<Vec<_>>>()?;
        let page = into_page(items, limit, |(seq, _)| seq.to_string());
        Ok(Page {
            items: page.items.into_iter().map(|(_, p)| p).collect(),
            next_cursor: page.next_cursor,
        })
    })
}

pub(crate) fn update<B: Backend>(
    b: &B,
    id: &str,
    expected_revision: i64,
    body: &serde_json::Value,
    by: &str,
) -> Result<StoredPlan> {
    validate::plan_id("plan_id", id)?;
    if expected_revision < 1 {
        return Err(StoreError::invalid(
            "expected_revision",
            format!("{expected_revision}: revisions start at 1; pass the revision you read"),
        ));
    }
    let body = validate::plan_body(body)?;
    validate::principal(by)?;
    b.write(&mut |tx| {
        let current = load(tx, id, B::FOR_UPDATE)?;
        b.attribute(Some(&current.org_id), Some(&current.current_profile_id));
        if current.revision != expected_revision {
            return Err(StoreError::Conflict {
                kind: "plan",
                id: id.to_owned(),
                expected: expected_revision,
                actual: current.revision,
            });
        }
        let now = to_micros(&tx.now()?);
        tx.execute(
            "UPDATE plans SET body = ?1, revision = revision + 1, updated_at_us = ?2, \
             updated_by = ?3 WHERE id = ?4",
            &[body.as_str().into(), now.into(), by.into(), id.into()],
        )?;
        load(tx, id, "")
    })
}
