//! `assess_maturity`: coverage, implementation distribution, implementation score, mean
//! maturity and confidence per function and category of one profile.

use crate::analysis::function_level::{basis, AssessmentBasis, FunctionLevelSummary};
use crate::analysis::method::{Method, SCALE};
use crate::analysis::scale::{ratio, round4, status_score};
use crate::analysis::scope::{index_entries, IgnoredEntry, ScopeFilter};
use crate::error::Result;
use csf_store::AssessmentEntry;
use csf_store::{Confidence, ImplementationStatus};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How many entries have each status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StatusCounts {
    /// Not implemented.
    pub not_implemented: u32,
    /// Partially implemented.
    pub partially: u32,
    /// Largely implemented.
    pub largely: u32,
    /// Fully implemented.
    pub fully: u32,
    /// Not applicable.
    pub not_applicable: u32,
}

impl StatusCounts {
    pub(crate) fn add(&mut self, s: ImplementationStatus) {
        match s {
            ImplementationStatus::NotImplemented => self.not_implemented += 1,
            ImplementationStatus::Partially => self.partially += 1,
            ImplementationStatus::Largely => self.largely += 1,
            ImplementationStatus::Fully => self.fully += 1,
            ImplementationStatus::NotApplicable => self.not_applicable += 1,
        }
    }

    /// The count for one status.
    pub fn get(&self, s: ImplementationStatus) -> u32 {
        match s {
            ImplementationStatus::NotImplemented => self.not_implemented,
            ImplementationStatus::Partially => self.partially,
            ImplementationStatus::Largely => self.largely,
            ImplementationStatus::Fully => self.fully,
            ImplementationStatus::NotApplicable => self.not_applicable,
        }
    }
}

/// How sure the assessors were, counted over assessed entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ConfidenceCounts {
    /// High confidence.
    pub high: u32,
    /// Medium confidence.
    pub medium: u32,
    /// Low confidence.
    pub low: u32,
    /// No confidence recorded.
    pub unstated: u32,
}

/// The figures for one group of subcategories (a function, a category or the whole scope).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MaturitySummary {
    /// Active subcategories in scope.
    pub in_scope: u32,
    /// In-scope subcategories with an entry.
    pub assessed: u32,
    /// assessed / in_scope (None when nothing is in scope).
    pub coverage: Option<f64>,
    /// Entries per status.
    pub distribution: StatusCounts,
    /// Mean implementation score over assessed, applicable entries (0..1); None when none.
    pub implementation_score: Option<f64>,
    /// Entries the implementation score is the mean of (assessed minus not_applicable).
    pub scored_n: u32,
    /// Mean maturity (0..5) over the entries that have one; None when none has.
    pub mean_maturity: Option<f64>,
    /// Entries the mean maturity is computed over.
    pub maturity_n: u32,
    /// Confidence of the assessed entries.
    pub confidence: ConfidenceCounts,
}

/// Accumulates a [`MaturitySummary`].
#[derive(Default)]
pub(crate) struct SummaryAcc {
    out: MaturitySummary,
    score_sum: f64,
    maturity_sum: u32,
}

impl SummaryAcc {
    pub(crate) fn add(&mut self, entry: Option<&AssessmentEntry>) {
        self.out.in_scope += 1;
        let Some(e) = entry else { return };
        self.out.assessed += 1;
        let status = e.status;
        self.out.distribution.add(status);
        if let Some(s) = status_score(status) {
            self.score_sum += s;
            self.out.scored_n += 1;
        }
        if let Some(m) = e.maturity {
            self.maturity_sum += u32::from(m.get());
            self.out.maturity_n += 1;
        }
        let c = &mut self.out.confidence;
        match e.confidence {
            Some(Confidence::High) => c.high += 1,
            Some(Confidence::Medium) => c.medium += 1,
            Some(Confidence::Low) => c.low += 1,
            None => c.unstated += 1,
        }
    }

    pub(crate) fn finish(mut self) -> MaturitySummary {
        self.out.coverage = ratio(f64::from(self.out.assessed), f64::from(self.out.in_scope));
        self.out.implementation_score = ratio(self.score_sum, f64::from(self.out.scored_n));
        self.out.mean_maturity =
            ratio(f64::from(self.maturity_sum), f64::from(self.out.maturity_n));
        self.out
    }
}

/// Figures for one function or category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MaturityGroup {
    /// Function or category id.
    pub id: String,
    /// Its title from the catalog.
    pub title: String,
    /// The function it belongs to (itself for a function).
    pub function_id: String,
    /// The figures.
    pub summary: MaturitySummary,
    /// In-scope subcategories of this group with no entry.
    pub unassessed: Vec<String>,
}

