//! The framework: browse the functions, search, and one element with its examples, crosswalk
//! and informative references.

use axum::extract::Path;
use axum::response::Response;
use axum::Extension;
use csf_domain::framework as fw;
use maud::{html, Markup};
use serde::Serialize;
use serde_json::json;

use super::super::layout::{domain_error, lookup_error, page, PageResult, Viewer};
use super::super::render::{enc, tree};

/// Longest search query accepted from the page (the domain checks it too).
const MAX_QUERY: usize = 200;

pub(crate) async fn index(Extension(viewer): Extension<Viewer>, uri: http::Uri) -> Response {
    let query = super::super::form::query(&uri);
    let q = query
        .get("q")
        .map(|q| q.trim().chars().take(MAX_QUERY).collect::<String>())
        .filter(|q| !q.is_empty());
    let results = match &q {
        None => None,
        Some(q) => {
            let req =
                serde_json::from_value::<fw::SearchRequest>(json!({ "query": q, "limit": 25 }))
                    .map_err(|e| csf_domain::Error::Invalid(e.to_string()))
                    .and_then(fw::search);
            match req {
                Ok(r) => Some(json!(r)),
                Err(e) => return domain_error(&viewer, &e),
            }
        }
    };
    let body = html! {
        form method="get" action="/ui/framework" role="search" {
            label for="q" { "Search the framework" }
            input #q type="search" name="q" value=(q.clone().unwrap_or_default()) maxlength="200";
            button type="submit" { "Search" }
        }
        @if let Some(r) = &results {
            h2 { "Results" }
            (tree(r))
        } @else {
            h2 { "Functions" }
            ul { @for f in fw::functions() {
                @let v = json!(f);
                @let id = v.get("id").and_then(|i| i.as_str()).unwrap_or_default().to_string();
                li { a href={ "/ui/framework/" (enc(&id)) } { (id) } " " (v.get("title").and_then(|t| t.as_str()).unwrap_or_default()) }
            } }
        }
    };
    page("Framework", &viewer, body)
}

fn section<T: Serialize>(title: &str, result: Result<T, csf_domain::Error>) -> Markup {
    html! {
        h2 { (title) }
        @match result {
            Ok(v) => (tree(&json!(v))),
            Err(e) => p.muted { (e.to_string()) },
        }
    }
}

pub(crate) async fn element(
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> PageResult {
    let doc = fw::element_doc(&id).map_err(|e| lookup_error(&viewer, &e))?;
    let req = |v: serde_json::Value| v;
    let examples = serde_json::from_value::<fw::ExamplesRequest>(req(json!({ "id": id })))
        .map_err(|e| csf_domain::Error::Invalid(e.to_string()))
        .and_then(fw::examples);
    let crosswalk = serde_json::from_value::<fw::CrosswalkRequest>(json!({ "id": id }))
        .map_err(|e| csf_domain::Error::Invalid(e.to_string()))
        .and_then(fw::crosswalk);
    let references = serde_json::from_value::<fw::ReferencesRequest>(json!({ "id": id }))
        .map_err(|e| csf_domain::Error::Invalid(e.to_string()))
        .and_then(fw::references);
    let body = html! {
        p.noprint { a href="/ui/framework" { "Framework" } }
        (tree(&json!(doc)))
        (section("Implementation examples", examples))
        (section("Crosswalk from CSF 1.1", crosswalk))
        (section("Informative references", references))
    };
    Ok(page(&id, &viewer, body))
}
