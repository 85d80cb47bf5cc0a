//! `gap_analysis`: Current vs Target profile per subcategory, gap size × priority weight,
//! grouped by function and category, with totals. Missing entries are listed, never zero.

use crate::analysis::function_level::FunctionLevelSummary;
use crate::analysis::method::{Method, SCALE};
use crate::analysis::scale::{priority_weight, ratio, MAX_LEVEL};
use crate::analysis::scope::{index_entries, IgnoredEntry, ScopeFilter};
use crate::error::Result;
use chrono::NaiveDate;
use csf_store::AssessmentEntry;
use csf_store::{ImplementationStatus, Priority};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of a gap analysis besides the two profiles' entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GapParams {
    /// Part of the Core to analyse (default: all).
    #[serde(default)]
    pub scope: ScopeFilter,
    /// Priority assumed when the target entry has none (default: medium).
    pub default_priority: Option<Priority>,
}

/// Documented default of [`GapParams::default_priority`].
pub const DEFAULT_PRIORITY: Priority = Priority::Medium;

/// How one subcategory compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GapState {
    /// Target level above current level: a gap to close.
    Gap,
    /// Current level equals target level.
    Met,
    /// Current level above target level.
    Exceeds,
    /// The target marks it not applicable: excluded.
    NotApplicable,
    /// Current says not applicable but the target expects it: excluded, needs a decision.
    ApplicabilityMismatch,
    /// The target has an entry, the current profile has none: not scored.
    MissingCurrent,
    /// The current profile has an entry, the target has none: not scored.
    MissingTarget,
    /// Neither profile has an entry: not scored.
    MissingBoth,
}

/// One subcategory's comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GapRow {
    /// Subcategory id.
    pub subcategory_id: String,
    /// Its category.
    pub category_id: String,
    /// Its function.
    pub function_id: String,
    /// How it compares.
    pub state: GapState,
    /// Current status, if assessed.
    pub current_status: Option<ImplementationStatus>,
    /// Target status, if set.
    pub target_status: Option<ImplementationStatus>,
    /// target level − current level when state is `gap`, else 0 (1..=3).
    pub gap_steps: u8,
    /// Priority applied (the target entry's, else the default).
    pub priority: Priority,
    /// True when `priority` is the default because the target entry has none.
    pub priority_defaulted: bool,
    /// Weight of `priority` (high 3, medium 2, low 1).
    pub priority_weight: u8,
    /// gap_steps × priority_weight.
    pub weighted_gap: u32,
    /// Current maturity (0..5), if recorded.
    pub current_maturity: Option<u8>,
    /// Target maturity (0..5), if recorded.
    pub target_maturity: Option<u8>,
    /// target maturity − current maturity, when both are recorded (may be negative).
    pub maturity_gap: Option<i8>,
    /// Owner (target entry's, else current entry's).
    pub owner: Option<String>,
    /// Target date of the target entry.
    pub target_date: Option<NaiveDate>,
}

/// Totals over a set of rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GapTotals {
    /// Active subcategories in scope.
    pub in_scope: u32,
    /// Rows with state gap, met or exceeds (both sides assessed and applicable).
    pub compared: u32,
    /// Rows with a gap.
    pub with_gap: u32,
    /// Rows met.
    pub met: u32,
    /// Rows exceeding the target.
    pub exceeds: u32,
    /// Rows excluded as not applicable in the target.
    pub not_applicable: u32,
    /// Rows with an applicability mismatch.
    pub applicability_mismatch: u32,
    /// Rows missing on the current side only.
    pub missing_current: u32,
    /// Rows missing on the target side only.
    pub missing_target: u32,
    /// Rows missing on both sides.
    pub missing_both: u32,
    /// Σ gap_steps.
    pub gap_steps: u32,
    /// Σ weighted_gap.
    pub weighted_gap: u32,
    /// Σ target_level × priority_weight over compared rows: the weighted distance from
    /// "nothing implemented" to the target.
    pub weighted_target: u32,
    /// 1 − weighted_gap / weighted_target: how much of the weighted target is already reached.
    pub target_attainment: Option<f64>,
    /// Σ positive maturity gaps.
    pub maturity_gap_sum: u32,
    /// Rows where both maturities are recorded.
    pub maturity_gap_n: u32,
}

