//! The framework area: everything answered from the compiled-in CSF 2.0 catalog. Looking an
//! element up, browsing and searching the Core, implementation examples, the CSF 1.1 crosswalk,
//! related subcategories, NIST's informative references, and completion of CSF arguments.
//!
//! These are plain functions (no store is involved): typed request in, typed output out, one
//! [`Error`](crate::Error) whose message names what is valid. Requests derive `Deserialize` and
//! `JsonSchema` (their doc comments describe each argument), outputs `Serialize` and
//! `JsonSchema`, so every front end can take and publish them as they are. Types nested in an
//! output are described with plain comments where a doc comment would add a description to
//! every published schema that embeds them (their fields carry the descriptions).
//!
//! ```
//! use csf_domain::framework::{lookup, LookupRequest};
//! let req: LookupRequest = serde_json::from_value(serde_json::json!({"id": "gv.oc-1"})).unwrap();
//! let out = lookup(req).unwrap();
//! assert_eq!(out.element.id, "GV.OC-01");
//! assert_eq!(out.resolved_from.as_deref(), Some("gv.oc-1"));
//! ```

mod browse;
pub mod complete;
mod crosswalk;
mod examples;
mod lookup;
mod mappings;
mod references;
mod related;
mod rewrite;
mod search;
mod views;

#[cfg(test)]
mod rewrite_tests;
#[cfg(test)]
mod tests;

pub use browse::{
    framework_doc, functions, list, CategoryNode, CountsView, FrameworkDoc, FunctionNode,
    ListOutput, ListRequest, ListView, SubcategoryNode,
};
pub use crosswalk::{crosswalk, CrosswalkOutput, CrosswalkRequest, SubcategoryMove, SuccessorView};
pub use examples::{examples, ExamplesOutput, ExamplesRequest};
pub use lookup::{element_doc, lookup, LookupOutput, LookupRequest, ReferenceSummary, RiskParty};
pub use mappings::{
    mapping_doc, sp800_53_changes, MappingChangeView, MappingChangesOutput, MappingChangesRequest,
    MappingDoc, MappingRow,
};
pub use references::{
    grouped, references, CitingElement, DatasetGroup, DatasetView, Direction, DirectionTaken,
    ReferencesOutput, ReferencesRequest, TargetView,
};
pub use related::{related, Basis, BasisView, RelatedOutput, RelatedRequest, RelatedView};
pub use rewrite::{
    clean_query, search_rewriting, ModelReply, QueryRewriter, RewritePrompt, MAX_REWRITE_CHARS,
    REWRITE_MAX_TOKENS, REWRITE_TIMEOUT,
};
pub use search::{search, ElementType, QueryRewrite, SearchOutput, SearchRequest, SearchResult};
pub use views::{Detail, ElementRef, ExampleView, LinkView, PredecessorView, Source};

use crate::error::{check_len, Result};

/// Longest CSF id argument accepted (the longest real one is 12 characters).
const MAX_ID_LEN: usize = 64;

/// Any element by a loosely written id (see `csf_catalog::resolve`).
fn element(id: &str) -> Result<csf_catalog::Element> {
    check_len("id", id, MAX_ID_LEN)?;
    Ok(csf_catalog::resolve(id)?)
}

/// The `function` filter of a listing or search: a function id or name.
fn function_filter(input: Option<&str>) -> Result<Option<&'static str>> {
    let Some(input) = input else { return Ok(None) };
    check_len("function", input, MAX_ID_LEN)?;
    Ok(Some(csf_catalog::ids::function(input)?.id))
}

/// Scores and weights to three decimals (further digits are noise to a reader).
fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}
