//! Which argument a decoding error is about. serde_json says what is wrong ("invalid type:
//! integer `7`, expected a string") but not where, so a caller with several string fields, or a
//! list of entries, cannot tell which one to fix. The tool's input schema knows every field's
//! JSON types, bounds and allowed values: walking the arguments in the order the decoder reads
//! them finds the first value the schema refuses, and when that is the kind of value serde
//! complained about, its path (`limit`, `entries[2].status`) is put in front of the message.

use serde_json::Value;

/// `message` prefixed with the path of the offending argument when it can be located for sure.
pub fn locate(schema: &Value, args: &Value, message: String) -> String {
    match first_refused(schema, args, "") {
        Some((path, kind)) if message.starts_with(&kind.serde_prefix()) => {
            format!("`{path}`: {message}")
        }
        // serde reads a map as an externally tagged enum value ("unknown variant `k`").
        Some((path, Refusal::Type("map"))) if message.starts_with("unknown variant") => {
            format!("`{path}`: {message}")
        }
        // serde reads a struct from an array too, so its complaint is about an element; the
        // argument itself has the wrong shape.
        Some((path, Refusal::Type(word @ ("sequence" | "map")))) => {
            let given = if word == "map" {
                "an object"
            } else {
                "an array"
            };
            format!("`{path}` cannot be {given} ({message})")
        }
        _ => message,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Refusal {
    /// The JSON type is not allowed; the word is serde's name for the value's type.
    Type(&'static str),
    /// A string outside an enumeration.
    Variant,
    /// A number outside `minimum`/`maximum`.
    Bound,
}

impl Refusal {
    fn serde_prefix(self) -> String {
        match self {
            Refusal::Type(word) => format!("invalid type: {word}"),
            Refusal::Variant => "unknown variant".into(),
            Refusal::Bound => "invalid value: integer".into(),
        }
    }
}

fn serde_word(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "floating point",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "sequence",
        Value::Object(_) => "map",
    }
}

/// JSON types a schema allows (`type`, and the alternatives of `anyOf`/`oneOf`); empty: any.
fn types(s: &Value) -> Vec<&str> {
    let mut out: Vec<&str> = match &s["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for key in ["anyOf", "oneOf"] {
        for alt in s[key].as_array().into_iter().flatten() {
            let t = types(alt);
            if t.is_empty() {
                // An alternative without a type (a bare `const`) allows what its value is.
                return Vec::new();
            }
            out.extend(t);
        }
    }
    out
}

fn type_allowed(s: &Value, v: &Value) -> bool {
    let t = types(s);
    let is = |name: &str| t.contains(&name);
    t.is_empty()
        || match v {
            Value::Null => is("null"),
            Value::Bool(_) => is("boolean"),
            Value::Number(n) if n.is_f64() => is("number"),
            Value::Number(_) => is("integer") || is("number"),
            Value::String(_) => is("string"),
            Value::Array(_) => is("array"),
            Value::Object(_) => is("object"),
        }
}

/// Strings an enumeration allows (`enum`, or `const`s under `anyOf`/`oneOf`); empty: any.
fn choices(s: &Value) -> Vec<&str> {
    let mut out: Vec<&str> = s["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for key in ["anyOf", "oneOf"] {
        for alt in s[key].as_array().into_iter().flatten() {
            out.extend(alt["const"].as_str());
            out.extend(choices(alt));
        }
    }
    out
}

fn refusal(s: &Value, v: &Value) -> Option<Refusal> {
    if !type_allowed(s, v) {
        return Some(Refusal::Type(serde_word(v)));
    }
    if let Value::String(text) = v {
        let c = choices(s);
        if !c.is_empty() && !c.contains(&text.as_str()) {
            return Some(Refusal::Variant);
        }
    }
    if let Some(x) = v.as_f64().filter(|_| !v.is_f64()) {
        let below = s["minimum"].as_f64().is_some_and(|min| x < min);
        let above = s["maximum"].as_f64().is_some_and(|max| x > max);
        if below || above {
            return Some(Refusal::Bound);
        }
    }
    None
}

fn first_refused(schema: &Value, v: &Value, path: &str) -> Option<(String, Refusal)> {
    match v {
        Value::Object(fields) => {
            let props = schema["properties"].as_object()?;
            fields.iter().find_map(|(k, x)| {
                let s = props.get(k)?;
                let here = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match refusal(s, x) {
                    Some(r) => Some((here, r)),
                    None => first_refused(s, x, &here),
                }
            })
        }
        Value::Array(items) => {
            let s = schema.get("items").filter(|i| i.is_object())?;
            items.iter().enumerate().find_map(|(i, x)| {
                let here = format!("{path}[{i}]");
                match refusal(s, x) {
                    Some(r) => Some((here, r)),
                    None => first_refused(s, x, &here),
                }
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({"type": "object", "properties": {
            "name": {"type": "string"},
            "limit": {"type": ["integer", "null"], "minimum": 0},
            "tier": {"type": ["integer", "null"], "minimum": 0, "maximum": 255},
            "entries": {"type": "array", "items": {"type": "object", "properties": {
                "status": {"enum": ["fully", "partially"], "type": "string"},
                "kind": {"anyOf": [{"oneOf": [{"const": "a", "type": "string"}]}, {"type": "null"}]}
            }}}
        }})
    }

    #[test]
    fn names_the_field_serde_complained_about() {
        let s = schema();
        let m = locate(
            &s,
            &json!({"name": 7}),
            "invalid type: integer `7`, expected a string".into(),
        );
        assert_eq!(m, "`name`: invalid type: integer `7`, expected a string");
        let m = locate(
            &s,
            &json!({"entries": [{"status": "fully"}, {"status": "nope"}]}),
            "unknown variant `nope`, expected one of `fully`, `partially`".into(),
        );
        assert!(m.starts_with("`entries[1].status`: unknown variant"), "{m}");
        let m = locate(
            &s,
            &json!({"tier": 300}),
            "invalid value: integer `300`, expected u8".into(),
        );
        assert!(m.starts_with("`tier`: "), "{m}");
        let m = locate(
            &s,
            &json!({"entries": [{"kind": 1.5}]}),
            "invalid type: floating point `1.5`, expected a string".into(),
        );
        assert!(m.starts_with("`entries[0].kind`: "), "{m}");
        let m = locate(
            &s,
            &json!({"entries": [{"status": {"k": 1}}]}),
            "unknown variant `k`, expected one of `fully`, `partially`".into(),
        );
        assert!(m.starts_with("`entries[0].status`: unknown variant"), "{m}");
        let m = locate(
            &s,
            &json!({"name": ["x"]}),
            "invalid type: string \"x\", expected f64".into(),
        );
        assert!(m.starts_with("`name` cannot be an array ("), "{m}");
    }

    #[test]
    fn leaves_messages_it_cannot_place_alone() {
        let s = schema();
        // serde's complaint is about something else than the first refused value: no guess.
        let m = locate(&s, &json!({"name": 7}), "missing field `entries`".into());
        assert_eq!(m, "missing field `entries`");
        let m = locate(
            &s,
            &json!({"limit": 5}),
            "invalid value: integer `5`, expected u2".into(),
        );
        assert_eq!(m, "invalid value: integer `5`, expected u2");
        assert_eq!(locate(&s, &json!({"other": 1}), "x".into()), "x");
    }
}
