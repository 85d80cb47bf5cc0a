//! Argument completion (`completion/complete`): CSF ids for the `csf://element/{id}` template
//! and for the CSF arguments of prompts (`function`, `scope`).

use rmcp::model::{CompleteRequestParams, CompletionInfo, Reference};

use super::resources::{ELEMENT_TEMPLATE, REFERENCES_TEMPLATE};

/// Completes a CSF id prefix. Functions, categories and subcategories first (active before
/// withdrawn, official order); implementation examples once the prefix names a subcategory.
pub fn complete_id(prefix: &str) -> CompletionInfo {
    let p: String = prefix
        .trim()
        .chars()
        .take(32)
        .flat_map(char::to_uppercase)
        .collect();
    let wants_examples = p.len() >= 8;
    let mut ids: Vec<(bool, &'static str)> = Vec::new();
    let mut push = |e: csf_catalog::Element| {
        if e.id().starts_with(&p) {
            ids.push((e.is_withdrawn(), e.id()));
        }
    };
    for f in csf_catalog::functions() {
        push(csf_catalog::Element::Function(f));
    }
    for c in csf_catalog::categories() {
        push(csf_catalog::Element::Category(c));
    }
    for s in csf_catalog::subcategories() {
        push(csf_catalog::Element::Subcategory(s));
    }
    if wants_examples {
        for x in csf_catalog::examples() {
            push(csf_catalog::Element::Example(x));
        }
    }
    // Stable sort keeps official order within active and within withdrawn.
    ids.sort_by_key(|(withdrawn, _)| *withdrawn);
    let total = ids.len();
    let values: Vec<String> = ids
        .into_iter()
        .take(CompletionInfo::MAX_VALUES)
        .map(|(_, id)| id.to_string())
        .collect();
    let has_more = total > values.len();
    CompletionInfo::with_pagination(values, Some(total as u32), has_more).unwrap_or_default()
}

pub fn complete(req: &CompleteRequestParams) -> CompletionInfo {
    match &req.r#ref {
        Reference::Resource(r) if r.uri == ELEMENT_TEMPLATE && req.argument.name == "id" => {
            complete_id(&req.argument.value)
        }
        Reference::Resource(r)
            if r.uri == REFERENCES_TEMPLATE && req.argument.name == "dataset" =>
        {
            complete_dataset(&req.argument.value)
        }
        Reference::Prompt(_) if req.argument.name == "function" => {
            complete_function(&req.argument.value)
        }
        Reference::Prompt(_) if req.argument.name == "scope" => complete_scope(&req.argument.value),
        _ => CompletionInfo::default(),
    }
}

/// Completes a dataset key (`sp800-53r5.2.0` …) from a prefix of the key or of NIST's label.
pub fn complete_dataset(prefix: &str) -> CompletionInfo {
    let p = prefix.trim().to_lowercase();
    let values: Vec<String> = csf_catalog::datasets()
        .iter()
        .filter(|d| d.key.starts_with(&p) || d.short.to_lowercase().starts_with(&p))
        .map(|d| d.key.to_string())
        .collect();
    CompletionInfo::with_all_values(values).unwrap_or_default()
}

/// Completes a function id (GV, ID, PR, DE, RS, RC) from a prefix of its id or its name.
pub fn complete_function(prefix: &str) -> CompletionInfo {
    let p = prefix.trim().to_uppercase();
    let values: Vec<String> = csf_catalog::functions()
        .iter()
        .filter(|f| f.id.starts_with(&p) || f.title.to_uppercase().starts_with(&p))
        .map(|f| f.id.to_string())
        .collect();
    CompletionInfo::with_all_values(values).unwrap_or_default()
}

/// Completes the last id of a comma-separated scope (`GV,PR.A` → `GV,PR.AA`, `GV,PR.AT` …),
/// keeping the ids before it. Only functions and active categories: a scope names areas.
pub fn complete_scope(value: &str) -> CompletionInfo {
    let (head, last) = match value.rfind(',') {
        Some(i) => (&value[..=i], &value[i + 1..]),
        None => ("", value),
    };
    let head: String = head.chars().take(256).collect();
    let p = last.trim().to_uppercase();
    let mut ids: Vec<&'static str> = csf_catalog::functions()
        .iter()
        .map(|f| f.id)
        .filter(|id| id.starts_with(&p))
        .collect();
    ids.extend(
        csf_catalog::categories()
            .iter()
            .filter(|c| !c.withdrawn && c.id.starts_with(&p))
            .map(|c| c.id),
    );
    let total = ids.len();
    let values: Vec<String> = ids
        .into_iter()
        .take(CompletionInfo::MAX_VALUES)
        .map(|id| format!("{head}{id}"))
        .collect();
    let has_more = total > values.len();
    CompletionInfo::with_pagination(values, Some(total as u32), has_more).unwrap_or_default()
}
