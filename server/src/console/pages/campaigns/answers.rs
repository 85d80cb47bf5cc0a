//! The posted answers of an assessor's form, recorded as `answer_campaign_questions` does.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use super::{campaign_href, invalid, write, Call, PER_FORM};
use crate::console::access::Posted;
use crate::console::form::Form;
use crate::console::layout::Viewer;
use crate::console::render::enc;
use crate::console::Ui;

pub(crate) async fn answer(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    Extension(form): Posted,
) -> Response {
    let assessor = form.get("assessor").unwrap_or_default();
    let answers = posted_answers(&form);
    if answers.is_empty() {
        return invalid(
            &viewer,
            "no answer given: choose an answer or give a reason to skip for at least one question"
                .into(),
        );
    }
    let args = json!({ "campaign_id": id, "assessor": assessor, "answers": answers });
    let call =
        Call::new("answer_campaign_questions", args).valid("; confidence is high, medium or low");
    let back = format!(
        "{}/questions?assessor={}",
        campaign_href(&id),
        enc(&assessor)
    );
    write(
        &ui,
        &viewer,
        call,
        |svc, a, r| async move { svc.answer_campaign_questions(&a, r).await },
        move |_| back,
    )
    .await
}

/// The answered or skipped questions of the form, as the tool's `answers` items: question `i`
/// posts its id as `q{i}`, its answer `a{i}` or skip reason `s{i}`, confidence `c{i}` and
/// notes `n{i}`; a question with neither answer nor reason is left out.
fn posted_answers(form: &Form) -> Vec<Value> {
    let mut answers = Vec::new();
    for i in 0..PER_FORM as usize {
        let Some(qid) = form.get(&format!("q{i}")) else {
            continue;
        };
        let mut item = serde_json::Map::new();
        match (form.get(&format!("a{i}")), form.get(&format!("s{i}"))) {
            (Some(a), _) => {
                // Maturity answers are integers; every other answer is text.
                let value = match a.parse::<u8>() {
                    Ok(n) if qid.ends_with(":maturity") => json!(n),
                    _ => json!(a),
                };
                item.insert("answer".into(), value);
            }
            (None, Some(reason)) => {
                item.insert("skip_reason".into(), json!(reason));
            }
            (None, None) => continue,
        }
        item.insert("question_id".into(), json!(qid));
        for (key, field) in [("confidence", "c"), ("notes", "n")] {
            if let Some(v) = form.get(&format!("{field}{i}")) {
                item.insert(key.into(), json!(v));
            }
        }
        answers.push(Value::Object(item));
    }
    answers
}
