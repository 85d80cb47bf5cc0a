//! One view over a parsed reply, whichever parser read it: `serde_json::Value` (HTTP bodies,
//! tests) or simd-json's borrowed value (every stdio reply line, parsed in place). The checks
//! in `jsonrpc` are written once against this trait.
//!
//! Why simd-json here: the load generator parses and checks every reply on the same two cores
//! the server runs on, so each microsecond it spends is taken from the server, and replies
//! (search results, full lookups) are the larger JSON documents where a SIMD parser is
//! expected to gain. `cargo bench -p csf-benches --bench reply_check` compares both parsers
//! on real replies and a large import body; its figures belong in results/README.md (not
//! measured yet: see there).

use serde_json::Value;
use simd_json::{BorrowedValue, StaticNode};

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

impl Json for BorrowedValue<'_> {
    fn field(&self, key: &str) -> Option<&Self> {
        match self {
            BorrowedValue::Object(o) => o.get(key),
            _ => None,
        }
    }
    fn item(&self, index: usize) -> Option<&Self> {
        match self {
            BorrowedValue::Array(a) => a.get(index),
            _ => None,
        }
    }
    fn as_text(&self) -> Option<&str> {
        match self {
            BorrowedValue::String(s) => Some(s),
            _ => None,
        }
    }
    fn as_unsigned(&self) -> Option<u64> {
        match self {
            BorrowedValue::Static(StaticNode::U64(n)) => Some(*n),
            BorrowedValue::Static(StaticNode::I64(n)) => u64::try_from(*n).ok(),
            _ => None,
        }
    }
    fn as_flag(&self) -> Option<bool> {
        match self {
            BorrowedValue::Static(StaticNode::Bool(b)) => Some(*b),
            _ => None,
        }
    }
    fn array_len(&self) -> Option<usize> {
        match self {
            BorrowedValue::Array(a) => Some(a.len()),
            _ => None,
        }
    }
    fn same_as(&self, v: &Value) -> bool {
        match (self, v) {
            (BorrowedValue::Static(StaticNode::Null), Value::Null) => true,
            (BorrowedValue::Static(StaticNode::Bool(a)), Value::Bool(b)) => a == b,
            (BorrowedValue::Static(n), Value::Number(b)) => number(n) == Some(b.clone()),
            (BorrowedValue::String(a), Value::String(b)) => a == b,
            (BorrowedValue::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y))
            }
            (BorrowedValue::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && b.iter()
                        .all(|(k, y)| a.get(k.as_str()).is_some_and(|x| x.same_as(y)))
            }
            _ => false,
        }
    }
    fn to_text(&self) -> String {
        simd_json::to_string(self).unwrap_or_default()
    }
}

fn number(n: &StaticNode) -> Option<serde_json::Number> {
    match n {
        StaticNode::U64(u) => Some((*u).into()),
        StaticNode::I64(i) => Some((*i).into()),
        StaticNode::F64(f) => serde_json::Number::from_f64(*f),
        _ => None,
    }
}

/// Parses a reply line in place (simd-json needs a mutable buffer).
pub fn parse(line: &mut [u8]) -> Result<BorrowedValue<'_>, String> {
    simd_json::to_borrowed_value(line).map_err(|e| format!("unparseable line: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_parsers_read_the_same_reply_alike() {
        let text = r#"{"jsonrpc":"2.0","id":7,"result":{"isError":false,"structuredContent":{"id":"AB.CD-01","n":3,"x":1.5,"tags":["a/b","c"],"o":{"k":null}}}}"#;
        let serde: Value = serde_json::from_str(text).unwrap();
        let mut bytes = text.as_bytes().to_vec();
        let simd = parse(&mut bytes).unwrap();
        for (pointer, want) in [
            ("/id", json!(7)),
            ("/result/isError", json!(false)),
            ("/result/structuredContent/id", json!("AB.CD-01")),
            ("/result/structuredContent/n", json!(3)),
            ("/result/structuredContent/x", json!(1.5)),
            ("/result/structuredContent/tags/0", json!("a/b")),
            ("/result/structuredContent/tags", json!(["a/b", "c"])),
            ("/result/structuredContent/o", json!({"k": null})),
        ] {
            assert!(
                serde.at_pointer(pointer).unwrap().same_as(&want),
                "{pointer}"
            );
            assert!(
                simd.at_pointer(pointer).unwrap().same_as(&want),
                "{pointer}"
            );
        }
        assert!(simd
            .at_pointer("/result/structuredContent/tags/2")
            .is_none());
        assert!(!simd
            .at_pointer("/result/structuredContent/id")
            .unwrap()
            .same_as(&json!("AB.CD-02")));
        assert_eq!(simd.at_pointer("/id").unwrap().as_unsigned(), Some(7));
        assert!(parse(&mut b"{not json".to_vec()).is_err());
    }
}
