//! The web console's profile dashboard rendered on the server, in process: one GET of a
//! profile with an entry for every subcategory (106 in CSF 2.0) through the console's router
//! (session check, five domain reads, the charts, the page). `cargo bench -p csf-benches
//! --bench console_dashboard`; the budget is 5 ms median.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use axum::body::Body;
use criterion::{criterion_group, criterion_main, Criterion};
use csf_domain::Actor;
use csf_transport::auth::Authenticator;
use http::Request;
use serde_json::json;
use tower::ServiceExt;

const STATUSES: [&str; 4] = ["fully", "largely", "partially", "not_implemented"];

fn dashboard(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let service = Arc::new(csf_domain::Service::in_memory().unwrap());
    let actor = Actor::new("bench");
    let profile = rt.block_on(async {
        let org = service
            .create_organization(
                &actor,
                serde_json::from_value(json!({"name": "Bench Org", "size": "medium"})).unwrap(),
            )
            .await
            .unwrap();
        let profile = service
            .create_profile(
                &actor,
                serde_json::from_value(json!({
                    "org_id": org.organization.id.to_string(), "kind": "current", "name": "Now"
                }))
                .unwrap(),
            )
            .await
            .unwrap()
            .profile
            .id
            .to_string();
        let entries: Vec<_> = csf_catalog::subcategories()
            .iter()
            .filter(|s| !s.withdrawn)
            .enumerate()
            .map(|(i, s)| {
                json!({"subcategory_id": s.id, "status": STATUSES[i % 4], "maturity": 1 + i % 5,
                       "notes": "bench"})
            })
            .collect();
        assert_eq!(entries.len(), 106);
        // At most 100 entries a call.
        for chunk in entries.chunks(53) {
            service
                .record_assessment(
                    &actor,
                    serde_json::from_value(json!({"profile_id": profile, "entries": chunk}))
                        .unwrap(),
                )
                .await
                .unwrap();
        }
        profile
    });
    let router = nist_csf_mcp::console::routes(
        service,
        nist_csf_mcp::console::ConsoleOptions::default(),
        &Authenticator::None,
    );
    let path = format!("/ui/profiles/{profile}");
    // One session, as a browser keeps: the first answer's cookie goes with every request.
    let first = rt
        .block_on(
            router
                .clone()
                .oneshot(Request::get(&path).body(Body::empty()).unwrap()),
        )
        .unwrap();
    assert_eq!(first.status(), 200);
    let cookie = first.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    c.bench_function("console/dashboard/106-entries", |b| {
        b.iter(|| {
            let request = Request::get(&path)
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap();
            let response = rt.block_on(router.clone().oneshot(request)).unwrap();
            assert_eq!(response.status(), 200);
            rt.block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
                .unwrap()
        })
    });
}

criterion_group!(benches, dashboard);
criterion_main!(benches);
