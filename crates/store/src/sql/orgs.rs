//! Organizations: create, read, list, update, reset and delete.

use super::codec::{self, enum_text, ORG_COLS};
use super::cursor;
use super::query::{into_page, Query};
use super::{Backend, Tx, Value};
use crate::error::{Result, StoreError};
use crate::ids::OrgId;
use crate::records::{NewOrganization, Organization, Page, PageRequest, Removed};
use crate::time::to_micros;
use crate::validate;

fn org_values(org: &NewOrganization) -> Result<Vec<Value>> {
    Ok(vec![
        org.name.as_str().into(),
        org.sector.as_deref().into(),
        org.size.as_ref().map(enum_text).transpose()?.into(),
        org.governance_tier.map(|t| i64::from(t.get())).into(),
        org.risk_management_tier.map(|t| i64::from(t.get())).into(),
        org.tier_note.as_deref().into(),
    ])
}

pub(crate) fn load(tx: &mut dyn Tx, id: &OrgId, lock: &str) -> Result<Organization> {
    let sql = format!("SELECT {ORG_COLS} FROM organizations WHERE id = ?1{lock}");
    match tx.query(&sql, &[id.as_str().into()])?.first() {
        Some(row) => codec::org(row),
        None => Err(StoreError::NotFound {
            kind: "organization",
            id: id.to_string(),
        }),
    }
}

pub(crate) fn create<B: Backend>(b: &B, org: &NewOrganization) -> Result<Organization> {
    validate::new_organization(org)?;
    let id = OrgId::generate();
    b.attribute(Some(&id), None);
    b.write(&mut |tx| {
        let now = to_micros(&tx.now()?);
        let mut params = vec![Value::from(id.as_str())];
        params.extend(org_values(org)?);
        params.push(now.into());
        tx.execute(
            &format!(
                "INSERT INTO organizations ({ORG_COLS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"
            ),
            &params,
        )?;
        load(tx, &id, "")
    })
}

pub(crate) fn get<B: Backend>(b: &B, id: &OrgId) -> Result<Organization> {
    b.read(&mut |tx| load(tx, id, ""))
}

pub(crate) fn list<B: Backend>(b: &B, page: &PageRequest) -> Result<Page<Organization>> {
    let limit = page.checked_limit()?;
    let after = page.cursor.as_deref().map(cursor::org).transpose()?;
    b.read(&mut |tx| {
        let mut q = Query::default();
        if let Some(c) = after {
            let p = q.bind(c);
            q.and(format!("id > {p}"));
        }
        let lim = q.bind(limit + 1);
        let sql = format!(
            "SELECT {ORG_COLS} FROM organizations{} ORDER BY id LIMIT {lim}",
            q.where_sql()
        );
        let rows = tx.query(&sql, &q.params)?;
        let items = rows.iter().map(codec::org).collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |o| o.id.to_string()))
    })
}

pub(crate) fn update<B: Backend>(b: &B, id: &OrgId, org: &NewOrganization) -> Result<Organization> {
    validate::new_organization(org)?;
    b.attribute(Some(id), None);
    b.write(&mut |tx| {
        load(tx, id, B::FOR_UPDATE)?;
        let now = to_micros(&tx.now()?);
        let mut params = org_values(org)?;
        params.push(now.into());
        params.push(id.as_str().into());
        tx.execute(
            "UPDATE organizations SET name = ?1, sector = ?2, size = ?3, governance_tier = ?4, \
             risk_management_tier = ?5, tier_note = ?6, updated_at_us = ?7 WHERE id = ?8",
            &params,
        )?;
        load(tx, id, "")
    })
}

/// Deletes the profiles `profile_where` selects with their entries, history and quick answers,
/// and every plan naming one of them, returning the counts. The audit log is never touched.
pub(crate) fn remove_profiles(
    tx: &mut dyn Tx,
    profile_where: &str,
    param: Value,
) -> Result<Removed> {
    let params = [param];
    let sub = format!("profile_id IN (SELECT id FROM profiles WHERE {profile_where})");
    let profile_ids = format!("(SELECT id FROM profiles WHERE {profile_where})");
    // Evidence links into these profiles go (the items stay in the register).
    tx.execute(&format!("DELETE FROM evidence_links WHERE {sub}"), &params)?;
    // Campaigns of these profiles go with them: their log, their answers, then the campaigns.
    let campaign_ids = format!("(SELECT id FROM campaigns WHERE {sub})");
    tx.execute(
        &format!("DELETE FROM campaign_events WHERE campaign_id IN {campaign_ids}"),
        &params,
    )?;
    let campaign_answers = tx.execute(
        &format!("DELETE FROM campaign_answers WHERE campaign_id IN {campaign_ids}"),
        &params,
    )?;
    let campaigns = tx.execute(&format!("DELETE FROM campaigns WHERE {sub}"), &params)?;
    Ok(Removed {
        organizations: 0,
        campaigns,
        campaign_answers,
        // Plans first: they reference the profiles.
        plans: tx.execute(
            &format!(
                "DELETE FROM plans WHERE current_profile_id IN {profile_ids} \
                 OR target_profile_id IN {profile_ids}"
            ),
            &params,
        )?,
        // Kept reports and exports describe the profile: they go with it (not counted).
        history_rows: {
            tx.execute(&format!("DELETE FROM documents WHERE {sub}"), &params)?;
            tx.execute(&format!("DELETE FROM entry_history WHERE {sub}"), &params)?
        },
        quick_answers: tx.execute(&format!("DELETE FROM quick_answers WHERE {sub}"), &params)?,
        entries: tx.execute(
            &format!("DELETE FROM assessment_entries WHERE {sub}"),
            &params,
        )?,
        profiles: tx.execute(
            &format!("DELETE FROM profiles WHERE {profile_where}"),
            &params,
        )?,
    })
}

pub(crate) fn remove<B: Backend>(b: &B, id: &OrgId, delete_org: bool) -> Result<Removed> {
    b.attribute(Some(id), None);
    b.write(&mut |tx| {
        load(tx, id, B::FOR_UPDATE)?;
        let mut removed = remove_profiles(tx, "org_id = ?1", id.as_str().into())?;
        // The register is organization data too; its links went with the profiles.
        tx.execute(
            "DELETE FROM evidence_links WHERE evidence_id IN \
             (SELECT id FROM evidence_items WHERE org_id = ?1)",
            &[id.as_str().into()],
        )?;
        tx.execute(
            "DELETE FROM evidence_items WHERE org_id = ?1",
            &[id.as_str().into()],
        )?;
        if delete_org {
            removed.organizations = tx.execute(
                "DELETE FROM organizations WHERE id = ?1",
                &[id.as_str().into()],
            )?;
        }
        Ok(removed)
    })
}
