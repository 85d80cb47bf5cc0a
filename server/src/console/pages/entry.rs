//! Recording or editing one entry of a profile.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use csf_domain::assessment::entries::RecordRequest;
use maud::html;
use serde_json::{json, Map, Value};

use super::super::access::Posted;
use super::super::layout::{domain_error, page, PageResult, Viewer};
use super::super::render::enc;
use super::super::Ui;
use super::write::{write, Call};

const STATUSES: [(&str, &str); 5] = [
    ("not_implemented", "Not implemented"),
    ("partially", "Partially"),
    ("largely", "Largely"),
    ("fully", "Fully"),
    ("not_applicable", "Not applicable"),
];

pub(crate) async fn show(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path((profile, sub)): Path<(String, String)>,
) -> PageResult {
    let doc = super::profile_doc(&ui, &viewer, &profile).await?;
    let element =
        csf_domain::framework::element_doc(&sub).map_err(|e| domain_error(&viewer, &e))?;
    let entry = doc.entries.iter().find(|e| e.subcategory_id == sub);
    let current = entry.map(|e| json!(e.status).as_str().unwrap_or("").to_string());
    let maturity = entry.and_then(|e| e.maturity).map(|m| json!(m).to_string());
    let pid = enc(&doc.profile.id.to_string());
    let body = html! {
        p.muted { "Profile " a href={ "/ui/profiles/" (pid) } { (doc.profile.name) } " · "
            a href={ "/ui/framework/" (enc(&sub)) } { "about " (sub) } }
        details { summary { "What this subcategory asks" } (super::super::render::tree(&json!(element))) }
        @if let Some(e) = entry {
            p { "Recorded: " strong { (e.status.label()) } " (version " (e.version) ", by " (e.updated_by) ")" }
        } @else { p { "Not recorded yet." } }
        @if viewer.can_write() {
            form.stack method="post" action={ "/ui/profiles/" (pid) "/entries/" (enc(&sub)) } {
                (viewer.csrf_field())
                label for="status" { "Status" }
                select #status name="status" required {
                    @for (v, l) in STATUSES { option value=(v) selected[current.as_deref() == Some(v)] { (l) } }
                }
                label for="maturity" { "Maturity (1–5, optional)" }
                select #maturity name="maturity" {
                    option value="" { "not stated" }
                    @for m in 1..=5 { option value=(m) selected[maturity.as_deref() == Some(&m.to_string())] { (m) } }
                }
                label for="priority" { "Priority (optional)" }
                select #priority name="priority" {
                    option value="" { "not stated" }
                    @for p in ["high", "medium", "low"] { option value=(p) selected[entry.and_then(|e| e.priority).map(|x| json!(x)) == Some(json!(p))] { (p) } }
                }
                label for="owner" { "Owner (optional)" }
                input #owner name="owner" maxlength="200" value=(entry.and_then(|e| e.owner.clone()).unwrap_or_default());
                label for="notes" { "Notes (optional)" }
                textarea #notes name="notes" rows="4" { (entry.and_then(|e| e.notes.clone()).unwrap_or_default()) }
                button type="submit" { "Save entry" }
            }
        }
    };
    Ok(page(&format!("Entry {sub}"), &viewer, body))
}

pub(crate) async fn record(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path((profile, sub)): Path<(String, String)>,
    Extension(form): Posted,
) -> Response {
    let mut entry = Map::new();
    entry.insert("subcategory_id".into(), json!(sub));
    entry.insert("status".into(), json!(form.get("status")));
    let maturity = form.get("maturity").map(|m| m.parse::<u8>().map_err(|_| m));
    match maturity {
        Some(Ok(m)) => {
            entry.insert("maturity".into(), json!(m));
        }
        Some(Err(m)) => {
            return domain_error(
                &viewer,
                &csf_domain::Error::Invalid(format!("maturity `{m}`: use a whole number 1–5")),
            )
        }
        None => {}
    }
    for field in ["priority", "owner", "notes"] {
        if let Some(v) = form.get(field) {
            entry.insert(field.into(), json!(v));
        }
    }
    let args = json!({ "profile_id": profile, "entries": [Value::Object(entry)] });
    let back = format!("/ui/profiles/{}", enc(&profile));
    write(
        &ui,
        &viewer,
        Call::new("record_assessment", args).profile(&profile),
        |svc, a, r: RecordRequest| async move { svc.record_assessment(&a, r).await },
        move |_| back,
    )
    .await
}
