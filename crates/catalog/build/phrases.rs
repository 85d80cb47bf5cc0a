//! Analyses the synonym and practitioner-term tables once, here, instead of at the first query:
//! every trigger phrase becomes its stemmed key, every expansion phrase its term ids in the
//! search index. The runtime then matches and expands queries without stemming any table.

use std::fmt::Write;

use crate::concepts::CONCEPTS;
use crate::synonyms::SYNONYMS;
use crate::text::Analyzer;

/// Emits `TRIGGERS` (stemmed key, source; sorted by key), `MAX_TRIGGER_TERMS`, and for both
/// tables the analysed phrases (`SYNONYM_PHRASES` / `CONCEPT_PHRASES` with per-row spans) whose
/// term ids point into `terms`.
pub fn tables(terms: &[String]) -> String {
    let an = Analyzer::new();
    let mut o = String::new();
    let mut triggers: Vec<(String, String)> = Vec::new();
    let mut add_trigger = |p: &str, source: String| {
        let key = an.terms(p).join(" ");
        if !key.is_empty() {
            triggers.push((key, source));
        }
    };
    for (g, group) in SYNONYMS.iter().enumerate() {
        for p in *group {
            add_trigger(p, format!("PhraseSource::Synonyms({g})"));
        }
    }
    for (r, (words, _)) in CONCEPTS.iter().enumerate() {
        for p in *words {
            add_trigger(p, format!("PhraseSource::Practitioner({r})"));
        }
    }
    triggers.sort();
    triggers.dedup();
    let max_terms = triggers
        .iter()
        .map(|(k, _)| k.split(' ').count())
        .max()
        .unwrap_or(1);
    let body: String = triggers
        .iter()
        .map(|(k, s)| format!("({k:?}, {s}),"))
        .collect();
    let _ = writeln!(
        o,
        "pub(crate) static TRIGGERS: [(&str, PhraseSource); {}] = [{body}];\n\
         pub(crate) const MAX_TRIGGER_TERMS: usize = {max_terms};",
        triggers.len()
    );

    let mut ids: Vec<u32> = Vec::new();
    let mut list = |name: &str, rows: Vec<&[&str]>| {
        let (mut spans, mut phrases, mut n) = (String::new(), String::new(), 0usize);
        for row in rows {
            let _ = write!(spans, "Span {{ start: {n}, len: {} }},", row.len());
            for (k, p) in row.iter().enumerate() {
                let stems = an.terms(p);
                let start = ids.len();
                ids.extend(stems.iter().filter_map(|t| {
                    terms
                        .binary_search_by(|x| x.as_str().cmp(t))
                        .ok()
                        .map(|i| i as u32)
                }));
                let _ = write!(
                    phrases,
                    "TablePhrase {{ index: {k}, key: {:?}, ids: Span {{ start: {start}, len: {} }}, \
                     missing: {} }},",
                    stems.join(" "),
                    ids.len() - start,
                    stems.len() - (ids.len() - start)
                );
                n += 1;
            }
        }
        let _ = writeln!(
            o,
            "pub(crate) static {name}_SPANS: [Span; {}] = [{spans}];\n\
             pub(crate) static {name}S: [TablePhrase; {n}] = [{phrases}];",
            spans.matches("Span").count()
        );
    };
    list("SYNONYM_PHRASE", SYNONYMS.to_vec());
    list("CONCEPT_PHRASE", CONCEPTS.iter().map(|(_, c)| *c).collect());
    let _ = writeln!(
        o,
        "pub(crate) static PHRASE_TERM_IDS: [u32; {}] = {ids:?};",
        ids.len()
    );
    o
}
