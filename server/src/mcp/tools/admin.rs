//! The audit trail and the destructive tools. Destructive tools need `confirm` equal to the id
//! they act on, so a model cannot delete by accident; every call is audited.

use csf_store::{AuditFilter, AuditRecord, Page, Removed};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::store_call::{org_id, page, profile_id, time_arg, with_store};
use crate::mcp::error::{check_len, ToolError};
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

fn confirmed(id: &str, confirm: &str) -> Result<(), ToolError> {
    if confirm.trim() != id.trim() {
        return Err(ToolError::InvalidValue(format!(
            "not confirmed: set `confirm` to exactly `{}` to proceed; nothing was deleted",
            id.trim().chars().take(64).collect::<String>()
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------- get_audit_trail

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// Only calls naming this organization.
    pub org_id: Option<String>,
    /// Only calls by this principal.
    pub principal: Option<String>,
    /// Only calls of this tool.
    pub tool: Option<String>,
    /// Only calls at or after this time (RFC 3339).
    pub since: Option<String>,
    /// Rows per page, 1–200 (default 50); newest first.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AuditOutput {
    pub records: Vec<AuditRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

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
    type Params = AuditParams;
    type Output = AuditOutput;
    async fn call(call: Call, p: AuditParams) -> Result<AuditOutput, ToolError> {
        for (f, v) in [("principal", &p.principal), ("tool", &p.tool)] {
            if let Some(v) = v {
                check_len(f, v, 200)?;
            }
        }
        let since = time_arg("since", p.since.as_deref())?;
        let filter = AuditFilter {
            org_id: p.org_id.as_deref().map(org_id).transpose()?,
            principal: p.principal,
            tool: p.tool,
            since,
        };
        let req = page(p.limit, p.cursor.as_ref())?;
        let Page { items, next_cursor } =
            with_store(&call, move |s, _| s.audit_trail(&filter, &req)).await?;
        Ok(AuditOutput {
            records: items,
            next_cursor,
        })
    }
}

// ---------------------------------------------------------------- delete_profile

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteProfileParams {
    pub profile_id: String,
    /// Must equal `profile_id`: the explicit confirmation.
    pub confirm: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RemovedOutput {
    pub removed: Removed,
    pub note: String,
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
    type Params = DeleteProfileParams;
    type Output = RemovedOutput;
    async fn call(call: Call, p: DeleteProfileParams) -> Result<RemovedOutput, ToolError> {
        confirmed(&p.profile_id, &p.confirm)?;
        let id = profile_id(&p.profile_id)?;
        let removed = with_store(&call, move |s, _| s.delete_profile(&id)).await?;
        Ok(RemovedOutput {
            removed,
            note: "Deleted. The audit trail records this call.".into(),
        })
    }
}

// ---------------------------------------------------------------- reset_organization_data

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetParams {
    pub org_id: String,
    /// Must equal `org_id`: the explicit confirmation.
    pub confirm: String,
    /// Also delete the organization record itself (default false: keep it, empty).
    #[serde(default)]
    pub delete_organization: bool,
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
    type Params = ResetParams;
    type Output = RemovedOutput;
    async fn call(call: Call, p: ResetParams) -> Result<RemovedOutput, ToolError> {
        confirmed(&p.org_id, &p.confirm)?;
        let id = org_id(&p.org_id)?;
        let delete_org = p.delete_organization;
        let removed = with_store(&call, move |s, _| {
            if delete_org {
                s.delete_organization(&id)
            } else {
                s.reset_organization_data(&id)
            }
        })
        .await?;
        Ok(RemovedOutput {
            removed,
            note: "Deleted. The audit trail records this call.".into(),
        })
    }
}
