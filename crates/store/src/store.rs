//! The [`Store`] trait: what every backend offers (see [`crate::open`] for picking one).

use crate::assessment::{
    AssessmentEntry, EntryFilter, EntryInput, EntryWrite, HistoryRecord, QuickAnswer,
    QuickAnswerInput,
};
use crate::audit::{AuditEvent, AuditFilter, AuditRecord, PendingAudit};
use crate::campaigns::{
    AnswerInput, CampaignAnswer, CampaignChange, CampaignEvent, NewCampaign, StoredCampaign,
};
use crate::documents::{NewDocument, StoredDocument};
use crate::error::Result;
use crate::evidence::{EvidenceItem, EvidencePatch, NewEvidence};
use crate::ids::{CampaignId, DocumentId, EvidenceId, OrgId, ProfileId};
use crate::plans::{NewPlan, StoredPlan};
use crate::records::{
    CloneProfile, NewOrganization, NewProfile, Organization, Page, PageRequest, Profile,
    ProfileFilter, Removed,
};
use crate::time::Timestamp;
use std::sync::Arc;

/// Persistence of organizations, profiles, assessment entries (with history), quick answers,
/// implementation plans and the audit trail.
///
/// Every method blocks (disk or network I/O, possibly waiting for another process's write
/// lock): from async code call it inside `tokio::task::spawn_blocking`. Implementations are
/// `Send + Sync`; share one store as `Arc<dyn Store>`.
///
/// `by` is the principal recorded as author (1..=200 characters on one line).
pub trait Store: Send + Sync {
    /// "sqlite" or "postgres".
    fn backend_name(&self) -> &'static str;
    /// Runs a trivial query (readiness probe).
    fn health_check(&self) -> Result<()>;

    /// Creates an organization.
    fn create_organization(&self, org: &NewOrganization) -> Result<Organization>;
    /// Reads an organization.
    fn get_organization(&self, id: &OrgId) -> Result<Organization>;
    /// Lists organizations in creation (id) order.
    fn list_organizations(&self, page: &PageRequest) -> Result<Page<Organization>>;
    /// Replaces an organization's fields (name, sector, size, declared tiers, note).
    fn update_organization(&self, id: &OrgId, org: &NewOrganization) -> Result<Organization>;
    /// Deletes all profiles of the organization with their entries, history, quick answers and
    /// plans, and its evidence register; keeps the organization and the audit trail.
    fn reset_organization_data(&self, id: &OrgId) -> Result<Removed>;
    /// As `reset_organization_data`, then deletes the organization itself.
    fn delete_organization(&self, id: &OrgId) -> Result<Removed>;

    /// Creates an empty profile in an existing organization.
    fn create_profile(&self, profile: &NewProfile, by: &str) -> Result<Profile>;
    /// Reads a profile.
    fn get_profile(&self, id: &ProfileId) -> Result<Profile>;
    /// Lists profiles in creation (id) order; archived ones only if the filter asks.
    fn list_profiles(&self, filter: &ProfileFilter, page: &PageRequest) -> Result<Page<Profile>>;
    /// Creates a new profile in the source's organization with a copy of every entry
    /// (version 1, one `cloned` history row each). Archived sources may be cloned.
    fn clone_profile(&self, source: &ProfileId, spec: &CloneProfile, by: &str) -> Result<Profile>;
    /// Archives (read-only, hidden from default listings) or unarchives a profile.
    fn set_profile_archived(&self, id: &ProfileId, archived: bool) -> Result<Profile>;
    /// Deletes a profile with its entries, history and quick answers, every plan that names it
    /// as current or target profile, and the evidence links into it (the items stay).
    fn delete_profile(&self, id: &ProfileId) -> Result<Removed>;

    /// Records 1..=1000 entries in one transaction: all land or none does. Each input replaces
    /// the whole entry; see the crate docs for versions, `expected_version` and history.
    fn record_entries(
        &self,
        profile: &ProfileId,
        entries: &[EntryInput],
        by: &str,
    ) -> Result<Vec<EntryWrite>>;
    /// What `record_entries` would do right now (created / updated / unchanged per row, or
    /// the error it would return), without writing anything: for dry-run imports. A later
    /// `record_entries` may still differ if someone writes in between; pass the versions
    /// seen here as `expected_version` to make that a conflict.
    fn preview_entries(
        &self,
        profile: &ProfileId,
        entries: &[EntryInput],
    ) -> Result<Vec<EntryWrite>>;
    /// Reads one entry.
    fn get_entry(&self, profile: &ProfileId, subcategory_id: &str) -> Result<AssessmentEntry>;
    /// Lists entries in subcategory id order.
    fn list_entries(
        &self,
        profile: &ProfileId,
        filter: &EntryFilter,
        page: &PageRequest,
    ) -> Result<Page<AssessmentEntry>>;
    /// The profile's entries as they were at `at` (from history; empty before the first write).
    fn entries_as_of(&self, profile: &ProfileId, at: Timestamp) -> Result<Vec<AssessmentEntry>>;
    /// History rows of the profile (or of one entry), oldest first.
    fn entry_history(
        &self,
        profile: &ProfileId,
        subcategory_id: Option<&str>,
        page: &PageRequest,
    ) -> Result<Page<HistoryRecord>>;

    /// Stores function-level quick-assessment answers (one per function; a new answer
    /// replaces the old one) and returns all of the profile's answers.
    fn record_quick_answers(
        &self,
        profile: &ProfileId,
        answers: &[QuickAnswerInput],
        by: &str,
    ) -> Result<Vec<QuickAnswer>>;
    /// The profile's quick-assessment answers in function id order.
    fn quick_answers(&self, profile: &ProfileId) -> Result<Vec<QuickAnswer>>;

