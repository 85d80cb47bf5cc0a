//! A tool's structured result as rmcp shapes it, with its text written straight into a buffer.
//!
//! `CallToolResult::structured` makes the text with `Value::to_string`, which goes through
//! `Display` one small write at a time; for a lookup's answer that was the dearest step of the
//! call after the lookup itself. `serde_json::to_string` writes the same compact bytes.

use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::Value;

/// `CallToolResult::structured(value)`, built at half the cost.
pub(super) fn tool_result(value: Value) -> CallToolResult {
    // Serialising a `Value` cannot fail (its keys are strings); `Display` stays the fallback.
    let text = serde_json::to_string(&value).unwrap_or_else(|_| value.to_string());
    let mut result = CallToolResult::structured(Value::Null);
    result.content = vec![ContentBlock::text(text)];
    result.structured_content = Some(value);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_result_as_rmcp_builds() {
        for value in [
            json!({"id": "X.Y-01", "text": "a \"quoted\" line\nand\ttabs \u{1} é ☃ 😀", "n": [1, 2.5, -3, null, true]}),
            json!({"nested": {"b": {"c": []}, "a": {}}, "empty": ""}),
            json!([]),
            json!("plain"),
        ] {
            let ours = tool_result(value.clone());
            let theirs = CallToolResult::structured(value);
            assert_eq!(ours, theirs);
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&theirs).unwrap()
            );
        }
    }
}
