//! Organizations and profiles: create, list, clone, archive.

use std::sync::Arc;

use csf_store::{
    CloneProfile, NewOrganization, NewProfile, OrgId, OrgSize, Organization, Page, Profile,
    ProfileFilter, ProfileId, ProfileKind, Scope, Tier,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{check_len, Error, Result};
use crate::paging::{all_pages, page};
use crate::service::{Actor, Service};
use crate::tiers;

/// A stored id given by a caller: parsed, or refused naming the expected shape.
pub fn org_id(s: &str) -> Result<OrgId> {
    Ok(OrgId::parse(s)?)
}

/// A stored profile id given by a caller: parsed, or refused naming the expected shape.
pub fn profile_id(s: &str) -> Result<ProfileId> {
    Ok(ProfileId::parse(s)?)
}

fn tier(field: &str, n: Option<u8>) -> Result<Option<Tier>> {
    n.map(|n| Tier::new(n).map_err(|e| Error::Invalid(format!("{field}: {e}"))))
        .transpose()
}

// What a CSF Tier means, in this project's words.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TierView {
    pub tier: u8,
    pub name: String,
    pub governance: String,
    pub risk_management: String,
}

/// The four Tiers' guidance.
pub fn tier_guidance() -> Vec<TierView> {
    tiers::TIERS
        .iter()
        .map(|t| TierView {
            tier: t.tier,
            name: t.name.into(),
            governance: t.governance.into(),
            risk_management: t.risk_management.into(),
        })
        .collect()
}

/// A new organization.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganization {
    /// Organization name (1–200 characters).
    pub name: String,
    /// Sector, e.g. "healthcare" (free text).
    pub sector: Option<String>,
    /// small, medium, large or enterprise (selects the question set).
    pub size: Option<OrgSize>,
    /// CSF Tier the organization declares for its cybersecurity risk governance: 1 Partial,
    /// 2 Risk Informed, 3 Repeatable, 4 Adaptive. Declared, never computed.
    pub governance_tier: Option<u8>,
    /// CSF Tier declared for its cybersecurity risk management practices (1–4).
    pub risk_management_tier: Option<u8>,
    /// Why these tiers were chosen.
    pub tier_note: Option<String>,
}

/// An organization with the Tier guidance.
#[derive(Debug, Serialize, JsonSchema)]
pub struct OrgOutput {
    pub organization: Organization,
    /// Things the caller may have overlooked (e.g. another organization of the same name);
    /// the organization was created all the same.
    pub warnings: Vec<String>,
    /// What each CSF Tier means, in this server's words.
    pub tier_guidance: Vec<TierView>,
    pub tier_note: String,
}

/// A page of organizations or profiles.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListOrganizations {
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// Organizations in creation order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct OrgsOutput {
    pub organizations: Vec<Organization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A new profile.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProfile {
    /// The organization (org_…).
    pub org_id: String,
    /// current (where you are), target (where you want to be) or community (derived from a
    /// Community Profile).
    pub kind: ProfileKind,
    /// Profile name (1–200 characters).
    pub name: String,
    /// Limit the profile to these functions (GV, ID, PR, DE, RS, RC); default all.
    pub functions: Option<Vec<String>>,
}

/// One profile.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProfileOutput {
    pub profile: Profile,
}

/// A copy of a profile.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloneProfileRequest {
    /// The profile to copy (prof_…).
    pub profile_id: String,
    /// Name of the copy.
    pub name: String,
    /// Kind of the copy (default: the source's kind), e.g. target to start a Target Profile
    /// from the Current one.
    pub kind: Option<ProfileKind>,
}

/// Archive or restore.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchiveProfile {
    pub profile_id: String,
    /// true to archive (read-only, hidden from default listings), false to restore.
    pub archived: bool,
}

/// Which profiles to list.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListProfiles {
    /// Only this organization's profiles.
    pub org_id: Option<String>,
    /// Only this kind.
    pub kind: Option<ProfileKind>,
    /// Include archived profiles (default false).
    #[serde(default)]
    pub include_archived: bool,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// Profiles in creation order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProfilesOutput {
    pub profiles: Vec<Profile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// An organization with every profile it has (archived ones too).
#[derive(Debug, Serialize, JsonSchema)]
pub struct OrganizationDoc {
    pub organization: Organization,
    pub profiles: Vec<Profile>,
}

/// A profile with every entry and its function-level quick answers.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProfileDoc {
    pub profile: Profile,
    pub entries: Vec<csf_store::AssessmentEntry>,
    pub quick_answers: Vec<csf_store::QuickAnswer>,
}

/// Organizations already named `name` (ignoring case and surrounding spaces).
fn same_name(s: &dyn csf_store::Store, name: &str) -> Result<Vec<Organization>> {
    let want = name.trim().to_lowercase();
    Ok(all_pages(|p| s.list_organizations(&p))?
        .into_iter()
        .filter(|o| o.name.trim().to_lowercase() == want)
        .collect())
}

