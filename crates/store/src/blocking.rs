//! Calling the blocking store from async code.

use crate::error::{Result, StoreError};
use crate::store::Store;
use std::sync::Arc;

/// Runs `f` against the store on tokio's blocking thread pool and awaits its result: the way
/// async code (the MCP handler) should call the store.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> csf_store::Result<()> {
/// let store = csf_store::open(":memory:")?;
/// let page = csf_store::run_blocking(store.clone(), |s| {
///     s.list_organizations(&csf_store::PageRequest::default())
/// })
/// .await?;
/// assert!(page.items.is_empty());
/// # Ok(())
/// # }
/// ```
///
/// A panic inside `f` (a bug) comes back as a [`StoreError::Backend`] instead of unwinding
/// into the caller's task.
pub async fn run_blocking<T, F>(store: Arc<dyn Store>, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&dyn Store) -> Result<T> + Send + 'static,
{
    match tokio::task::spawn_blocking(move || f(&*store)).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => {
            tracing::error!(error = %e, "store call panicked");
            Err(StoreError::Backend {
                message: "internal error in the store (the call panicked; see the log)".into(),
                transient: false,
            })
        }
        Err(e) => Err(StoreError::Backend {
            message: format!("the store call was cancelled: {e}"),
            transient: true,
        }),
    }
}
