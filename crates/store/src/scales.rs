//! Names and order of the fixed scales an entry is recorded on, so every layer (analysis,
//! reports, exports, web pages) uses these types instead of copies of them.

use crate::assessment::{Confidence, ImplementationStatus, Priority};
use crate::records::OrgSize;
use std::cmp::Ordering;

impl ImplementationStatus {
    /// All statuses, in scale order (not applicable last).
    pub const ALL: [ImplementationStatus; 5] = [
        ImplementationStatus::NotImplemented,
        ImplementationStatus::Partially,
        ImplementationStatus::Largely,
        ImplementationStatus::Fully,
        ImplementationStatus::NotApplicable,
    ];

    /// Ordinal level: not implemented 0, partially 1, largely 2, fully 3; N/A has none.
    pub fn level(self) -> Option<u8> {
        match self {
            ImplementationStatus::NotImplemented => Some(0),
            ImplementationStatus::Partially => Some(1),
            ImplementationStatus::Largely => Some(2),
            ImplementationStatus::Fully => Some(3),
            ImplementationStatus::NotApplicable => None,
        }
    }

    /// snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            ImplementationStatus::NotImplemented => "not_implemented",
            ImplementationStatus::Partially => "partially",
            ImplementationStatus::Largely => "largely",
            ImplementationStatus::Fully => "fully",
            ImplementationStatus::NotApplicable => "not_applicable",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            ImplementationStatus::NotImplemented => "Not implemented",
            ImplementationStatus::Partially => "Partially",
            ImplementationStatus::Largely => "Largely",
            ImplementationStatus::Fully => "Fully",
            ImplementationStatus::NotApplicable => "Not applicable",
        }
    }
}

impl Priority {
    /// snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Priority::Low => 0,
            Priority::Medium => 1,
            Priority::High => 2,
        }
    }
}

/// Low < medium < high.
impl Ord for Priority {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl PartialOrd for Priority {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Confidence {
    /// snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

impl OrgSize {
    /// snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgSize::Small => "small",
            OrgSize::Medium => "medium",
            OrgSize::Large => "large",
            OrgSize::Enterprise => "enterprise",
        }
    }
}
