//! Function-level quick-assessment answers.

use crate::suite::prelude::*;

pub fn quick_answers_stay_function_level(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Quick Co");
    let p = profile(s, &o, ProfileKind::Current);
    let answers = vec![
        QuickAnswerInput {
            function_id: "PR".into(),
            status: St::Partially,
            maturity: Some(Maturity::new(2).unwrap()),
            notes: Some("MFA on most systems".into()),
        },
        QuickAnswerInput {
            function_id: "GV".into(),
            status: St::Largely,
            maturity: None,
            notes: None,
        },
    ];
    let got = s.record_quick_answers(&p.id, &answers, "alice").unwrap();
    assert_eq!(
        got.iter()
            .map(|a| a.function_id.as_str())
            .collect::<Vec<_>>(),
        vec!["GV", "PR"]
    );
    assert_eq!(got[1].maturity.map(Maturity::get), Some(2));
    // Never expanded into subcategory entries or history.
    assert!(all_entries(s, &p.id).is_empty());
    assert!(all_history(s, &p.id, None).is_empty());
    // A new answer replaces the function's old one.
    let got = s
        .record_quick_answers(
            &p.id,
            &[QuickAnswerInput {
                function_id: "PR".into(),
                status: St::Fully,
                maturity: None,
                notes: None,
            }],
            "bob",
        )
        .unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].status, St::Fully);
    assert_eq!(got[1].answered_by, "bob");
    assert_eq!(s.quick_answers(&p.id).unwrap(), got);
    let dup = vec![answers[0].clone(), answers[0].clone()];
    assert_eq!(
        invalid_field(s.record_quick_answers(&p.id, &dup, "a").unwrap_err()),
        "answers[1].function_id"
    );
}
