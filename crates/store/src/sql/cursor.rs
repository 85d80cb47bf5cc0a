//! Strict decoding of the paging cursors this store hands out as `next_cursor`.
//!
//! A cursor is a position: the last id or sequence number of the previous page. Anything that
//! is not exactly such a value (garbage, a cursor of another listing, a hand-edited one) is
//! refused, because used as a position it would silently return a wrong page.

use crate::error::{Result, StoreError};
use crate::ids::{OrgId, ProfileId};
use crate::validate;

fn refused() -> StoreError {
    // The value itself is not echoed: it can be megabytes of anything.
    StoreError::invalid(
        "cursor",
        "not a cursor from this listing: pass the next_cursor of the previous page unchanged, \
         or omit cursor for the first page",
    )
}

/// A sequence-number cursor (plans, history, audit trail): canonical decimal digits only.
pub(crate) fn seq(cursor: &str) -> Result<i64> {
    let canonical = !cursor.is_empty()
        && cursor.len() <= 19
        && cursor.bytes().all(|b| b.is_ascii_digit())
        && (cursor == "0" || !cursor.starts_with('0'));
    if !canonical {
        return Err(refused());
    }
    cursor.parse().map_err(|_| refused())
}

/// An organization-id cursor (organization listing), exactly as `next_cursor` gave it.
pub(crate) fn org(cursor: &str) -> Result<&str> {
    match OrgId::parse(cursor) {
        Ok(id) if id.as_str() == cursor => Ok(cursor),
        _ => Err(refused()),
    }
}

/// A profile-id cursor (profile listing), exactly as `next_cursor` gave it.
pub(crate) fn profile(cursor: &str) -> Result<&str> {
    match ProfileId::parse(cursor) {
        Ok(id) if id.as_str() == cursor => Ok(cursor),
        _ => Err(refused()),
    }
}

/// An evidence-id cursor (evidence listing), exactly as `next_cursor` gave it.
pub(crate) fn evidence(cursor: &str) -> Result<&str> {
    match crate::ids::EvidenceId::parse(cursor) {
        Ok(id) if id.as_str() == cursor => Ok(cursor),
        _ => Err(refused()),
    }
}

/// A subcategory-id cursor (entry listing): the shape every stored subcategory id has.
pub(crate) fn code(cursor: &str) -> Result<&str> {
    validate::code_id("cursor", cursor).map_err(|_| refused())?;
    Ok(cursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(e: StoreError) -> String {
        match e {
            StoreError::Invalid { field, reason } => {
                assert!(reason.contains("next_cursor"), "{reason}");
                field
            }
            other => panic!("not Invalid: {other:?}"),
        }
    }

    #[test]
    fn sequence_cursors_are_canonical_numbers() {
        assert_eq!(seq("0").unwrap(), 0);
        assert_eq!(seq("42").unwrap(), 42);
        assert_eq!(seq("9223372036854775807").unwrap(), i64::MAX);
        for bad in [
            "",
            "-1",
            "+5",
            "007",
            " 5",
            "5 ",
            "1e3",
            "zulu",
            "9223372036854775808",
            "99999999999999999999",
        ] {
            assert_eq!(field(seq(bad).unwrap_err()), "cursor", "{bad:?}");
        }
        assert!(seq(&"7".repeat(1 << 20)).is_err(), "a 1 MiB cursor");
    }

    #[test]
    fn id_cursors_are_ids_of_their_listing_as_given() {
        let o = OrgId::generate();
        let p = ProfileId::generate();
        assert_eq!(org(o.as_str()).unwrap(), o.as_str());
        assert_eq!(profile(p.as_str()).unwrap(), p.as_str());
        assert!(
            org(p.as_str()).is_err(),
            "a profile cursor for organizations"
        );
        assert!(
            profile(o.as_str()).is_err(),
            "an organization cursor for profiles"
        );
        assert!(org(&o.as_str().to_lowercase()).is_err(), "not as given");
        assert!(org(&format!(" {o}")).is_err(), "not as given");
        let garbage = "x".repeat(1 << 20);
        assert_eq!(field(org(&garbage).unwrap_err()), "cursor");
        assert_eq!(field(profile(&garbage).unwrap_err()), "cursor");
    }

    #[test]
    fn subcategory_cursors_have_the_id_shape() {
        assert_eq!(code("XX.YY-01").unwrap(), "XX.YY-01");
        for bad in ["", "a b", "x'--", &"Z".repeat(33), &"g".repeat(1 << 20)] {
            assert_eq!(field(code(bad).unwrap_err()), "cursor", "{:.20}", bad);
        }
    }
}
