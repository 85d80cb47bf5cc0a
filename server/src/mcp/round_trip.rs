//! The wire side of protocol 2026-07-28's multi round-trip for form runs: a round of forms as an
//! input-required result (one `elicitation/create` input request per question, keyed by the
//! question id) with a sealed request state, and a retry's input responses and request state
//! read back. What a round means, and every check of the state against the campaign, is the
//! domain's (`run_campaign_round`); this module only keeps the state from being altered on
//! the way (an HMAC bound to the caller and the tool, valid for an hour).

use std::sync::OnceLock;
use std::time::Duration;

use csf_domain::campaigns::{FormReply, RoundForm, RoundReplies, RoundState};
use rmcp::model::{
    ElicitRequest, ElicitRequestParams, ElicitResult, ElicitationAction, InputRequest,
    InputRequests, InputRequiredResult, InputResponses, RequestStateCodec, SealOptions,
};

use super::error::ToolError;

/// How long a round's forms may stay open before the retry is refused.
const ROUND_TTL: Duration = Duration::from_secs(3600);

/// Sets the sealing key (at least 32 bytes) so that several servers behind one address accept
/// each other's rounds; without it each process seals with a random key of its own.
const KEY_ENV: &str = "CSF_REQUEST_STATE_KEY";

fn codec() -> &'static RequestStateCodec {
    static CODEC: OnceLock<RequestStateCodec> = OnceLock::new();
    CODEC.get_or_init(|| {
        if let Ok(k) = std::env::var(KEY_ENV) {
            match RequestStateCodec::try_new(k.into_bytes()) {
                Ok(codec) => return codec,
                Err(e) => tracing::warn!("{KEY_ENV} not used ({e}); sealing with a random key"),
            }
        }
        let mut key = [0u8; 32];
        if getrandom::fill(&mut key).is_err() {
            // Without OS randomness no state verifies anywhere else; the time and process id
            // still keep it from being guessed across restarts.
            tracing::warn!("no OS randomness for the request-state key");
            let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
            for (k, b) in key.iter_mut().zip(seed.bytes().cycle()) {
                *k ^= b;
            }
        }
        RequestStateCodec::new_unchecked(key.to_vec()) // 32 bytes: the minimum
    })
}

/// What the seal binds the state to: the tool and the caller, so that no other caller and no
/// other tool can use it.
fn bound_to(tool: &str, principal: &str) -> Vec<u8> {
    format!("{tool}\u{0}{principal}").into_bytes()
}

/// The round's forms as an input-required result.
pub fn input_required(
    tool: &str,
    principal: &str,
    forms: Vec<RoundForm>,
    state: &RoundState,
) -> Result<InputRequiredResult, ToolError> {
    let mut requests = InputRequests::new();
    for f in forms {
        let requested_schema = serde_json::from_value(f.schema)
            .map_err(|e| ToolError::Internal(format!("form of {}: {e}", f.question_id)))?;
        let params = ElicitRequestParams::FormElicitationParams {
            meta: None,
            message: f.message,
            requested_schema,
        };
        requests.insert(
            f.question_id,
            InputRequest::Elicitation(ElicitRequest::new(params)),
        );
    }
    let payload = serde_json::to_vec(state).map_err(|e| ToolError::Internal(e.to_string()))?;
    let ad = bound_to(tool, principal);
    let sealed = codec().seal_with(
        &payload,
        &SealOptions::new().associated_data(&ad).ttl(ROUND_TTL),
    );
    Ok(InputRequiredResult::new(Some(requests), Some(sealed)))
}

fn refused(tool: &'static str, message: String) -> ToolError {
    ToolError::InvalidArguments { tool, message }
}

