//! Assessment campaigns of a profile: list and create, a campaign's progress and state, an
//! assessor's next questions as a form, and the review with send-back and sign-off.

mod answers;
mod list;
mod overview;
mod questions;
mod review;
mod transitions;

use axum::response::Response;
use serde_json::Value;

use super::actor;
use super::orgs::settle;
use crate::console::layout::{domain_error, see_other, Viewer};
use crate::console::render::enc;
use crate::console::Ui;

pub(crate) use answers::answer;
pub(crate) use list::{create, index};
pub(crate) use overview::show;
pub(crate) use questions::questions;
pub(crate) use transitions::{send_back, set_state, sign_off};

/// Questions one form shows.
const PER_FORM: u32 = 10;

fn campaign_href(id: &str) -> String {
    format!("/ui/campaigns/{}", enc(id))
}

fn invalid(viewer: &Viewer, message: String) -> Response {
    domain_error(viewer, &csf_domain::Error::Invalid(message))
}

/// A campaign write as its MCP tool `tool` records it.
struct Call<'a> {
    tool: &'a str,
    /// The tool's arguments, decoded into its request and summarized in the audit trail.
    args: Value,
    /// Appended to a decoding error, to name what is valid.
    valid: &'a str,
    /// The profile the audit record names, when the write is about one.
    profile: Option<&'a str>,
}

/// One campaign write from a posted form: decode the arguments (an error names what is
/// valid), an audited actor, the outcome settled in the audit trail; then the browser goes to
/// `back(output)`.
async fn write<R, T, Fut>(
    ui: &Ui,
    viewer: &Viewer,
    call: Call<'_>,
    op: impl FnOnce(csf_domain::Actor, R) -> Fut,
    back: impl FnOnce(T) -> String,
) -> Response
where
    R: serde::de::DeserializeOwned,
    Fut: std::future::Future<Output = Result<T, csf_domain::Error>>,
{
    let req = match serde_json::from_value(call.args.clone()) {
        Ok(r) => r,
        Err(e) => return invalid(viewer, format!("{e}{}", call.valid)),
    };
    let actor = actor(viewer, call.tool, &call.args, None, call.profile);
    let result = op(actor.clone(), req).await;
    settle(ui, &actor, result.as_ref().err()).await;
    match result {
        Ok(out) => see_other(&back(out)),
        Err(e) => domain_error(viewer, &e),
    }
}
