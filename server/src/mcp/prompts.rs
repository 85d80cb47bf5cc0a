//! MCP prompts: guided workflows (gap analysis, board summary, next quarter's plan, assessing
//! one function, audit pack). The texts live in csf-analysis; this module maps them onto the
//! protocol's types and turns bad requests into `invalid_params` errors that name what is valid.

use std::collections::BTreeMap;

use rmcp::model::{GetPromptResult, Prompt, PromptArgument, PromptMessage, Role};
use rmcp::ErrorData;

/// Every prompt, as `prompts/list` shows it (built once per process).
pub fn list() -> &'static [Prompt] {
    static PROMPTS: std::sync::OnceLock<Vec<Prompt>> = std::sync::OnceLock::new();
    PROMPTS.get_or_init(|| {
        csf_domain::prompts()
            .into_iter()
            .map(|p| {
                let args = p
                    .arguments
                    .into_iter()
                    .map(|a| {
                        PromptArgument::new(a.name)
                            .with_description(a.description)
                            .with_required(a.required)
                    })
                    .collect();
                Prompt::new(p.name, Some(p.description), Some(args)).with_title(p.title)
            })
            .collect()
    })
}

/// `prompts/get`: the prompt's user message with the arguments filled in. Argument values
/// must be strings (MCP sends them as such); anything else is refused.
pub fn get(
    name: &str,
    arguments: Option<&rmcp::model::JsonObject>,
) -> Result<GetPromptResult, ErrorData> {
    let mut args = BTreeMap::new();
    for (k, v) in arguments.into_iter().flatten() {
        let Some(s) = v.as_str() else {
            return Err(ErrorData::invalid_params(
                format!("prompt argument `{k}` must be a string"),
                None,
            ));
        };
        args.insert(k.clone(), s.to_owned());
    }
    let text = csf_domain::render_prompt(name, &args)
        .map_err(|e| ErrorData::invalid_params(e.to_string(), None))?;
    let description = list()
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.description.clone())
        .unwrap_or_default();
    Ok(
        GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
            .with_description(description),
    )
}
