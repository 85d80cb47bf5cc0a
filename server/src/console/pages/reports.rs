//! Reports of a profile: choose the kind and a Target, view the HTML report (printable on A4),
//! download it as Markdown, HTML or JSON, or export the entries as CSV, JSON or OSCAL.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use csf_domain::{ExportRequest, RenderedReport, ReportRequest};
use csf_store::ProfileKind;
use http::{header, HeaderValue, StatusCode};
use maud::html;
use serde_json::json;

use super::super::layout::{domain_error, page, PageResult, Viewer};
use super::super::render::enc;
use super::super::Ui;

const KINDS: [(&str, &str); 4] = [
    ("executive", "Executive summary"),
    ("technical", "Technical (needs a Target)"),
    ("audit", "Audit (every entry)"),
    ("progress", "Progress (needs a plan)"),
];

/// What a download link may ask for: (format, label).
const DOWNLOADS: [(&str, &str); 6] = [
    ("markdown", "Report as Markdown"),
    ("html", "Report as HTML"),
    ("json", "Report data as JSON"),
    ("csv", "Entries as CSV"),
    ("entries-json", "Entries as JSON"),
    ("oscal", "Entries as OSCAL assessment results"),
];

fn param(q: &HashMap<String, String>, k: &str) -> Option<String> {
    q.get(k)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub(crate) async fn index(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(profile): Path<String>,
    uri: http::Uri,
) -> PageResult {
    let q = super::super::form::query(&uri);
    let (doc, org) = super::profile_with_org(&ui, &viewer, &profile).await?;
    let kind = param(&q, "kind").unwrap_or_else(|| "executive".into());
    let target = param(&q, "target");
    let pid = enc(&doc.profile.id.to_string());
    let query = {
        let mut s = format!("kind={}", enc(&kind));
        if let Some(t) = &target {
            s.push_str(&format!("&target={}", enc(t)));
        }
        s
    };
    let body = html! {
        p.muted { "Profile " a href={ "/ui/profiles/" (pid) } { (doc.profile.name) } }
        form.stack method="get" action={ "/ui/profiles/" (pid) "/reports" } {
            label for="kind" { "Kind" }
            select #kind name="kind" {
                @for (v, l) in KINDS { option value=(v) selected[kind == v] { (l) } }
            }
            label for="target" { "Target profile" }
            select #target name="target" {
                option value="" { "none" }
                @for p in org.profiles.iter().filter(|p| p.kind == ProfileKind::Target) {
                    option value=(p.id) selected[target.as_deref() == Some(&p.id.to_string())] { (p.name) }
                }
            }
            button type="submit" { "Choose" }
        }
        h2 { "Open" }
        p { a href={ "/ui/profiles/" (pid) "/reports/view?" (query) } { "View the report (printable)" } }
        h2 { "Download" }
        ul { @for (f, l) in DOWNLOADS {
            li { a href={ "/ui/profiles/" (pid) "/reports/download?" (query) "&format=" (f) } download { (l) } }
        } }
    };
    Ok(page("Reports", &viewer, body))
}

async fn report(
    ui: &Ui,
    profile: &str,
    q: &HashMap<String, String>,
    format: &str,
) -> Result<RenderedReport, csf_domain::Error> {
    let req: ReportRequest = serde_json::from_value(json!({
        "kind": param(q, "kind").unwrap_or_else(|| "executive".into()),
        "format": format,
        "profile_id": profile,
        "target_profile_id": param(q, "target"),
    }))
    .map_err(|e| {
        csf_domain::Error::Invalid(format!("{e}; kinds: executive, technical, audit, progress"))
    })?;
    ui.service.render_report(req).await
}

/// The HTML report as its own page. It carries its own stylesheet inline, so its policy
/// allows exactly that stylesheet (by hash) and no script at all.
pub(crate) async fn view(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(profile): Path<String>,
    uri: http::Uri,
) -> PageResult {
    let q = super::super::form::query(&uri);
    let rendered = report(&ui, &profile, &q, "html")
        .await
        .map_err(|e| domain_error(&viewer, &e))?;
    let style_hash = style_hash(&rendered.content);
    let mut r = (StatusCode::OK, rendered.content).into_response();
    let csp = format!(
        "default-src 'none'; style-src {style_hash}; img-src data:; form-action 'none'; \
         frame-ancestors 'none'; base-uri 'none'"
    );
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    Ok(r)
}

/// `'sha256-…'` of the document's first `<style>` block, or `'none'` when it has none.
fn style_hash(doc: &str) -> String {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let style = doc
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map(|(s, _)| s);
    match style {
        Some(s) => format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
        ),
        None => "'none'".into(),
    }
}

fn attachment(content: String, media: &'static str, filename: &str) -> Response {
    let mut r = (StatusCode::OK, content).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

pub(crate) async fn download(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(profile): Path<String>,
    uri: http::Uri,
) -> Response {
    let q = super::super::form::query(&uri);
    let format = param(&q, "format").unwrap_or_default();
    let kind: String = param(&q, "kind")
        .unwrap_or_else(|| "executive".into())
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let (report_format, media, ext) = match format.as_str() {
        "markdown" => ("markdown", "text/markdown; charset=utf-8", "md"),
        "html" => ("html", "text/html; charset=utf-8", "html"),
        "json" => ("json", "application/json", "json"),
        "csv" | "entries-json" | "oscal" => {
            let export_format = if format == "entries-json" {
                "json"
            } else {
                format.as_str()
            };
            let req: Result<ExportRequest, _> = serde_json::from_value(json!({
                "profile_id": profile, "format": export_format,
            }));
            let out = match req {
                Ok(req) => ui.service.export_data(req).await,
                Err(e) => Err(csf_domain::Error::Invalid(e.to_string())),
            };
            return match out {
                Ok(out) => {
                    let (media, ext) = match format.as_str() {
                        "csv" => ("text/csv; charset=utf-8", "csv"),
                        "oscal" => ("application/json", "oscal.json"),
                        _ => ("application/json", "entries.json"),
                    };
                    attachment(out.content, media, &format!("profile-entries.{ext}"))
                }
                Err(e) => domain_error(&viewer, &e),
            };
        }
        other => {
            return domain_error(
                &viewer,
                &csf_domain::Error::Invalid(format!(
                    "unknown format `{other}`; use markdown, html, json, csv, entries-json or oscal"
                )),
            )
        }
    };
    match report(&ui, &profile, &q, report_format).await {
        Ok(r) => attachment(r.content, media, &format!("{kind}-report.{ext}")),
        Err(e) => domain_error(&viewer, &e),
    }
}
