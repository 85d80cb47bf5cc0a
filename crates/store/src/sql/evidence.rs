//! The evidence register: items, their links to entries, and their removal. Links name a
//! profile and a subcategory; the entry itself need not exist yet (evidence may be registered
//! before the assessment), and removing a link or an item never touches entries.

use super::codec::{date_text, enum_from, enum_text, stored_date, stored_id};
use super::cursor;
use super::query::{into_page, Query};
use super::{orgs, Backend, Row, Tx, Value};
use crate::error::{Result, StoreError};
use crate::evidence::check;
use crate::evidence::{EvidenceItem, EvidenceLink, EvidencePatch, NewEvidence};
use crate::ids::{EvidenceId, OrgId, ProfileId};
use crate::records::{Page, PageRequest};
use crate::time::{from_micros, to_micros};
use crate::validate;
use std::collections::BTreeMap;

const ITEM_COLS: &str = "id, org_id, title, kind, location, sha256, owner, collected_on, \
     review_by, sensitivity, created_at_us, created_by, updated_at_us, updated_by";
const LINK_COLS: &str = "evidence_id, profile_id, subcategory_id, linked_at_us, linked_by";

fn item(r: &Row) -> Result<EvidenceItem> {
    Ok(EvidenceItem {
        id: stored_id(r.text(0)?)?,
        org_id: stored_id(r.text(1)?)?,
        title: r.text(2)?.to_owned(),
        kind: enum_from(r.text(3)?)?,
        location: r.opt_text(4)?.map(str::to_owned),
        sha256: r.opt_text(5)?.map(str::to_owned),
        owner: r.opt_text(6)?.map(str::to_owned),
        collected_on: r.opt_text(7)?.map(stored_date).transpose()?,
        review_by: r.opt_text(8)?.map(stored_date).transpose()?,
        sensitivity: enum_from(r.text(9)?)?,
        created_at: from_micros(r.int(10)?)?,
        created_by: r.text(11)?.to_owned(),
        updated_at: from_micros(r.int(12)?)?,
        updated_by: r.text(13)?.to_owned(),
        links: Vec::new(),
    })
}

fn link_row(r: &Row) -> Result<(String, EvidenceLink)> {
    Ok((
        r.text(0)?.to_owned(),
        EvidenceLink {
            profile_id: stored_id::<ProfileId>(r.text(1)?)?,
            subcategory_id: r.text(2)?.to_owned(),
            linked_at: from_micros(r.int(3)?)?,
            linked_by: r.text(4)?.to_owned(),
        },
    ))
}

/// Fills in the links of `items` (one query).
fn with_links(tx: &mut dyn Tx, mut items: Vec<EvidenceItem>) -> Result<Vec<EvidenceItem>> {
    if items.is_empty() {
        return Ok(items);
    }
    let mut q = Query::default();
    let marks: Vec<String> = items.iter().map(|i| q.bind(i.id.as_str())).collect();
    let sql = format!(
        "SELECT {LINK_COLS} FROM evidence_links WHERE evidence_id IN ({}) \
         ORDER BY evidence_id, profile_id, subcategory_id",
        marks.join(", ")
    );
    let mut by_item: BTreeMap<String, Vec<EvidenceLink>> = BTreeMap::new();
    for row in tx.query(&sql, &q.params)? {
        let (id, l) = link_row(&row)?;
        by_item.entry(id).or_default().push(l);
    }
    for it in &mut items {
        it.links = by_item.remove(it.id.as_str()).unwrap_or_default();
    }
    Ok(items)
}

pub(super) fn load(tx: &mut dyn Tx, id: &EvidenceId, lock: &str) -> Result<EvidenceItem> {
    let sql = format!("SELECT {ITEM_COLS} FROM evidence_items WHERE id = ?1{lock}");
    let row = tx.query(&sql, &[id.as_str().into()])?;
    let found = row
        .first()
        .map(item)
        .transpose()?
        .ok_or_else(|| StoreError::NotFound {
            kind: "evidence item",
            id: id.to_string(),
        })?;
    let mut items = with_links(tx, vec![found])?;
    items
        .pop()
        .ok_or_else(|| StoreError::backend("evidence item vanished"))
}

fn date_value(d: Option<chrono::NaiveDate>) -> Value {
    d.map(date_text).into()
}

