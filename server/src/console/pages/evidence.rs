//! An organization's evidence register: its items, the stale ones, outcomes claimed as
//! implemented without evidence, unused items; registering an item and linking it to a
//! subcategory of a profile.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use csf_domain::evidence::{EvidenceIdRequest, EvidenceRegisterRequest};
use csf_store::EvidenceItem;
use maud::{html, Markup};
use serde_json::json;

use super::super::access::Posted;
use super::super::layout::{domain_error, lookup_error, page, PageResult, Viewer};
use super::super::render::enc;
use super::super::Ui;
use super::write::{write, Call};

const KINDS: [&str; 9] = [
    "policy",
    "procedure",
    "configuration",
    "log",
    "report",
    "screenshot",
    "attestation",
    "ticket",
    "other",
];
const SENSITIVITIES: [&str; 4] = ["public", "internal", "confidential", "restricted"];

/// A serde enum value as its wire name.
fn wire<T: serde::Serialize>(v: &T) -> String {
    json!(v).as_str().unwrap_or_default().to_string()
}

fn item_href(id: &str) -> String {
    format!("/ui/evidence/{}", enc(id))
}

fn items_table(items: &[EvidenceItem]) -> Markup {
    html! {
        table {
            thead { tr {
                th scope="col" { "Title" } th scope="col" { "Kind" }
                th scope="col" { "Location / SHA-256" } th scope="col" { "Owner" }
                th scope="col" { "Collected" } th scope="col" { "Review by" }
                th scope="col" { "Sensitivity" } th scope="col" { "Links" }
            } }
            tbody {
                @for i in items {
                    tr {
                        td { a href=(item_href(&i.id.to_string())) { (i.title) } }
                        td { (wire(&i.kind)) }
                        td {
                            @if let Some(l) = &i.location { (l) }
                            @if let Some(h) = &i.sha256 { br; code { "sha256:" (h) } }
                        }
                        td { (i.owner.as_deref().unwrap_or("—")) }
                        td { (i.collected_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())) }
                        td { (i.review_by.map(|d| d.to_string()).unwrap_or_else(|| "—".into())) }
                        td { (wire(&i.sensitivity)) }
                        td {
                            @if i.links.is_empty() { "none" }
                            @for l in &i.links {
                                a href={ "/ui/profiles/" (enc(&l.profile_id.to_string())) "/entries/" (enc(&l.subcategory_id)) } { (l.subcategory_id) }
                                " "
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(crate) async fn register(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(org): Path<String>,
) -> PageResult {
    let doc = super::organization_doc(&ui, &viewer, &org).await?;
    let req = EvidenceRegisterRequest {
        org_id: org.clone(),
        as_of: None,
        profile_id: None,
    };
    let reg = ui
        .service
        .evidence_register(req)
        .await
        .map_err(|e| domain_error(&viewer, &e))?;
    let oid = enc(&doc.organization.id.to_string());
    let body = html! {
        p.muted { "Organization " a href={ "/ui/orgs/" (oid) } { (doc.organization.name) }
            " · judged as of " (reg.as_of) }
        h2 { "Items" }
        @if reg.items.is_empty() { p { "No evidence registered yet." } }
        @else { (items_table(&reg.items)) }
        h2 { "Stale (past their review-by date)" }
        @if reg.stale.is_empty() { p { "None." } }
        @else {
            ul { @for s in &reg.stale {
                li { a href=(item_href(&s.evidence_id)) { (s.title) } " — review by " (s.review_by)
                    ", " (s.days_overdue) " days overdue, " (s.links) " links" }
            } }
        }
        h2 { "Claimed as implemented without evidence" }
        @if reg.implemented_without_evidence.is_empty() { p { "None." } }
        @else {
            ul { @for m in &reg.implemented_without_evidence {
                li { a href={ "/ui/profiles/" (enc(&m.profile_id)) "/entries/" (enc(&m.subcategory_id)) } { (m.subcategory_id) }
                    " (" (wire(&m.status)) ") in profile " code { (m.profile_id) }
                    @if m.inline_references > 0 { " — " (m.inline_references) " references in the entry's notes" } }
            } }
        }
        h2 { "Unused (supporting no recorded entry)" }
        @if reg.unused.is_empty() { p { "None." } }
        @else {
            ul { @for u in &reg.unused {
                li { a href=(item_href(&u.evidence_id)) { (u.title) }
                    @if u.dangling_links > 0 { " — " (u.dangling_links) " links to unrecorded entries" } }
            } }
        }
        details { summary { "How these lists are computed" } ul { @for c in &reg.criteria { li { (c) } } } }
        @if viewer.can_write() {
            h2 { "Register an item" }
            form.stack method="post" action={ "/ui/orgs/" (oid) "/evidence" } {
                (viewer.csrf_field())
                label for="title" { "Title" }
                input #title name="title" required maxlength="200";
                label for="ekind" { "Kind" }
                select #ekind name="kind" { @for k in KINDS { option value=(k) { (k) } } }
                label for="location" { "Location (URL or document reference; never a local path)" }
                input #location name="location" maxlength="2000";
                label for="sha256" { "SHA-256 (optional if a location is given)" }
                input #sha256 name="sha256" maxlength="71";
                label for="eowner" { "Owner (optional)" }
                input #eowner name="owner" maxlength="200";
                label for="collected_on" { "Collected on (optional)" }
                input #collected_on type="date" name="collected_on";
                label for="review_by" { "Review by (optional)" }
                input #review_by type="date" name="review_by";
                label for="sensitivity" { "Sensitivity" }
                select #sensitivity name="sensitivity" {
                    @for s in SENSITIVITIES { option value=(s) selected[s == "internal"] { (s) } }
                }
                button type="submit" { "Register evidence" }
            }
        }
    };
    Ok(page(
        &format!("Evidence of {}", doc.organization.name),
        &viewer,
        body,
    ))
}

pub(crate) async fn create(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(org): Path<String>,
    Extension(form): Posted,
) -> Response {
    let mut args = json!({
        "org_id": org,
        "title": form.get("title").unwrap_or_default(),
        "kind": form.get("kind").unwrap_or_default(),
    });
    for field in [
        "location",
        "sha256",
        "owner",
        "collected_on",
        "review_by",
        "sensitivity",
    ] {
        if let (Some(v), Some(map)) = (form.get(field), args.as_object_mut()) {
            map.insert(field.into(), json!(v));
        }
    }
    let valid = format!(
        "; kind is one of {}, sensitivity one of {}",
        KINDS.join(", "),
        SENSITIVITIES.join(", ")
    );
    write(
        &ui,
        &viewer,
        Call::new("create_evidence", args).valid(valid).org(&org),
        |svc, a, r| async move { svc.create_evidence(&a, r).await },
        |item| item_href(&item.id.to_string()),
    )
    .await
}

pub(crate) async fn item(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> PageResult {
    let item = ui
        .service
        .get_evidence(EvidenceIdRequest {
            evidence_id: id.clone(),
        })
        .await
        .map_err(|e| lookup_error(&viewer, &e))?;
    let org = ui
        .service
        .organization_doc(&item.org_id.to_string())
        .await
        .map_err(|e| domain_error(&viewer, &e))?;
    let oid = enc(&org.organization.id.to_string());
    let body = html! {
        p.muted { "Evidence register of " a href={ "/ui/orgs/" (oid) "/evidence" } { (org.organization.name) } }
        (items_table(std::slice::from_ref(&item)))
        p.muted { "Registered by " (item.created_by) " at " (item.created_at.to_string())
            "; last changed by " (item.updated_by) }
        @if viewer.can_write() {
            h2 { "Link to a subcategory of a profile" }
            @if org.profiles.is_empty() { p { "The organization has no profile yet." } }
            @else {
                form.stack method="post" action={ (item_href(&item.id.to_string())) "/link" } {
                    (viewer.csrf_field())
                    label for="lprofile" { "Profile" }
                    select #lprofile name="profile_id" required {
                        @for p in &org.profiles { option value=(p.id) { (p.name) } }
                    }
                    label for="lsub" { "Subcategory (e.g. GV.OC-01)" }
                    input #lsub name="subcategory_id" required maxlength="20";
                    button type="submit" { "Link evidence" }
                }
            }
        }
    };
    Ok(page(&item.title, &viewer, body))
}

pub(crate) async fn link(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    Extension(form): Posted,
) -> Response {
    let profile = form.get("profile_id").unwrap_or_default();
    let sub = form.get("subcategory_id").unwrap_or_default();
    let args = json!({ "evidence_id": id, "profile_id": profile, "subcategory_ids": [sub] });
    write(
        &ui,
        &viewer,
        Call::new("link_evidence", args).profile(&profile),
        |svc, a, r| async move { svc.link_evidence(&a, r).await },
        |item| item_href(&item.id.to_string()),
    )
    .await
}