/// A retry's request state, opened: refused if it was altered, made for another caller or
/// tool, or has expired.
pub fn open_state(
    tool: &'static str,
    principal: &str,
    sealed: Option<&str>,
) -> Result<RoundState, ToolError> {
    let Some(sealed) = sealed else {
        return Err(refused(
            tool,
            "input responses came without the request state of the result that asked for \
             them; return requestState unchanged, or call again without input responses"
                .into(),
        ));
    };
    let ad = bound_to(tool, principal);
    let payload = codec().open_with(sealed, &ad).map_err(|e| {
        refused(
            tool,
            format!(
                "requestState is not one this server issued to this caller, or it expired \
                 ({e}); nothing was recorded: call again without input responses for fresh \
                 forms"
            ),
        )
    })?;
    serde_json::from_slice(&payload)
        .map_err(|e| ToolError::Internal(format!("an issued request state did not read: {e}")))
}

/// A retry's input responses as form replies (each an elicitation result).
pub fn replies(
    tool: &'static str,
    responses: Option<InputResponses>,
) -> Result<RoundReplies, ToolError> {
    let mut out = RoundReplies::new();
    for (key, value) in responses.unwrap_or_default() {
        let r: ElicitResult = serde_json::from_value(value).map_err(|e| {
            refused(
                tool,
                format!(
                    "input response '{}' is not an elicitation result ({{\"action\": \
                     \"accept\" | \"decline\" | \"cancel\", \"content\": {{…}}}}): {e}",
                    key.chars().take(64).collect::<String>()
                ),
            )
        })?;
        let reply = match r.action {
            ElicitationAction::Accept => FormReply::Accept(r.content.unwrap_or_default()),
            ElicitationAction::Decline => FormReply::Decline,
            _ => FormReply::Cancel,
        };
        out.insert(key, reply);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state() -> RoundState {
        RoundState {
            campaign: "cmp_1".into(),
            assessor: "alice".into(),
            version: 3,
            asked: vec!["GV.OC-01:implementation".into()],
            recorded: Vec::new(),
            shown: 0,
        }
    }

    #[test]
    fn a_sealed_state_opens_only_for_its_tool_and_caller() {
        let form = RoundForm {
            question_id: "GV.OC-01:implementation".into(),
            message: "GV.OC-01:implementation (1 left for you)".into(),
            schema: json!({"type": "object", "properties": {"answer": {"type": "string"}}}),
        };
        let r =
            input_required("run_campaign_questions", "alice-key", vec![form], &state()).unwrap();
        let wire = serde_json::to_value(&r).unwrap();
        assert_eq!(wire["resultType"], "input_required");
        assert_eq!(
            wire["inputRequests"]["GV.OC-01:implementation"]["method"],
            "elicitation/create"
        );
        let sealed = r.request_state.unwrap();
        let opened = open_state("run_campaign_questions", "alice-key", Some(&sealed)).unwrap();
        assert_eq!(opened, state());
        assert!(open_state("run_campaign_questions", "bob-key", Some(&sealed)).is_err());
        assert!(open_state("another_tool", "alice-key", Some(&sealed)).is_err());
        assert!(open_state("run_campaign_questions", "alice-key", None).is_err());
    }

    #[test]
    fn input_responses_read_as_form_replies() {
        let mut responses = InputResponses::new();
        responses.insert(
            "a".into(),
            json!({"action": "accept", "content": {"answer": "x"}}),
        );
        responses.insert("d".into(), json!({"action": "decline"}));
        responses.insert("c".into(), json!({"action": "cancel"}));
        let r = replies("t", Some(responses)).unwrap();
        assert_eq!(r["a"], FormReply::Accept(json!({"answer": "x"})));
        assert_eq!(r["d"], FormReply::Decline);
        assert_eq!(r["c"], FormReply::Cancel);
        let mut bad = InputResponses::new();
        bad.insert("q".into(), json!("yes"));
        let e = replies("t", Some(bad)).unwrap_err().to_string();
        assert!(
            e.contains("input response 'q' is not an elicitation result"),
            "{e}"
        );
    }
}
