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

pub fn tables(p: &Parsed, idx: &SearchIndex, src: &Source) -> String {
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
