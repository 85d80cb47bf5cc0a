//! Ranked full-text search over the catalog, filtered and paged.

use csf_catalog::{Element, IdError, IdProblem, Level};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::views::{ElementRef, ExampleView};
use super::{function_filter, round3, MAX_ID_LEN};
use crate::error::{check_len, Error, Result};
use crate::paging;

const MAX_QUERY_LEN: usize = 512;

const METHOD: &str = "BM25 (k1=1.2, b=0.75) over titles (3), outcome statements (2), \
    implementation examples (1), the parent category title (0.5) and words for the SP 800-53 \
    controls NIST maps each outcome to; Snowball stemming; synonyms and practitioner terms \
    expanded; categories behind their outcomes";

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

/// A search with its filters and page.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
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
    /// When the match is weak, ask the client's own language model (MCP sampling, if the
    /// client offers it) to restate the query in the framework's vocabulary, and return the
    /// restated query's results if they match better; `query_rewrite` says what happened.
    /// Default false. Never required: without sampling the original results come back.
    #[serde(default)]
    pub rewrite_weak_query: bool,
}

// One ranked element.
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

/// A page of ranked elements.
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
    /// What to do instead, when the query was a CSF id or found nothing at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Only when `rewrite_weak_query` was asked: whether the query was restated by the
    /// client's model, and whether the results are those of the restated query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_rewrite: Option<QueryRewrite>,
    /// How results are ranked.
    pub method: String,
}

/// One page of ranked results for `req`.
pub fn search(req: SearchRequest) -> Result<SearchOutput> {
    check_len("query", &req.query, MAX_QUERY_LEN)?;
    let levels: Vec<Level> = req
        .element_types
        .unwrap_or_default()
        .into_iter()
        .map(Level::from)
        .collect();
    let unfiltered = req.function.is_none()
        && req.category.is_none()
        && levels.is_empty()
        && req.cursor.is_none();
    if let Some(element) = typed_id(&req.query).filter(|_| unfiltered) {
        return Ok(id_answer(req.query, element));
    }
    let mut q = csf_catalog::SearchQuery::new(&req.query);
    q.function = function_filter(req.function.as_deref())?;
    q.category = category_filter(req.category.as_deref(), req.include_withdrawn)?;
    q.levels = &levels;
    q.include_withdrawn = req.include_withdrawn;
    q.limit = paging::limit(req.limit, 10, csf_catalog::MAX_LIMIT)?;
    q.offset = paging::decode(req.cursor.as_deref(), &req.query)?;
    let page = csf_catalog::search(&q);
    if !page.searchable {
        return Err(Error::Invalid(
            "`query` has no searchable words (only punctuation or very common words); try \
             e.g. \"supply chain risk\" or \"MFA\""
                .into(),
        ));
    }
    let hint = (page.total == 0).then(|| {
        "no word of the query appears in the framework's outcomes, examples or mapped \
         controls (nor a close spelling of one); try the framework's own words, or browse a \
         function with `csf_lookup` (GV, ID, PR, DE, RS, RC)"
            .to_string()
    });
    Ok(SearchOutput {
        hint,
        total: page.total,
        results: page.hits.iter().map(result).collect(),
        expanded_with: page.expansions,
        weak_match: page.weak,
        suggested_categories: page
            .suggested_categories
            .iter()
            .map(|c| ElementRef::new(&Element::Category(c), false))
            .collect(),
        next_cursor: page.next_offset.map(|o| paging::encode(o, &req.query)),
        query_rewrite: None,
        method: METHOD.into(),
        query: req.query,
    })
}

/// The element a query names by its id ("PR.AA-01", "pr.aa", "RS"), if the whole query is one.
/// A bare two-letter word counts only when typed in capitals, so "de" or "id" stay words.
fn typed_id(query: &str) -> Option<Element> {
    let q = query.trim();
    let id = csf_catalog::canonical_id(q)?;
    if id.len() == 2 && q != id {
        return None;
    }
    csf_catalog::get(&id)
}

/// The answer to a query that is a CSF id: that element, and where to read it in full.
fn id_answer(query: String, element: Element) -> SearchOutput {
    let id = element.id();
    SearchOutput {
        total: 1,
        results: vec![SearchResult {
            element: ElementRef::new(&element, true),
            score: 0.0,
            matched: vec![id.to_string()],
            matched_examples: Vec::new(),
        }],
        expanded_with: Vec::new(),
        weak_match: false,
        suggested_categories: Vec::new(),
        next_cursor: None,
        hint: Some(format!(
            "`{query}` is the CSF id {id}: `csf_lookup` returns it with its examples, \
             informative references and related outcomes; search takes words"
        )),
        query_rewrite: None,
        method: METHOD.into(),
        query,
    }
}

fn result(h: &csf_catalog::SearchHit) -> SearchResult {
    SearchResult {
        element: ElementRef::new(&h.element, true),
        score: round3(h.score),
        matched: h.matched.clone(),
        matched_examples: h
            .matched_examples
            .iter()
            .map(|e| ExampleView::from(*e))
            .collect(),
    }
}

/// The `category` filter: an active category, or a withdrawn CSF 1.1 one when withdrawn
/// elements are searched too (then its withdrawn subcategories are what can match).
fn category_filter(input: Option<&str>, include_withdrawn: bool) -> Result<Option<&'static str>> {
    let Some(input) = input else { return Ok(None) };
    check_len("category", input, MAX_ID_LEN)?;
    match csf_catalog::ids::category(input) {
        Ok(c) => Ok(Some(c.id)),
        Err(IdError {
            problem:
                IdProblem::Withdrawn {
                    id,
                    kind: "category",
                },
            ..
        }) if include_withdrawn => Ok(Some(id)),
        Err(e) => Err(e.into()),
    }
}

/// What happened to the rewrite of a weak query.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QueryRewrite {
    /// The query as the caller typed it.
    pub original_query: String,
    /// The restated query after cleaning (one line, control characters removed, length
    /// capped); absent when no usable one came back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewritten_query: Option<String>,
    /// True when the results are those of `rewritten_query` (then `query` is it too: page on
    /// with that query and `next_cursor`).
    pub used: bool,
    /// Where the rewrite came from (or would have).
    pub source: String,
    /// The model name the client reported, unverified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Why it was used, or why not.
    pub note: String,
}
