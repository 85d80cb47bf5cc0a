//! Turns query text into *concepts*: the unit search scores.
//!
//! A run of query terms that matches a phrase of the synonym table (`synonyms.rs`) becomes one
//! concept whose alternatives are every phrase of that group, at full weight. A run that matches
//! a practitioner term (`concepts.rs`) becomes one concept whose alternatives are the typed
//! words (full weight) and the concepts the term is about (`EXPANSION_WEIGHT`). The longest
//! match at a position wins; where a synonym phrase and a practitioner term cover the same run,
//! the concept gets both sets of alternatives. Every other term is a concept of its own, except
//! question filler ("how should we"), which is dropped.

use crate::concepts::{CONCEPTS, QUERY_FILLER};
use crate::phrase::{PhraseSource, TablePhrase};
use crate::synonyms::SYNONYMS;
use crate::tables;
use crate::text::Analyzer;

/// Weight of a concept a practitioner term is about, relative to the words typed: high enough
/// to find the outcome when the typed word is not in the catalog at all, low enough that an
/// outcome using the typed words themselves stays ahead.
pub(crate) const EXPANSION_WEIGHT: f32 = 0.85;
// Search tells expansions from typed words and synonyms by a weight below one.
const _: () = assert!(EXPANSION_WEIGHT < 1.0);

pub(crate) struct Alternative {
    pub surface: String,
    pub terms: Vec<u32>,
    /// Alternative terms that are in no document: the alternative cannot match fully.
    pub missing: usize,
    pub weight: f32,
}

pub(crate) struct Concept {
    /// Query terms this concept stands for.
    pub covers: usize,
    /// Whether the words matched a phrase of the synonym or practitioner tables: a term the
    /// framework's readers use, so matching it is a strong signal on its own.
    pub recognized: bool,
    pub alternatives: Vec<Alternative>,
}

impl PhraseSource {
    fn phrases(self) -> (&'static [TablePhrase], f32) {
        match self {
            PhraseSource::Synonyms(g) => (
                &tables::SYNONYM_PHRASES[tables::SYNONYM_PHRASE_SPANS[g].range()],
                1.0,
            ),
            PhraseSource::Practitioner(r) => (
                &tables::CONCEPT_PHRASES[tables::CONCEPT_PHRASE_SPANS[r].range()],
                EXPANSION_WEIGHT,
            ),
        }
    }

    fn text(self, index: usize) -> &'static str {
        match self {
            PhraseSource::Synonyms(g) => SYNONYMS[g][index],
            PhraseSource::Practitioner(r) => CONCEPTS[r].1[index],
        }
    }
}

/// The table rows whose trigger phrase is exactly `key` (stemmed terms, space-separated).
fn triggered(key: &str) -> &'static [(&'static str, PhraseSource)] {
    let t = &tables::TRIGGERS;
    let lo = t.partition_point(|(k, _)| *k < key);
    let hi = t.partition_point(|(k, _)| *k <= key);
    &t[lo..hi]
}

fn term_id(t: &str) -> Option<u32> {
    tables::TERMS
        .binary_search_by(|x| (*x).cmp(t))
        .ok()
        .map(|i| i as u32)
}

fn alternative(an: &Analyzer, surface: &str, weight: f32) -> Alternative {
    let terms = an.terms(surface);
    let ids: Vec<u32> = terms.iter().filter_map(|t| term_id(t)).collect();
    Alternative {
        surface: surface.to_string(),
        missing: terms.len() - ids.len(),
        terms: ids,
        weight,
    }
}

