//! Organizations and profiles: create, list, clone, archive.

use csf_domain::orgs::{
    ArchiveProfile as ArchiveRequest, CloneProfileRequest, CreateOrganization as CreateOrgRequest,
    CreateProfile as CreateProfileRequest, ListOrganizations as ListOrgsRequest,
    ListProfiles as ListProfilesRequest, OrgOutput, OrgsOutput, ProfileOutput, ProfilesOutput,
};

use crate::mcp::error::ToolError;
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

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
    type Params = CreateOrgRequest;
    type Output = OrgOutput;
    async fn call(call: Call, p: CreateOrgRequest) -> Result<OrgOutput, ToolError> {
        Ok(call.service.create_organization(&call.actor, p).await?)
    }
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
    type Params = ListOrgsRequest;
    type Output = OrgsOutput;
    async fn call(call: Call, p: ListOrgsRequest) -> Result<OrgsOutput, ToolError> {
        Ok(call.service.list_organizations(p).await?)
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
    type Params = CreateProfileRequest;
    type Output = ProfileOutput;
    async fn call(call: Call, p: CreateProfileRequest) -> Result<ProfileOutput, ToolError> {
        Ok(call.service.create_profile(&call.actor, p).await?)
    }
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
    type Params = CloneProfileRequest;
    type Output = ProfileOutput;
    async fn call(call: Call, p: CloneProfileRequest) -> Result<ProfileOutput, ToolError> {
        Ok(call.service.clone_profile(&call.actor, p).await?)
    }
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
    type Params = ArchiveRequest;
    type Output = ProfileOutput;
    async fn call(call: Call, p: ArchiveRequest) -> Result<ProfileOutput, ToolError> {
        Ok(call.service.archive_profile(&call.actor, p).await?)
    }
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
    type Params = ListProfilesRequest;
    type Output = ProfilesOutput;
    async fn call(call: Call, p: ListProfilesRequest) -> Result<ProfilesOutput, ToolError> {
        Ok(call.service.list_profiles(p).await?)
    }
}
