//! Argument completion (`completion/complete`): CSF ids for the `csf://element/{id}` template,
//! dataset keys for `csf://references/{dataset}`, and the CSF arguments of prompts (`function`,
//! `scope`). The values come from `csf_domain::framework::complete`.

use csf_domain::framework::complete::{self, Completion};
use rmcp::model::{CompleteRequestParams, CompletionInfo, Reference};

use super::resources::{ELEMENT_TEMPLATE, REFERENCES_TEMPLATE};

pub fn complete(req: &CompleteRequestParams) -> CompletionInfo {
    let value = &req.argument.value;
    let max = CompletionInfo::MAX_VALUES;
    let found = match &req.r#ref {
        Reference::Resource(r) if r.uri == ELEMENT_TEMPLATE && req.argument.name == "id" => {
            complete::ids(value, max)
        }
        Reference::Resource(r)
            if r.uri == REFERENCES_TEMPLATE && req.argument.name == "dataset" =>
        {
            complete::datasets(value, max)
        }
        Reference::Prompt(_) if req.argument.name == "function" => complete::functions(value, max),
        Reference::Prompt(_) if req.argument.name == "scope" => complete::scope(value, max),
        _ => return CompletionInfo::default(),
    };
    info(found)
}

fn info(c: Completion) -> CompletionInfo {
    let has_more = c.has_more();
    let total = u32::try_from(c.total).unwrap_or(u32::MAX);
    CompletionInfo::with_pagination(c.values, Some(total), has_more).unwrap_or_default()
}
