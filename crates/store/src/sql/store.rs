//! [`SqlStore`]: the one implementation of [`Store`] over any [`Backend`].

use std::sync::Arc;

use super::audited::Audited;
use super::{
    audit, campaigns, documents, entries, evidence, evidence_links, orgs, plans, profiles, quick,
    Backend,
};
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
use crate::store::Store;
use crate::time::Timestamp;

/// The store over a backend.
pub(crate) struct SqlStore<B: Backend> {
    backend: Audited<B>,
}

impl<B: Backend> SqlStore<B> {
    /// The store over a migrated backend.
    pub(crate) fn new(backend: B) -> Self {
        SqlStore {
            backend: Audited::plain(backend),
        }
    }
}

impl<B: Backend> Store for SqlStore<B> {
    fn backend_name(&self) -> &'static str {
        B::NAME
    }

    fn health_check(&self) -> Result<()> {
        self.backend
            .read(&mut |tx| tx.query("SELECT 1", &[]).map(drop))
    }

    fn create_organization(&self, org: &NewOrganization) -> Result<Organization> {
        orgs::create(&self.backend, org)
    }

    fn get_organization(&self, id: &OrgId) -> Result<Organization> {
        orgs::get(&self.backend, id)
    }

    fn list_organizations(&self, page: &PageRequest) -> Result<Page<Organization>> {
        orgs::list(&self.backend, page)
    }

    fn update_organization(&self, id: &OrgId, org: &NewOrganization) -> Result<Organization> {
        orgs::update(&self.backend, id, org)
    }

    fn reset_organization_data(&self, id: &OrgId) -> Result<Removed> {
        orgs::remove(&self.backend, id, false)
    }

    fn delete_organization(&self, id: &OrgId) -> Result<Removed> {
        orgs::remove(&self.backend, id, true)
    }

    fn create_profile(&self, profile: &NewProfile, by: &str) -> Result<Profile> {
        profiles::create(&self.backend, profile, by)
    }

    fn get_profile(&self, id: &ProfileId) -> Result<Profile> {
        profiles::get(&self.backend, id)
    }

    fn list_profiles(&self, filter: &ProfileFilter, page: &PageRequest) -> Result<Page<Profile>> {
        profiles::list(&self.backend, filter, page)
    }

    fn clone_profile(&self, source: &ProfileId, spec: &CloneProfile, by: &str) -> Result<Profile> {
        profiles::clone(&self.backend, source, spec, by)
    }

    fn set_profile_archived(&self, id: &ProfileId, archived: bool) -> Result<Profile> {
        profiles::set_archived(&self.backend, id, archived)
    }

    fn delete_profile(&self, id: &ProfileId) -> Result<Removed> {
        profiles::delete(&self.backend, id)
    }

    fn record_entries(
        &self,
        profile: &ProfileId,
        entries: &[EntryInput],
        by: &str,
    ) -> Result<Vec<EntryWrite>> {
        entries::record(&self.backend, profile, entries, by)
    }

    fn preview_entries(
        &self,
        profile: &ProfileId,
        entries: &[EntryInput],
    ) -> Result<Vec<EntryWrite>> {
        entries::preview(&self.backend, profile, entries)
    }

    fn get_entry(&self, profile: &ProfileId, subcategory_id: &str) -> Result<AssessmentEntry> {
        entries::get(&self.backend, profile, subcategory_id)
    }

    fn list_entries(
        &self,
        profile: &ProfileId,
        filter: &EntryFilter,
        page: &PageRequest,
    ) -> Result<Page<AssessmentEntry>> {
        entries::list(&self.backend, profile, filter, page)
    }

    fn entries_as_of(&self, profile: &ProfileId, at: Timestamp) -> Result<Vec<AssessmentEntry>> {
        entries::as_of(&self.backend, profile, at)
    }

    fn entry_history(
        &self,
        profile: &ProfileId,
        subcategory_id: Option<&str>,
        page: &PageRequest,
    ) -> Result<Page<HistoryRecord>> {
        entries::history(&self.backend, profile, subcategory_id, page)
    }

    fn record_quick_answers(
        &self,
        profile: &ProfileId,
        answers: &[QuickAnswerInput],
        by: &str,
    ) -> Result<Vec<QuickAnswer>> {
        quick::record(&self.backend, profile, answers, by)
    }

    fn quick_answers(&self, profile: &ProfileId) -> Result<Vec<QuickAnswer>> {
        quick::list(&self.backend, profile)
    }

    fn create_plan(&self, plan: &NewPlan, by: &str) -> Result<StoredPlan> {
        plans::create(&self.backend, plan, by)
    }

    fn get_plan(&self, id: &str) -> Result<StoredPlan> {
        plans::get(&self.backend, id)
    }

    fn list_plans(&self, org_id: Option<&OrgId>, page: &PageRequest) -> Result<Page<StoredPlan>> {
        plans::list(&self.backend, org_id, page)
    }

    fn update_plan(
        &self,
        id: &str,
        expected_revision: i64,
        body: &serde_json::Value,
        by: &str,
    ) -> Result<StoredPlan> {
        plans::update(&self.backend, id, expected_revision, body, by)
    }

    fn create_evidence(&self, new: &NewEvidence, by: &str) -> Result<EvidenceItem> {
        evidence::create(&self.backend, new, by)
    }

    fn get_evidence(&self, id: &EvidenceId) -> Result<EvidenceItem> {
        evidence::get(&self.backend, id)
    }

    fn list_evidence(
        &self,
        org_id: &OrgId,
        profile: Option<&ProfileId>,
        page: &PageRequest,
    ) -> Result<Page<EvidenceItem>> {
        evidence::list(&self.backend, org_id, profile, page)
    }

    fn update_evidence(
        &self,
        id: &EvidenceId,
        patch: &EvidencePatch,
        by: &str,
    ) -> Result<EvidenceItem> {
        evidence::update(&self.backend, id, patch, by)
    }

    fn delete_evidence(&self, id: &EvidenceId) -> Result<EvidenceItem> {
        evidence::delete(&self.backend, id)
    }

    fn link_evidence(
        &self,
        id: &EvidenceId,
        profile: &ProfileId,
        subcategory_ids: &[String],
        by: &str,
    ) -> Result<EvidenceItem> {
        evidence_links::link(&self.backend, id, profile, subcategory_ids, by)
    }

    fn unlink_evidence(
        &self,
        id: &EvidenceId,
        profile: &ProfileId,
        subcategory_ids: &[String],
        by: &str,
    ) -> Result<EvidenceItem> {
        evidence_links::unlink(&self.backend, id, profile, subcategory_ids, by)
    }

    fn save_document(&self, doc: &NewDocument, by: &str) -> Result<StoredDocument> {
        documents::save(&self.backend, doc, by)
    }

    fn get_document(&self, id: &DocumentId) -> Result<StoredDocument> {
        documents::get(&self.backend, id)
    }

    fn create_campaign(&self, campaign: &NewCampaign, by: &str) -> Result<StoredCampaign> {
        campaigns::create(&self.backend, campaign, by)
    }

    fn get_campaign(&self, id: &CampaignId) -> Result<StoredCampaign> {
        campaigns::get(&self.backend, id)
    }

    fn list_campaigns(
        &self,
        profile: Option<&ProfileId>,
        page: &PageRequest,
    ) -> Result<Page<StoredCampaign>> {
        campaigns::list(&self.backend, profile, page)
    }

    fn change_campaign(
        &self,
        id: &CampaignId,
        change: &CampaignChange,
        by: &str,
    ) -> Result<(StoredCampaign, Vec<EntryWrite>)> {
        campaigns::change(&self.backend, id, change, by)
    }

    fn put_campaign_answers(
        &self,
        id: &CampaignId,
        states: &[&str],
        answers: &[AnswerInput],
        by: &str,
    ) -> Result<Vec<CampaignAnswer>> {
        campaigns::answer_rows(&self.backend, id, states, answers, by)
    }

    fn campaign_answers(&self, id: &CampaignId) -> Result<Vec<CampaignAnswer>> {
        campaigns::answers(&self.backend, id)
    }

    fn campaign_events(&self, id: &CampaignId, page: &PageRequest) -> Result<Page<CampaignEvent>> {
        campaigns::events(&self.backend, id, page)
    }

    fn append_audit(&self, event: &AuditEvent) -> Result<AuditRecord> {
        // Straight to the shared backend: a view's pending row is not written twice.
        audit::append(self.backend.inner.as_ref(), event)
    }

    fn audited(&self, pending: Arc<PendingAudit>) -> Arc<dyn Store> {
        Arc::new(SqlStore {
            backend: self.backend.with(pending),
        })
    }

    fn audit_trail(&self, filter: &AuditFilter, page: &PageRequest) -> Result<Page<AuditRecord>> {
        audit::trail(&self.backend, filter, page)
    }
}
