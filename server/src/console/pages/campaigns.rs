//! Assessment campaigns of a profile: list and create, a campaign's progress and state, an
//! assessor's next questions as a form, and the review with send-back and sign-off.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use csf_domain::campaigns::{
    CampaignQuestion, CampaignRequest, ListCampaignsRequest, NextQuestionsRequest, ReviewOutput,
};
use maud::{html, Markup};
use serde_json::{json, Value};

use super::super::access::Posted;
use super::super::form::Form;
use super::super::layout::{domain_error, lookup_error, page, see_other, Viewer};
use super::super::render::{enc, tree};
use super::super::Ui;
use super::actor;
use super::orgs::settle;

const FUNCTIONS: [&str; 6] = ["GV", "ID", "PR", "DE", "RS", "RC"];
/// Questions one form shows.
const PER_FORM: u32 = 10;

fn campaign_href(id: &str) -> String {
    format!("/ui/campaigns/{}", enc(id))
}

fn invalid(viewer: &Viewer, message: String) -> Response {
    domain_error(viewer, &csf_domain::Error::Invalid(message))
}

/// Every non-blank value of `name`, trimmed.
fn all(form: &Form, name: &str) -> Vec<String> {
    form.0
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

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
) -> Response {
    let doc = match ui.service.profile_doc(&profile).await {
        Ok(d) => d,
        Err(e) => return lookup_error(&viewer, &e),
    };
    let list = match ui
        .service
        .list_campaigns(ListCampaignsRequest {
            profile_id: Some(profile.clone()),
            limit: Some(200),
            cursor: None,
        })
        .await
    {
        Ok(l) => l,
        Err(e) => return domain_error(&viewer, &e),
    };
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
    page(&format!("Campaigns of {}", doc.profile.name), &viewer, body)
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
        "functions": all(&form, "functions"),
        "categories": split_ids(&form.get("categories").unwrap_or_default()),
        "assessors": assessors(&form.get("assessors").unwrap_or_default()),
        "start": form.get("start").is_some(),
    });
    for field in ["org_size", "due_date"] {
        if let (Some(v), Some(map)) = (form.get(field), args.as_object_mut()) {
            map.insert(field.into(), json!(v));
        }
    }
    let req = match serde_json::from_value(args.clone()) {
        Ok(r) => r,
        Err(e) => {
            return invalid(
                &viewer,
                format!("{e}; org_size is small, medium, large or enterprise"),
            )
        }
    };
    let actor = actor(
        &viewer,
        "create_assessment_campaign",
        &args,
        None,
        Some(&profile),
    );
    let result = ui.service.create_campaign(&actor, req).await;
    settle(&ui, &actor, result.as_ref().err()).await;
    match result {
        Ok(v) => see_other(&campaign_href(&v.campaign_id)),
        Err(e) => domain_error(&viewer, &e),
    }
}

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

