//! Reading a profile before its entries or answers are read or written: [`load`] (locked for a
//! read-modify-write) and [`ensure_writable`] (archived profiles are read-only). Apart from
//! `profiles`, which copies entries when it clones a profile, so the two do not depend on
//! each other.

use super::codec::{self, PROFILE_COLS};
use super::Tx;
use crate::error::{Result, StoreError};
use crate::ids::ProfileId;
use crate::records::Profile;

/// Reads a profile (with `lock` = `B::FOR_UPDATE` before a read-modify-write).
pub(crate) fn load(tx: &mut dyn Tx, id: &ProfileId, lock: &str) -> Result<Profile> {
    let sql = format!("SELECT {PROFILE_COLS} FROM profiles WHERE id = ?1{lock}");
    match tx.query(&sql, &[id.as_str().into()])?.first() {
        Some(row) => codec::profile(row),
        None => Err(StoreError::NotFound {
            kind: "profile",
            id: id.to_string(),
        }),
    }
}

/// Refuses writes to an archived profile.
pub(crate) fn ensure_writable(p: &Profile) -> Result<()> {
    if p.archived {
        return Err(StoreError::invalid(
            "profile_id",
            format!(
                "profile '{}' is archived and read-only: unarchive it, or clone it to continue",
                p.id
            ),
        ));
    }
    Ok(())
}
