//! DNS-rebinding defence: foreign Host or Origin is refused; operations stay reachable.

use axum::body::Body;
use csf_transport::hosts::{HostAllowlist, OriginAllowlist};
use http::{Request, StatusCode};

use crate::handler::TestServer;
use crate::support::*;

#[tokio::test]
async fn foreign_host_is_refused() {
    let app = router(&config(), &TestServer::new());
    let body = echo();
    let mut request = post(body.clone()).body(Body::from(body)).unwrap();
    request
        .headers_mut()
        .insert("host", "evil.example:8080".parse().unwrap());
    let answer = send(&app, request).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
}

#[tokio::test]
async fn foreign_origin_is_refused_and_local_origin_allowed() {
    let app = router(&config(), &TestServer::new());
    let answer = call(&app, echo(), &[("origin", "http://evil.example")]).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let null = call(&app, echo(), &[("origin", "null")]).await;
    assert_eq!(null.status, StatusCode::FORBIDDEN);
    assert_echo_ok(&call(&app, echo(), &[("origin", "http://localhost:6274")]).await);
}

#[tokio::test]
async fn configured_public_name_is_accepted() {
    let mut config = config();
    config.allowed_hosts = HostAllowlist::parse(&["csf.example.com".into()]).unwrap();
    config.allowed_origins = OriginAllowlist::parse(&["https://app.example.com".into()]).unwrap();
    let app = router(&config, &TestServer::new());
    let body = echo();
    let mut request = post(body.clone()).body(Body::from(body)).unwrap();
    request
        .headers_mut()
        .insert("host", "csf.example.com".parse().unwrap());
    request
        .headers_mut()
        .insert("origin", "https://app.example.com".parse().unwrap());
    assert_echo_ok(&send(&app, request).await);
    // The loopback default no longer applies once hosts are configured.
    assert_eq!(call(&app, echo(), &[]).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn health_is_reachable_under_any_host() {
    let app = router(&config(), &TestServer::new());
    let request = Request::get("/healthz")
        .header("host", "10.1.2.3:8080")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, request).await.status, StatusCode::OK);
}
