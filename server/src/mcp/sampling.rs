//! The client's own language model, reached with an MCP `sampling/createMessage` request: the
//! channel `csf_domain::framework::search_rewriting` uses to restate a weak search query.
//! rmcp marks sampling deprecated (a later protocol revision drops server-to-client requests);
//! the revisions served today still carry it, hence the allowances below.
#![allow(deprecated)]

use csf_domain::framework::{ModelReply, QueryRewriter, RewritePrompt};
use rmcp::model::{
    ClientResult, ContextInclusion, CreateMessageRequest, CreateMessageRequestParams,
    ModelPreferences, SamplingMessage, SamplingMessageContentBlock, ServerRequest,
};
use rmcp::service::{PeerRequestOptions, ServiceError};
use rmcp::{Peer, RoleServer};

/// Sampling requests to one client.
pub struct PeerSampler(Peer<RoleServer>);

impl PeerSampler {
    /// The sampler for `peer`, or why there is none (no client on this transport, or a client
    /// that did not declare the `sampling` capability).
    pub fn of(peer: Option<&Peer<RoleServer>>) -> Result<PeerSampler, &'static str> {
        let peer = peer.ok_or("there is no client to ask (an in-process call)")?;
        let info = peer.peer_info().ok_or(
            "this connection keeps no client to send requests back to (stateless HTTP), so \
             MCP sampling cannot be used",
        )?;
        if info.capabilities.sampling.is_none() {
            return Err("the client did not declare the MCP sampling capability");
        }
        Ok(PeerSampler(peer.clone()))
    }
}

impl QueryRewriter for PeerSampler {
    fn source(&self) -> &'static str {
        "the client's own language model, through MCP sampling (sampling/createMessage)"
    }

    async fn ask(&self, prompt: RewritePrompt) -> Result<ModelReply, String> {
        let params = CreateMessageRequestParams::new(
            vec![SamplingMessage::user_text(prompt.user)],
            prompt.max_tokens,
        )
        .with_system_prompt(prompt.system)
        .with_include_context(ContextInclusion::None)
        .with_temperature(0.0)
        .with_model_preferences(
            ModelPreferences::new()
                .with_speed_priority(0.8)
                .with_cost_priority(0.8)
                .with_intelligence_priority(0.3),
        );
        let request = ServerRequest::CreateMessageRequest(CreateMessageRequest::new(params));
        let mut options = PeerRequestOptions::no_options();
        // On timeout rmcp also tells the client the request is cancelled.
        options.timeout = Some(prompt.timeout);
        let reply = self
            .0
            .send_request_with_option(request, options)
            .await
            .map_err(failure)?
            .await_response()
            .await
            .map_err(failure)?;
        let ClientResult::CreateMessageResult(result) = reply else {
            return Err("the client answered with something other than a sampling result".into());
        };
        let text = result
            .message
            .content
            .into_vec()
            .into_iter()
            .find_map(|c| match c {
                SamplingMessageContentBlock::Text(t) => Some(t.text),
                _ => None,
            });
        Ok(ModelReply {
            text,
            model: result.model,
        })
    }
}

/// Why a sampling request brought no reply, in words for the caller.
fn failure(e: ServiceError) -> String {
    match e {
        ServiceError::McpError(e) => format!("the client refused the request: {}", e.message),
        ServiceError::Timeout { timeout } => {
            format!("the client did not reply within {} s", timeout.as_secs())
        }
        ServiceError::Cancelled { .. } => "the request was cancelled".into(),
        other => format!("the request to the client failed: {other}"),
    }
}
