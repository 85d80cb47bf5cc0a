//! The same view over simd-json's borrowed value, parsed in place: kept so that
//! `benches/reply_check.rs` can compare it with the [`Tree`](super::Tree) the generator uses
//! (results/amd64/reply-check.md).

use serde_json::Value;
use simd_json::{BorrowedValue, StaticNode};

use super::Json;

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
