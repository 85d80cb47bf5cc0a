//! Informative references (NIST OLIR) both ways: a CSF element's references grouped by
//! dataset, and the CSF 2.0 elements citing a control, requirement, task or CSF 1.1 id. Only
//! NIST's datasets, labelled by name.

use csf_catalog::{Dataset, DatasetRelation, Element, Reference, TargetType};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::views::{ElementRef, Source};
use super::MAX_ID_LEN;
use crate::error::{check_len, Error, Result};

const LABEL: &str = "Informative references from NIST's CSF 2.0 Reference Tool data for NIST's own \
    datasets (OLIR mappings and SP 800-53 family pointers). They are informative, not requirements.";

/// Which way to read an id.
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

/// The way an answer was read (never `auto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DirectionTaken {
    FromCsf,
    ToCsf,
}

/// References of a CSF element, or the CSF elements citing a reference id.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferencesRequest {
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

// One of NIST's datasets.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DatasetView {
    /// Our key, e.g. sp800-53r5.2.0.
    pub key: String,
    /// NIST's dataset name.
    pub name: String,
    /// NIST's short label.
    pub short_name: String,
    /// olir_focal or external_reference.
    pub relation: DatasetRelation,
}

impl From<&Dataset> for DatasetView {
    fn from(d: &Dataset) -> Self {
        DatasetView {
            key: d.key.into(),
            name: d.name.into(),
            short_name: d.short.into(),
            relation: d.relation,
        }
    }
}

// One reference of a CSF element.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TargetView {
    /// As NIST writes it (zero-padded, e.g. IA-02).
    pub id: String,
    /// control, control_enhancement, family, requirement, task, subcategory, category, function.
    pub kind: TargetType,
    /// NIST's OLIR entry id (absent for family pointers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub olir_entry_id: Option<String>,
}

// A CSF element's references in one dataset.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DatasetGroup {
    pub dataset: DatasetView,
    pub count: usize,
    pub references: Vec<TargetView>,
}

// A CSF 2.0 element citing a reference id, once however many datasets cite it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CitingElement {
    #[serde(flatten)]
    pub element: ElementRef,
    /// The datasets (e.g. both SP 800-53 revisions) that tie it to the reference id, in
    /// NIST's dataset order.
    pub datasets: Vec<String>,
    /// The reference id as NIST writes it in those datasets.
    pub reference_ids: Vec<String>,
}

/// References one way or the other.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferencesOutput {
    /// from_csf or to_csf.
    pub direction: DirectionTaken,
    /// from_csf: the CSF element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<ElementRef>,
    /// from_csf: references grouped by dataset.
    pub datasets: Vec<DatasetGroup>,
    /// to_csf: CSF 2.0 elements citing the reference id, each once, in official order.
    pub cited_by: Vec<CitingElement>,
    /// to_csf: the base control answered for an SP 800-53 enhancement that NIST's data does
    /// not map itself (e.g. IA-2 for IA-2(1)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fell_back_to: Option<String>,
    /// from_csf: references listed; to_csf: CSF elements citing it.
    pub total: usize,
    pub note: String,
    pub source: Source,
}

/// A CSF element's references, or the CSF 2.0 elements citing a reference id.
pub fn references(req: ReferencesRequest) -> Result<ReferencesOutput> {
    check_len("id", &req.id, MAX_ID_LEN)?;
    let only = req
        .dataset
        .as_deref()
        .map(|d| csf_catalog::dataset(d).map_err(Error::Invalid))
        .transpose()?;
    match req.direction {
        Direction::FromCsf => Ok(forward(csf_catalog::resolve(&req.id)?, only)),
        Direction::ToCsf => reverse(&req.id, only),
        // A CSF 1.1 id is read as a reference id: the CSF v1.1 dataset cites it.
        Direction::Auto => {
            match csf_catalog::canonical_id(&req.id).and_then(|i| csf_catalog::get(&i)) {
                Some(e) if !e.is_withdrawn() => Ok(forward(e, only)),
                _ => reverse(&req.id, only),
            }
        }
    }
}

