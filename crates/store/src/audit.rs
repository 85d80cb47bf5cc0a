//! The append-only audit trail of write tool calls.

use crate::ids::{OrgId, ProfileId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Whether the audited call succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditResult {
    /// The call succeeded.
    Ok,
    /// The call failed (the reason is in `detail`).
    Error,
}

/// What a caller appends. Over-long text is truncated (with a marker), never refused: an audit
/// write must not fail because of the call it records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditEvent {
    /// The tool (or operation) name, e.g. `record_assessment`; up to 100 characters kept.
    pub tool: String,
    /// Who called it (token subject, `stdio`, …); up to 200 characters kept.
    pub principal: String,
    /// The organization concerned, if any (kept as text: the row outlives the organization).
    pub org_id: Option<OrgId>,
    /// The profile concerned, if any (kept as text: the row outlives the profile).
    #[serde(default)]
    pub profile_id: Option<ProfileId>,
    /// A summary of the arguments (never secrets); up to 4,000 characters kept.
    pub args_summary: String,
    /// Ok or error.
    pub result: AuditResult,
    /// A short outcome ("recorded 12 entries") or the error message; up to 4,000 characters kept.
    pub detail: Option<String>,
}

/// A stored audit row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditRecord {
    /// Global, increasing sequence number.
    pub seq: i64,
    /// When it was appended.
    pub at: Timestamp,
    /// Tool name.
    pub tool: String,
    /// Caller.
    pub principal: String,
    /// Organization concerned.
    pub org_id: Option<OrgId>,
    /// Profile concerned.
    pub profile_id: Option<ProfileId>,
    /// Arguments summary.
    pub args_summary: String,
    /// Ok or error.
    pub result: AuditResult,
    /// Outcome or error message.
    pub detail: Option<String>,
}

/// Which audit rows to list (newest first).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditFilter {
    /// Only this organization.
    pub org_id: Option<OrgId>,
    /// Only this profile.
    #[serde(default)]
    pub profile_id: Option<ProfileId>,
    /// Only this principal.
    pub principal: Option<String>,
    /// Only this tool.
    pub tool: Option<String>,
    /// Only rows at or after this time.
    pub since: Option<Timestamp>,
    /// Only rows before this time.
    #[serde(default)]
    pub until: Option<Timestamp>,
}

/// An audit row that travels with its call's write. A store view from
/// [`Store::audited`](crate::Store::audited) appends it inside the transaction of the first
/// write that commits through the view, so a change and the row that records it are stored
/// together or not at all (a crash between two separate commits would otherwise leave a stored
/// change nobody audited).
#[derive(Debug)]
pub struct PendingAudit {
    event: Mutex<AuditEvent>,
    committed: AtomicBool,
}

impl PendingAudit {
    /// A row not yet written. `event.result` should say `Ok`: it is only committed with a
    /// write that succeeded.
    pub fn new(event: AuditEvent) -> Self {
        PendingAudit {
            event: Mutex::new(event),
            committed: AtomicBool::new(false),
        }
    }

    /// The row to write (with the organization and profile the store attributed it to).
    pub fn event(&self) -> AuditEvent {
        match self.event.lock() {
            Ok(e) => e.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Fills the organization and profile the write concerns, where the row names none yet
    /// (the store calls it from inside the write, where it knows them).
    pub(crate) fn attribute(&self, org: Option<&OrgId>, profile: Option<&ProfileId>) {
        let mut e = match self.event.lock() {
            Ok(e) => e,
            Err(poisoned) => poisoned.into_inner(),
        };
        if e.org_id.is_none() {
            e.org_id = org.cloned();
        }
        if e.profile_id.is_none() {
            e.profile_id = profile.cloned();
        }
    }

    /// Whether a write committed this row. If not, nothing was stored through the view, and
    /// the caller appends the outcome itself with [`Store::append_audit`](crate::Store::append_audit).
    pub fn is_committed(&self) -> bool {
        self.committed.load(Ordering::Acquire)
    }

    pub(crate) fn mark_committed(&self) {
        self.committed.store(true, Ordering::Release);
    }
}
