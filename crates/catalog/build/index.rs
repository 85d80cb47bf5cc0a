//! Build-time search index (weighted BM25 postings) and text-similarity relations, computed once
//! here so the server starts without parsing or indexing anything.

use std::collections::BTreeMap;

use crate::controls;
use crate::olir::Row;
use crate::oscal::Parsed;
use crate::text::{reference_key, Analyzer};

/// Field weights (BM25F-style): a word in a title counts more than one in an example.
const W_TITLE: f32 = 3.0;
const W_STATEMENT: f32 = 2.0;
const W_EXAMPLE: f32 = 1.0;
const W_PARENT_TITLE: f32 = 0.5;
/// Words of the SP 800-53 controls NIST maps a subcategory to (`controls.rs`): each control's
/// own words get `W_CONTROL / sqrt(n)` for n mapped controls, so an outcome mapped to twenty
/// controls is not twenty times as wordy; its family's words share `W_FAMILY` among them.
const W_CONTROL: f32 = 2.0;
const W_FAMILY: f32 = 1.0;
/// The informative-reference datasets whose targets are SP 800-53 controls or families.
const CONTROL_DATASET: &str = "SP 800-53 Rev 5.2.0";
const FAMILY_RELATION: &str = "external_reference";
/// How many related subcategories by text similarity are kept per subcategory.
pub const RELATED_PER_SUBCATEGORY: usize = 6;

pub struct SearchIndex {
    pub terms: Vec<String>,
    /// postings[t] = (doc, weighted term frequency), docs ascending.
    pub postings: Vec<Vec<(u16, f32)>>,
    pub doc_len: Vec<f32>,
    /// Per example (global order): sorted unique term ids it contains.
    pub example_terms: Vec<Vec<u16>>,
    /// Per subcategory (global order): (subcategory, cosine similarity), best first.
    pub related: Vec<Vec<(u16, f32)>>,
}

/// Documents are numbered functions first, then categories, then subcategories, each in the
/// global official order the tables use.
pub fn build(parsed: &Parsed, refs: &[Row]) -> SearchIndex {
    let an = Analyzer::new();
    let mut docs: Vec<BTreeMap<String, f32>> = Vec::new();
    let add = |doc: &mut BTreeMap<String, f32>, text: &str, w: f32| {
        if w <= 0.0 {
            return;
        }
        for t in an.terms(text) {
            *doc.entry(t).or_insert(0.0) += w;
        }
    };
    for f in &parsed.functions {
        let mut d = BTreeMap::new();
        add(&mut d, &f.title, W_TITLE);
        add(&mut d, &f.overview, W_STATEMENT);
        docs.push(d);
    }
    for f in &parsed.functions {
        for c in &f.categories {
            let mut d = BTreeMap::new();
            add(&mut d, &c.title, W_TITLE);
            if let Some(s) = &c.statement {
                add(&mut d, s, W_STATEMENT);
            }
            docs.push(d);
        }
    }
    let mut example_texts = Vec::new();
    let mut sub_vectors = Vec::new();
    for f in &parsed.functions {
        for c in &f.categories {
            for s in &c.subcategories {
                let mut d = BTreeMap::new();
                add(&mut d, &c.title, W_PARENT_TITLE);
                add_reference_words(&mut d, &s.id, refs, &add);
                let mut own = BTreeMap::new();
                add(&mut own, &s.statement, W_STATEMENT);
                for (_, text) in &s.examples {
                    add(&mut own, text, W_EXAMPLE);
                    example_texts.push(text.as_str());
                }
                for (t, w) in &own {
                    *d.entry(t.clone()).or_insert(0.0) += w;
                }
                sub_vectors.push((s.withdrawn, own));
                docs.push(d);
            }
        }
    }

    let mut vocabulary: BTreeMap<String, Vec<(u16, f32)>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        for (t, w) in d {
            vocabulary
                .entry(t.clone())
                .or_default()
                .push((i as u16, *w));
        }
    }
    let terms: Vec<String> = vocabulary.keys().cloned().collect();
    let postings: Vec<Vec<(u16, f32)>> = vocabulary
        .into_values()
        .map(|mut p| {
            p.sort_by_key(|(d, _)| *d);
            p
        })
        .collect();
    let term_id = |t: &str| terms.binary_search_by(|x| x.as_str().cmp(t)).ok();
    let doc_len = docs.iter().map(|d| d.values().sum()).collect();
    let example_terms = example_texts
        .iter()
        .map(|text| {
            let mut ids: Vec<u16> = an
                .terms(text)
                .iter()
                .filter_map(|t| term_id(t))
                .map(|i| i as u16)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect();

    SearchIndex {
        related: related_by_text(&sub_vectors),
        terms,
        postings,
        doc_len,
        example_terms,
    }
}

/// Every SP 800-53 control or family NIST maps an outcome to must have words in `controls.rs`:
/// a new mapping without them would silently lose its search signal.
pub fn check_reference_words(refs: &[Row]) -> Result<(), String> {
    let mut missing: Vec<String> = refs
        .iter()
        .filter(|r| r.dataset_short == CONTROL_DATASET || r.relation == FAMILY_RELATION)
        .filter_map(|r| {
            let key = reference_key(&r.target_id);
            let (own, family) = controls::words_of(&key);
            let known = if r.relation == FAMILY_RELATION || !key.contains('-') {
                family.is_some()
            } else {
                own.is_some() && family.is_some()
            };
            (!known).then_some(key)
        })
        .collect();
    missing.sort();
    missing.dedup();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "SP 800-53 targets without search words in build/controls.rs: {}",
            missing.join(", ")
        ))
    }
}

