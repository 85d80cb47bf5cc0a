//! Rows <-> records: column lists, enum spellings, JSON columns.

use super::{Row, Value};
use crate::assessment::{AssessmentEntry, HistoryRecord, Maturity, QuickAnswer};
use crate::audit::AuditRecord;
use crate::error::{Result, StoreError};
use crate::ids::{OrgId, ProfileId};
use crate::plans::StoredPlan;
use crate::records::{Organization, Profile, Scope, Tier};
use crate::time::{from_micros, to_micros};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub(crate) const ORG_COLS: &str = "id, name, sector, size, governance_tier, \
     risk_management_tier, tier_note, created_at_us, updated_at_us";
pub(crate) const PROFILE_COLS: &str = "id, org_id, kind, name, scope, archived, cloned_from, \
     created_at_us, created_by, updated_at_us";
pub(crate) const ENTRY_COLS: &str = "profile_id, subcategory_id, status, maturity, priority, \
     owner, target_date, evidence, notes, assessed_by, confidence, version, updated_at_us, \
     updated_by, assessed_on";
pub(crate) const HISTORY_COLS: &str = "seq, profile_id, subcategory_id, changed_at_us, \
     changed_by, change, changed_fields, old_entry, new_entry";
pub(crate) const QUICK_COLS: &str =
    "profile_id, function_id, status, maturity, notes, answered_at_us, answered_by";
/// `seq` (creation order, the paging cursor) is not part of the record; [`plan`] reads the
/// columns after it.
pub(crate) const PLAN_COLS: &str = "seq, id, org_id, current_profile_id, target_profile_id, \
     name, revision, created_at_us, updated_at_us, created_by, updated_by, body";
pub(crate) const AUDIT_COLS: &str =
    "seq, at_us, tool, principal, org_id, args_summary, result, detail, profile_id";

/// The serde spelling of a unit enum variant (`not_implemented`, `target`, …).
pub(crate) fn enum_text<T: Serialize>(v: &T) -> Result<String> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(StoreError::backend("enum value has no text form")),
    }
}

pub(crate) fn enum_from<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| StoreError::backend(format!("stored value '{s}' is not valid: {e}")))
}

pub(crate) fn json_text<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::backend(format!("cannot encode JSON: {e}")))
}

pub(crate) fn json_from<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s)
        .map_err(|e| StoreError::backend(format!("stored JSON is not valid: {e}")))
}

fn small<T: TryFrom<u8, Error = StoreError>>(v: Option<i64>) -> Result<Option<T>> {
    v.map(|n| {
        u8::try_from(n)
            .map_err(|_| StoreError::backend(format!("stored number {n} is out of range")))
            .and_then(T::try_from)
    })
    .transpose()
}

pub(crate) fn stored_id<T: std::str::FromStr<Err = StoreError>>(s: &str) -> Result<T> {
    s.parse()
        .map_err(|e: StoreError| StoreError::backend(format!("stored id is not valid: {e}")))
}

pub(crate) fn org(r: &Row) -> Result<Organization> {
    Ok(Organization {
        id: stored_id::<OrgId>(r.text(0)?)?,
        name: r.text(1)?.to_owned(),
        sector: r.opt_text(2)?.map(str::to_owned),
        size: r.opt_text(3)?.map(enum_from).transpose()?,
        governance_tier: small::<Tier>(r.opt_int(4)?)?,
        risk_management_tier: small::<Tier>(r.opt_int(5)?)?,
        tier_note: r.opt_text(6)?.map(str::to_owned),
        created_at: from_micros(r.int(7)?)?,
        updated_at: from_micros(r.int(8)?)?,
    })
}

pub(crate) fn scope_value(scope: &Scope) -> Result<Value> {
    match scope {
        Scope::All => Ok(Value::Null),
        Scope::Functions(ids) => json_text(ids).map(Value::Text),
    }
}

pub(crate) fn profile(r: &Row) -> Result<Profile> {
    Ok(Profile {
        id: stored_id::<ProfileId>(r.text(0)?)?,
        org_id: stored_id::<OrgId>(r.text(1)?)?,
        kind: enum_from(r.text(2)?)?,
        name: r.text(3)?.to_owned(),
        scope: match r.opt_text(4)? {
            None => Scope::All,
            Some(s) => Scope::Functions(json_from(s)?),
        },
        archived: r.int(5)? != 0,
        cloned_from: r.opt_text(6)?.map(stored_id::<ProfileId>).transpose()?,
        created_at: from_micros(r.int(7)?)?,
        created_by: r.text(8)?.to_owned(),
        updated_at: from_micros(r.int(9)?)?,
    })
}

