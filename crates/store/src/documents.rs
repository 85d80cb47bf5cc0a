//! Generated documents (reports, exports): kept as rendered so a client can read one later as
//! a resource, whatever its size, instead of receiving it inline in a tool result.

use crate::ids::{DocumentId, OrgId, ProfileId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Largest document kept, in bytes (16 MiB): far above any report of a whole profile.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

/// A document to keep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDocument {
    /// The organization it describes, if any.
    pub org_id: Option<OrgId>,
    /// The profile it describes, if any.
    pub profile_id: Option<ProfileId>,
    /// What it is, e.g. `executive report` or `csv export` (1..=100 characters).
    pub kind: String,
    /// Its MIME type, e.g. `text/html` (1..=100 characters).
    pub media_type: String,
    /// Its title (1..=200 characters).
    pub title: String,
    /// The document itself, at most [`MAX_DOCUMENT_BYTES`].
    pub content: String,
}

/// A kept document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDocument {
    /// Its id (`doc_` + ULID).
    pub id: DocumentId,
    /// The organization it describes, if any.
    pub org_id: Option<OrgId>,
    /// The profile it describes, if any.
    pub profile_id: Option<ProfileId>,
    /// What it is.
    pub kind: String,
    /// Its MIME type.
    pub media_type: String,
    /// Its title.
    pub title: String,
    /// When it was kept.
    pub created_at: Timestamp,
    /// Who asked for it.
    pub created_by: String,
    /// The document itself.
    pub content: String,
}