/// Adds the control and family words of the SP 800-53 references NIST maps `csf_id` to.
fn add_reference_words(
    d: &mut BTreeMap<String, f32>,
    csf_id: &str,
    refs: &[Row],
    add: &impl Fn(&mut BTreeMap<String, f32>, &str, f32),
) {
    let mine: Vec<&Row> = refs
        .iter()
        .filter(|r| r.csf_id == csf_id)
        .filter(|r| r.dataset_short == CONTROL_DATASET || r.relation == FAMILY_RELATION)
        .collect();
    if mine.is_empty() {
        return;
    }
    let n = mine.len() as f32;
    for r in mine {
        let (own, family) = controls::words_of(&reference_key(&r.target_id));
        if r.relation != FAMILY_RELATION {
            if let Some(w) = own {
                add(d, w, W_CONTROL / n.sqrt());
            }
        }
        if let Some(w) = family {
            add(d, w, W_FAMILY / n);
        }
    }
}

/// TF-IDF cosine similarity between active subcategories over their statement and examples.
fn related_by_text(subs: &[(bool, BTreeMap<String, f32>)]) -> Vec<Vec<(u16, f32)>> {
    let active: Vec<usize> = (0..subs.len()).filter(|&i| !subs[i].0).collect();
    let n = active.len() as f32;
    let mut df: BTreeMap<&str, f32> = BTreeMap::new();
    for &i in &active {
        for t in subs[i].1.keys() {
            *df.entry(t.as_str()).or_insert(0.0) += 1.0;
        }
    }
    let vectors: BTreeMap<usize, (BTreeMap<&str, f32>, f32)> = active
        .iter()
        .map(|&i| {
            let v: BTreeMap<&str, f32> = subs[i]
                .1
                .iter()
                .map(|(t, tf)| (t.as_str(), tf * (n / df[t.as_str()]).ln()))
                .collect();
            let norm = v.values().map(|x| x * x).sum::<f32>().sqrt();
            (i, (v, norm))
        })
        .collect();
    (0..subs.len())
        .map(|i| {
            let Some((vi, ni)) = vectors.get(&i) else {
                return Vec::new();
            };
            let mut scored: Vec<(u16, f32)> = active
                .iter()
                .filter(|&&j| j != i)
                .filter_map(|&j| {
                    let (vj, nj) = &vectors[&j];
                    let dot: f32 = vi
                        .iter()
                        .filter_map(|(t, w)| vj.get(t).map(|x| x * w))
                        .sum();
                    let cos = if *ni > 0.0 && *nj > 0.0 {
                        dot / (ni * nj)
                    } else {
                        0.0
                    };
                    (cos > 0.0).then_some((j as u16, cos))
                })
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            scored.truncate(RELATED_PER_SUBCATEGORY);
            scored
        })
        .collect()
}
