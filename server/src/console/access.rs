//! Who may use the console: sign-in with an API key or bearer token (checked by the same
//! authenticator as `/mcp`), the session cookie, and the checks on every post: same origin,
//! the session's CSRF token, and the `write` scope.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use maud::html;

use super::form::{self, Form, ReadError};
use super::layout::{error_page, public_page, see_other, Viewer};
use super::sessions::Session;
use super::Ui;
use csf_transport::auth::{AuthFailure, Authenticator};
use csf_transport::http::ClientAddr;
use csf_transport::limits::{RateLimit, RateLimiter};
use csf_transport::scope::Scopes;
use csf_transport::{Principal, ToolClass};

const COOKIE: &str = "csf_console";

/// Sign-in attempts per client address: a burst of this many, refilled over a minute. Keys are
/// long random strings, so this is not what makes guessing hopeless; it keeps a client from
/// spending the server's time on it.
const SIGNIN_ATTEMPTS_PER_MINUTE: u32 = 10;

/// The sign-in allowance of every client address.
pub(crate) fn signin_attempts() -> RateLimiter {
    let per_minute = f64::from(SIGNIN_ATTEMPTS_PER_MINUTE);
    RateLimiter::new(RateLimit {
        per_second: per_minute / 60.0,
        burst: per_minute,
    })
}

