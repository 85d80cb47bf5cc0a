//! What every request handler can reach: the store (opened on first use, so start-up stays
//! fast and a catalog-only session never touches the disk) and the local principal name.

use std::sync::{Arc, Mutex};

use csf_store::{Store, StoreError};

pub struct Context {
    db_target: String,
    store: Mutex<Option<Arc<dyn Store>>>,
    /// Who a stdio session acts as (recorded in history and the audit trail).
    pub local_principal: String,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("db", &csf_store::redact_target(&self.db_target))
            .field("local_principal", &self.local_principal)
            .finish()
    }
}

impl Context {
    /// A context whose store is opened from `db_target` (path, `:memory:` or postgres URL) the
    /// first time a tool needs it.
    pub fn new(db_target: impl Into<String>, local_principal: impl Into<String>) -> Self {
        Context {
            db_target: db_target.into(),
            store: Mutex::new(None),
            local_principal: local_principal.into(),
        }
    }

    /// A context around an already open store (tests, benches).
    pub fn with_store(store: Arc<dyn Store>, local_principal: impl Into<String>) -> Self {
        Context {
            db_target: String::from("(provided)"),
            store: Mutex::new(Some(store)),
            local_principal: local_principal.into(),
        }
    }

    /// A private in-memory database (tests).
    pub fn in_memory() -> Result<Self, StoreError> {
        Ok(Self::with_store(csf_store::open(":memory:")?, "test"))
    }

    /// The store, opening it on first use. Blocking: call from `spawn_blocking`.
    pub fn store(&self) -> Result<Arc<dyn Store>, StoreError> {
        let mut slot = self.store.lock().map_err(|_| StoreError::Invalid {
            field: "store".into(),
            reason: "an earlier store call panicked; restart the server".into(),
        })?;
        if let Some(s) = slot.as_ref() {
            return Ok(s.clone());
        }
        let store = csf_store::open(&self.db_target)?;
        tracing::info!(db = %csf_store::redact_target(&self.db_target), backend = store.backend_name(), "store opened");
        *slot = Some(store.clone());
        Ok(store)
    }

    /// The store if it was opened already (readiness probes, shutdown).
    pub fn opened_store(&self) -> Option<Arc<dyn Store>> {
        self.store.lock().ok().and_then(|s| s.clone())
    }
}
