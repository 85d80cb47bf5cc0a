//! The one list of tools. It feeds `tools/list`, `tools/call` dispatch, the README's tool table
//! (`nist-csf-mcp tools --markdown`) and the tests, so they cannot drift apart.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use rmcp::model::{
    ContentBlock, InputRequiredResult, InputResponses, JsonObject, Tool, ToolAnnotations,
};
use schemars::JsonSchema;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use csf_domain::{Actor, Service};
pub use csf_transport::ToolClass;

use super::error::ToolError;
use super::schema;

/// Static description of a tool.
pub struct ToolMeta {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub class: ToolClass,
    /// Calling twice with the same arguments has no further effect.
    pub idempotent: bool,
}

/// One tool call's context: the domain service and who is calling (for a tool that may write,
/// an actor carrying the call's audit row).
#[derive(Clone, Debug)]
pub struct Call {
    pub service: Arc<Service>,
    pub actor: Actor,
    /// The client of this call, when the transport keeps one (for requests back to it, such
    /// as elicitation); `None` for in-process calls.
    pub peer: Option<rmcp::Peer<rmcp::RoleServer>>,
    /// Protocol 2026-07-28's multi round-trip: what this call may answer and what it carries.
    pub round_trip: RoundTrip,
}

/// A call's part in a multi round-trip request (protocol 2026-07-28, where the server sends
/// the client no requests of its own and answers "input required" instead).
#[derive(Clone, Debug, Default)]
pub struct RoundTrip {
    /// The call may answer with an input-required result holding form elicitations: the
    /// client speaks 2026-07-28 or later and declared form elicitation for this request.
    pub forms: bool,
    /// The client's replies to the input requests of the previous result, by key.
    pub responses: Option<InputResponses>,
    /// The request state of the previous result, as the client returned it (untrusted).
    pub state: Option<String>,
}

impl RoundTrip {
    /// The call continues an earlier input-required result.
    pub fn is_retry(&self) -> bool {
        self.responses.is_some() || self.state.is_some()
    }
}

/// A tool's answer: its output, or (protocol 2026-07-28) the input it needs first.
pub enum Reply<O> {
    Done(O),
    InputRequired(InputRequiredResult),
}

/// A typed tool: parameters in, output out. Handlers stay thin: decode, call catalog/domain,
/// shape the answer.
pub trait CsfTool: Send + Sync + 'static {
    const META: ToolMeta;
    type Params: DeserializeOwned + JsonSchema + Send;
    type Output: Serialize + JsonSchema;
    fn call(
        call: Call,
        params: Self::Params,
    ) -> impl Future<Output = Result<Self::Output, ToolError>> + Send;
    /// Like `call`, but able to answer that the client's input is needed first (an
    /// input-required result of protocol 2026-07-28). By default, `call`'s output.
    fn reply(
        call: Call,
        params: Self::Params,
    ) -> impl Future<Output = Result<Reply<Self::Output>, ToolError>> + Send {
        async move { Self::call(call, params).await.map(Reply::Done) }
    }
    /// Content blocks sent after the structured result's text, e.g. a generated document as
    /// an embedded resource with its MIME type. None by default.
    fn attachments(_out: &Self::Output) -> Vec<ContentBlock> {
        Vec::new()
    }
}

/// A tool's answer: the structured result (checked against the output schema) and the
/// content blocks that go beside it, or the input the call needs first.
pub enum ToolAnswer {
    Done {
        structured: serde_json::Value,
        attachments: Vec<ContentBlock>,
    },
    InputRequired(InputRequiredResult),
}

pub type ToolFuture = Pin<Box<dyn Future<Output = Result<ToolAnswer, ToolError>> + Send>>;

/// Object-safe view of a `CsfTool`, so all tools fit in one static list.
pub trait ErasedTool: Send + Sync {
    fn meta(&self) -> &'static ToolMeta;
    fn descriptor(&self) -> Tool;
    fn invoke(&self, call: Call, args: JsonObject) -> ToolFuture;
}

impl<T: CsfTool> ErasedTool for T {
    fn meta(&self) -> &'static ToolMeta {
        &T::META
    }

    fn descriptor(&self) -> Tool {
        let m = &T::META;
        let mut tool = Tool::new(m.name, m.description, schema::input::<T::Params>());
        tool.title = Some(m.title.to_string());
        tool.output_schema = Some(schema::output::<T::Output>());
        tool.annotations = Some(
            ToolAnnotations::with_title(m.title)
                .read_only(m.class == ToolClass::Read)
                .destructive(m.class == ToolClass::Admin)
                .idempotent(m.class == ToolClass::Read || m.idempotent)
                .open_world(false),
        );
        tool
    }

    fn invoke(&self, call: Call, args: JsonObject) -> ToolFuture {
        Box::pin(async move {
            let call = if T::META.class == ToolClass::Read {
                call
            } else {
                let hint = |key: &str| args.get(key).and_then(|v| v.as_str());
                let actor = Actor::audited(
                    call.actor.principal(),
                    T::META.name,
                    csf_domain::audit::summarize_args(&args),
                    hint("org_id"),
                    hint("profile_id").or(hint("current_profile_id")),
                );
                Call { actor, ..call }
            };
            let result = run::<T>(call.clone(), args).await;
            if T::META.class != ToolClass::Read {
                let message = result.as_ref().err().map(ToString::to_string);
                let outcome = message.as_deref().map_or(Ok(()), Err);
                call.service.settle(&call.actor, outcome).await;
            }
            result
        })
    }
}

async fn run<T: CsfTool>(call: Call, args: JsonObject) -> Result<ToolAnswer, ToolError> {
    let args = serde_json::Value::Object(args);
    // Decoded by reference so that, on failure, the message can name the offending argument.
    let params = T::Params::deserialize(&args).map_err(|e| {
        let schema = serde_json::Value::Object(schema::input::<T::Params>().as_ref().clone());
        ToolError::InvalidArguments {
            tool: T::META.name,
            message: super::arg_path::locate(&schema, &args, e.to_string()),
        }
    })?;
    drop(args); // the arguments are not needed while the tool runs (an import can be 1 MiB)
    let out = match T::reply(call, params).await? {
        Reply::Done(out) => out,
        Reply::InputRequired(r) => return Ok(ToolAnswer::InputRequired(r)),
    };
    let attachments = T::attachments(&out);
    let structured = serde_json::to_value(out).map_err(|e| ToolError::Internal(e.to_string()))?;
    Ok(ToolAnswer::Done {
        structured,
        attachments,
    })
}
