//! Whole mappings: what NIST's SP 800-53 Rev 5.2.0 mapping adds to or drops from the Rev 5.1.1
//! one, and every reference of one dataset (the `csf://references/{dataset}` document).

use csf_catalog::{DatasetRelation, TargetType};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::references::DatasetView;
use super::MAX_ID_LEN;
use crate::error::{check_len, Error, Result};

/// Which mapping changes to list.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingChangesRequest {
    /// Only this CSF 2.0 element (default: every element whose mapping changed).
    pub id: Option<String>,
}

// How one CSF element's SP 800-53 mapping changed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MappingChangeView {
    pub csf_id: String,
    /// Controls NIST's Rev 5.2.0 mapping cites and the Rev 5.1.1 mapping did not.
    pub added_in_5_2_0: Vec<String>,
    /// Controls the Rev 5.1.1 mapping cited and the Rev 5.2.0 mapping does not.
    pub not_in_5_2_0: Vec<String>,
}

/// The SP 800-53 Rev 5.1.1 → 5.2.0 mapping changes.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MappingChangesOutput {
    pub from: DatasetView,
    pub to: DatasetView,
    pub changes: Vec<MappingChangeView>,
    pub note: String,
}

/// Per-element differences between NIST's two SP 800-53 mappings, in CSF order.
pub fn sp800_53_changes(req: MappingChangesRequest) -> Result<MappingChangesOutput> {
    let only = match req.id.as_deref() {
        Some(id) => {
            check_len("id", id, MAX_ID_LEN)?;
            Some(csf_catalog::resolve(id)?.id())
        }
        None => None,
    };
    let changes: Vec<MappingChangeView> = csf_catalog::sp800_53_changes()
        .into_iter()
        .filter(|c| only.is_none_or(|id| c.csf_id == id))
        .map(|c| MappingChangeView {
            csf_id: c.csf_id.into(),
            added_in_5_2_0: c.added_in_5_2_0.iter().map(|s| s.to_string()).collect(),
            not_in_5_2_0: c.not_in_5_2_0.iter().map(|s| s.to_string()).collect(),
        })
        .collect();
    let note = match (only, changes.is_empty()) {
        (Some(id), true) => format!("The two SP 800-53 mappings of {id} are the same."),
        _ => {
            "Compares NIST's OLIR mappings only (control ids compared without zero padding).".into()
        }
    };
    Ok(MappingChangesOutput {
        from: built_in(csf_catalog::SP800_53_OLD)?,
        to: built_in(csf_catalog::SP800_53_NEW)?,
        changes,
        note,
    })
}

/// A dataset the catalog's own constants name; missing only if the catalog was built wrongly.
fn built_in(key: &str) -> Result<DatasetView> {
    csf_catalog::dataset(key)
        .map(DatasetView::from)
        .map_err(|e| Error::Unavailable {
            message: format!("the compiled-in catalog is incomplete: {e}"),
            transient: false,
        })
}

/// One reference of a whole-dataset document.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MappingRow {
    pub csf_id: &'static str,
    pub target_id: &'static str,
    pub target_type: TargetType,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub olir_entry_id: &'static str,
}

/// Every reference of one dataset, in CSF order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MappingDoc {
    pub dataset: &'static str,
    pub short_name: &'static str,
    pub key: &'static str,
    pub relation: DatasetRelation,
    pub rows: Vec<MappingRow>,
    pub note: &'static str,
}

/// The whole mapping of one dataset (key, NIST's name or short label).
pub fn mapping_doc(dataset: &str) -> Result<MappingDoc> {
    let d = csf_catalog::dataset(dataset).map_err(Error::NotFound)?;
    Ok(MappingDoc {
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
    })
}