fn target_view(r: &Reference) -> TargetView {
    TargetView {
        id: r.target_id.into(),
        kind: r.target_type,
        olir_entry_id: (!r.olir_entry_id.is_empty()).then(|| r.olir_entry_id.into()),
    }
}

/// References of a CSF element (canonical id) grouped by dataset, in NIST's dataset order.
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
        direction: DirectionTaken::FromCsf,
        element: Some(ElementRef::new(&e, false)),
        datasets,
        cited_by: Vec::new(),
        fell_back_to: None,
        total,
        note,
        source: Source::current(),
    }
}

fn cited(input: &str, only: Option<&Dataset>) -> Vec<&'static Reference> {
    csf_catalog::referencing(input)
        .into_iter()
        .filter(|r| only.is_none_or(|o| o.key == r.dataset().key))
        .collect()
}

/// The base control of an SP 800-53 enhancement (`IA-2(1)` → `IA-2`), if `input` is one.
fn base_control(input: &str) -> Option<&str> {
    let t = input.trim();
    let open = t.find('(')?;
    let base = t[..open].trim_end();
    (t.ends_with(')') && base.contains('-') && !base.is_empty()).then_some(base)
}

fn not_cited(input: &str, only: Option<&Dataset>) -> Error {
    let near = csf_catalog::nearest_targets(input, 6);
    Error::NotFound(format!(
        "no CSF 2.0 element cites `{}`{}{}",
        input.chars().take(64).collect::<String>(),
        only.map(|d| format!(" in {}", d.short)).unwrap_or_default(),
        if near.is_empty() {
            ". Reference ids look like IA-2, CP-2(8), 03.11.01, PW.4.1 or PR.AC-7.".to_string()
        } else {
            format!("; nearest reference ids: {}", near.join(", "))
        }
    ))
}

/// One row per CSF element, in the order of the references (official CSF order), with the
/// datasets citing it in NIST's dataset order.
fn group_by_element(refs: &[&'static Reference]) -> Vec<CitingElement> {
    let mut out: Vec<CitingElement> = Vec::new();
    let order = |short: &str| {
        csf_catalog::datasets()
            .iter()
            .position(|d| d.short == short)
            .unwrap_or(usize::MAX)
    };
    for r in refs {
        let Some(e) = csf_catalog::get(r.csf_id) else {
            continue;
        };
        let short: String = r.dataset().short.into();
        let target: String = r.target_id.into();
        match out.iter_mut().find(|c| c.element.id == r.csf_id) {
            Some(c) => {
                if !c.datasets.contains(&short) {
                    c.datasets.push(short);
                }
                if !c.reference_ids.contains(&target) {
                    c.reference_ids.push(target);
                }
            }
            None => out.push(CitingElement {
                element: ElementRef::new(&e, true),
                datasets: vec![short],
                reference_ids: vec![target],
            }),
        }
    }
    for c in &mut out {
        c.datasets.sort_by_key(|d| order(d));
    }
    out
}

fn reverse(input: &str, only: Option<&Dataset>) -> Result<ReferencesOutput> {
    let mut refs = cited(input, only);
    let mut fell_back_to = None;
    if refs.is_empty() {
        // NIST maps few enhancements: answer for the base control, and say so.
        let base = base_control(input).map(|b| (b, cited(b, only)));
        match base {
            Some((b, found)) if !found.is_empty() => {
                refs = found;
                fell_back_to = Some(b.to_owned());
            }
            _ => return Err(not_cited(input, only)),
        }
    }
    let cited_by = group_by_element(&refs);
    let note = match &fell_back_to {
        Some(base) => format!(
            "NIST's data maps no CSF 2.0 element to the enhancement {}; these elements cite \
             its base control {base}. {LABEL}",
            input.trim().chars().take(64).collect::<String>()
        ),
        None => LABEL.into(),
    };
    Ok(ReferencesOutput {
        direction: DirectionTaken::ToCsf,
        element: None,
        datasets: Vec::new(),
        total: cited_by.len(),
        cited_by,
        fell_back_to,
        note,
        source: Source::current(),
    })
}
