//! One campaign: its state, progress per function and assessors, the state buttons, and the
//! review once it is submitted.

use axum::extract::{Path, State};
use axum::Extension;
use csf_domain::campaigns::CampaignRequest;
use maud::{html, Markup};

use super::campaign_href;
use super::review::review_section;
use crate::console::layout::{lookup_error, page, PageResult, Viewer};
use crate::console::render::enc;
use crate::console::Ui;

fn state_button(viewer: &Viewer, id: &str, version: i64, to: &str, label: &str) -> Markup {
    html! {
        form method="post" action={ (campaign_href(id)) "/state" } {
            (viewer.csrf_field())
            input type="hidden" name="to" value=(to);
            input type="hidden" name="expected_version" value=(version);
            button type="submit" { (label) }
        }
    }
}

pub(crate) async fn show(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> PageResult {
    let view = ui
        .service
        .get_campaign(CampaignRequest {
            campaign_id: id.clone(),
            include_history: false,
        })
        .await
        .map_err(|e| lookup_error(&viewer, &e))?;
    let review = match view.state.as_str() {
        "in_review" | "signed_off" => ui
            .service
            .review_campaign(CampaignRequest {
                campaign_id: id.clone(),
                include_history: false,
            })
            .await
            .ok(),
        _ => None,
    };
    let cid = view.campaign_id.clone();
    let body = html! {
        p.muted { "Profile " a href={ "/ui/profiles/" (enc(&view.profile_id)) } { code { (view.profile_id) } }
            " · " a href={ "/ui/profiles/" (enc(&view.profile_id)) "/campaigns" } { "all campaigns" } }
        p { "State " strong { (view.state.as_str()) } " · version " (view.version)
            " · created by " (view.created_by) }
        p { "Next step: " (view.next_step) }
        h2 { "Progress per function" }
        table {
            thead { tr { th scope="col" { "Function" } th scope="col" { "Questions" } th scope="col" { "Answered" }
                th scope="col" { "Skipped" } th scope="col" { "Sent back" } th scope="col" { "Remaining" } } }
            tbody {
                @for t in view.progress.functions.iter().chain(std::iter::once(&view.progress.overall)) {
                    tr { td { (t.id) } td { (t.total) } td { (t.answered) } td { (t.skipped) } td { (t.sent_back) } td { (t.remaining) } }
                }
            }
        }
        h2 { "Assessors" }
        ul { @for a in &view.assessors {
            li {
                a href={ (campaign_href(&cid)) "/questions?assessor=" (enc(&a.name)) } { (a.name) }
                " — " @if a.areas.is_empty() { "whole scope" } @else { (a.areas.join(", ")) }
                ", " (a.remaining) " remaining"
            }
        } }
        @if viewer.can_write() {
            @match view.state.as_str() {
                "draft" => { (state_button(&viewer, &cid, view.version, "in_progress", "Start campaign")) }
                "in_progress" if view.progress.overall.remaining == 0 => {
                    (state_button(&viewer, &cid, view.version, "in_review", "Submit for review"))
                }
                _ => {}
            }
        }
        @if let Some(r) = &review { (review_section(&viewer, r)) }
    };
    Ok(page(&view.name, &viewer, body))
}
