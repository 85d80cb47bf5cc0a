//! One view over a parsed reply, whichever way it was read: `serde_json::Value` (HTTP bodies,
//! tests) or a [`Tree`] borrowing from the line (every stdio reply). The checks in `jsonrpc`
//! are written once against this trait.
//!
//! Why serde_json into a borrowed tree: the load generator parses and checks every reply on
//! the same two cores the server runs on, so each microsecond it spends is taken from the
//! server. Measured per reply (results/amd64/reply-check.md), on the replies the stdio
//! scenarios read (lookups, searches of 10, tool errors) the tree takes 0.72–0.97× the time
//! of simd-json (copy the line, parse in place; medians over five runs), which in turn beats
//! `Value` 1.26–1.74×; simd-json at best ties, on the largest, escape-heavy replies (a 170 KB
//! export), which no scenario reads. The simd-json view stays behind the `simd-json`
//! feature for that bench.

use serde_json::Value;

mod tree;
pub use tree::Tree;

#[cfg(feature = "simd-json")]
pub mod simd;

/// The reads the checks need.
pub trait Json {
    fn field(&self, key: &str) -> Option<&Self>;
    fn item(&self, index: usize) -> Option<&Self>;
    fn as_text(&self) -> Option<&str>;
    fn as_unsigned(&self) -> Option<u64>;
    fn as_flag(&self) -> Option<bool>;
    /// The length of an array; `None` for anything else.
    fn array_len(&self) -> Option<usize>;
    /// Equal to a JSON value (numbers compared as JSON numbers).
    fn same_as(&self, v: &Value) -> bool;
    /// The value as JSON text (for error messages).
    fn to_text(&self) -> String;

    /// RFC 6901 pointer lookup (`/a/0/b`, with `~1` for `/` and `~0` for `~`).
    fn at_pointer(&self, pointer: &str) -> Option<&Self> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |v, token| {
            let token = token.replace("~1", "/").replace("~0", "~");
            match v.array_len() {
                Some(_) => v.item(token.parse().ok()?),
                None => v.field(&token),
            }
        })
    }
}

impl Json for Value {
    fn field(&self, key: &str) -> Option<&Self> {
        self.get(key)
    }
    fn item(&self, index: usize) -> Option<&Self> {
        self.get(index)
    }
    fn as_text(&self) -> Option<&str> {
        self.as_str()
    }
    fn as_unsigned(&self) -> Option<u64> {
        self.as_u64()
    }
    fn as_flag(&self) -> Option<bool> {
        self.as_bool()
    }
    fn array_len(&self) -> Option<usize> {
        self.as_array().map(Vec::len)
    }
    fn same_as(&self, v: &Value) -> bool {
        self == v
    }
    fn to_text(&self) -> String {
        self.to_string()
    }
}

/// Parses a reply line (without its newline); its strings borrow from `line`.
pub fn parse(line: &str) -> Result<Tree<'_>, String> {
    serde_json::from_str(line).map_err(|e| format!("unparseable line: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::borrow::Cow;

    const REPLY: &str = r#"{"jsonrpc":"2.0","id":7,"result":{"isError":false,"structuredContent":{"id":"AB.CD-01","n":3,"neg":-2,"x":1.5,"tags":["a/b","c"],"o":{"k":null},"q":"say \"hi\" \u00e9"}}}"#;

    /// What every view must read from `REPLY`.
    fn reads_alike<J: Json>(v: &J) {
        for (pointer, want) in [
            ("/id", json!(7)),
            ("/result/isError", json!(false)),
            ("/result/structuredContent/id", json!("AB.CD-01")),
            ("/result/structuredContent/n", json!(3)),
            ("/result/structuredContent/neg", json!(-2)),
            ("/result/structuredContent/x", json!(1.5)),
            ("/result/structuredContent/tags/0", json!("a/b")),
            ("/result/structuredContent/tags", json!(["a/b", "c"])),
            ("/result/structuredContent/o", json!({"k": null})),
            ("/result/structuredContent/q", json!("say \"hi\" \u{e9}")),
        ] {
            let got = v.at_pointer(pointer);
            assert!(got.is_some_and(|g| g.same_as(&want)), "{pointer}");
        }
        assert!(v.at_pointer("/result/structuredContent/tags/2").is_none());
        assert!(v.at_pointer("/result/structuredContent/nope").is_none());
        let id = v.at_pointer("/result/structuredContent/id");
        assert!(!id.is_some_and(|g| g.same_as(&json!("AB.CD-02"))));
        assert!(!id.is_some_and(|g| g.same_as(&json!(1))));
        let n = v.at_pointer("/result/structuredContent/n");
        assert!(!n.is_some_and(|g| g.same_as(&json!(3.5))));
        assert_eq!(v.at_pointer("/id").and_then(J::as_unsigned), Some(7));
        let flag = v.at_pointer("/result/isError").and_then(J::as_flag);
        assert_eq!(flag, Some(false));
        let o = v.at_pointer("/result/structuredContent/o").map(J::to_text);
        assert_eq!(o.as_deref(), Some(r#"{"k":null}"#));
    }

    #[test]
    fn value_and_tree_read_the_same_reply_alike() {
        let value: Value = serde_json::from_str(REPLY).unwrap();
        reads_alike(&value);
        reads_alike(&parse(REPLY).unwrap());
    }

    #[test]
    fn tree_borrows_plain_strings_and_unescapes_the_rest() {
        let tree = parse(REPLY).unwrap();
        let text = |p: &str| match tree.at_pointer(p) {
            Some(Tree::Str(s)) => s.clone(),
            other => panic!("{p}: {other:?}"),
        };
        let id = text("/result/structuredContent/id");
        assert!(matches!(id, Cow::Borrowed("AB.CD-01")), "{id:?}");
        let q = text("/result/structuredContent/q");
        assert!(matches!(q, Cow::Owned(_)), "{q:?}");
        let err = parse("{not json").unwrap_err();
        assert!(err.starts_with("unparseable line: "), "{err}");
    }

    #[cfg(feature = "simd-json")]
    #[test]
    fn simd_json_reads_the_same_reply_alike() {
        let mut bytes = REPLY.as_bytes().to_vec();
        reads_alike(&simd::parse(&mut bytes).unwrap());
        assert!(simd::parse(&mut b"{not json".to_vec()).is_err());
    }
}
