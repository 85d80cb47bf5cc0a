//! Generated documents kept by the store, so a report (or an export) leaves the tool as a
//! document a client can read again later as the resource `csf://report/{id}`, whatever its
//! size.

use std::sync::Arc;

use csf_store::{DocumentId, NewDocument, StoredDocument};

use crate::error::{check_len, Error, Result};
use crate::service::{Actor, Service};

/// Resource URI of a kept document: this prefix and the document id.
pub const DOCUMENT_URI_PREFIX: &str = "csf://report/";

/// Largest document embedded in a tool result; larger ones are kept and linked, and read as
/// the resource.
pub const MAX_INLINE_BYTES: usize = 200_000;

/// The resource URI of a kept document.
pub fn document_uri(id: &DocumentId) -> String {
    format!("{DOCUMENT_URI_PREFIX}{id}")
}

/// A document id from its URI's tail, with a message naming what is valid.
fn document_id(input: &str) -> Result<DocumentId> {
    check_len("document id", input, 64)?;
    DocumentId::parse(input.trim()).map_err(|e| {
        Error::NotFound(format!(
            "{e}; kept documents are read as {DOCUMENT_URI_PREFIX}doc_… (the uri a report \
             returned)"
        ))
    })
}

impl Service {
    /// Keeps a generated document under a new id.
    pub(crate) async fn keep_document(
        self: &Arc<Self>,
        actor: &Actor,
        doc: NewDocument,
    ) -> Result<StoredDocument> {
        self.write(actor, move |s, by| Ok(s.save_document(&doc, by)?))
            .await
    }

    /// A kept document by id (`doc_…`).
    pub async fn document(self: &Arc<Self>, id: &str) -> Result<StoredDocument> {
        let id = document_id(id)?;
        self.read(move |s| Ok(s.get_document(&id)?)).await
    }
}