/// Parameters in [`ENTRY_COLS`] order.
pub(crate) fn entry_params(e: &AssessmentEntry) -> Result<Vec<Value>> {
    Ok(vec![
        e.profile_id.as_str().into(),
        e.subcategory_id.as_str().into(),
        enum_text(&e.status)?.into(),
        e.maturity.map(|m| i64::from(m.get())).into(),
        e.priority.as_ref().map(enum_text).transpose()?.into(),
        e.owner.as_deref().into(),
        e.target_date.map(date_text).into(),
        json_text(&e.evidence)?.into(),
        e.notes.as_deref().into(),
        e.assessed_by.as_deref().into(),
        e.confidence.as_ref().map(enum_text).transpose()?.into(),
        e.version.into(),
        to_micros(&e.updated_at).into(),
        e.updated_by.as_str().into(),
        e.assessed_on.map(date_text).into(),
    ])
}

pub(crate) fn entry(r: &Row) -> Result<AssessmentEntry> {
    Ok(AssessmentEntry {
        profile_id: stored_id::<ProfileId>(r.text(0)?)?,
        subcategory_id: r.text(1)?.to_owned(),
        status: enum_from(r.text(2)?)?,
        maturity: small::<Maturity>(r.opt_int(3)?)?,
        priority: r.opt_text(4)?.map(enum_from).transpose()?,
        owner: r.opt_text(5)?.map(str::to_owned),
        target_date: r.opt_text(6)?.map(stored_date).transpose()?,
        evidence: json_from(r.text(7)?)?,
        notes: r.opt_text(8)?.map(str::to_owned),
        assessed_by: r.opt_text(9)?.map(str::to_owned),
        confidence: r.opt_text(10)?.map(enum_from).transpose()?,
        version: r.int(11)?,
        updated_at: from_micros(r.int(12)?)?,
        updated_by: r.text(13)?.to_owned(),
        assessed_on: r.opt_text(14)?.map(stored_date).transpose()?,
    })
}

pub(crate) fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn stored_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::backend(format!("stored date '{s}': {e}")))
}

pub(crate) fn history(r: &Row) -> Result<HistoryRecord> {
    Ok(HistoryRecord {
        seq: r.int(0)?,
        profile_id: stored_id::<ProfileId>(r.text(1)?)?,
        subcategory_id: r.text(2)?.to_owned(),
        changed_at: from_micros(r.int(3)?)?,
        changed_by: r.text(4)?.to_owned(),
        change: enum_from(r.text(5)?)?,
        changed_fields: json_from(r.text(6)?)?,
        old: r.opt_text(7)?.map(json_from).transpose()?,
        new: json_from(r.text(8)?)?,
    })
}

pub(crate) fn quick(r: &Row) -> Result<QuickAnswer> {
    Ok(QuickAnswer {
        profile_id: stored_id::<ProfileId>(r.text(0)?)?,
        function_id: r.text(1)?.to_owned(),
        status: enum_from(r.text(2)?)?,
        maturity: small::<Maturity>(r.opt_int(3)?)?,
        notes: r.opt_text(4)?.map(str::to_owned),
        answered_at: from_micros(r.int(5)?)?,
        answered_by: r.text(6)?.to_owned(),
    })
}

pub(crate) fn audit(r: &Row) -> Result<AuditRecord> {
    Ok(AuditRecord {
        seq: r.int(0)?,
        at: from_micros(r.int(1)?)?,
        tool: r.text(2)?.to_owned(),
        principal: r.text(3)?.to_owned(),
        org_id: r.opt_text(4)?.map(stored_id::<OrgId>).transpose()?,
        args_summary: r.text(5)?.to_owned(),
        result: enum_from(r.text(6)?)?,
        detail: r.opt_text(7)?.map(str::to_owned),
        // Rows from before this column were attributed from their argument text by a
        // migration; an id that does not parse is left unattributed rather than failing reads.
        profile_id: r.opt_text(8)?.and_then(|s| ProfileId::parse(s).ok()),
    })
}

/// A plan row selected with [`PLAN_COLS`], with its `seq`.
pub(crate) fn plan(r: &Row) -> Result<(i64, StoredPlan)> {
    Ok((
        r.int(0)?,
        StoredPlan {
            id: r.text(1)?.to_owned(),
            org_id: stored_id::<OrgId>(r.text(2)?)?,
            current_profile_id: stored_id::<ProfileId>(r.text(3)?)?,
            target_profile_id: stored_id::<ProfileId>(r.text(4)?)?,
            name: r.text(5)?.to_owned(),
            revision: r.int(6)?,
            created_at: from_micros(r.int(7)?)?,
            updated_at: from_micros(r.int(8)?)?,
            created_by: r.text(9)?.to_owned(),
            updated_by: r.text(10)?.to_owned(),
            body: json_from(r.text(11)?)?,
        },
    ))
}
