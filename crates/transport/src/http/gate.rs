//! The checks every `/mcp` request passes, in order, before rmcp sees it:
//! Host/Origin → concurrency slot → authentication → rate limit → the principal's share of the
//! slots → session owner (and, for a new session, the session caps) → body size → body
//! received → body readable as one JSON-RPC message (else 400 with the JSON-RPC error) →
//! scope. A JSON-RPC-shaped body that only rmcp's decoder refuses (rmcp: 415, before any
//! handler) gets that same 400 once rmcp has refused it, so after the scope check. A request
//! without a JSON-RPC body (GET, DELETE, any other method) needs the `read` scope.
//! `--timeout` covers all of it, body included.
//! Then it is timed and counted, and a JSON answer is peeked at for JSON-RPC or tool errors.
//!
//! A body still arriving after `SLOT_GRACE` gives its slot back and waits for the rest in a
//! pool of its own, as large as the slots (full: 503), then takes a slot again: slow senders
//! cannot hold the slots, nor park without bound (see `body.rs`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{header, Method, StatusCode};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::auth::{AuthFailure, Authenticator, Principal};
use crate::hosts::{HostAllowlist, OriginAllowlist};
use crate::limits::RateLimiter;
use crate::metrics::{CallLabels, ErrorKind, Metrics, Rejection};
use crate::rpc_inspect::{inspect, inspect_quick};
use crate::scope::ToolClass;

use super::answer_peek::response_error;
use super::body::{BodyReader, SLOT_GRACE};
use super::refusals::{
    body_refusal, closing, error_response, insufficient_scope, jsonrpc_refusal, principal_busy,
    principal_sessions_full, retry_after, sessions_full, shed, too_large, uploads_waiting,
};
use super::sessions::{Reservation, SessionCheck, SessionOwners, SessionsFull};
use super::tally::Tally;

/// Classifies a tool name; `None` for a tool the server does not have.
pub type Classifier = Arc<dyn Fn(&str) -> Option<ToolClass> + Send + Sync>;

pub(crate) struct Gate {
    pub hosts: HostAllowlist,
    pub origins: OriginAllowlist,
    pub auth: Authenticator,
    pub limiter: Option<RateLimiter>,
    pub slots: Arc<Semaphore>,
    /// Each principal's share of the slots (`None`: one principal, as with `--auth none`).
    pub shares: Option<Arc<Tally<String>>>,
    pub max_body: usize,
    /// Requests whose body is still arriving after `SLOT_GRACE`, waiting without a slot.
    pub waiting: Arc<Semaphore>,
    pub timeout: Duration,
    pub classify: Classifier,
    pub on_authenticated: Option<super::OnAuthenticated>,
    pub metrics: Metrics,
    /// Session owners (`--sessions` mode only).
    pub sessions: Option<Arc<SessionOwners>>,
    /// Live sessions at most; a request for a new one over it gets 503.
    pub max_sessions: usize,
    /// Live sessions one principal may hold; a request for another gets 429.
    pub max_sessions_per_principal: usize,
}

/// The metric label of a request without a JSON-RPC body: its HTTP method from a fixed set.
/// HTTP allows any method token, and rmcp answers every one (405 for most), so the raw method
/// must never become a label: each distinct value would add series for the life of the process.
fn http_method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "get",
        Method::DELETE => "delete",
        _ => "other",
    }
}

/// Whether the request carries a body (declared non-empty or chunked).
fn carries_body(headers: &http::HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
}

