//! Text normalisation shared by the build script (which indexes the catalog) and the runtime
//! (which normalises queries). Both sides must produce identical terms, so this file is compiled
//! into both (`#[path]` include in `build/main.rs`); it depends only on `rust-stemmers`.

use rust_stemmers::{Algorithm, Stemmer};

/// Words too common in outcome statements to help ranking.
const STOP_WORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "e", "eg",
    "for", "from", "g", "how", "i", "ie", "in", "into", "is", "it", "its", "of", "on", "or", "our",
    "s", "so", "such", "that", "the", "their", "them", "these", "this", "those", "to", "we",
    "what", "when", "which", "who", "with", "within",
];

/// Lower-cased, stop-word-free, stemmed terms of `text`, in order.
///
/// Splits on anything that is not a letter or digit, so "multi-factor" yields two terms; that is
/// what lets the synonym table map "MFA" onto the words NIST actually uses.
pub struct Analyzer {
    stemmer: Stemmer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl Analyzer {
    pub fn new() -> Self {
        Self {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// Appends the terms of `text` to `out`.
    pub fn terms_into(&self, text: &str, out: &mut Vec<String>) {
        let mut word = String::new();
        for ch in text.chars().chain(std::iter::once(' ')) {
            if ch.is_alphanumeric() {
                word.extend(ch.to_lowercase());
            } else if !word.is_empty() {
                // Typographic apostrophes split "organization’s" into "organization" + "s".
                if !STOP_WORDS.contains(&word.as_str()) {
                    out.push(self.stemmer.stem(&word).into_owned());
                }
                word.clear();
            }
        }
    }

    /// The terms of `text`.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.terms_into(text, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lowercases_stems_and_drops_stop_words() {
        let a = Analyzer::new();
        assert_eq!(
            a.terms("The Suppliers' risks, and multi-factor Authentication"),
            vec!["supplier", "risk", "multi", "factor", "authent"]
        );
    }

    #[test]
    fn empty_and_punctuation_only_yield_nothing() {
        let a = Analyzer::new();
        assert!(a.terms("").is_empty());
        assert!(a.terms(" -- ,; ").is_empty());
    }
}

/// Comparison key of a reference target id (a control, requirement, task or CSF 1.1 id): upper
/// case, no blanks, no zero padding in numbers. "ia-2", "IA-02" -> "IA-2"; "CP-02(08)" ->
/// "CP-2(8)"; "03.11.01" -> "3.11.1"; "PR.AC-07" -> "PR.AC-7".
pub fn reference_key(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut in_number = false;
    let mut pending_zero = false;
    for c in id.chars().filter(|c| !c.is_whitespace()) {
        if c.is_ascii_digit() {
            if !in_number && c == '0' {
                pending_zero = true;
                continue;
            }
            if c == '0' && pending_zero && !in_number {
                continue;
            }
            in_number = true;
            pending_zero = false;
            out.push(c);
        } else {
            if pending_zero {
                out.push('0');
            }
            in_number = false;
            pending_zero = false;
            out.extend(c.to_uppercase());
        }
    }
    if pending_zero {
        out.push('0');
    }
    out
}

#[cfg(test)]
mod reference_key_tests {
    use super::reference_key;

    #[test]
    fn padding_case_and_blanks_are_forgiven() {
        assert_eq!(reference_key("ia-2"), "IA-2");
        assert_eq!(reference_key("IA-02"), "IA-2");
        assert_eq!(reference_key("CP-02(08)"), "CP-2(8)");
        assert_eq!(reference_key("cp-2 (8)"), "CP-2(8)");
        assert_eq!(reference_key("03.11.01"), "3.11.1");
        assert_eq!(reference_key("PR.AC-07"), "PR.AC-7");
        assert_eq!(reference_key("AC-10"), "AC-10");
        assert_eq!(reference_key("SR-00"), "SR-0");
        assert_eq!(reference_key("PW.4.1"), "PW.4.1");
    }
}