/// A profile's function scope from a list of function ids or names (none: all functions).
pub fn scope(functions: Option<Vec<String>>) -> Result<Scope> {
    match functions {
        None => Ok(Scope::All),
        Some(list) if list.is_empty() => Err(Error::Invalid(
            "`functions` is empty; omit it for all functions".into(),
        )),
        Some(list) => {
            let mut ids = Vec::new();
            for f in &list {
                check_len("functions[]", f, 32)?;
                let id = csf_catalog::ids::function(f)?.id;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            Ok(Scope::Functions(
                ids.into_iter().map(String::from).collect(),
            ))
        }
    }
}

impl Service {
    /// Creates an organization.
    pub async fn create_organization(
        self: &Arc<Self>,
        actor: &Actor,
        req: CreateOrganization,
    ) -> Result<OrgOutput> {
        let org = NewOrganization {
            name: req.name,
            sector: req.sector,
            size: req.size,
            governance_tier: tier("governance_tier", req.governance_tier)?,
            risk_management_tier: tier("risk_management_tier", req.risk_management_tier)?,
            tier_note: req.tier_note,
        };
        let (organization, same_name) = self
            .write(actor, move |s, _| {
                let same = same_name(s, &org.name)?;
                Ok((s.create_organization(&org)?, same))
            })
            .await?;
        let warnings = same_name
            .iter()
            .map(|o| {
                format!(
                    "another organization is named `{}` already: {} (created {}); both exist now \
                     — use the id to tell them apart, or delete one with reset_organization_data",
                    o.name,
                    o.id,
                    o.created_at.format("%Y-%m-%d")
                )
            })
            .collect();
        Ok(OrgOutput {
            organization,
            warnings,
            tier_guidance: tier_guidance(),
            tier_note: tiers::NOTE.into(),
        })
    }

    /// Organizations in creation order, one page.
    pub async fn list_organizations(
        self: &Arc<Self>,
        req: ListOrganizations,
    ) -> Result<OrgsOutput> {
        let req = page(req.limit, req.cursor.as_ref())?;
        let Page { items, next_cursor } =
            self.read(move |s| Ok(s.list_organizations(&req)?)).await?;
        Ok(OrgsOutput {
            organizations: items,
            next_cursor,
        })
    }

    /// Creates an empty profile.
    pub async fn create_profile(
        self: &Arc<Self>,
        actor: &Actor,
        req: CreateProfile,
    ) -> Result<ProfileOutput> {
        let new = NewProfile {
            org_id: org_id(&req.org_id)?,
            kind: req.kind,
            name: req.name,
            scope: scope(req.functions)?,
        };
        let profile = self
            .write(actor, move |s, by| Ok(s.create_profile(&new, by)?))
            .await?;
        Ok(ProfileOutput { profile })
    }

    /// Copies a profile with its entries.
    pub async fn clone_profile(
        self: &Arc<Self>,
        actor: &Actor,
        req: CloneProfileRequest,
    ) -> Result<ProfileOutput> {
        let id = profile_id(&req.profile_id)?;
        let spec = CloneProfile {
            name: req.name,
            kind: req.kind,
        };
        let profile = self
            .write(actor, move |s, by| Ok(s.clone_profile(&id, &spec, by)?))
            .await?;
        Ok(ProfileOutput { profile })
    }

    /// Archives or restores a profile.
    pub async fn archive_profile(
        self: &Arc<Self>,
        actor: &Actor,
        req: ArchiveProfile,
    ) -> Result<ProfileOutput> {
        let id = profile_id(&req.profile_id)?;
        let profile = self
            .write(actor, move |s, _| {
                Ok(s.set_profile_archived(&id, req.archived)?)
            })
            .await?;
        Ok(ProfileOutput { profile })
    }

    /// An organization and all its profiles.
    pub async fn organization_doc(self: &Arc<Self>, id: &str) -> Result<OrganizationDoc> {
        let id = org_id(id)?;
        self.read(move |s| {
            let organization = s.get_organization(&id)?;
            let filter = ProfileFilter {
                org_id: Some(id),
                kind: None,
                include_archived: true,
            };
            let profiles = all_pages(|p| s.list_profiles(&filter, &p))?;
            Ok(OrganizationDoc {
                organization,
                profiles,
            })
        })
        .await
    }

    /// A profile with all its entries and quick answers.
    pub async fn profile_doc(self: &Arc<Self>, id: &str) -> Result<ProfileDoc> {
        let id = profile_id(id)?;
        self.read(move |s| {
            Ok(ProfileDoc {
                profile: s.get_profile(&id)?,
                entries: all_pages(|p| s.list_entries(&id, &Default::default(), &p))?,
                quick_answers: s.quick_answers(&id)?,
            })
        })
        .await
    }

    /// Profiles in creation order, one page.
    pub async fn list_profiles(self: &Arc<Self>, req: ListProfiles) -> Result<ProfilesOutput> {
        let filter = ProfileFilter {
            org_id: req.org_id.as_deref().map(org_id).transpose()?,
            kind: req.kind,
            include_archived: req.include_archived,
        };
        let req = page(req.limit, req.cursor.as_ref())?;
        let Page { items, next_cursor } = self
            .read(move |s| Ok(s.list_profiles(&filter, &req)?))
            .await?;
        Ok(ProfilesOutput {
            profiles: items,
            next_cursor,
        })
    }
}
