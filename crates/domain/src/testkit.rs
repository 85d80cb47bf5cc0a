//! Fixtures for the crate's unit tests: a service on a private in-memory store, and the store
//! itself to write organizations, profiles and entries with. Names and notes are invented.

use std::sync::Arc;

use csf_store::{
    EntryInput, ImplementationStatus, NewOrganization, NewProfile, OrgSize, Organization, Profile,
    ProfileKind, Scope, Store,
};

use crate::service::Service;

/// A service on a private in-memory store, and the store itself to write fixtures with.
pub(crate) fn service() -> (Arc<Service>, Arc<dyn Store>) {
    let store = csf_store::open(":memory:").unwrap();
    (Arc::new(Service::with_store(store.clone())), store)
}

/// An organization of declared size medium.
pub(crate) fn org(s: &dyn Store, name: &str) -> Organization {
    s.create_organization(&NewOrganization {
        name: name.into(),
        sector: Some("Invented ferry operations".into()),
        size: Some(OrgSize::Medium),
        governance_tier: None,
        risk_management_tier: None,
        tier_note: None,
    })
    .unwrap()
}

/// A profile of `org`.
pub(crate) fn profile(
    s: &dyn Store,
    org: &Organization,
    kind: ProfileKind,
    scope: Scope,
) -> Profile {
    let new = NewProfile {
        org_id: org.id.clone(),
        kind,
        name: "Invented harbour profile".into(),
        scope,
    };
    s.create_profile(&new, "tester").unwrap()
}

/// Records entries with a status only.
pub(crate) fn record(s: &dyn Store, p: &Profile, rows: &[(&str, ImplementationStatus)]) {
    let inputs: Vec<_> = rows
        .iter()
        .map(|(id, st)| EntryInput::new(*id, *st))
        .collect();
    s.record_entries(&p.id, &inputs, "tester").unwrap();
}
