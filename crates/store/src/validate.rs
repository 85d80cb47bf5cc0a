//! Input checks shared by both backends: lengths, forbidden characters, batch shape. Nothing
//! here knows the CSF catalog; it only keeps text storable (PostgreSQL refuses NUL) and bounded.

use crate::assessment::{EntryInput, QuickAnswerInput};
use crate::error::{Result, StoreError};
use crate::plans::{MAX_PLAN_BODY, MAX_PLAN_ID};
use crate::records::{NewOrganization, NewProfile, Scope};
use std::collections::HashSet;

/// Most entries one `record_entries` call accepts (a whole CSF 2.0 profile is 106).
pub const MAX_BATCH: usize = 1000;
/// Most evidence references per entry.
pub const MAX_EVIDENCE: usize = 50;

/// Checks a free-text value: length in characters and no control characters (newlines and
/// tabs allowed only where `multiline`).
pub(crate) fn text(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    multiline: bool,
) -> Result<()> {
    let len = value.chars().count();
    if len < min || value.trim().chars().count() < min {
        return Err(StoreError::invalid(field, "must not be empty"));
    }
    if len > max {
        return Err(StoreError::invalid(
            field,
            format!("is {len} characters long: at most {max} are allowed"),
        ));
    }
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err(StoreError::invalid(
            field,
            format!(
                "contains the control character U+{:04X}: {}",
                c as u32,
                if multiline {
                    "only newlines and tabs are allowed"
                } else {
                    "use plain text on one line"
                }
            ),
        ));
    }
    Ok(())
}

fn opt_text(field: &str, value: Option<&str>, max: usize, multiline: bool) -> Result<()> {
    match value {
        Some(v) => text(field, v, 1, max, multiline),
        None => Ok(()),
    }
}

/// A CSF-style id (function, category, subcategory): 1..=32 of `A-Z a-z 0-9 . - _`.
pub(crate) fn code_id(field: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 32
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if ok {
        Ok(())
    } else {
        let shown: String = value.chars().take(40).collect();
        Err(StoreError::invalid(
            field,
            format!("'{shown}' is not an id: use 1..=32 characters of A-Z, a-z, 0-9, '.', '-', '_' (e.g. GV.OC-01)"),
        ))
    }
}

/// A principal (who writes): 1..=200 characters on one line.
pub(crate) fn principal(by: &str) -> Result<()> {
    text("principal", by, 1, 200, false)
}

pub(crate) fn new_organization(org: &NewOrganization) -> Result<()> {
    text("name", &org.name, 1, 200, false)?;
    opt_text("sector", org.sector.as_deref(), 100, false)?;
    opt_text("tier_note", org.tier_note.as_deref(), 2000, true)
}

pub(crate) fn new_document(d: &crate::documents::NewDocument) -> Result<()> {
    text("kind", &d.kind, 1, 100, false)?;
    text("media_type", &d.media_type, 1, 100, false)?;
    text("title", &d.title, 1, 200, false)?;
    if d.content.len() > crate::documents::MAX_DOCUMENT_BYTES {
        return Err(StoreError::invalid(
            "content",
            format!(
                "{} bytes, more than the {} a kept document may have",
                d.content.len(),
                crate::documents::MAX_DOCUMENT_BYTES
            ),
        ));
    }
    Ok(())
}

pub(crate) fn profile_name(name: &str) -> Result<()> {
    text("name", name, 1, 200, false)
}

pub(crate) fn new_profile(p: &NewProfile) -> Result<()> {
    profile_name(&p.name)?;
    scope(&p.scope)
}

/// A caller-chosen plan id: 1..=100 of `A-Z a-z 0-9 _ -`.
pub(crate) fn plan_id(field: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= MAX_PLAN_ID
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
    if ok {
        return Ok(());
    }
    let shown: String = value.chars().take(40).collect();
    Err(StoreError::invalid(
        field,
        format!(
            "'{shown}' is not a plan id: use 1..={MAX_PLAN_ID} characters of A-Z, a-z, 0-9, \
             '_', '-' (e.g. roadmap-2027)"
        ),
    ))
}

/// A plan body: a JSON object of at most 1 MiB serialised. Returns the JSON text to store
/// (serde_json escapes control characters, so the text holds no NUL PostgreSQL would refuse).
pub(crate) fn plan_body(body: &serde_json::Value) -> Result<String> {
    if !body.is_object() {
        let kind = match body {
            serde_json::Value::Null => "null",
            serde_json::Value::Bool(_) => "a boolean",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Array(_) => "an array",
            serde_json::Value::Object(_) => "an object",
        };
        return Err(StoreError::invalid(
            "body",
            format!("is {kind}: a plan body must be a JSON object ({{...}})"),
        ));
    }
    let text = serde_json::to_string(body)
        .map_err(|e| StoreError::invalid("body", format!("cannot be encoded as JSON: {e}")))?;
    if text.len() > MAX_PLAN_BODY {
        return Err(StoreError::invalid(
            "body",
            format!(
                "is {} bytes as JSON: at most {MAX_PLAN_BODY} (1 MiB) are allowed",
                text.len()
            ),
        ));
    }
    Ok(text)
}

fn scope(scope: &Scope) -> Result<()> {
    let Scope::Functions(ids) = scope else {
        return Ok(());
    };
    if ids.is_empty() || ids.len() > 16 {
        return Err(StoreError::invalid(
            "scope",
            "list 1..=16 function ids, or use \"all\"",
        ));
    }
    let mut seen = HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        code_id(&format!("scope[{i}]"), id)?;
        if !seen.insert(id) {
            return Err(StoreError::invalid(
                format!("scope[{i}]"),
                format!("'{id}' is listed twice"),
            ));
        }
    }
    Ok(())
}

