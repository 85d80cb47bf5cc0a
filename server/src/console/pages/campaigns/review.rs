//! The review section of a campaign: changes since the last cycle, the flagged answers with
//! their send-back forms, and the sign-off form.

use csf_domain::campaigns::ReviewOutput;
use maud::{html, Markup};

use super::campaign_href;
use crate::console::layout::Viewer;
use crate::console::render::tree;

fn send_back_form(viewer: &Viewer, id: &str, version: i64, question: Option<&str>) -> Markup {
    html! {
        form.stack method="post" action={ (campaign_href(id)) "/send-back" } {
            (viewer.csrf_field())
            input type="hidden" name="expected_version" value=(version);
            @match question {
                Some(q) => { input type="hidden" name="question_id" value=(q); }
                None => {
                    label for="sb_q" { "Question id (e.g. GV.OC-01:implementation)" }
                    input #sb_q name="question_id" required maxlength="60";
                }
            }
            label { "Reason for the assessor"
                input name="reason" required maxlength="2000"; }
            button type="submit" { "Send back" @if let Some(q) = question { " " (q) } }
        }
    }
}

fn flagged_list(
    viewer: &Viewer,
    r: &ReviewOutput,
    title: &str,
    items: &[csf_domain::campaigns::review::Flagged],
) -> Markup {
    let writable = viewer.can_write() && r.state.as_str() == "in_review";
    html! {
        h3 { (title) }
        @if items.is_empty() { p { "None." } }
        @else { ul { @for f in items {
            li {
                code { (f.question_id) } " by " (f.answered_by) ": " (f.why)
                @if writable { (send_back_form(viewer, &r.campaign_id, r.version, Some(&f.question_id))) }
            }
        } } }
    }
}

pub(super) fn review_section(viewer: &Viewer, r: &ReviewOutput) -> Markup {
    html! {
        h2 { "Review" }
        p { "Last cycle: " (r.last_cycle.map(|d| d.to_string()).unwrap_or_else(|| "none yet".into())) }
        h3 { "Changes since the last cycle" }
        @if r.changes_since_last_cycle.is_empty() { p { "None." } }
        @else {
            table {
                thead { tr { th scope="col" { "Subcategory" } th scope="col" { "Field" } th scope="col" { "From" } th scope="col" { "To" } } }
                tbody { @for c in &r.changes_since_last_cycle {
                    tr { td { (c.subcategory) } td { (c.field) } td { (tree(&c.from)) } td { (tree(&c.to)) } }
                } }
            }
        }
        (flagged_list(viewer, r, "Low confidence", &r.low_confidence))
        (flagged_list(viewer, r, "Implemented without evidence", &r.without_evidence))
        (flagged_list(viewer, r, "Skipped", &r.skipped))
        (flagged_list(viewer, r, "Cannot become entries", &r.cannot_record))
        @if viewer.can_write() && r.state.as_str() == "in_review" {
            h3 { "Send back another answer" }
            (send_back_form(viewer, &r.campaign_id, r.version, None))
            h3 { "Sign off" }
            form.stack method="post" action={ (campaign_href(&r.campaign_id)) "/sign-off" } {
                (viewer.csrf_field())
                input type="hidden" name="expected_version" value=(r.version);
                label for="cycle_date" { "Cycle date (default today)" }
                input #cycle_date type="date" name="cycle_date";
                button type="submit" { "Sign off" }
            }
        }
    }
}
