//! [`Audited`]: the backend every [`SqlStore`](super::SqlStore) writes through. Plain, it
//! passes transactions on unchanged; holding a [`PendingAudit`], it appends that row inside
//! the first write transaction that commits, so the change and its audit row are one commit.

use std::sync::Arc;

use super::{audit, Backend, Tx};
use crate::audit::PendingAudit;
use crate::error::Result;
use crate::ids::{OrgId, ProfileId};

pub(crate) struct Audited<B> {
    /// Shared with every view of the same store: one pool of connections.
    pub(crate) inner: Arc<B>,
    pending: Option<Arc<PendingAudit>>,
}

impl<B> Audited<B> {
    pub(crate) fn plain(inner: B) -> Self {
        Audited {
            inner: Arc::new(inner),
            pending: None,
        }
    }

    /// The same backend, carrying `pending` into its next committed write.
    pub(crate) fn with(&self, pending: Arc<PendingAudit>) -> Self {
        Audited {
            inner: Arc::clone(&self.inner),
            pending: Some(pending),
        }
    }
}

impl<B: Backend> Backend for Audited<B> {
    const NAME: &'static str = B::NAME;
    const FOR_UPDATE: &'static str = B::FOR_UPDATE;

    fn write<T>(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<T>) -> Result<T> {
        // Only the first committed write carries the row: a call is audited once.
        let Some(pending) = self.pending.as_deref().filter(|p| !p.is_committed()) else {
            return self.inner.write(f);
        };
        let out = self.inner.write(&mut |tx| {
            let out = f(tx)?;
            audit::insert(tx, &pending.event())?;
            Ok(out)
        })?;
        pending.mark_committed();
        Ok(out)
    }

    fn read<T>(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.inner.read(f)
    }

    fn attribute(&self, org: Option<&OrgId>, profile: Option<&ProfileId>) {
        if let Some(p) = self.pending.as_deref().filter(|p| !p.is_committed()) {
            p.attribute(org, profile);
        }
    }
}
