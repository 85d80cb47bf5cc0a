//! `maturity_trend`: the profile's figures at the end of each month or quarter, rebuilt from
//! its history (each history row holds the entry after the change).

use crate::analysis::maturity::{assess_maturity, maturity_method, MaturitySummary};
use crate::analysis::method::Method;
use crate::analysis::scope::ScopeFilter;
use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate};
use csf_store::{AssessmentEntry, HistoryRecord};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Most periods one trend returns.
pub const MAX_PERIODS: usize = 240;

/// Period length.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Calendar months (UTC).
    Month,
    /// Calendar quarters (UTC).
    #[default]
    Quarter,
}

/// Inputs of [`maturity_trend`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TrendParams {
    /// Period length (default quarter).
    pub period: Option<Period>,
    /// Part of the Core (default all).
    #[serde(default)]
    pub scope: ScopeFilter,
    /// Extend the periods to the one holding this date (e.g. today) when it is after the last
    /// change (default: stop at the last change).
    pub until: Option<NaiveDate>,
}

/// One function at the end of a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunctionPoint {
    /// Function id.
    pub function_id: String,
    /// Coverage.
    pub coverage: Option<f64>,
    /// Implementation score.
    pub implementation_score: Option<f64>,
    /// Mean maturity.
    pub mean_maturity: Option<f64>,
}

/// The profile at the end of one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TrendPoint {
    /// `2026-03` or `2026-Q1`.
    pub period: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day (figures are as of its end, UTC).
    pub end: NaiveDate,
    /// History rows that fall in the period.
    pub changes: u32,
    /// Figures over the scope.
    pub overall: MaturitySummary,
    /// Per function.
    pub functions: Vec<FunctionPoint>,
}

/// Result of [`maturity_trend`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MaturityTrend {
    /// How it was computed.
    pub method: Method,
    /// The profile (None when the history is empty).
    pub profile_id: Option<String>,
    /// Period length.
    pub period: Period,
    /// One point per period from the first change to the last, oldest first.
    pub points: Vec<TrendPoint>,
}

/// Rebuilds the figures at the end of each period from one profile's history.
pub fn maturity_trend(history: &[HistoryRecord], params: &TrendParams) -> Result<MaturityTrend> {
    params.scope.subcategories()?;
    let period = params.period.unwrap_or_default();
    let mut rows: Vec<&HistoryRecord> = history.iter().collect();
    rows.sort_by(|a, b| {
        dated(a)
            .cmp(&dated(b))
            .then(a.changed_at.cmp(&b.changed_at))
            .then(a.seq.cmp(&b.seq))
    });
    let profile_id = rows.first().map(|r| r.profile_id.as_str().to_owned());
    if let Some(p) = &profile_id {
        if let Some(other) = rows.iter().find(|r| r.profile_id.as_str() != p) {
            return Err(Error::invalid(
                "history",
                format!(
                    "rows of two profiles ({p} and {}): give one profile's history",
                    other.profile_id.as_str()
                ),
            ));
        }
    }
    let method = Method::new(
        "maturity-trend/v1",
        &format!(
            "History rows are replayed in the order of the date each entry's assessment \
             describes (`assessed_on`), else of the day it was recorded; at the end of each period (UTC) the \
             latest entry per subcategory is taken and scored with {}. Periods run from the one \
             holding the first change to the one holding the last.",
            maturity_method().name
        ),
    )
    .assume(
        "period",
        params.period.map(|p| format!("{p:?}").to_lowercase()),
        "quarter",
    )
    .assume("scope", params.scope.as_given(), "all functions")
    .assume(
        "until",
        params.until.map(|d| d.to_string()),
        "the last change",
    );
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok(MaturityTrend {
            method,
            profile_id,
            period,
            points: Vec::new(),
        });
    };
    let mut start = period_start(dated(first), period);
    let end_all = dated(last).max(params.until.unwrap_or(NaiveDate::MIN));
    let mut state: HashMap<&str, &AssessmentEntry> = HashMap::new();
    let mut points = Vec::new();
    let mut i = 0;
    while start <= end_all {
        if points.len() >= MAX_PERIODS {
            return Err(Error::invalid(
                "period",
                format!("the history spans more than {MAX_PERIODS} periods: use quarter"),
            ));
        }
        let next = next_start(start, period)?;
        let mut changes = 0;
        while i < rows.len() && dated(rows[i]) < next {
            state.insert(rows[i].subcategory_id.as_str(), &rows[i].new);
            changes += 1;
            i += 1;
        }
        let entries: Vec<AssessmentEntry> = state.values().map(|e| (*e).clone()).collect();
        let m = assess_maturity(&entries, &params.scope)?;
        points.push(TrendPoint {
            period: label(start, period),
            start,
            end: next.pred_opt().unwrap_or(next),
            changes,
            functions: m
                .functions
                .iter()
                .map(|f| FunctionPoint {
                    function_id: f.id.clone(),
                    coverage: f.summary.coverage,
                    implementation_score: f.summary.implementation_score,
                    mean_maturity: f.summary.mean_maturity,
                })
                .collect(),
            overall: m.overall,
        });
        start = next;
    }
    Ok(MaturityTrend {
        method,
        profile_id,
        period,
        points,
    })
}

/// The day a history row counts for: the date its assessment describes, else the day (UTC) it
/// was recorded, so an earlier cycle loaded today falls in its own period.
fn dated(r: &HistoryRecord) -> NaiveDate {
    r.new
        .assessed_on
        .unwrap_or_else(|| r.changed_at.date_naive())
}

fn period_start(d: NaiveDate, p: Period) -> NaiveDate {
    let month = match p {
        Period::Month => d.month(),
        Period::Quarter => (d.month0() / 3) * 3 + 1,
    };
    NaiveDate::from_ymd_opt(d.year(), month, 1).unwrap_or(d)
}

fn next_start(d: NaiveDate, p: Period) -> Result<NaiveDate> {
    let months = match p {
        Period::Month => 1,
        Period::Quarter => 3,
    };
    d.checked_add_months(chrono::Months::new(months))
        .ok_or_else(|| Error::invalid("history", "dates out of range"))
}

fn label(start: NaiveDate, p: Period) -> String {
    match p {
        Period::Month => format!("{}-{:02}", start.year(), start.month()),
        Period::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
    }
}
