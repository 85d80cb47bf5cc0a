//! Ranked search: BM25 over weighted fields (titles, outcome statements, implementation
//! examples, the parent category's title), with Snowball stemming and synonym expansion.
//!
//! A query becomes a list of *concepts*. A run of query terms that matches a synonym phrase
//! becomes one concept whose alternatives are every phrase of that synonym group; every other
//! term is a concept of its own. A document's score for a concept is its best alternative's
//! BM25 sum, scaled to the number of query terms the concept covers; concept scores add up.

use crate::element::Element;
use crate::model::{Example, Level};
use crate::synonyms::SYNONYMS;
use crate::tables;
use crate::text::Analyzer;

const K1: f32 = 1.2;
const B: f32 = 0.75;
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
    /// Synonym phrases the query was expanded with.
    pub expansions: Vec<String>,
    /// False when the query had no searchable words (only stop words or punctuation).
    pub searchable: bool,
}

struct Alternative {
    surface: String,
    terms: Vec<u32>,
    /// Alternative terms that are in no document: the alternative cannot match fully.
    missing: usize,
}

struct Concept {
    covers: usize,
    alternatives: Vec<Alternative>,
}

/// The synonym table's phrases, analysed once (stemming them per query cost most of a search).
fn analyzed_synonyms() -> &'static [Vec<Vec<String>>] {
    static CACHE: std::sync::OnceLock<Vec<Vec<Vec<String>>>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| {
        let an = Analyzer::new();
        SYNONYMS
            .iter()
            .map(|group| group.iter().map(|p| an.terms(p)).collect())
            .collect()
    })
}

fn term_id(t: &str) -> Option<u32> {
    tables::TERMS
        .binary_search_by(|x| (*x).cmp(t))
        .ok()
        .map(|i| i as u32)
}

fn alternative(an: &Analyzer, surface: &str) -> Alternative {
    let terms = an.terms(surface);
    let ids: Vec<u32> = terms.iter().filter_map(|t| term_id(t)).collect();
    Alternative {
        surface: surface.to_string(),
        missing: terms.len() - ids.len(),
        terms: ids,
    }
}

/// Splits the query into concepts, expanding synonym phrases.
fn concepts(an: &Analyzer, text: &str, expansions: &mut Vec<String>) -> Vec<Concept> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let terms: Vec<(String, usize)> = words
        .iter()
        .enumerate()
        .flat_map(|(i, w)| an.terms(w).into_iter().map(move |t| (t, i)))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while i < terms.len() {
        // Longest synonym phrase starting here wins.
        let mut best: Option<(usize, usize)> = None;
        for (g, group) in analyzed_synonyms().iter().enumerate() {
            for p in group {
                let fits = !p.is_empty()
                    && terms.len() - i >= p.len()
                    && p.iter().zip(&terms[i..]).all(|(a, (b, _))| a == b);
                if fits && best.is_none_or(|(n, _)| p.len() > n) {
                    best = Some((p.len(), g));
                }
            }
        }
        if let Some((n, g)) = best {
            let first = terms[i].1;
            let last = terms[i + n - 1].1;
            let typed = words[first..=last].join(" ");
            let typed_terms = an.terms(&typed);
            let mut alternatives = vec![alternative(an, &typed)];
            for (phrase, phrase_terms) in SYNONYMS[g].iter().zip(&analyzed_synonyms()[g]) {
                if *phrase_terms != typed_terms {
                    expansions.push((*phrase).to_string());
                    alternatives.push(alternative(an, phrase));
                }
            }
            out.push(Concept {
                covers: n,
                alternatives,
            });
            i += n;
            continue 'outer;
        }
        let surface = words[terms[i].1].clone();
        out.push(Concept {
            covers: 1,
            alternatives: vec![Alternative {
                surface,
                missing: usize::from(term_id(&terms[i].0).is_none()),
                terms: term_id(&terms[i].0).into_iter().collect(),
            }],
        });
        i += 1;
    }
    out
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
    let concepts = concepts(&an, q.text, &mut expansions);
    let n_docs = tables::DOC_LEN.len();
    let mut total_scores = vec![0f32; n_docs];
    // best[c][doc] = index of the best alternative of concept c for doc, if it scored.
    let mut best: Vec<Vec<Option<usize>>> = Vec::with_capacity(concepts.len());
    let mut scratch = vec![0f32; n_docs];
    for concept in &concepts {
        let mut concept_best = vec![0f32; n_docs];
        let mut which = vec![None; n_docs];
        for (ai, alt) in concept.alternatives.iter().enumerate() {
            if alt.terms.is_empty() || alt.missing > 0 {
                continue;
            }
            scratch.iter_mut().for_each(|s| *s = 0.0);
            for &t in &alt.terms {
                bm25_term(t, &mut scratch);
            }
            let scale = concept.covers as f32 / alt.terms.len() as f32;
            for d in 0..n_docs {
                let s = scratch[d] * scale;
                if s > concept_best[d] {
                    concept_best[d] = s;
                    which[d] = Some(ai);
                }
            }
        }
        for d in 0..n_docs {
            total_scores[d] += concept_best[d];
        }
        best.push(which);
    }

    let control_matches = reference_boosts(q.text, &mut total_scores);

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
    SearchPage {
        hits,
        total,
        next_offset: (end < total).then_some(end),
        expansions,
        searchable: !concepts.is_empty() || !control_matches.is_empty(),
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
