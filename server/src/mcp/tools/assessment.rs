//! Assessment entries: record (one or a batch), read (filters, paging, as of a date), the
//! question bank, answer validation, function-level quick answers, imports.

use csf_domain::assessment::entries::{ImportOutput, ImportRequest, RecordOutput, RecordRequest};
use csf_domain::assessment::questionnaire::{
    list_questions, validate_responses, QuestionsOutput, QuestionsRequest, ValidateOutput,
    ValidateRequest,
};
use csf_domain::assessment::quick::{QuickOutput, QuickRequest};
use csf_domain::assessment::read::{GetOutput, GetRequest};

use crate::mcp::error::ToolError;
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

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
    type Params = RecordRequest;
    type Output = RecordOutput;
    async fn call(call: Call, p: RecordRequest) -> Result<RecordOutput, ToolError> {
        Ok(call.service.record_assessment(&call.actor, p).await?)
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
    type Params = GetRequest;
    type Output = GetOutput;
    async fn call(call: Call, p: GetRequest) -> Result<GetOutput, ToolError> {
        Ok(call.service.get_assessment(p).await?)
    }
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
    type Params = QuestionsRequest;
    type Output = QuestionsOutput;
    async fn call(_: Call, p: QuestionsRequest) -> Result<QuestionsOutput, ToolError> {
        Ok(list_questions(p)?)
    }
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
    type Params = ValidateRequest;
    type Output = ValidateOutput;
    async fn call(_: Call, p: ValidateRequest) -> Result<ValidateOutput, ToolError> {
        Ok(validate_responses(p)?)
    }
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
    type Params = QuickRequest;
    type Output = QuickOutput;
    async fn call(call: Call, p: QuickRequest) -> Result<QuickOutput, ToolError> {
        Ok(call.service.quick_assessment(&call.actor, p).await?)
    }
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
    type Params = ImportRequest;
    type Output = ImportOutput;
    async fn call(call: Call, p: ImportRequest) -> Result<ImportOutput, ToolError> {
        Ok(call.service.import_assessment(&call.actor, p).await?)
    }
}
