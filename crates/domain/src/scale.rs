//! The ordinal scales every analysis shares, and their numeric mapping.
//!
//! The store's enums do not derive `JsonSchema`, so outputs use the mirror enums below.

use csf_store::{Confidence, ImplementationStatus, Priority};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Implementation status (mirror of the store's enum, with a JSON Schema).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not implemented.
    NotImplemented,
    /// Partially implemented.
    Partially,
    /// Largely implemented.
    Largely,
    /// Fully implemented.
    Fully,
    /// Not applicable.
    NotApplicable,
}

impl From<ImplementationStatus> for Status {
    fn from(s: ImplementationStatus) -> Self {
        match s {
            ImplementationStatus::NotImplemented => Status::NotImplemented,
            ImplementationStatus::Partially => Status::Partially,
            ImplementationStatus::Largely => Status::Largely,
            ImplementationStatus::Fully => Status::Fully,
            ImplementationStatus::NotApplicable => Status::NotApplicable,
        }
    }
}

impl Status {
    /// All statuses, in scale order (N/A last).
    pub const ALL: [Status; 5] = [
        Status::NotImplemented,
        Status::Partially,
        Status::Largely,
        Status::Fully,
        Status::NotApplicable,
    ];

    /// Ordinal level: not implemented 0, partially 1, largely 2, fully 3; N/A has none.
    pub fn level(self) -> Option<u8> {
        match self {
            Status::NotImplemented => Some(0),
            Status::Partially => Some(1),
            Status::Largely => Some(2),
            Status::Fully => Some(3),
            Status::NotApplicable => None,
        }
    }

    /// Implementation score: level / 3, so 0, 1/3, 2/3, 1; N/A has none (excluded from means).
    pub fn score(self) -> Option<f64> {
        self.level().map(|l| f64::from(l) / f64::from(MAX_LEVEL))
    }

    /// snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotImplemented => "not_implemented",
            Status::Partially => "partially",
            Status::Largely => "largely",
            Status::Fully => "fully",
            Status::NotApplicable => "not_applicable",
        }
    }

    /// Words for reports.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotImplemented => "Not implemented",
            Status::Partially => "Partially",
            Status::Largely => "Largely",
            Status::Fully => "Fully",
            Status::NotApplicable => "Not applicable",
        }
    }
}

/// Highest implementation level (fully implemented).
pub const MAX_LEVEL: u8 = 3;

/// Priority (mirror of the store's enum).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PriorityLevel {
    /// Low priority.
    Low,
    /// Medium priority.
    Medium,
    /// High priority.
    High,
}

impl From<Priority> for PriorityLevel {
    fn from(p: Priority) -> Self {
        match p {
            Priority::High => PriorityLevel::High,
            Priority::Medium => PriorityLevel::Medium,
            Priority::Low => PriorityLevel::Low,
        }
    }
}

impl PriorityLevel {
    /// Weight used by gap, matrix, plan and risk: high 3, medium 2, low 1.
    pub fn weight(self) -> u8 {
        match self {
            PriorityLevel::High => 3,
            PriorityLevel::Medium => 2,
            PriorityLevel::Low => 1,
        }
    }

    /// snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            PriorityLevel::High => "high",
            PriorityLevel::Medium => "medium",
            PriorityLevel::Low => "low",
        }
    }
}

/// Assessor confidence (mirror of the store's enum).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConfidenceLevel {
    /// Low confidence.
    Low,
    /// Medium confidence.
    Medium,
    /// High confidence.
    High,
}

impl From<Confidence> for ConfidenceLevel {
    fn from(c: Confidence) -> Self {
        match c {
            Confidence::High => ConfidenceLevel::High,
            Confidence::Medium => ConfidenceLevel::Medium,
            Confidence::Low => ConfidenceLevel::Low,
        }
    }
}

/// Round to 4 decimals so outputs read cleanly and compare exactly in tests.
pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// `num / den` rounded, or `None` when `den` is 0.
pub(crate) fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| round4(num / den))
}
