//! JSON Schemas for tool inputs and outputs: flat (every subschema inlined, no `$ref`/`$defs`,
//! which several clients reject) with an object at the root, as MCP requires.

use std::sync::Arc;

use rmcp::model::JsonObject;
use schemars::{generate::SchemaSettings, JsonSchema};

fn generate<T: JsonSchema>(for_output: bool) -> JsonObject {
    let mut settings = SchemaSettings::draft2020_12().with(|s| s.inline_subschemas = true);
    if for_output {
        settings = settings.for_serialize();
    } else {
        settings = settings.for_deserialize();
    }
    let schema = settings.into_generator().into_root_schema_for::<T>();
    let mut obj = match serde_json::to_value(schema) {
        Ok(serde_json::Value::Object(o)) => o,
        _ => JsonObject::new(),
    };
    // The wrapper type's name and doc are noise to a model; the tool carries its own description.
    obj.remove("title");
    obj.remove("$schema");
    obj.remove("description");
    strip_numeric_formats(&mut obj);
    if !for_output {
        flatten_enums(&mut obj, false);
    }
    if !obj.contains_key("type") {
        obj.insert("type".into(), "object".into());
    }
    obj
}

/// schemars marks Rust integer widths as `format: "uint8"` etc.; those are not JSON Schema
/// formats, and validators such as ajv (MCP Inspector) warn on every call. `minimum` stays.
fn strip_numeric_formats(obj: &mut JsonObject) {
    const RUST_FORMATS: &[&str] = &[
        "uint", "uint8", "uint16", "uint32", "uint64", "int", "int8", "int16", "int32", "int64",
        "float", "double",
    ];
    if obj
        .get("format")
        .and_then(|f| f.as_str())
        .is_some_and(|f| RUST_FORMATS.contains(&f))
    {
        obj.remove("format");
    }
    for v in obj.values_mut() {
        match v {
            serde_json::Value::Object(o) => strip_numeric_formats(o),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| {
                if let serde_json::Value::Object(o) = x {
                    strip_numeric_formats(o);
                }
            }),
            _ => {}
        }
    }
}

/// Input enums as plain `{"type": "string", "enum": [...]}` (nullable where optional), the
/// form every client's form builder and validator accepts: schemars writes an enum whose values
/// are documented as `oneOf` of `const`s, and an optional one as `anyOf` with `null`. Outputs
/// keep the documented form.
fn flatten_enums(obj: &mut JsonObject, is_item: bool) {
    for (key, v) in obj.iter_mut() {
        match v {
            serde_json::Value::Object(o) => flatten_enums(o, key == "items"),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| {
                if let serde_json::Value::Object(o) = x {
                    flatten_enums(o, false);
                }
            }),
            _ => {}
        }
    }
    if let Some(values) = obj.get("oneOf").and_then(string_consts) {
        obj.remove("oneOf");
        obj.insert("type".into(), "string".into());
        obj.insert("enum".into(), values.into());
        if is_item {
            obj.remove("description");
        }
        return;
    }
    let nullable_enum = obj
        .get("anyOf")
        .and_then(|a| match a.as_array()?.as_slice() {
            [serde_json::Value::Object(e), serde_json::Value::Object(n)]
                if n.get("type").and_then(|t| t.as_str()) == Some("null")
                    && e.get("type").and_then(|t| t.as_str()) == Some("string") =>
            {
                e.get("enum").and_then(|v| v.as_array()).cloned()
            }
            _ => None,
        });
    if let Some(mut values) = nullable_enum {
        values.push(serde_json::Value::Null);
        obj.remove("anyOf");
        obj.insert("type".into(), serde_json::json!(["string", "null"]));
        obj.insert("enum".into(), values.into());
    }
}

/// The values of a `oneOf` made only of string constants.
fn string_consts(one_of: &serde_json::Value) -> Option<Vec<serde_json::Value>> {
    one_of
        .as_array()?
        .iter()
        .map(|m| {
            let m = m.as_object()?;
            let c = m.get("const")?;
            (c.is_string() && m.get("type").and_then(|t| t.as_str()) == Some("string"))
                .then(|| c.clone())
        })
        .collect()
}

pub fn input<T: JsonSchema>() -> Arc<JsonObject> {
    Arc::new(generate::<T>(false))
}

pub fn output<T: JsonSchema>() -> Arc<JsonObject> {
    Arc::new(generate::<T>(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(schemars::JsonSchema, serde::Deserialize)]
    #[allow(dead_code)]
    struct Params {
        /// Required kind.
        kind: csf_store::ProfileKind,
        /// Optional size.
        size: Option<csf_store::OrgSize>,
        /// Statuses.
        statuses: Vec<csf_store::ImplementationStatus>,
    }

    #[test]
    fn documented_enums_become_plain_enums_in_inputs_only() {
        let input = serde_json::Value::Object(input::<Params>().as_ref().clone());
        let p = &input["properties"];
        assert_eq!(p["kind"]["type"], "string");
        assert_eq!(p["kind"]["enum"][0], "current");
        assert_eq!(p["kind"]["description"], "Required kind.");
        assert_eq!(p["size"]["type"], serde_json::json!(["string", "null"]));
        assert_eq!(p["size"]["enum"].as_array().map(Vec::len), Some(5));
        assert_eq!(p["size"]["description"], "Optional size.");
        assert_eq!(p["statuses"]["items"]["enum"][4], "not_applicable");
        assert!(p["statuses"]["items"].get("description").is_none());
        assert!(!input.to_string().contains("oneOf") && !input.to_string().contains("anyOf"));
        let output = serde_json::Value::Object(output::<Params>().as_ref().clone());
        assert!(
            output.to_string().contains("oneOf"),
            "outputs keep value descriptions"
        );
    }
}
