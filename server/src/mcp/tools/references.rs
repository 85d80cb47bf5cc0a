//! Informative references (NIST OLIR): CSF element -> controls, control -> CSF elements, and the
//! SP 800-53 Rev 5.1.1 -> 5.2.0 mapping changes. Only NIST's datasets, labelled by name.

use csf_catalog::{Dataset, Element, Reference};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::mcp::error::{check_len, ToolError};
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};
use crate::mcp::views::{ElementRef, Source};

const LABEL: &str = "Informative references from NIST's CSF 2.0 Reference Tool data for NIST's own \
    datasets (OLIR mappings and SP 800-53 family pointers). They are informative, not requirements.";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A CSF 2.0 id is looked up forwards; anything else as a reference id (default).
    #[default]
    Auto,
    /// `id` is a CSF 2.0 element: list its references.
    FromCsf,
    /// `id` is a control / requirement / task / CSF 1.1 id: list the CSF 2.0 elements citing it.
    ToCsf,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferencesParams {
    /// A CSF 2.0 id (PR.AA-03, PR.AA, PR) or a reference id: SP 800-53 control (IA-2, ia-02,
    /// CP-2(8)), SP 800-171 Rev 3 requirement (03.11.01), SSDF task (PW.4.1), CSF 1.1 id (PR.AC-7).
    pub id: String,
    /// Only this dataset: sp800-53r5.2.0, sp800-53r5.1.1, sp800-53r5.1.1-external, sp800-171r3,
    /// csfv1.1, sp800-221a, ssdf (NIST's names and short labels work too).
    pub dataset: Option<String>,
    /// auto (default), from_csf or to_csf.
    #[serde(default)]
    pub direction: Direction,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DatasetView {
    /// Our key, e.g. sp800-53r5.2.0.
    pub key: String,
    /// NIST's dataset name.
    pub name: String,
    /// NIST's short label.
    pub short_name: String,
    /// olir_focal or external_reference.
    pub relation: String,
}

impl From<&Dataset> for DatasetView {
    fn from(d: &Dataset) -> Self {
        DatasetView {
            key: d.key.into(),
            name: d.name.into(),
            short_name: d.short.into(),
            relation: d.relation.into(),
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct TargetView {
    /// As NIST writes it (zero-padded, e.g. IA-02).
    pub id: String,
    /// control, control_enhancement, family, requirement, task, subcategory, category, function.
    pub kind: String,
    /// NIST's OLIR entry id (absent for family pointers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub olir_entry_id: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DatasetGroup {
    pub dataset: DatasetView,
    pub count: usize,
    pub references: Vec<TargetView>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CitingElement {
    #[serde(flatten)]
    pub element: ElementRef,
    /// The dataset that ties it to the reference id.
    pub dataset: String,
    /// The reference id as NIST writes it.
    pub reference_id: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferencesOutput {
    /// from_csf or to_csf.
    pub direction: String,
    /// from_csf: the CSF element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<ElementRef>,
    /// from_csf: references grouped by dataset.
    pub datasets: Vec<DatasetGroup>,
    /// to_csf: CSF 2.0 elements citing the reference id, in official order.
    pub cited_by: Vec<CitingElement>,
    pub total: usize,
    pub note: String,
    pub source: Source,
}

fn target_view(r: &Reference) -> TargetView {
    TargetView {
        id: r.target_id.into(),
        kind: r.target_type.into(),
        olir_entry_id: (!r.olir_entry_id.is_empty()).then(|| r.olir_entry_id.into()),
    }
}

/// References of a CSF element grouped by dataset (in NIST's dataset order).
pub fn grouped(csf_id: &str, only: Option<&Dataset>) -> Vec<DatasetGroup> {
    let refs = csf_catalog::references_of(csf_id);
    csf_catalog::datasets()
        .iter()
        .filter(|d| only.is_none_or(|o| o.key == d.key))
        .filter_map(|d| {
            let list: Vec<TargetView> = refs
                .iter()
                .filter(|r| r.dataset().key == d.key)
                .map(target_view)
                .collect();
            (!list.is_empty()).then(|| DatasetGroup {
                dataset: d.into(),
                count: list.len(),
                references: list,
            })
        })
        .collect()
}

fn forward(e: Element, only: Option<&Dataset>) -> ReferencesOutput {
    let datasets = grouped(e.id(), only);
    let total = datasets.iter().map(|g| g.count).sum();
    let note = if e.is_withdrawn() {
        format!(
            "{} is a withdrawn CSF 1.1 element; NIST's data attaches references to CSF 2.0 \
             elements only. Use csf_crosswalk for its successors, or direction=to_csf to find \
             the CSF 2.0 elements that cite it as a CSF 1.1 id.",
            e.id()
        )
    } else if total == 0 {
        format!(
            "NIST's datasets attach no informative reference to {}.",
            e.id()
        )
    } else {
        LABEL.to_string()
    };
    ReferencesOutput {
        direction: "from_csf".into(),
        element: Some(ElementRef::new(&e, false)),
        datasets,
        cited_by: Vec::new(),
        total,
        note,
        source: Source::current(),
    }
}

fn reverse(input: &str, only: Option<&Dataset>) -> Result<ReferencesOutput, ToolError> {
    let refs: Vec<&Reference> = csf_catalog::referencing(input)
        .into_iter()
        .filter(|r| only.is_none_or(|o| o.key == r.dataset().key))
        .collect();
    if refs.is_empty() {
        let near = csf_catalog::nearest_targets(input, 6);
        return Err(ToolError::NotFound(format!(
            "no CSF 2.0 element cites `{}`{}{}",
            input.chars().take(64).collect::<String>(),
            only.map(|d| format!(" in {}", d.short)).unwrap_or_default(),
            if near.is_empty() {
                ". Reference ids look like IA-2, CP-2(8), 03.11.01, PW.4.1 or PR.AC-7.".to_string()
            } else {
                format!("; nearest reference ids: {}", near.join(", "))
            }
        )));
    }
    let cited_by = refs
        .iter()
        .filter_map(|r| {
            csf_catalog::get(r.csf_id).map(|e| CitingElement {
                element: ElementRef::new(&e, true),
                dataset: r.dataset().short.into(),
                reference_id: r.target_id.into(),
            })
        })
        .collect::<Vec<_>>();
    Ok(ReferencesOutput {
        direction: "to_csf".into(),
        element: None,
        datasets: Vec::new(),
        total: cited_by.len(),
        cited_by,
        note: LABEL.into(),
        source: Source::current(),
    })
}

pub struct GetInformativeReferences;
impl CsfTool for GetInformativeReferences {
    const META: ToolMeta = ToolMeta {
        name: "get_informative_references",
        title: "Informative references (SP 800-53, 800-171 …)",
        description: "NIST's official informative references for CSF 2.0, both ways: for a CSF \
            id, its SP 800-53 Rev 5.2.0 / 5.1.1 controls, SP 800-171 Rev 3 requirements, CSF 1.1, \
            SP 800-221A and SSDF references grouped by dataset; for a control id (IA-2, \
            CP-2(8), 03.11.01, PW.4.1, PR.AC-7), the CSF 2.0 elements that cite it.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ReferencesParams;
    type Output = ReferencesOutput;
    async fn call(_: Call, p: ReferencesParams) -> Result<ReferencesOutput, ToolError> {
        check_len("id", &p.id, 64)?;
        let only = match p.dataset.as_deref() {
            Some(d) => Some(csf_catalog::dataset(d).map_err(ToolError::InvalidValue)?),
            None => None,
        };
        let as_csf = csf_catalog::canonical_id(&p.id).and_then(|id| csf_catalog::get(&id));
        match p.direction {
            Direction::FromCsf => Ok(forward(csf_catalog::resolve(&p.id)?, only)),
            Direction::ToCsf => reverse(&p.id, only),
            Direction::Auto => match as_csf {
                Some(e) if !e.is_withdrawn() => Ok(forward(e, only)),
                _ => reverse(&p.id, only),
            },
        }
    }
}

// ---------------------------------------------------------------- SP 800-53 5.1.1 -> 5.2.0

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingChangesParams {
    /// Only this CSF 2.0 element (default: every element whose mapping changed).
    pub id: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MappingChangeView {
    pub csf_id: String,
    /// Controls NIST's Rev 5.2.0 mapping cites and the Rev 5.1.1 mapping did not.
    pub added_in_5_2_0: Vec<String>,
    /// Controls the Rev 5.1.1 mapping cited and the Rev 5.2.0 mapping does not.
    pub not_in_5_2_0: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MappingChangesOutput {
    pub from: DatasetView,
    pub to: DatasetView,
    pub changes: Vec<MappingChangeView>,
    pub note: String,
}

pub struct CompareSp80053Mappings;
impl CsfTool for CompareSp80053Mappings {
    const META: ToolMeta = ToolMeta {
        name: "compare_sp800_53_mappings",
        title: "SP 800-53 Rev 5.1.1 → 5.2.0 mapping changes",
        description: "What NIST's CSF 2.0 → SP 800-53 Rev 5.2.0 mapping adds to (or drops from) \
            the earlier Rev 5.1.1 mapping, per CSF element.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = MappingChangesParams;
    type Output = MappingChangesOutput;
    async fn call(_: Call, p: MappingChangesParams) -> Result<MappingChangesOutput, ToolError> {
        let only = match p.id.as_deref() {
            Some(id) => {
                check_len("id", id, 64)?;
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
        let ds = |k: &str| csf_catalog::dataset(k).map(DatasetView::from);
        let note = match (only, changes.is_empty()) {
            (Some(id), true) => format!("The two SP 800-53 mappings of {id} are the same."),
            _ => "Compares NIST's OLIR mappings only (control ids compared without zero padding)."
                .into(),
        };
        Ok(MappingChangesOutput {
            from: ds(csf_catalog::SP800_53_OLD).map_err(ToolError::Internal)?,
            to: ds(csf_catalog::SP800_53_NEW).map_err(ToolError::Internal)?,
            changes,
            note,
        })
    }
}
