//! Streamable HTTP for any rmcp [`ServerHandler`]: stateless JSON by default, sessions by flag,
//! behind Host/Origin allowlists, authentication, limits and metrics.
//!
//! [`app`] builds the `axum::Router` (tests drive it with `tower::ServiceExt::oneshot`),
//! [`run`] serves it on a bound listener (tests bind `127.0.0.1:0`), [`serve`] does both from
//! an [`HttpConfig`]. Shutdown: stop accepting, let in-flight requests finish (up to the
//! grace period), then return so the caller can close its store.

mod activity;
mod answer_peek;
mod body;
mod clients;
mod conn;
mod gate;
mod host_check;
mod ops;
mod refusals;
mod sessions;
mod tally;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use futures::future::BoxFuture;
use http::StatusCode;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::ServerHandler;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tower::ServiceBuilder;

pub use clients::ClientAddr;
pub use gate::Classifier;

use crate::auth::api_key::ApiKeys;
use crate::auth::jwks::JwksReload;
use crate::auth::oauth::OAuthValidator;
use crate::auth::{Authenticator, Principal};
use crate::config::{AuthConfig, ConfigError, ConnectionLimits, HttpConfig};
use crate::limits::RateLimiter;
use crate::metrics::Metrics;
use crate::scope::ToolClass;
use gate::Gate;
use ops::OpsState;
use refusals::error_response;
use sessions::SessionOwners;
use tally::Tally;

/// The MCP endpoint path.
pub const MCP_PATH: &str = "/mcp";

/// Readiness probe: `Ok` when the server can do its job (e.g. its store answers).
pub type Readiness = Arc<dyn Fn() -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// Adds the server's own request extensions for an authenticated caller.
pub type OnAuthenticated = Arc<dyn Fn(&Principal, &mut http::Extensions) + Send + Sync>;

/// Builds routes the server serves beside `/mcp` (e.g. a web console), given the configured
/// authenticator so that they admit the same principals with the same scopes.
pub type ExtraRoutes = Arc<dyn Fn(&Authenticator) -> Router + Send + Sync>;

/// What the transport needs to know about the server it carries.
#[derive(Clone)]
pub struct Hooks {
    pub(crate) readiness: Readiness,
    pub(crate) classify: Classifier,
    pub(crate) on_authenticated: Option<OnAuthenticated>,
    pub(crate) extra_routes: Option<ExtraRoutes>,
    metrics: Metrics,
}

impl Hooks {
    /// `classify` maps a tool name to its class (`None`: no such tool); readiness defaults to
    /// always ready. A name classified as a tool becomes a metric label, so classify exact
    /// names only (never, say, any spelling of a name in any case).
    pub fn new(classify: impl Fn(&str) -> Option<ToolClass> + Send + Sync + 'static) -> Hooks {
        Hooks {
            readiness: Arc::new(|| Box::pin(async { Ok(()) })),
            classify: Arc::new(classify),
            on_authenticated: None,
            extra_routes: None,
            metrics: Metrics::new(),
        }
    }

    /// Sets the readiness probe used by `/readyz` (bounded by a 2 s timeout). The reason a probe
    /// gives is logged, never sent: `/readyz` answers anyone, and a store error can name a file
    /// path, a host or a database user.
    pub fn with_readiness<F, Fut>(mut self, probe: F) -> Hooks
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.readiness = Arc::new(move || Box::pin(probe()));
        self
    }

    /// Lets the server put its own types into the request's extensions once the caller is known
    /// (rmcp hands handlers the `http::request::Parts`, extensions included). The transport
    /// always inserts its [`Principal`] too.
    pub fn on_authenticated(
        mut self,
        hook: impl Fn(&Principal, &mut http::Extensions) + Send + Sync + 'static,
    ) -> Hooks {
        self.on_authenticated = Some(Arc::new(hook));
        self
    }

    /// Serves the routes `build` returns beside `/mcp`. They pass the same Host allowlist (DNS
    /// rebinding) but not the `/mcp` gate: they authenticate, limit bodies and check origins
    /// themselves, with the [`Authenticator`] they are given.
    pub fn with_routes(
        mut self,
        build: impl Fn(&Authenticator) -> Router + Send + Sync + 'static,
    ) -> Hooks {
        self.extra_routes = Some(Arc::new(build));
        self
    }

    /// The registry `/metrics` exposes.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
}

/// Shutdown coordination shared by [`app`] and [`run`].
#[derive(Clone, Default)]
pub struct Lifecycle {
    ct: CancellationToken,
    draining: Arc<AtomicBool>,
    close_streams_on_drain: Arc<AtomicBool>,
    /// The app's registry, for what the connection loop counts (connections refused).
    metrics: Arc<OnceLock<Metrics>>,
}

impl Lifecycle {
    /// A fresh lifecycle (not draining).
    pub fn new() -> Lifecycle {
        Lifecycle::default()
    }

