//! An OSCAL 1.1.3 assessment-results document for one profile's entries: one observation per
//! entry, one finding per applicable entry (fully → satisfied, else not-satisfied), every
//! finding linked to its observation. UUIDs are name-based (v5), so the same input gives the
//! same document.

use super::oscal_evidence;
use crate::error::{Error, Result};
use crate::ids::stable_uuid;
use crate::records::entry_records;
use chrono::{DateTime, SecondsFormat, Utc};
use csf_store::ImplementationStatus;
use csf_store::{AssessmentEntry, EvidenceItem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The OSCAL version emitted.
pub const OSCAL_VERSION: &str = "1.1.3";
/// Namespace of this project's OSCAL props.
const NS: &str = "https://github.com/nist-csf-mcp/nist-csf-mcp/ns/oscal";

/// Inputs of the OSCAL export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OscalParams {
    /// Document title.
    pub title: String,
    /// Profile id (part of every UUID's name, so documents of two profiles never collide).
    pub profile_id: String,
    /// Profile name, for descriptions.
    pub profile_name: String,
    /// Organization name, for descriptions.
    pub organization: Option<String>,
    /// Document timestamp (`last-modified`, result `start`).
    pub generated_at: DateTime<Utc>,
    /// Document version label (default "1.0").
    pub version: Option<String>,
}

fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn prop(name: &str, value: impl Into<String>) -> Value {
    json!({"name": name, "ns": NS, "value": value.into()})
}

/// Builds the document (pretty JSON).
pub fn oscal_assessment_results(entries: &[AssessmentEntry], p: &OscalParams) -> Result<String> {
    oscal_assessment_results_with_evidence(entries, &[], p)
}

