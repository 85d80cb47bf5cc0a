//! One module per area of the console; each page parses its input, calls the domain service
//! and renders the answer.

pub(crate) mod audit;
pub(crate) mod campaigns;
pub(crate) mod dashboard;
pub(crate) mod entry;
pub(crate) mod evidence;
pub(crate) mod framework;
pub(crate) mod orgs;
pub(crate) mod reports;
mod write;

use axum::response::Response;
use axum::Extension;
use http::StatusCode;

use super::layout::{domain_error, error_page, lookup_error, Viewer};
use super::Ui;

/// Any `/ui/…` path that names no page.
pub(crate) async fn not_found(Extension(viewer): Extension<Viewer>) -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        Some(&viewer),
        "There is no such page.",
    )
}

/// A profile with its organization, as the pages about one profile open: an unknown profile is
/// the 404 page, a failure reading its organization the error page.
pub(crate) async fn profile_with_org(
    ui: &Ui,
    viewer: &Viewer,
    profile: &str,
) -> Result<
    (
        csf_domain::orgs::ProfileDoc,
        csf_domain::orgs::OrganizationDoc,
    ),
    Response,
> {
    let doc = profile_doc(ui, viewer, profile).await?;
    let org = ui
        .service
        .organization_doc(&doc.profile.org_id.to_string())
        .await
        .map_err(|e| domain_error(viewer, &e))?;
    Ok((doc, org))
}

/// The profile a URL names; an unknown one is the 404 page.
pub(crate) async fn profile_doc(
    ui: &Ui,
    viewer: &Viewer,
    profile: &str,
) -> Result<csf_domain::orgs::ProfileDoc, Response> {
    let doc = ui.service.profile_doc(profile).await;
    doc.map_err(|e| lookup_error(viewer, &e))
}

/// The organization a URL names; an unknown one is the 404 page.
pub(crate) async fn organization_doc(
    ui: &Ui,
    viewer: &Viewer,
    org: &str,
) -> Result<csf_domain::orgs::OrganizationDoc, Response> {
    let doc = ui.service.organization_doc(org).await;
    doc.map_err(|e| lookup_error(viewer, &e))
}
