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

    /// A status written loosely: any case, spaces or dashes for underscores, an
    /// `_implemented` suffix (`Partially implemented`), `n/a`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        if s == "n/a" {
            return Some(ImplementationStatus::NotApplicable);
        }
        let s = match s.strip_suffix("_implemented") {
            Some(head) if head != "not" => head,
            _ => s.as_str(),
        };
        Self::ALL.into_iter().find(|x| x.as_str() == s)
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

/// The three-level scales (high, medium, low): every value, highest first, and the names.
macro_rules! high_medium_low {
    ($($scale:ident),+) => {$(
        impl $scale {
            /// Every value, highest first.
            pub const ALL: [$scale; 3] = [$scale::High, $scale::Medium, $scale::Low];

            /// `high`, `medium` or `low`, in any case.
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                Self::ALL
                    .into_iter()
                    .find(|x| x.as_str().eq_ignore_ascii_case(s))
            }

            /// snake_case name, as serialised.
            pub fn as_str(self) -> &'static str {
                match self {
                    $scale::High => "high",
                    $scale::Medium => "medium",
                    $scale::Low => "low",
                }
            }
        }
    )+};
}

high_medium_low!(Priority, Confidence);

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loosely_written_scale_values_parse() {
        for (text, want) in [
            ("fully", ImplementationStatus::Fully),
            ("Partially implemented", ImplementationStatus::Partially),
            ("largely-implemented", ImplementationStatus::Largely),
            ("NOT_IMPLEMENTED", ImplementationStatus::NotImplemented),
            ("Not implemented", ImplementationStatus::NotImplemented),
            ("n/a", ImplementationStatus::NotApplicable),
            ("not applicable", ImplementationStatus::NotApplicable),
        ] {
            assert_eq!(ImplementationStatus::parse(text), Some(want), "{text}");
        }
        assert_eq!(ImplementationStatus::parse("done"), None);
        assert_eq!(ImplementationStatus::parse("not"), None);
        assert_eq!(Priority::parse(" High "), Some(Priority::High));
        assert_eq!(Confidence::parse("low"), Some(Confidence::Low));
        assert_eq!(Priority::parse("urgent"), None);
        assert!(Priority::Low < Priority::Medium && Priority::Medium < Priority::High);
    }
}
