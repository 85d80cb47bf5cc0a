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

pub fn input<T: JsonSchema>() -> Arc<JsonObject> {
    Arc::new(generate::<T>(false))
}

pub fn output<T: JsonSchema>() -> Arc<JsonObject> {
    Arc::new(generate::<T>(true))
}
