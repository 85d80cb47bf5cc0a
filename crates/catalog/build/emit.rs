//! Writes the parsed catalog and its index as Rust static tables (`catalog_tables.rs` in OUT_DIR).

use std::fmt::Write;

use crate::index::SearchIndex;
use crate::oscal::{PLink, Parsed};

pub struct Source<'a> {
    pub sha256: &'a str,
    pub url: &'a str,
}

fn span(start: usize, len: usize) -> String {
    format!("Span {{ start: {start}, len: {len} }}")
}

fn rel(l: &PLink) -> &'static str {
    if l.rel == "moved_to" {
        "LinkRel::MovedTo"
    } else {
        "LinkRel::IncorporatedInto"
    }
}

pub fn tables(p: &Parsed, idx: &SearchIndex, src: &Source<'_>) -> String {
    let mut o = String::with_capacity(1 << 20);
    let m = &p.meta;
    let _ = writeln!(
        o,
        "pub(crate) static META: CatalogMeta = CatalogMeta {{ title: {:?}, version: {:?}, \
         oscal_version: {:?}, published: {:?}, last_modified: {:?}, sha256: {:?}, source_url: {:?} }};",
        m.title, m.version, m.oscal_version, m.published, m.last_modified, src.sha256, src.url
    );

    let (mut funcs, mut cats, mut subs, mut exs, mut links) = (
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    );
    let (mut n_cat, mut n_sub, mut n_ex, mut n_link) = (0usize, 0usize, 0usize, 0usize);
    let mut ids: Vec<(String, String)> = Vec::new();
    let push_links = |ls: &[PLink], out: &mut String, n: &mut usize| {
        let start = *n;
        for l in ls {
            let _ = writeln!(out, "Link {{ rel: {}, target: {:?} }},", rel(l), l.target);
            *n += 1;
        }
        span(start, ls.len())
    };
    for (fi, f) in p.functions.iter().enumerate() {
        let _ = writeln!(
            funcs,
            "Function {{ id: {:?}, title: {:?}, overview: {:?}, sort_id: {:?}, categories: {} }},",
            f.id,
            f.title,
            f.overview,
            f.sort_id,
            span(n_cat, f.categories.len())
        );
        ids.push((f.id.clone(), format!("ElementRef::Function({fi})")));
        for c in &f.categories {
            let lspan = push_links(&c.links, &mut links, &mut n_link);
            let _ = writeln!(
                cats,
                "Category {{ id: {:?}, title: {:?}, statement: {:?}, sort_id: {:?}, function: {fi}, \
                 subcategories: {}, withdrawn: {}, links: {lspan} }},",
                c.id,
                c.title,
                c.statement,
                c.sort_id,
                span(n_sub, c.subcategories.len()),
                c.withdrawn
            );
            ids.push((c.id.clone(), format!("ElementRef::Category({n_cat})")));
            for s in &c.subcategories {
                let lspan = push_links(&s.links, &mut links, &mut n_link);
                let _ = writeln!(
                    subs,
                    "Subcategory {{ id: {:?}, statement: {:?}, sort_id: {:?}, category: {n_cat}, \
                     examples: {}, withdrawn: {}, links: {lspan}, risk: RiskParties {{ \
                     first_party: {}, third_party: {} }} }},",
                    s.id,
                    s.statement,
                    s.sort_id,
                    span(n_ex, s.examples.len()),
                    s.withdrawn,
                    s.first_party,
                    s.third_party
                );
                ids.push((s.id.clone(), format!("ElementRef::Subcategory({n_sub})")));
                for (k, (eid, text)) in s.examples.iter().enumerate() {
                    let _ = writeln!(
                        exs,
                        "Example {{ id: {eid:?}, text: {text:?}, subcategory: {n_sub}, ordinal: {} }},",
                        k + 1
                    );
                    ids.push((eid.clone(), format!("ElementRef::Example({n_ex})")));
                    n_ex += 1;
                }
                n_sub += 1;
            }
            n_cat += 1;
        }
    }
    ids.sort();
    let table = |o: &mut String, name: &str, ty: &str, n: usize, body: &str| {
        let _ = writeln!(o, "pub(crate) static {name}: [{ty}; {n}] = [\n{body}];");
    };
    table(&mut o, "FUNCTIONS", "Function", p.functions.len(), &funcs);
    table(&mut o, "CATEGORIES", "Category", n_cat, &cats);
    table(&mut o, "SUBCATEGORIES", "Subcategory", n_sub, &subs);
    table(&mut o, "EXAMPLES", "Example", n_ex, &exs);
    table(&mut o, "LINKS", "Link", n_link, &links);
    let body: String = ids
        .iter()
        .map(|(id, r)| format!("({id:?}, {r}),\n"))
        .collect();
    table(&mut o, "ID_INDEX", "(&str, ElementRef)", ids.len(), &body);

    search_tables(&mut o, idx);
    o
}

