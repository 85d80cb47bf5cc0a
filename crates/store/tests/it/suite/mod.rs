//! The shared store suite: every case runs against every backend (see `store_suite!`).
//! Test data is invented; ids only have the shape of CSF ids.

pub mod cases;

/// Everything a case file needs, in one glob import.
pub mod prelude {
    pub use super::{
        all_entries, all_history, entry, full_entry, invalid_field, org, principal, profile, subs,
        Ctx,
    };
    pub use csf_store::{
        AuditEvent, AuditFilter, AuditResult, ChangeKind, CloneProfile, EntryFilter, EntryInput,
        EvidenceRef, ImplementationStatus as St, Maturity, NewOrganization, NewProfile, OrgId,
        OrgSize, PageRequest, Patch, PendingAudit, ProfileFilter, ProfileId, ProfileKind,
        QuickAnswerInput, Scope, Store, StoreError, Tier, WriteOutcome,
    };
    pub use std::collections::HashSet;
    pub use std::sync::Arc;
    pub use std::time::Duration;
}

use csf_store::{
    AssessmentEntry, Confidence, EntryFilter, EntryInput, EvidenceRef, HistoryRecord,
    ImplementationStatus, Maturity, NewOrganization, NewProfile, Organization, PageRequest, Patch,
    Priority, Profile, ProfileId, ProfileKind, Scope, Store, StoreError,
};
use std::sync::Arc;

/// What a case gets: a store, and a way to open a second, independent handle on the same
/// database (another "process" or replica).
pub struct Ctx {
    pub store: Arc<dyn Store>,
    pub target: String,
}

impl Ctx {
    pub fn s(&self) -> &dyn Store {
        &*self.store
    }

    pub fn open_another(&self) -> Arc<dyn Store> {
        csf_store::open(&self.target).unwrap()
    }
}

/// Generates one `#[test]` per case, each calling `$run(case)`.
#[macro_export]
macro_rules! store_suite {
    ($run:path) => {
        $crate::store_suite!(@cases $run;
            organizations_create_read_update_list,
            organization_input_errors_name_the_field,
            profiles_create_and_filter,
            clone_profile_copies_entries,
            archived_profile_is_read_only,
            record_creates_then_updates_with_versions_and_history,
            expected_version_conflicts,
            batch_with_conflicting_row_in_the_middle_stores_nothing,
            batch_with_invalid_row_in_the_middle_stores_nothing,
            batch_shape_limits,
            preview_reports_outcomes_and_writes_nothing,
            as_of_reconstructs_past_states,
            history_pages_and_filters_by_entry,
            list_entries_filters_and_pages,
            audit_is_append_only_filtered_and_newest_first,
            audited_view_commits_the_row_with_the_write,
            sql_looking_strings_are_stored_verbatim,
            quick_answers_stay_function_level,
            delete_profile_reset_and_delete_organization,
            unknown_ids_are_not_found,
            paging_arguments_are_checked,
            concurrent_writers_in_one_process_lose_no_update,
            two_handles_on_one_database_lose_no_update,
            plans_create_get_and_duplicate_id_conflicts,
            plans_list_by_org_in_creation_order_with_paging,
            plan_updates_are_compare_and_set,
            plan_input_errors_name_the_field,
            plans_go_with_their_profiles_and_organization,
            partial_updates_keep_what_they_do_not_name,
            creating_an_entry_needs_a_status,
            audited_writes_name_their_organization_and_profile,
            evidence_create_get_update_list_delete,
            evidence_links_and_unlinks_keep_entries,
            evidence_goes_with_profiles_and_organization,
            evidence_bad_input_changes_nothing,
            documents_are_kept_and_read_back,
            campaign_answers_from_two_handles_all_land,
            campaign_changes_are_compare_and_set_with_entries,
            removing_profiles_counts_their_campaigns_and_answers,
        );
    };
    (@cases $run:path; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                $run($crate::suite::cases::$case)
            }
        )*
    };
}

/// A unique principal, so cases sharing one PostgreSQL database can filter their own rows.
pub fn principal(tag: &str) -> String {
    format!(
        "{tag}-{}",
        ProfileId::generate().as_str().trim_start_matches("prof_")
    )
}

pub fn org(s: &dyn Store, name: &str) -> Organization {
    s.create_organization(&NewOrganization {
        name: name.into(),
        ..Default::default()
    })
    .unwrap()
}

pub fn profile(s: &dyn Store, org: &Organization, kind: ProfileKind) -> Profile {
    s.create_profile(
        &NewProfile {
            org_id: org.id.clone(),
            kind,
            name: format!("{kind:?} profile"),
            scope: Scope::All,
        },
        "tester",
    )
    .unwrap()
}

/// A whole-entry input (fields not set are emptied), as most cases write.
pub fn entry(sub: &str, status: ImplementationStatus) -> EntryInput {
    EntryInput::new(sub, status).replacing()
}

/// `n` distinct invented subcategory-shaped ids: `ZZ.AA-000` …
pub fn subs(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:03}")).collect()
}

pub fn all_entries(s: &dyn Store, p: &ProfileId) -> Vec<AssessmentEntry> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(1000);
    loop {
        let got = s.list_entries(p, &EntryFilter::default(), &page).unwrap();
        out.extend(got.items);
        match got.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => return out,
        }
    }
}

pub fn all_history(s: &dyn Store, p: &ProfileId, sub: Option<&str>) -> Vec<HistoryRecord> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(1000);
    loop {
        let got = s.entry_history(p, sub, &page).unwrap();
        out.extend(got.items);
        match got.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => return out,
        }
    }
}

pub fn invalid_field(e: StoreError) -> String {
    match e {
        StoreError::Invalid { field, .. } => field,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

pub fn full_entry(sub: &str) -> EntryInput {
    EntryInput {
        maturity: Patch::Set(Maturity::new(3).unwrap()),
        priority: Patch::Set(Priority::High),
        owner: Patch::Set("Platform team".into()),
        target_date: Patch::set_if_some(chrono::NaiveDate::from_ymd_opt(2027, 3, 31)),
        evidence: Patch::Set(vec![EvidenceRef {
            title: "Invented runbook".into(),
            location: "sha256:0f3a".into(),
        }]),
        notes: Patch::Set("line one\nline two".into()),
        assessed_by: Patch::Set("Assessor A".into()),
        confidence: Patch::Set(Confidence::Medium),
        ..EntryInput::new(sub, ImplementationStatus::Largely).replacing()
    }
}
