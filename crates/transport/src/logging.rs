//! Logging to stderr (stdout carries the protocol on stdio), as text or JSON lines, with every
//! character that could forge or disguise a line escaped.
//!
//! Log fields carry values callers chose (a tool error quoting an argument, a principal name),
//! and the text formatter writes them as they are: a value holding a newline would end its line
//! and start a forged one. [`EscapedStderr`] escapes, in each formatted line, every control
//! character but the line's own final newline, and the bidirectional-override and line-separator
//! characters (see `text.rs`). It works on the finished line, so it covers every field, message
//! and span of any format. In JSON lines the escapes are JSON escapes (`\u0085`), so values read
//! back unchanged; JSON already escapes C0 characters, this adds DEL, C1 and the bidi set.

use std::borrow::Cow;
use std::io::{self, Write};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;
use crate::text::is_unsafe_char;

/// Installs the global subscriber; `RUST_LOG` overrides `default_filter` (e.g. `info`).
/// Returns `false` if a subscriber was already installed.
pub fn init(format: LogFormat, default_filter: &str) -> bool {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(EscapedStderr);
    match format {
        LogFormat::Text => builder.with_ansi(false).try_init().is_ok(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init()
            .is_ok(),
    }
}

/// `line` with every unsafe character escaped, keeping one final newline as it is. `\n`, `\r`
/// and `\t` become those two-character escapes; anything else `\uXXXX` (UTF-16 units, so the
/// result is also a valid JSON escape).
pub fn escape_line(line: &str) -> Cow<'_, str> {
    let (body, end) = match line.strip_suffix('\n') {
        Some(body) => (body, "\n"),
        None => (line, ""),
    };
    if !body.chars().any(is_unsafe_char) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 16);
    for c in body.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_char(c) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push_str(end);
    Cow::Owned(out)
}

/// Standard error, with each formatted log line passed through [`escape_line`].
#[derive(Debug, Clone, Copy, Default)]
pub struct EscapedStderr;

/// The writer [`EscapedStderr`] makes for one event.
pub struct EscapingWriter<W: Write>(W);

impl<W: Write> Write for EscapingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // The formatter writes each event as one whole line; bytes that are not UTF-8 (a write
        // split inside a character, which it does not do) pass unchanged.
        match std::str::from_utf8(buf) {
            Ok(text) => self.0.write_all(escape_line(text).as_bytes())?,
            Err(_) => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<'a> MakeWriter<'a> for EscapedStderr {
    type Writer = EscapingWriter<io::Stderr>;

    fn make_writer(&'a self) -> Self::Writer {
        EscapingWriter(io::stderr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newline_in_a_field_cannot_start_a_line() {
        let line = "INFO tool error error=bad id `x\nINFO forged line`\n";
        let escaped = escape_line(line);
        assert_eq!(escaped.matches('\n').count(), 1);
        assert!(escaped.ends_with("`\n"));
        assert!(escaped.contains("x\\nINFO forged"));
    }

    #[test]
    fn controls_and_bidi_become_escapes_that_json_reads_back() {
        let value = "a\u{1b}[31m\u{7f}\u{85}\u{202e}\u{2028}\r\tb";
        let line = format!("{}\n", serde_json::json!({ "v": value }));
        let escaped = escape_line(&line);
        assert!(!escaped.trim_end().chars().any(is_unsafe_char), "{escaped}");
        let back: serde_json::Value = serde_json::from_str(escaped.trim_end()).unwrap();
        assert_eq!(back["v"], value, "the JSON value is unchanged");
    }

    #[test]
    fn clean_lines_are_not_copied() {
        assert!(matches!(
            escape_line("INFO all fine é 中\n"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn the_writer_reports_what_it_was_given() {
        let mut out = Vec::new();
        let mut writer = EscapingWriter(&mut out);
        let line = b"x\x07y\n";
        assert_eq!(writer.write(line).unwrap(), line.len());
        assert_eq!(out, b"x\\u0007y\n");
    }
}
