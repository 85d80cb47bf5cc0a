//! The links of an evidence item to entries of one profile: added (links already there stay)
//! and removed (every named link must exist, else nothing is removed). Only profiles of the
//! item's own organization, and only writable ones, are linked.

use super::evidence::load;
use super::{profile_guard, Backend, Stmt, Tx, Value};
use crate::error::{Result, StoreError};
use crate::evidence::{check, EvidenceItem};
use crate::ids::{EvidenceId, ProfileId};
use crate::time::to_micros;
use crate::validate;

/// Links an item to entries of one profile of its organization; links already there stay.
pub(crate) fn link<B: Backend>(
    b: &B,
    id: &EvidenceId,
    profile: &ProfileId,
    subcategories: &[String],
    by: &str,
) -> Result<EvidenceItem> {
    change_links(b, id, profile, subcategories, by, &mut |tx, _| {
        let now = to_micros(&tx.now()?);
        let stmts = per_subcategory(
            "INSERT INTO evidence_links (evidence_id, profile_id, subcategory_id, \
             linked_at_us, linked_by) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (evidence_id, profile_id, subcategory_id) DO NOTHING",
            id,
            profile,
            subcategories,
            &[now.into(), by.into()],
        );
        let added: u64 = tx.execute_all(stmts)?.iter().sum();
        if added > 0 {
            touch(tx, id, now, by)?;
        }
        Ok(())
    })
}

/// Removes links of an item; every named link must exist, else nothing is removed.
pub(crate) fn unlink<B: Backend>(
    b: &B,
    id: &EvidenceId,
    profile: &ProfileId,
    subcategories: &[String],
    by: &str,
) -> Result<EvidenceItem> {
    change_links(b, id, profile, subcategories, by, &mut |tx, old| {
        all_linked(old, profile, subcategories)?;
        tx.execute_all(per_subcategory(
            "DELETE FROM evidence_links WHERE evidence_id = ?1 AND profile_id = ?2 \
             AND subcategory_id = ?3",
            id,
            profile,
            subcategories,
            &[],
        ))?;
        let now = to_micros(&tx.now()?);
        touch(tx, id, now, by)
    })
}

/// One write that changes an item's links in `profile`: the arguments checked, the item and
/// the profile locked, the profile of the item's organization and writable; then `change`
/// (given the item as it was), and the item as it is now.
fn change_links<B: Backend>(
    b: &B,
    id: &EvidenceId,
    profile: &ProfileId,
    subcategories: &[String],
    by: &str,
    change: &mut dyn FnMut(&mut dyn Tx, &EvidenceItem) -> Result<()>,
) -> Result<EvidenceItem> {
    check::subcategories(subcategories)?;
    validate::principal(by)?;
    b.write(&mut |tx| {
        let old = load(tx, id, B::FOR_UPDATE)?;
        let p = same_org(tx, &old, profile, B::FOR_UPDATE)?;
        b.attribute(Some(&old.org_id), Some(&p.id));
        profile_guard::ensure_writable(&p)?;
        change(tx, &old)?;
        load(tx, id, "")
    })
}

/// `sql` once per subcategory, bound to the item (?1), the profile (?2), the subcategory (?3)
/// and then `extra`.
fn per_subcategory(
    sql: &str,
    id: &EvidenceId,
    profile: &ProfileId,
    subcategories: &[String],
    extra: &[Value],
) -> Vec<Stmt> {
    subcategories
        .iter()
        .map(|s| {
            let mut params = vec![
                id.as_str().into(),
                profile.as_str().into(),
                s.as_str().into(),
            ];
            params.extend_from_slice(extra);
            (sql.to_owned(), params)
        })
        .collect()
}

/// Refuses the first subcategory not linked to `old` in `profile`, naming the linked ones.
fn all_linked(old: &EvidenceItem, profile: &ProfileId, subcategories: &[String]) -> Result<()> {
    let id = &old.id;
    for (i, s) in subcategories.iter().enumerate() {
        let linked = old
            .links
            .iter()
            .any(|l| &l.profile_id == profile && &l.subcategory_id == s);
        if !linked {
            let here: Vec<&str> = old
                .links
                .iter()
                .filter(|l| &l.profile_id == profile)
                .map(|l| l.subcategory_id.as_str())
                .collect();
            return Err(StoreError::invalid(
                format!("subcategory_ids[{i}]"),
                format!(
                    "'{s}' is not linked to evidence item '{id}' in profile '{profile}'; \
                     linked there: {}",
                    if here.is_empty() {
                        "none".to_owned()
                    } else {
                        here.join(", ")
                    }
                ),
            ));
        }
    }
    Ok(())
}

fn touch(tx: &mut dyn Tx, id: &EvidenceId, now: i64, by: &str) -> Result<()> {
    tx.execute(
        "UPDATE evidence_items SET updated_at_us = ?1, updated_by = ?2 WHERE id = ?3",
        &[now.into(), by.into(), id.as_str().into()],
    )
    .map(drop)
}

/// The profile, which must belong to the item's organization.
fn same_org(
    tx: &mut dyn Tx,
    item: &EvidenceItem,
    profile: &ProfileId,
    lock: &str,
) -> Result<crate::records::Profile> {
    let p = profile_guard::load(tx, profile, lock)?;
    if p.org_id != item.org_id {
        return Err(StoreError::invalid(
            "profile_id",
            format!(
                "profile '{profile}' belongs to organization '{}', but evidence item '{}' to \
                 '{}': link evidence to profiles of its own organization",
                p.org_id, item.id, item.org_id
            ),
        ));
    }
    Ok(p)
}
