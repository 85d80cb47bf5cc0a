//! MCP resources: `csf://framework` (the whole Core) and `csf://element/{id}` (any element).

use rmcp::model::{ReadResourceResult, Resource, ResourceContents, ResourceTemplate};
use rmcp::ErrorData;
use serde::Serialize;

use super::tools::framework::{counts_view, lookup_view, tree, CountsView, FunctionNode};
use super::views::{Detail, Source};

pub const FRAMEWORK_URI: &str = "csf://framework";
pub const ELEMENT_TEMPLATE: &str = "csf://element/{id}";
pub const REFERENCES_TEMPLATE: &str = "csf://references/{dataset}";
pub const ORG_TEMPLATE: &str = "csf://org/{id}";
pub const PROFILE_TEMPLATE: &str = "csf://profile/{id}";
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
    out.extend(csf_catalog::functions().iter().map(|f| {
        Resource::new(format!("{ELEMENT_PREFIX}{}", f.id), f.id.to_lowercase())
            .with_title(format!("{} ({})", f.title, f.id))
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
        ResourceTemplate::new(REFERENCES_TEMPLATE, "csf-references")
            .with_title("A whole informative-reference mapping")
            .with_description(
                "Every reference of one NIST dataset, in CSF order, e.g. \
                 csf://references/sp800-53r5.2.0.",
            )
            .with_mime_type(JSON),
    ]
}

#[derive(Serialize)]
struct MappingRow {
    csf_id: &'static str,
    target_id: &'static str,
    target_type: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    olir_entry_id: &'static str,
}

#[derive(Serialize)]
struct MappingDoc {
    dataset: &'static str,
    short_name: &'static str,
    key: &'static str,
    relation: &'static str,
    rows: Vec<MappingRow>,
    note: &'static str,
}

fn read_mapping(uri: &str, key: &str) -> Result<ReadResourceResult, ErrorData> {
    let d = csf_catalog::dataset(key).map_err(|e| ErrorData::resource_not_found(e, None))?;
    let doc = MappingDoc {
        dataset: d.name,
        short_name: d.short,
        key: d.key,
        relation: d.relation,
        rows: csf_catalog::all_references()
            .iter()
            .filter(|r| r.dataset().key == d.key)
            .map(|r| MappingRow {
                csf_id: r.csf_id,
                target_id: r.target_id,
                target_type: r.target_type,
                olir_entry_id: r.olir_entry_id,
            })
            .collect(),
        note: "NIST's informative references: informative, not requirements.",
    };
    json_contents(uri, &doc)
}

#[derive(Serialize)]
struct FrameworkDoc {
    counts: CountsView,
    functions: Vec<FunctionNode>,
    source: Source,
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
    if uri == FRAMEWORK_URI {
        let doc = FrameworkDoc {
            counts: counts_view(),
            functions: tree(None, true, false),
            source: Source::current(),
        };
        return json_contents(uri, &doc);
    }
    if let Some(id) = uri.strip_prefix(ELEMENT_PREFIX) {
        let id: String = id.chars().take(64).collect();
        return match csf_catalog::resolve(&id) {
            Ok(e) => json_contents(uri, &lookup_view(e, Detail::Standard, &id, false)),
            Err(e) => Err(ErrorData::resource_not_found(e.to_string(), None)),
        };
    }
    if let Some(key) = uri.strip_prefix(REFERENCES_PREFIX) {
        return read_mapping(uri, key);
    }
    Err(ErrorData::resource_not_found(
        format!(
            "unknown resource `{}`; resources are {FRAMEWORK_URI}, {ELEMENT_TEMPLATE}, \
             {REFERENCES_TEMPLATE}, {ORG_TEMPLATE} and {PROFILE_TEMPLATE}",
            uri.chars().take(128).collect::<String>()
        ),
        None,
    ))
}

#[derive(Serialize)]
struct OrgDoc {
    organization: csf_store::Organization,
    profiles: Vec<csf_store::Profile>,
}

#[derive(Serialize)]
struct ProfileDoc {
    profile: csf_store::Profile,
    entries: Vec<csf_store::AssessmentEntry>,
    quick_answers: Vec<csf_store::QuickAnswer>,
}

fn store_error(e: csf_store::StoreError) -> ErrorData {
    match e {
        csf_store::StoreError::NotFound { .. } | csf_store::StoreError::Invalid { .. } => {
            ErrorData::resource_not_found(e.to_string(), None)
        }
        other => ErrorData::internal_error(crate::public_error::store_message(&other), None),
    }
}

/// Reads `csf://org/{id}` and `csf://profile/{id}` from the store; `None` for other URIs.
pub async fn read_stored(
    ctx: &std::sync::Arc<crate::context::Context>,
    uri: &str,
) -> Option<Result<ReadResourceResult, ErrorData>> {
    let uri = uri.to_string();
    if !(uri.starts_with(ORG_PREFIX) || uri.starts_with(PROFILE_PREFIX)) {
        return None;
    }
    let ctx = ctx.clone();
    let done = tokio::task::spawn_blocking(move || {
        let store = ctx.store().map_err(store_error)?;
        let all = csf_store::PageRequest::first(csf_store::MAX_PAGE);
        if let Some(id) = uri.strip_prefix(ORG_PREFIX) {
            let id = csf_store::OrgId::parse(id).map_err(store_error)?;
            let organization = store.get_organization(&id).map_err(store_error)?;
            let filter = csf_store::ProfileFilter {
                org_id: Some(id),
                kind: None,
                include_archived: true,
            };
            let profiles = store
                .list_profiles(&filter, &all)
                .map_err(store_error)?
                .items;
            return json_contents(
                &uri,
                &OrgDoc {
                    organization,
                    profiles,
                },
            );
        }
        let id = uri.strip_prefix(PROFILE_PREFIX).unwrap_or_default();
        let id = csf_store::ProfileId::parse(id).map_err(store_error)?;
        let profile = store.get_profile(&id).map_err(store_error)?;
        let entries = store
            .list_entries(&id, &csf_store::EntryFilter::default(), &all)
            .map_err(store_error)?
            .items;
        let quick_answers = store.quick_answers(&id).map_err(store_error)?;
        json_contents(
            &uri,
            &ProfileDoc {
                profile,
                entries,
                quick_answers,
            },
        )
    })
    .await;
    Some(done.unwrap_or_else(|e| {
        Err(ErrorData::internal_error(
            crate::public_error::task_message(&e),
            None,
        ))
    }))
}