fn search_tables(o: &mut String, idx: &SearchIndex) {
    let n_terms = idx.terms.len();
    let _ = writeln!(
        o,
        "pub(crate) static TERMS: [&str; {n_terms}] = {:?};",
        idx.terms
    );
    let mut starts = Vec::with_capacity(n_terms + 1);
    let mut flat = String::new();
    let mut n = 0usize;
    for p in &idx.postings {
        starts.push(n);
        for (d, w) in p {
            let _ = write!(flat, "({d}, {w:?}),");
            n += 1;
        }
    }
    starts.push(n);
    let _ = writeln!(
        o,
        "pub(crate) static POSTING_STARTS: [u32; {}] = {starts:?};",
        starts.len()
    );
    let _ = writeln!(
        o,
        "pub(crate) static POSTINGS: [(u16, f32); {n}] = [{flat}];"
    );
    let avg = idx.doc_len.iter().sum::<f32>() / idx.doc_len.len().max(1) as f32;
    let _ = writeln!(
        o,
        "pub(crate) static DOC_LEN: [f32; {}] = {:?};",
        idx.doc_len.len(),
        idx.doc_len
    );
    let _ = writeln!(o, "pub(crate) const AVG_DOC_LEN: f32 = {avg:?};");
    flat_spans(
        o,
        "EXAMPLE_TERM",
        &idx.example_terms,
        |t| t.to_string(),
        "u16",
    );
    flat_spans(
        o,
        "RELATED",
        &idx.related,
        |(s, w)| format!("({s}, {w:?})"),
        "(u16, f32)",
    );
}

/// Emits a list of lists as one flat table plus per-item spans.
fn flat_spans<T>(
    o: &mut String,
    name: &str,
    lists: &[Vec<T>],
    item: impl Fn(&T) -> String,
    ty: &str,
) {
    let mut spans = String::new();
    let mut flat = String::new();
    let mut n = 0usize;
    for list in lists {
        let _ = write!(spans, "{},", span(n, list.len()));
        for x in list {
            flat.push_str(&item(x));
            flat.push(',');
            n += 1;
        }
    }
    let _ = writeln!(
        o,
        "pub(crate) static {name}_SPANS: [Span; {}] = [{spans}];",
        lists.len()
    );
    let _ = writeln!(o, "pub(crate) static {name}S: [{ty}; {n}] = [{flat}];");
}

/// Slug used to name a dataset in tool arguments and URIs, derived from NIST's short name:
/// "SP 800-53 Rev 5.2.0" -> "sp800-53r5.2.0"; the family-level external references of the
/// 5.1.1 tool data get an "-external" suffix so the two 5.1.1 sets stay apart.
pub fn dataset_key(short: &str, relation: &str) -> String {
    let mut k: String = short
        .to_lowercase()
        .replace(" rev ", "r")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if relation == "external_reference" {
        k.push_str("-external");
    }
    k
}

/// Comparison key of a reference target id: upper case, no blanks, no zero padding in numbers
/// ("ia-2" and "IA-02" both -> "IA-2"; "CP-02(08)" -> "CP-2(8)"). Shared with the runtime.
pub fn target_key(id: &str) -> String {
    crate::text::reference_key(id)
}

/// NIST's `relation` values, as `model::DatasetRelation` lists them.
const RELATIONS: &[&str] = &["olir_focal", "external_reference"];
/// NIST's `target_type` values, as `model::TargetType` lists them.
const TARGET_TYPES: &[&str] = &[
    "control",
    "control_enhancement",
    "family",
    "requirement",
    "task",
    "subcategory",
    "category",
    "function",
];

/// The enum variant for a value NIST's data spells in snake_case (`control_enhancement` ->
/// `TargetType::ControlEnhancement`). A value outside `known` stops the build: the runtime enum
/// lists every value a client can see, so a new one is added there first.
fn variant(ty: &str, value: &str, known: &[&str]) -> Result<String, String> {
    if !known.contains(&value) {
        return Err(format!(
            "unexpected {ty} `{value}` in the informative references; known: {}",
            known.join(", ")
        ));
    }
    let camel: String = value
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    Ok(format!("{ty}::{camel}"))
}

