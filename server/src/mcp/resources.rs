//! MCP resources: the Core (`csf://framework`), any element (`csf://element/{id}`), a whole
//! informative-reference mapping (`csf://references/{dataset}`), and stored organizations and
//! profiles. The documents come from the domain; this module lists, addresses and wraps them.

use csf_domain::framework as fw;
use rmcp::model::{ReadResourceResult, Resource, ResourceContents, ResourceTemplate};
use rmcp::ErrorData;
use serde::Serialize;

pub const FRAMEWORK_URI: &str = "csf://framework";
pub const ELEMENT_TEMPLATE: &str = "csf://element/{id}";
pub const REFERENCES_TEMPLATE: &str = "csf://references/{dataset}";
pub const ORG_TEMPLATE: &str = "csf://org/{id}";
pub const PROFILE_TEMPLATE: &str = "csf://profile/{id}";
pub const EVIDENCE_TEMPLATE: &str = "csf://evidence/{org_id}";
const EVIDENCE_PREFIX: &str = "csf://evidence/";
pub const REPORT_TEMPLATE: &str = "csf://report/{id}";
pub const CAMPAIGN_TEMPLATE: &str = "csf://campaign/{id}";
const CAMPAIGN_PREFIX: &str = "csf://campaign/";
const ORG_PREFIX: &str = "csf://org/";
const PROFILE_PREFIX: &str = "csf://profile/";
const REFERENCES_PREFIX: &str = "csf://references/";
const ELEMENT_PREFIX: &str = "csf://element/";
const JSON: &str = "application/json";

pub fn list() -> Vec<Resource> {
    let mut out = vec![Resource::new(FRAMEWORK_URI, "csf-framework")
        .with_title("NIST CSF 2.0 Core")
        .with_description(
            "Every active function, category and subcategory with NIST's text, in official order.",
        )
        .with_mime_type(JSON)];
    out.extend(fw::functions().into_iter().map(|f| {
        Resource::new(format!("{ELEMENT_PREFIX}{}", f.id), f.id.to_lowercase())
            .with_title(format!("{} ({})", f.title.unwrap_or_default(), f.id))
            .with_mime_type(JSON)
    }));
    out
}

pub fn templates() -> Vec<ResourceTemplate> {
    vec![
        ResourceTemplate::new(ELEMENT_TEMPLATE, "csf-element")
            .with_title("Any CSF 2.0 element")
            .with_description(
                "A function, category, subcategory, implementation example or withdrawn CSF 1.1 \
                 element by id, e.g. csf://element/PR.AA-03.",
            )
            .with_mime_type(JSON),
        ResourceTemplate::new(ORG_TEMPLATE, "organization")
            .with_title("An organization and its profiles")
            .with_description("An organization (org_…) with the list of its profiles.")
            .with_mime_type(JSON),
        ResourceTemplate::new(PROFILE_TEMPLATE, "profile")
            .with_title("A profile with its assessment")
            .with_description(
                "A profile (prof_…) with every assessment entry and its quick answers.",
            )
            .with_mime_type(JSON),
        ResourceTemplate::new(EVIDENCE_TEMPLATE, "evidence-register")
            .with_title("An organization's evidence register")
            .with_description(
                "Every evidence item of an organization (org_…) with its links, and the stale \
                 (as of today), implemented-without-evidence and unused lists.",
            )
            .with_mime_type(JSON),
        ResourceTemplate::new(REPORT_TEMPLATE, "report")
            .with_title("A generated report or document")
            .with_description(
                "A report kept by generate_report (doc_…), as generated, with its MIME type \
                 (text/html, text/markdown or application/json); no size limit.",
            ),
        ResourceTemplate::new(CAMPAIGN_TEMPLATE, "campaign")
            .with_title("An assessment campaign's state")
            .with_description(
                "A campaign (camp_…): state, settings, progress per function and category, and \
                 what remains per assessor.",
            )
            .with_mime_type(JSON),
        ResourceTemplate::new(REFERENCES_TEMPLATE, "csf-references")
            .with_title("A whole informative-reference mapping")
            .with_description(
                "Every reference of one NIST dataset, in CSF order, e.g. \
                 csf://references/sp800-53r5.2.0.",
            )
            .with_mime_type(JSON),
    ]
}

fn json_contents(uri: &str, value: &impl Serialize) -> Result<ReadResourceResult, ErrorData> {
    let text =
        serde_json::to_string(value).map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
    Ok(ReadResourceResult::new(vec![ResourceContents::text(
        text, uri,
    )
    .with_mime_type(JSON)]))
}

pub fn read(uri: &str) -> Result<ReadResourceResult, ErrorData> {
    let doc = if uri == FRAMEWORK_URI {
        Ok(json_contents(uri, &fw::framework_doc()))
    } else if let Some(id) = uri.strip_prefix(ELEMENT_PREFIX) {
        fw::element_doc(id).map(|d| json_contents(uri, &d))
    } else if let Some(key) = uri.strip_prefix(REFERENCES_PREFIX) {
        fw::mapping_doc(key).map(|d| json_contents(uri, &d))
    } else {
        return Err(ErrorData::resource_not_found(
            format!(
                "unknown resource `{}`; resources are {FRAMEWORK_URI}, {ELEMENT_TEMPLATE}, \
                 {REFERENCES_TEMPLATE}, {ORG_TEMPLATE}, {PROFILE_TEMPLATE}, {EVIDENCE_TEMPLATE}, \
                 {REPORT_TEMPLATE} and {CAMPAIGN_TEMPLATE}",
                uri.chars().take(128).collect::<String>()
            ),
            None,
        ));
    };
    doc.unwrap_or_else(|e| Err(not_readable(e)))
}

/// A domain refusal as a resource error: the caller's mistake is "not found", ours internal.
fn not_readable(e: csf_domain::Error) -> ErrorData {
    if e.is_caller_error() {
        ErrorData::resource_not_found(e.to_string(), None)
    } else {
        ErrorData::internal_error(e.to_string(), None)
    }
}

/// Reads `csf://org/{id}`, `csf://profile/{id}`, `csf://evidence/{org_id}` and
/// `csf://report/{id}` from the store; `None` for other URIs.
pub async fn read_stored(
    ctx: &crate::context::Context,
    uri: &str,
) -> Option<Result<ReadResourceResult, ErrorData>> {
    let service = &ctx.service;
    let doc = if let Some(id) = uri.strip_prefix(ORG_PREFIX) {
        service
            .organization_doc(id)
            .await
            .map(|d| json_contents(uri, &d))
    } else if let Some(id) = uri.strip_prefix(PROFILE_PREFIX) {
        service
            .profile_doc(id)
            .await
            .map(|d| json_contents(uri, &d))
    } else if let Some(id) = uri.strip_prefix(EVIDENCE_PREFIX) {
        service
            .evidence_register(csf_domain::evidence::EvidenceRegisterRequest {
                org_id: id.to_owned(),
                as_of: None,
                profile_id: None,
            })
            .await
            .map(|d| json_contents(uri, &d))
    } else if let Some(id) = uri.strip_prefix(csf_domain::DOCUMENT_URI_PREFIX) {
        service.document(id).await.map(|d| {
            Ok(ReadResourceResult::new(vec![ResourceContents::text(
                d.content, uri,
            )
            .with_mime_type(d.media_type)]))
        })
    } else if let Some(id) = uri.strip_prefix(CAMPAIGN_PREFIX) {
        service
            .campaign_doc(id)
            .await
            .map(|d| json_contents(uri, &d))
    } else {
        return None;
    };
    Some(doc.unwrap_or_else(|e| Err(not_readable(e))))
}
