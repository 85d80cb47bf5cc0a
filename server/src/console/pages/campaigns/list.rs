//! A profile's campaigns, and the form that creates one.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use csf_domain::campaigns::ListCampaignsRequest;
use maud::html;
use serde_json::{json, Value};

use super::{campaign_href, write, Call};
use crate::console::access::Posted;
use crate::console::layout::{domain_error, page, PageResult, Viewer};
use crate::console::render::enc;
use crate::console::Ui;

const FUNCTIONS: [&str; 6] = ["GV", "ID", "PR", "DE", "RS", "RC"];

fn split_ids(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

pub(crate) async fn index(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(profile): Path<String>,
) -> PageResult {
    let doc = super::super::profile_doc(&ui, &viewer, &profile).await?;
    let list = ui
        .service
        .list_campaigns(ListCampaignsRequest {
            profile_id: Some(profile.clone()),
            limit: Some(200),
            cursor: None,
        })
        .await
        .map_err(|e| domain_error(&viewer, &e))?;
    let pid = enc(&doc.profile.id.to_string());
    let body = html! {
        p.muted { "Profile " a href={ "/ui/profiles/" (pid) } { (doc.profile.name) } }
        @if list.campaigns.is_empty() { p { "No campaign yet." } }
        @else {
            table {
                thead { tr { th scope="col" { "Campaign" } th scope="col" { "State" } th scope="col" { "Version" } th scope="col" { "Updated" } } }
                tbody { @for c in &list.campaigns {
                    tr {
                        td { a href=(campaign_href(&c.campaign_id)) { (c.name) } }
                        td { (c.state) } td { (c.version) } td { (c.updated_at.to_string()) }
                    }
                } }
            }
        }
        @if viewer.can_write() {
            h2 { "New campaign" }
            form.stack method="post" action={ "/ui/profiles/" (pid) "/campaigns" } {
                (viewer.csrf_field())
                label for="cname" { "Name" }
                input #cname name="name" required maxlength="200";
                fieldset {
                    legend { "Functions in scope (none and no categories: the whole Core)" }
                    @for f in FUNCTIONS {
                        label { input type="checkbox" name="functions" value=(f); " " (f) }
                    }
                }
                label for="categories" { "Categories in scope (optional, e.g. PR.AA, DE.CM)" }
                input #categories name="categories" maxlength="500";
                label for="assessors" { "Assessors, one a line: name, or name: areas (e.g. Jo: GV, PR.AA)" }
                textarea #assessors name="assessors" rows="4" required {}
                label for="org_size" { "Organization size (which questions are asked)" }
                select #org_size name="org_size" {
                    option value="" { "the organization's" }
                    @for s in ["small", "medium", "large", "enterprise"] { option value=(s) { (s) } }
                }
                label for="due_date" { "Due date (optional)" }
                input #due_date type="date" name="due_date";
                label { input type="checkbox" name="start" value="true" checked; " Start at once" }
                button type="submit" { "Create campaign" }
            }
        }
    };
    Ok(page(
        &format!("Campaigns of {}", doc.profile.name),
        &viewer,
        body,
    ))
}

/// `name` or `name: GV, PR.AA` per line.
fn assessors(text: &str) -> Vec<Value> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(':') {
            Some((name, areas)) => json!({ "name": name.trim(), "areas": split_ids(areas) }),
            None => json!({ "name": l, "areas": [] }),
        })
        .collect()
}

pub(crate) async fn create(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(profile): Path<String>,
    Extension(form): Posted,
) -> Response {
    let mut args = json!({
        "profile_id": profile,
        "name": form.get("name").unwrap_or_default(),
        "functions": form.all("functions"),
        "categories": split_ids(&form.get("categories").unwrap_or_default()),
        "assessors": assessors(&form.get("assessors").unwrap_or_default()),
        "start": form.get("start").is_some(),
    });
    for field in ["org_size", "due_date"] {
        if let (Some(v), Some(map)) = (form.get(field), args.as_object_mut()) {
            map.insert(field.into(), json!(v));
        }
    }
    let call = Call::new("create_assessment_campaign", args)
        .valid("; org_size is small, medium, large or enterprise")
        .profile(&profile);
    write(
        &ui,
        &viewer,
        call,
        |svc, a, r| async move { svc.create_campaign(&a, r).await },
        |out| campaign_href(&out.campaign_id),
    )
    .await
}
