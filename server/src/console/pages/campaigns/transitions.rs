//! The state changes of a campaign from its page: start or submit, send back, sign off.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use serde_json::json;

use super::{campaign_href, write, Call};
use crate::console::access::Posted;
use crate::console::form::Form;
use crate::console::layout::Viewer;
use crate::console::render::enc;
use crate::console::Ui;

fn version(form: &Form) -> Option<i64> {
    form.get("expected_version").and_then(|v| v.parse().ok())
}

pub(crate) async fn set_state(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    Extension(form): Posted,
) -> Response {
    let args = json!({
        "campaign_id": id,
        "to": form.get("to").unwrap_or_default(),
        "expected_version": version(&form),
    });
    let back = campaign_href(&id);
    write(
        &ui,
        &viewer,
        Call::new("set_campaign_state", args).valid("; `to`: use in_progress or in_review"),
        |svc, a, r| async move { svc.set_campaign_state(&a, r).await },
        move |_| back,
    )
    .await
}

pub(crate) async fn send_back(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    Extension(form): Posted,
) -> Response {
    let args = json!({
        "campaign_id": id,
        "items": [{
            "question_id": form.get("question_id").unwrap_or_default(),
            "reason": form.get("reason").unwrap_or_default(),
        }],
        "expected_version": version(&form),
    });
    let back = campaign_href(&id);
    write(
        &ui,
        &viewer,
        Call::new("send_back_campaign_items", args),
        |svc, a, r| async move { svc.send_back_campaign_items(&a, r).await },
        move |_| back,
    )
    .await
}

pub(crate) async fn sign_off(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    Extension(form): Posted,
) -> Response {
    let args = json!({
        "campaign_id": id,
        "cycle_date": form.get("cycle_date"),
        "expected_version": version(&form),
    });
    write(
        &ui,
        &viewer,
        Call::new("sign_off_campaign", args),
        |svc, a, r| async move { svc.sign_off_campaign(&a, r).await },
        |out| format!("/ui/profiles/{}", enc(&out.campaign.profile_id)),
    )
    .await
}
