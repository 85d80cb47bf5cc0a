//! Typed record ids: a short kind prefix plus a ULID (`org_01JD…`, `prof_01JD…`).
//!
//! Why prefixed ULIDs rather than bare UUIDs: the prefix lets the store (and a language model
//! reading tool output) tell an organization id from a profile id at a glance, so a swapped
//! argument is refused with a message naming the mix-up; ULIDs sort by creation time, so
//! id-ordered listings and cursors follow creation order; 26 Crockford characters are shorter
//! than a UUID and contain no ambiguous letters.

use crate::error::StoreError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use ulid::{Generator, Ulid};

/// Monotonic within this process: two ids made in the same millisecond still sort in creation
/// order (plain ULIDs would order them at random). Across processes, order holds to the
/// millisecond.
fn next_ulid() -> Ulid {
    static GENERATOR: Mutex<Option<Generator>> = Mutex::new(None);
    let mut guard = GENERATOR.lock().unwrap_or_else(|p| p.into_inner());
    guard
        .get_or_insert_with(Generator::new)
        .generate()
        // Only fails after 2^80 ids in one millisecond.
        .unwrap_or_else(|_| Ulid::new())
}

/// Every known prefix with the kind it names, for "this is a X id, not a Y id" messages.
const KINDS: &[(&str, &str)] = &[
    ("org_", "an organization"),
    ("prof_", "a profile"),
    ("evd_", "an evidence item"),
    ("doc_", "a document"),
    ("camp_", "a campaign"),
];

fn parse_prefixed(s: &str, prefix: &str, field: &str, kind: &str) -> Result<String, StoreError> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix(prefix) {
        if let Ok(ulid) = Ulid::from_string(rest) {
            return Ok(format!("{prefix}{ulid}"));
        }
    }
    if let Some((_, other)) = KINDS.iter().find(|(p, _)| *p != prefix && s.starts_with(p)) {
        return Err(StoreError::invalid(
            field,
            format!("'{s}' is {other} id, not {kind} id ({kind} id starts with '{prefix}')"),
        ));
    }
    let shown: String = s.chars().take(64).collect();
    Err(StoreError::invalid(
        field,
        format!("'{shown}' is not {kind} id: expected '{prefix}' followed by a 26-character ULID"),
    ))
}

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $field:literal, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The prefix every id of this kind starts with.
            pub const PREFIX: &'static str = $prefix;

            /// A new id (prefix + ULID of the current time, increasing within the process).
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, next_ulid()))
            }

            /// Parses an id given by a user, normalising the ULID to upper case.
            pub fn parse(s: &str) -> Result<Self, StoreError> {
                parse_prefixed(s, $prefix, $field, $kind).map(Self)
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = StoreError;
            fn from_str(s: &str) -> Result<Self, StoreError> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = StoreError;
            fn try_from(s: String) -> Result<Self, StoreError> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

typed_id!(
    /// Id of an [`crate::Organization`]: `org_` + ULID.
    OrgId,
    "org_",
    "org_id",
    "an organization"
);
typed_id!(
    /// Id of a [`crate::Profile`]: `prof_` + ULID.
    ProfileId,
    "prof_",
    "profile_id",
    "a profile"
);
typed_id!(
    /// Id of an [`crate::EvidenceItem`]: `evd_` + ULID.
    EvidenceId,
    "evd_",
    "evidence_id",
    "an evidence item"
);

typed_id!(
    /// Id of a [`crate::StoredDocument`]: `doc_` + ULID.
    DocumentId,
    "doc_",
    "document_id",
    "a document"
);

typed_id!(
    /// Id of an assessment campaign: `camp_` + ULID.
    CampaignId,
    "camp_",
    "campaign_id",
    "a campaign"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_round_trip_and_lowercase_is_normalised() {
        let id = OrgId::generate();
        assert_eq!(OrgId::parse(id.as_str()).unwrap(), id);
        let lower = id.as_str().to_lowercase();
        assert_eq!(OrgId::parse(&lower).unwrap(), id);
    }

    #[test]
    fn ids_made_in_one_millisecond_still_increase() {
        let ids: Vec<ProfileId> = (0..1000).map(|_| ProfileId::generate()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn swapped_kind_is_named() {
        let p = ProfileId::generate();
        let err = OrgId::parse(p.as_str()).unwrap_err().to_string();
        assert!(
            err.contains("is a profile id, not an organization id"),
            "{err}"
        );
    }

    #[test]
    fn garbage_is_refused_with_the_expected_shape() {
        let err = ProfileId::parse("42; DROP TABLE x")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("expected 'prof_' followed by a 26-character ULID"),
            "{err}"
        );
    }
}
