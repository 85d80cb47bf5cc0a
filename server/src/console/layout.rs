//! The page frame every console page shares, and the error pages.

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use maud::{html, Markup, DOCTYPE};

use super::sessions::Session;
use csf_transport::ToolClass;

/// Who is looking: what the frame shows and whether write controls appear.
#[derive(Clone, Debug)]
pub(crate) struct Viewer {
    pub session: Session,
}

impl Viewer {
    pub fn can_write(&self) -> bool {
        self.session.principal.scopes.allows(ToolClass::Write)
    }

    /// The hidden CSRF field every form carries.
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.session.csrf); }
    }
}

fn frame(title: &str, viewer: Option<&Viewer>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · NIST CSF console" }
                // No icon: without this the browser asks for /favicon.ico, which is not ours.
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(super::assets::url("console.css"));
                script src=(super::assets::url("console.js")) defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a href="/ui/" { strong { "NIST CSF console" } }
                    @if let Some(v) = viewer {
                        nav aria-label="Main" {
                            ul {
                                li { a href="/ui/" { "Organizations" } }
                                li { a href="/ui/framework" { "Framework" } }
                                li { a href="/ui/audit" { "Audit trail" } }
                            }
                        }
                        span.who {
                            "Signed in as " (v.session.principal.name)
                            @if !v.can_write() { " (read-only)" }
                            " "
                            form method="post" action="/ui/signout" {
                                (v.csrf_field())
                                button.link type="submit" { "Sign out" }
                            }
                        }
                    }
                }
                main #main { h1 { (title) } (body) }
            }
        }
    }
}

/// A full HTML page.
pub(crate) fn page(title: &str, viewer: &Viewer, body: Markup) -> Response {
    html_response(StatusCode::OK, frame(title, Some(viewer), body))
}

/// A page for someone not signed in.
pub(crate) fn public_page(status: StatusCode, title: &str, body: Markup) -> Response {
    html_response(status, frame(title, None, body))
}

pub(crate) fn html_response(status: StatusCode, markup: Markup) -> Response {
    let mut r = (status, markup.into_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// An error page: what went wrong, in words the reader can act on.
pub(crate) fn error_page(status: StatusCode, viewer: Option<&Viewer>, message: &str) -> Response {
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "Too large",
        StatusCode::CONFLICT => "Changed meanwhile",
        s if s.is_server_error() => "Unavailable",
        _ => "Cannot do that",
    };
    let body = html! {
        p.error role="alert" { (message) }
        p { a href="/ui/" { "Back to the organizations" } }
    };
    html_response(status, frame(title, viewer, body))
}

/// The domain's error as a page with the matching status.
pub(crate) fn domain_error(viewer: &Viewer, e: &csf_domain::Error) -> Response {
    use csf_domain::Error as E;
    let status = match e {
        E::NotFound(_) | E::UnknownId { .. } | E::Id(_) => StatusCode::NOT_FOUND,
        E::Conflict(_) => StatusCode::CONFLICT,
        E::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    };
    error_page(status, Some(viewer), &e.to_string())
}

/// The error of reading the record a URL names: an id that cannot even be parsed names
/// nothing either, so it is a 404 like an unknown one.
pub(crate) fn lookup_error(viewer: &Viewer, e: &csf_domain::Error) -> Response {
    use csf_domain::Error as E;
    match e {
        E::Invalid(m) => error_page(StatusCode::NOT_FOUND, Some(viewer), m),
        E::InvalidParameter { .. } => {
            error_page(StatusCode::NOT_FOUND, Some(viewer), &e.to_string())
        }
        _ => domain_error(viewer, e),
    }
}

/// What a console page answers: the page, or the error page that takes its place (so a
/// handler can use `?` on the lookups it makes).
pub(crate) type PageResult = Result<Response, Response>;

/// 303 to `to` (after a successful post).
pub(crate) fn see_other(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}
