//! The domain service: what every front end (MCP tools, web pages) calls. It holds the store
//! (opened on first use, so a catalog-only session never touches the disk), runs store calls
//! off the async workers, and records every write in the audit trail together with the write.
//! The operations themselves live beside their area (`orgs`, `assessment`, `analysis`, …) as
//! `impl Service` blocks.

use std::sync::{Arc, Mutex};

use csf_store::{Store, StoreError};

use crate::audit::AuditedCall;
use crate::error::{Error, Result};

/// The service. Cheap to share behind an `Arc`; every method takes `&self`.
pub struct Service {
    db_target: String,
    store: Mutex<Option<Arc<dyn Store>>>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("db", &csf_store::redact_target(&self.db_target))
            .finish()
    }
}

/// Who is acting: recorded as author in history, and — for a call that may write — the audit
/// row of the call (see [`Actor::audited`]).
#[derive(Clone, Debug)]
pub struct Actor {
    principal: Arc<str>,
    call: Option<Arc<AuditedCall>>,
}

impl Actor {
    /// A caller of read-only operations (or of writes that need no audit row: tests, tools).
    pub fn new(principal: impl Into<Arc<str>>) -> Self {
        Actor {
            principal: principal.into(),
            call: None,
        }
    }

    /// A caller of an operation that may write: its first committed write also commits one
    /// audit row naming `operation`, the principal and `args_summary` (see
    /// [`crate::audit::summarize_args`]); [`Service::settle`] records the outcome of a call
    /// that wrote nothing or failed.
    /// `org_hint` and `profile_hint` (ids as the caller gave them) attribute the row of a call
    /// that fails before it reaches the store.
    pub fn audited(
        principal: impl Into<Arc<str>>,
        operation: &str,
        args_summary: String,
        org_hint: Option<&str>,
        profile_hint: Option<&str>,
    ) -> Self {
        let principal = principal.into();
        let call = AuditedCall::new(
            operation,
            &principal,
            args_summary,
            (org_hint, profile_hint),
        );
        Actor {
            principal,
            call: Some(Arc::new(call)),
        }
    }

    /// The principal, as recorded in history and the audit trail.
    pub fn principal(&self) -> &str {
        &self.principal
    }

    pub(crate) fn call(&self) -> Option<&Arc<AuditedCall>> {
        self.call.as_ref()
    }
}

impl Service {
    /// A service whose store is opened from `db_target` (a path, `:memory:` or a postgres URL)
    /// the first time an operation needs it.
    pub fn new(db_target: impl Into<String>) -> Self {
        Service {
            db_target: db_target.into(),
            store: Mutex::new(None),
        }
    }

    /// A service around an already open store (tests, benches).
    pub fn with_store(store: Arc<dyn Store>) -> Self {
        Service {
            db_target: String::from("(provided)"),
            store: Mutex::new(Some(store)),
        }
    }

    /// A service on a private in-memory database (tests).
    pub fn in_memory() -> Result<Self> {
        Ok(Self::with_store(csf_store::open(":memory:")?))
    }

    /// The store, opening it on first use. Blocking: called on the blocking pool only.
    fn store(&self) -> Result<Arc<dyn Store>, StoreError> {
        let mut slot = self.store.lock().map_err(|_| StoreError::Backend {
            message: "an earlier store call panicked; restart the server".into(),
            transient: false,
        })?;
        if let Some(s) = slot.as_ref() {
            return Ok(s.clone());
        }
        let store = csf_store::open(&self.db_target)?;
        tracing::info!(
            db = %csf_store::redact_target(&self.db_target),
            backend = store.backend_name(),
            "store opened"
        );
        *slot = Some(store.clone());
        Ok(store)
    }

    /// Runs `f` against the store on the blocking pool (reads).
    pub(crate) async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T> + Send + 'static,
    {
        let this = self.clone();
        blocking(move || f(this.store()?.as_ref())).await
    }

    /// Runs `f` against the store on the blocking pool for a write by `actor`. When the actor
    /// carries an audit row, the store commits it with the first write, naming the
    /// organization and profile the write concerned.
    pub(crate) async fn write<T, F>(self: &Arc<Self>, actor: &Actor, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store, &str) -> Result<T> + Send + 'static,
    {
        let this = self.clone();
        let principal = actor.principal.clone();
        let call = actor.call().cloned();
        blocking(move || {
            let store = this.store()?;
            let store = match call {
                Some(call) => store.audited(call.pending()),
                None => store,
            };
            f(store.as_ref(), &principal)
        })
        .await
    }

    /// Records the outcome of an audited call that did not already commit its row: a failure
    /// (after a failed write nothing is stored; after a committed one the `ok` row says what
    /// was stored and this one why the call still failed), or success without a write (a dry
    /// run). A failure to audit is logged loudly; it cannot undo the call.
    pub async fn settle(self: &Arc<Self>, actor: &Actor, outcome: std::result::Result<(), &str>) {
        let Some(call) = actor.call().cloned() else {
            return;
        };
        let outcome = outcome.map_err(str::to_owned);
        let this = self.clone();
        let done = blocking(move || {
            let store = this.store()?;
            let outcome = outcome.as_ref().map(|_| ()).map_err(String::as_str);
            match call.outcome_row(outcome, store.as_ref()) {
                Some(event) => Ok(Some(store.append_audit(&event)?)),
                None => Ok(None),
            }
        })
        .await;
        if let Err(e) = done {
            tracing::error!(error = %e, "audit row not written");
        }
    }

    /// Whether the store answers (readiness probes). Opens it if needed.
    pub async fn health_check(self: &Arc<Self>) -> Result<()> {
        self.read(|s| Ok(s.health_check()?)).await
    }
}

/// Runs blocking work on tokio's blocking pool; a panic inside (a bug) becomes an error.
async fn blocking<T, F>(f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result,
        Err(e) => {
            tracing::error!(error = %e, "store task failed");
            Err(Error::Unavailable {
                message: "internal error in the store call (see the server log)".into(),
                transient: !e.is_panic(),
            })
        }
    }
}
