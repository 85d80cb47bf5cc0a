//! Output shapes shared by the framework operations: catalog elements as clients see them.
//! Every type derives `JsonSchema`, so a front end can publish the shape (an MCP tool's
//! `outputSchema`); fields with a fixed set of values are enums, so the schema lists them.

use csf_catalog::{Element, ElementKind, ElementStatus, Example, Link, LinkRel, Predecessor};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How much of an element to return.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// Ids, titles and the element's own text.
    Summary,
    /// Also children's text and implementation examples.
    #[default]
    Standard,
    /// Also the CSF 1.1 crosswalk and related subcategories.
    Full,
}

/// A short reference to another element.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ElementRef {
    pub id: String,
    /// function, category, subcategory or implementation_example.
    pub kind: ElementKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Outcome statement (omitted in summaries and for withdrawn categories).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// active, or withdrawn (a CSF 1.1 element kept for the crosswalk).
    pub status: ElementStatus,
}

impl ElementRef {
    /// The element's id, kind, title and status; its text when `with_text`.
    pub fn new(e: &Element, with_text: bool) -> Self {
        ElementRef {
            id: e.id().to_string(),
            kind: e.element_kind(),
            title: e.title().map(str::to_string),
            text: if with_text {
                e.text().map(str::to_string)
            } else {
                None
            },
            status: e.status(),
        }
    }
}

/// An implementation example.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExampleView {
    pub id: String,
    pub subcategory: String,
    /// 1-based position within its subcategory.
    pub ordinal: u8,
    pub text: String,
}

impl From<&Example> for ExampleView {
    fn from(e: &Example) -> Self {
        ExampleView {
            id: e.id.to_string(),
            subcategory: e.subcategory().id.to_string(),
            ordinal: e.ordinal,
            text: e.text.to_string(),
        }
    }
}

/// A crosswalk link between a withdrawn CSF 1.1 element and a CSF 2.0 element.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LinkView {
    /// incorporated_into (merged into the target) or moved_to (moved essentially unchanged).
    pub relation: LinkRel,
    pub id: String,
}

impl From<&Link> for LinkView {
    fn from(l: &Link) -> Self {
        LinkView {
            relation: l.rel,
            id: l.target.to_string(),
        }
    }
}

// A withdrawn CSF 1.1 element whose outcome went into a CSF 2.0 element.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PredecessorView {
    pub id: String,
    pub kind: ElementKind,
    /// incorporated_into or moved_to.
    pub relation: LinkRel,
    /// The CSF 1.1 outcome text, where the catalog keeps it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl From<&Predecessor> for PredecessorView {
    fn from(p: &Predecessor) -> Self {
        PredecessorView {
            id: p.element.id().to_string(),
            kind: p.element.element_kind(),
            relation: p.rel,
            text: p.element.text().map(str::to_string),
        }
    }
}

/// Catalog provenance, echoed so answers can be traced to NIST's file.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Source {
    pub catalog: String,
    pub version: String,
    pub sha256: String,
}

impl Source {
    /// The compiled-in catalog's title, version and sha256.
    pub fn current() -> Self {
        let m = csf_catalog::meta();
        Source {
            catalog: m.title.to_string(),
            version: m.version.to_string(),
            sha256: m.sha256.to_string(),
        }
    }
}
