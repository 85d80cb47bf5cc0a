//! Framework tools: look up, browse, search, examples, crosswalk, related. Read-only, answered
//! by `csf_domain::framework` from the compiled-in catalog.

use csf_domain::framework::{
    self as fw, CrosswalkOutput, CrosswalkRequest, ExamplesOutput, ExamplesRequest, ListOutput,
    ListRequest, LookupOutput, LookupRequest, RelatedOutput, RelatedRequest, SearchOutput,
    SearchRequest,
};

use crate::mcp::error::ToolError;
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};
use crate::mcp::sampling::PeerSampler;

pub struct CsfLookup;
impl CsfTool for CsfLookup {
    const META: ToolMeta = ToolMeta {
        name: "csf_lookup",
        title: "Look up a CSF 2.0 element",
        description: "Look up any NIST CSF 2.0 element by id (function GV, category GV.OC, \
            subcategory GV.OC-01, implementation example GV.OC-01.001) or a withdrawn CSF 1.1 id. \
            Returns NIST's exact text with parents, children and implementation examples. Ids are \
            forgiving (gv.oc-1); an unknown id returns the nearest valid ids.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = LookupRequest;
    type Output = LookupOutput;
    async fn call(_: Call, p: LookupRequest) -> Result<LookupOutput, ToolError> {
        Ok(fw::lookup(p)?)
    }
}

pub struct SearchFramework;
impl CsfTool for SearchFramework {
    const META: ToolMeta = ToolMeta {
        name: "search_framework",
        title: "Search CSF 2.0",
        description:
            "Ranked full-text search (BM25 with stemming and field synonyms) over NIST CSF \
            2.0 titles, outcome statements and implementation examples. Filter by function, \
            category or element type; withdrawn CSF 1.1 elements only when asked. Paginated. \
            A weak match says so and suggests categories; with rewrite_weak_query, a client \
            that offers MCP sampling is asked to restate a weak query in CSF terms.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = SearchRequest;
    type Output = SearchOutput;
    async fn call(call: Call, p: SearchRequest) -> Result<SearchOutput, ToolError> {
        let sampler = PeerSampler::of(call.peer.as_ref());
        Ok(fw::search_rewriting(p, sampler.as_ref().map_err(|why| *why)).await?)
    }
}

pub struct ListFramework;
impl CsfTool for ListFramework {
    const META: ToolMeta = ToolMeta {
        name: "list_framework",
        title: "Browse the CSF 2.0 structure",
        description: "The NIST CSF 2.0 Core in official order: functions, categories and \
            subcategories (whole tree or one function), or just the counts. Withdrawn CSF 1.1 \
            elements only when asked.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ListRequest;
    type Output = ListOutput;
    async fn call(_: Call, p: ListRequest) -> Result<ListOutput, ToolError> {
        Ok(fw::list(p)?)
    }
}

pub struct GetImplementationExamples;
impl CsfTool for GetImplementationExamples {
    const META: ToolMeta = ToolMeta {
        name: "get_implementation_examples",
        title: "Implementation examples",
        description: "NIST's implementation examples for a CSF 2.0 subcategory (or for every \
            subcategory of a category or function), in catalog order, paginated.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ExamplesRequest;
    type Output = ExamplesOutput;
    async fn call(_: Call, p: ExamplesRequest) -> Result<ExamplesOutput, ToolError> {
        Ok(fw::examples(p)?)
    }
}

pub struct CsfCrosswalk;
impl CsfTool for CsfCrosswalk {
    const META: ToolMeta = ToolMeta {
        name: "csf_crosswalk",
        title: "CSF 1.1 ↔ 2.0 crosswalk",
        description: "Migrate from CSF 1.1: give a withdrawn CSF 1.1 id (PR.AC-1, ID.BE, DE.DP-2) \
            to get the CSF 2.0 elements it was incorporated into or moved to; give a CSF 2.0 id to \
            get the CSF 1.1 outcomes merged into it. Uses the links in NIST's catalog only.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = CrosswalkRequest;
    type Output = CrosswalkOutput;
    async fn call(_: Call, p: CrosswalkRequest) -> Result<CrosswalkOutput, ToolError> {
        Ok(fw::crosswalk(p)?)
    }
}

pub struct GetRelatedSubcategories;
impl CsfTool for GetRelatedSubcategories {
    const META: ToolMeta = ToolMeta {
        name: "get_related_subcategories",
        title: "Related subcategories",
        description: "Subcategories related to a CSF 2.0 subcategory, each with the reason: same \
            category, a shared CSF 1.1 origin (NIST merged one 1.1 outcome into both), or text \
            similarity of outcomes and examples.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = RelatedRequest;
    type Output = RelatedOutput;
    async fn call(_: Call, p: RelatedRequest) -> Result<RelatedOutput, ToolError> {
        Ok(fw::related(p)?)
    }
}