fn too_many_attempts(wait: std::time::Duration) -> Response {
    let seconds = wait.as_secs().max(1);
    let mut response = public_page(
        StatusCode::TOO_MANY_REQUESTS,
        "Sign in",
        signin_form(Some(&format!(
            "Too many sign-in attempts from this address: try again in {seconds} s."
        ))),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// The session id from the request's cookie, if any.
fn cookie_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

fn secure(ui: &Ui, headers: &HeaderMap) -> bool {
    ui.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn set_cookie(ui: &Ui, headers: &HeaderMap, response: &mut Response, value: &str, max_age: u64) {
    let mut cookie =
        format!("{COOKIE}={value}; Path=/ui; HttpOnly; SameSite=Strict; Max-Age={max_age}");
    if secure(ui, headers) {
        cookie.push_str("; Secure");
    }
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The cookie of a session that has just started, for the session's whole lifetime.
fn session_cookie(ui: &Ui, headers: &HeaderMap, response: &mut Response, id: &str) {
    let lifetime = ui.sessions.lifetimes().absolute.as_secs();
    set_cookie(ui, headers, response, id, lifetime);
}

/// Whether a post comes from a page of this server. Browsers say so in `Sec-Fetch-Site`
/// (sent whatever the referrer policy), and in `Origin` unless the page's referrer policy is
/// `no-referrer`, as the console's is: then Origin is `null`. So: an Origin other than `null`
/// must name the host the post was sent to; `Sec-Fetch-Site`, when present, must be
/// `same-origin`; and one of the two must vouch for the post (a post with neither is refused).
/// The host is the `Host` header, or on HTTP/2, which has none, the request's `:authority`
/// (the transport has checked either against the allowed hosts).
pub(crate) fn same_origin(headers: &HeaderMap, uri: &http::Uri) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text("host").or_else(|| uri.authority().map(|a| a.as_str()));
    let origin = text("origin").filter(|o| *o != "null");
    let fetch_site = text("sec-fetch-site");
    let origin_ok = origin.map(|origin| {
        let authority = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
    });
    let site_ok = fetch_site.map(|s| s == "same-origin");
    match (origin_ok, site_ok) {
        (Some(false), _) | (_, Some(false)) => false,
        (Some(true), _) | (_, Some(true)) => true,
        (None, None) => false,
    }
}

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn forbidden(viewer: Option<&Viewer>, message: &str) -> Response {
    error_page(StatusCode::FORBIDDEN, viewer, message)
}

/// The check in front of every console page but sign-in and the static files.
pub(crate) async fn guard(State(ui): State<Ui>, mut request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let existing = cookie_id(&headers)
        .and_then(|id| ui.sessions.touch(&id))
        .and_then(|s| recheck(&ui, s));
    let (session, fresh) = match existing {
        Some(s) => (s, false),
        // On loopback without authentication the console opens as /mcp does: everyone is the
        // same principal, still with a session (its CSRF token guards the forms).
        None if matches!(ui.auth, Authenticator::None) => {
            let anonymous = Principal {
                name: "anonymous".into(),
                scopes: Scopes::ALL,
            };
            match ui.sessions.open(anonymous, None) {
                Some(s) => (s, true),
                None => {
                    return error_page(
                        StatusCode::SERVICE_UNAVAILABLE,
                        None,
                        "cannot start a session",
                    )
                }
            }
        }
        None if request.method() == Method::GET || request.method() == Method::HEAD => {
            return see_other("/ui/signin");
        }
        None => return forbidden(None, "Your session has ended: sign in again."),
    };
    let viewer = Viewer {
        session: session.clone(),
    };
    if !session.principal.scopes.allows(ToolClass::Read) {
        return forbidden(Some(&viewer), "This key has no scope that lets it read.");
    }
    match *request.method() {
        Method::GET | Method::HEAD => {}
        Method::POST => {
            if !same_origin(&headers, request.uri()) {
                return forbidden(
                    Some(&viewer),
                    "Refused: the form was not sent from this site.",
                );
            }
            let body = std::mem::take(request.body_mut());
            let form = match form::read(body).await {
                Ok(f) => f,
                Err(ReadError::TooLarge) => {
                    return error_page(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        Some(&viewer),
                        &format!("The form is larger than {} bytes.", form::MAX_FORM_BYTES),
                    )
                }
                Err(ReadError::Malformed) => {
                    return error_page(StatusCode::BAD_REQUEST, Some(&viewer), "Unreadable form.")
                }
            };
            let token_ok = form
                .get("csrf")
                .is_some_and(|t| same_token(&t, &session.csrf));
            if !token_ok {
                return forbidden(
                    Some(&viewer),
                    "Refused: the form's security token is missing or out of date. Reload the page and try again.",
                );
            }
            // Signing out is open to every principal; anything else posted changes data.
            if request.uri().path() != "/ui/signout"
                && !session.principal.scopes.allows(ToolClass::Write)
            {
                return forbidden(Some(&viewer), "This key may read but not change anything.");
            }
            request.extensions_mut().insert(form);
        }
        _ => {
            return error_page(
                StatusCode::METHOD_NOT_ALLOWED,
                Some(&viewer),
                "Only GET and POST are used here.",
            )
        }
    }
    request.extensions_mut().insert(viewer);
    let mut response = next.run(request).await;
    if fresh {
        session_cookie(&ui, &headers, &mut response, &session.id);
    }
    response
}

/// The session if the credential it was opened with still authenticates (its principal as of
/// now); otherwise the session ends: an expired token or a withdrawn key signs the browser out.
fn recheck(ui: &Ui, mut session: Session) -> Option<Session> {
    let Some(credential) = &session.credential else {
        return Some(session);
    };
    match ui.auth.authenticate(credential) {
        Ok(principal) => {
            session.principal = principal;
            Some(session)
        }
        Err(failure) => {
            let reason = match failure {
                AuthFailure::Missing => "credential missing",
                AuthFailure::Invalid(reason) => reason,
            };
            tracing::info!(
                principal = %session.principal.name,
                reason,
                "console session ended: its credential is no longer accepted"
            );
            ui.sessions.revoke(&session.id);
            None
        }
    }
}

fn signin_form(message: Option<&str>) -> maud::Markup {
    html! {
        @if let Some(m) = message { p.error role="alert" { (m) } }
        form.stack method="post" action="/ui/signin" {
            label for="key" { "API key or bearer token" }
            input #key type="password" name="key" autocomplete="off" required;
            button type="submit" { "Sign in" }
        }
        p.muted { "The key is checked once; the browser then holds a session cookie, never the key." }
    }
}

pub(crate) async fn signin_page(State(ui): State<Ui>, headers: HeaderMap) -> Response {
    if matches!(ui.auth, Authenticator::None)
        || cookie_id(&headers).is_some_and(|id| ui.sessions.touch(&id).is_some())
    {
        return see_other("/ui/");
    }
    public_page(StatusCode::OK, "Sign in", signin_form(None))
}

pub(crate) async fn signin(State(ui): State<Ui>, request: Request) -> Response {
    let headers = request.headers().clone();
    if !same_origin(&headers, request.uri()) {
        return forbidden(None, "Refused: the form was not sent from this site.");
    }
    // Counted per client address before the key is looked at, so that guessing costs time.
    // A router served without the transport's connection loop has no address: those callers
    // share one allowance.
    let client = request
        .extensions()
        .get::<ClientAddr>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.to_string());
    if let Err(wait) = ui.signin_attempts.check(&client) {
        return too_many_attempts(wait);
    }
    let form = match form::read(request.into_body()).await {
        Ok(f) => f,
        Err(ReadError::TooLarge) => {
            return error_page(
                StatusCode::PAYLOAD_TOO_LARGE,
                None,
                "The form is too large.",
            )
        }
        Err(ReadError::Malformed) => {
            return error_page(StatusCode::BAD_REQUEST, None, "Unreadable form.")
        }
    };
    let refused = |m: &str| public_page(StatusCode::UNAUTHORIZED, "Sign in", signin_form(Some(m)));
    let Some(key) = form.get("key") else {
        return refused("Enter an API key or a bearer token.");
    };
    let mut presented = HeaderMap::new();
    let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {key}")) else {
        return refused("That key contains characters no key has.");
    };
    value.set_sensitive(true);
    presented.insert(header::AUTHORIZATION, value);
    let principal = match ui.auth.authenticate(&presented) {
        Ok(p) => p,
        Err(AuthFailure::Missing) => return refused("Enter an API key or a bearer token."),
        Err(AuthFailure::Invalid(reason)) => {
            tracing::info!(reason, "console sign-in refused");
            return refused("That key or token was not accepted.");
        }
    };
    let Some(session) = ui.sessions.open(principal, Some(presented)) else {
        return error_page(
            StatusCode::SERVICE_UNAVAILABLE,
            None,
            "cannot start a session",
        );
    };
    tracing::info!(principal = %session.principal.name, "console sign-in");
    let mut response = see_other("/ui/");
    session_cookie(&ui, &headers, &mut response, &session.id);
    response
}

pub(crate) async fn signout(
    State(ui): State<Ui>,
    axum::Extension(viewer): axum::Extension<Viewer>,
    headers: HeaderMap,
) -> Response {
    ui.sessions.revoke(&viewer.session.id);
    let mut response = if matches!(ui.auth, Authenticator::None) {
        see_other("/ui/")
    } else {
        see_other("/ui/signin")
    };
    set_cookie(&ui, &headers, &mut response, "", 0);
    response
}

/// The form a guarded post carried (inserted by [`guard`]).
pub(crate) type Posted = axum::Extension<Form>;

/// Unused session field access for pages that only need the principal's name.
pub(crate) fn principal(viewer: &Viewer) -> &str {
    let Session { principal, .. } = &viewer.session;
    &principal.name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_must_name_the_host() {
        let mut h = HeaderMap::new();
        let path = http::Uri::from_static("/ui/signin");
        assert!(!same_origin(&h, &path));
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(!same_origin(&h, &path), "no Origin");
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h, &path));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(!same_origin(&h, &path));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h, &path), "null Origin alone");
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(
            same_origin(&h, &path),
            "null Origin (no-referrer page) with Sec-Fetch-Site"
        );
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h, &path));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(!same_origin(&h, &path), "Sec-Fetch-Site cross-site wins");
        // HTTP/2: no Host header; the request's authority names the host.
        let mut h2 = HeaderMap::new();
        h2.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        let absolute = http::Uri::from_static("http://127.0.0.1:8080/ui/signin");
        assert!(same_origin(&h2, &absolute));
        assert!(!same_origin(&h2, &path), "neither Host nor authority");
        let other = http::Uri::from_static("http://evil.example/ui/signin");
        assert!(!same_origin(&h2, &other));
    }

    #[test]
    fn tokens_compare_exactly() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
    }
}
