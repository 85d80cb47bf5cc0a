//! Organizations, profiles and paging: the records a caller creates and lists.

use crate::error::StoreError;
use crate::ids::{OrgId, ProfileId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Size of an organization, as the organization declares it (no thresholds are implied).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgSize {
    /// A small organization.
    Small,
    /// A medium-sized organization.
    Medium,
    /// A large organization.
    Large,
    /// A large enterprise or group.
    Enterprise,
}

/// A CSF Tier as declared by the organization: 1 Partial, 2 Risk Informed, 3 Repeatable,
/// 4 Adaptive. Never computed from assessment entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "u8", into = "u8")]
pub struct Tier(u8);

impl Tier {
    /// A tier from its number; only 1..=4 exist.
    pub fn new(n: u8) -> Result<Self, StoreError> {
        if (1..=4).contains(&n) {
            Ok(Tier(n))
        } else {
            Err(StoreError::invalid(
                "tier",
                format!("{n} is not a CSF Tier: use 1 (Partial), 2 (Risk Informed), 3 (Repeatable) or 4 (Adaptive)"),
            ))
        }
    }

    /// The tier number, 1..=4.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Tier {
    type Error = StoreError;
    fn try_from(n: u8) -> Result<Self, StoreError> {
        Tier::new(n)
    }
}

impl From<Tier> for u8 {
    fn from(t: Tier) -> u8 {
        t.0
    }
}

/// What a caller gives to create or update (full replacement) an organization.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewOrganization {
    /// Display name, 1..=200 characters.
    pub name: String,
    /// Sector, free text up to 100 characters.
    pub sector: Option<String>,
    /// Declared size.
    pub size: Option<OrgSize>,
    /// Declared Tier of its cybersecurity risk governance.
    pub governance_tier: Option<Tier>,
    /// Declared Tier of its cybersecurity risk management practices.
    pub risk_management_tier: Option<Tier>,
    /// Why these tiers were declared, up to 2,000 characters.
    pub tier_note: Option<String>,
}

/// A stored organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Organization {
    /// Its id.
    pub id: OrgId,
    /// Display name.
    pub name: String,
    /// Sector.
    pub sector: Option<String>,
    /// Declared size.
    pub size: Option<OrgSize>,
    /// Declared governance Tier.
    pub governance_tier: Option<Tier>,
    /// Declared risk management practices Tier.
    pub risk_management_tier: Option<Tier>,
    /// Note on the declared tiers.
    pub tier_note: Option<String>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// Kind of a CSF Organizational Profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    /// Where the organization stands today.
    Current,
    /// Where it wants to be.
    Target,
    /// A profile derived from a Community Profile.
    Community,
}

/// Which CSF Functions a profile covers. The store keeps function ids as given; the domain
/// layer checks them against the catalog.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every function.
    #[default]
    All,
    /// Only these functions (e.g. `["GV", "PR"]`), 1..=16 distinct ids.
    Functions(Vec<String>),
}

/// What a caller gives to create a profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewProfile {
    /// The organization it belongs to.
    pub org_id: OrgId,
    /// Current, Target or Community.
    pub kind: ProfileKind,
    /// Display name, 1..=200 characters.
    pub name: String,
    /// Functions covered.
    #[serde(default)]
    pub scope: Scope,
}

/// How to clone a profile: entries are copied into a new profile of the same organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CloneProfile {
    /// Name of the new profile.
    pub name: String,
    /// Kind of the new profile; the source's kind when absent (Current -> Target is typical).
    pub kind: Option<ProfileKind>,
}

/// A stored profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Profile {
    /// Its id.
    pub id: ProfileId,
    /// The organization it belongs to.
    pub org_id: OrgId,
    /// Current, Target or Community.
    pub kind: ProfileKind,
    /// Display name.
    pub name: String,
    /// Functions covered.
    pub scope: Scope,
    /// Archived profiles are read-only and hidden from listings unless asked for.
    pub archived: bool,
    /// The profile this one was cloned from (kept even if that profile is later deleted).
    pub cloned_from: Option<ProfileId>,
    /// When it was created.
    pub created_at: Timestamp,
    /// Who created it.
    pub created_by: String,
    /// When it was last changed (created, archived, unarchived).
    pub updated_at: Timestamp,
}

/// Which profiles to list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProfileFilter {
    /// Only this organization's profiles.
    pub org_id: Option<OrgId>,
    /// Only this kind.
    pub kind: Option<ProfileKind>,
    /// Include archived profiles (default: no).
    #[serde(default)]
    pub include_archived: bool,
}

/// Largest page a listing returns.
pub const MAX_PAGE: u32 = 1000;
/// Page size when none is asked for.
pub const DEFAULT_PAGE: u32 = 100;

/// One page of a listing: `limit` rows after `cursor` (an opaque value from a previous page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PageRequest {
    /// Rows per page, 1..=1000.
    pub limit: u32,
    /// `next_cursor` of the previous page; `None` for the first page.
    pub cursor: Option<String>,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            limit: DEFAULT_PAGE,
            cursor: None,
        }
    }
}

impl PageRequest {
    /// The first page with `limit` rows.
    pub fn first(limit: u32) -> Self {
        PageRequest {
            limit,
            cursor: None,
        }
    }

    pub(crate) fn checked_limit(&self) -> Result<i64, StoreError> {
        if (1..=MAX_PAGE).contains(&self.limit) {
            Ok(i64::from(self.limit))
        } else {
            Err(StoreError::invalid(
                "limit",
                format!("{} is out of range: use 1..={MAX_PAGE}", self.limit),
            ))
        }
    }
}

/// A page of rows and the cursor of the next page (`None` at the end).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `None` when this is the last page.
    pub next_cursor: Option<String>,
}

/// What a delete or reset removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Removed {
    /// Organizations removed (0 or 1).
    pub organizations: u64,
    /// Profiles removed.
    pub profiles: u64,
    /// Assessment entries removed.
    pub entries: u64,
    /// History rows removed.
    pub history_rows: u64,
    /// Quick-assessment answers removed.
    pub quick_answers: u64,
    /// Implementation plans removed.
    pub plans: u64,
    /// Assessment campaigns of the removed profiles.
    #[serde(default)]
    pub campaigns: u64,
    /// Answer rows of those campaigns (their logs go with them, uncounted).
    #[serde(default)]
    pub campaign_answers: u64,
}