    /// Creates a plan at revision 1. The organization and both profiles must exist
    /// (`NotFound`) and the profiles must belong to the organization (`Invalid`). An id already
    /// in use is a `Conflict` with `expected` 0 and `actual` the stored revision.
    fn create_plan(&self, plan: &NewPlan, by: &str) -> Result<StoredPlan>;
    /// Reads a plan.
    fn get_plan(&self, id: &str) -> Result<StoredPlan>;
    /// Lists plans (of one organization, or all) in creation order.
    fn list_plans(&self, org_id: Option<&OrgId>, page: &PageRequest) -> Result<Page<StoredPlan>>;
    /// Replaces a plan's body if its revision is still `expected_revision` (compare-and-set),
    /// bumping the revision by one; otherwise fails with `Conflict` naming the current
    /// revision and stores nothing.
    fn update_plan(
        &self,
        id: &str,
        expected_revision: i64,
        body: &serde_json::Value,
        by: &str,
    ) -> Result<StoredPlan>;

    /// Registers an evidence item of an existing organization (metadata only: the location is
    /// never opened; a local filesystem path is refused as `Invalid`).
    fn create_evidence(&self, new: &NewEvidence, by: &str) -> Result<EvidenceItem>;
    /// Reads an evidence item with its links.
    fn get_evidence(&self, id: &EvidenceId) -> Result<EvidenceItem>;
    /// Lists an organization's evidence items (only those linked to `profile`, if given) in
    /// creation order, each with all its links.
    fn list_evidence(
        &self,
        org_id: &OrgId,
        profile: Option<&ProfileId>,
        page: &PageRequest,
    ) -> Result<Page<EvidenceItem>>;
    /// Changes an item's fields (absent keep, `Clear` empties); the result must keep a
    /// location or a hash, and a review date not before the collection date.
    fn update_evidence(
        &self,
        id: &EvidenceId,
        patch: &EvidencePatch,
        by: &str,
    ) -> Result<EvidenceItem>;
    /// Deletes an item and its links (never the entries it was linked to); returns it as it was.
    fn delete_evidence(&self, id: &EvidenceId) -> Result<EvidenceItem>;
    /// Links an item to subcategories of one profile of its organization (links already there
    /// stay as they are).
    fn link_evidence(
        &self,
        id: &EvidenceId,
        profile: &ProfileId,
        subcategory_ids: &[String],
        by: &str,
    ) -> Result<EvidenceItem>;
    /// Removes links; each named link must exist, else nothing is removed (`Invalid`).
    fn unlink_evidence(
        &self,
        id: &EvidenceId,
        profile: &ProfileId,
        subcategory_ids: &[String],
        by: &str,
    ) -> Result<EvidenceItem>;
    /// Keeps a generated document (report, export) under a new id. The profile, when named,
    /// must exist; the document is deleted with it.
    fn save_document(&self, doc: &NewDocument, by: &str) -> Result<StoredDocument>;
    /// Reads a kept document.
    fn get_document(&self, id: &DocumentId) -> Result<StoredDocument>;
    /// Creates a campaign on a writable profile (version 1, one `created` log line).
    fn create_campaign(&self, campaign: &NewCampaign, by: &str) -> Result<StoredCampaign>;
    /// Reads a campaign.
    fn get_campaign(&self, id: &CampaignId) -> Result<StoredCampaign>;
    /// Lists campaigns (of one profile, or all) in creation order.
    fn list_campaigns(
        &self,
        profile: Option<&ProfileId>,
        page: &PageRequest,
    ) -> Result<Page<StoredCampaign>>;
    /// Applies a change if the campaign's version is still `change.expected_version`
    /// (otherwise `Conflict`, nothing stored): new state and settings, the answer rows and
    /// profile entries it carries, and a log line, in one transaction.
    fn change_campaign(
        &self,
        id: &CampaignId,
        change: &CampaignChange,
        by: &str,
    ) -> Result<(StoredCampaign, Vec<EntryWrite>)>;
    /// Writes answer rows (one per question; a new answer to a question replaces its row and
    /// bumps its revision) and logs each, if the campaign's state is one of `states`.
    fn put_campaign_answers(
        &self,
        id: &CampaignId,
        states: &[&str],
        answers: &[AnswerInput],
        by: &str,
    ) -> Result<Vec<CampaignAnswer>>;
    /// A campaign's answer rows in question id order.
    fn campaign_answers(&self, id: &CampaignId) -> Result<Vec<CampaignAnswer>>;
    /// A campaign's log, oldest first.
    fn campaign_events(&self, id: &CampaignId, page: &PageRequest) -> Result<Page<CampaignEvent>>;

    /// Appends an audit row (never fails on over-long text: it is truncated).
    fn append_audit(&self, event: &AuditEvent) -> Result<AuditRecord>;
    /// A view of this store (same database and connections) whose first committed write also
    /// appends `pending`'s row in that same transaction: the change and its audit row are
    /// stored together or not at all. Later writes through the view carry no row. Afterwards,
    /// if `pending.is_committed()` is false nothing was written through the view, and the
    /// caller records the outcome with `append_audit`. Write through one view one call at a
    /// time: two concurrent first writes could both carry the row.
    fn audited(&self, pending: Arc<PendingAudit>) -> Arc<dyn Store>;
    /// Audit rows, newest first.
    fn audit_trail(&self, filter: &AuditFilter, page: &PageRequest) -> Result<Page<AuditRecord>>;
}
