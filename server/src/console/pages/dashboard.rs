//! A profile's dashboard: coverage and score, function radar, category heat map, status
//! distribution, trend across periods, and the top gaps against a chosen Target.

use axum::extract::{Path, State};
use axum::Extension;
use csf_domain::analysis::requests::{MaturityRequest, TrendRequest};
use csf_store::ProfileKind;
use maud::{html, Markup, PreEscaped};
use serde_json::json;

use super::super::layout::{domain_error, page, PageResult, Viewer};
use super::super::render::{enc, pct};
use super::super::Ui;

/// Top gaps shown.
const TOP_GAPS: usize = 10;

fn chart(svg: &str) -> Markup {
    // The SVG comes from the domain's chart code, which escapes every label it writes.
    html! { figure { (PreEscaped(svg)) } }
}

pub(crate) async fn show(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(profile): Path<String>,
    uri: http::Uri,
) -> PageResult {
    let query = super::super::form::query(&uri);
    let (doc, org) = super::profile_with_org(&ui, &viewer, &profile).await?;
    let maturity = ui
        .service
        .assess_maturity(MaturityRequest {
            profile_id: profile.clone(),
            scope: None,
        })
        .await
        .map_err(|e| domain_error(&viewer, &e))?;
    let trend = ui
        .service
        .calculate_maturity_trend(TrendRequest {
            profile_id: profile.clone(),
            period: None,
            scope: None,
            until: None,
        })
        .await
        .ok();
    let target_id = query.get("target").filter(|t| !t.is_empty()).cloned();
    let (target, gaps) = match &target_id {
        None => (None, None),
        Some(t) => {
            let target = ui
                .service
                .assess_maturity(MaturityRequest {
                    profile_id: t.clone(),
                    scope: None,
                })
                .await
                .map_err(|e| domain_error(&viewer, &e))?;
            let req = serde_json::from_value(json!({
                "current_profile_id": profile, "target_profile_id": t
            }));
            let gaps = match req {
                Ok(req) => ui.service.generate_gap_analysis(req).await,
                Err(e) => Err(csf_domain::Error::Invalid(e.to_string())),
            };
            (
                Some(target),
                Some(gaps.map_err(|e| domain_error(&viewer, &e))?),
            )
        }
    };
    let plans = ui
        .service
        .list_implementation_plans(csf_domain::plans::ListPlansRequest {
            org_id: Some(org.organization.id.to_string()),
            limit: Some(200),
            cursor: None,
        })
        .await
        .map(|p| p.plans)
        .unwrap_or_default();
    let plans: Vec<_> = plans
        .into_iter()
        .filter(|p| p.current_profile_id == doc.profile.id.to_string())
        .collect();
    let charts = csf_domain::dashboard_charts(&maturity, target.as_ref(), trend.as_ref());
    let targets: Vec<_> = org
        .profiles
        .iter()
        .filter(|p| p.kind == ProfileKind::Target && p.id != doc.profile.id)
        .collect();
    let pid = enc(&doc.profile.id.to_string());
    let o = &maturity.overall;
    let body = html! {
        p.muted {
            "Profile of " a href={ "/ui/orgs/" (enc(&org.organization.id.to_string())) } { (org.organization.name) }
            " · " (format!("{:?}", doc.profile.kind).to_lowercase())
        }
        p.noprint {
            a href={ "/ui/profiles/" (pid) "/reports" } { "Reports" } " · "
            a href={ "/ui/profiles/" (pid) "/campaigns" } { "Assessment campaigns" } " · "
            a href={ "/ui/orgs/" (enc(&org.organization.id.to_string())) "/evidence" } { "Evidence register" } " · "
            a href={ "/ui/audit?profile=" (pid) } { "Audit trail" }
        }
        ul.kpis aria-label="Headline figures" {
            li { "Coverage" strong { (pct(o.coverage)) } (o.assessed) " of " (o.in_scope) " assessed" }
            li { "Implementation score" strong { (pct(o.implementation_score)) } }
            li { "Mean maturity" strong { (o.mean_maturity.map_or_else(|| "n/a".into(), |m| format!("{m:.1}"))) } }
        }
        form.noprint method="get" action={ "/ui/profiles/" (pid) } {
            label for="target" { "Compare with a Target profile" }
            select #target name="target" {
                option value="" { "none" }
                @for t in &targets {
                    option value=(t.id) selected[target_id.as_deref() == Some(&t.id.to_string())] { (t.name) }
                }
            }
            button type="submit" { "Show" }
        }
        h2 { "Charts" }
        div.charts {
            @if let Some(r) = &charts.radar { (chart(r)) }
            (chart(&charts.distribution))
            (chart(&charts.heat))
            @if let Some(t) = &charts.trend { (chart(t)) }
            @else { p.muted { "The trend appears once the profile has changed in two periods." } }
        }
        @if let Some(g) = &gaps {
            h2 { "Top gaps against the Target" }
            @let rows = g.largest_gaps();
            @if rows.is_empty() { p { "No open gap." } }
            @else {
                table {
                    thead { tr { th scope="col" { "Subcategory" } th scope="col" { "Current" } th scope="col" { "Target" } th scope="col" { "Weighted gap" } } }
                    tbody {
                        @for r in rows.iter().take(TOP_GAPS) {
                            tr {
                                td { a href={ "/ui/profiles/" (pid) "/entries/" (enc(&r.subcategory_id)) } { (r.subcategory_id) } }
                                td { (r.current_status.map_or("—", |s| s.label())) }
                                td { (r.target_status.map_or("—", |s| s.label())) }
                                td { (r.weighted_gap) }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Plan progress" }
        @if plans.is_empty() { p.muted { "No implementation plan starts from this profile." } }
        @else {
            table {
                thead { tr { th scope="col" { "Plan" } th scope="col" { "Done" } th scope="col" { "In progress" } th scope="col" { "Blocked" } th scope="col" { "Items" } } }
                tbody {
                    @for p in &plans {
                        tr {
                            td { (p.name) }
                            @if let Some(g) = &p.progress {
                                td { (g.done) } td { (g.in_progress) } td { (g.blocked) } td { (g.items_total) }
                            } @else { td colspan="4" { "no progress recorded" } }
                        }
                    }
                }
            }
        }
        h2 { "Entries" }
        @if doc.entries.is_empty() { p { "Nothing recorded yet." } }
        @else {
            table {
                thead { tr { th scope="col" { "Subcategory" } th scope="col" { "Status" } th scope="col" { "Maturity" } th scope="col" { "Owner" } th scope="col" { "Notes" } } }
                tbody {
                    @for e in &doc.entries {
                        tr {
                            td { a href={ "/ui/profiles/" (pid) "/entries/" (enc(&e.subcategory_id)) } { (e.subcategory_id) } }
                            td { (e.status.label()) }
                            td { (e.maturity.map_or_else(|| "—".into(), |m| json!(m).to_string())) }
                            td { (e.owner.as_deref().unwrap_or("—")) }
                            td { (e.notes.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
        @if !maturity.unassessed.is_empty() {
            details {
                summary { "Not yet assessed (" (maturity.unassessed.len()) ")" }
                ul { @for id in &maturity.unassessed {
                    li { a href={ "/ui/profiles/" (pid) "/entries/" (enc(id)) } { (id) } }
                } }
            }
        }
    };
    Ok(page(&doc.profile.name, &viewer, body))
}
