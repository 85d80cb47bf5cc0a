//! Documents built from stored assessments: reports (Markdown, JSON, self-contained HTML),
//! exports (JSON, CSV, OSCAL assessment-results) and policy templates. Everything is returned
//! as content; nothing is written to a path the caller chooses. Thin adapters over the domain.

use csf_domain::{
    policy_template, ExportOutput, ExportRequest, PolicyParams, PolicyTemplate, ReportOutput,
    ReportRequest,
};
use rmcp::model::{ContentBlock, Resource, ResourceContents};

use crate::mcp::error::ToolError;
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

pub struct GenerateReport;
impl CsfTool for GenerateReport {
    const META: ToolMeta = ToolMeta {
        name: "generate_report",
        title: "Generate a report",
        description: "An executive, technical, audit or progress report of a profile (with a \
            Target for gaps, risk and the priority matrix) as Markdown, JSON or one self-contained \
            HTML page with inline SVG charts (function radar, gap heat map, progress bars) that \
            prints on A4. The progress report needs a stored plan (plan_id). The document is \
            kept and comes back as an embedded resource with its MIME type, beside a short \
            summary; read it again later as the resource csf://report/{id}. One over 200 KB is \
            linked, not embedded: read its uri. Every report ends with the methods and \
            assumptions of its figures. Keeping the document is a write (audited).",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = ReportRequest;
    type Output = ReportOutput;
    async fn call(call: Call, p: ReportRequest) -> Result<ReportOutput, ToolError> {
        Ok(call.service.generate_report(&call.actor, p).await?)
    }
    fn attachments(out: &ReportOutput) -> Vec<ContentBlock> {
        let mime = out.media_type.as_str();
        if out.embedded {
            vec![ContentBlock::resource(
                ResourceContents::text(out.content.clone(), out.uri.clone()).with_mime_type(mime),
            )]
        } else {
            vec![ContentBlock::resource_link(
                Resource::new(out.uri.clone(), out.document_id.clone())
                    .with_title(out.title.clone())
                    .with_mime_type(mime)
                    .with_size(u64::try_from(out.bytes).unwrap_or(u64::MAX)),
            )]
        }
    }
}

pub struct ExportData;
impl CsfTool for ExportData {
    const META: ToolMeta = ToolMeta {
        name: "export_data",
        title: "Export assessment data",
        description: "A profile's entries as JSON, CSV (RFC 4180, formula-safe cells) or an OSCAL \
            1.1.3 assessment-results document (one observation per entry, one finding per \
            applicable entry: fully = satisfied, else not-satisfied; reproducible UUIDs); or the \
            gap rows against a Target as JSON or CSV. Returned as content, never written to a \
            path.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ExportRequest;
    type Output = ExportOutput;
    async fn call(call: Call, p: ExportRequest) -> Result<ExportOutput, ToolError> {
        Ok(call.service.export_data(p).await?)
    }
}

pub struct GeneratePolicyTemplate;
impl CsfTool for GeneratePolicyTemplate {
    const META: ToolMeta = ToolMeta {
        name: "generate_policy_template",
        title: "Policy template for subcategories",
        description: "A policy outline for 1–30 subcategories: each section carries the CSF \
            outcome and its implementation examples (informative) and headings to complete \
            (statement, scope, roles, procedures, evidence, measures, exceptions). Clearly marked \
            as a template, not an adopted policy; also returned as Markdown.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = PolicyParams;
    type Output = PolicyTemplate;
    async fn call(_call: Call, p: PolicyParams) -> Result<PolicyTemplate, ToolError> {
        Ok(policy_template(&p)?)
    }
}
