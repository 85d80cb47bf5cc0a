//! `compare_profiles`: 2 to 5 profiles side by side, per function and per subcategory.

use crate::analysis::maturity::{assess_maturity, maturity_method, MaturitySummary};
use crate::analysis::method::Method;
use crate::analysis::scale::round4;
use crate::analysis::scope::ScopeFilter;
use crate::error::{Error, Result};
use csf_store::ImplementationStatus;
use csf_store::{AssessmentEntry, Profile, ProfileKind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One profile to compare.
#[derive(Clone, Copy, Debug)]
pub struct ProfileInput<'a> {
    /// The profile record.
    pub profile: &'a Profile,
    /// Its entries.
    pub entries: &'a [AssessmentEntry],
}

/// A compared profile's headline figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProfileSummary {
    /// Profile id.
    pub profile_id: String,
    /// Name.
    pub name: String,
    /// current, target or community.
    pub kind: ProfileKind,
    /// Figures over the scope.
    pub overall: MaturitySummary,
}

/// One profile's figures for one function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProfileValue {
    /// Profile id.
    pub profile_id: String,
    /// Coverage.
    pub coverage: Option<f64>,
    /// Implementation score.
    pub implementation_score: Option<f64>,
    /// Mean maturity.
    pub mean_maturity: Option<f64>,
}

/// One function across the profiles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunctionComparison {
    /// Function id.
    pub function_id: String,
    /// Title.
    pub title: String,
    /// One value per profile, in input order.
    pub values: Vec<ProfileValue>,
    /// Highest minus lowest implementation score among profiles that have one.
    pub score_spread: Option<f64>,
}

/// A subcategory whose status differs between profiles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SubcategoryDifference {
    /// Subcategory id.
    pub subcategory_id: String,
    /// ImplementationStatus per profile, in input order (None = not assessed).
    pub statuses: Vec<Option<ImplementationStatus>>,
}

/// Result of [`compare_profiles`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProfileComparison {
    /// How it was computed.
    pub method: Method,
    /// The profiles, in input order.
    pub profiles: Vec<ProfileSummary>,
    /// Per function.
    pub functions: Vec<FunctionComparison>,
    /// Subcategories whose status (or presence) differs.
    pub differences: Vec<SubcategoryDifference>,
    /// In-scope subcategories with the same status (or absence) everywhere.
    pub identical: u32,
}

/// Compares 2..=5 profiles over `scope`.
pub fn compare_profiles(
    profiles: &[ProfileInput<'_>],
    scope: &ScopeFilter,
) -> Result<ProfileComparison> {
    if !(2..=5).contains(&profiles.len()) {
        return Err(Error::invalid(
            "profiles",
            format!("{} given: compare 2 to 5 profiles", profiles.len()),
        ));
    }
    let subs = scope.subcategories()?;
    let mut assessments = Vec::with_capacity(profiles.len());
    for p in profiles {
        assessments.push(assess_maturity(p.entries, scope)?);
    }
    let summaries = profiles
        .iter()
        .zip(&assessments)
        .map(|(p, a)| ProfileSummary {
            profile_id: p.profile.id.as_str().to_owned(),
            name: p.profile.name.clone(),
            kind: p.profile.kind,
            overall: a.overall.clone(),
        })
        .collect();
    let functions = assessments[0]
        .functions
        .iter()
        .enumerate()
        .map(|(fi, f)| {
            let values: Vec<ProfileValue> = profiles
                .iter()
                .zip(&assessments)
                .map(|(p, a)| {
                    let s = &a.functions[fi].summary;
                    ProfileValue {
                        profile_id: p.profile.id.as_str().to_owned(),
                        coverage: s.coverage,
                        implementation_score: s.implementation_score,
                        mean_maturity: s.mean_maturity,
                    }
                })
                .collect();
            let scores: Vec<f64> = values
                .iter()
                .filter_map(|v| v.implementation_score)
                .collect();
            let spread = (!scores.is_empty()).then(|| {
                let max = scores.iter().copied().fold(f64::MIN, f64::max);
                let min = scores.iter().copied().fold(f64::MAX, f64::min);
                round4(max - min)
            });
            FunctionComparison {
                function_id: f.id.clone(),
                title: f.title.clone(),
                values,
                score_spread: spread,
            }
        })
        .collect();
    let maps: Vec<HashMap<String, ImplementationStatus>> = profiles
        .iter()
        .map(|p| {
            p.entries
                .iter()
                .map(|e| {
                    let id = csf_catalog::canonical_id(&e.subcategory_id)
                        .unwrap_or_else(|| e.subcategory_id.clone());
                    (id, e.status)
                })
                .collect()
        })
        .collect();
    let mut differences = Vec::new();
    let mut identical = 0;
    for s in subs {
        let statuses: Vec<Option<ImplementationStatus>> =
            maps.iter().map(|m| m.get(s.id).copied()).collect();
        if statuses.windows(2).all(|w| w[0] == w[1]) {
            identical += 1;
        } else {
            differences.push(SubcategoryDifference {
                subcategory_id: s.id.to_owned(),
                statuses,
            });
        }
    }
    let method = Method::new(
        "compare-profiles/v1",
        &format!(
            "Each profile is scored with {} over the same scope; score_spread = highest − \
             lowest implementation score per function; a subcategory differs when its status \
             (or whether it is assessed) is not the same in every profile.",
            maturity_method().name
        ),
    )
    .assume("scope", scope.as_given(), "all functions");
    Ok(ProfileComparison {
        method,
        profiles: summaries,
        functions,
        differences,
        identical,
    })
}
