//! Assessment entries: record (one or a batch), read (filters, paging, as of a date), the
//! question bank, answer validation, function-level quick answers, imports.

use chrono::NaiveDate;
use csf_store::{
    AssessmentEntry, Confidence, EntryFilter, EntryInput, EntryWrite, EvidenceRef,
    ImplementationStatus, Maturity, Page, Priority, Profile, QuickAnswer, QuickAnswerInput, Scope,
    Store, WriteOutcome,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::store_call::{page, profile_id, time_arg, with_store};
use crate::mcp::error::{check_len, ToolError};
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};
use csf_domain::assessment::import::{self, Format};
use csf_domain::assessment::questions::{self, Dimension, Response};

/// Most entries in one record_assessment call.
const MAX_BATCH: usize = 100;

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusParam {
    NotImplemented,
    Partially,
    Largely,
    Fully,
    NotApplicable,
}

impl From<StatusParam> for ImplementationStatus {
    fn from(s: StatusParam) -> Self {
        match s {
            StatusParam::NotImplemented => ImplementationStatus::NotImplemented,
            StatusParam::Partially => ImplementationStatus::Partially,
            StatusParam::Largely => ImplementationStatus::Largely,
            StatusParam::Fully => ImplementationStatus::Fully,
            StatusParam::NotApplicable => ImplementationStatus::NotApplicable,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LevelParam {
    High,
    Medium,
    Low,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceParam {
    /// What the evidence is ("Access control policy v3").
    pub title: String,
    /// Where it lives or its hash (a document id, URL or sha256) — metadata only, never read.
    pub location: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryParam {
    /// An active CSF 2.0 subcategory, e.g. PR.AA-01 (withdrawn CSF 1.1 ids are refused with
    /// their successor named).
    pub subcategory_id: String,
    /// not_implemented, partially, largely, fully or not_applicable.
    pub status: StatusParam,
    /// Maturity 0–5 (optional).
    pub maturity: Option<u8>,
    /// high, medium or low (as in NIST's Organizational Profile template).
    pub priority: Option<LevelParam>,
    /// Accountable owner (name or role).
    pub owner: Option<String>,
    /// Target date, YYYY-MM-DD.
    pub target_date: Option<String>,
    /// Evidence references (metadata only).
    pub evidence: Option<Vec<EvidenceParam>>,
    pub notes: Option<String>,
    /// Who assessed it (defaults to nobody; the caller is recorded separately as author).
    pub assessed_by: Option<String>,
    /// Assessor's confidence: high, medium or low.
    pub confidence: Option<LevelParam>,
    /// Optimistic check: the version you read (0 = must not exist yet). On mismatch nothing in
    /// the batch is stored.
    pub expected_version: Option<i64>,
}

fn entry_input(i: usize, e: EntryParam) -> Result<EntryInput, ToolError> {
    let at = |m: String| ToolError::InvalidValue(format!("entries[{i}]: {m}"));
    let sub = csf_catalog::ids::subcategory(&e.subcategory_id).map_err(|e| at(e.to_string()))?;
    let mut out = EntryInput::new(sub.id, e.status.into());
    out.maturity = e
        .maturity
        .map(|m| Maturity::new(m).map_err(|x| at(x.to_string())))
        .transpose()?;
    out.priority = e.priority.map(|p| match p {
        LevelParam::High => Priority::High,
        LevelParam::Medium => Priority::Medium,
        LevelParam::Low => Priority::Low,
    });
    out.confidence = e.confidence.map(|p| match p {
        LevelParam::High => Confidence::High,
        LevelParam::Medium => Confidence::Medium,
        LevelParam::Low => Confidence::Low,
    });
    out.target_date = e
        .target_date
        .as_deref()
        .map(|d| {
            NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                at(format!(
                    "target_date `{}` is not a date like 2026-12-31",
                    d.chars().take(40).collect::<String>()
                ))
            })
        })
        .transpose()?;
    out.owner = e.owner;
    out.notes = e.notes;
    out.assessed_by = e.assessed_by;
    out.expected_version = e.expected_version;
    out.evidence = e
        .evidence
        .unwrap_or_default()
        .into_iter()
        .map(|x| EvidenceRef {
            title: x.title,
            location: x.location,
        })
        .collect();
    Ok(out)
}

/// Refuses entries outside the profile's function scope, naming the scope.
fn check_scope(profile: &Profile, entries: &[EntryInput]) -> csf_store::Result<()> {
    let Scope::Functions(fs) = &profile.scope else {
        return Ok(());
    };
    for (i, e) in entries.iter().enumerate() {
        let f = e.subcategory_id.split('.').next().unwrap_or_default();
        if !fs.iter().any(|x| x == f) {
            return Err(csf_store::StoreError::invalid(
                format!("entries[{i}].subcategory_id"),
                format!(
                    "{} is outside profile {}'s scope ({})",
                    e.subcategory_id,
                    profile.id,
                    fs.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

fn write_in_scope(
    s: &dyn Store,
    by: &str,
    profile: &csf_store::ProfileId,
    entries: &[EntryInput],
    dry_run: bool,
) -> csf_store::Result<Vec<EntryWrite>> {
    let p = s.get_profile(profile)?;
    check_scope(&p, entries)?;
    if dry_run {
        s.preview_entries(profile, entries)
    } else {
        s.record_entries(profile, entries, by)
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct WriteCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

fn counts(w: &[EntryWrite]) -> WriteCounts {
    let n = |o: WriteOutcome| w.iter().filter(|x| x.outcome == o).count();
    WriteCounts {
        created: n(WriteOutcome::Created),
        updated: n(WriteOutcome::Updated),
        unchanged: n(WriteOutcome::Unchanged),
    }
}

// ---------------------------------------------------------------- record_assessment

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordParams {
    /// The profile (prof_…).
    pub profile_id: String,
    /// 1–100 entries, stored in one transaction: all or none.
    pub entries: Vec<EntryParam>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RecordOutput {
    pub profile_id: String,
    pub written: Vec<EntryWrite>,
    pub counts: WriteCounts,
}

pub struct RecordAssessment;
impl CsfTool for RecordAssessment {
    const META: ToolMeta = ToolMeta {
        name: "record_assessment",
        title: "Record assessment entries",
        description: "Record the assessment of one or more CSF 2.0 subcategories in a profile \
            (status, maturity 0–5, priority, owner, target date, evidence references, notes). Up \
            to 100 entries land in one transaction, all or none; every change is kept in history.",
        class: ToolClass::Write,
        idempotent: true,
    };
    type Params = RecordParams;
    type Output = RecordOutput;
    async fn call(call: Call, p: RecordParams) -> Result<RecordOutput, ToolError> {
        let id = profile_id(&p.profile_id)?;
        if p.entries.is_empty() || p.entries.len() > MAX_BATCH {
            return Err(ToolError::InvalidValue(format!(
                "`entries` has {} items; give 1–{MAX_BATCH} (use import_assessment for more)",
                p.entries.len()
            )));
        }
        let entries = p
            .entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| entry_input(i, e))
            .collect::<Result<Vec<_>, _>>()?;
        let pid = id.clone();
        let written = with_store(&call, move |s, by| {
            write_in_scope(s, by, &pid, &entries, false)
        })
        .await?;
        Ok(RecordOutput {
            profile_id: id.to_string(),
            counts: counts(&written),
            written,
        })
    }
}

// ---------------------------------------------------------------- get_assessment

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetParams {
    pub profile_id: String,
    /// Only this function (GV …) or category (GV.OC) — an id prefix.
    pub within: Option<String>,
    /// Only entries with these statuses.
    pub statuses: Option<Vec<StatusParam>>,
    /// Read the profile as it was at this time (RFC 3339, e.g. 2026-06-30T00:00:00Z), from
    /// history.
    pub as_of: Option<String>,
    /// Include each returned entry's change history (default false).
    #[serde(default)]
    pub include_history: bool,
    /// Items per page, 1–200 (default 50; ignored with as_of).
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Coverage {
    /// Active subcategories in the profile's scope.
    pub in_scope: usize,
    /// Of those, how many have an entry.
    pub assessed: usize,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct GetOutput {
    pub profile: Profile,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    pub entries: Vec<AssessmentEntry>,
    /// include_history: history rows of the returned entries, oldest first.
    pub history: Vec<csf_store::HistoryRecord>,
    pub coverage: Coverage,
    /// Function-level quick-assessment answers (never expanded to subcategories).
    pub quick_answers: Vec<QuickAnswer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

fn in_scope_count(profile: &Profile) -> usize {
    csf_catalog::subcategories()
        .iter()
        .filter(|s| !s.withdrawn)
        .filter(|s| match &profile.scope {
            Scope::All => true,
            Scope::Functions(fs) => fs.iter().any(|f| s.id.starts_with(f.as_str())),
        })
        .count()
}

fn prefix(within: Option<&str>) -> Result<Option<String>, ToolError> {
    let Some(w) = within else { return Ok(None) };
    check_len("within", w, 16)?;
    match csf_catalog::resolve(w)? {
        e @ (csf_catalog::Element::Function(_) | csf_catalog::Element::Category(_)) => {
            Ok(Some(e.id().to_string()))
        }
        e => Err(ToolError::InvalidValue(format!(
            "`within` takes a function (GV) or category (GV.OC); {} is a {}",
            e.id(),
            e.kind()
        ))),
    }
}

pub struct GetAssessment;
impl CsfTool for GetAssessment {
    const META: ToolMeta = ToolMeta {
        name: "get_assessment",
        title: "Read a profile's assessment",
        description: "A profile's assessment entries (filter by function/category and status, \
            paginated), coverage, quick answers, optionally each entry's history, or the whole \
            profile as it was at a past date (as_of).",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = GetParams;
    type Output = GetOutput;
    async fn call(call: Call, p: GetParams) -> Result<GetOutput, ToolError> {
        let id = profile_id(&p.profile_id)?;
        let within = prefix(p.within.as_deref())?;
        let statuses: Vec<ImplementationStatus> = p
            .statuses
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let as_of = time_arg("as_of", p.as_of.as_deref())?;
        // The as_of view is one whole page: a cursor there would be silently ignored.
        if as_of.is_some() && p.cursor.is_some() {
            return Err(ToolError::InvalidValue(
                "`cursor` does not apply with `as_of` (that view is not paged): omit it".into(),
            ));
        }
        let req = page(p.limit, p.cursor.as_ref())?;
        let include_history = p.include_history;
        with_store(&call, move |s, _| {
            let profile = s.get_profile(&id)?;
            let (mut entries, next_cursor) = match as_of {
                Some(at) => (s.entries_as_of(&id, at)?, None),
                None => {
                    let filter = EntryFilter {
                        subcategory_prefix: within.clone(),
                        statuses: statuses.clone(),
                    };
                    let Page { items, next_cursor } = s.list_entries(&id, &filter, &req)?;
                    (items, next_cursor)
                }
            };
            if as_of.is_some() {
                entries.retain(|e| {
                    within
                        .as_deref()
                        .is_none_or(|w| e.subcategory_id.starts_with(w))
                        && (statuses.is_empty() || statuses.contains(&e.status))
                });
            }
            let mut history = Vec::new();
            if include_history {
                for e in &entries {
                    let mut cursor = None;
                    loop {
                        let page = s.entry_history(
                            &id,
                            Some(&e.subcategory_id),
                            &csf_store::PageRequest { limit: 200, cursor },
                        )?;
                        history.extend(page.items);
                        match page.next_cursor {
                            Some(c) => cursor = Some(c),
                            None => break,
                        }
                    }
                }
            }
            let assessed = if as_of.is_some() {
                entries.len()
            } else {
                s.list_entries(
                    &id,
                    &EntryFilter::default(),
                    &csf_store::PageRequest::first(csf_store::MAX_PAGE),
                )?
                .items
                .len()
            };
            Ok(GetOutput {
                coverage: Coverage {
                    in_scope: in_scope_count(&profile),
                    assessed,
                },
                quick_answers: s.quick_answers(&id)?,
                profile,
                as_of: as_of.map(|t| t.to_rfc3339()),
                entries,
                history,
                next_cursor,
            })
        })
        .await
    }
}

// ---------------------------------------------------------------- get_assessment_questions

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DimensionParam {
    Implementation,
    Maturity,
    Evidence,
    Ownership,
}

impl From<DimensionParam> for Dimension {
    fn from(d: DimensionParam) -> Dimension {
        match d {
            DimensionParam::Implementation => Dimension::Implementation,
            DimensionParam::Maturity => Dimension::Maturity,
            DimensionParam::Evidence => Dimension::Evidence,
            DimensionParam::Ownership => Dimension::Ownership,
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionsParams {
    /// Only this function (GV, ID, PR, DE, RS, RC).
    pub function: Option<String>,
    /// Only this category (e.g. PR.AA).
    pub category: Option<String>,
    /// Organization size; picks the dimensions asked: small (implementation, evidence),
    /// medium (+ ownership), large / enterprise (all four). Default: all four.
    pub org_size: Option<csf_store::OrgSize>,
    /// Ask exactly these dimensions instead.
    pub dimensions: Option<Vec<DimensionParam>>,
    /// Questions per page, 1–200 (default 50).
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct QuestionView {
    /// Answer with this id in validate_assessment_responses.
    pub id: String,
    pub subcategory: String,
    pub dimension: String,
    pub question: String,
    /// What answers are accepted.
    pub answers: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct QuestionsOutput {
    pub total: usize,
    pub questions: Vec<QuestionView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// How answers become assessment entries.
    pub mapping: String,
}

pub struct GetAssessmentQuestions;
impl CsfTool for GetAssessmentQuestions {
    const META: ToolMeta = ToolMeta {
        name: "get_assessment_questions",
        title: "Assessment questions",
        description: "Assessment questions generated from the CSF 2.0 catalog (implementation, \
            maturity, evidence and ownership per subcategory), filtered by function, category \
            and organization size. Answers map deterministically to assessment entries.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = QuestionsParams;
    type Output = QuestionsOutput;
    async fn call(_: Call, p: QuestionsParams) -> Result<QuestionsOutput, ToolError> {
        let function = p
            .function
            .as_deref()
            .map(|f| {
                Ok::<_, ToolError>(
                    csf_catalog::ids::function(f)
                        .map_err(csf_domain::Error::from)?
                        .id,
                )
            })
            .transpose()?;
        let category = prefix(p.category.as_deref())?;
        if category.as_deref().is_some_and(|c| !c.contains('.')) {
            return Err(ToolError::InvalidValue(
                "`category` takes a category id such as PR.AA".into(),
            ));
        }
        let dims: Vec<Dimension> = match p.dimensions {
            // Each dimension once, in the order given: repeats would only multiply the work
            // (100,000 repeats made 10.6 million questions, 26 s of CPU in a debug build).
            Some(d) if !d.is_empty() => d.into_iter().fold(Vec::new(), |mut seen, x| {
                let x: Dimension = x.into();
                if !seen.contains(&x) {
                    seen.push(x);
                }
                seen
            }),
            _ => Dimension::for_size(p.org_size).to_vec(),
        };
        let all = questions::questions(function, category.as_deref(), &dims);
        let limit = csf_domain::paging::limit(p.limit, 50, 200)?;
        let scope = format!("{function:?}{category:?}{dims:?}");
        let offset = csf_domain::paging::decode(p.cursor.as_deref(), &scope)?;
        let end = offset.saturating_add(limit).min(all.len());
        Ok(QuestionsOutput {
            total: all.len(),
            questions: all
                .get(offset.min(all.len())..end)
                .unwrap_or_default()
                .iter()
                .map(|q| QuestionView {
                    id: q.id.clone(),
                    subcategory: q.subcategory.into(),
                    dimension: q.dimension.as_str().into(),
                    question: q.text.clone(),
                    answers: q.answers.into(),
                })
                .collect(),
            next_cursor: (end < all.len()).then(|| csf_domain::paging::encode(end, &scope)),
            mapping: "implementation -> status; maturity -> maturity; evidence none/documented/\
                      tested -> confidence low/medium/high; ownership -> owner. A subcategory \
                      becomes an entry only with an implementation answer."
                .into(),
        })
    }
}

// ---------------------------------------------------------------- validate_assessment_responses

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseParam {
    /// A question id from get_assessment_questions, e.g. GV.OC-01:implementation.
    pub question_id: String,
    /// The answer: a string for implementation/evidence/ownership, an integer for maturity.
    pub answer: serde_json::Value,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateParams {
    /// 1–1000 answers.
    pub responses: Vec<ResponseParam>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ResponseErrorView {
    /// Index in `responses` (equal to its length for a missing implementation answer).
    pub index: usize,
    pub question_id: String,
    pub message: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ValidateOutput {
    pub valid: bool,
    /// The entries these answers produce; pass them to record_assessment when valid.
    pub entries: Vec<EntryInput>,
    pub errors: Vec<ResponseErrorView>,
}

pub struct ValidateAssessmentResponses;
impl CsfTool for ValidateAssessmentResponses {
    const META: ToolMeta = ToolMeta {
        name: "validate_assessment_responses",
        title: "Check questionnaire answers",
        description: "Validate answers to get_assessment_questions and show the assessment \
            entries they map to (nothing is stored). Every bad answer is reported with what is \
            accepted.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ValidateParams;
    type Output = ValidateOutput;
    async fn call(_: Call, p: ValidateParams) -> Result<ValidateOutput, ToolError> {
        if p.responses.is_empty() || p.responses.len() > 1000 {
            return Err(ToolError::InvalidValue(format!(
                "`responses` has {} items; give 1–1000",
                p.responses.len()
            )));
        }
        let responses: Vec<Response> = p
            .responses
            .into_iter()
            .map(|r| Response {
                question_id: r.question_id,
                answer: r.answer,
            })
            .collect();
        let (entries, errors) = questions::entries_from_responses(&responses);
        Ok(ValidateOutput {
            valid: errors.is_empty(),
            entries,
            errors: errors
                .into_iter()
                .map(|e| ResponseErrorView {
                    index: e.index,
                    question_id: e.question_id,
                    message: e.message,
                })
                .collect(),
        })
    }
}

// ---------------------------------------------------------------- quick_assessment

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuickAnswerParam {
    /// GV, ID, PR, DE, RS or RC.
    pub function: String,
    /// Overall implementation of the function: not_implemented … fully.
    pub status: StatusParam,
    /// Overall maturity 0–5 (optional).
    pub maturity: Option<u8>,
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuickParams {
    pub profile_id: String,
    /// One answer per function (1–6).
    pub answers: Vec<QuickAnswerParam>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct QuickOutput {
    pub profile_id: String,
    /// All of the profile's function-level answers after this call.
    pub answers: Vec<QuickAnswer>,
    pub note: String,
}

pub struct QuickAssessment;
impl CsfTool for QuickAssessment {
    const META: ToolMeta = ToolMeta {
        name: "quick_assessment",
        title: "Quick function-level assessment",
        description: "Store a quick, function-level self-assessment (one status and optional \
            maturity per CSF function). Stored as function-level answers only: it never invents \
            per-subcategory scores.",
        class: ToolClass::Write,
        idempotent: true,
    };
    type Params = QuickParams;
    type Output = QuickOutput;
    async fn call(call: Call, p: QuickParams) -> Result<QuickOutput, ToolError> {
        let id = profile_id(&p.profile_id)?;
        if p.answers.is_empty() || p.answers.len() > 6 {
            return Err(ToolError::InvalidValue(format!(
                "`answers` has {} items; give one per function, 1–6",
                p.answers.len()
            )));
        }
        let mut inputs = Vec::new();
        for (i, a) in p.answers.into_iter().enumerate() {
            let f = csf_catalog::ids::function(&a.function)
                .map_err(|e| ToolError::InvalidValue(format!("answers[{i}].function: {e}")))?
                .id;
            if inputs.iter().any(|x: &QuickAnswerInput| x.function_id == f) {
                return Err(ToolError::InvalidValue(format!(
                    "answers[{i}]: {f} is answered twice"
                )));
            }
            inputs.push(QuickAnswerInput {
                function_id: f.into(),
                status: a.status.into(),
                maturity: a
                    .maturity
                    .map(|m| {
                        Maturity::new(m).map_err(|e| {
                            ToolError::InvalidValue(format!("answers[{i}].maturity: {e}"))
                        })
                    })
                    .transpose()?,
                notes: a.notes,
            });
        }
        let pid = id.clone();
        let answers = with_store(&call, move |s, by| {
            s.record_quick_answers(&pid, &inputs, by)
        })
        .await?;
        Ok(QuickOutput {
            profile_id: id.to_string(),
            answers,
            note: "Stored at function level only. Subcategory entries are recorded separately \
                   (record_assessment); no per-subcategory score is derived from these answers."
                .into(),
        })
    }
}

// ---------------------------------------------------------------- import_assessment

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormatParam {
    Csv,
    Json,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    pub profile_id: String,
    /// csv (header row with columns subcategory_id,status,maturity,priority,owner,target_date,
    /// notes,assessed_by,confidence,evidence_title,evidence_location) or json (an array of
    /// objects with those fields, or {"entries": [...]}).
    pub format: FormatParam,
    /// The file's content itself (not a path), at most 1 MiB.
    pub content: String,
    /// Check everything and report what would change, storing nothing (default false).
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RowErrorView {
    /// 1-based data row (0 for the whole input).
    pub row: usize,
    pub message: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ImportOutput {
    pub profile_id: String,
    pub dry_run: bool,
    /// Rows parsed without error.
    pub rows: usize,
    /// True when the entries were stored (all of them, in one transaction).
    pub stored: bool,
    pub counts: WriteCounts,
    pub written: Vec<EntryWrite>,
    /// Per-row problems; when any exist nothing is stored.
    pub errors: Vec<RowErrorView>,
}

pub struct ImportAssessment;
impl CsfTool for ImportAssessment {
    const META: ToolMeta = ToolMeta {
        name: "import_assessment",
        title: "Import assessment entries (CSV/JSON)",
        description: "Import assessment entries from CSV or JSON given as content (never a file \
            path). Every row is validated; any bad row means nothing is stored and each error \
            names its row. dry_run reports what would change without storing.",
        class: ToolClass::Write,
        idempotent: true,
    };
    type Params = ImportParams;
    type Output = ImportOutput;
    async fn call(call: Call, p: ImportParams) -> Result<ImportOutput, ToolError> {
        let id = profile_id(&p.profile_id)?;
        let format = match p.format {
            FormatParam::Csv => Format::Csv,
            FormatParam::Json => Format::Json,
        };
        let (entries, errors) = import::parse(&p.content, format);
        let errors: Vec<RowErrorView> = errors
            .into_iter()
            .map(|e| RowErrorView {
                row: e.row,
                message: e.message,
            })
            .collect();
        if !errors.is_empty() {
            if p.dry_run {
                return Ok(ImportOutput {
                    profile_id: id.to_string(),
                    dry_run: true,
                    rows: entries.len(),
                    stored: false,
                    counts: counts(&[]),
                    written: Vec::new(),
                    errors,
                });
            }
            let listed: Vec<String> = errors
                .iter()
                .take(20)
                .map(|e| format!("row {}: {}", e.row, e.message))
                .collect();
            return Err(ToolError::InvalidValue(format!(
                "nothing imported: {} row error(s). {}{}",
                errors.len(),
                listed.join("; "),
                if errors.len() > 20 { "; …" } else { "" }
            )));
        }
        let rows = entries.len();
        let pid = id.clone();
        let dry_run = p.dry_run;
        let written = with_store(&call, move |s, by| {
            write_in_scope(s, by, &pid, &entries, dry_run)
        })
        .await?;
        Ok(ImportOutput {
            profile_id: id.to_string(),
            dry_run,
            rows,
            stored: !dry_run,
            counts: counts(&written),
            written,
            errors: Vec::new(),
        })
    }
}
