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
    if !obj.contains_key("type") {
        obj.insert("type".into(), "object".into());
    }
    obj
}

pub fn input<T: JsonSchema>() -> Arc<JsonObject> {
    Arc::new(generate::<T>(false))
}

pub fn output<T: JsonSchema>() -> Arc<JsonObject> {
    Arc::new(generate::<T>(true))
}
