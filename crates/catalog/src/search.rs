//! Ranked search: BM25 over weighted fields (titles, outcome statements, implementation
//! examples, the parent category's title, and words for the SP 800-53 controls NIST maps each
//! outcome to), with Snowball stemming, synonyms and practitioner-term expansion.
//!
//! A query becomes a list of *concepts* (`query.rs`). A document's score for a concept is the
//! larger of its best typed-or-synonym alternative and its expansion score (the practitioner
//! concepts' BM25 sums, each weighted, added up and divided by the square root of their number,
//! so an outcome touching several of the concepts a term is about ranks above one touching a
//! single one); each is scaled to the number of query terms the concept covers. Concept scores
//! add up. When the best result matches too little of the query, the page says so (`weak`).

use crate::element::Element;
use crate::model::{Category, Example, Level};
use crate::query;
use crate::tables;
use crate::text::Analyzer;
use crate::weak;
use unicode_normalization::UnicodeNormalization;

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Functions and categories are short texts, so BM25 would rank them above the outcomes that
/// spell out what they summarise; these factors keep a category just behind its best outcomes.
const FUNCTION_FACTOR: f32 = 0.5;
const CATEGORY_FACTOR: f32 = 0.4;
/// Expansion scores of a concept add up and are divided by (number of expansions)^this.
const EXPANSION_NORM_POWER: f32 = 0.5;
/// Largest page a caller may ask for.
pub const MAX_LIMIT: usize = 50;

/// What to search and how to filter.
#[derive(Debug, Clone)]
pub struct SearchQuery<'a> {
    pub text: &'a str,
    /// Only elements of this function (canonical id, e.g. "PR").
    pub function: Option<&'a str>,
    /// Only elements of this category (canonical id, e.g. "PR.AA"), the category included.
    pub category: Option<&'a str>,
    /// Levels to return; empty means all.
    pub levels: &'a [Level],
    pub include_withdrawn: bool,
    pub offset: usize,
    pub limit: usize,
}

impl<'a> SearchQuery<'a> {
    pub fn new(text: &'a str) -> Self {
        SearchQuery {
            text,
            function: None,
            category: None,
            levels: &[],
            include_withdrawn: false,
            offset: 0,
            limit: 10,
        }
    }
}

/// One ranked result.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub element: Element,
    pub score: f32,
    /// Phrases (the caller's words or their synonyms) found in this element.
    pub matched: Vec<String>,
    /// For subcategories: implementation examples that contain a matched term.
    pub matched_examples: Vec<&'static Example>,
}

/// A page of results.
#[derive(Debug, Clone)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    /// Matching elements across all pages (after filters).
    pub total: usize,
    pub next_offset: Option<usize>,
    /// Synonym and practitioner-concept phrases the query was expanded with.
    pub expansions: Vec<String>,
    /// False when the query had no searchable words (only stop words or punctuation).
    pub searchable: bool,
    /// True when nothing matched well: no result, or the best one matches less than half of
    /// the query's words. The hits are then guesses, and `suggested_categories` says where to
    /// browse instead.
    pub weak: bool,
    /// For a weak query: the categories (best first) whose outcomes came closest.
    pub suggested_categories: Vec<&'static Category>,
}

fn bm25_term(term: u32, scores: &mut [f32]) {
    let t = term as usize;
    let (start, end) = (
        tables::POSTING_STARTS[t] as usize,
        tables::POSTING_STARTS[t + 1] as usize,
    );
    let postings = &tables::POSTINGS[start..end];
    let n = tables::DOC_LEN.len() as f32;
    let df = postings.len() as f32;
    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    for &(doc, tf) in postings {
        let dl = tables::DOC_LEN[usize::from(doc)];
        scores[usize::from(doc)] +=
            idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * dl / tables::AVG_DOC_LEN));
    }
}

fn doc_element(doc: usize) -> Element {
    let nf = tables::FUNCTIONS.len();
    let nc = tables::CATEGORIES.len();
    if doc < nf {
        Element::Function(&tables::FUNCTIONS[doc])
    } else if doc < nf + nc {
        Element::Category(&tables::CATEGORIES[doc - nf])
    } else {
        Element::Subcategory(&tables::SUBCATEGORIES[doc - nf - nc])
    }
}

fn passes(q: &SearchQuery<'_>, e: &Element) -> bool {
    if !q.include_withdrawn && e.is_withdrawn() {
        return false;
    }
    if !q.levels.is_empty() && !e.level().is_some_and(|l| q.levels.contains(&l)) {
        return false;
    }
    if let Some(f) = q.function {
        if e.function().id != f {
            return false;
        }
    }
    if let Some(c) = q.category {
        let in_cat = match e {
            Element::Category(x) => x.id == c,
            Element::Subcategory(s) => s.category().id == c,
            _ => false,
        };
        if !in_cat {
            return false;
        }
    }
    true
}

