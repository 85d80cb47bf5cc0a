//! `400` for a request whose target host is malformed (two `Host` headers, user information,
//! `Host` and the request target disagreeing; see [`crate::hosts::host_problem`]), on every
//! route: before any allowlist reads a host that another reader could take differently.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::StatusCode;

use super::refusals::{closing, error_response};
use crate::hosts::host_problem;
use crate::metrics::{Metrics, Rejection};

pub(crate) async fn reject_malformed_host(
    State(metrics): State<Metrics>,
    request: Request,
    next: Next,
) -> Response {
    let Some(problem) = host_problem(request.uri(), request.headers()) else {
        return next.run(request).await;
    };
    metrics.reject(Rejection::BadHost);
    // A request this malformed is not worth a second one on the same connection.
    closing(
        error_response(
            StatusCode::BAD_REQUEST,
            "bad_host",
            &format!("malformed request: {problem}"),
        ),
        true,
    )
}

/// `403` for a request to a route beside `/mcp` whose Host is not allowed: the same DNS
/// rebinding defence the `/mcp` gate applies.
pub(crate) async fn require_allowed_host(
    State(hosts): State<std::sync::Arc<crate::hosts::HostAllowlist>>,
    request: Request,
    next: Next,
) -> Response {
    if hosts.allows(request.uri(), request.headers()) {
        return next.run(request).await;
    }
    closing(
        error_response(StatusCode::FORBIDDEN, "forbidden", "Host is not allowed"),
        true,
    )
}
