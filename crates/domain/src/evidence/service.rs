//! The register's operations on the domain service.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use csf_store::{
    EvidenceId, EvidenceItem, EvidencePatch, NewEvidence, Patch, ProfileFilter, ProfileId,
    ProfileKind, Sensitivity, Store,
};

use super::lists::{implemented_without_evidence, stale_evidence, unused_evidence};
use super::requests::*;
use crate::analysis::inputs::{all_entries, date_arg};
use crate::assessment::entries::check_in_scope;
use crate::error::{Error, Result};
use crate::orgs::{org_id, profile_id};
use crate::paging::{all_pages, page};
use crate::service::{Actor, Service};

/// An evidence id given by a caller: parsed, or refused naming the expected shape.
pub fn evidence_id(s: &str) -> Result<EvidenceId> {
    Ok(EvidenceId::parse(s)?)
}

fn opt_date(field: &str, s: Option<&str>) -> Result<Option<NaiveDate>> {
    s.map(|s| date_arg(field, s)).transpose()
}

/// Resolves subcategory ids against the catalog (canonical spelling), in the profile's scope.
fn subcategories(s: &dyn Store, profile: &ProfileId, ids: &[String]) -> Result<Vec<String>> {
    let p = s.get_profile(profile)?;
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let sub = csf_catalog::ids::subcategory(id)
            .map_err(|e| Error::Invalid(format!("subcategory_ids[{i}]: {e}")))?;
        check_in_scope(&p, sub.id, &format!("subcategory_ids[{i}]"))?;
        if seen.insert(sub.id) {
            out.push(sub.id.to_owned());
        }
    }
    Ok(out)
}

/// Every item of an organization.
fn all_items(s: &dyn Store, org: &csf_store::OrgId) -> Result<Vec<EvidenceItem>> {
    all_pages(|p| s.list_evidence(org, None, &p))
}

const CRITERIA: [&str; 3] = [
    "stale: review_by is before as_of (an item due on as_of itself is not stale)",
    "implemented without evidence: an entry with status largely or fully and no evidence item \
     linked to its profile and subcategory (free-text references inside the entry are counted \
     but do not count as evidence)",
    "unused: an item with no link to a subcategory that has an entry in the linked profile",
];

impl Service {
    /// Every item of `org` linked to `profile` (for reports and exports).
    pub(crate) async fn profile_evidence(
        self: &Arc<Self>,
        org: &csf_store::OrgId,
        profile: &ProfileId,
    ) -> Result<Vec<EvidenceItem>> {
        let (org, profile) = (org.clone(), profile.clone());
        self.read(move |s| all_pages(|p| s.list_evidence(&org, Some(&profile), &p)))
            .await
    }

    /// Registers an evidence item.
    pub async fn create_evidence(
        self: &Arc<Self>,
        actor: &Actor,
        req: CreateEvidenceRequest,
    ) -> Result<EvidenceItem> {
        let new = NewEvidence {
            org_id: org_id(&req.org_id)?,
            title: req.title,
            kind: req.kind,
            location: req.location,
            sha256: req.sha256,
            owner: req.owner,
            collected_on: opt_date("collected_on", req.collected_on.as_deref())?,
            review_by: opt_date("review_by", req.review_by.as_deref())?,
            sensitivity: req.sensitivity.unwrap_or(Sensitivity::Internal),
        };
        self.write(actor, move |s, by| Ok(s.create_evidence(&new, by)?))
            .await
    }

    /// Changes an item's fields.
    pub async fn update_evidence(
        self: &Arc<Self>,
        actor: &Actor,
        req: UpdateEvidenceRequest,
    ) -> Result<EvidenceItem> {
        let id = evidence_id(&req.evidence_id)?;
        let date = |field: &'static str, p: Patch<String>| p.try_map(|d| date_arg(field, &d));
        let patch = EvidencePatch {
            title: req.title,
            kind: req.kind,
            location: req.location,
            sha256: req.sha256,
            owner: req.owner,
            collected_on: date("collected_on", req.collected_on)?,
            review_by: date("review_by", req.review_by)?,
            sensitivity: req.sensitivity,
        };
        self.write(actor, move |s, by| Ok(s.update_evidence(&id, &patch, by)?))
            .await
    }

    /// One item with its links.
    pub async fn get_evidence(self: &Arc<Self>, req: EvidenceIdRequest) -> Result<EvidenceItem> {
        let id = evidence_id(&req.evidence_id)?;
        self.read(move |s| Ok(s.get_evidence(&id)?)).await
    }

