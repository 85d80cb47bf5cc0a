//! Output shapes of the framework tools and resources: catalog elements turned into the JSON that
//! clients see. Each type derives `JsonSchema`, which becomes the tool's `outputSchema`.

use csf_catalog::{Element, Example, Link};
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
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Outcome statement (omitted in summaries and for withdrawn categories).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// active, or withdrawn (a CSF 1.1 element kept for the crosswalk).
    pub status: String,
}

impl ElementRef {
    pub fn new(e: &Element, with_text: bool) -> Self {
        ElementRef {
            id: e.id().to_string(),
            kind: e.kind().to_string(),
            title: e.title().map(str::to_string),
            text: if with_text {
                e.text().map(str::to_string)
            } else {
                None
            },
            status: status(e).to_string(),
        }
    }
}

pub fn status(e: &Element) -> &'static str {
    if e.is_withdrawn() {
        "withdrawn"
    } else {
        "active"
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
    pub relation: String,
    pub id: String,
}

impl From<&Link> for LinkView {
    fn from(l: &Link) -> Self {
        LinkView {
            relation: l.rel.as_str().to_string(),
            id: l.target.to_string(),
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
    pub fn current() -> Self {
        let m = csf_catalog::meta();
        Source {
            catalog: m.title.to_string(),
            version: m.version.to_string(),
            sha256: m.sha256.to_string(),
        }
    }
}