    /// Marks the server as draining: `/readyz` turns 503; in session mode SSE streams close.
    pub fn begin_drain(&self) {
        self.draining.store(true, Ordering::Relaxed);
        if self.close_streams_on_drain.load(Ordering::Relaxed) {
            self.ct.cancel();
        }
    }

    /// Stops everything still running (sessions, JWKS reloads).
    pub fn stop(&self) {
        self.draining.store(true, Ordering::Relaxed);
        self.ct.cancel();
    }
}

/// Starting or running the HTTP server failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// Configuration refused.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// Address asked for.
        addr: SocketAddr,
        /// Cause.
        source: io::Error,
    },
    /// The server loop failed.
    #[error("HTTP server failed: {0}")]
    Io(#[from] io::Error),
}

fn authenticator(config: &HttpConfig, lifecycle: &Lifecycle) -> Result<Authenticator, ConfigError> {
    Ok(match &config.auth {
        AuthConfig::None => Authenticator::None,
        AuthConfig::ApiKeys(keys) => Authenticator::ApiKeys(Arc::new(ApiKeys::new(keys.clone())?)),
        AuthConfig::OAuth(oauth) => {
            let validator = Arc::new(OAuthValidator::load(oauth.clone())?);
            spawn_jwks_reload(&validator, lifecycle);
            Authenticator::OAuth(validator)
        }
    })
}

fn spawn_jwks_reload(validator: &Arc<OAuthValidator>, lifecycle: &Lifecycle) {
    let every = validator.config().jwks_refresh;
    if every.is_zero() {
        return;
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::warn!("no async runtime: JWKS file will not be reloaded");
        return;
    };
    let validator = Arc::downgrade(validator);
    let ct = lifecycle.ct.clone();
    runtime.spawn(async move {
        loop {
            tokio::select! {
                _ = ct.cancelled() => return,
                _ = tokio::time::sleep(every) => {}
            }
            let Some(validator) = validator.upgrade() else {
                return;
            };
            log_reload(&validator.reload());
        }
    });
}

fn log_reload(outcome: &JwksReload) {
    match outcome {
        JwksReload::Loaded(keys) => tracing::debug!(keys, "JWKS reloaded"),
        JwksReload::NoUsableKey => tracing::error!(
            "JWKS file holds no usable signing key: no key is trusted, every token is refused \
             until the file holds one"
        ),
        JwksReload::Unreadable { error, remaining } => tracing::warn!(
            %error,
            keys_dropped_in_secs = remaining.as_secs(),
            "JWKS reload failed; keeping the previous keys until --oauth-jwks-max-stale runs out"
        ),
        JwksReload::Expired {
            error,
            unreadable_for,
        } => tracing::error!(
            %error,
            unreadable_for_secs = unreadable_for.as_secs(),
            "JWKS file unreadable for longer than --oauth-jwks-max-stale: the previous keys are \
             dropped, every token is refused until the file can be read"
        ),
    }
}

fn rmcp_config(config: &HttpConfig, lifecycle: &Lifecycle) -> StreamableHttpServerConfig {
    StreamableHttpServerConfig::default()
        .with_legacy_session_mode(config.sessions)
        .with_json_response(!config.sessions)
        .with_max_request_body_bytes(config.max_body)
        .with_cancellation_token(lifecycle.ct.child_token())
        // Our gate enforces the configurable allowlists; rmcp's own list is loopback-only.
        .disable_allowed_hosts()
        .disable_allowed_origins()
}

