//! What every request handler can reach: the domain service and the local principal name.

use std::sync::Arc;

use csf_domain::Service;
use csf_store::{Store, StoreError};

#[derive(Debug)]
pub struct Context {
    /// The one domain service every tool, resource and prompt calls.
    pub service: Arc<Service>,
    /// Who a stdio session acts as (recorded in history and the audit trail).
    pub local_principal: Arc<str>,
}

impl Context {
    /// A context whose store is opened from `db_target` (path, `:memory:` or postgres URL) the
    /// first time a tool needs it.
    pub fn new(db_target: impl Into<String>, local_principal: impl Into<Arc<str>>) -> Self {
        Context {
            service: Arc::new(Service::new(db_target)),
            local_principal: local_principal.into(),
        }
    }

    /// A context around an already open store (tests, benches).
    pub fn with_store(store: Arc<dyn Store>, local_principal: impl Into<Arc<str>>) -> Self {
        Context {
            service: Arc::new(Service::with_store(store)),
            local_principal: local_principal.into(),
        }
    }

    /// A private in-memory database (tests).
    pub fn in_memory() -> Result<Self, StoreError> {
        Ok(Self::with_store(csf_store::open(":memory:")?, "test"))
    }
}
