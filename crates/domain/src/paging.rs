//! Paging: page sizes, store page requests, and opaque cursors over computed lists. An offset
//! cursor is bound to the query it came from, so a cursor replayed against another query is
//! refused instead of silently skipping results.

use crate::error::{Error, Result};

/// FNV-1a, enough to tell queries apart; not a security boundary (results are public data).
fn tag(scope: &str) -> u32 {
    scope.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

pub fn encode(offset: usize, scope: &str) -> String {
    format!("o{offset}.{:08x}", tag(scope))
}

pub fn decode(cursor: Option<&str>, scope: &str) -> Result<usize> {
    let Some(c) = cursor else { return Ok(0) };
    let bad = || {
        Error::Invalid(
            "`cursor` is not a cursor from a previous page of this same request; omit it to \
             start from the first page"
                .into(),
        )
    };
    let (off, t) = c
        .strip_prefix('o')
        .and_then(|r| r.split_once('.'))
        .ok_or_else(bad)?;
    let offset: usize = off.parse().map_err(|_| bad())?;
    if t != format!("{:08x}", tag(scope)) || offset > 1_000_000 {
        return Err(bad());
    }
    Ok(offset)
}

/// Validates a page size: absent → `default`; 1..=`max` accepted; anything else is refused
/// with the valid range.
pub fn limit(requested: Option<u32>, default: usize, max: usize) -> Result<usize> {
    match requested {
        None => Ok(default),
        Some(n) if n >= 1 && (n as usize) <= max => Ok(n as usize),
        Some(n) => Err(Error::Invalid(format!(
            "`limit` must be between 1 and {max}; got {n}"
        ))),
    }
}

/// A store page request from a `limit` (1–200, default 50) and a store `cursor`.
pub fn page(limit: Option<u32>, cursor: Option<&String>) -> Result<csf_store::PageRequest> {
    let limit = self::limit(limit, 50, 200)? as u32;
    Ok(csf_store::PageRequest {
        limit,
        cursor: cursor.cloned(),
    })
}

/// Every item of a paged store listing, following `next_cursor` in pages of the largest size.
pub(crate) fn all_pages<T>(
    mut fetch: impl FnMut(csf_store::PageRequest) -> csf_store::Result<csf_store::Page<T>>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = fetch(csf_store::PageRequest {
            limit: csf_store::MAX_PAGE,
            cursor,
        })?;
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return Ok(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_scope_binding() {
        let c = encode(20, "supply chain");
        assert_eq!(decode(Some(&c), "supply chain").unwrap(), 20);
        assert!(decode(Some(&c), "mfa").is_err());
        assert!(decode(Some("o20"), "supply chain").is_err());
        assert!(decode(Some("garbage"), "x").is_err());
        assert_eq!(decode(None, "x").unwrap(), 0);
    }

    #[test]
    fn limits() {
        assert_eq!(limit(None, 10, 50).unwrap(), 10);
        assert_eq!(limit(Some(50), 10, 50).unwrap(), 50);
        assert!(limit(Some(0), 10, 50).is_err());
        assert!(limit(Some(51), 10, 50).is_err());
    }
}
