//! Opaque pagination cursors. A cursor is the next offset bound to the query it came from, so a
//! cursor replayed against another query is refused instead of silently skipping results.

use super::error::ToolError;

/// FNV-1a, enough to tell queries apart; not a security boundary (results are public data).
fn tag(scope: &str) -> u32 {
    scope.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

pub fn encode(offset: usize, scope: &str) -> String {
    format!("o{offset}.{:08x}", tag(scope))
}

pub fn decode(cursor: Option<&str>, scope: &str) -> Result<usize, ToolError> {
    let Some(c) = cursor else { return Ok(0) };
    let bad = || {
        ToolError::InvalidValue(
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
pub fn limit(requested: Option<u32>, default: usize, max: usize) -> Result<usize, ToolError> {
    match requested {
        None => Ok(default),
        Some(n) if n >= 1 && (n as usize) <= max => Ok(n as usize),
        Some(n) => Err(ToolError::InvalidValue(format!(
            "`limit` must be between 1 and {max}; got {n}"
        ))),
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
