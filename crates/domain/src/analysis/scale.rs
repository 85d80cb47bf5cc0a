//! How the analyses read the store's scales as numbers. The scales themselves (status,
//! priority, confidence, size) are the store's types; the numbers are this crate's documented
//! conventions (docs/ANALYSIS.md).

use csf_store::{ImplementationStatus, OrgSize, Priority};

/// Highest implementation level (fully implemented).
pub const MAX_LEVEL: u8 = 3;

/// Implementation score: level / 3, so 0, 1/3, 2/3, 1; N/A has none (excluded from means).
pub fn status_score(s: ImplementationStatus) -> Option<f64> {
    s.level().map(|l| f64::from(l) / f64::from(MAX_LEVEL))
}

/// Weight used by gap, matrix, plan and risk: high 3, medium 2, low 1.
pub fn priority_weight(p: Priority) -> u8 {
    match p {
        Priority::High => 3,
        Priority::Medium => 2,
        Priority::Low => 1,
    }
}

/// Documented default hours per gap step of the cost model: small 16, medium 40, large 80,
/// enterprise 160. Model parameters for the caller to calibrate, not measured figures.
pub fn default_hours_per_step(size: OrgSize) -> f64 {
    match size {
        OrgSize::Small => 16.0,
        OrgSize::Medium => 40.0,
        OrgSize::Large => 80.0,
        OrgSize::Enterprise => 160.0,
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