impl GapTotals {
    pub(crate) fn add(&mut self, row: &GapRow) {
        self.in_scope += 1;
        match row.state {
            GapState::Gap => self.with_gap += 1,
            GapState::Met => self.met += 1,
            GapState::Exceeds => self.exceeds += 1,
            GapState::NotApplicable => self.not_applicable += 1,
            GapState::ApplicabilityMismatch => self.applicability_mismatch += 1,
            GapState::MissingCurrent => self.missing_current += 1,
            GapState::MissingTarget => self.missing_target += 1,
            GapState::MissingBoth => self.missing_both += 1,
        }
        if row.is_compared() {
            self.compared += 1;
            self.gap_steps += u32::from(row.gap_steps);
            self.weighted_gap += row.weighted_gap;
            let target = row
                .target_status
                .and_then(ImplementationStatus::level)
                .unwrap_or(0);
            self.weighted_target += u32::from(target) * u32::from(row.priority_weight);
        }
        if let Some(m) = row.maturity_gap {
            self.maturity_gap_n += 1;
            self.maturity_gap_sum += u32::from(m.max(0).unsigned_abs());
        }
    }

    pub(crate) fn finish(mut self) -> Self {
        self.target_attainment = ratio(
            f64::from(self.weighted_target) - f64::from(self.weighted_gap),
            f64::from(self.weighted_target),
        );
        self
    }
}

impl GapRow {
    /// True for rows that enter the totals (gap, met, exceeds).
    pub fn is_compared(&self) -> bool {
        matches!(
            self.state,
            GapState::Gap | GapState::Met | GapState::Exceeds
        )
    }
}

/// Totals of one function or category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GapGroup {
    /// Function or category id.
    pub id: String,
    /// Title from the catalog.
    pub title: String,
    /// The function (itself for a function).
    pub function_id: String,
    /// Totals.
    pub totals: GapTotals,
}

/// Subcategories that could not be compared, by side.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MissingEntries {
    /// No current entry (target has one).
    pub current_only_missing: Vec<String>,
    /// No target entry (current has one).
    pub target_only_missing: Vec<String>,
    /// Neither side has an entry.
    pub both_missing: Vec<String>,
    /// Current says not applicable, target expects an implementation level.
    pub applicability_mismatch: Vec<String>,
}

/// Result of [`gap_analysis`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GapAnalysis {
    /// How it was computed.
    pub method: Method,
    /// Scope analysed.
    pub scope: String,
    /// Every in-scope subcategory, in official order.
    pub rows: Vec<GapRow>,
    /// Per function.
    pub functions: Vec<GapGroup>,
    /// Per category.
    pub categories: Vec<GapGroup>,
    /// Over the whole scope.
    pub totals: GapTotals,
    /// What could not be compared.
    pub missing: MissingEntries,
    /// Current entries not used.
    pub ignored_current: Vec<IgnoredEntry>,
    /// Target entries not used.
    pub ignored_target: Vec<IgnoredEntry>,
    /// The Current profile's function-level (quick assessment) answers in scope, labelled as
    /// such: shown beside the rows, never spread over them (gap analysis reads subcategory
    /// entries only).
    #[serde(default)]
    pub current_function_level: FunctionLevelSummary,
}

impl GapAnalysis {
    /// Rows with a gap to close.
    pub fn gaps(&self) -> impl Iterator<Item = &GapRow> {
        self.rows.iter().filter(|r| r.state == GapState::Gap)
    }

    /// The open gaps, largest weighted gap first (a stable sort: ties keep CSF order).
    pub fn largest_gaps(&self) -> Vec<&GapRow> {
        let mut rows: Vec<_> = self.gaps().collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.weighted_gap));
        rows
    }
}

/// Method statement of [`gap_analysis`].
pub fn gap_method() -> Method {
    Method::new(
        "gap-analysis/v1",
        &format!(
            "Per in-scope active subcategory: gap_steps = target level − current level when the \
             target is higher (state gap), else 0 (met / exceeds). weighted_gap = gap_steps × \
             priority weight of the target entry's priority (default when it has none). \
             maturity_gap = target maturity − current maturity when both are recorded. Rows where \
             either side is missing, the target is not_applicable, or only the current side is \
             not_applicable are listed with their state and excluded from the totals (never \
             counted as zero). target_attainment = 1 − Σweighted_gap / Σ(target level × weight). \
             {SCALE} Maximum gap per subcategory: {MAX_LEVEL} steps."
        ),
    )
}