/// Result of [`assess_maturity`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MaturityAssessment {
    /// How the figures were computed.
    pub method: Method,
    /// The scope analysed.
    pub scope: String,
    /// Figures over the whole scope.
    pub overall: MaturitySummary,
    /// Per function, in official order (functions with nothing in scope are left out).
    pub functions: Vec<MaturityGroup>,
    /// Per category, in official order.
    pub categories: Vec<MaturityGroup>,
    /// Every in-scope subcategory without an entry.
    pub unassessed: Vec<String>,
    /// Entries not used, with the reason.
    pub ignored: Vec<IgnoredEntry>,
    /// What the figures rest on: subcategory entries, function-level quick answers, both or
    /// nothing. With function_level only, the subcategory figures are empty by design and
    /// `function_level` holds the results.
    #[serde(default)]
    pub basis: AssessmentBasis,
    /// The profile's function-level (quick assessment) answers in scope, labelled as such.
    #[serde(default)]
    pub function_level: FunctionLevelSummary,
}

impl MaturityAssessment {
    /// Adds the profile's function-level answers and sets the basis.
    pub fn with_function_level(mut self, f: FunctionLevelSummary) -> Self {
        self.basis = basis(self.overall.assessed, &f);
        self.function_level = f;
        self
    }
}

/// Method statement of [`assess_maturity`].
pub fn maturity_method() -> Method {
    Method::new(
        "maturity/v1",
        &format!(
            "coverage = assessed / in-scope active subcategories. implementation_score = mean of \
             the implementation score over assessed entries that are not not_applicable. \
             mean_maturity = mean of the recorded maturity (0..5) over entries that have one \
             (n given as maturity_n); entries without maturity are not counted as 0. Ratios are \
             rounded to 4 decimals. CSF Tiers are not computed from these figures. {SCALE}"
        ),
    )
}

/// Coverage, distribution, implementation score, mean maturity and confidence of one profile's
/// entries, per function and category of `scope`.
pub fn assess_maturity(
    entries: &[AssessmentEntry],
    scope: &ScopeFilter,
) -> Result<MaturityAssessment> {
    let subs = scope.subcategories()?;
    let mut ignored = Vec::new();
    let index = index_entries(entries, &subs, &mut ignored);
    let mut overall = SummaryAcc::default();
    let mut functions: Vec<(MaturityGroup, SummaryAcc)> = Vec::new();
    let mut categories: Vec<(MaturityGroup, SummaryAcc)> = Vec::new();
    let mut unassessed = Vec::new();
    for s in &subs {
        let c = s.category();
        let f = c.function();
        let entry = index.get(s.id).copied();
        if functions.last().is_none_or(|(g, _)| g.id != f.id) {
            functions.push((group(f.id, f.title, f.id), SummaryAcc::default()));
        }
        if categories.last().is_none_or(|(g, _)| g.id != c.id) {
            categories.push((group(c.id, c.title, f.id), SummaryAcc::default()));
        }
        overall.add(entry);
        for (g, acc) in [functions.last_mut(), categories.last_mut()]
            .into_iter()
            .flatten()
        {
            acc.add(entry);
            if entry.is_none() {
                g.unassessed.push(s.id.to_owned());
            }
        }
        if entry.is_none() {
            unassessed.push(s.id.to_owned());
        }
    }
    let finish = |v: Vec<(MaturityGroup, SummaryAcc)>| {
        v.into_iter()
            .map(|(mut g, acc)| {
                g.summary = acc.finish();
                g
            })
            .collect()
    };
    Ok(MaturityAssessment {
        method: maturity_method().assume("scope", scope.as_given(), "all functions"),
        scope: scope.describe(),
        overall: overall.finish(),
        functions: finish(functions),
        categories: finish(categories),
        unassessed,
        ignored,
        basis: AssessmentBasis::None,
        function_level: FunctionLevelSummary::default(),
    }
    .with_function_level(FunctionLevelSummary::default()))
}

fn group(id: &str, title: &str, function_id: &str) -> MaturityGroup {
    MaturityGroup {
        id: id.to_owned(),
        title: title.to_owned(),
        function_id: function_id.to_owned(),
        summary: MaturitySummary::default(),
        unassessed: Vec::new(),
    }
}

/// Percent with one decimal, for text renderings.
pub(crate) fn pct(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{:.1}%", round4(v) * 100.0),
        None => "n/a".to_owned(),
    }
}
