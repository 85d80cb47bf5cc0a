//! What a campaign is: its settings (kept as the store's JSON body) and its states with the
//! transitions allowed between them.

use chrono::NaiveDate;
use csf_store::{OrgSize, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Where a campaign stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignState {
    /// Set up; no answers taken yet.
    Draft,
    /// Assessors answer.
    InProgress,
    /// Every question answered or skipped; a reviewer checks it.
    InReview,
    /// Signed off: its answers are recorded in the profile as a dated cycle. Final.
    SignedOff,
}

impl CampaignState {
    pub const ALL: [CampaignState; 4] = [
        CampaignState::Draft,
        CampaignState::InProgress,
        CampaignState::InReview,
        CampaignState::SignedOff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CampaignState::Draft => "draft",
            CampaignState::InProgress => "in_progress",
            CampaignState::InReview => "in_review",
            CampaignState::SignedOff => "signed_off",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| Error::Unavailable {
                message: format!("stored campaign state '{s}' is not known to this server"),
                transient: false,
            })
    }

    /// The states a campaign may move to from this one.
    pub fn next(self) -> &'static [CampaignState] {
        match self {
            CampaignState::Draft => &[CampaignState::InProgress],
            CampaignState::InProgress => &[CampaignState::InReview],
            CampaignState::InReview => &[CampaignState::InProgress, CampaignState::SignedOff],
            CampaignState::SignedOff => &[],
        }
    }

    /// Refuses a move the state machine does not allow, naming the allowed ones.
    pub fn check_move(self, to: CampaignState) -> Result<()> {
        if self.next().contains(&to) {
            return Ok(());
        }
        let allowed: Vec<&str> = self.next().iter().map(|s| s.as_str()).collect();
        Err(Error::Invalid(format!(
            "a campaign that is {} cannot move to {}; from {} it can move to {}",
            self.as_str(),
            to.as_str(),
            self.as_str(),
            if allowed.is_empty() {
                "nothing (it is final)".to_string()
            } else {
                allowed.join(", ")
            }
        )))
    }
}

/// Which part of the framework a campaign covers: the union of the functions and categories
/// named; both empty means the whole Core.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CampaignScope {
    #[serde(default)]
    pub functions: Vec<String>,
    #[serde(default)]
    pub categories: Vec<String>,
}

impl CampaignScope {
    pub fn covers(&self, function: &str, category: &str) -> bool {
        (self.functions.is_empty() && self.categories.is_empty())
            || self.functions.iter().any(|f| f == function)
            || self.categories.iter().any(|c| c == category)
    }

    pub fn describe(&self) -> String {
        if self.functions.is_empty() && self.categories.is_empty() {
            return "the whole Core".into();
        }
        let mut all = self.functions.clone();
        all.extend(self.categories.iter().cloned());
        all.join(", ")
    }
}

/// A person answering part of the campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessor {
    /// Name or role, as recorded with each answer (1–200 characters).
    pub name: String,
    /// Function or category ids this assessor answers; empty: the whole scope.
    #[serde(default)]
    pub areas: Vec<String>,
}

impl Assessor {
    pub fn answers(&self, function: &str, category: &str) -> bool {
        self.areas.is_empty() || self.areas.iter().any(|a| a == function || a == category)
    }
}

/// Who signed off and the cycle date the entries carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SignOff {
    pub by: String,
    pub at: Timestamp,
    /// The date of the profile's cycle (the entries' assessed date).
    pub cycle_date: NaiveDate,
    pub entries_recorded: usize,
}

/// The settings, stored as the campaign's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Settings {
    pub scope: CampaignScope,
    /// Picks the dimensions asked (see get_assessment_questions); absent: all four.
    pub org_size: Option<OrgSize>,
    pub assessors: Vec<Assessor>,
    pub due_date: Option<NaiveDate>,
    #[serde(default)]
    pub sign_off: Option<SignOff>,
}

impl Settings {
    pub fn from_body(id: &str, body: &serde_json::Value) -> Result<Self> {
        serde_json::from_value(body.clone()).map_err(|e| Error::Unavailable {
            message: format!("stored campaign {id} has unreadable settings ({e})"),
            transient: false,
        })
    }

    pub fn to_body(&self) -> Result<serde_json::Value> {
        serde_json::to_value(self).map_err(|e| Error::Unavailable {
            message: e.to_string(),
            transient: false,
        })
    }

    /// The assessor of this name, or an error naming the campaign's assessors.
    pub fn assessor(&self, name: &str) -> Result<&Assessor> {
        let name = name.trim();
        self.assessors
            .iter()
            .find(|a| a.name == name)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "'{}' is not an assessor of this campaign; assessors are: {}",
                    name.chars().take(64).collect::<String>(),
                    self.assessors
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_are_checked_and_name_the_allowed_ones() {
        assert!(CampaignState::Draft
            .check_move(CampaignState::InProgress)
            .is_ok());
        assert!(CampaignState::InReview
            .check_move(CampaignState::InProgress)
            .is_ok());
        let err = CampaignState::Draft
            .check_move(CampaignState::SignedOff)
            .unwrap_err()
            .to_string();
        assert!(err.contains("can move to in_progress"), "{err}");
        let err = CampaignState::SignedOff
            .check_move(CampaignState::InProgress)
            .unwrap_err()
            .to_string();
        assert!(err.contains("final"), "{err}");
    }

    #[test]
    fn scope_and_areas() {
        let s = CampaignScope {
            functions: vec!["GV".into()],
            categories: vec!["PR.AA".into()],
        };
        assert!(s.covers("GV", "GV.OC"));
        assert!(s.covers("PR", "PR.AA"));
        assert!(!s.covers("PR", "PR.DS"));
        assert!(CampaignScope::default().covers("RC", "RC.RP"));
        let a = Assessor {
            name: "x".into(),
            areas: vec!["GV.OC".into()],
        };
        assert!(a.answers("GV", "GV.OC") && !a.answers("GV", "GV.RM"));
    }
}
