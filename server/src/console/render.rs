//! Small rendering helpers shared by the pages: a domain answer (any serializable value) as
//! nested lists, percentages, and links.

use maud::{html, Markup};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

/// Everything but the unreserved characters of RFC 3986.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A value encoded for a URL path segment or query value.
pub(crate) fn enc(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

pub(crate) fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".into(), |v| format!("{:.0}%", v * 100.0))
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// Any domain answer as a definition list (keys as terms), escaped throughout. CSF ids that
/// appear as values link to their framework page.
pub(crate) fn tree(v: &Value) -> Markup {
    match v {
        Value::Object(map) => html! {
            dl.tree {
                @for (k, v) in map {
                    @if !v.is_null() && v != &Value::Array(vec![]) {
                        dt { (k.replace('_', " ")) }
                        dd { (tree(v)) }
                    }
                }
            }
        },
        Value::Array(items) => html! {
            ul { @for item in items { li { (tree(item)) } } }
        },
        Value::String(s) if csf_catalog::get(s).is_some() => html! {
            a href={ "/ui/framework/" (enc(s)) } { (s) }
        },
        other => html! { (scalar(other)) },
    }
}