fn entry(e: &EntryInput) -> Result<()> {
    code_id("subcategory_id", &e.subcategory_id)?;
    opt_text("owner", e.owner.as_set().map(String::as_str), 200, false)?;
    opt_text("notes", e.notes.as_set().map(String::as_str), 10_000, true)?;
    opt_text(
        "assessed_by",
        e.assessed_by.as_set().map(String::as_str),
        200,
        false,
    )?;
    let evidence = e.evidence.as_set().map_or(&[][..], Vec::as_slice);
    if evidence.len() > MAX_EVIDENCE {
        return Err(StoreError::invalid(
            "evidence",
            format!(
                "{} references given: at most {MAX_EVIDENCE} are allowed",
                evidence.len()
            ),
        ));
    }
    for (i, ev) in evidence.iter().enumerate() {
        text(&format!("evidence[{i}].title"), &ev.title, 1, 200, false)?;
        text(
            &format!("evidence[{i}].location"),
            &ev.location,
            1,
            2000,
            false,
        )?;
    }
    if let Some(v) = e.expected_version {
        if v < 0 {
            return Err(StoreError::invalid(
                "expected_version",
                format!(
                    "{v} is negative: use 0 for \"must not exist yet\" or a version read before"
                ),
            ));
        }
    }
    Ok(())
}

/// Checks a whole batch before any write: size, each row, duplicates.
pub(crate) fn entry_batch(entries: &[EntryInput]) -> Result<()> {
    if entries.is_empty() || entries.len() > MAX_BATCH {
        return Err(StoreError::invalid(
            "entries",
            format!(
                "{} entries given: send 1..={MAX_BATCH} per call",
                entries.len()
            ),
        ));
    }
    let mut seen = HashSet::new();
    for (i, e) in entries.iter().enumerate() {
        entry(e).map_err(|err| err.in_field(&format!("entries[{i}]")))?;
        if !seen.insert(e.subcategory_id.as_str()) {
            return Err(StoreError::invalid(
                format!("entries[{i}].subcategory_id"),
                format!(
                    "'{}' appears twice in this batch: send each subcategory once",
                    e.subcategory_id
                ),
            ));
        }
    }
    Ok(())
}

pub(crate) fn quick_batch(answers: &[QuickAnswerInput]) -> Result<()> {
    if answers.is_empty() || answers.len() > 32 {
        return Err(StoreError::invalid(
            "answers",
            format!("{} answers given: send 1..=32 per call", answers.len()),
        ));
    }
    let mut seen = HashSet::new();
    for (i, a) in answers.iter().enumerate() {
        let field = format!("answers[{i}]");
        code_id("function_id", &a.function_id).map_err(|e| e.in_field(&field))?;
        opt_text("notes", a.notes.as_deref(), 10_000, true).map_err(|e| e.in_field(&field))?;
        if !seen.insert(a.function_id.as_str()) {
            return Err(StoreError::invalid(
                format!("{field}.function_id"),
                format!(
                    "'{}' appears twice: answer each function once",
                    a.function_id
                ),
            ));
        }
    }
    Ok(())
}

/// Makes audit text storable: drops NUL and other control characters except newline/tab and
/// cuts to `max` characters with a marker.
pub(crate) fn audit_text(value: &str, max: usize) -> String {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    if cleaned.chars().count() <= max {
        return cleaned;
    }
    let mut cut: String = cleaned.chars().take(max.saturating_sub(13)).collect();
    cut.push_str(" …[truncated]");
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_refused_and_newlines_only_where_multiline() {
        assert!(text("f", "a\0b", 1, 10, true).is_err());
        assert!(text("f", "a\nb", 1, 10, true).is_ok());
        assert!(text("f", "a\nb", 1, 10, false).is_err());
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(text("f", "ééééé", 1, 5, false).is_ok());
        assert!(text("f", "éééééé", 1, 5, false).is_err());
        assert!(text("f", "   ", 1, 5, false).is_err());
    }

    #[test]
    fn code_ids() {
        assert!(code_id("s", "GV.OC-01").is_ok());
        assert!(code_id("s", "GV OC").is_err());
        assert!(code_id("s", "").is_err());
        assert!(code_id("s", &"A".repeat(33)).is_err());
    }

    #[test]
    fn plan_ids_and_bodies() {
        assert!(plan_id("id", "roadmap_2027-A").is_ok());
        assert!(plan_id("id", &"a".repeat(100)).is_ok());
        assert!(plan_id("id", &"a".repeat(101)).is_err());
        assert!(plan_id("id", "").is_err());
        assert!(plan_id("id", "has space").is_err());
        assert!(plan_id("id", "dot.ted").is_err());
        assert!(plan_body(&serde_json::json!({"a": "x\u{0}y"})).is_ok_and(|t| !t.contains('\0')));
        assert!(plan_body(&serde_json::json!([1])).is_err());
        let at_limit = serde_json::json!({ "k": "x".repeat(MAX_PLAN_BODY - 8) });
        assert_eq!(
            plan_body(&at_limit).map(|t| t.len()).ok(),
            Some(MAX_PLAN_BODY)
        );
        let over = serde_json::json!({ "k": "x".repeat(MAX_PLAN_BODY - 7) });
        assert!(plan_body(&over).is_err());
    }

    #[test]
    fn audit_text_is_cut_with_a_marker() {
        let long = "x".repeat(5000);
        let cut = audit_text(&long, 4000);
        assert_eq!(cut.chars().count(), 4000);
        assert!(cut.ends_with("…[truncated]"));
        assert_eq!(audit_text("a\0b", 10), "ab");
    }
}
