//! The closest indexed term to a query word the catalog does not contain, so a misspelt word
//! ("authentification", "recovry") still finds the outcomes it meant.
//!
//! Only longer words are corrected (a short word is too often a different word at distance
//! one), and only within one edit for words under eight letters, two from eight on.

use crate::tables;

/// Shortest stemmed term that is corrected at all.
const MIN_LEN: usize = 5;
/// From this length on, two edits are allowed.
const TWO_EDITS_FROM: usize = 8;

/// The index term nearest to `term` (a stemmed query term that is not in the index), if one is
/// close enough; ties go to the first in the index's sorted order, so the answer is stable.
pub(crate) fn closest_term(term: &str) -> Option<u32> {
    let len = term.chars().count();
    if len < MIN_LEN {
        return None;
    }
    let max = if len >= TWO_EDITS_FROM { 2 } else { 1 };
    let mut best: Option<(usize, u32)> = None;
    for (i, candidate) in tables::TERMS.iter().enumerate() {
        let clen = candidate.chars().count();
        if clen < MIN_LEN - 1 || clen.abs_diff(len) > max {
            continue;
        }
        let d = strsim::osa_distance(term, candidate);
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, i as u32));
        }
    }
    best.map(|(_, i)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Analyzer;

    fn corrected(word: &str) -> Option<&'static str> {
        let term = Analyzer::new().terms(word).pop()?;
        closest_term(&term).map(|i| tables::TERMS[i as usize])
    }

    #[test]
    fn a_word_one_or_two_edits_off_finds_the_indexed_term() {
        let expected = Analyzer::new().terms("recovery").pop();
        assert_eq!(corrected("recovry").map(str::to_string), expected);
        let expected = Analyzer::new().terms("authentication").pop();
        assert_eq!(corrected("authentification").map(str::to_string), expected);
    }

    #[test]
    fn short_or_far_words_are_left_alone() {
        assert_eq!(corrected("okta"), None);
        assert_eq!(corrected("zzqxwv"), None);
        assert_eq!(corrected("kubernetes"), None);
    }
}
