//! The audit trail and the destructive tools (they need `confirm` equal to the id they act on).

use csf_domain::admin::{
    AuditOutput, AuditRequest, DeleteProfileRequest, RemovedOutput, ResetRequest,
};

use crate::mcp::error::ToolError;
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

pub struct GetAuditTrail;
impl CsfTool for GetAuditTrail {
    const META: ToolMeta = ToolMeta {
        name: "get_audit_trail",
        title: "Audit trail of changes",
        description: "The append-only audit trail: every call of a write tool (who, when, which \
            tool, a summary of the arguments, ok or error), newest first, filterable.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = AuditRequest;
    type Output = AuditOutput;
    async fn call(call: Call, p: AuditRequest) -> Result<AuditOutput, ToolError> {
        Ok(call.service.audit_trail(p).await?)
    }
}

pub struct DeleteProfile;
impl CsfTool for DeleteProfile {
    const META: ToolMeta = ToolMeta {
        name: "delete_profile",
        title: "Delete a profile (destructive)",
        description: "Permanently delete a profile with its entries, history and quick answers. \
            Requires confirm = profile_id. The audit trail keeps the call.",
        class: ToolClass::Admin,
        idempotent: false,
    };
    type Params = DeleteProfileRequest;
    type Output = RemovedOutput;
    async fn call(call: Call, p: DeleteProfileRequest) -> Result<RemovedOutput, ToolError> {
        Ok(call.service.delete_profile(&call.actor, p).await?)
    }
}

pub struct ResetOrganizationData;
impl CsfTool for ResetOrganizationData {
    const META: ToolMeta = ToolMeta {
        name: "reset_organization_data",
        title: "Reset an organization's data (destructive)",
        description: "Permanently delete every profile of an organization with entries, history \
            and quick answers (and optionally the organization). Requires confirm = org_id. The \
            audit trail keeps the call.",
        class: ToolClass::Admin,
        idempotent: false,
    };
    type Params = ResetRequest;
    type Output = RemovedOutput;
    async fn call(call: Call, p: ResetRequest) -> Result<RemovedOutput, ToolError> {
        Ok(call.service.reset_organization_data(&call.actor, p).await?)
    }
}