    /// One page of an organization's items.
    pub async fn list_evidence(
        self: &Arc<Self>,
        req: ListEvidenceRequest,
    ) -> Result<ListEvidenceOutput> {
        let org = org_id(&req.org_id)?;
        let profile = req.profile_id.as_deref().map(profile_id).transpose()?;
        let page = page(req.limit, req.cursor.as_ref())?;
        self.read(move |s| {
            let got = s.list_evidence(&org, profile.as_ref(), &page)?;
            Ok(ListEvidenceOutput {
                items: got.items,
                next_cursor: got.next_cursor,
            })
        })
        .await
    }

    /// Deletes an item and its links; entries are untouched (their history and any free-text
    /// references stay), and the audit trail keeps the call.
    pub async fn delete_evidence(
        self: &Arc<Self>,
        actor: &Actor,
        req: EvidenceIdRequest,
    ) -> Result<DeletedEvidence> {
        let id = evidence_id(&req.evidence_id)?;
        self.write(actor, move |s, _| {
            let deleted = s.delete_evidence(&id)?;
            Ok(DeletedEvidence {
                links_removed: deleted.links.len(),
                deleted,
            })
        })
        .await
    }

    /// Links an item to subcategories of a profile.
    pub async fn link_evidence(
        self: &Arc<Self>,
        actor: &Actor,
        req: LinkEvidenceRequest,
    ) -> Result<EvidenceItem> {
        self.change_links(actor, req, true).await
    }

    /// Removes links of an item (all named links must exist).
    pub async fn unlink_evidence(
        self: &Arc<Self>,
        actor: &Actor,
        req: LinkEvidenceRequest,
    ) -> Result<EvidenceItem> {
        self.change_links(actor, req, false).await
    }

    async fn change_links(
        self: &Arc<Self>,
        actor: &Actor,
        req: LinkEvidenceRequest,
        link: bool,
    ) -> Result<EvidenceItem> {
        let id = evidence_id(&req.evidence_id)?;
        let profile = profile_id(&req.profile_id)?;
        if req.subcategory_ids.is_empty()
            || req.subcategory_ids.len() > csf_store::MAX_LINKS_PER_CALL
        {
            return Err(Error::Invalid(format!(
                "`subcategory_ids`: {} given; name 1..={} subcategories",
                req.subcategory_ids.len(),
                csf_store::MAX_LINKS_PER_CALL
            )));
        }
        self.write(actor, move |s, by| {
            // Unlinking takes ids as stored, so a link to an id later withdrawn can still go.
            let subs = if link {
                subcategories(s, &profile, &req.subcategory_ids)?
            } else {
                req.subcategory_ids
                    .iter()
                    .map(|x| x.trim().to_owned())
                    .collect()
            };
            Ok(if link {
                s.link_evidence(&id, &profile, &subs, by)?
            } else {
                s.unlink_evidence(&id, &profile, &subs, by)?
            })
        })
        .await
    }

    /// The organization's register with its stale, implemented-without-evidence and unused
    /// lists.
    pub async fn evidence_register(
        self: &Arc<Self>,
        req: EvidenceRegisterRequest,
    ) -> Result<EvidenceRegister> {
        let org = org_id(&req.org_id)?;
        let as_of = match req.as_of.as_deref() {
            Some(d) => date_arg("as_of", d)?,
            None => Utc::now().date_naive(),
        };
        let only = req.profile_id.as_deref().map(profile_id).transpose()?;
        self.read(move |s| {
            s.get_organization(&org)?;
            let items = all_items(s, &org)?;
            let profiles = all_pages(|p| {
                s.list_profiles(
                    &ProfileFilter {
                        org_id: Some(org.clone()),
                        include_archived: true,
                        ..Default::default()
                    },
                    &p,
                )
            })?;
            if let Some(p) = &only {
                if !profiles.iter().any(|x| &x.id == p) {
                    s.get_profile(p)?;
                    return Err(Error::Invalid(format!(
                        "`profile_id` {p} belongs to another organization than {org}"
                    )));
                }
            }
            let mut entries = Vec::new();
            for p in &profiles {
                entries.extend(all_entries(s, &p.id)?);
            }
            let checked: Vec<ProfileId> = match &only {
                Some(p) => vec![p.clone()],
                None => profiles
                    .iter()
                    .filter(|p| p.kind == ProfileKind::Current && !p.archived)
                    .map(|p| p.id.clone())
                    .collect(),
            };
            let missing = checked
                .iter()
                .flat_map(|p| implemented_without_evidence(p, &entries, &items))
                .collect();
            Ok(EvidenceRegister {
                org_id: org.to_string(),
                as_of,
                profiles_checked: checked.iter().map(ToString::to_string).collect(),
                stale: stale_evidence(&items, as_of),
                implemented_without_evidence: missing,
                unused: unused_evidence(&items, &entries),
                items,
                criteria: CRITERIA.iter().map(|c| (*c).to_owned()).collect(),
            })
        })
        .await
    }
}
