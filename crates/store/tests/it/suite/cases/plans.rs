//! Implementation plans: create, duplicate ids, get, list and paging, compare-and-set
//! updates, input errors, and deletion with their profiles and organization.

use crate::suite::prelude::*;
use csf_store::{NewPlan, Organization, Profile, StoredPlan};
use serde_json::json;

/// A plan id unique across cases sharing one database.
fn plan_id(tag: &str) -> String {
    principal(tag)
}

fn new_plan(id: &str, o: &Organization, cur: &Profile, tgt: &Profile) -> NewPlan {
    NewPlan {
        id: id.to_owned(),
        org_id: o.id.clone(),
        current_profile_id: cur.id.clone(),
        target_profile_id: tgt.id.clone(),
        name: "Invented roadmap".into(),
        body: json!({ "steps": [{ "subcategory": "ZZ.AA-01", "due": "2027-Q1" }], "note": "x" }),
    }
}

fn setup(s: &dyn Store, name: &str) -> (Organization, Profile, Profile) {
    let o = org(s, name);
    let cur = profile(s, &o, ProfileKind::Current);
    let tgt = profile(s, &o, ProfileKind::Target);
    (o, cur, tgt)
}

fn plan_not_found(e: StoreError) -> bool {
    matches!(e, StoreError::NotFound { kind: "plan", .. })
}

