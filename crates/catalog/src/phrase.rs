//! The phrase types of the generated trigger and phrase tables (`build/phrases.rs` writes
//! them; `query` reads them), apart from both so the tables do not depend on the query code.

use crate::model::Span;

/// Which table row a trigger phrase belongs to (generated `TRIGGERS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PhraseSource {
    Synonyms(usize),
    Practitioner(usize),
}

/// A phrase of either table, analysed at build time (`build/phrases.rs`).
#[derive(Debug)]
pub(crate) struct TablePhrase {
    /// Position in its table row.
    pub index: usize,
    /// Its stemmed terms, space-separated.
    pub key: &'static str,
    /// Its term ids in the index (`PHRASE_TERM_IDS`).
    pub ids: Span,
    /// Terms no document contains.
    pub missing: usize,
}