/// Splits the query into concepts; `expansions` receives every phrase added to the query.
pub(crate) fn parse(an: &Analyzer, text: &str, expansions: &mut Vec<String>) -> Vec<Concept> {
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
    while i < terms.len() {
        // Longest trigger phrase starting here wins.
        let mut best_len = 0;
        let mut sources: &[(&str, PhraseSource)] = &[];
        for len in (1..=tables::MAX_TRIGGER_TERMS.min(terms.len() - i)).rev() {
            let key = terms[i..i + len]
                .iter()
                .map(|(t, _)| t.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let found = triggered(&key);
            if !found.is_empty() {
                best_len = len;
                sources = found;
                break;
            }
        }
        if best_len == 0 {
            let (term, w) = &terms[i];
            if !QUERY_FILLER.contains(&words[*w].as_str()) {
                out.push(word_concept(term, &words[*w], expansions));
            }
            i += 1;
            continue;
        }
        let typed = words[terms[i].1..=terms[i + best_len - 1].1].join(" ");
        let mut alternatives = vec![alternative(an, &typed, 1.0)];
        let typed_key = an.terms(&typed).join(" ");
        let mut seen: Vec<&str> = vec![&typed_key];
        for &(_, src) in sources {
            let (list, weight) = src.phrases();
            for phrase in list {
                if seen.contains(&phrase.key) {
                    continue;
                }
                seen.push(phrase.key);
                let text = src.text(phrase.index);
                expansions.push(text.to_string());
                alternatives.push(Alternative {
                    surface: text.to_string(),
                    terms: tables::PHRASE_TERM_IDS[phrase.ids.range()].to_vec(),
                    missing: phrase.missing,
                    weight,
                });
            }
        }
        out.push(Concept {
            covers: best_len,
            recognized: true,
            alternatives,
        });
        i += best_len;
    }
    dedup_repeats(&mut out);
    out
}

/// A query word no table phrase starts with: the word itself, and when the index lacks it,
/// the closest indexed spelling as a lower-weight alternative.
fn word_concept(term: &str, surface: &str, expansions: &mut Vec<String>) -> Concept {
    let id = term_id(term);
    let mut alternatives = vec![Alternative {
        surface: surface.to_string(),
        missing: usize::from(id.is_none()),
        terms: id.into_iter().collect(),
        weight: 1.0,
    }];
    if id.is_none() {
        if let Some(near) = crate::spelling::closest_term(term) {
            let stem = tables::TERMS[near as usize];
            expansions.push(format!("{stem}… (closest spelling to \"{surface}\")"));
            alternatives.push(Alternative {
                surface: stem.to_string(),
                terms: vec![near],
                missing: 0,
                weight: EXPANSION_WEIGHT,
            });
        }
    }
    Concept {
        covers: 1,
        recognized: false,
        alternatives,
    }
}

/// A concept typed twice counts once: repeating a word must neither outweigh the rest of the
/// query nor multiply the work.
fn dedup_repeats(concepts: &mut Vec<Concept>) {
    let mut seen: Vec<Vec<u32>> = Vec::with_capacity(concepts.len());
    concepts.retain(|c| {
        let key: Vec<u32> = c
            .alternatives
            .iter()
            .flat_map(|a| a.terms.iter().copied())
            .collect();
        if key.is_empty() || !seen.contains(&key) {
            seen.push(key);
            true
        } else {
            false
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(text: &str) -> Vec<Vec<String>> {
        let mut exp = Vec::new();
        parse(&Analyzer::new(), text, &mut exp)
            .iter()
            .map(|c| c.alternatives.iter().map(|a| a.surface.clone()).collect())
            .collect()
    }

    #[test]
    fn a_practitioner_term_brings_its_concepts_at_a_lower_weight() {
        let mut exp = Vec::new();
        let c = parse(&Analyzer::new(), "JML", &mut exp);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].alternatives[0].surface, "jml");
        assert_eq!(c[0].alternatives[0].weight, 1.0);
        assert!(c[0].alternatives.len() > 1);
        assert!(c[0].alternatives[1..]
            .iter()
            .all(|a| a.weight == EXPANSION_WEIGHT));
        assert!(!exp.is_empty());
    }

    #[test]
    fn the_longest_phrase_wins_and_filler_is_dropped() {
        let s = surfaces("How should we run the change advisory board?");
        // "how", "should", "we" are filler, "the" a stop word; "run" stays a word of its own.
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0], vec!["run".to_string()]);
        assert_eq!(s[1][0], "change advisory board");
    }

    #[test]
    fn only_filler_leaves_nothing_to_search() {
        assert!(surfaces("what should we do").is_empty());
    }

    #[test]
    fn every_table_phrase_has_searchable_words() {
        let an = Analyzer::new();
        for (words, concepts) in CONCEPTS {
            for p in words.iter().chain(concepts.iter()) {
                assert!(!an.terms(p).is_empty(), "`{p}` is only stop words");
            }
        }
        // A concept no outcome, example or control word contains would expand to nothing.
        for p in tables::CONCEPT_PHRASES.iter() {
            assert_eq!(
                p.missing, 0,
                "concept `{}` has a word the index does not know",
                p.key
            );
        }
    }

    #[test]
    fn concepts_name_no_framework_ids() {
        for (_, concepts) in CONCEPTS {
            for p in *concepts {
                let looks_like_id = p.split_whitespace().any(|w| {
                    w.len() >= 5
                        && w.as_bytes()[2] == b'.'
                        && w[..2].chars().all(char::is_alphabetic)
                });
                assert!(
                    !looks_like_id,
                    "`{p}` names a CSF id: map terms to concepts"
                );
            }
        }
    }
}
