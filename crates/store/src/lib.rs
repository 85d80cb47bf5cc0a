//! Persistence for nist-csf-mcp: organizations, CSF profiles, assessment entries with full
//! history, function-level quick-assessment answers, implementation plans and an append-only
//! audit trail.
//!
//! The crate knows nothing about MCP and nothing about the CSF catalog: callers validate CSF
//! ids against the catalog first; the store keeps them as strings (checking only their shape).
//!
//! # Backends
//! One [`Store`] trait, two backends sharing one implementation of the logic:
//! - **SQLite** (default): bundled SQLite, WAL, 5 s busy timeout, `synchronous=FULL`. Write
//!   transactions start with `BEGIN IMMEDIATE` and are retried on `SQLITE_BUSY`, so several
//!   processes can write one file without lost updates.
//! - **PostgreSQL**, chosen by a `postgres://` URL, for several replicas sharing state.
//!   Writers of one profile are serialised by a row lock on the profile; commit times come
//!   from the database server's clock. Plain TCP only (no TLS in this build).
//!
//! Migrations are compiled in and applied by [`open`]; the applied versions are recorded in
//! `schema_migrations`. A database written by a newer schema is refused.
//!
//! # Blocking API
//! The trait is synchronous: SQLite is a blocking library and a write may wait for another
//! process's lock, which must not happen on an async worker. From tokio, call the store
//! inside `tokio::task::spawn_blocking` ([`run_blocking`] does it). A synchronous trait is object-safe (`Arc<dyn Store>`)
//! without boxing futures. The PostgreSQL backend drives tokio-postgres on its own I/O thread,
//! so it never panics when called or dropped inside a runtime.
//!
//! # Writes, versions and concurrency
//! - [`Store::record_entries`] writes 1..=1000 entries of one profile in one transaction: if any
//!   row fails (invalid field, conflict, database error) nothing is stored and the error names
//!   the row (`entries[42].notes`).
//! - Each entry has a `version`: 1 when created, +1 on each change. Recording content equal to
//!   the stored content is a no-op (outcome `unchanged`, no new version, no history row).
//! - **Last writer wins** by default: a write replaces the whole entry, and the replaced content
//!   is kept in history, so nothing is lost silently.
//! - **Optimistic check**: set `expected_version` to the version you read (0 = "must not exist
//!   yet"); if the stored version differs, the call fails with [`StoreError::Conflict`]
//!   naming the current version, and the whole batch is rolled back.
//! - **History**: every created, updated or cloned entry appends a row holding the entry before
//!   and after and the names of the changed fields. [`Store::entries_as_of`] rebuilds a
//!   profile at any time from history. All rows of one batch share one commit time.
//! - **Audit**: [`Store::append_audit`] appends; there is no update or delete, and database
//!   triggers refuse UPDATE/DELETE on `audit_log` from any client. A view from
//!   [`Store::audited`] commits a call's row ([`PendingAudit`]) in the transaction of its first
//!   write, so no change is stored without its row.
//! - Archived profiles are read-only until unarchived.
//!
//! # Implementation plans
//! A plan ([`NewPlan`], [`StoredPlan`]) is a JSON object (at most 1 MiB) the caller builds,
//! linking a Current and a Target profile of one organization, under an id the caller
//! chooses (1..=100 of `A-Z a-z 0-9 _ -`). The store does not look inside the body. Each
//! plan has a `revision` (1 when created); [`Store::update_plan`] is compare-and-set: it
//! replaces the body only if the caller passes the current revision, else it fails with
//! [`StoreError::Conflict`] naming the current revision. Creating a plan under a taken id is
//! a `Conflict` with `expected` 0. Plans are listed in creation order and are deleted with
//! either of their profiles and with their organization's data (counted in [`Removed`]).
//!
//! # Example
//! ```
//! use csf_store::{open, EntryInput, ImplementationStatus, NewOrganization, NewProfile,
//!                 ProfileKind, Scope};
//! let store = open(":memory:")?;
//! let org = store.create_organization(&NewOrganization {
//!     name: "Example Co".into(),
//!     ..Default::default()
//! })?;
//! let profile = store.create_profile(
//!     &NewProfile { org_id: org.id, kind: ProfileKind::Current, name: "Today".into(), scope: Scope::All },
//!     "alice",
//! )?;
//! store.record_entries(&profile.id, &[EntryInput::new("GV.OC-01", ImplementationStatus::Partially)], "alice")?;
//! assert_eq!(store.get_entry(&profile.id, "GV.OC-01")?.version, 1);
//! # Ok::<(), csf_store::StoreError>(())
//! ```

mod assessment;
mod audit;
mod blocking;
mod campaigns;
mod documents;
mod error;
mod evidence;
mod ids;
mod patch;
mod plans;
mod pool;
mod postgres;
mod records;
mod scales;
mod sql;
mod sqlite;
mod store;
mod target;
mod time;
mod validate;

pub use assessment::{
    AssessmentEntry, ChangeKind, Confidence, EntryFilter, EntryInput, EntryWrite, EvidenceRef,
    HistoryRecord, ImplementationStatus, Maturity, Priority, QuickAnswer, QuickAnswerInput,
    WriteOutcome,
};
pub use audit::{AuditEvent, AuditFilter, AuditRecord, AuditResult, PendingAudit};
pub use blocking::run_blocking;
pub use campaigns::{
    AnswerInput, AnswerState, CampaignAnswer, CampaignChange, CampaignEvent, NewCampaign,
    StoredCampaign,
};
pub use documents::{NewDocument, StoredDocument, MAX_DOCUMENT_BYTES};
pub use error::{Result, StoreError};
pub use evidence::check::MAX_LOCATION;
pub use evidence::{
    EvidenceItem, EvidenceKind, EvidenceLink, EvidencePatch, NewEvidence, Sensitivity,
    MAX_LINKS_PER_CALL,
};
pub use ids::{CampaignId, DocumentId, EvidenceId, OrgId, ProfileId};
pub use patch::Patch;
pub use plans::{NewPlan, StoredPlan, MAX_PLAN_BODY, MAX_PLAN_ID};
pub use records::{
    CloneProfile, NewOrganization, NewProfile, OrgSize, Organization, Page, PageRequest, Profile,
    ProfileFilter, ProfileKind, Removed, Scope, Tier, DEFAULT_PAGE, MAX_PAGE,
};
pub use store::Store;
pub use target::{check_target, db_path_under, default_db_path, open, redact_target};
pub use time::{now, Timestamp};
pub use validate::{MAX_BATCH, MAX_EVIDENCE};
