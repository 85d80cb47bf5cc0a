//! One element in context: its parents, children, implementation examples and risk parties;
//! with full detail the CSF 1.1 crosswalk and related subcategories; on request NIST's
//! informative references.

use csf_catalog::{Element, Subcategory};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::references::grouped;
use super::views::{Detail, ElementRef, ExampleView, LinkView, PredecessorView, Source};
use crate::error::Result;

/// Any element by id.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupRequest {
    /// Any CSF 2.0 id: function (GV), category (GV.OC), subcategory (GV.OC-01), implementation
    /// example (GV.OC-01.001), or a withdrawn CSF 1.1 id (PR.AC-01). Case, separators and zero
    /// padding are forgiven (gv.oc-1). Function and category names also work ("Protect").
    pub id: String,
    /// summary, standard (default) or full (adds the CSF 1.1 crosswalk and related subcategories).
    #[serde(default)]
    pub detail: Detail,
    /// Also list NIST's informative references (SP 800-53, SP 800-171 …) per dataset.
    #[serde(default)]
    pub include_references: bool,
}

/// A risk party NIST tags a subcategory with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub enum RiskParty {
    #[serde(rename = "1st")]
    First,
    #[serde(rename = "3rd")]
    Third,
}

/// An element in context.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LookupOutput {
    #[serde(flatten)]
    pub element: ElementRef,
    /// Ancestors, nearest first (category, then function).
    pub parents: Vec<ElementRef>,
    /// Direct children in official order (categories of a function, subcategories of a category).
    pub children: Vec<ElementRef>,
    /// Implementation examples (subcategories; omitted in summaries).
    pub examples: Vec<ExampleView>,
    /// Risk parties NIST tags a subcategory with: "1st" and/or "3rd".
    pub risk_parties: Vec<RiskParty>,
    /// For withdrawn CSF 1.1 elements: where the outcome went in CSF 2.0.
    pub withdrawn_to: Vec<LinkView>,
    /// detail=full: withdrawn CSF 1.1 elements incorporated into or moved to this one.
    pub csf11_predecessors: Vec<PredecessorView>,
    /// detail=full, subcategories: related subcategory ids (see get_related_subcategories).
    pub related: Vec<String>,
    /// include_references: NIST's informative references by dataset, with counts and ids.
    pub references: Vec<ReferenceSummary>,
    /// Set when the id was written loosely and normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_from: Option<String>,
    pub source: Source,
}

// A CSF element's references in one dataset, ids only.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferenceSummary {
    /// Dataset key (e.g. sp800-53r5.2.0).
    pub dataset: String,
    /// NIST's short label (e.g. SP 800-53 Rev 5.2.0).
    pub short_name: String,
    pub count: usize,
    /// Reference ids as NIST writes them.
    pub ids: Vec<String>,
}

/// Any element by a loosely written id, in context.
pub fn lookup(req: LookupRequest) -> Result<LookupOutput> {
    let e = super::element(&req.id)?;
    Ok(in_context(e, req.detail, &req.id, req.include_references))
}

/// The `csf://element/{id}` document: standard detail, without references.
pub fn element_doc(id: &str) -> Result<LookupOutput> {
    let id: String = id.chars().take(super::MAX_ID_LEN).collect();
    let e = csf_catalog::resolve(&id)?;
    Ok(in_context(e, Detail::Standard, &id, false))
}

fn in_context(e: Element, detail: Detail, input: &str, include_references: bool) -> LookupOutput {
    let full = detail == Detail::Full;
    let with_text = detail != Detail::Summary;
    let sub = match e {
        Element::Subcategory(s) => Some(s),
        _ => None,
    };
    LookupOutput {
        element: ElementRef::new(&e, true),
        parents: e
            .parents()
            .iter()
            .map(|p| ElementRef::new(p, false))
            .collect(),
        children: children(&e, detail),
        examples: match sub {
            Some(s) if with_text => s.examples().iter().map(ExampleView::from).collect(),
            _ => Vec::new(),
        },
        risk_parties: sub.map(risk_parties).unwrap_or_default(),
        withdrawn_to: e.links().iter().map(LinkView::from).collect(),
        csf11_predecessors: if full && !e.is_withdrawn() {
            csf_catalog::crosswalk(e.id())
                .map(|cw| cw.predecessors.iter().map(PredecessorView::from).collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        },
        related: match sub {
            Some(s) if full && !s.withdrawn => csf_catalog::related(s)
                .iter()
                .take(5)
                .map(|r| r.subcategory.id.to_string())
                .collect(),
            _ => Vec::new(),
        },
        references: if include_references {
            reference_summaries(e.id())
        } else {
            Vec::new()
        },
        resolved_from: (input.trim() != e.id()).then(|| input.trim().to_string()),
        source: Source::current(),
    }
}

/// Direct children of a function or category. An active element's withdrawn children only
/// clutter a standard answer: they are listed with full detail or under a withdrawn parent.
fn children(e: &Element, detail: Detail) -> Vec<ElementRef> {
    let with_text = detail != Detail::Summary;
    let all: Vec<Element> = match e {
        Element::Function(f) => f.categories().iter().map(Element::Category).collect(),
        Element::Category(c) => c.subcategories().iter().map(Element::Subcategory).collect(),
        _ => Vec::new(),
    };
    let keep_withdrawn = e.is_withdrawn() || detail == Detail::Full;
    all.iter()
        .filter(|c| keep_withdrawn || !c.is_withdrawn())
        .map(|c| ElementRef::new(c, with_text))
        .collect()
}

fn risk_parties(s: &Subcategory) -> Vec<RiskParty> {
    [
        (s.risk.first_party, RiskParty::First),
        (s.risk.third_party, RiskParty::Third),
    ]
    .into_iter()
    .filter_map(|(tagged, party)| tagged.then_some(party))
    .collect()
}

fn reference_summaries(id: &str) -> Vec<ReferenceSummary> {
    grouped(id, None)
        .into_iter()
        .map(|g| ReferenceSummary {
            dataset: g.dataset.key,
            short_name: g.dataset.short_name,
            count: g.count,
            ids: g.references.into_iter().map(|r| r.id).collect(),
        })
        .collect()
}
