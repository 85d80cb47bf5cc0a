//! Questions as form elicitations: the form a client shows for one question (enumerated
//! choices, confidence, notes, or a reason to skip), and the answer its content maps to. The
//! person answers in the client's own interface, so the answer is theirs, not an assistant's
//! paraphrase.

use serde_json::{json, Value};

use super::service::AnswerItem;
use crate::assessment::questions::{Dimension, Question};
use crate::error::{Error, Result};

/// The message and requested schema of the form for `q`.
pub fn form(q: &Question, remaining: usize) -> (String, Value) {
    let levels = super::context::levels(q.dimension);
    let answer = match q.dimension {
        Dimension::Ownership => json!({
            "type": "string", "title": "Accountable owner (name or role)",
            "minLength": 1, "maxLength": 200,
        }),
        _ => json!({
            "type": "string", "title": "Answer",
            "description": levels.iter().map(|l| format!("{}: {}", l.value, l.looks_like))
                .collect::<Vec<_>>().join(" | "),
            "enum": levels.iter().map(|l| l.value.clone()).collect::<Vec<_>>(),
        }),
    };
    let schema = json!({
        "type": "object",
        "properties": {
            "answer": answer,
            "confidence": {
                "type": "string", "title": "How sure are you?",
                "enum": ["low", "medium", "high"],
            },
            "notes": {"type": "string", "title": "Notes (optional)", "maxLength": 2000},
            "skip_reason": {
                "type": "string", "title": "Skip instead: why (leave the answer empty)",
                "maxLength": 2000,
            },
        },
    });
    let message = format!("{} ({remaining} left for you)\n\n{}", q.id, q.text);
    (message, schema)
}

/// The answer a submitted form gives: an answer, or a skip with its reason.
pub fn answer_from_form(q: &Question, content: &Value) -> Result<AnswerItem> {
    // Every field of the form is a string (the choices are strings too): a number or a list
    // in its place is refused by name rather than read as a missing field.
    let text = |k: &str| -> Result<Option<String>> {
        match content.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => {
                let s = s.trim();
                Ok((!s.is_empty()).then(|| s.to_owned()))
            }
            Some(other) => Err(Error::Invalid(format!(
                "{}: `{k}` must be text (one of the form's choices where it has them), not {other}",
                q.id
            ))),
        }
    };
    let confidence = match text("confidence")?.as_deref() {
        None => None,
        Some(c) => Some(
            serde_json::from_value(Value::String(c.to_owned())).map_err(|_| {
                Error::Invalid(format!("confidence `{c}`: use low, medium or high"))
            })?,
        ),
    };
    let answer = match (q.dimension, text("answer")?) {
        (_, None) => None,
        (Dimension::Maturity, Some(a)) => Some(
            a.parse::<u64>()
                .map(Value::from)
                .map_err(|_| Error::Invalid(format!("maturity `{a}`: use 0–5")))?,
        ),
        (_, Some(a)) => Some(Value::String(a)),
    };
    let skip_reason = text("skip_reason")?;
    if answer.is_none() && skip_reason.is_none() {
        return Err(Error::Invalid(format!(
            "{}: the form had neither an answer nor a reason to skip",
            q.id
        )));
    }
    Ok(AnswerItem {
        question_id: q.id.clone(),
        // An answer wins over a skip reason given beside it.
        skip_reason: if answer.is_some() { None } else { skip_reason },
        answer,
        confidence,
        notes: text("notes")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::questions::questions;

    #[test]
    fn forms_map_to_answers_and_skips() {
        let qs = questions(
            None,
            Some("GV.OC"),
            &[Dimension::Maturity, Dimension::Evidence],
        );
        let (_, schema) = form(&qs[0], 3);
        assert_eq!(schema["properties"]["answer"]["enum"][5], "5");
        let a = answer_from_form(&qs[0], &json!({"answer": "4", "confidence": "low"})).unwrap();
        assert_eq!(a.answer, Some(json!(4)));
        assert!(a.skip_reason.is_none());
        let s = answer_from_form(&qs[1], &json!({"skip_reason": "later"})).unwrap();
        assert_eq!((s.answer, s.skip_reason.as_deref()), (None, Some("later")));
        assert!(answer_from_form(&qs[1], &json!({"notes": "x"})).is_err());
        assert!(answer_from_form(&qs[0], &json!({"answer": "x"})).is_err());
        let number = answer_from_form(&qs[0], &json!({"answer": 4})).unwrap_err();
        assert!(
            number.to_string().contains("`answer` must be text"),
            "{number}"
        );
        assert!(answer_from_form(&qs[0], &json!({"answer": "4", "notes": ["x"]})).is_err());
    }
}
