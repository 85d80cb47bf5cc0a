//! Operational endpoints: liveness, readiness, metrics, OAuth protected-resource metadata.
//! None of them needs credentials or a listed Host: orchestrators probe by pod IP. So they say
//! nothing an anonymous caller should not learn: `/readyz` gives a generic reason and logs the
//! details (a store error can name a file path, a host or a database user).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};

use super::{Hooks, Lifecycle};
use crate::auth::jwks::JwksHealth;
use crate::auth::oauth::OAuthValidator;
use crate::auth::Authenticator;

/// How long `/readyz` waits for the readiness hook.
const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub(crate) struct OpsState {
    pub hooks: Hooks,
    pub lifecycle: Lifecycle,
    pub auth: Authenticator,
}

pub(crate) async fn healthz() -> &'static str {
    "ok\n"
}

pub(crate) async fn readyz(State(state): State<OpsState>) -> Response {
    if state.lifecycle.draining.load(Ordering::Relaxed) {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining\n").into_response();
    }
    // With no token key in force nobody can be served; a stale key set still serves, and says
    // for how long.
    let mut warning = String::new();
    if let Authenticator::OAuth(validator) = &state.auth {
        match validator.key_health() {
            JwksHealth::Fresh => {}
            JwksHealth::Stale {
                unreadable_for,
                remaining,
            } => {
                warning = format!(
                    "warning: the JWKS file has not been readable for {} s; its keys stay in \
                     force for {} s more\n",
                    unreadable_for.as_secs(),
                    remaining.as_secs()
                );
            }
            JwksHealth::NoKeys => {
                tracing::warn!(
                    "readiness: no token signing key is in force (see the JWKS log lines)"
                );
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "not ready: no token signing key is in force\n",
                )
                    .into_response();
            }
        }
    }
    match tokio::time::timeout(READINESS_TIMEOUT, (state.hooks.readiness)()).await {
        Ok(Ok(())) => (StatusCode::OK, format!("ready\n{warning}")).into_response(),
        Ok(Err(reason)) => {
            tracing::warn!(%reason, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response()
        }
        Err(_) => {
            tracing::warn!(
                timeout_secs = READINESS_TIMEOUT.as_secs(),
                "readiness check timed out"
            );
            (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response()
        }
    }
}

pub(crate) async fn metrics(State(state): State<OpsState>) -> Response {
    let mut response = state.hooks.metrics().encode().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    response
}

pub(crate) async fn protected_resource(State(validator): State<Arc<OAuthValidator>>) -> Response {
    let mut response = validator.metadata().to_string().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=300"),
    );
    response
}