/// Builds the document with the evidence-register items linked to the profile: one
/// back-matter resource per item, referenced from the observations of the subcategories it is
/// linked to (see [`super::oscal_evidence`]).
pub fn oscal_assessment_results_with_evidence(
    entries: &[AssessmentEntry],
    evidence: &[EvidenceItem],
    p: &OscalParams,
) -> Result<String> {
    if p.title.trim().is_empty() {
        return Err(Error::invalid("title", "give a non-empty title"));
    }
    let key = |kind: &str, rest: &str| {
        stable_uuid(
            &format!("oscal-{kind}"),
            &format!("{}|{}|{rest}", p.profile_id, ts(&p.generated_at)),
        )
    };
    let doc_key = format!("{}|{}", p.profile_id, ts(&p.generated_at));
    let records = entry_records(entries);
    let mut observations = Vec::new();
    let mut findings = Vec::new();
    let mut controls = Vec::new();
    for e in &records {
        let Some(csf_catalog::Element::Subcategory(sub)) = csf_catalog::get(&e.subcategory_id)
        else {
            continue;
        };
        if sub.withdrawn {
            continue;
        }
        controls.push(json!({"control-id": sub.id}));
        let obs_uuid = key("observation", sub.id);
        let mut props = vec![prop("implementation-status", e.status.as_str())];
        if let Some(m) = e.maturity {
            props.push(prop("maturity", m.to_string()));
        }
        if let Some(pr) = e.priority {
            props.push(prop("priority", pr.as_str()));
        }
        if let Some(c) = e.confidence {
            props.push(prop("confidence", format!("{c:?}").to_lowercase()));
        }
        let mut obs = json!({
            "uuid": obs_uuid,
            "title": format!("Assessment of {}", sub.id),
            "description": format!(
                "Recorded implementation status of {}: {}{}.",
                sub.id,
                e.status.label().to_lowercase(),
                e.maturity.map_or(String::new(), |m| format!(", maturity {m} of 5"))
            ),
            "props": props,
            "methods": ["EXAMINE"],
            "collected": to_secs(&e.updated_at).unwrap_or_else(|| ts(&p.generated_at)),
        });
        let mut relevant: Vec<Value> = e
            .evidence
            .iter()
            .map(|v| json!({"description": format!("{}: {}", v.title, v.location)}))
            .collect();
        relevant.extend(oscal_evidence::relevant_evidence(
            evidence,
            &p.profile_id,
            sub.id,
            &doc_key,
        ));
        if !relevant.is_empty() {
            obs["relevant-evidence"] = Value::Array(relevant);
        }
        if let Some(n) = e.notes.as_deref().filter(|n| !n.trim().is_empty()) {
            obs["remarks"] = json!(n);
        }
        observations.push(obs);
        if e.status == ImplementationStatus::NotApplicable {
            continue;
        }
        let (state, reason) = if e.status == ImplementationStatus::Fully {
            ("satisfied", "pass")
        } else {
            ("not-satisfied", "fail")
        };
        findings.push(json!({
            "uuid": key("finding", sub.id),
            "title": format!("{} is {}", sub.id, e.status.label().to_lowercase()),
            "description": format!(
                "Outcome {} assessed as {} in profile {}.",
                sub.id,
                e.status.label().to_lowercase(),
                p.profile_name
            ),
            "target": {
                "type": "objective-id",
                "target-id": sub.id,
                "status": {"state": state, "reason": reason}
            },
            "related-observations": [{"observation-uuid": obs_uuid}],
        }));
    }
    let ap_resource = key("resource", "assessment-plan");
    let catalog_resource = key("resource", "catalog");
    let meta = csf_catalog::meta();
    let mut result = json!({
        "uuid": key("result", "1"),
        "title": format!("Assessment of profile {}", p.profile_name),
        "description": format!(
            "Implementation status of NIST CSF 2.0 outcomes recorded in nist-csf-mcp for profile \
             {}{}.",
            p.profile_name,
            p.organization.as_deref().map_or(String::new(), |o| format!(" of {o}"))
        ),
        "start": ts(&p.generated_at),
        "reviewed-controls": {
            "control-selections": [if controls.is_empty() {
                json!({"include-all": {}})
            } else {
                json!({"include-controls": controls})
            }]
        },
    });
    if !observations.is_empty() {
        result["observations"] = Value::Array(observations);
    }
    if !findings.is_empty() {
        result["findings"] = Value::Array(findings);
    }
    let mut resources = vec![
        json!({
            "uuid": ap_resource,
            "title": "Assessment plan",
            "description": "No separate OSCAL assessment plan exists: the assessment is the set \
                            of entries recorded for the profile named in the result.",
        }),
        json!({
            "uuid": catalog_resource,
            "title": meta.title,
            "description": format!(
                "Control catalog: version {}, OSCAL {}, sha256 {}.",
                meta.version, meta.oscal_version, meta.sha256
            ),
            "rlinks": [{"href": meta.source_url}],
        }),
    ];
    resources.extend(oscal_evidence::resources(
        evidence,
        &p.profile_id,
        &doc_key,
        NS,
    ));
    let doc = json!({
        "assessment-results": {
            "uuid": key("document", "1"),
            "metadata": {
                "title": p.title,
                "last-modified": ts(&p.generated_at),
                "version": p.version.clone().unwrap_or_else(|| "1.0".to_owned()),
                "oscal-version": OSCAL_VERSION,
                "remarks": "Generated by nist-csf-mcp from recorded assessment entries. \
                            Findings: fully implemented = satisfied; not, partially or largely \
                            implemented = not-satisfied; not applicable = observation only.",
            },
            "import-ap": {"href": format!("#{ap_resource}")},
            "results": [result],
            "back-matter": {"resources": resources},
        }
    });
    serde_json::to_string_pretty(&doc).map_err(|e| Error::invalid("document", e.to_string()))
}

/// RFC 3339 with microseconds → seconds precision (OSCAL tools accept both; seconds read best).
fn to_secs(s: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| ts(&d.with_timezone(&Utc)))
}