/// Runs a query. Results are ordered by score, ties by official order, so offsets are stable.
pub fn search(q: &SearchQuery<'_>) -> SearchPage {
    let an = Analyzer::new();
    let mut expansions = Vec::new();
    // Full-width letters, ligatures and other compatibility forms search as their plain form.
    let text: String = q.text.nfkc().collect();
    let concepts = query::parse(&an, &text, &mut expansions);
    let n_docs = tables::DOC_LEN.len();
    let mut total_scores = vec![0f32; n_docs];
    // best[c][doc] = index of the best alternative of concept c for doc, if it scored.
    let mut best: Vec<Vec<Option<usize>>> = Vec::with_capacity(concepts.len());
    let mut scratch = vec![0f32; n_docs];
    let mut concept_best = vec![0f32; n_docs];
    let mut expanded = vec![0f32; n_docs];
    let mut expanded_best = vec![0f32; n_docs];
    let mut expanded_which = vec![None; n_docs];
    for concept in &concepts {
        concept_best.fill(0.0);
        expanded.fill(0.0);
        expanded_best.fill(0.0);
        expanded_which.fill(None);
        let mut which = vec![None; n_docs];
        let n_exp = concept
            .alternatives
            .iter()
            .filter(|a| a.weight < 1.0 && !a.terms.is_empty() && a.missing == 0)
            .count()
            .max(1) as f32;
        let expansion_norm = n_exp.powf(EXPANSION_NORM_POWER);
        for (ai, alt) in concept.alternatives.iter().enumerate() {
            if alt.terms.is_empty() || alt.missing > 0 {
                continue;
            }
            scratch.fill(0.0);
            for &t in &alt.terms {
                bm25_term(t, &mut scratch);
            }
            let scale = alt.weight * concept.covers as f32 / alt.terms.len() as f32;
            for d in 0..n_docs {
                let s = scratch[d] * scale;
                if alt.weight < 1.0 {
                    // A practitioner concept (`query::EXPANSION_WEIGHT`): these add up.
                    expanded[d] += s / expansion_norm;
                    if s > expanded_best[d] {
                        expanded_best[d] = s;
                        expanded_which[d] = Some(ai);
                    }
                } else if s > concept_best[d] {
                    concept_best[d] = s;
                    which[d] = Some(ai);
                }
            }
        }
        for d in 0..n_docs {
            if expanded[d] > concept_best[d] {
                concept_best[d] = expanded[d];
                which[d] = expanded_which[d];
            }
            total_scores[d] += concept_best[d];
        }
        best.push(which);
    }

    let control_matches = reference_boosts(&text, &mut total_scores);
    let nf = tables::FUNCTIONS.len();
    let nc = tables::CATEGORIES.len();
    for (d, s) in total_scores.iter_mut().enumerate().take(nf + nc) {
        *s *= if d < nf {
            FUNCTION_FACTOR
        } else {
            CATEGORY_FACTOR
        };
    }

    let mut ranked: Vec<(usize, f32)> = total_scores
        .iter()
        .enumerate()
        .filter(|(_, s)| **s > 0.0)
        .filter(|(d, _)| passes(q, &doc_element(*d)))
        .map(|(d, s)| (d, *s))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let total = ranked.len();
    let limit = q.limit.clamp(1, MAX_LIMIT);
    let hits = ranked
        .iter()
        .skip(q.offset)
        .take(limit)
        .map(|&(d, score)| {
            let element = doc_element(d);
            let mut matched: Vec<String> = control_matches
                .iter()
                .filter(|(_, docs)| docs.contains(&d))
                .map(|(id, _)| id.clone())
                .collect();
            let mut terms = Vec::new();
            for (c, concept) in concepts.iter().enumerate() {
                if let Some(ai) = best[c][d] {
                    let alt = &concept.alternatives[ai];
                    matched.push(alt.surface.clone());
                    terms.extend(alt.terms.iter().map(|&t| t as u16));
                }
            }
            SearchHit {
                element,
                score,
                matched,
                matched_examples: matching_examples(&element, &terms),
            }
        })
        .collect();
    let end = q.offset.saturating_add(limit);
    expansions.dedup();
    let weak = match ranked.first() {
        None => true,
        Some(&(top, _)) => {
            let covers: Vec<usize> = concepts.iter().map(|c| c.covers).collect();
            let matched: Vec<bool> = best.iter().map(|b| b[top].is_some()).collect();
            let unknown: Vec<bool> = concepts
                .iter()
                .map(|c| {
                    c.alternatives
                        .iter()
                        .all(|a| a.missing > 0 || a.terms.is_empty())
                })
                .collect();
            let recognized: Vec<bool> = concepts.iter().map(|c| c.recognized).collect();
            let by_reference = control_matches.iter().any(|(_, docs)| docs.contains(&top));
            weak::is_weak(&covers, &matched, &unknown, &recognized, by_reference)
        }
    };
    let suggested_categories = if weak {
        weak::suggest(ranked.iter().map(|&(d, s)| (doc_element(d), s)))
    } else {
        Vec::new()
    };
    SearchPage {
        hits,
        total,
        next_offset: (end < total).then_some(end),
        expansions,
        searchable: !concepts.is_empty() || !control_matches.is_empty(),
        weak,
        suggested_categories,
    }
}

