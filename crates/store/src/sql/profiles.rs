//! Profiles: create, read, list, clone, archive, delete.

use super::codec::{self, enum_text, scope_value, ENTRY_COLS, PROFILE_COLS};
use super::cursor;
use super::entries::{insert_entry, insert_history};
use super::orgs::{self, remove_profiles};
use super::profile_guard::load;
use super::query::{into_page, Query};
use super::{Backend, Tx, Value};
use crate::assessment::ChangeKind;
use crate::error::Result;
use crate::ids::{OrgId, ProfileId};
use crate::records::{
    CloneProfile, NewProfile, Page, PageRequest, Profile, ProfileFilter, ProfileKind, Removed,
    Scope,
};
use crate::time::to_micros;
use crate::validate;

#[allow(clippy::too_many_arguments)]
fn insert(
    tx: &mut dyn Tx,
    id: &ProfileId,
    org_id: &OrgId,
    kind: ProfileKind,
    name: &str,
    scope: &Scope,
    cloned_from: Option<&ProfileId>,
    by: &str,
    now: i64,
) -> Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO profiles ({PROFILE_COLS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?7)"
        ),
        &[
            id.as_str().into(),
            org_id.as_str().into(),
            enum_text(&kind)?.into(),
            name.into(),
            scope_value(scope)?,
            cloned_from.map(ProfileId::as_str).into(),
            now.into(),
            by.into(),
        ],
    )?;
    Ok(())
}

pub(crate) fn create<B: Backend>(b: &B, new: &NewProfile, by: &str) -> Result<Profile> {
    validate::new_profile(new)?;
    validate::principal(by)?;
    let id = ProfileId::generate();
    b.attribute(Some(&new.org_id), Some(&id));
    b.write(&mut |tx| {
        // Share-lock the organization so a concurrent delete cannot orphan the profile.
        orgs::load(tx, &new.org_id, B::FOR_UPDATE)?;
        let now = to_micros(&tx.now()?);
        insert(
            tx,
            &id,
            &new.org_id,
            new.kind,
            &new.name,
            &new.scope,
            None,
            by,
            now,
        )?;
        load(tx, &id, "")
    })
}

pub(crate) fn get<B: Backend>(b: &B, id: &ProfileId) -> Result<Profile> {
    b.read(&mut |tx| load(tx, id, ""))
}

pub(crate) fn list<B: Backend>(
    b: &B,
    filter: &ProfileFilter,
    page: &PageRequest,
) -> Result<Page<Profile>> {
    let limit = page.checked_limit()?;
    let after = page.cursor.as_deref().map(cursor::profile).transpose()?;
    b.read(&mut |tx| {
        let mut q = Query::default();
        if let Some(org) = &filter.org_id {
            orgs::load(tx, org, "")?;
            let p = q.bind(org.as_str());
            q.and(format!("org_id = {p}"));
        }
        if let Some(kind) = &filter.kind {
            let p = q.bind(enum_text(kind)?);
            q.and(format!("kind = {p}"));
        }
        if !filter.include_archived {
            q.and("archived = 0".to_owned());
        }
        if let Some(c) = after {
            let p = q.bind(c);
            q.and(format!("id > {p}"));
        }
        let lim = q.bind(limit + 1);
        let sql = format!(
            "SELECT {PROFILE_COLS} FROM profiles{} ORDER BY id LIMIT {lim}",
            q.where_sql()
        );
        let rows = tx.query(&sql, &q.params)?;
        let items = rows
            .iter()
            .map(codec::profile)
            .collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |p| p.id.to_string()))
    })
}

pub(crate) fn clone<B: Backend>(
    b: &B,
    source: &ProfileId,
    spec: &CloneProfile,
    by: &str,
) -> Result<Profile> {
    validate::profile_name(&spec.name)?;
    validate::principal(by)?;
    let id = ProfileId::generate();
    b.write(&mut |tx| {
        // Lock the source so no write lands between reading its entries and copying them.
        let src = load(tx, source, B::FOR_UPDATE)?;
        b.attribute(Some(&src.org_id), Some(&id));
        let now_ts = tx.now()?;
        let now = to_micros(&now_ts);
        let kind = spec.kind.unwrap_or(src.kind);
        insert(
            tx,
            &id,
            &src.org_id,
            kind,
            &spec.name,
            &src.scope,
            Some(source),
            by,
            now,
        )?;
        let rows = tx.query(
            &format!(
                "SELECT {ENTRY_COLS} FROM assessment_entries WHERE profile_id = ?1 \
                 ORDER BY subcategory_id"
            ),
            &[source.as_str().into()],
        )?;
        let mut stmts = Vec::with_capacity(rows.len() * 2);
        for row in &rows {
            let mut e = codec::entry(row)?;
            e.profile_id = id.clone();
            e.version = 1;
            e.updated_at = now_ts;
            e.updated_by = by.to_owned();
            stmts.push(insert_entry(&e)?);
            stmts.push(insert_history(ChangeKind::Cloned, None, &e, &[])?);
        }
        tx.execute_all(stmts)?;
        load(tx, &id, "")
    })
}

pub(crate) fn set_archived<B: Backend>(b: &B, id: &ProfileId, archived: bool) -> Result<Profile> {
    b.write(&mut |tx| {
        let p = load(tx, id, B::FOR_UPDATE)?;
        b.attribute(Some(&p.org_id), Some(id));
        let now = to_micros(&tx.now()?);
        tx.execute(
            "UPDATE profiles SET archived = ?1, updated_at_us = ?2 WHERE id = ?3",
            &[i64::from(archived).into(), now.into(), id.as_str().into()],
        )?;
        load(tx, id, "")
    })
}

pub(crate) fn delete<B: Backend>(b: &B, id: &ProfileId) -> Result<Removed> {
    b.write(&mut |tx| {
        let p = load(tx, id, B::FOR_UPDATE)?;
        b.attribute(Some(&p.org_id), Some(id));
        remove_profiles(tx, "id = ?1", Value::from(id.as_str()))
    })
}