pub fn plans_create_get_and_duplicate_id_conflicts(c: &Ctx) {
    let s = c.s();
    let (o, cur, tgt) = setup(s, "Plan Co");
    let id = plan_id("create");
    let new = new_plan(&id, &o, &cur, &tgt);
    let created = s.create_plan(&new, "alice").unwrap();
    assert_eq!(created.id, id);
    assert_eq!(created.org_id, o.id);
    assert_eq!(created.current_profile_id, cur.id);
    assert_eq!(created.target_profile_id, tgt.id);
    assert_eq!(created.name, "Invented roadmap");
    assert_eq!(created.revision, 1);
    assert_eq!(created.body, new.body);
    assert_eq!(
        (created.created_by.as_str(), created.updated_by.as_str()),
        ("alice", "alice")
    );
    assert_eq!(created.created_at, created.updated_at);
    assert_eq!(s.get_plan(&id).unwrap(), created);
    // Another handle (process, replica) reads the same plan.
    assert_eq!(c.open_another().get_plan(&id).unwrap(), created);

    // A taken id is a conflict naming the stored revision; the stored plan is untouched.
    let mut again = new_plan(&id, &o, &cur, &tgt);
    again.body = json!({ "other": true });
    let e = s.create_plan(&again, "bob").unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert!(
        matches!(&e, StoreError::Conflict { kind: "plan", id: i, expected: 0, actual: 1 } if *i == id),
        "{e:?}"
    );
    s.update_plan(&id, 1, &json!({ "v": 2 }), "alice").unwrap();
    let e = s.create_plan(&again, "bob").unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::Conflict {
                expected: 0,
                actual: 2,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(s.get_plan(&id).unwrap().body, json!({ "v": 2 }));

    // Current and target may be the same profile; bodies keep nesting, unicode and NUL.
    let odd = json!({ "a": { "b": [1, 2.5, null, "é\u{0}"] }, "": "" });
    let same = NewPlan {
        body: odd.clone(),
        ..new_plan(&plan_id("same"), &o, &cur, &cur)
    };
    assert_eq!(s.create_plan(&same, "alice").unwrap().body, odd);
    assert_eq!(s.get_plan(&same.id).unwrap().body, odd);
    assert!(plan_not_found(s.get_plan(&plan_id("ghost")).unwrap_err()));
}

pub fn plans_list_by_org_in_creation_order_with_paging(c: &Ctx) {
    let s = c.s();
    let (o, cur, tgt) = setup(s, "Listed Plans");
    let (other, ocur, otgt) = setup(s, "Other Plans");
    // Ids that sort against creation order: listing must follow creation, not ids.
    let ids: Vec<String> = ["zulu", "alpha", "mike"]
        .iter()
        .map(|t| plan_id(t))
        .collect();
    for id in &ids {
        s.create_plan(&new_plan(id, &o, &cur, &tgt), "a").unwrap();
    }
    let foreign = plan_id("foreign");
    s.create_plan(&new_plan(&foreign, &other, &ocur, &otgt), "a")
        .unwrap();

    let first = s.list_plans(Some(&o.id), &PageRequest::first(2)).unwrap();
    assert_eq!(
        first.items.iter().map(|p| &p.id).collect::<Vec<_>>(),
        vec![&ids[0], &ids[1]]
    );
    let cursor = first.next_cursor.expect("a second page");
    let second = s
        .list_plans(
            Some(&o.id),
            &PageRequest {
                limit: 2,
                cursor: Some(cursor),
            },
        )
        .unwrap();
    assert_eq!(
        second.items.iter().map(|p| &p.id).collect::<Vec<_>>(),
        vec![&ids[2]]
    );
    assert_eq!(second.next_cursor, None);
    assert_eq!(second.items[0], s.get_plan(&ids[2]).unwrap());

    // Without an organization: every plan, ours still in creation order.
    let mut all = Vec::new();
    let mut page = PageRequest::first(3);
    loop {
        let got = s.list_plans(None, &page).unwrap();
        all.extend(got.items.into_iter().map(|p| p.id));
        match got.next_cursor {
            Some(cur) => page.cursor = Some(cur),
            None => break,
        }
    }
    let positions: Vec<usize> = ids
        .iter()
        .chain([&foreign])
        .map(|id| all.iter().position(|x| x == id).expect("listed"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert_eq!(all.len(), all.iter().collect::<HashSet<_>>().len());

    let ghost = OrgId::generate();
    assert!(matches!(
        s.list_plans(Some(&ghost), &PageRequest::default())
            .unwrap_err(),
        StoreError::NotFound {
            kind: "organization",
            ..
        }
    ));
    let bad = PageRequest {
        limit: 2,
        cursor: Some("zulu".into()),
    };
    assert_eq!(
        invalid_field(s.list_plans(None, &bad).unwrap_err()),
        "cursor"
    );
    assert_eq!(
        invalid_field(s.list_plans(None, &PageRequest::first(0)).unwrap_err()),
        "limit"
    );
}

pub fn plan_updates_are_compare_and_set(c: &Ctx) {
    let s = c.s();
    let (o, cur, tgt) = setup(s, "CAS Plans");
    let id = plan_id("cas");
    let created = s
        .create_plan(&new_plan(&id, &o, &cur, &tgt), "alice")
        .unwrap();

    let v2 = s
        .update_plan(&id, 1, &json!({ "steps": [] }), "bob")
        .unwrap();
    assert_eq!(v2.revision, 2);
    assert_eq!(v2.body, json!({ "steps": [] }));
    assert_eq!(
        (v2.created_by.as_str(), v2.updated_by.as_str()),
        ("alice", "bob")
    );
    assert_eq!(v2.created_at, created.created_at);
    assert!(v2.updated_at >= created.updated_at);
    assert_eq!(
        (v2.name.as_str(), &v2.org_id),
        (created.name.as_str(), &created.org_id)
    );
    assert_eq!(s.get_plan(&id).unwrap(), v2);

    // A stale revision fails, names the current one, and changes nothing.
    let e = s
        .update_plan(&id, 1, &json!({ "lost": true }), "carol")
        .unwrap_err();
    assert!(e.to_string().contains("expected_revision 2"), "{e}");
    assert!(
        matches!(
            e,
            StoreError::Conflict {
                kind: "plan",
                expected: 1,
                actual: 2,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(s.get_plan(&id).unwrap(), v2);
    let e = s.update_plan(&id, 7, &json!({}), "carol").unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::Conflict {
                expected: 7,
                actual: 2,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(s.get_plan(&id).unwrap(), v2);

    // Writers racing on one revision, on separate handles: exactly one wins.
    let writers: Vec<_> = (0..4)
        .map(|i| {
            let store = c.open_another();
            let id = id.clone();
            std::thread::spawn(move || store.update_plan(&id, 2, &json!({ "writer": i }), "w"))
        })
        .collect();
    let results: Vec<_> = writers.into_iter().map(|h| h.join().unwrap()).collect();
    let winners: Vec<&StoredPlan> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    assert!(results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .all(|e| matches!(
            e,
            StoreError::Conflict {
                expected: 2,
                actual: 3,
                ..
            }
        )));
    assert_eq!(&s.get_plan(&id).unwrap(), winners[0]);
    assert_eq!(winners[0].revision, 3);

    assert!(plan_not_found(
        s.update_plan(&plan_id("ghost"), 1, &json!({}), "a")
            .unwrap_err()
    ));
    assert_eq!(
        invalid_field(s.update_plan(&id, 0, &json!({}), "a").unwrap_err()),
        "expected_revision"
    );
    assert_eq!(
        invalid_field(s.update_plan(&id, 3, &json!("text"), "a").unwrap_err()),
        "body"
    );
    assert_eq!(
        invalid_field(s.update_plan(&id, 3, &json!({}), "").unwrap_err()),
        "principal"
    );
    assert_eq!(s.get_plan(&id).unwrap().revision, 3);
}

pub fn plan_input_errors_name_the_field(c: &Ctx) {
    let s = c.s();
    let (o, cur, tgt) = setup(s, "Invalid Plans");
    let (other, ocur, _) = setup(s, "Someone Else");
    let id = plan_id("bad");
    let ok = new_plan(&id, &o, &cur, &tgt);
    let field = |p: NewPlan| invalid_field(s.create_plan(&p, "a").unwrap_err());

    for bad in [
        "",
        "has space",
        "dot.ted",
        "slash/ed",
        "é",
        &"a".repeat(101),
    ] {
        let e = s
            .create_plan(
                &NewPlan {
                    id: bad.to_owned(),
                    ..ok.clone()
                },
                "a",
            )
            .unwrap_err();
        assert!(e.to_string().contains("A-Z, a-z, 0-9, '_', '-'"), "{e}");
        assert_eq!(invalid_field(e), "id");
    }
    // 100 characters is the longest id accepted.
    let longest = format!("{:p<100}", plan_id("long"));
    assert_eq!(longest.len(), 100);
    let stored = s
        .create_plan(&new_plan(&longest, &o, &cur, &tgt), "a")
        .unwrap();
    assert_eq!(stored.id, longest);
    assert_eq!(
        field(NewPlan {
            name: "  ".into(),
            ..ok.clone()
        }),
        "name"
    );
    assert_eq!(
        field(NewPlan {
            name: "x".repeat(201),
            ..ok.clone()
        }),
        "name"
    );
    for body in [json!([1, 2]), json!("plan"), json!(null), json!(3)] {
        let e = s
            .create_plan(&NewPlan { body, ..ok.clone() }, "a")
            .unwrap_err();
        assert!(e.to_string().contains("must be a JSON object"), "{e}");
    }
    let huge = json!({ "k": "x".repeat(csf_store::MAX_PLAN_BODY) });
    let e = s
        .create_plan(
            &NewPlan {
                body: huge,
                ..ok.clone()
            },
            "a",
        )
        .unwrap_err();
    assert!(e.to_string().contains("1 MiB"), "{e}");
    assert_eq!(
        field(NewPlan {
            target_profile_id: ocur.id.clone(),
            ..ok.clone()
        }),
        "target_profile_id"
    );
    assert_eq!(
        field(NewPlan {
            org_id: other.id.clone(),
            ..ok.clone()
        }),
        "current_profile_id"
    );
    assert_eq!(
        invalid_field(s.create_plan(&ok, "").unwrap_err()),
        "principal"
    );
    assert!(matches!(
        s.create_plan(
            &NewPlan {
                org_id: OrgId::generate(),
                ..ok.clone()
            },
            "a"
        )
        .unwrap_err(),
        StoreError::NotFound {
            kind: "organization",
            ..
        }
    ));
    assert!(matches!(
        s.create_plan(
            &NewPlan {
                current_profile_id: ProfileId::generate(),
                ..ok.clone()
            },
            "a"
        )
        .unwrap_err(),
        StoreError::NotFound {
            kind: "profile",
            ..
        }
    ));
    // Nothing above was stored.
    assert!(plan_not_found(s.get_plan(&id).unwrap_err()));
    assert_eq!(
        invalid_field(s.get_plan("no spaces please").unwrap_err()),
        "plan_id"
    );
    // The valid plan goes in after all.
    assert_eq!(s.create_plan(&ok, "a").unwrap().revision, 1);
}

pub fn plans_go_with_their_profiles_and_organization(c: &Ctx) {
    let s = c.s();
    let (o, cur, tgt) = setup(s, "Cascade Plans");
    let cur2 = profile(s, &o, ProfileKind::Current);
    let (keep_o, keep_cur, keep_tgt) = setup(s, "Bystander");
    let by_current = plan_id("by-current");
    let by_target = plan_id("by-target");
    let survivor = plan_id("survivor");
    let bystander = plan_id("bystander");
    s.create_plan(&new_plan(&by_current, &o, &cur, &tgt), "a")
        .unwrap();
    s.create_plan(&new_plan(&survivor, &o, &cur2, &tgt), "a")
        .unwrap();
    s.create_plan(&new_plan(&bystander, &keep_o, &keep_cur, &keep_tgt), "a")
        .unwrap();

    // Deleting a profile deletes the plans starting from it.
    let removed = s.delete_profile(&cur.id).unwrap();
    assert_eq!((removed.profiles, removed.plans), (1, 1));
    assert!(plan_not_found(s.get_plan(&by_current).unwrap_err()));
    assert!(s.get_plan(&survivor).is_ok());

    // ... and those leading to it.
    let tgt2 = profile(s, &o, ProfileKind::Target);
    s.create_plan(&new_plan(&by_target, &o, &cur2, &tgt2), "a")
        .unwrap();
    let removed = s.delete_profile(&tgt2.id).unwrap();
    assert_eq!((removed.profiles, removed.plans), (1, 1));
    assert!(plan_not_found(s.get_plan(&by_target).unwrap_err()));

    // Resetting the organization deletes the rest of its plans, no one else's.
    let removed = s.reset_organization_data(&o.id).unwrap();
    assert_eq!((removed.profiles, removed.plans), (2, 1));
    assert!(plan_not_found(s.get_plan(&survivor).unwrap_err()));
    assert!(s
        .list_plans(Some(&o.id), &PageRequest::default())
        .unwrap()
        .items
        .is_empty());
    assert!(s.get_plan(&bystander).is_ok());

    // Deleting an organization counts its plans too.
    let removed = s.delete_organization(&keep_o.id).unwrap();
    assert_eq!(
        (removed.organizations, removed.profiles, removed.plans),
        (1, 2, 1)
    );
    assert!(plan_not_found(s.get_plan(&bystander).unwrap_err()));
    // A deleted plan's id may be used again.
    let (o2, c2, t2) = setup(s, "Reuse");
    assert_eq!(
        s.create_plan(&new_plan(&bystander, &o2, &c2, &t2), "a")
            .unwrap()
            .revision,
        1
    );
}