fn review_section(viewer: &Viewer, r: &ReviewOutput) -> Markup {
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

pub(crate) async fn show(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> Response {
    let view = match ui
        .service
        .get_campaign(CampaignRequest {
            campaign_id: id.clone(),
            include_history: false,
        })
        .await
    {
        Ok(v) => v,
        Err(e) => return lookup_error(&viewer, &e),
    };
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
    page(&view.name, &viewer, body)
}

fn context_block(q: &CampaignQuestion) -> Markup {
    html! {
        @if let Some(c) = &q.context {
            details {
                summary { "Context: outcome, examples, references, levels" }
                p { strong { "Outcome: " } (c.outcome) }
                @if !c.examples.is_empty() {
                    p { strong { "Implementation examples" } }
                    ul { @for e in &c.examples { li { (e.text) } } }
                }
                @if !c.references.is_empty() {
                    p { strong { "Informative references" } }
                    (tree(&json!(c.references)))
                }
                p { strong { "What each answer looks like" } }
                dl { @for l in &c.levels { dt { (l.value) } dd { (l.looks_like) } } }
            }
        }
    }
}

fn answer_input(i: usize, q: &CampaignQuestion) -> Markup {
    let id = format!("a{i}");
    let current = q
        .current
        .as_ref()
        .and_then(|c| c.answer.as_ref())
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
    let levels: Vec<String> = q
        .context
        .as_ref()
        .map(|c| c.levels.iter().map(|l| l.value.clone()).collect())
        .unwrap_or_default();
    html! {
        label for=(id) { "Answer (" (q.answers) ")" }
        @if q.dimension == "ownership" || levels.is_empty() {
            input id=(id) name=(id) maxlength="200" value=(current.clone().unwrap_or_default());
        } @else {
            select id=(id) name=(id) {
                option value="" { "— not now —" }
                @for l in &levels { option value=(l) selected[current.as_deref() == Some(l.as_str())] { (l) } }
            }
        }
    }
}

/// One question with its context, and its answer controls when `writable`.
fn question_fields(i: usize, q: &CampaignQuestion, writable: bool) -> Markup {
    html! {
        fieldset.question {
            legend { code { (q.question_id) } " " (q.question) }
            @if let Some(c) = &q.current {
                @if let Some(r) = &c.reason { p.error { "Sent back or skipped: " (r) } }
            }
            (context_block(q))
            @if writable {
                input type="hidden" name={ "q" (i) } value=(q.question_id);
                (answer_input(i, q))
                label for={ "c" (i) } { "Confidence" }
                select id={ "c" (i) } name={ "c" (i) } {
                    option value="" { "not stated" }
                    @for c in ["high", "medium", "low"] { option value=(c) { (c) } }
                }
                label for={ "n" (i) } { "Notes (optional)" }
                textarea id={ "n" (i) } name={ "n" (i) } rows="2" maxlength="2000" {}
                label for={ "s" (i) } { "Or skip, saying why" }
                input id={ "s" (i) } name={ "s" (i) } maxlength="2000";
            }
        }
    }
}

pub(crate) async fn questions(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    uri: http::Uri,
) -> Response {
    let query = super::super::form::query(&uri);
    let Some(assessor) = query.get("assessor").filter(|a| !a.is_empty()).cloned() else {
        return invalid(&viewer, "name an assessor: ?assessor=NAME".into());
    };
    let next = match ui
        .service
        .next_campaign_questions(NextQuestionsRequest {
            campaign_id: id.clone(),
            assessor: assessor.clone(),
            limit: Some(PER_FORM),
            include_context: Some(true),
        })
        .await
    {
        Ok(n) => n,
        Err(e) => return lookup_error(&viewer, &e),
    };
    let cid = next.campaign_id.clone();
    let body = html! {
        p.muted { a href=(campaign_href(&cid)) { "Back to the campaign" } " · state " (next.state.as_str())
            " · " (next.remaining_for_assessor) " open for " (assessor) }
        p { "Next step: " (next.next_step) }
        @if next.questions.is_empty() { p { "No open question for this assessor." } }
        @else {
            @if viewer.can_write() {
                form.stack method="post" action={ (campaign_href(&cid)) "/answers" } {
                    (viewer.csrf_field())
                    input type="hidden" name="assessor" value=(assessor);
                    @for (i, q) in next.questions.iter().enumerate() { (question_fields(i, q, true)) }
                    button type="submit" { "Save answers" }
                }
            } @else {
                @for (i, q) in next.questions.iter().enumerate() { (question_fields(i, q, false)) }
            }
        }
    };
    page(&format!("Questions for {assessor}"), &viewer, body)
}

pub(crate) async fn answer(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    Extension(form): Posted,
) -> Response {
    let assessor = form.get("assessor").unwrap_or_default();
    let mut answers = Vec::new();
    for i in 0..PER_FORM as usize {
        let Some(qid) = form.get(&format!("q{i}")) else {
            continue;
        };
        let mut item = serde_json::Map::new();
        match (form.get(&format!("a{i}")), form.get(&format!("s{i}"))) {
            (Some(a), _) => {
                // Maturity answers are integers; every other answer is text.
                let value = match a.parse::<u8>() {
                    Ok(n) if qid.ends_with(":maturity") => json!(n),
                    _ => json!(a),
                };
                item.insert("answer".into(), value);
            }
            (None, Some(reason)) => {
                item.insert("skip_reason".into(), json!(reason));
            }
            (None, None) => continue,
        }
        item.insert("question_id".into(), json!(qid));
        for (key, field) in [("confidence", "c"), ("notes", "n")] {
            if let Some(v) = form.get(&format!("{field}{i}")) {
                item.insert(key.into(), json!(v));
            }
        }
        answers.push(Value::Object(item));
    }
    if answers.is_empty() {
        return invalid(
            &viewer,
            "no answer given: choose an answer or give a reason to skip for at least one question"
                .into(),
        );
    }
    let args = json!({ "campaign_id": id, "assessor": assessor, "answers": answers });
    let req = match serde_json::from_value(args.clone()) {
        Ok(r) => r,
        Err(e) => return invalid(&viewer, format!("{e}; confidence is high, medium or low")),
    };
    let actor = actor(&viewer, "answer_campaign_questions", &args, None, None);
    let result = ui.service.answer_campaign_questions(&actor, req).await;
    settle(&ui, &actor, result.as_ref().err()).await;
    match result {
        Ok(_) => see_other(&format!(
            "{}/questions?assessor={}",
            campaign_href(&id),
            enc(&assessor)
        )),
        Err(e) => domain_error(&viewer, &e),
    }
}

fn version(form: &Form) -> Option<i64> {
    form.get("expected_version").and_then(|v| v.parse().ok())
}

pub(crate) async fn set_state(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    Extension(form): Posted,
) -> Response {
    let args = json!({
        "campaign_id": id,
        "to": form.get("to").unwrap_or_default(),
        "expected_version": version(&form),
    });
    let service = ui.service.clone();
    let back = campaign_href(&id);
    write(
        &ui,
        &viewer,
        "set_campaign_state",
        args,
        "; `to`: use in_progress or in_review",
        move |a, r| async move { service.set_campaign_state(&a, r).await },
        move |_| back,
    )
    .await
}

pub(crate) async fn send_back(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    Extension(form): Posted,
) -> Response {
    let args = json!({
        "campaign_id": id,
        "items": [{
            "question_id": form.get("question_id").unwrap_or_default(),
            "reason": form.get("reason").unwrap_or_default(),
        }],
        "expected_version": version(&form),
    });
    let service = ui.service.clone();
    let back = campaign_href(&id);
    write(
        &ui,
        &viewer,
        "send_back_campaign_items",
        args,
        "",
        move |a, r| async move { service.send_back_campaign_items(&a, r).await },
        move |_| back,
    )
    .await
}

pub(crate) async fn sign_off(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    Extension(form): Posted,
) -> Response {
    let args = json!({
        "campaign_id": id,
        "cycle_date": form.get("cycle_date"),
        "expected_version": version(&form),
    });
    let service = ui.service.clone();
    write(
        &ui,
        &viewer,
        "sign_off_campaign",
        args,
        "",
        move |a, r| async move { service.sign_off_campaign(&a, r).await },
        |out| format!("/ui/profiles/{}", enc(&out.campaign.profile_id)),
    )
    .await
}

/// One campaign write from a posted form, as its MCP tool `tool` runs it: decode the arguments
/// (an error names what is valid, with `valid` appended), an audited actor, the outcome
/// settled in the audit trail; then the browser goes to `back(output)`.
async fn write<R, T, Fut>(
    ui: &Ui,
    viewer: &Viewer,
    tool: &str,
    args: Value,
    valid: &str,
    op: impl FnOnce(csf_domain::Actor, R) -> Fut,
    back: impl FnOnce(T) -> String,
) -> Response
where
    R: serde::de::DeserializeOwned,
    Fut: std::future::Future<Output = Result<T, csf_domain::Error>>,
{
    let req = match serde_json::from_value(args.clone()) {
        Ok(r) => r,
        Err(e) => return invalid(viewer, format!("{e}{valid}")),
    };
    let actor = actor(viewer, tool, &args, None, None);
    let result = op(actor.clone(), req).await;
    settle(ui, &actor, result.as_ref().err()).await;
    match result {
        Ok(out) => see_other(&back(out)),
        Err(e) => domain_error(viewer, &e),
    }
}
