//! The hand-computed fixture shared by the integration tests: a Current and a Target profile
//! over GV.OC (5 subcategories) and RC.CO (2). Notes, owners and names are invented.

use csf_domain::{gap_analysis, GapAnalysis, GapParams, ScopeFilter};
use csf_store::{AssessmentEntry, HistoryRecord, Profile};
use serde_json::json;

pub const PROFILE_CURRENT: &str = "prof_01J00000000000000000000001";
pub const PROFILE_TARGET: &str = "prof_01J00000000000000000000002";

/// One entry; `status`, `maturity`, `priority`, `confidence` as the store serialises them.
pub fn entry(
    profile: &str,
    id: &str,
    status: &str,
    maturity: Option<u8>,
    priority: Option<&str>,
    confidence: Option<&str>,
) -> AssessmentEntry {
    serde_json::from_value(json!({
        "profile_id": profile, "subcategory_id": id, "status": status,
        "maturity": maturity, "priority": priority, "owner": "Team Lighthouse",
        "target_date": null,
        "evidence": [{"title": "Runbook v3", "location": "doc://kb/runbook-3"}],
        "notes": "invented fixture note", "assessed_by": "Ada Example",
        "confidence": confidence, "version": 1,
        "updated_at": "2026-01-05T10:00:00.000001Z", "updated_by": "ada"
    }))
    .expect("valid entry")
}

/// The scope of the fixture.
pub fn scope() -> ScopeFilter {
    ScopeFilter {
        ids: vec!["GV.OC".into(), "rc.co".into()],
    }
}

/// Current profile. GV.OC-05 is missing on purpose; PR.AA-01 is outside the scope and
/// PR.DS-05 is a withdrawn CSF 1.1 id (both must be reported as ignored).
pub fn current() -> Vec<AssessmentEntry> {
    let p = PROFILE_CURRENT;
    vec![
        entry(p, "GV.OC-01", "partially", Some(2), None, Some("high")),
        entry(p, "GV.OC-02", "largely", Some(3), None, Some("medium")),
        entry(p, "GV.OC-03", "not_implemented", None, None, None),
        entry(p, "GV.OC-04", "fully", Some(4), None, Some("high")),
        entry(p, "RC.CO-03", "not_applicable", None, None, Some("low")),
        entry(p, "RC.CO-04", "not_implemented", Some(1), None, None),
        entry(p, "PR.AA-01", "fully", None, None, None),
        entry(p, "PR.DS-05", "fully", None, None, None),
    ]
}

/// Target profile.
pub fn target() -> Vec<AssessmentEntry> {
    let p = PROFILE_TARGET;
    vec![
        entry(p, "GV.OC-01", "fully", Some(4), Some("high"), None),
        entry(p, "GV.OC-02", "fully", Some(3), Some("medium"), None),
        entry(p, "GV.OC-03", "largely", None, None, None),
        entry(p, "GV.OC-04", "largely", None, Some("low"), None),
        entry(p, "GV.OC-05", "fully", None, Some("high"), None),
        entry(p, "RC.CO-03", "fully", None, Some("high"), None),
        entry(p, "RC.CO-04", "partially", None, Some("low"), None),
    ]
}

pub fn profile(id: &str, kind: &str, name: &str) -> Profile {
    serde_json::from_value(json!({
        "id": id, "org_id": "org_01J00000000000000000000001", "kind": kind, "name": name,
        "scope": "all", "archived": false, "cloned_from": null,
        "created_at": "2026-01-01T00:00:00Z", "created_by": "ada",
        "updated_at": "2026-01-01T00:00:00Z"
    }))
    .expect("valid profile")
}

/// A history row: `new` is the entry after the change at `at`.
pub fn history(
    seq: i64,
    at: &str,
    new: AssessmentEntry,
    old: Option<AssessmentEntry>,
) -> HistoryRecord {
    serde_json::from_value(json!({
        "seq": seq, "profile_id": new.profile_id, "subcategory_id": new.subcategory_id,
        "changed_at": at, "changed_by": "ada",
        "change": if old.is_some() { "updated" } else { "created" },
        "changed_fields": [], "old": old, "new": new
    }))
    .expect("valid history row")
}

pub fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-3
}

/// The gap analysis of the fixture's Current against its Target, over its scope.
pub fn gaps() -> GapAnalysis {
    gap_analysis(
        &current(),
        &target(),
        &GapParams {
            scope: scope(),
            default_priority: None,
        },
    )
    .unwrap()
}
