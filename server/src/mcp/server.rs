//! The MCP handler: one type, shared by every transport. It routes requests to the tool
//! registry, resources and completions; it holds no logic of its own.

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, CompleteRequestParams, CompleteResult,
    ContentBlock, GetPromptRequestParams, GetPromptResponse, Implementation, ListPromptsResult,
    ListResourceTemplatesResult, ListResourcesResult, ListToolsResult, PaginatedRequestParams,
    ProtocolVersion, ReadResourceRequestParams, ReadResourceResponse, ServerCapabilities,
    ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};

use super::registry::{Call, RoundTrip, ToolAnswer};
use super::{completion, instructions, prompts, resources, structured, toolset};
use crate::context::Context;

/// The nist-csf-mcp MCP server. Cheap to clone (one `Arc`), so stateless HTTP can build one per
/// request.
#[derive(Clone, Debug)]
pub struct CsfServer {
    ctx: Arc<Context>,
}

impl CsfServer {
    pub fn new(ctx: Arc<Context>) -> Self {
        CsfServer { ctx }
    }

    /// Runs one tool call as the local principal: the core of `tools/call`, callable without a
    /// transport (tests, benches). `None` for an unknown tool.
    pub async fn call(&self, name: &str, args: rmcp::model::JsonObject) -> Option<CallToolResult> {
        self.call_as(name, args, self.ctx.local_principal.clone())
            .await
    }

    /// Runs one tool call on behalf of `principal` (an authenticated HTTP caller).
    pub async fn call_as(
        &self,
        name: &str,
        args: rmcp::model::JsonObject,
        principal: Arc<str>,
    ) -> Option<CallToolResult> {
        self.call_with_peer(name, args, principal, None).await
    }

    /// Runs one tool call on behalf of `principal`, able to send requests back to `peer`.
    pub async fn call_with_peer(
        &self,
        name: &str,
        args: rmcp::model::JsonObject,
        principal: Arc<str>,
        peer: Option<rmcp::Peer<RoleServer>>,
    ) -> Option<CallToolResult> {
        let response = self
            .respond(name, args, principal, peer, RoundTrip::default())
            .await?;
        Some(match response {
            CallToolResponse::Complete(result) => result,
            // Not reachable without a round trip; said plainly rather than dropped.
            _ => CallToolResult::error(vec![ContentBlock::text(
                "this call needs the client's input (protocol 2026-07-28)",
            )]),
        })
    }

    /// Runs one tool call: its result, or (protocol 2026-07-28) the input it needs first.
    pub async fn respond(
        &self,
        name: &str,
        args: rmcp::model::JsonObject,
        principal: Arc<str>,
        peer: Option<rmcp::Peer<RoleServer>>,
        round_trip: RoundTrip,
    ) -> Option<CallToolResponse> {
        let tool = toolset::find(name)?;
        let started = std::time::Instant::now();
        let call = Call {
            service: self.ctx.service.clone(),
            actor: csf_domain::Actor::new(principal),
            peer,
            round_trip,
        };
        let result = tool.invoke(call, args).await;
        let elapsed_us = started.elapsed().as_micros();
        Some(match result {
            Ok(ToolAnswer::Done {
                structured,
                attachments,
            }) => {
                tracing::debug!(tool = name, elapsed_us, "tool ok");
                let mut result = structured::tool_result(structured);
                result.content.extend(attachments);
                result.into()
            }
            Ok(ToolAnswer::InputRequired(r)) => {
                tracing::debug!(tool = name, elapsed_us, "tool needs input");
                r.into()
            }
            Err(e) => {
                tracing::info!(tool = name, elapsed_us, error = %e, "tool error");
                CallToolResult::error(vec![ContentBlock::text(e.to_string())]).into()
            }
        })
    }
}

/// What a `tools/call` may answer and carries in protocol 2026-07-28's multi round-trip (the
/// responses and state are moved out of the request).
fn round_trip(
    request: &mut CallToolRequestParams,
    context: &RequestContext<RoleServer>,
) -> RoundTrip {
    let stateless = context
        .protocol_version()
        .is_some_and(|v| v >= ProtocolVersion::V_2026_07_28);
    // An elicitation capability without a mode means forms (the older spelling).
    let forms = stateless
        && context
            .client_capabilities()
            .and_then(|c| c.elicitation)
            .is_some_and(|e| e.form.is_some() || e.url.is_none());
    RoundTrip {
        forms,
        responses: request.input_responses.take(),
        state: request.request_state.take(),
    }
}

/// The authenticated HTTP caller, when the transport attached one to the request.
fn caller(context: &RequestContext<RoleServer>) -> Option<Arc<str>> {
    context
        .extensions
        .get::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::caller::Caller>())
        .map(|c| c.0.clone())
}

/// Tool descriptors are built once per process (schemas are generated from types).
fn tool_list() -> &'static [Tool] {
    static TOOLS: std::sync::OnceLock<Vec<Tool>> = std::sync::OnceLock::new();
    TOOLS.get_or_init(|| toolset::all().iter().map(|t| t.descriptor()).collect())
}

impl ServerHandler for CsfServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .enable_prompts()
                .enable_completions()
                .build(),
        )
        .with_server_info(
            Implementation::new("nist-csf-mcp", env!("CARGO_PKG_VERSION"))
                .with_title("NIST CSF 2.0 (official catalog)"),
        )
        .with_instructions(instructions::TEXT)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tool_list().to_vec()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        tool_list().iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        mut request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let round_trip = round_trip(&mut request, &context);
        let args = request.arguments.unwrap_or_default();
        let principal = caller(&context).unwrap_or_else(|| self.ctx.local_principal.clone());
        let peer = Some(context.peer.clone());
        match self
            .respond(&request.name, args, principal, peer, round_trip)
            .await
        {
            Some(response) => Ok(response),
            None => Err(ErrorData::invalid_params(
                format!(
                    "unknown tool `{}`; tools are: {}",
                    request.name.chars().take(64).collect::<String>(),
                    toolset::all()
                        .iter()
                        .map(|t| t.meta().name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None,
            )),
        }
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        Ok(ListResourcesResult::with_all_items(resources::list()))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        Ok(ListResourceTemplatesResult::with_all_items(
            resources::templates(),
        ))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        if let Some(stored) = resources::read_stored(&self.ctx, &request.uri).await {
            return stored.map(Into::into);
        }
        resources::read(&request.uri).map(Into::into)
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        Ok(ListPromptsResult::with_all_items(prompts::list().to_vec()))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        prompts::get(&request.name, request.arguments.as_ref()).map(Into::into)
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, ErrorData> {
        Ok(CompleteResult::new(completion::complete(&request)))
    }
}
