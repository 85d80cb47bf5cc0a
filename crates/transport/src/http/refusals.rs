//! The answers a request gets when it is turned away before (or instead of) the MCP handler:
//! one JSON shape (`error`, `error_description`), the right status, `Retry-After` where waiting
//! helps, and each counted under its [`Rejection`] reason.

use std::time::Duration;

use axum::body::Body;
use axum::response::Response;
use http::{header, HeaderValue, StatusCode};

use crate::auth::Authenticator;
use crate::metrics::{Metrics, Rejection};
use crate::rpc_inspect::Refusal;
use crate::scope::ToolClass;

use super::body::BodyError;

/// Retry-After for a new session refused at a session cap: places free up as sessions are
/// deleted or reach rmcp's idle timeout, so a short wait is worth it, a tight loop is not.
const SESSIONS_FULL_RETRY: Duration = Duration::from_secs(10);

pub(crate) fn error_response(status: StatusCode, error: &str, description: &str) -> Response {
    let body = serde_json::json!({ "error": error, "error_description": description }).to_string();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

pub(crate) fn retry_after(mut response: Response, wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    response
}

/// A refusal sent while (part of) the request body is still unread. Hyper will not reuse such
/// a connection, so say so: without `Connection: close` a keep-alive client sends its next
/// request on a socket that is about to close, and that request fails.
pub(crate) fn closing(mut response: Response, body_unread: bool) -> Response {
    if body_unread {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// 503 `overloaded` with `Retry-After: 1`, counted under `why`.
pub(crate) fn overloaded(metrics: &Metrics, why: Rejection, description: &str) -> Response {
    metrics.reject(why);
    retry_after(
        error_response(StatusCode::SERVICE_UNAVAILABLE, "overloaded", description),
        Duration::from_secs(1),
    )
}

/// 503 for a request over `--max-concurrent`.
pub(crate) fn shed(metrics: &Metrics) -> Response {
    overloaded(metrics, Rejection::Shed, "too many requests in flight")
}

/// 503 for a slow upload when as many are already waiting for their bodies as there are slots.
pub(crate) fn uploads_waiting(metrics: &Metrics) -> Response {
    overloaded(
        metrics,
        Rejection::SlowUploads,
        "too many slow uploads waiting for their bodies",
    )
}

/// 503 + `Connection: close` for anything but a health probe on a connection accepted over
/// `--max-connections` (see `conn.rs`).
pub(crate) fn connections_full(metrics: Option<&Metrics>) -> Response {
    if let Some(metrics) = metrics {
        metrics.reject(Rejection::ConnectionsFull);
    }
    closing(
        retry_after(
            error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "the server has as many open connections as it allows; retry shortly",
            ),
            Duration::from_secs(1),
        ),
        true,
    )
}

/// 429 for a principal that already has its share of `--max-concurrent` in flight: the others
/// keep theirs.
pub(crate) fn principal_busy(metrics: &Metrics, share: usize) -> Response {
    metrics.reject(Rejection::PrincipalBusy);
    retry_after(
        error_response(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_in_flight",
            &format!(
                "this caller already has {share} requests in flight, its share of the server; \
                 wait for an answer before sending more"
            ),
        ),
        Duration::from_secs(1),
    )
}

/// 503 for an initialize while `--max-sessions` sessions are live.
pub(crate) fn sessions_full(metrics: &Metrics, max_sessions: usize) -> Response {
    metrics.reject(Rejection::SessionsFull);
    tracing::warn!(
        max_sessions,
        "refused a new session: --max-sessions reached"
    );
    retry_after(
        error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "too_many_sessions",
            "the server has as many sessions as it allows; retry later or end unused sessions \
             with DELETE",
        ),
        SESSIONS_FULL_RETRY,
    )
}

/// 429 for an initialize from a principal that holds `--max-sessions-per-principal` sessions.
pub(crate) fn principal_sessions_full(metrics: &Metrics, principal: &str, max: usize) -> Response {
    metrics.reject(Rejection::PrincipalSessionsFull);
    tracing::info!(
        principal,
        max,
        "refused a new session: the caller holds its share of the sessions"
    );
    retry_after(
        error_response(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_sessions",
            &format!(
                "this caller already has {max} sessions open, the most one caller may hold; \
                 end unused sessions with DELETE"
            ),
        ),
        SESSIONS_FULL_RETRY,
    )
}

/// 403 `insufficient_scope` naming the scope the call needs.
pub(crate) fn insufficient_scope(
    metrics: &Metrics,
    auth: &Authenticator,
    principal: &str,
    needs: ToolClass,
) -> Response {
    metrics.reject(Rejection::InsufficientScope);
    tracing::info!(principal, needs = %needs, "refused: insufficient scope");
    let mut response = error_response(
        StatusCode::FORBIDDEN,
        "insufficient_scope",
        &format!("this call needs the {} scope", auth.scope_name(needs)),
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        auth.insufficient_scope_challenge(needs),
    );
    response
}

/// The refusal for a body that could not be read whole.
pub(crate) fn body_refusal(metrics: &Metrics, error: &BodyError) -> Response {
    match error {
        BodyError::TooLarge => too_large(metrics),
        // A body the connection could not deliver (bad chunk framing, a reset) is the sender's
        // malformed request.
        BodyError::Malformed => {
            metrics.reject(Rejection::BadBody);
            error_response(
                StatusCode::BAD_REQUEST,
                "malformed_body",
                "malformed request body: it could not be read as sent (check the chunked \
                 encoding or Content-Length)",
            )
        }
    }
}

/// 413 for a body over `--max-body`.
pub(crate) fn too_large(metrics: &Metrics) -> Response {
    metrics.reject(Rejection::TooLarge);
    error_response(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        "request body over the limit",
    )
}

/// A body refused before rmcp: 400 with the JSON-RPC error saying why.
pub(crate) fn jsonrpc_refusal(refusal: &Refusal) -> Response {
    let mut response = Response::new(Body::from(refusal.to_json()));
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
