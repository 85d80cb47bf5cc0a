//! Says when a query found nothing convincing, and which categories are worth browsing instead.
//!
//! BM25 scores are not comparable across queries, so weakness is judged on coverage: the share
//! of the query's words (after synonym and practitioner-term grouping) that the best result
//! matches at all. A result that matches only one word of "kubernetes admission webhook policy"
//! is a guess; the caller should be told so rather than handed it as an answer.

use crate::element::Element;
use crate::model::Category;

/// Below this share of the query's words matched by the best result, the match is weak.
pub(crate) const MIN_COVERAGE: f32 = 0.5;
/// Categories suggested for a weak query.
pub(crate) const SUGGESTIONS: usize = 3;
/// Hits per category that count towards its suggestion score.
const HITS_PER_CATEGORY: usize = 2;

/// `covers[c]` = query words concept `c` stands for; `matched[c]` = whether the best result
/// matched it; `unknown[c]` = whether the catalog has no word of it at all.
/// `recognized[c]` = concept `c` is a synonym or practitioner term of the tables.
/// `by_reference` = the best result was reached by a control id in the query.
pub(crate) fn is_weak(
    covers: &[usize],
    matched: &[bool],
    unknown: &[bool],
    recognized: &[bool],
    by_reference: bool,
) -> bool {
    if by_reference {
        return false;
    }
    let sum = |pick: &dyn Fn(usize) -> bool| -> f32 {
        (0..covers.len())
            .filter(|&c| pick(c))
            .map(|c| covers[c] as f32)
            .sum()
    };
    let all = sum(&|_| true);
    let hit = sum(&|c| matched[c]);
    let unknown_missed = sum(&|c| !matched[c] && unknown[c]);
    // Exactly half is weak when the other half is a word the framework never uses
    // ("pizza delivery"), not when it is a known word the best outcome lacks, nor when the half
    // that matched is a recognized term ("EDR telemetry": the product word carries the query).
    let anchored = (0..covers.len()).any(|c| matched[c] && recognized[c]);
    all == 0.0
        || hit < MIN_COVERAGE * all
        || (hit == MIN_COVERAGE * all && unknown_missed > 0.0 && !anchored)
}

/// The categories whose elements score best among `ranked` (element, score; best first): a
/// category's score is its own plus that of its best `HITS_PER_CATEGORY` subcategories.
pub(crate) fn suggest(ranked: impl Iterator<Item = (Element, f32)>) -> Vec<&'static Category> {
    let mut per: Vec<(&'static Category, f32, usize)> = Vec::new();
    for (e, score) in ranked {
        let (cat, own) = match e {
            Element::Category(c) => (c, true),
            Element::Subcategory(s) => (s.category(), false),
            _ => continue,
        };
        if cat.withdrawn {
            continue;
        }
        let i = match per.iter().position(|(c, _, _)| c.id == cat.id) {
            Some(i) => i,
            None => {
                per.push((cat, 0.0, 0));
                per.len() - 1
            }
        };
        let entry = &mut per[i];
        if own {
            entry.1 += score;
        } else if entry.2 < HITS_PER_CATEGORY {
            entry.1 += score;
            entry.2 += 1;
        }
    }
    // Stable: ties keep the order of first appearance, which follows the ranking.
    per.sort_by(|a, b| b.1.total_cmp(&a.1));
    per.into_iter()
        .take(SUGGESTIONS)
        .map(|(c, _, _)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn less_than_half_or_half_with_unknown_words_is_weak() {
        let known = [false; 3];
        let plain = [false; 3];
        assert!(is_weak(
            &[1, 1, 1],
            &[true, false, false],
            &known,
            &plain,
            false
        ));
        assert!(!is_weak(
            &[1, 1],
            &[true, false],
            &known[..2],
            &plain[..2],
            false
        ));
        assert!(is_weak(
            &[1, 1],
            &[true, false],
            &[false, true],
            &plain[..2],
            false
        ));
        assert!(is_weak(
            &[1, 1],
            &[false, true],
            &[true, false],
            &plain[..2],
            false
        ));
        assert!(!is_weak(
            &[2, 1],
            &[true, false],
            &known[..2],
            &plain[..2],
            false
        ));
        assert!(is_weak(
            &[1, 2],
            &[true, false],
            &known[..2],
            &plain[..2],
            false
        ));
        assert!(!is_weak(&[1], &[true], &known[..1], &plain[..1], false));
        assert!(is_weak(&[], &[], &[], &[], false));
    }

    #[test]
    fn a_recognized_term_carries_an_unknown_word_but_not_a_minority() {
        // "EDR telemetry": the recognized term matched, the other word is unknown.
        assert!(!is_weak(
            &[1, 1],
            &[true, false],
            &[false, true],
            &[true, false],
            false
        ));
        // Two unknown words beside one recognized term stay weak.
        let unknown = [false, true, true];
        let recognized = [true, false, false];
        assert!(is_weak(
            &[1, 1, 1],
            &[true, false, false],
            &unknown,
            &recognized,
            false
        ));
    }

    #[test]
    fn a_control_id_match_is_never_weak() {
        assert!(!is_weak(
            &[1, 1, 1],
            &[false; 3],
            &[true; 3],
            &[false; 3],
            true
        ));
    }
}
