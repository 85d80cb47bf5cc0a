//! The one list of tools. It feeds `tools/list`, `tools/call` dispatch, the README's tool table
//! (`nist-csf-mcp tools --markdown`) and the tests, so they cannot drift apart.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use super::error::ToolError;
use super::schema;
use crate::context::Context;

/// What a tool may do, for authorisation (HTTP scopes map onto these) and annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolClass {
    /// Reads only.
    Read,
    /// Adds or changes the caller's data.
    Write,
    /// Deletes data or resets an organisation (destructive, confirmed).
    Admin,
}

impl ToolClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ToolClass::Read => "read",
            ToolClass::Write => "write",
            ToolClass::Admin => "admin",
        }
    }
}

/// Static description of a tool.
pub struct ToolMeta {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub class: ToolClass,
    /// Calling twice with the same arguments has no further effect.
    pub idempotent: bool,
}

/// One tool call's context: shared services and who is calling.
#[derive(Clone, Debug)]
pub struct Call {
    pub ctx: Arc<Context>,
    /// Recorded as author in history and the audit trail.
    pub principal: Arc<str>,
    /// A write tool's audit row, committed with its first write (set by the registry).
    pub audit: Option<Arc<csf_store::PendingAudit>>,
}

/// A typed tool: parameters in, output out. Handlers stay thin: decode, call catalog/domain,
/// shape the answer.
pub trait CsfTool: Send + Sync + 'static {
    const META: ToolMeta;
    type Params: DeserializeOwned + JsonSchema;
    type Output: Serialize + JsonSchema;
    fn call(
        call: Call,
        params: Self::Params,
    ) -> impl Future<Output = Result<Self::Output, ToolError>> + Send;
}

pub type ToolFuture = Pin<Box<dyn Future<Output = Result<serde_json::Value, ToolError>> + Send>>;

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
            let audit = (T::META.class != ToolClass::Read)
                .then(|| super::audit::pending(&call, T::META.name, &args));
            let call = Call {
                audit: audit.clone(),
                ..call
            };
            let result = run::<T>(call.clone(), args).await;
            if let Some(pending) = audit {
                super::audit::settle(&call, &pending, &result).await;
            }
            result
        })
    }
}

async fn run<T: CsfTool>(call: Call, args: JsonObject) -> Result<serde_json::Value, ToolError> {
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
    let out = T::call(call, params).await?;
    serde_json::to_value(out).map_err(|e| ToolError::Internal(e.to_string()))
}

/// Every tool the server offers, in the order `tools/list` shows them.
pub fn all() -> &'static [&'static dyn ErasedTool] {
    super::tools::ALL
}

pub fn find(name: &str) -> Option<&'static dyn ErasedTool> {
    all().iter().copied().find(|t| t.meta().name == name)
}

/// The README's tool table (`nist-csf-mcp tools`).
pub fn markdown_table() -> String {
    let mut out = String::from("| tool | title | access |\n|---|---|---|\n");
    for t in all() {
        let m = t.meta();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            m.name,
            m.title,
            m.class.as_str()
        ));
    }
    out
}
