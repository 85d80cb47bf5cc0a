//! A parsed reply whose strings borrow from the line (copied only where an escape must be
//! undone): serde_json without the `String` per string and the map per object that `Value`
//! allocates. Objects are small, so a key is found by a linear scan.

use std::borrow::Cow;
use std::fmt;

use super::Json;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// One JSON value of a reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree<'a> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(Cow<'a, str>),
    Arr(Vec<Tree<'a>>),
    Obj(Vec<(Cow<'a, str>, Tree<'a>)>),
}

/// A string borrowed from the input when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Tree<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tree<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Tree::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
                Ok(Tree::Bool(b))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
                Ok(Tree::U64(n))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
                Ok(Tree::I64(n))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
                Ok(Tree::F64(n))
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Tree::Str(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Tree::Str(Cow::Owned(s.to_owned())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::with_capacity(a.size_hint().unwrap_or(0));
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(Tree::Arr(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::with_capacity(a.size_hint().unwrap_or(0));
                while let Some((Text(k), x)) = a.next_entry::<Text<'de>, Tree<'de>>()? {
                    v.push((k, x));
                }
                Ok(Tree::Obj(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Tree<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Null => s.serialize_unit(),
            Tree::Bool(b) => s.serialize_bool(*b),
            Tree::U64(n) => s.serialize_u64(*n),
            Tree::I64(n) => s.serialize_i64(*n),
            Tree::F64(n) => s.serialize_f64(*n),
            Tree::Str(t) => s.serialize_str(t),
            Tree::Arr(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                a.iter().try_for_each(|x| seq.serialize_element(x))?;
                seq.end()
            }
            Tree::Obj(o) => {
                let mut map = s.serialize_map(Some(o.len()))?;
                o.iter().try_for_each(|(k, x)| map.serialize_entry(k, x))?;
                map.end()
            }
        }
    }
}

impl Json for Tree<'_> {
    fn field(&self, key: &str) -> Option<&Self> {
        match self {
            Tree::Obj(o) => o.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn item(&self, index: usize) -> Option<&Self> {
        match self {
            Tree::Arr(a) => a.get(index),
            _ => None,
        }
    }
    fn as_text(&self) -> Option<&str> {
        match self {
            Tree::Str(s) => Some(s),
            _ => None,
        }
    }
    fn as_unsigned(&self) -> Option<u64> {
        match self {
            Tree::U64(n) => Some(*n),
            Tree::I64(n) => u64::try_from(*n).ok(),
            _ => None,
        }
    }
    fn as_flag(&self) -> Option<bool> {
        match self {
            Tree::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn array_len(&self) -> Option<usize> {
        match self {
            Tree::Arr(a) => Some(a.len()),
            _ => None,
        }
    }
    fn same_as(&self, v: &Value) -> bool {
        match (self, v) {
            (Tree::Null, Value::Null) => true,
            (Tree::Bool(a), Value::Bool(b)) => a == b,
            (Tree::U64(a), Value::Number(b)) => b.as_u64() == Some(*a),
            (Tree::I64(a), Value::Number(b)) => b.as_i64() == Some(*a),
            (Tree::F64(a), Value::Number(b)) => b.is_f64() && b.as_f64() == Some(*a),
            (Tree::Str(a), Value::String(b)) => a == b,
            (Tree::Arr(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y))
            }
            (Tree::Obj(a), Value::Object(b)) => {
                a.len() == b.len()
                    && b.iter().all(|(k, y)| {
                        a.iter()
                            .find(|(ka, _)| ka == k)
                            .is_some_and(|(_, x)| x.same_as(y))
                    })
            }
            _ => false,
        }
    }
    fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
