//! A deterministic, invented organisation for benches, samples and report tests: every active
//! subcategory gets an entry whose fields follow a fixed arithmetic pattern of its index and a
//! per-profile `seed` (no randomness). Names, owners and notes are invented.

use csf_store::{AssessmentEntry, HistoryRecord};
use serde_json::json;

const STATUSES: [&str; 5] = [
    "not_implemented",
    "partially",
    "largely",
    "fully",
    "not_applicable",
];
const PRIORITIES: [Option<&str>; 4] = [Some("high"), Some("medium"), Some("low"), None];
const TARGET_STATUSES: [&str; 7] = [
    "fully",
    "largely",
    "fully",
    "partially",
    "fully",
    "largely",
    "not_applicable",
];
const OWNERS: [&str; 4] = [
    "Security Office",
    "IT Operations",
    "Risk & Compliance",
    "Platform Team",
];
const CONFIDENCE: [Option<&str>; 4] = [Some("high"), Some("medium"), None, Some("low")];

/// A profile id from a number (valid `prof_` + 26-character ULID).
pub fn profile_id(n: usize) -> String {
    format!("prof_01J{:023}", n)
}

/// Entries for all 106 active subcategories. `seed` shifts the pattern; `target` profiles
/// lean towards higher levels.
pub fn entries(n: usize, seed: usize, target: bool) -> Vec<AssessmentEntry> {
    crate::catalog::active_ids()
        .into_iter()
        .enumerate()
        .map(|(i, id)| {
            let k = i * 7 + seed * 3;
            let status = if target {
                // mostly largely/fully, some partially, rare N/A
                TARGET_STATUSES[(i * 5 + seed) % 7]
            } else if (i * 11 + seed).is_multiple_of(23) {
                STATUSES[4]
            } else {
                STATUSES[(i * 3 + seed * 5 + i / 7) % 4]
            };
            let evidence = if k.is_multiple_of(3) {
                json!([])
            } else {
                json!([{"title": format!("Control record {}", i + 1), "location": format!("doc://grc/{}", i + 1)}])
            };
            serde_json::from_value(json!({
                "profile_id": profile_id(n), "subcategory_id": id, "status": status,
                "maturity": if k % 5 == 4 { None } else { Some((k % 6) as u8) },
                "priority": PRIORITIES[(i + seed) % 4],
                "owner": OWNERS[i % 4],
                "target_date": if target { Some(format!("2027-{:02}-15", 1 + i % 12)) } else { None },
                "evidence": evidence,
                "notes": if i % 5 == 0 { Some("Invented sample note.") } else { None },
                "assessed_by": "Sample Assessor",
                "confidence": CONFIDENCE[k % 4],
                "version": 1 + (i % 3) as i64,
                "updated_at": format!("2026-{:02}-{:02}T09:30:00Z", 1 + i % 9, 1 + i % 27),
                "updated_by": "sample"
            }))
            .expect("valid sample entry")
        })
        .collect()
}

/// One `created` history row per entry, committed at the entry's `updated_at`.
pub fn history(entries: &[AssessmentEntry]) -> Vec<HistoryRecord> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            serde_json::from_value(json!({
                "seq": i as i64 + 1, "profile_id": e.profile_id, "subcategory_id": e.subcategory_id,
                "changed_at": e.updated_at, "changed_by": "sample", "change": "created",
                "changed_fields": [], "old": null, "new": e
            }))
            .expect("valid history row")
        })
        .collect()
}