/// Compares a Current profile's entries with a Target profile's entries.
pub fn gap_analysis(
    current: &[AssessmentEntry],
    target: &[AssessmentEntry],
    params: &GapParams,
) -> Result<GapAnalysis> {
    let subs = params.scope.subcategories()?;
    let default_priority = params.default_priority.unwrap_or(DEFAULT_PRIORITY);
    let mut ignored_current = Vec::new();
    let mut ignored_target = Vec::new();
    let cur = index_entries(current, &subs, &mut ignored_current);
    let tgt = index_entries(target, &subs, &mut ignored_target);
    let mut rows = Vec::with_capacity(subs.len());
    let mut missing = MissingEntries::default();
    for s in &subs {
        let c = cur.get(s.id).copied();
        let t = tgt.get(s.id).copied();
        let row = compare_one(s, c, t, default_priority);
        let list = match row.state {
            GapState::MissingCurrent => Some(&mut missing.current_only_missing),
            GapState::MissingTarget => Some(&mut missing.target_only_missing),
            GapState::MissingBoth => Some(&mut missing.both_missing),
            GapState::ApplicabilityMismatch => Some(&mut missing.applicability_mismatch),
            _ => None,
        };
        if let Some(l) = list {
            l.push(s.id.to_owned());
        }
        rows.push(row);
    }
    let (functions, categories, totals) = group_rows(&rows);
    Ok(GapAnalysis {
        method: gap_method()
            .assume("scope", params.scope.as_given(), "all functions")
            .assume(
                "default_priority",
                params.default_priority.map(|p| p.as_str().to_owned()),
                DEFAULT_PRIORITY.as_str(),
            ),
        scope: params.scope.describe(),
        rows,
        functions,
        categories,
        totals,
        missing,
        ignored_current,
        ignored_target,
        current_function_level: FunctionLevelSummary::default(),
    })
}

fn compare_one(
    s: &csf_catalog::Subcategory,
    c: Option<&AssessmentEntry>,
    t: Option<&AssessmentEntry>,
    default_priority: Priority,
) -> GapRow {
    let cs = c.map(|e| e.status);
    let ts = t.map(|e| e.status);
    let (state, gap_steps) = match (cs, ts) {
        (None, None) => (GapState::MissingBoth, 0),
        (None, Some(_)) => (GapState::MissingCurrent, 0),
        (Some(_), None) => (GapState::MissingTarget, 0),
        (Some(_), Some(ImplementationStatus::NotApplicable)) => (GapState::NotApplicable, 0),
        (Some(ImplementationStatus::NotApplicable), Some(_)) => {
            (GapState::ApplicabilityMismatch, 0)
        }
        (Some(a), Some(b)) => {
            let (cl, tl) = (a.level().unwrap_or(0), b.level().unwrap_or(0));
            match tl.cmp(&cl) {
                std::cmp::Ordering::Greater => (GapState::Gap, tl - cl),
                std::cmp::Ordering::Equal => (GapState::Met, 0),
                std::cmp::Ordering::Less => (GapState::Exceeds, 0),
            }
        }
    };
    let given = t.and_then(|e| e.priority);
    let priority = given.unwrap_or(default_priority);
    let weight = priority_weight(priority);
    let cm = c.and_then(|e| e.maturity).map(|m| m.get());
    let tm = t.and_then(|e| e.maturity).map(|m| m.get());
    let cat = s.category();
    GapRow {
        subcategory_id: s.id.to_owned(),
        category_id: cat.id.to_owned(),
        function_id: cat.function().id.to_owned(),
        state,
        current_status: cs,
        target_status: ts,
        gap_steps,
        priority,
        priority_defaulted: given.is_none(),
        priority_weight: weight,
        weighted_gap: u32::from(gap_steps) * u32::from(weight),
        current_maturity: cm,
        target_maturity: tm,
        // Both are 0..=5, so the difference fits an i8.
        maturity_gap: cm.zip(tm).map(|(a, b)| b as i8 - a as i8),
        owner: t
            .and_then(|e| e.owner.clone())
            .or_else(|| c.and_then(|e| e.owner.clone())),
        target_date: t.and_then(|e| e.target_date),
    }
}

/// Groups rows (in official order) into function and category totals.
fn group_rows(rows: &[GapRow]) -> (Vec<GapGroup>, Vec<GapGroup>, GapTotals) {
    let mut functions: Vec<GapGroup> = Vec::new();
    let mut categories: Vec<GapGroup> = Vec::new();
    let mut totals = GapTotals::default();
    for r in rows {
        if functions.last().is_none_or(|g| g.id != r.function_id) {
            functions.push(new_group(&r.function_id, &r.function_id));
        }
        if categories.last().is_none_or(|g| g.id != r.category_id) {
            categories.push(new_group(&r.category_id, &r.function_id));
        }
        totals.add(r);
        for g in [functions.last_mut(), categories.last_mut()]
            .into_iter()
            .flatten()
        {
            g.totals.add(r);
        }
    }
    let fin = |v: Vec<GapGroup>| {
        v.into_iter()
            .map(|mut g| {
                g.totals = g.totals.finish();
                g
            })
            .collect()
    };
    (fin(functions), fin(categories), totals.finish())
}

fn new_group(id: &str, function_id: &str) -> GapGroup {
    let title = csf_catalog::get(id)
        .and_then(|e| e.title())
        .unwrap_or_default();
    GapGroup {
        id: id.to_owned(),
        title: title.to_owned(),
        function_id: function_id.to_owned(),
        totals: GapTotals::default(),
    }
}