pub(crate) fn create<B: Backend>(b: &B, new: &NewEvidence, by: &str) -> Result<EvidenceItem> {
    let new = check::new_item(new)?;
    validate::principal(by)?;
    b.attribute(Some(&new.org_id), None);
    let id = EvidenceId::generate();
    b.write(&mut |tx| {
        orgs::load(tx, &new.org_id, B::FOR_UPDATE)?;
        let now = to_micros(&tx.now()?);
        tx.execute(
            &format!(
                "INSERT INTO evidence_items ({ITEM_COLS}) VALUES \
                 (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?11, ?12)"
            ),
            &[
                id.as_str().into(),
                new.org_id.as_str().into(),
                new.title.trim().into(),
                enum_text(&new.kind)?.into(),
                new.location.clone().into(),
                new.sha256.clone().into(),
                new.owner.as_deref().map(str::trim).into(),
                date_value(new.collected_on),
                date_value(new.review_by),
                enum_text(&new.sensitivity)?.into(),
                now.into(),
                by.into(),
            ],
        )?;
        load(tx, &id, "")
    })
}

pub(crate) fn get<B: Backend>(b: &B, id: &EvidenceId) -> Result<EvidenceItem> {
    b.read(&mut |tx| load(tx, id, ""))
}

/// One organization's items in id (creation) order; with `profile`, only items linked to it.
pub(crate) fn list<B: Backend>(
    b: &B,
    org: &OrgId,
    profile: Option<&ProfileId>,
    page: &PageRequest,
) -> Result<Page<EvidenceItem>> {
    let limit = page.checked_limit()?;
    let after = page.cursor.as_deref().map(cursor::evidence).transpose()?;
    b.read(&mut |tx| {
        orgs::load(tx, org, "")?;
        let mut q = Query::default();
        let p = q.bind(org.as_str());
        q.and(format!("org_id = {p}"));
        if let Some(profile) = profile {
            let p = q.bind(profile.as_str());
            q.and(format!(
                "id IN (SELECT evidence_id FROM evidence_links WHERE profile_id = {p})"
            ));
        }
        if let Some(c) = after {
            let p = q.bind(c);
            q.and(format!("id > {p}"));
        }
        let lim = q.bind(limit + 1);
        let sql = format!(
            "SELECT {ITEM_COLS} FROM evidence_items{} ORDER BY id LIMIT {lim}",
            q.where_sql()
        );
        let rows = tx.query(&sql, &q.params)?;
        let items = rows.iter().map(item).collect::<Result<Vec<_>>>()?;
        let page = into_page(items, limit, |i| i.id.to_string());
        Ok(Page {
            items: with_links(tx, page.items)?,
            next_cursor: page.next_cursor,
        })
    })
}

pub(crate) fn update<B: Backend>(
    b: &B,
    id: &EvidenceId,
    patch: &EvidencePatch,
    by: &str,
) -> Result<EvidenceItem> {
    let patch = check::patch(patch)?;
    validate::principal(by)?;
    b.write(&mut |tx| {
        let old = load(tx, id, B::FOR_UPDATE)?;
        b.attribute(Some(&old.org_id), None);
        let location = patch.location.apply(old.location.as_ref(), false);
        let sha256 = patch.sha256.apply(old.sha256.as_ref(), false);
        check::has_pointer(location.as_deref(), sha256.as_deref())?;
        let collected_on = patch.collected_on.apply(old.collected_on.as_ref(), false);
        let review_by = patch.review_by.apply(old.review_by.as_ref(), false);
        check::dates(collected_on, review_by)?;
        let owner = patch.owner.apply(old.owner.as_ref(), false);
        let now = to_micros(&tx.now()?);
        tx.execute(
            "UPDATE evidence_items SET title = ?1, kind = ?2, location = ?3, sha256 = ?4, \
             owner = ?5, collected_on = ?6, review_by = ?7, sensitivity = ?8, \
             updated_at_us = ?9, updated_by = ?10 WHERE id = ?11",
            &[
                patch
                    .title
                    .as_deref()
                    .map_or(old.title.as_str(), str::trim)
                    .into(),
                enum_text(&patch.kind.unwrap_or(old.kind))?.into(),
                location.into(),
                sha256.into(),
                owner.as_deref().map(str::trim).into(),
                date_value(collected_on),
                date_value(review_by),
                enum_text(&patch.sensitivity.unwrap_or(old.sensitivity))?.into(),
                now.into(),
                by.into(),
                id.as_str().into(),
            ],
        )?;
        load(tx, id, "")
    })
}

/// Deletes an item and its links; entries are not touched. Returns the item as it was.
pub(crate) fn delete<B: Backend>(b: &B, id: &EvidenceId) -> Result<EvidenceItem> {
    b.write(&mut |tx| {
        let old = load(tx, id, B::FOR_UPDATE)?;
        b.attribute(Some(&old.org_id), None);
        tx.execute(
            "DELETE FROM evidence_links WHERE evidence_id = ?1",
            &[id.as_str().into()],
        )?;
        tx.execute(
            "DELETE FROM evidence_items WHERE id = ?1",
            &[id.as_str().into()],
        )?;
        Ok(old)
    })
}
