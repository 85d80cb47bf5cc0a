//! Running store calls from tool handlers: off the async workers, with store errors turned
//! into tool errors the model can act on.

use csf_store::{PageRequest, Store, StoreError};

use crate::mcp::error::ToolError;
use crate::mcp::registry::Call;

impl From<StoreError> for ToolError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => ToolError::NotFound(e.to_string()),
            StoreError::Conflict { .. } | StoreError::Invalid { .. } => {
                ToolError::InvalidValue(e.to_string())
            }
            StoreError::Backend { .. } => {
                ToolError::Internal(crate::public_error::store_message(&e))
            }
        }
    }
}

/// Runs `f` against the store on the blocking pool.
pub async fn with_store<T, F>(call: &Call, f: F) -> Result<T, ToolError>
where
    T: Send + 'static,
    F: FnOnce(&dyn Store, &str) -> csf_store::Result<T> + Send + 'static,
{
    let ctx = call.ctx.clone();
    let principal = call.principal.clone();
    let audit = call.audit.clone();
    tokio::task::spawn_blocking(move || {
        let store = ctx.store()?;
        // A write tool's store commits its audit row with the first write.
        let store = match audit {
            Some(pending) => store.audited(pending),
            None => store,
        };
        f(store.as_ref(), &principal)
    })
    .await
    .map_err(|e| ToolError::Internal(crate::public_error::task_message(&e)))?
    .map_err(ToolError::from)
}

/// A store page request from a tool's `limit` (1–200, default 50) and `cursor`.
pub fn page(limit: Option<u32>, cursor: Option<&String>) -> Result<PageRequest, ToolError> {
    let limit = crate::mcp::cursor::limit(limit, 50, 200)? as u32;
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

/// An optional RFC 3339 time argument (`as_of`, `since`), refused with an example when malformed.
pub fn time_arg(
    field: &str,
    value: Option<&str>,
) -> Result<Option<csf_store::Timestamp>, ToolError> {
    value
        .map(|t| {
            chrono::DateTime::parse_from_rfc3339(t.trim())
                .map(|d| d.with_timezone(&chrono::Utc))
                .map_err(|_| {
                    ToolError::InvalidValue(format!(
                        "{field} `{}` is not an RFC 3339 time like 2026-06-30T00:00:00Z",
                        t.chars().take(40).collect::<String>()
                    ))
                })
        })
        .transpose()
}