fn matching_examples(element: &Element, terms: &[u16]) -> Vec<&'static Example> {
    let Element::Subcategory(s) = element else {
        return Vec::new();
    };
    let base = usize::from(s.examples.start);
    s.examples()
        .iter()
        .enumerate()
        .filter(|(k, _)| {
            let span = tables::EXAMPLE_TERM_SPANS[base + k];
            let ex_terms = &tables::EXAMPLE_TERMS[span.range()];
            terms.iter().any(|t| ex_terms.binary_search(t).is_ok())
        })
        .map(|(_, e)| e)
        .collect()
}

/// Score given to an element that NIST's informative references tie to a control id named in
/// the query ("IA-2 multi-factor"): about what a rare, well-matched word earns.
const REFERENCE_BOOST: f32 = 5.0;

fn doc_of(csf_id: &str) -> Option<usize> {
    let nf = tables::FUNCTIONS.len();
    let nc = tables::CATEGORIES.len();
    let i = tables::ID_INDEX
        .binary_search_by(|(k, _)| (*k).cmp(csf_id))
        .ok()?;
    match tables::ID_INDEX[i].1 {
        crate::model::ElementRef::Function(f) => Some(usize::from(f)),
        crate::model::ElementRef::Category(c) => Some(nf + usize::from(c)),
        crate::model::ElementRef::Subcategory(s) => Some(nf + nc + usize::from(s)),
        crate::model::ElementRef::Example(_) => None,
    }
}

/// Words of the query that are ids in NIST's informative references (SP 800-53 controls,
/// SP 800-171 requirements, SSDF tasks, CSF 1.1 ids): every element referencing one gets
/// `REFERENCE_BOOST`. Returns (word, documents) for the words that matched.
fn reference_boosts(text: &str, scores: &mut [f32]) -> Vec<(String, Vec<usize>)> {
    let mut out = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != ')');
        // A reference id has a letter or digit group plus a separator ("IA-2", "03.11.01").
        if word.len() < 3 || !word.contains(['-', '.']) {
            continue;
        }
        let mut docs: Vec<usize> = crate::references::referencing(word)
            .iter()
            .filter_map(|r| doc_of(r.csf_id))
            .collect();
        docs.sort_unstable();
        docs.dedup();
        if docs.is_empty() {
            continue;
        }
        for &d in &docs {
            scores[d] += REFERENCE_BOOST;
        }
        out.push((word.to_string(), docs));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(text: &str) -> (Vec<&'static str>, bool) {
        let page = search(&SearchQuery::new(text));
        (
            page.hits.iter().map(|h| h.element.id()).collect(),
            page.weak,
        )
    }

    #[test]
    fn compatibility_forms_search_as_plain_letters() {
        assert_eq!(top("ＭＦＡ"), top("MFA"));
        assert!(!top("ＭＦＡ").0.is_empty());
    }

    #[test]
    fn a_repeated_word_ranks_as_the_word_once() {
        let once = top("backup");
        let many = top(&["backup"; 40].join(" "));
        assert_eq!(once, many);
    }

    #[test]
    fn a_recognized_term_beside_an_unknown_word_is_not_weak() {
        let (ids, weak) = top("EDR telemetry");
        assert!(!weak, "{ids:?}");
        let (_, weak) = top("pizza delivery");
        assert!(weak);
    }

    #[test]
    fn a_misspelt_word_finds_what_the_right_spelling_finds() {
        let (typo, weak) = top("authentification");
        assert!(!weak);
        let right = top("authentication").0;
        assert_eq!(typo.first(), right.first());
    }
}