pub fn references(p: &Parsed, rows: &[crate::olir::Row]) -> Result<String, String> {
    // Official (pre-order) rank of every element, to list references in framework order.
    let mut rank = std::collections::HashMap::new();
    for f in &p.functions {
        rank.insert(f.id.clone(), rank.len());
        for c in &f.categories {
            rank.insert(c.id.clone(), rank.len());
            for s in &c.subcategories {
                rank.insert(s.id.clone(), rank.len());
            }
        }
    }
    let mut datasets: Vec<(String, String, String, String)> = Vec::new(); // key, name, short, relation
    let mut dataset_of = Vec::with_capacity(rows.len());
    for r in rows {
        if !rank.contains_key(&r.csf_id) {
            return Err(format!("reference to unknown CSF element {}", r.csf_id));
        }
        let key = dataset_key(&r.dataset_short, &r.relation);
        let i = match datasets.iter().position(|d| d.0 == key) {
            Some(i) => i,
            None => {
                datasets.push((
                    key,
                    r.dataset.clone(),
                    r.dataset_short.clone(),
                    r.relation.clone(),
                ));
                datasets.len() - 1
            }
        };
        if datasets[i].1 != r.dataset {
            return Err(format!("dataset key {} names two datasets", datasets[i].0));
        }
        dataset_of.push(i);
    }
    // Datasets in key order, so listings do not depend on the row order of NIST's extract.
    let mut by_key: Vec<usize> = (0..datasets.len()).collect();
    by_key.sort_by(|&a, &b| datasets[a].0.cmp(&datasets[b].0));
    let renumber: Vec<usize> = (0..datasets.len())
        .map(|old| by_key.iter().position(|&x| x == old).unwrap_or(old))
        .collect();
    let dataset_of: Vec<usize> = dataset_of.iter().map(|&d| renumber[d]).collect();
    let datasets: Vec<_> = by_key.iter().map(|&i| datasets[i].clone()).collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (rank[&rows[i].csf_id], dataset_of[i], i));

    let mut o = String::new();
    let mut body = String::new();
    for (k, name, short, relation) in &datasets {
        let n = dataset_of.iter().filter(|&&d| datasets[d].0 == *k).count();
        let relation = variant("DatasetRelation", relation, RELATIONS)?;
        let _ = writeln!(
            body,
            "Dataset {{ key: {k:?}, name: {name:?}, short: {short:?}, relation: {relation}, rows: {n} }},"
        );
    }
    let _ = writeln!(
        o,
        "pub(crate) static DATASETS: [Dataset; {}] = [\n{body}];",
        datasets.len()
    );
    let mut refs = String::new();
    let mut by_csf: Vec<(String, usize, usize)> = Vec::new();
    let mut by_target: Vec<(String, usize)> = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        let r = &rows[i];
        let _ = writeln!(
            refs,
            "Reference {{ csf_id: {:?}, dataset: {}, target_id: {:?}, target_type: {}, olir_entry_id: {:?} }},",
            r.csf_id,
            dataset_of[i],
            r.target_id,
            variant("TargetType", &r.target_type, TARGET_TYPES)?,
            r.olir_entry_id
        );
        match by_csf.last_mut() {
            Some((id, _, len)) if *id == r.csf_id => *len += 1,
            _ => by_csf.push((r.csf_id.clone(), pos, 1)),
        }
        by_target.push((target_key(&r.target_id), pos));
    }
    let _ = writeln!(
        o,
        "pub(crate) static REFERENCES: [Reference; {}] = [\n{refs}];",
        rows.len()
    );
    by_csf.sort();
    let body: String = by_csf
        .iter()
        .map(|(id, s, n)| format!("({id:?}, {}),\n", span(*s, *n)))
        .collect();
    let _ = writeln!(
        o,
        "pub(crate) static REFS_BY_CSF: [(&str, Span); {}] = [\n{body}];",
        by_csf.len()
    );
    by_target.sort();
    let body: String = by_target
        .iter()
        .map(|(k, i)| format!("({k:?}, {i}),"))
        .collect();
    let _ = writeln!(
        o,
        "pub(crate) static REFS_BY_TARGET: [(&str, u16); {}] = [{body}];",
        by_target.len()
    );
    Ok(o)
}
