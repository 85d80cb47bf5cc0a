//! Characters that must never reach a log line or a displayed name as they are.

/// Control characters (C0, DEL, C1: a newline ends a log line and starts a forged one, ESC
/// drives terminals, NEL is a line break to some viewers) and the Unicode characters that
/// reorder or break displayed text: bidirectional embeddings, overrides, isolates and marks
/// (`admin\u{202e}txt` displays as another name), line and paragraph separators, and the
/// invisible format characters that make one name display as another (`al\u{200b}ice` reads
/// as `alice`): soft hyphen, zero-width space, word joiner and invisible operators, byte-order
/// mark, Mongolian vowel separator, tag characters. Zero-width joiners stay: scripts and emoji
/// need them.
pub(crate) fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{00ad}'
                | '\u{180e}'
                | '\u{200b}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_unsafe_printable_text_is_not() {
        for c in [
            '\n', '\r', '\t', '\0', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}',
        ] {
            assert!(is_unsafe_char(c), "{c:?}");
        }
        for c in ['\u{202e}', '\u{2066}', '\u{200f}', '\u{061c}', '\u{2028}'] {
            assert!(is_unsafe_char(c), "{c:?}");
        }
        for c in ['\u{200b}', '\u{00ad}', '\u{feff}', '\u{2060}', '\u{e0041}'] {
            assert!(is_unsafe_char(c), "{c:?}");
        }
        for c in ['a', ' ', 'é', 'Ж', '中', '\u{200d}', '\u{200c}', '😀'] {
            assert!(!is_unsafe_char(c), "{c:?}");
        }
    }
}
