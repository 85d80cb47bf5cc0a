//! Forgiving id lookup: `gv.oc-1`, `GV OC 01`, `gvoc01` and `govern` all resolve; an unknown id
//! yields the nearest valid ids.

use crate::element::Element;
use crate::tables;

/// An id that names no element, with the closest valid ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupError {
    pub input: String,
    pub suggestions: Vec<&'static str>,
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown CSF 2.0 id `{}`", self.input.trim())?;
        if !self.suggestions.is_empty() {
            write!(f, "; did you mean {}?", self.suggestions.join(", "))?;
        }
        write!(
            f,
            " Valid ids look like GV (function), GV.OC (category), GV.OC-01 (subcategory) or \
             GV.OC-01.001 (implementation example)."
        )
    }
}

impl std::error::Error for LookupError {}

/// Exact lookup of a canonical id (e.g. `GV.OC-01`).
pub fn get(id: &str) -> Option<Element> {
    tables::ID_INDEX
        .binary_search_by(|(k, _)| (*k).cmp(id))
        .ok()
        .map(|i| Element::from_ref(tables::ID_INDEX[i].1))
}

/// Canonical form of a CSF id written loosely: case, separators and zero padding are forgiven.
/// Returns `None` when the input does not have the shape of an id at all.
pub fn canonical_id(input: &str) -> Option<String> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    let b = s.as_bytes();
    let letters = |i: usize| {
        b.get(i..i + 2)
            .filter(|w| w.iter().all(u8::is_ascii_uppercase))
    };
    let func = letters(0)?;
    let mut i = 2;
    let skip_sep = |i: &mut usize| {
        if matches!(b.get(*i), Some(b'.' | b'-' | b'_' | b':')) {
            *i += 1;
        }
    };
    let mut out = String::from_utf8_lossy(func).into_owned();
    if i == b.len() {
        return Some(out);
    }
    skip_sep(&mut i);
    let cat = letters(i)?;
    out.push('.');
    out.push_str(&String::from_utf8_lossy(cat));
    i += 2;
    if i == b.len() {
        return Some(out);
    }
    skip_sep(&mut i);
    let digits = |i: &mut usize, max: usize| -> Option<u32> {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            *i += 1;
        }
        (start < *i).then(|| s[start..*i].parse().ok()).flatten()
    };
    let sub = digits(&mut i, 2)?;
    out.push_str(&format!("-{sub:02}"));
    if i == b.len() {
        return Some(out);
    }
    skip_sep(&mut i);
    let ex = digits(&mut i, 3)?;
    (i == b.len()).then(|| format!("{out}.{ex:03}"))
}

/// Looks an element up by a loosely written id, or by a function or category name
/// ("Govern", "asset management"). On a miss the error carries the nearest valid ids.
pub fn resolve(input: &str) -> Result<Element, LookupError> {
    if let Some(e) = canonical_id(input).and_then(|id| get(&id)) {
        return Ok(e);
    }
    if let Some(e) = by_name(input) {
        return Ok(e);
    }
    Err(LookupError {
        input: input.chars().take(64).collect(),
        suggestions: nearest_ids(input, 5),
    })
}

fn by_name(input: &str) -> Option<Element> {
    let want = input.trim();
    if let Some(f) = tables::FUNCTIONS
        .iter()
        .find(|f| f.title.eq_ignore_ascii_case(want))
    {
        return Some(Element::Function(f));
    }
    // Several withdrawn categories share titles with active ones ("Improvements"): prefer active.
    let mut cats: Vec<_> = tables::CATEGORIES
        .iter()
        .filter(|c| c.title.eq_ignore_ascii_case(want))
        .collect();
    cats.sort_by_key(|c| c.withdrawn);
    cats.first().map(|c| Element::Category(c))
}

/// Up to `n` valid ids closest to `input` (edit distance on the canonical or upper-cased form;
/// active elements before withdrawn ones at equal distance).
pub fn nearest_ids(input: &str, n: usize) -> Vec<&'static str> {
    let probe = canonical_id(input).unwrap_or_else(|| {
        input
            .trim()
            .chars()
            .take(32)
            .flat_map(char::to_uppercase)
            .collect()
    });
    let wants_example = probe.len() > 8;
    let mut scored: Vec<(usize, bool, &'static str)> = tables::ID_INDEX
        .iter()
        .filter(|(id, _)| wants_example || id.len() <= 8)
        .map(|(id, r)| {
            let withdrawn = Element::from_ref(*r).is_withdrawn();
            (levenshtein(&probe, id), withdrawn, *id)
        })
        .collect();
    scored.sort();
    let limit = probe.len().max(2) / 2 + 1;
    scored
        .into_iter()
        .filter(|(d, _, _)| *d <= limit)
        .take(n)
        .map(|(_, _, id)| id)
        .collect()
}

/// Classic dynamic-programming edit distance over bytes (ids are ASCII).
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        for (input, want) in [
            ("gv.oc-1", "GV.OC-01"),
            ("GV.OC-01", "GV.OC-01"),
            ("gv oc 01", "GV.OC-01"),
            ("GVOC1", "GV.OC-01"),
            ("pr_aa-05", "PR.AA-05"),
            ("id.am", "ID.AM"),
            ("rs", "RS"),
            ("gv.oc-01.2", "GV.OC-01.002"),
        ] {
            assert_eq!(canonical_id(input).as_deref(), Some(want), "{input}");
        }
        for bad in ["", "G", "1234", "GV.OC-", "GV.OC-01.1234", "GV.O1"] {
            assert_eq!(canonical_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn levenshtein_basics() {
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("GV.OC-01", "GV.OC-01"), 0);
        assert_eq!(levenshtein("GV.OX-01", "GV.OC-01"), 1);
    }
}
