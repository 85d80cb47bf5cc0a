//! Whether a JSON answer carries a JSON-RPC error or a failed tool call, for the call metrics.
//!
//! Parsing the whole answer costs as much as a large part of the request: a tool result holds
//! its structured content twice, once as escaped text. rmcp writes its messages in one field
//! order, so the common answers are recognised from their first and last bytes; any other
//! shape (another order, an id with escapes, a result that does not end with `isError`) is
//! parsed in full, as before.

use serde::Deserialize;

use crate::metrics::ErrorKind;

#[derive(Deserialize)]
struct ResultPeek {
    #[serde(rename = "isError")]
    is_error: Option<bool>,
}

#[derive(Deserialize)]
struct ResponsePeek {
    error: Option<serde::de::IgnoredAny>,
    result: Option<ResultPeek>,
}

/// A JSON-RPC error, a tool result with `isError: true`, or neither (also for a body that is
/// not a JSON-RPC answer).
pub(crate) fn response_error(body: &[u8]) -> Option<ErrorKind> {
    quick_peek(body).unwrap_or_else(|| full_peek(body))
}

fn full_peek(body: &[u8]) -> Option<ErrorKind> {
    let peek: ResponsePeek = serde_json::from_slice(body).ok()?;
    if peek.error.is_some() {
        Some(ErrorKind::JsonRpc)
    } else if peek.result.and_then(|r| r.is_error) == Some(true) {
        Some(ErrorKind::Tool)
    } else {
        None
    }
}

/// Skips a request id as rmcp writes it: an integer, or a string without escapes.
fn skip_id(rest: &[u8]) -> Option<&[u8]> {
    match rest.first()? {
        b'"' => {
            let end = rest[1..].iter().position(|&b| b == b'"' || b == b'\\')?;
            (rest[1 + end] == b'"').then(|| &rest[end + 2..])
        }
        _ => {
            let digits = rest.strip_prefix(b"-").unwrap_or(rest);
            let end = digits.iter().position(|b| !b.is_ascii_digit())?;
            (end > 0).then(|| &digits[end..])
        }
    }
}

/// `Some(answer)` for an answer in rmcp's own layout, `None` when it takes a full parse.
///
/// After the verified start, `"error":{` is a member of the top-level object. A result that
/// ends with `,"isError":true}}` has that member in the object the top-level one ends with,
/// which in rmcp's layout (`jsonrpc`, `id`, `result`) is the result: a `"` preceded by a
/// comma cannot sit inside a string, since a string's own quotes are escaped.
fn quick_peek(body: &[u8]) -> Option<Option<ErrorKind>> {
    let rest = body.strip_prefix(br#"{"jsonrpc":"2.0","id":"#)?;
    let rest = skip_id(rest)?;
    if rest.starts_with(br#","error":{"#) {
        return Some(Some(ErrorKind::JsonRpc));
    }
    if !rest.starts_with(br#","result":{"#) {
        return None;
    }
    if body.ends_with(br#","isError":true}}"#) {
        Some(Some(ErrorKind::Tool))
    } else if body.ends_with(br#","isError":false}}"#) {
        Some(None)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmcp::model::{
        CallToolResult, ContentBlock, ErrorData, ListToolsResult, NumberOrString,
        ServerJsonRpcMessage, ServerResult,
    };
    use serde_json::json;

    fn answers() -> Vec<String> {
        let ids = [
            NumberOrString::Number(7),
            NumberOrString::Number(-3),
            NumberOrString::String("a-b".into()),
            NumberOrString::String("q\"}}".into()),
        ];
        let mut out = Vec::new();
        for id in ids {
            let results = [
                CallToolResult::structured(json!({"id": "X", "text": "a \"quoted\" }} text"})),
                CallToolResult::structured_error(json!({"error": "no such id"})),
                CallToolResult::success(vec![ContentBlock::text(r#","isError":true}}"#)]),
                CallToolResult::error(vec![ContentBlock::text("failed")]),
                CallToolResult::structured(json!({"isError": true})),
            ];
            for result in results {
                let message = ServerJsonRpcMessage::response(
                    ServerResult::CallToolResult(result),
                    id.clone(),
                );
                out.push(serde_json::to_string(&message).unwrap());
            }
            let list = ServerJsonRpcMessage::response(
                ServerResult::ListToolsResult(ListToolsResult::default()),
                id.clone(),
            );
            out.push(serde_json::to_string(&list).unwrap());
            let error = ServerJsonRpcMessage::error(
                ErrorData::invalid_params("bad \"isError\":true}}", None),
                Some(id.clone()),
            );
            out.push(serde_json::to_string(&error).unwrap());
        }
        let no_id = ServerJsonRpcMessage::error(ErrorData::invalid_params("x", None), None);
        out.push(serde_json::to_string(&no_id).unwrap());
        out
    }

    #[test]
    fn the_quick_peek_agrees_with_a_full_parse() {
        let mut quick = 0;
        for answer in answers() {
            let body = answer.as_bytes();
            assert_eq!(response_error(body), full_peek(body), "{answer}");
            if quick_peek(body).is_some() {
                quick += 1;
            }
        }
        assert!(
            quick >= 18,
            "rmcp's layout is no longer recognised ({quick})"
        );
    }

    #[test]
    fn peeks_errors_in_json_answers() {
        for (body, want) in [
            (
                r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"x"}}"#,
                Some(ErrorKind::JsonRpc),
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"result":{"content":[],"isError":true}}"#,
                Some(ErrorKind::Tool),
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"result":{"content":[],"isError":false}}"#,
                None,
            ),
            (r#"{"jsonrpc":"2.0","id":1,"result":{"content":[]}}"#, None),
            (
                r#"{"id":1,"jsonrpc":"2.0","result":{"isError":true}}"#,
                Some(ErrorKind::Tool),
            ),
            (r#"{"jsonrpc":"2.0","id":1,"result":{"isError":tru"#, None),
            ("not json", None),
        ] {
            assert_eq!(response_error(body.as_bytes()), want, "{body}");
        }
    }

    #[test]
    fn odd_ids_take_the_full_parse() {
        assert_eq!(skip_id(br#""a\"b","x""#), None);
        assert_eq!(skip_id(b"-,"), None);
        assert_eq!(skip_id(b"12,"), Some(&b","[..]));
        assert_eq!(skip_id(br#""ab","#), Some(&b","[..]));
    }
}
