//! Running store calls from tool handlers: off the async workers, with store errors turned
//! into tool errors the model can act on.

use csf_store::{PageRequest, Store};

use crate::mcp::error::ToolError;
use crate::mcp::registry::Call;

/// Runs `f` against the store on the blocking pool, for the call's actor.
pub async fn with_store<T, F>(call: &Call, f: F) -> Result<T, ToolError>
where
    T: Send + 'static,
    F: FnOnce(&dyn Store, &str) -> csf_store::Result<T> + Send + 'static,
{
    Ok(call.service.store_call(&call.actor, f).await?)
}

/// A store page request from a tool's `limit` (1–200, default 50) and `cursor`.
pub fn page(limit: Option<u32>, cursor: Option<&String>) -> Result<PageRequest, ToolError> {
    let limit = csf_domain::paging::limit(limit, 50, 200)? as u32;
    Ok(PageRequest {
        limit,
        cursor: cursor.cloned(),
    })
}

pub fn org_id(s: &str) -> Result<csf_store::OrgId, ToolError> {
    csf_store::OrgId::parse(s).map_err(ToolError::from)
}

pub fn profile_id(s: &str) -> Result<csf_store::ProfileId, ToolError> {
    csf_store::ProfileId::parse(s).map_err(ToolError::from)
}
