//! Subcategories related to a subcategory, each with the reasons: the same category, a shared
//! CSF 1.1 origin, or text similarity (see `csf_catalog::related`).

use csf_catalog::{Element, RelationBasis};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::round3;
use super::views::ElementRef;
use super::MAX_ID_LEN;
use crate::error::{check_len, Result};
use crate::paging;

const METHOD: &str = "weight = text similarity (TF-IDF cosine over outcome statements and \
    implementation examples, top 6 computed at build time) + 0.5 per shared CSF 1.1 origin (from \
    the catalog's incorporated_into/moved_to links) + 0.1 for the same category";

/// The subcategory, and how many related ones to return.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RelatedRequest {
    /// An active CSF 2.0 subcategory id, e.g. PR.AA-03.
    pub id: String,
    /// How many to return, 1–30 (default 8).
    pub limit: Option<u32>,
}

/// Why two subcategories are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    SameCategory,
    SharedCsf11Origin,
    TextSimilarity,
}

// One reason, with its evidence.
#[derive(Debug, Serialize, JsonSchema)]
pub struct BasisView {
    /// same_category, shared_csf11_origin or text_similarity.
    pub basis: Basis,
    /// shared_csf11_origin: the withdrawn CSF 1.1 element both incorporate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// text_similarity: cosine similarity, 0–1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
}

// A related subcategory.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RelatedView {
    #[serde(flatten)]
    pub element: ElementRef,
    pub weight: f32,
    pub bases: Vec<BasisView>,
}

/// The related subcategories, strongest first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RelatedOutput {
    pub id: String,
    pub related: Vec<RelatedView>,
    /// How relatedness is derived.
    pub method: String,
}

/// Subcategories related to an active subcategory, strongest first.
pub fn related(req: RelatedRequest) -> Result<RelatedOutput> {
    check_len("id", &req.id, MAX_ID_LEN)?;
    let s = csf_catalog::ids::subcategory(&req.id)?;
    let limit = paging::limit(req.limit, 8, 30)?;
    Ok(RelatedOutput {
        id: s.id.into(),
        related: csf_catalog::related(s)
            .into_iter()
            .take(limit)
            .map(|r| RelatedView {
                element: ElementRef::new(&Element::Subcategory(r.subcategory), true),
                weight: round3(r.weight),
                bases: r.bases.iter().map(basis_view).collect(),
            })
            .collect(),
        method: METHOD.into(),
    })
}

fn basis_view(b: &RelationBasis) -> BasisView {
    let (basis, via, similarity) = match b {
        RelationBasis::SameCategory => (Basis::SameCategory, None, None),
        RelationBasis::SharedCsf11Origin(id) => {
            (Basis::SharedCsf11Origin, Some(id.to_string()), None)
        }
        RelationBasis::TextSimilarity(x) => (Basis::TextSimilarity, None, Some(round3(*x))),
    };
    BasisView {
        basis,
        via,
        similarity,
    }
}
