//! NIST's implementation examples of a subcategory, or of every subcategory of a category or
//! function, in catalog order, paged.

use csf_catalog::{Element, ElementKind, Example};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::views::ExampleView;
use crate::error::{Error, Result};
use crate::paging;

const NOTE: &str = "Implementation examples illustrate ways to achieve an outcome; they are \
    neither exhaustive nor required.";

/// Whose examples, and which page.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExamplesRequest {
    /// A subcategory (PR.AA-03), or a category / function to get the examples of all its
    /// subcategories.
    pub id: String,
    /// Examples per page, 1–100 (default 25).
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// A page of examples.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ExamplesOutput {
    pub id: String,
    pub kind: ElementKind,
    pub total: usize,
    pub examples: Vec<ExampleView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// NIST's caveat, in our words: examples illustrate, they are not a checklist.
    pub note: String,
}

/// One page of the examples under an element.
pub fn examples(req: ExamplesRequest) -> Result<ExamplesOutput> {
    let e = super::element(&req.id)?;
    let all = under(&e);
    if all.is_empty() && e.is_withdrawn() {
        let to: Vec<&str> = e.links().iter().map(|l| l.target).collect();
        return Err(Error::NotFound(format!(
            "{} is a withdrawn CSF 1.1 element and has no implementation examples; its \
             outcome now lives in {}",
            e.id(),
            if to.is_empty() {
                "its subcategories' successors (see csf_crosswalk)".to_string()
            } else {
                to.join(", ")
            }
        )));
    }
    let limit = paging::limit(req.limit, 25, 100)?;
    let offset = paging::decode(req.cursor.as_deref(), e.id())?;
    let end = offset.saturating_add(limit).min(all.len());
    Ok(ExamplesOutput {
        id: e.id().into(),
        kind: e.element_kind(),
        total: all.len(),
        examples: all
            .get(offset.min(all.len())..end)
            .unwrap_or_default()
            .iter()
            .map(|x| ExampleView::from(*x))
            .collect(),
        next_cursor: (end < all.len()).then(|| paging::encode(end, e.id())),
        note: NOTE.into(),
    })
}

/// The examples of an element's subcategories (an example is its own only one).
fn under(e: &Element) -> Vec<&'static Example> {
    match e {
        Element::Subcategory(s) => s.examples().iter().collect(),
        Element::Category(c) => c
            .subcategories()
            .iter()
            .flat_map(|s| s.examples())
            .collect(),
        Element::Function(f) => f.subcategories().flat_map(|s| s.examples()).collect(),
        Element::Example(x) => vec![*x],
    }
}
