//! The audit trail and the destructive operations. A destructive operation needs `confirm`
//! equal to the id it acts on, so nothing is deleted by accident; every call is audited.

use std::sync::Arc;

use csf_store::{AuditFilter, AuditRecord, Page, Removed};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::assessment::read::time_arg;
use crate::error::{check_len, Error, Result};
use crate::orgs::{org_id, profile_id};
use crate::paging::page;
use crate::service::{Actor, Service};

fn confirmed(id: &str, confirm: &str) -> Result<()> {
    if confirm.trim() != id.trim() {
        return Err(Error::Invalid(format!(
            "not confirmed: set `confirm` to exactly `{}` to proceed; nothing was deleted",
            id.trim().chars().take(64).collect::<String>()
        )));
    }
    Ok(())
}

/// Which audit rows to read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditRequest {
    /// Only calls concerning this organization (org_…).
    pub org_id: Option<String>,
    /// Only calls concerning this profile (prof_…).
    pub profile_id: Option<String>,
    /// Only calls by this principal.
    pub principal: Option<String>,
    /// Only calls of this tool.
    pub tool: Option<String>,
    /// Only calls at or after this time (RFC 3339).
    pub since: Option<String>,
    /// Only calls before this time (RFC 3339).
    pub until: Option<String>,
    /// Rows per page, 1–200 (default 50); newest first.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Audit rows, newest first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AuditOutput {
    pub records: Vec<AuditRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A profile to delete.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteProfileRequest {
    pub profile_id: String,
    /// Must equal `profile_id`: the explicit confirmation.
    pub confirm: String,
}

/// An organization whose data to delete.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub org_id: String,
    /// Must equal `org_id`: the explicit confirmation.
    pub confirm: String,
    /// Also delete the organization record itself (default false: keep it, empty).
    #[serde(default)]
    pub delete_organization: bool,
}

/// What a destructive operation removed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RemovedOutput {
    pub removed: Removed,
    pub note: String,
}

const DELETED: &str = "Deleted. The audit trail records this call.";

impl Service {
    /// Audit rows, newest first, one page.
    pub async fn audit_trail(self: &Arc<Self>, req: AuditRequest) -> Result<AuditOutput> {
        for (f, v) in [("principal", &req.principal), ("tool", &req.tool)] {
            if let Some(v) = v {
                check_len(f, v, 200)?;
            }
        }
        let filter = AuditFilter {
            since: time_arg("since", req.since.as_deref())?,
            until: time_arg("until", req.until.as_deref())?,
            org_id: req.org_id.as_deref().map(org_id).transpose()?,
            profile_id: req.profile_id.as_deref().map(profile_id).transpose()?,
            principal: req.principal,
            tool: req.tool,
        };
        let req = page(req.limit, req.cursor.as_ref())?;
        let Page { items, next_cursor } = self
            .read(move |s| Ok(s.audit_trail(&filter, &req)?))
            .await?;
        Ok(AuditOutput {
            records: items,
            next_cursor,
        })
    }

    /// Deletes a profile with everything recorded in it.
    pub async fn delete_profile(
        self: &Arc<Self>,
        actor: &Actor,
        req: DeleteProfileRequest,
    ) -> Result<RemovedOutput> {
        confirmed(&req.profile_id, &req.confirm)?;
        let id = profile_id(&req.profile_id)?;
        let removed = self
            .write(actor, move |s, _| Ok(s.delete_profile(&id)?))
            .await?;
        Ok(RemovedOutput {
            removed,
            note: DELETED.into(),
        })
    }

    /// Deletes every profile of an organization (and, if asked, the organization).
    pub async fn reset_organization_data(
        self: &Arc<Self>,
        actor: &Actor,
        req: ResetRequest,
    ) -> Result<RemovedOutput> {
        confirmed(&req.org_id, &req.confirm)?;
        let id = org_id(&req.org_id)?;
        let delete_org = req.delete_organization;
        let removed = self
            .write(actor, move |s, _| {
                Ok(if delete_org {
                    s.delete_organization(&id)?
                } else {
                    s.reset_organization_data(&id)?
                })
            })
            .await?;
        Ok(RemovedOutput {
            removed,
            note: DELETED.into(),
        })
    }
}