/// Builds the router: `/mcp` behind the gate, plus `/healthz`, `/readyz`, `/metrics` and (OAuth)
/// the protected-resource metadata. `factory` is called per request in stateless mode, so keep
/// it a cheap `Arc` clone.
pub fn app<S, F>(
    config: &HttpConfig,
    factory: F,
    hooks: Hooks,
    lifecycle: &Lifecycle,
) -> Result<Router, ConfigError>
where
    S: ServerHandler + Send + 'static,
    F: Fn() -> S + Send + Sync + 'static,
{
    config.check_secure()?;
    let auth = authenticator(config, lifecycle)?;
    lifecycle
        .close_streams_on_drain
        .store(config.sessions, Ordering::Relaxed);
    let _ = lifecycle.metrics.set(hooks.metrics().clone());
    // Without authentication every caller is the same principal: a share would only lower
    // the global caps.
    let authenticated = !matches!(auth, Authenticator::None);
    let shares = (authenticated && config.max_concurrent_per_principal < config.max_concurrent)
        .then(|| Arc::new(Tally::new(config.max_concurrent_per_principal.max(1))));
    let max_sessions_per_principal = if authenticated {
        config.max_sessions_per_principal.min(config.max_sessions)
    } else {
        config.max_sessions
    };
    // One session manager, shared with the gate so that it can prune owners of dead sessions.
    let session_manager = Arc::new(LocalSessionManager::default());
    let gate = Arc::new(Gate {
        hosts: config.allowed_hosts.clone(),
        origins: config.allowed_origins.clone(),
        auth: auth.clone(),
        limiter: config.rate_limit.map(RateLimiter::new),
        slots: Arc::new(Semaphore::new(config.max_concurrent)),
        shares,
        max_body: config.max_body,
        waiting: Arc::new(Semaphore::new(config.max_concurrent)),
        timeout: config.timeout,
        classify: Arc::clone(&hooks.classify),
        on_authenticated: hooks.on_authenticated.clone(),
        metrics: hooks.metrics().clone(),
        sessions: config
            .sessions
            .then(|| Arc::new(SessionOwners::new(Arc::clone(&session_manager)))),
        max_sessions: config.max_sessions,
        max_sessions_per_principal,
    });
    // One layer in front of rmcp: the gate does checks, limits, timeout and metrics in a single
    // future rather than a tower layer each (every layer adds a boxed future per request).
    let stack = ServiceBuilder::new().layer(axum::middleware::from_fn_with_state(gate, gate::gate));
    let rmcp_config = rmcp_config(config, lifecycle);
    let factory = move || Ok(factory());
    let mcp = if config.sessions {
        Router::new().route_service(
            MCP_PATH,
            stack.service(StreamableHttpService::new(
                factory,
                session_manager,
                rmcp_config,
            )),
        )
    } else {
        Router::new().route_service(
            MCP_PATH,
            stack.service(StreamableHttpService::new(
                factory,
                Arc::new(NeverSessionManager::default()),
                rmcp_config,
            )),
        )
    };
    let ops = Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .with_state(OpsState {
            hooks: hooks.clone(),
            lifecycle: lifecycle.clone(),
            auth: auth.clone(),
        });
    let mut router = mcp.merge(ops);
    if let Some(build) = &hooks.extra_routes {
        let hosts = Arc::new(config.allowed_hosts.clone());
        router = router.merge(build(&auth).layer(axum::middleware::from_fn_with_state(
            hosts,
            host_check::require_allowed_host,
        )));
    }
    if let Authenticator::OAuth(validator) = &auth {
        let well_known = "/.well-known/oauth-protected-resource";
        let mut metadata = Router::new().route(well_known, get(ops::protected_resource));
        if validator.metadata_path() != well_known {
            metadata = metadata.route(validator.metadata_path(), get(ops::protected_resource));
        }
        router = router.merge(metadata.with_state(Arc::clone(validator)));
    }
    Ok(router
        .fallback(|| async {
            error_response(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
        })
        .layer(axum::middleware::from_fn_with_state(
            hooks.metrics().clone(),
            host_check::reject_malformed_host,
        )))
}

/// Serves `router` on `listener` with the default [`ConnectionLimits`] until `shutdown`
/// resolves, then drains for at most `grace`.
pub async fn run(
    listener: TcpListener,
    router: Router,
    lifecycle: Lifecycle,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> io::Result<()> {
    run_with_limits(
        listener,
        router,
        lifecycle,
        shutdown,
        grace,
        ConnectionLimits::default(),
    )
    .await
}

/// Serves `router` on `listener` until `shutdown` resolves: at most `limits.max_connections`
/// open sockets (plus a few that answer health probes only), at most `limits.max_per_client`
/// from one address, request heads within `limits.header_timeout`, connections idle that long
/// closed (see `conn`). On shutdown it stops accepting, lets in-flight requests finish for at
/// most `grace`, then closes the rest.
pub async fn run_with_limits(
    listener: TcpListener,
    router: Router,
    lifecycle: Lifecycle,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
    limits: ConnectionLimits,
) -> io::Result<()> {
    let on_shutdown = {
        let lifecycle = lifecycle.clone();
        move || {
            tracing::info!("shutdown requested: no new connections, draining in-flight requests");
            lifecycle.begin_drain();
        }
    };
    let limits = ConnectionLimits {
        max_connections: conn::fit_to_fd_limit(limits.max_connections, conn::open_files_limit()),
        ..limits
    };
    let metrics = lifecycle.metrics.get().cloned();
    conn::serve_until(
        listener,
        router,
        limits,
        metrics,
        shutdown,
        on_shutdown,
        grace,
    )
    .await;
    lifecycle.stop();
    Ok(())
}

/// Binds `config.bind`, builds the app and serves until `shutdown` resolves.
pub async fn serve<S, F>(
    config: HttpConfig,
    factory: F,
    hooks: Hooks,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), HttpError>
where
    S: ServerHandler + Send + 'static,
    F: Fn() -> S + Send + Sync + 'static,
{
    let lifecycle = Lifecycle::new();
    let router = app(&config, factory, hooks, &lifecycle)?;
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(|source| HttpError::Bind {
            addr: config.bind,
            source,
        })?;
    let local = listener.local_addr()?;
    tracing::info!(
        addr = %local,
        mode = if config.sessions { "sessions (SSE)" } else { "stateless JSON" },
        "serving MCP over Streamable HTTP at http://{local}{MCP_PATH}"
    );
    run_with_limits(
        listener,
        router,
        lifecycle,
        shutdown,
        config.shutdown_grace,
        config.connections,
    )
    .await?;
    Ok(())
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
