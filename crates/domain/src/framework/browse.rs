//! The Core as a tree in official order (`list_framework`, the `csf://framework` document) and
//! its element counts.

use csf_catalog::{Category, Element, ElementStatus, Function, Subcategory};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::function_filter;
use super::views::{ElementRef, Source};
use crate::error::Result;

/// What to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListView {
    /// Functions, categories and subcategory ids (default).
    #[default]
    Tree,
    /// Counts only.
    Counts,
}

/// Which part of the Core to list, and how much of it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRequest {
    /// tree (default) or counts.
    #[serde(default)]
    pub view: ListView,
    /// Only this function (GV, ID, PR, DE, RS, RC).
    pub function: Option<String>,
    /// Include outcome statements of categories and subcategories (default false: ids and titles).
    #[serde(default)]
    pub with_text: bool,
    /// Also list withdrawn CSF 1.1 categories and subcategories (default false).
    #[serde(default)]
    pub include_withdrawn: bool,
}

// Element counts of the catalog.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CountsView {
    pub functions: usize,
    pub categories: usize,
    pub subcategories: usize,
    pub implementation_examples: usize,
    pub withdrawn_categories: usize,
    pub withdrawn_subcategories: usize,
}

// A subcategory in the tree.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SubcategoryNode {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub status: ElementStatus,
}

// A category in the tree.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CategoryNode {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub status: ElementStatus,
    pub subcategories: Vec<SubcategoryNode>,
}

// A function in the tree.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FunctionNode {
    pub id: String,
    pub title: String,
    pub overview: String,
    pub categories: Vec<CategoryNode>,
}

/// The counts and (for view=tree) the tree.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListOutput {
    pub counts: CountsView,
    /// The tree in official CSF 2.0 order (empty for view=counts).
    pub functions: Vec<FunctionNode>,
    pub source: Source,
}

/// The `csf://framework` document: every active element with its text.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FrameworkDoc {
    pub counts: CountsView,
    pub functions: Vec<FunctionNode>,
    pub source: Source,
}

/// The counts, and the tree of one function or of all.
pub fn list(req: ListRequest) -> Result<ListOutput> {
    let function = function_filter(req.function.as_deref())?;
    let functions = match req.view {
        ListView::Counts => Vec::new(),
        ListView::Tree => tree(function, req.with_text, req.include_withdrawn),
    };
    Ok(ListOutput {
        counts: counts(),
        functions,
        source: Source::current(),
    })
}

/// The whole active Core with NIST's text.
pub fn framework_doc() -> FrameworkDoc {
    FrameworkDoc {
        counts: counts(),
        functions: tree(None, true, false),
        source: Source::current(),
    }
}

/// The six functions (id and title), in official order.
pub fn functions() -> Vec<ElementRef> {
    csf_catalog::functions()
        .iter()
        .map(|f| ElementRef::new(&Element::Function(f), false))
        .collect()
}

fn counts() -> CountsView {
    let c = csf_catalog::counts();
    CountsView {
        functions: c.functions,
        categories: c.active_categories,
        subcategories: c.active_subcategories,
        implementation_examples: c.implementation_examples,
        withdrawn_categories: c.withdrawn_categories,
        withdrawn_subcategories: c.withdrawn_subcategories,
    }
}

/// What to put in each node.
#[derive(Clone, Copy)]
struct Shape {
    with_text: bool,
    include_withdrawn: bool,
}

fn tree(function: Option<&str>, with_text: bool, include_withdrawn: bool) -> Vec<FunctionNode> {
    let shape = Shape {
        with_text,
        include_withdrawn,
    };
    csf_catalog::functions()
        .iter()
        .filter(|f| function.is_none_or(|id| f.id == id))
        .map(|f| function_node(f, shape))
        .collect()
}

fn function_node(f: &'static Function, shape: Shape) -> FunctionNode {
    FunctionNode {
        id: f.id.into(),
        title: f.title.into(),
        overview: f.overview.into(),
        categories: f
            .categories()
            .iter()
            .filter(|c| shape.include_withdrawn || !c.withdrawn)
            .map(|c| category_node(c, shape))
            .collect(),
    }
}

fn category_node(c: &'static Category, shape: Shape) -> CategoryNode {
    CategoryNode {
        id: c.id.into(),
        title: c.title.into(),
        text: c.statement.filter(|_| shape.with_text).map(str::to_string),
        status: Element::Category(c).status(),
        subcategories: c
            .subcategories()
            .iter()
            .filter(|s| shape.include_withdrawn || !s.withdrawn)
            .map(|s| subcategory_node(s, shape))
            .collect(),
    }
}

fn subcategory_node(s: &'static Subcategory, shape: Shape) -> SubcategoryNode {
    SubcategoryNode {
        id: s.id.into(),
        text: shape.with_text.then(|| s.statement.to_string()),
        status: Element::Subcategory(s).status(),
    }
}
