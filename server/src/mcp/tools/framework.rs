//! Framework tools: look up, browse, search, examples, crosswalk, related. Read-only, answered
//! from the compiled-in catalog.

use csf_catalog::{Element, Level, RelationBasis};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::mcp::error::{check_len, ToolError};
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};
use crate::mcp::views::{status, Detail, ElementRef, ExampleView, LinkView, Source};
use csf_domain::paging as cursor;

const MAX_ID_LEN: usize = 64;
const MAX_QUERY_LEN: usize = 512;

fn lookup(id: &str) -> Result<Element, ToolError> {
    check_len("id", id, MAX_ID_LEN)?;
    Ok(csf_catalog::resolve(id)?)
}

fn function_filter(id: Option<&str>) -> Result<Option<&'static str>, ToolError> {
    let Some(id) = id else { return Ok(None) };
    match lookup(id)? {
        Element::Function(f) => Ok(Some(f.id)),
        other => Err(ToolError::InvalidValue(format!(
            "`function` must be a function id (GV, ID, PR, DE, RS, RC); `{}` is a {}",
            other.id(),
            other.kind()
        ))),
    }
}

// ---------------------------------------------------------------- csf_lookup

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupParams {
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
    pub risk_parties: Vec<String>,
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

#[derive(Debug, Serialize, JsonSchema)]
pub struct PredecessorView {
    pub id: String,
    pub kind: String,
    /// incorporated_into or moved_to.
    pub relation: String,
    /// The CSF 1.1 outcome text, where the catalog keeps it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

pub fn children_of(e: &Element) -> Vec<Element> {
    match e {
        Element::Function(f) => f.categories().iter().map(Element::Category).collect(),
        Element::Category(c) => c.subcategories().iter().map(Element::Subcategory).collect(),
        _ => Vec::new(),
    }
}

fn reference_summaries(id: &str) -> Vec<ReferenceSummary> {
    super::references::grouped(id, None)
        .into_iter()
        .map(|g| ReferenceSummary {
            dataset: g.dataset.key,
            short_name: g.dataset.short_name,
            count: g.count,
            ids: g.references.into_iter().map(|r| r.id).collect(),
        })
        .collect()
}

pub fn lookup_view(
    e: Element,
    detail: Detail,
    input: &str,
    include_references: bool,
) -> LookupOutput {
    let with_text = detail != Detail::Summary;
    let mut children: Vec<ElementRef> = children_of(&e)
        .iter()
        .map(|c| ElementRef::new(c, with_text))
        .collect();
    // An active element's children: withdrawn ones only clutter a standard answer.
    if !e.is_withdrawn() && detail != Detail::Full {
        children.retain(|c| c.status == "active");
    }
    let (examples, risk_parties) = match e {
        Element::Subcategory(s) => {
            let ex = if with_text {
                s.examples().iter().map(ExampleView::from).collect()
            } else {
                Vec::new()
            };
            let mut rp = Vec::new();
            if s.risk.first_party {
                rp.push("1st".to_string());
            }
            if s.risk.third_party {
                rp.push("3rd".to_string());
            }
            (ex, rp)
        }
        _ => (Vec::new(), Vec::new()),
    };
    let full = detail == Detail::Full;
    let csf11_predecessors = if full && !e.is_withdrawn() {
        csf_catalog::crosswalk(e.id())
            .map(|cw| cw.predecessors.iter().map(predecessor_view).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let related = match e {
        Element::Subcategory(s) if full && !s.withdrawn => csf_catalog::related(s)
            .iter()
            .take(5)
            .map(|r| r.subcategory.id.to_string())
            .collect(),
        _ => Vec::new(),
    };
    let resolved_from = (input.trim() != e.id()).then(|| input.trim().to_string());
    LookupOutput {
        element: ElementRef::new(&e, true),
        parents: e
            .parents()
            .iter()
            .map(|p| ElementRef::new(p, false))
            .collect(),
        children,
        examples,
        risk_parties,
        withdrawn_to: e.links().iter().map(LinkView::from).collect(),
        csf11_predecessors,
        related,
        references: if include_references {
            reference_summaries(e.id())
        } else {
            Vec::new()
        },
        resolved_from,
        source: Source::current(),
    }
}

fn predecessor_view(p: &csf_catalog::Predecessor) -> PredecessorView {
    PredecessorView {
        id: p.element.id().to_string(),
        kind: p.element.kind().to_string(),
        relation: p.rel.as_str().to_string(),
        text: p.element.text().map(str::to_string),
    }
}

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
    type Params = LookupParams;
    type Output = LookupOutput;
    async fn call(_: Call, p: LookupParams) -> Result<LookupOutput, ToolError> {
        let e = lookup(&p.id)?;
        Ok(lookup_view(e, p.detail, &p.id, p.include_references))
    }
}

// ---------------------------------------------------------------- search_framework

/// Element levels a search can be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ElementType {
    Function,
    Category,
    Subcategory,
}

impl From<ElementType> for Level {
    fn from(t: ElementType) -> Level {
        match t {
            ElementType::Function => Level::Function,
            ElementType::Category => Level::Category,
            ElementType::Subcategory => Level::Subcategory,
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words to search for in titles, outcome statements and implementation examples, e.g.
    /// "supply chain risk" or "MFA". Common abbreviations are expanded (MFA, SBOM, IR, BCP …).
    pub query: String,
    /// Only this function (GV, ID, PR, DE, RS, RC).
    pub function: Option<String>,
    /// Only this category and its subcategories (e.g. PR.AA).
    pub category: Option<String>,
    /// Only these levels (default: all).
    pub element_types: Option<Vec<ElementType>>,
    /// Also search withdrawn CSF 1.1 elements (default false).
    #[serde(default)]
    pub include_withdrawn: bool,
    /// Results per page, 1–50 (default 10).
    pub limit: Option<u32>,
    /// `next_cursor` from a previous page of the same query.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SearchResult {
    #[serde(flatten)]
    pub element: ElementRef,
    /// BM25 relevance (higher is better; comparable within one query only).
    pub score: f32,
    /// The query words (or their synonyms) found in this element.
    pub matched: Vec<String>,
    /// Implementation examples of a subcategory that contain a matched word.
    pub matched_examples: Vec<ExampleView>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SearchOutput {
    pub query: String,
    /// Matching elements across all pages.
    pub total: usize,
    pub results: Vec<SearchResult>,
    /// Synonyms and practitioner concepts the query was expanded with.
    pub expanded_with: Vec<String>,
    /// True when nothing matched well (no result, or the best one matches less than half of
    /// the query's words): the results are guesses; rephrase, or browse `suggested_categories`.
    pub weak_match: bool,
    /// For a weak match: categories whose outcomes came closest, best first (browse them with
    /// `csf_lookup`).
    pub suggested_categories: Vec<ElementRef>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// How results are ranked.
    pub method: String,
}

pub struct SearchFramework;
impl CsfTool for SearchFramework {
    const META: ToolMeta = ToolMeta {
        name: "search_framework",
        title: "Search CSF 2.0",
        description:
            "Ranked full-text search (BM25 with stemming and field synonyms) over NIST CSF \
            2.0 titles, outcome statements and implementation examples. Filter by function, \
            category or element type; withdrawn CSF 1.1 elements only when asked. Paginated.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = SearchParams;
    type Output = SearchOutput;
    async fn call(_: Call, p: SearchParams) -> Result<SearchOutput, ToolError> {
        check_len("query", &p.query, MAX_QUERY_LEN)?;
        let function = function_filter(p.function.as_deref())?;
        let category = match p.category.as_deref() {
            None => None,
            Some(c) => match lookup(c)? {
                Element::Category(c) => Some(c.id),
                other => {
                    return Err(ToolError::InvalidValue(format!(
                        "`category` must be a category id such as PR.AA; `{}` is a {}",
                        other.id(),
                        other.kind()
                    )))
                }
            },
        };
        let levels: Vec<Level> = p
            .element_types
            .unwrap_or_default()
            .into_iter()
            .map(Level::from)
            .collect();
        let limit = cursor::limit(p.limit, 10, csf_catalog::MAX_LIMIT)?;
        let offset = cursor::decode(p.cursor.as_deref(), &p.query)?;
        let mut q = csf_catalog::SearchQuery::new(&p.query);
        q.function = function;
        q.category = category;
        q.levels = &levels;
        q.include_withdrawn = p.include_withdrawn;
        q.offset = offset;
        q.limit = limit;
        let page = csf_catalog::search(&q);
        if !page.searchable {
            return Err(ToolError::InvalidValue(
                "`query` has no searchable words (only punctuation or very common words); try \
                 e.g. \"supply chain risk\" or \"MFA\""
                    .into(),
            ));
        }
        Ok(SearchOutput {
            query: p.query.clone(),
            total: page.total,
            results: page
                .hits
                .iter()
                .map(|h| SearchResult {
                    element: ElementRef::new(&h.element, true),
                    score: (h.score * 1000.0).round() / 1000.0,
                    matched: h.matched.clone(),
                    matched_examples: h
                        .matched_examples
                        .iter()
                        .map(|e| ExampleView::from(*e))
                        .collect(),
                })
                .collect(),
            expanded_with: page.expansions,
            weak_match: page.weak,
            suggested_categories: page
                .suggested_categories
                .iter()
                .map(|c| ElementRef::new(&Element::Category(c), false))
                .collect(),
            next_cursor: page.next_offset.map(|o| cursor::encode(o, &p.query)),
            method: "BM25 (k1=1.2, b=0.75) over titles (3), outcome statements (2), \
                     implementation examples (1), the parent category title (0.5) and words for \
                     the SP 800-53 controls NIST maps each outcome to; Snowball stemming; \
                     synonyms and practitioner terms expanded; categories behind their outcomes"
                .into(),
        })
    }
}

// ---------------------------------------------------------------- list_framework

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListView {
    /// Functions, categories and subcategory ids (default).
    #[default]
    Tree,
    /// Counts only.
    Counts,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
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

#[derive(Debug, Serialize, JsonSchema)]
pub struct CountsView {
    pub functions: usize,
    pub categories: usize,
    pub subcategories: usize,
    pub implementation_examples: usize,
    pub withdrawn_categories: usize,
    pub withdrawn_subcategories: usize,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SubcategoryNode {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub status: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CategoryNode {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub status: String,
    pub subcategories: Vec<SubcategoryNode>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct FunctionNode {
    pub id: String,
    pub title: String,
    pub overview: String,
    pub categories: Vec<CategoryNode>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ListOutput {
    pub counts: CountsView,
    /// The tree in official CSF 2.0 order (empty for view=counts).
    pub functions: Vec<FunctionNode>,
    pub source: Source,
}

pub fn counts_view() -> CountsView {
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

pub fn tree(function: Option<&str>, with_text: bool, include_withdrawn: bool) -> Vec<FunctionNode> {
    let text = |t: Option<&str>| {
        if with_text {
            t.map(str::to_string)
        } else {
            None
        }
    };
    csf_catalog::functions()
        .iter()
        .filter(|f| function.is_none_or(|id| f.id == id))
        .map(|f| FunctionNode {
            id: f.id.into(),
            title: f.title.into(),
            overview: f.overview.into(),
            categories: f
                .categories()
                .iter()
                .filter(|c| include_withdrawn || !c.withdrawn)
                .map(|c| CategoryNode {
                    id: c.id.into(),
                    title: c.title.into(),
                    text: text(c.statement),
                    status: status(&Element::Category(c)).into(),
                    subcategories: c
                        .subcategories()
                        .iter()
                        .filter(|s| include_withdrawn || !s.withdrawn)
                        .map(|s| SubcategoryNode {
                            id: s.id.into(),
                            text: text(Some(s.statement)),
                            status: status(&Element::Subcategory(s)).into(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
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
    type Params = ListParams;
    type Output = ListOutput;
    async fn call(_: Call, p: ListParams) -> Result<ListOutput, ToolError> {
        let function = function_filter(p.function.as_deref())?;
        let functions = match p.view {
            ListView::Counts => Vec::new(),
            ListView::Tree => tree(function, p.with_text, p.include_withdrawn),
        };
        Ok(ListOutput {
            counts: counts_view(),
            functions,
            source: Source::current(),
        })
    }
}

// ---------------------------------------------------------------- get_implementation_examples

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExamplesParams {
    /// A subcategory (PR.AA-03), or a category / function to get the examples of all its
    /// subcategories.
    pub id: String,
    /// Examples per page, 1–100 (default 25).
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ExamplesOutput {
    pub id: String,
    pub kind: String,
    pub total: usize,
    pub examples: Vec<ExampleView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// NIST's caveat, in our words: examples illustrate, they are not a checklist.
    pub note: String,
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
    type Params = ExamplesParams;
    type Output = ExamplesOutput;
    async fn call(_: Call, p: ExamplesParams) -> Result<ExamplesOutput, ToolError> {
        let e = lookup(&p.id)?;
        let all: Vec<&csf_catalog::Example> = match e {
            Element::Subcategory(s) => s.examples().iter().collect(),
            Element::Category(c) => c
                .subcategories()
                .iter()
                .flat_map(|s| s.examples())
                .collect(),
            Element::Function(f) => f.subcategories().flat_map(|s| s.examples()).collect(),
            Element::Example(x) => vec![x],
        };
        if all.is_empty() && e.is_withdrawn() {
            let to: Vec<&str> = e.links().iter().map(|l| l.target).collect();
            return Err(ToolError::NotFound(format!(
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
        let limit = cursor::limit(p.limit, 25, 100)?;
        let offset = cursor::decode(p.cursor.as_deref(), e.id())?;
        let end = offset.saturating_add(limit).min(all.len());
        Ok(ExamplesOutput {
            id: e.id().into(),
            kind: e.kind().into(),
            total: all.len(),
            examples: all
                .get(offset.min(all.len())..end)
                .unwrap_or_default()
                .iter()
                .map(|x| ExampleView::from(*x))
                .collect(),
            next_cursor: (end < all.len()).then(|| cursor::encode(end, e.id())),
            note: "Implementation examples illustrate ways to achieve an outcome; they are \
                   neither exhaustive nor required."
                .into(),
        })
    }
}

// ---------------------------------------------------------------- csf_crosswalk

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrosswalkParams {
    /// A CSF 1.1 id (PR.AC-1, ID.BE) to see where it went in CSF 2.0, or a CSF 2.0 id (GV.OC-05)
    /// to see which withdrawn CSF 1.1 outcomes were merged into it.
    pub id: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SuccessorView {
    /// incorporated_into or moved_to.
    pub relation: String,
    #[serde(flatten)]
    pub element: ElementRef,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SubcategoryMove {
    /// The withdrawn CSF 1.1 subcategory.
    pub from: String,
    pub relation: String,
    pub to: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CrosswalkOutput {
    pub input: ElementRef,
    /// csf11_to_csf20 (the input is withdrawn) or csf20_to_csf11 (the input is active).
    pub direction: String,
    /// csf11_to_csf20: the CSF 2.0 elements that carry the outcome now.
    pub successors: Vec<SuccessorView>,
    /// csf11_to_csf20, withdrawn categories: where each of their subcategories went.
    pub subcategory_moves: Vec<SubcategoryMove>,
    /// csf20_to_csf11: withdrawn CSF 1.1 elements whose outcome went into the input.
    pub predecessors: Vec<PredecessorView>,
    pub note: String,
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
    type Params = CrosswalkParams;
    type Output = CrosswalkOutput;
    async fn call(_: Call, p: CrosswalkParams) -> Result<CrosswalkOutput, ToolError> {
        check_len("id", &p.id, MAX_ID_LEN)?;
        let cw = csf_catalog::crosswalk(&p.id)?;
        let forward = cw.direction == csf_catalog::CrosswalkDirection::Forward;
        let note = if forward {
            if cw.successors.is_empty() && cw.subcategory_successors.is_empty() {
                format!(
                    "{} was withdrawn; the catalog records no successor.",
                    cw.input.id()
                )
            } else if cw.successors.is_empty() {
                format!(
                    "{} was withdrawn without a successor of its own; its subcategories moved \
                     as listed.",
                    cw.input.id()
                )
            } else {
                format!("{} was withdrawn in CSF 2.0.", cw.input.id())
            }
        } else if cw.predecessors.is_empty() {
            format!(
                "{} is active in CSF 2.0; the catalog links no withdrawn CSF 1.1 element to it \
                 (ids that CSF 2.0 kept are not listed as withdrawn).",
                cw.input.id()
            )
        } else {
            format!(
                "{} is active in CSF 2.0; {} withdrawn CSF 1.1 element(s) point to it.",
                cw.input.id(),
                cw.predecessors.len()
            )
        };
        Ok(CrosswalkOutput {
            input: ElementRef::new(&cw.input, true),
            direction: if forward {
                "csf11_to_csf20"
            } else {
                "csf20_to_csf11"
            }
            .into(),
            successors: cw
                .successors
                .iter()
                .map(|(rel, e)| SuccessorView {
                    relation: rel.as_str().into(),
                    element: ElementRef::new(e, true),
                })
                .collect(),
            subcategory_moves: cw
                .subcategory_successors
                .iter()
                .map(|(from, rel, to)| SubcategoryMove {
                    from: (*from).into(),
                    relation: rel.as_str().into(),
                    to: to.id().into(),
                })
                .collect(),
            predecessors: cw.predecessors.iter().map(predecessor_view).collect(),
            note,
        })
    }
}

// ---------------------------------------------------------------- get_related_subcategories

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RelatedParams {
    /// An active CSF 2.0 subcategory id, e.g. PR.AA-03.
    pub id: String,
    /// How many to return, 1–30 (default 8).
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct BasisView {
    /// same_category, shared_csf11_origin or text_similarity.
    pub basis: String,
    /// shared_csf11_origin: the withdrawn CSF 1.1 element both incorporate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// text_similarity: cosine similarity, 0–1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f32>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RelatedView {
    #[serde(flatten)]
    pub element: ElementRef,
    pub weight: f32,
    pub bases: Vec<BasisView>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RelatedOutput {
    pub id: String,
    pub related: Vec<RelatedView>,
    /// How relatedness is derived.
    pub method: String,
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
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
    type Params = RelatedParams;
    type Output = RelatedOutput;
    async fn call(_: Call, p: RelatedParams) -> Result<RelatedOutput, ToolError> {
        let s = match lookup(&p.id)? {
            Element::Subcategory(s) if !s.withdrawn => s,
            other => {
                return Err(ToolError::InvalidValue(format!(
                    "`id` must be an active subcategory such as PR.AA-03; `{}` is a {} {}",
                    other.id(),
                    status(&other),
                    other.kind()
                )))
            }
        };
        let limit = cursor::limit(p.limit, 8, 30)?;
        Ok(RelatedOutput {
            id: s.id.into(),
            related: csf_catalog::related(s)
                .into_iter()
                .take(limit)
                .map(|r| RelatedView {
                    element: ElementRef::new(&Element::Subcategory(r.subcategory), true),
                    weight: round3(r.weight),
                    bases: r
                        .bases
                        .iter()
                        .map(|b| match b {
                            RelationBasis::SameCategory => BasisView {
                                basis: "same_category".into(),
                                via: None,
                                similarity: None,
                            },
                            RelationBasis::SharedCsf11Origin(id) => BasisView {
                                basis: "shared_csf11_origin".into(),
                                via: Some((*id).into()),
                                similarity: None,
                            },
                            RelationBasis::TextSimilarity(x) => BasisView {
                                basis: "text_similarity".into(),
                                via: None,
                                similarity: Some(round3(*x)),
                            },
                        })
                        .collect(),
                })
                .collect(),
            method: "weight = text similarity (TF-IDF cosine over outcome statements and \
                     implementation examples, top 6 computed at build time) + 0.5 per shared CSF \
                     1.1 origin (from the catalog's incorporated_into/moved_to links) + 0.1 for the \
                     same category"
                .into(),
        })
    }
}
