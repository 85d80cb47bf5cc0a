//! Checks of evidence metadata: lengths, the content hash, dates, and — most important — that
//! a location is a reference to somewhere else, never a file on the server's own disk. The
//! server never opens a location; refusing local paths keeps a register from suggesting it
//! could, and keeps server paths out of reports shared with others.

use super::types::{EvidencePatch, NewEvidence, MAX_LINKS_PER_CALL};
use crate::error::{Result, StoreError};
use crate::validate::{code_id, text};
use chrono::NaiveDate;

/// Longest location, in characters.
pub const MAX_LOCATION: usize = 2000;

const ACCEPTED: &str = "give a URL (https://…), a document-system reference (dms:POL-0042, \
     POL-0042), or only the content's sha256 — the server never reads files";

/// Checks a location and returns it trimmed.
pub fn location(field: &str, value: &str) -> Result<String> {
    text(field, value, 1, MAX_LOCATION, false)?;
    let v = value.trim();
    if let Some(why) = local_path(v) {
        let shown: String = v.chars().take(80).collect();
        return Err(StoreError::invalid(
            field,
            format!("'{shown}' is a local filesystem path ({why}): {ACCEPTED}"),
        ));
    }
    Ok(v.to_owned())
}

/// Why `v` names a local file, if it does.
fn local_path(v: &str) -> Option<&'static str> {
    let lower = v.to_ascii_lowercase();
    if lower.starts_with("file:") {
        return Some("a file: URL");
    }
    if v.starts_with("\\\\") || v.starts_with("//") {
        return Some("a UNC or network share path");
    }
    if v.starts_with('/') || v.starts_with('\\') {
        return Some("an absolute path");
    }
    if v.starts_with('~') {
        return Some("a home-directory path");
    }
    if v.starts_with('.') {
        return Some("a relative path");
    }
    let bytes = v.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Some("a Windows drive path");
    }
    match scheme(v) {
        // `dms:POL-1`, `https://…`: a reference into another system.
        Some(_) => None,
        None if v.contains('/') || v.contains('\\') => Some("a relative path"),
        None if looks_like_file_name(v) => Some("a file name relative to the server"),
        None => None,
    }
}

/// The URI scheme (RFC 3986: a letter, then letters, digits, `+ - .`), at least two characters
/// so that a Windows drive letter is not one.
fn scheme(v: &str) -> Option<&str> {
    let (s, _) = v.split_once(':')?;
    let mut chars = s.chars();
    let first = chars.next()?;
    let ok = s.len() >= 2
        && first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(s)
}

/// `report.pdf`, `audit-2026.xlsx`: one word ending in a short alphabetic extension.
fn looks_like_file_name(v: &str) -> bool {
    if v.contains(char::is_whitespace) {
        return false;
    }
    match v.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (2..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

/// Checks a SHA-256 hex digest (optionally `sha256:`-prefixed) and returns it in lower case.
pub fn sha256(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    let hex = v
        .strip_prefix("sha256:")
        .or_else(|| v.strip_prefix("SHA256:"))
        .unwrap_or(v);
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(hex.to_ascii_lowercase());
    }
    let shown: String = v.chars().take(80).collect();
    Err(StoreError::invalid(
        field,
        format!(
            "'{shown}' is not a SHA-256 digest: give 64 hexadecimal digits, optionally prefixed \
             'sha256:' ({} characters given)",
            hex.chars().count()
        ),
    ))
}

fn opt(field: &str, value: Option<&str>, max: usize) -> Result<()> {
    value.map_or(Ok(()), |v| text(field, v, 1, max, false))
}

/// The review date must not come before the collection date.
pub fn dates(collected_on: Option<NaiveDate>, review_by: Option<NaiveDate>) -> Result<()> {
    match (collected_on, review_by) {
        (Some(c), Some(r)) if r < c => Err(StoreError::invalid(
            "review_by",
            format!(
                "{r} is before collected_on {c}: the review-by (expiry) date must be on or after \
                 the collection date"
            ),
        )),
        _ => Ok(()),
    }
}

/// Where an item is: at least a location or a hash.
pub fn has_pointer(location: Option<&str>, sha256: Option<&str>) -> Result<()> {
    if location.is_none() && sha256.is_none() {
        return Err(StoreError::invalid(
            "location",
            "an evidence item needs a location or a sha256 content hash (or both): give one",
        ));
    }
    Ok(())
}

/// Checks a new item; returns it with its location and hash normalised.
pub(crate) fn new_item(new: &NewEvidence) -> Result<NewEvidence> {
    let mut out = new.clone();
    text("title", &new.title, 1, 200, false)?;
    opt("owner", new.owner.as_deref(), 200)?;
    out.location = new
        .location
        .as_deref()
        .map(|l| location("location", l))
        .transpose()?;
    out.sha256 = new
        .sha256
        .as_deref()
        .map(|h| sha256("sha256", h))
        .transpose()?;
    has_pointer(out.location.as_deref(), out.sha256.as_deref())?;
    dates(new.collected_on, new.review_by)?;
    Ok(out)
}

/// Checks a patch's own values (the combined result is checked against the stored item later);
/// returns it with location and hash normalised.
pub(crate) fn patch(p: &EvidencePatch) -> Result<EvidencePatch> {
    if p.is_empty() {
        return Err(StoreError::invalid(
            "patch",
            "changes nothing: give at least one of title, kind, location, sha256, owner, \
             collected_on, review_by, sensitivity",
        ));
    }
    let mut out = p.clone();
    if let Some(t) = &p.title {
        text("title", t, 1, 200, false)?;
    }
    if let Some(o) = p.owner.as_set() {
        text("owner", o, 1, 200, false)?;
    }
    out.location = p.location.clone().try_map(|l| location("location", &l))?;
    out.sha256 = p.sha256.clone().try_map(|h| sha256("sha256", &h))?;
    Ok(out)
}

/// Checks the subcategory ids of a link or unlink call.
pub(crate) fn subcategories(ids: &[String]) -> Result<()> {
    if ids.is_empty() || ids.len() > MAX_LINKS_PER_CALL {
        return Err(StoreError::invalid(
            "subcategory_ids",
            format!(
                "{} given: name 1..={MAX_LINKS_PER_CALL} subcategories per call",
                ids.len()
            ),
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        code_id(&format!("subcategory_ids[{i}]"), id)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_are_refused() {
        for p in [
            "/etc/passwd",
            "./policy.pdf",
            "../x",
            "~/evidence.txt",
            "file:///etc/shadow",
            "FILE:/x",
            "C:\\audit\\log.txt",
            "c:/audit/log.txt",
            "\\\\server\\share\\x.docx",
            "//server/share",
            "docs/policy.pdf",
            "policy.pdf",
        ] {
            let err = location("location", p).unwrap_err().to_string();
            assert!(err.contains("local filesystem path"), "{p}: {err}");
            assert!(err.contains("https://"), "{p}: {err}");
        }
    }

    #[test]
    fn references_are_accepted() {
        for p in [
            "https://intranet.example/isms/policy-7",
            "dms:POL-0042",
            "POL-0042",
            "urn:example:evidence:17",
            "Access policy v1.2",
            "jira:SEC-123",
        ] {
            assert_eq!(location("location", p).unwrap(), p);
        }
    }

    #[test]
    fn hashes_are_checked_and_lowered() {
        let h = "AB".repeat(32);
        assert_eq!(
            sha256("sha256", &format!("sha256:{h}")).unwrap(),
            "ab".repeat(32)
        );
        assert!(sha256("sha256", "abc").is_err());
        assert!(sha256("sha256", &"g".repeat(64)).is_err());
    }
}
