//! Organizations and their profiles: list and create.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use maud::html;
use serde_json::json;

use super::super::access::Posted;
use super::super::layout::{domain_error, page, PageResult, Viewer};
use super::super::render::enc;
use super::super::Ui;
use super::write::{write, Call};

pub(crate) async fn home(State(ui): State<Ui>, Extension(viewer): Extension<Viewer>) -> PageResult {
    let req = csf_domain::orgs::ListOrganizations {
        limit: Some(200),
        cursor: None,
    };
    let orgs = ui
        .service
        .list_organizations(req)
        .await
        .map_err(|e| domain_error(&viewer, &e))?;
    Ok(page(
        "Organizations",
        &viewer,
        html! {
            @if orgs.organizations.is_empty() { p { "No organization yet." } }
            @else {
                table {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Sector" } th scope="col" { "Size" } } }
                    tbody {
                        @for o in &orgs.organizations {
                            tr {
                                td { a href={ "/ui/orgs/" (enc(&o.id.to_string())) } { (o.name) } }
                                td { (o.sector.as_deref().unwrap_or("—")) }
                                td { (o.size.map(|s| format!("{s:?}").to_lowercase()).unwrap_or_else(|| "—".into())) }
                            }
                        }
                    }
                }
            }
            @if viewer.can_write() {
                h2 { "New organization" }
                form.stack method="post" action="/ui/" {
                    (viewer.csrf_field())
                    label for="name" { "Name" }
                    input #name name="name" required maxlength="200";
                    label for="sector" { "Sector (optional)" }
                    input #sector name="sector" maxlength="200";
                    label for="size" { "Size" }
                    select #size name="size" {
                        option value="" { "not stated" }
                        @for s in ["small", "medium", "large", "enterprise"] { option value=(s) { (s) } }
                    }
                    button type="submit" { "Create organization" }
                }
            }
        },
    ))
}

pub(crate) async fn create_org(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Extension(form): Posted,
) -> Response {
    let args = json!({
        "name": form.get("name").unwrap_or_default(),
        "sector": form.get("sector"),
        "size": form.get("size"),
    });
    write(
        &ui,
        &viewer,
        Call::new("create_organization", args).about("size"),
        |svc, a, r| async move { svc.create_organization(&a, r).await },
        |out| format!("/ui/orgs/{}", enc(&out.organization.id.to_string())),
    )
    .await
}

pub(crate) async fn organization(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(org): Path<String>,
) -> PageResult {
    let doc = super::organization_doc(&ui, &viewer, &org).await?;
    let o = &doc.organization;
    Ok(page(
        &o.name,
        &viewer,
        html! {
            p.muted { "Organization " code { (o.id) } @if let Some(s) = &o.sector { " · " (s) } }
            p { a href={ "/ui/audit?org=" (enc(&o.id.to_string())) } { "Audit trail of this organization" }
                " · " a href={ "/ui/orgs/" (enc(&o.id.to_string())) "/evidence" } { "Evidence register" } }
            h2 { "Profiles" }
            @if doc.profiles.is_empty() { p { "No profile yet." } }
            @else {
                table {
                    thead { tr { th scope="col" { "Profile" } th scope="col" { "Kind" } th scope="col" { "Archived" } } }
                    tbody {
                        @for p in &doc.profiles {
                            tr {
                                td { a href={ "/ui/profiles/" (enc(&p.id.to_string())) } { (p.name) } }
                                td { (format!("{:?}", p.kind).to_lowercase()) }
                                td { @if p.archived { "yes" } @else { "no" } }
                            }
                        }
                    }
                }
            }
            @if viewer.can_write() {
                h2 { "New profile" }
                form.stack method="post" action={ "/ui/orgs/" (enc(&o.id.to_string())) } {
                    (viewer.csrf_field())
                    label for="pname" { "Name" }
                    input #pname name="name" required maxlength="200";
                    label for="kind" { "Kind" }
                    select #kind name="kind" {
                        option value="current" { "current (where you are)" }
                        option value="target" { "target (where you want to be)" }
                        option value="community" { "community" }
                    }
                    button type="submit" { "Create profile" }
                }
            }
        },
    ))
}

pub(crate) async fn create_profile(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(org): Path<String>,
    Extension(form): Posted,
) -> Response {
    let args = json!({
        "org_id": org,
        "name": form.get("name").unwrap_or_default(),
        "kind": form.get("kind").unwrap_or_else(|| "current".into()),
    });
    let call = Call::new("create_profile", args)
        .about("kind")
        .valid("; use current, target or community")
        .org(&org);
    write(
        &ui,
        &viewer,
        call,
        |svc, a, r| async move { svc.create_profile(&a, r).await },
        |out| format!("/ui/profiles/{}", enc(&out.profile.id.to_string())),
    )
    .await
}
