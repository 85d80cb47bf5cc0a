//! Campaigns: answers from two handles at once all land; state changes are compare-and-set
//! and carry their answers and entries in one transaction; answers are refused in the wrong
//! state; campaigns go with their profile, counted with their answers.

use super::super::prelude::*;
use csf_store::{AnswerInput, AnswerState, CampaignChange, NewCampaign};
use serde_json::json;

fn answer(q: &str, who: &str) -> AnswerInput {
    AnswerInput {
        question_id: format!("{q}:implementation"),
        subcategory_id: q.into(),
        state: AnswerState::Answered,
        answer: Some(json!("fully")),
        confidence: None,
        notes: None,
        reason: None,
        answered_by: who.into(),
    }
}

fn new_campaign(s: &dyn Store, name: &str) -> (ProfileId, csf_store::StoredCampaign) {
    let o = org(s, name);
    let p = profile(s, &o, ProfileKind::Current);
    let c = s
        .create_campaign(
            &NewCampaign {
                profile_id: p.id.clone(),
                name: name.into(),
                state: "in_progress".into(),
                body: json!({"k": 1}),
            },
            "tester",
        )
        .unwrap();
    (p.id, c)
}

pub fn campaign_answers_from_two_handles_all_land(c: &Ctx) {
    let (_, camp) = new_campaign(c.s(), "Campaign two handles");
    let handles: Vec<_> = [("a", c.store.clone()), ("b", c.open_another())]
        .into_iter()
        .map(|(who, store)| {
            let id = camp.id.clone();
            std::thread::spawn(move || {
                for q in subs(&format!("Z{}.AA", who.to_uppercase()), 40) {
                    store
                        .put_campaign_answers(&id, &["in_progress"], &[answer(&q, who)], who)
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let rows = c.s().campaign_answers(&camp.id).unwrap();
    assert_eq!(rows.len(), 80);
    let events = c
        .s()
        .campaign_events(
            &camp.id,
            &PageRequest {
                limit: 200,
                cursor: None,
            },
        )
        .unwrap();
    assert_eq!(events.items.len(), 81, "created + one per answer");
}

pub fn campaign_changes_are_compare_and_set_with_entries(c: &Ctx) {
    let s = c.s();
    let (p, camp) = new_campaign(s, "Campaign CAS");
    let sub = subs("ZC.AA", 1).remove(0);
    s.put_campaign_answers(&camp.id, &["in_progress"], &[answer(&sub, "x")], "x")
        .unwrap();
    let change = |v: i64| CampaignChange {
        expected_version: v,
        state: "signed_off".into(),
        body: json!({"k": 2}),
        answers: vec![],
        entries: vec![EntryInput::new(&sub, St::Fully)],
        event: ("signed_off".into(), json!({})),
    };
    // A stale version changes nothing: no entry, same state.
    let e = s.change_campaign(&camp.id, &change(7), "r").unwrap_err();
    assert!(matches!(e, StoreError::Conflict { actual: 1, .. }), "{e}");
    assert!(all_entries(s, &p).is_empty());
    let (after, writes) = s.change_campaign(&camp.id, &change(1), "r").unwrap();
    assert_eq!((after.state.as_str(), after.version), ("signed_off", 2));
    assert_eq!(writes.len(), 1);
    assert_eq!(all_entries(s, &p)[0].status, St::Fully);
    // Answers are refused once the campaign moved on, naming the state.
    let e = s
        .put_campaign_answers(&camp.id, &["in_progress"], &[answer(&sub, "x")], "x")
        .unwrap_err();
    assert!(e.to_string().contains("signed_off"), "{e}");
    assert_eq!(s.campaign_answers(&camp.id).unwrap()[0].revision, 1);
    // The campaign goes with its profile, counted with its answer.
    let removed = s.delete_profile(&p).unwrap();
    assert_eq!((removed.campaigns, removed.campaign_answers), (1, 1));
    assert!(matches!(
        s.get_campaign(&camp.id),
        Err(StoreError::NotFound {
            kind: "campaign",
            ..
        })
    ));
}

pub fn removing_profiles_counts_their_campaigns_and_answers(c: &Ctx) {
    let s = c.s();
    let (p, first) = new_campaign(s, "Campaign counts");
    let o = s
        .get_organization(&s.get_profile(&p).unwrap().org_id)
        .unwrap();
    let second = s
        .create_campaign(
            &NewCampaign {
                profile_id: p.clone(),
                name: "second".into(),
                state: "in_progress".into(),
                body: json!({"k": 1}),
            },
            "tester",
        )
        .unwrap();
    let other = profile(s, &o, ProfileKind::Target);
    let third = s
        .create_campaign(
            &NewCampaign {
                profile_id: other.id.clone(),
                name: "third".into(),
                state: "in_progress".into(),
                body: json!({"k": 1}),
            },
            "tester",
        )
        .unwrap();
    let qs = subs("ZK.AA", 4);
    let rows: Vec<AnswerInput> = qs.iter().take(3).map(|q| answer(q, "x")).collect();
    s.put_campaign_answers(&first.id, &["in_progress"], &rows, "x")
        .unwrap();
    s.put_campaign_answers(&second.id, &["in_progress"], &[answer(&qs[3], "y")], "y")
        .unwrap();
    s.put_campaign_answers(&third.id, &["in_progress"], &rows[..2], "x")
        .unwrap();

    let removed = s.delete_profile(&p).unwrap();
    assert_eq!(
        (
            removed.profiles,
            removed.campaigns,
            removed.campaign_answers
        ),
        (1, 2, 4)
    );
    assert!(s.get_campaign(&first.id).is_err() && s.get_campaign(&second.id).is_err());
    assert!(
        s.get_campaign(&third.id).is_ok(),
        "another profile's campaign stays"
    );
    let removed = s.reset_organization_data(&o.id).unwrap();
    assert_eq!(
        (
            removed.profiles,
            removed.campaigns,
            removed.campaign_answers
        ),
        (1, 1, 2)
    );
}
