//! Implementation plans: a caller-built document (JSON object) tying an organization's
//! Current profile to a Target profile, kept with a revision for compare-and-set updates.

use crate::ids::{OrgId, ProfileId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Longest plan id, in characters.
pub const MAX_PLAN_ID: usize = 100;
/// Largest plan body, in bytes of its JSON text (1 MiB).
pub const MAX_PLAN_BODY: usize = 1024 * 1024;

/// What a caller gives to create a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewPlan {
    /// Chosen by the caller: 1..=100 characters of `A-Z a-z 0-9 _ -`; unique in the store.
    pub id: String,
    /// The organization it belongs to.
    pub org_id: OrgId,
    /// The profile the plan starts from (must belong to `org_id`).
    pub current_profile_id: ProfileId,
    /// The profile the plan leads to (must belong to `org_id`).
    pub target_profile_id: ProfileId,
    /// Display name, 1..=200 characters.
    pub name: String,
    /// The plan document: a JSON object of at most 1 MiB once serialised. The store keeps it
    /// as given and does not interpret it.
    pub body: serde_json::Value,
}

/// A stored plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StoredPlan {
    /// Its id.
    pub id: String,
    /// The organization it belongs to.
    pub org_id: OrgId,
    /// The profile the plan starts from.
    pub current_profile_id: ProfileId,
    /// The profile the plan leads to.
    pub target_profile_id: ProfileId,
    /// Display name.
    pub name: String,
    /// 1 when created, +1 on each update; pass it as `expected_revision` to update.
    pub revision: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last updated.
    pub updated_at: Timestamp,
    /// Who created it.
    pub created_by: String,
    /// Who last updated it.
    pub updated_by: String,
    /// The plan document.
    pub body: serde_json::Value,
}
