//! Organizations and profiles: create, list, clone, archive. Thin: validate, call the store.

use csf_store::{
    CloneProfile, NewOrganization, NewProfile, OrgSize, Organization, Page, Profile, ProfileFilter,
    ProfileKind, Scope, Tier,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::store_call::{org_id, page, profile_id, with_store};
use crate::mcp::error::{check_len, ToolError};
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};
use csf_domain::{subcategory::function_id, tiers};

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SizeParam {
    Small,
    Medium,
    Large,
    Enterprise,
}

impl From<SizeParam> for OrgSize {
    fn from(s: SizeParam) -> OrgSize {
        match s {
            SizeParam::Small => OrgSize::Small,
            SizeParam::Medium => OrgSize::Medium,
            SizeParam::Large => OrgSize::Large,
            SizeParam::Enterprise => OrgSize::Enterprise,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KindParam {
    Current,
    Target,
    Community,
}

impl From<KindParam> for ProfileKind {
    fn from(k: KindParam) -> ProfileKind {
        match k {
            KindParam::Current => ProfileKind::Current,
            KindParam::Target => ProfileKind::Target,
            KindParam::Community => ProfileKind::Community,
        }
    }
}

fn tier(field: &str, n: Option<u8>) -> Result<Option<Tier>, ToolError> {
    n.map(|n| Tier::new(n).map_err(|e| ToolError::InvalidValue(format!("{field}: {e}"))))
        .transpose()
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct TierView {
    pub tier: u8,
    pub name: String,
    pub governance: String,
    pub risk_management: String,
}

fn tier_guidance() -> Vec<TierView> {
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

// ---------------------------------------------------------------- create_organization

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrgParams {
    /// Organization name (1–200 characters).
    pub name: String,
    /// Sector, e.g. "healthcare" (free text).
    pub sector: Option<String>,
    /// small, medium, large or enterprise (selects the question set).
    pub size: Option<SizeParam>,
    /// CSF Tier the organization declares for its cybersecurity risk governance: 1 Partial,
    /// 2 Risk Informed, 3 Repeatable, 4 Adaptive. Declared, never computed.
    pub governance_tier: Option<u8>,
    /// CSF Tier declared for its cybersecurity risk management practices (1–4).
    pub risk_management_tier: Option<u8>,
    /// Why these tiers were chosen.
    pub tier_note: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct OrgOutput {
    pub organization: Organization,
    /// What each CSF Tier means, in this server's words.
    pub tier_guidance: Vec<TierView>,
    pub tier_note: String,
}

pub struct CreateOrganization;
impl CsfTool for CreateOrganization {
    const META: ToolMeta = ToolMeta {
        name: "create_organization",
        title: "Create an organization",
        description: "Create an organization to assess (name, sector, size) with optional CSF \
            Tiers it declares for governance and for risk management (1 Partial … 4 Adaptive). \
            Returns tier guidance; tiers are declared, never computed from scores.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = CreateOrgParams;
    type Output = OrgOutput;
    async fn call(call: Call, p: CreateOrgParams) -> Result<OrgOutput, ToolError> {
        let org = NewOrganization {
            name: p.name,
            sector: p.sector,
            size: p.size.map(Into::into),
            governance_tier: tier("governance_tier", p.governance_tier)?,
            risk_management_tier: tier("risk_management_tier", p.risk_management_tier)?,
            tier_note: p.tier_note,
        };
        let organization = with_store(&call, move |s, _| s.create_organization(&org)).await?;
        Ok(OrgOutput {
            organization,
            tier_guidance: tier_guidance(),
            tier_note: tiers::NOTE.into(),
        })
    }
}

// ---------------------------------------------------------------- list_organizations

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListOrgsParams {
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct OrgsOutput {
    pub organizations: Vec<Organization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

pub struct ListOrganizations;
impl CsfTool for ListOrganizations {
    const META: ToolMeta = ToolMeta {
        name: "list_organizations",
        title: "List organizations",
        description: "Organizations in creation order, paginated.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ListOrgsParams;
    type Output = OrgsOutput;
    async fn call(call: Call, p: ListOrgsParams) -> Result<OrgsOutput, ToolError> {
        let req = page(p.limit, p.cursor.as_ref())?;
        let Page { items, next_cursor } =
            with_store(&call, move |s, _| s.list_organizations(&req)).await?;
        Ok(OrgsOutput {
            organizations: items,
            next_cursor,
        })
    }
}

// ---------------------------------------------------------------- create_profile

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProfileParams {
    /// The organization (org_…).
    pub org_id: String,
    /// current (where you are), target (where you want to be) or community (derived from a
    /// Community Profile).
    pub kind: KindParam,
    /// Profile name (1–200 characters).
    pub name: String,
    /// Limit the profile to these functions (GV, ID, PR, DE, RS, RC); default all.
    pub functions: Option<Vec<String>>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ProfileOutput {
    pub profile: Profile,
}

fn scope(functions: Option<Vec<String>>) -> Result<Scope, ToolError> {
    match functions {
        None => Ok(Scope::All),
        Some(list) if list.is_empty() => Err(ToolError::InvalidValue(
            "`functions` is empty; omit it for all functions".into(),
        )),
        Some(list) => {
            let mut ids = Vec::new();
            for f in &list {
                check_len("functions[]", f, 32)?;
                let id = function_id(f).map_err(ToolError::InvalidValue)?;
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

pub struct CreateProfile;
impl CsfTool for CreateProfile {
    const META: ToolMeta = ToolMeta {
        name: "create_profile",
        title: "Create a profile",
        description: "Create a Current, Target or Community-derived Organizational Profile for an \
            organization, for all functions or a subset.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = CreateProfileParams;
    type Output = ProfileOutput;
    async fn call(call: Call, p: CreateProfileParams) -> Result<ProfileOutput, ToolError> {
        let new = NewProfile {
            org_id: org_id(&p.org_id)?,
            kind: p.kind.into(),
            name: p.name,
            scope: scope(p.functions)?,
        };
        let profile = with_store(&call, move |s, by| s.create_profile(&new, by)).await?;
        Ok(ProfileOutput { profile })
    }
}

// ---------------------------------------------------------------- clone_profile

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloneProfileParams {
    /// The profile to copy (prof_…).
    pub profile_id: String,
    /// Name of the copy.
    pub name: String,
    /// Kind of the copy (default: the source's kind), e.g. target to start a Target Profile
    /// from the Current one.
    pub kind: Option<KindParam>,
}

pub struct CloneProfileTool;
impl CsfTool for CloneProfileTool {
    const META: ToolMeta = ToolMeta {
        name: "clone_profile",
        title: "Clone a profile",
        description: "Copy a profile with all its assessment entries into a new profile of the \
            same organization (e.g. a Target Profile that starts from the Current one).",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = CloneProfileParams;
    type Output = ProfileOutput;
    async fn call(call: Call, p: CloneProfileParams) -> Result<ProfileOutput, ToolError> {
        let id = profile_id(&p.profile_id)?;
        let spec = CloneProfile {
            name: p.name,
            kind: p.kind.map(Into::into),
        };
        let profile = with_store(&call, move |s, by| s.clone_profile(&id, &spec, by)).await?;
        Ok(ProfileOutput { profile })
    }
}

// ---------------------------------------------------------------- archive_profile

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchiveParams {
    pub profile_id: String,
    /// true to archive (read-only, hidden from default listings), false to restore.
    pub archived: bool,
}

pub struct ArchiveProfile;
impl CsfTool for ArchiveProfile {
    const META: ToolMeta = ToolMeta {
        name: "archive_profile",
        title: "Archive or restore a profile",
        description: "Archive a profile (read-only, hidden from default listings) or restore it.",
        class: ToolClass::Write,
        idempotent: true,
    };
    type Params = ArchiveParams;
    type Output = ProfileOutput;
    async fn call(call: Call, p: ArchiveParams) -> Result<ProfileOutput, ToolError> {
        let id = profile_id(&p.profile_id)?;
        let profile =
            with_store(&call, move |s, _| s.set_profile_archived(&id, p.archived)).await?;
        Ok(ProfileOutput { profile })
    }
}

// ---------------------------------------------------------------- list_profiles

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListProfilesParams {
    /// Only this organization's profiles.
    pub org_id: Option<String>,
    /// Only this kind.
    pub kind: Option<KindParam>,
    /// Include archived profiles (default false).
    #[serde(default)]
    pub include_archived: bool,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ProfilesOutput {
    pub profiles: Vec<Profile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

pub struct ListProfiles;
impl CsfTool for ListProfiles {
    const META: ToolMeta = ToolMeta {
        name: "list_profiles",
        title: "List profiles",
        description: "Profiles, optionally of one organization or kind, in creation order.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ListProfilesParams;
    type Output = ProfilesOutput;
    async fn call(call: Call, p: ListProfilesParams) -> Result<ProfilesOutput, ToolError> {
        let filter = ProfileFilter {
            org_id: p.org_id.as_deref().map(org_id).transpose()?,
            kind: p.kind.map(Into::into),
            include_archived: p.include_archived,
        };
        let req = page(p.limit, p.cursor.as_ref())?;
        let Page { items, next_cursor } =
            with_store(&call, move |s, _| s.list_profiles(&filter, &req)).await?;
        Ok(ProfilesOutput {
            profiles: items,
            next_cursor,
        })
    }
}
