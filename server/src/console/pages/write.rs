//! One console write from a posted form, as the MCP tool of the same effect runs it: the
//! form's fields decoded into the tool's request (an error names what is valid), an audited
//! actor recorded under the tool's name, the outcome settled in the audit trail; then the
//! browser is sent on to the page that shows the result.

use std::sync::Arc;

use axum::response::Response;
use serde_json::Value;

use crate::console::layout::{domain_error, see_other, Viewer};
use crate::console::Ui;

/// The audited actor of a console write: recorded under the operation the MCP tool of the same
/// effect records, so the audit trail reads the same whichever front end was used.
fn actor(
    viewer: &Viewer,
    operation: &str,
    args: &Value,
    org: Option<&str>,
    profile: Option<&str>,
) -> csf_domain::Actor {
    let summary = args
        .as_object()
        .map(csf_domain::audit::summarize_args)
        .unwrap_or_default();
    csf_domain::Actor::audited(
        crate::console::access::principal(viewer),
        operation,
        summary,
        org,
        profile,
    )
}

/// Records the outcome of an audited call that wrote nothing or failed.
async fn settle(ui: &Ui, actor: &csf_domain::Actor, err: Option<&csf_domain::Error>) {
    let message = err.map(ToString::to_string);
    ui.service
        .settle(actor, message.as_deref().map_or(Ok(()), Err))
        .await;
}

/// A write as its MCP tool `tool` records it.
pub(crate) struct Call<'a> {
    tool: &'a str,
    /// The tool's arguments, decoded into its request and summarized in the audit trail.
    args: Value,
    /// Put before a decoding error: the field it is about.
    about: &'a str,
    /// Put after a decoding error, to name what is valid.
    valid: String,
    /// The organization and the profile the audit record names, when the write is about one.
    org: Option<&'a str>,
    profile: Option<&'a str>,
}

impl<'a> Call<'a> {
    pub(crate) fn new(tool: &'a str, args: Value) -> Self {
        Call {
            tool,
            args,
            about: "",
            valid: String::new(),
            org: None,
            profile: None,
        }
    }

    /// A decoding error reads `{field}: {error}`.
    pub(crate) fn about(self, field: &'a str) -> Self {
        Call {
            about: field,
            ..self
        }
    }

    /// A decoding error reads `{error}{valid}`.
    pub(crate) fn valid(self, valid: impl Into<String>) -> Self {
        Call {
            valid: valid.into(),
            ..self
        }
    }

    pub(crate) fn org(self, org: &'a str) -> Self {
        Call {
            org: Some(org),
            ..self
        }
    }

    pub(crate) fn profile(self, profile: &'a str) -> Self {
        Call {
            profile: Some(profile),
            ..self
        }
    }
}

/// The error page of a form the service cannot take as it is.
pub(crate) fn invalid(viewer: &Viewer, message: String) -> Response {
    domain_error(viewer, &csf_domain::Error::Invalid(message))
}

/// Runs `call` through `op` (given the service, the audited actor and the decoded request);
/// on success the browser goes to `back(output)`, on failure it gets the error page.
pub(crate) async fn write<R, T, Fut>(
    ui: &Ui,
    viewer: &Viewer,
    call: Call<'_>,
    op: impl FnOnce(Arc<csf_domain::Service>, csf_domain::Actor, R) -> Fut,
    back: impl FnOnce(T) -> String,
) -> Response
where
    R: serde::de::DeserializeOwned,
    Fut: std::future::Future<Output = Result<T, csf_domain::Error>>,
{
    let req = match serde_json::from_value(call.args.clone()) {
        Ok(r) => r,
        Err(e) if call.about.is_empty() => return invalid(viewer, format!("{e}{}", call.valid)),
        Err(e) => return invalid(viewer, format!("{}: {e}{}", call.about, call.valid)),
    };
    let actor = actor(viewer, call.tool, &call.args, call.org, call.profile);
    let result = op(ui.service.clone(), actor.clone(), req).await;
    settle(ui, &actor, result.as_ref().err()).await;
    match result {
        Ok(out) => see_other(&back(out)),
        Err(e) => domain_error(viewer, &e),
    }
}