/// A place for the session `principal`'s request may open, or the refusal.
async fn session_room(
    gate: &Gate,
    owners: &Arc<SessionOwners>,
    principal: &str,
) -> Result<Reservation, Response> {
    match owners
        .reserve(
            principal,
            gate.max_sessions,
            gate.max_sessions_per_principal,
        )
        .await
    {
        Ok(reservation) => Ok(reservation),
        Err(SessionsFull::All) => Err(sessions_full(&gate.metrics, gate.max_sessions)),
        Err(SessionsFull::Principal) => Err(principal_sessions_full(
            &gate.metrics,
            principal,
            gate.max_sessions_per_principal,
        )),
    }
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

pub(crate) async fn gate(State(gate): State<Arc<Gate>>, request: Request, next: Next) -> Response {
    let metrics = &gate.metrics;
    let body_unread = carries_body(request.headers());
    if !gate.hosts.allows(request.uri(), request.headers())
        || !gate.origins.allows(request.headers())
    {
        metrics.reject(Rejection::ForbiddenHost);
        return closing(
            error_response(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Host or Origin is not allowed",
            ),
            body_unread,
        );
    }
    let Ok(slot) = Arc::clone(&gate.slots).try_acquire_owned() else {
        return closing(shed(metrics), body_unread);
    };
    // The deadline covers reading the body too, so a slow sender cannot hold its place among
    // the waiting uploads forever.
    match tokio::time::timeout(gate.timeout, admit_and_run(&gate, request, next, slot)).await {
        Ok(response) => response,
        Err(_) => {
            metrics.reject(Rejection::Timeout);
            // The deadline may have cut the body off midway.
            closing(
                error_response(
                    StatusCode::GATEWAY_TIMEOUT,
                    "timeout",
                    "request took too long",
                ),
                body_unread,
            )
        }
    }
}

async fn admit_and_run(
    gate: &Gate,
    request: Request,
    next: Next,
    slot: OwnedSemaphorePermit,
) -> Response {
    let body_unread = carries_body(request.headers());
    admit_and_run_inner(gate, request, next, slot)
        .await
        .unwrap_or_else(|refusal| closing(refusal, body_unread))
}

/// `Err`: refused before the body was read completely; `Ok`: the body was read (or the request
/// was handed on to rmcp).
async fn admit_and_run_inner(
    gate: &Gate,
    request: Request,
    next: Next,
    slot: OwnedSemaphorePermit,
) -> Result<Response, Response> {
    let metrics = &gate.metrics;
    let principal = match gate.auth.authenticate(request.headers()) {
        Ok(principal) => principal,
        Err(failure) => {
            metrics.reject(Rejection::Unauthorized);
            let description = match failure {
                AuthFailure::Missing => "authentication required",
                AuthFailure::Invalid(reason) => reason,
            };
            let mut response =
                error_response(StatusCode::UNAUTHORIZED, "invalid_token", description);
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                gate.auth.unauthorized_challenge(failure),
            );
            return Err(response);
        }
    };
    if let Some(limiter) = &gate.limiter {
        if let Err(wait) = limiter.check(&principal.name) {
            metrics.reject(Rejection::RateLimited);
            return Err(retry_after(
                error_response(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    "request rate limit exceeded",
                ),
                wait,
            ));
        }
    }
    // Held until the answer is ready, also while a slow body waits without a slot: a caller's
    // slow uploads count against its own share.
    let _share = match &gate.shares {
        None => None,
        Some(shares) => match shares.enter(principal.name.clone()) {
            Some(guard) => Some(guard),
            None => return Err(principal_busy(metrics, shares.max())),
        },
    };
    let session = match &gate.sessions {
        None => None,
        Some(owners) => match owners.check(request.headers(), &principal.name) {
            SessionCheck::Refused => {
                metrics.reject(Rejection::UnknownSession);
                // The id itself is not logged: it is the session's only handle.
                tracing::info!(principal = %principal.name, "refused: session id unknown or owned by another principal");
                return Err(error_response(
                    StatusCode::NOT_FOUND,
                    "session_not_found",
                    "no such session: start a new one with initialize",
                ));
            }
            SessionCheck::Unbound => {
                // Only a POST without a session id can create one (an initialize). Its place
                // is held from here until the answer is bound, also while its body arrives.
                let reservation = if request.method() == Method::POST {
                    Some(session_room(gate, owners, &principal.name).await?)
                } else {
                    None
                };
                Some((Arc::clone(owners), None, reservation))
            }
            SessionCheck::Owned(id) => Some((Arc::clone(owners), Some(id), None)),
        },
    };
    let (mut parts, body) = request.into_parts();
    // The body as sent, kept (a reference count) in case rmcp cannot decode it.
    let mut sent = None;
    let (body, labels, _slot) = if parts.method == Method::POST {
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > gate.max_body as u64) {
            return Err(too_large(metrics));
        }
        let mut reader = BodyReader::new(body, gate.max_body);
        let slot = match reader.read_within(SLOT_GRACE).await {
            Some(read) => {
                read.map_err(|e| body_refusal(metrics, &e))?;
                slot
            }
            None => {
                // Still arriving: let a request that is ready run meanwhile, and take a slot
                // back once this body is here. Waiting has its own cap, or any number of slow
                // uploads could wait at once (each holding its request until --timeout).
                let Ok(waiting) = Arc::clone(&gate.waiting).try_acquire_owned() else {
                    return Err(uploads_waiting(metrics));
                };
                drop(slot);
                reader
                    .read_to_end()
                    .await
                    .map_err(|e| body_refusal(metrics, &e))?;
                drop(waiting);
                let Ok(slot) = Arc::clone(&gate.slots).try_acquire_owned() else {
                    return Ok(shed(metrics)); // the body was read: the connection stays usable
                };
                slot
            }
        };
        let bytes = reader.finish();
        let inspection = match inspect_quick(&bytes, gate.classify.as_ref()) {
            Ok(inspection) => inspection,
            Err(refusal) => {
                metrics.reject(Rejection::BadBody);
                return Ok(jsonrpc_refusal(&refusal));
            }
        };
        if !principal.scopes.allows(inspection.needs) {
            return Ok(insufficient_scope(
                metrics,
                &gate.auth,
                &principal.name,
                inspection.needs,
            ));
        }
        sent = Some(bytes.clone());
        (Body::from(bytes), inspection.labels, slot)
    } else {
        // No JSON-RPC body to classify: reading a stream or ending a session is a read.
        if !principal.scopes.allows(ToolClass::Read) {
            return Err(insufficient_scope(
                metrics,
                &gate.auth,
                &principal.name,
                ToolClass::Read,
            ));
        }
        let labels = CallLabels {
            method: http_method_label(&parts.method),
            tool: String::new(),
        };
        (body, labels, slot)
    };
    // Handlers can see who called through the request parts rmcp hands them.
    if let Some(hook) = &gate.on_authenticated {
        hook(&principal, &mut parts.extensions);
    }
    let owner = principal.name.clone();
    let method = parts.method.clone();
    parts.extensions.insert::<Principal>(principal);
    let _in_flight = metrics.in_flight();
    let started = Instant::now();
    let response = next.run(Request::from_parts(parts, body)).await;
    // rmcp answers 415 for a body its decoder refuses (before any handler runs) and for a
    // wrong content type. The former gets the refusal `inspect` gives, as if decided here.
    if response.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE {
        if let Some(Err(refusal)) = sent.map(|sent| inspect(&sent, gate.classify.as_ref())) {
            metrics.reject(Rejection::BadBody);
            return Ok(jsonrpc_refusal(&refusal));
        }
    }
    match session {
        Some((owners, None, reservation)) => {
            owners.bind(response.headers(), &owner).await;
            drop(reservation);
        }
        Some((owners, Some(id), _))
            if method == Method::DELETE && response.status().is_success() =>
        {
            owners.unbind(&id)
        }
        _ => {}
    }
    let (response, error) = if !response.status().is_success() {
        (response, Some(ErrorKind::Http))
    } else if is_json(&response) {
        let (parts, body) = response.into_parts();
        match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => {
                let error = response_error(&bytes);
                (Response::from_parts(parts, Body::from(bytes)), error)
            }
            Err(_) => (
                error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "response body failed",
                ),
                Some(ErrorKind::Http),
            ),
        }
    } else {
        (response, None)
    };
    metrics.observe_call(&labels, started.elapsed(), error);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_methods_are_labelled_from_a_fixed_set() {
        assert_eq!(http_method_label(&Method::GET), "get");
        assert_eq!(http_method_label(&Method::DELETE), "delete");
        for other in [
            "PUT",
            "PATCH",
            "OPTIONS",
            "PURGE",
            "X-A-VERY-LONG-METHOD-NAME",
        ] {
            let method = Method::from_bytes(other.as_bytes()).unwrap();
            assert_eq!(http_method_label(&method), "other", "{other}");
        }
    }
}
