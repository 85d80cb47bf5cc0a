//! The web console under `/ui/`: server-rendered pages over the same domain service as the MCP
//! tools, for people who work in a browser rather than an AI assistant. Pages are adapters:
//! they parse a form or a path, call `csf_domain::Service`, and render its answer.
//!
//! Each area (organizations, entries, campaigns, evidence, …) is a module under `pages/` with
//! its routes in [`routes`].

mod access;
mod assets;
mod form;
mod headers;
mod layout;
mod pages;
mod render;
mod sessions;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use csf_domain::Service;
use csf_transport::auth::Authenticator;

pub use sessions::Lifetimes;

/// How the console is served.
#[derive(Clone, Copy, Debug, Default)]
pub struct ConsoleOptions {
    /// Mark the session cookie `Secure` (the console is reached over TLS, e.g. behind a proxy).
    pub secure_cookies: bool,
    pub lifetimes: Lifetimes,
}

/// What every console handler reaches.
#[derive(Clone)]
pub(crate) struct Ui {
    pub service: Arc<Service>,
    pub auth: Authenticator,
    pub sessions: Arc<sessions::Sessions>,
    pub signin_attempts: Arc<csf_transport::limits::RateLimiter>,
    pub secure_cookies: bool,
}

/// The console's routes, to be served beside `/mcp` (see `csf_transport::Hooks::with_routes`).
pub fn routes(service: Arc<Service>, options: ConsoleOptions, auth: &Authenticator) -> Router {
    let ui = Ui {
        service,
        auth: auth.clone(),
        sessions: Arc::new(sessions::Sessions::new(options.lifetimes)),
        signin_attempts: Arc::new(access::signin_attempts()),
        secure_cookies: options.secure_cookies,
    };
    let guarded = Router::new()
        .route("/ui/", get(pages::orgs::home).post(pages::orgs::create_org))
        .route("/ui/signout", post(access::signout))
        .route(
            "/ui/orgs/{org}",
            get(pages::orgs::organization).post(pages::orgs::create_profile),
        )
        .route(
            "/ui/orgs/{org}/evidence",
            get(pages::evidence::register).post(pages::evidence::create),
        )
        .route("/ui/evidence/{id}", get(pages::evidence::item))
        .route("/ui/evidence/{id}/link", post(pages::evidence::link))
        .route("/ui/profiles/{profile}", get(pages::dashboard::show))
        .route(
            "/ui/profiles/{profile}/campaigns",
            get(pages::campaigns::index).post(pages::campaigns::create),
        )
        .route("/ui/campaigns/{id}", get(pages::campaigns::show))
        .route(
            "/ui/campaigns/{id}/questions",
            get(pages::campaigns::questions),
        )
        .route("/ui/campaigns/{id}/answers", post(pages::campaigns::answer))
        .route(
            "/ui/campaigns/{id}/state",
            post(pages::campaigns::set_state),
        )
        .route(
            "/ui/campaigns/{id}/send-back",
            post(pages::campaigns::send_back),
        )
        .route(
            "/ui/campaigns/{id}/sign-off",
            post(pages::campaigns::sign_off),
        )
        .route(
            "/ui/profiles/{profile}/entries/{sub}",
            get(pages::entry::show).post(pages::entry::record),
        )
        .route("/ui/profiles/{profile}/reports", get(pages::reports::index))
        .route(
            "/ui/profiles/{profile}/reports/view",
            get(pages::reports::view),
        )
        .route(
            "/ui/profiles/{profile}/reports/download",
            get(pages::reports::download),
        )
        .route("/ui/framework", get(pages::framework::index))
        .route("/ui/framework/{id}", get(pages::framework::element))
        .route("/ui/audit", get(pages::audit::trail))
        // The transport's own fallback answers paths outside /ui/; these get the console's page.
        .route("/ui/{*rest}", get(pages::not_found).post(pages::not_found))
        .layer(axum::middleware::from_fn_with_state(
            ui.clone(),
            access::guard,
        ));
    Router::new()
        .route("/ui", get(|| async { layout::see_other("/ui/") }))
        .route("/ui/signin", get(access::signin_page).post(access::signin))
        .route("/ui/static/{file}", get(assets::serve))
        .merge(guarded)
        .layer(axum::middleware::from_fn(headers::secure))
        .with_state(ui)
}
