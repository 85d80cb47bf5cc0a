//! The audit trail, newest first, with filters.

use axum::extract::State;
use axum::Extension;
use csf_domain::admin::AuditRequest;
use maud::html;
use serde_json::Value;

use super::super::layout::{domain_error, page, PageResult, Viewer};
use super::super::render::enc;
use super::super::Ui;

const FILTERS: [(&str, &str); 6] = [
    ("org", "Organization (org_…)"),
    ("profile", "Profile (prof_…)"),
    ("principal", "Principal"),
    ("tool", "Operation"),
    ("since", "Since (RFC 3339)"),
    ("until", "Until (RFC 3339)"),
];

pub(crate) async fn trail(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    uri: http::Uri,
) -> PageResult {
    let query = super::super::form::query(&uri);
    let get = |k: &str| {
        query
            .get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let req = AuditRequest {
        org_id: get("org"),
        profile_id: get("profile"),
        principal: get("principal"),
        tool: get("tool"),
        since: get("since"),
        until: get("until"),
        limit: Some(100),
        cursor: get("cursor"),
    };
    let out = ui
        .service
        .audit_trail(req)
        .await
        .map_err(|e| domain_error(&viewer, &e))?;
    let rows: Vec<Value> = out.records.iter().map(|r| serde_json::json!(r)).collect();
    let columns: Vec<String> = rows
        .first()
        .and_then(|r| r.as_object())
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let cell = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let next = out.next_cursor.as_ref().map(|c| {
        let mut q: Vec<String> = FILTERS
            .iter()
            .filter_map(|(k, _)| get(k).map(|v| format!("{}={}", k, enc(&v))))
            .collect();
        q.push(format!("cursor={}", enc(c)));
        format!("/ui/audit?{}", q.join("&"))
    });
    let body = html! {
        form method="get" action="/ui/audit" {
            fieldset {
                legend { "Filters" }
                @for (k, label) in FILTERS {
                    label for=(k) { (label) }
                    input id=(k) name=(k) value=(get(k).unwrap_or_default()) maxlength="200";
                }
                button type="submit" { "Filter" }
            }
        }
        @if rows.is_empty() { p { "No audited call matches." } }
        @else {
            table {
                thead { tr { @for c in &columns { th scope="col" { (c.replace('_', " ")) } } } }
                tbody { @for r in &rows { tr { @for c in &columns { td { (cell(r.get(c))) } } } } }
            }
        }
        @if let Some(n) = next { p { a href=(n) { "Older calls" } } }
    };
    Ok(page("Audit trail", &viewer, body))
}
