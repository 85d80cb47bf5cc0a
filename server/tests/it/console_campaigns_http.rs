//! The console's evidence register and assessment campaigns through the real binary: items
//! registered, linked and escaped; a campaign run through its forms to sign-off; a read-only
//! key that sees no write control and cannot write; unknown ids and posts without the token.

use crate::support::console::{
    answer_for, campaign, every_write, evidence, location, org_and_profile, question_ids, start,
    Browser, HOSTILE, READER, WRITER,
};
use csf_testkit::store_dump;

#[test]
fn evidence_register_lists_links_and_escapes_items() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("c.db"), false, &[]);
    let mut b = Browser::new(&server.addr);
    let (org, profile) = org_and_profile(&mut b, "Evidence org");
    assert!(b.get(&org).body.contains("/evidence\""), "org links it");
    assert!(
        b.get(&profile).body.contains("/evidence\""),
        "profile links it"
    );
    let item = evidence(&mut b, &org, HOSTILE);
    assert!(item.starts_with("/ui/evidence/evd_"), "{item}");
    // A claimed outcome without evidence shows up in the register's list.
    let csrf = b.csrf(&org);
    let a = b.post(
        &format!("{profile}/entries/GV.OC-02"),
        &[("csrf", &csrf), ("status", "fully")],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let register = b.get(&format!("{org}/evidence"));
    assert_eq!(register.status, 200);
    assert!(
        !register.body.contains("<script>alert"),
        "title not escaped"
    );
    assert!(register.body.contains("&lt;script&gt;alert"));
    assert!(register.body.contains("dms:POL-0042"));
    let claimed = register.body.split("without evidence").nth(1).unwrap();
    assert!(claimed.contains("GV.OC-02"), "implemented without evidence");
    let stale = register.body.split("Stale").nth(1).unwrap();
    assert!(stale.contains("days overdue"), "the item is past review");
    let unused = register.body.split("Unused").nth(1).unwrap();
    assert!(unused.contains(&item), "never linked: unused");
    // Linking it to an entry through the item page.
    let pid = profile.rsplit('/').next().unwrap();
    let a = b.post(
        &format!("{item}/link"),
        &[
            ("csrf", &csrf),
            ("profile_id", pid),
            ("subcategory_id", "GV.OC-02"),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let page = b.get(&item);
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script>alert"));
    assert!(page.body.contains(&format!("{profile}/entries/GV.OC-02")));
    let register = b.get(&format!("{org}/evidence")).body;
    let claimed = register.split("without evidence").nth(1).unwrap();
    let claimed = claimed.split("Unused").next().unwrap();
    assert!(!claimed.contains("GV.OC-02"), "now evidenced");
    // A bad link is refused with the reason.
    let a = b.post(
        &format!("{item}/link"),
        &[
            ("csrf", &csrf),
            ("profile_id", pid),
            ("subcategory_id", "ZZ.QQ-99"),
        ],
    );
    assert_eq!(a.status, 400, "{}", a.body);
}

#[test]
fn a_campaign_runs_through_the_forms_to_sign_off() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("c.db"), false, &[]);
    let mut b = Browser::new(&server.addr);
    let (_org, profile) = org_and_profile(&mut b, "Campaign org");
    let listing = b.get(&format!("{profile}/campaigns"));
    assert_eq!(listing.status, 200);
    let camp = campaign(&mut b, &profile, "Jo: GV.OC");
    assert!(camp.starts_with("/ui/campaigns/camp_"), "{camp}");
    let page = b.get(&camp);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("in_progress") && page.body.contains("GV"));
    assert!(b.get(&format!("{profile}/campaigns")).body.contains(&camp));
    let form_path = format!("{camp}/questions?assessor=Jo");
    let before = b.get(&profile).body;
    let mut answered = 0;
    loop {
        let form = b.get(&form_path);
        assert_eq!(form.status, 200);
        assert!(!form.body.contains("<script>alert"), "answer not escaped");
        let ids = question_ids(&form.body);
        if ids.is_empty() {
            break;
        }
        assert!(
            form.body.contains("Context"),
            "questions carry their context"
        );
        let csrf = b.csrf(&form_path);
        let mut fields: Vec<(String, String)> =
            vec![("csrf".into(), csrf), ("assessor".into(), "Jo".into())];
        for (i, q) in ids.iter().enumerate() {
            fields.push((format!("q{i}"), q.clone()));
            fields.push((format!("a{i}"), answer_for(q).into()));
            fields.push((format!("c{i}"), "low".into()));
            fields.push((format!("n{i}"), HOSTILE.into()));
        }
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let a = b.post(&format!("{camp}/answers"), &borrowed);
        assert_eq!(a.status, 303, "{}", a.body);
        answered += ids.len();
        assert!(answered < 200, "the questions never run out");
    }
    assert!(answered >= 10, "only {answered} questions answered");
    let csrf = b.csrf(&camp);
    assert!(b.get(&camp).body.contains("Submit for review"));
    let review = submit_for_review(&mut b, &camp, &csrf);
    assert!(review.contains("Changes since the last cycle") && review.contains("Low confidence"));
    assert!(!review.contains("<script>alert"));
    // Send one answer back, answer it again, then sign off.
    let a = b.post(
        &format!("{camp}/send-back"),
        &[
            ("csrf", &csrf),
            ("question_id", "GV.OC-01:implementation"),
            ("reason", "check the scope"),
            ("expected_version", &version(&review)),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let form = b.get(&form_path).body;
    assert_eq!(question_ids(&form), vec!["GV.OC-01:implementation"]);
    assert!(form.contains("check the scope"));
    let a = b.post(
        &format!("{camp}/answers"),
        &[
            ("csrf", &csrf),
            ("assessor", "Jo"),
            ("q0", "GV.OC-01:implementation"),
            ("a0", "largely"),
            ("c0", "high"),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    let review = submit_for_review(&mut b, &camp, &csrf);
    // A stale version is refused and changes nothing.
    let a = b.post(
        &format!("{camp}/sign-off"),
        &[("csrf", &csrf), ("expected_version", "1")],
    );
    assert_eq!(a.status, 409, "{}", a.body);
    let a = b.post(
        &format!("{camp}/sign-off"),
        &[("csrf", &csrf), ("expected_version", &version(&review))],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(location(&a), profile);
    let after = b.get(&profile).body;
    assert_ne!(before, after, "the dashboard shows the signed-off cycle");
    assert!(b.get(&camp).body.contains("signed_off"));
    let entry = b.get(&format!("{profile}/entries/GV.OC-01")).body;
    assert!(entry.contains("Largely"), "sign-off recorded the answer");
}

#[test]
fn a_read_only_key_cannot_register_evidence_or_answer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let server = start(&db, true, &[]);
    let mut w = Browser::new(&server.addr);
    w.sign_in(WRITER);
    let (org, profile) = org_and_profile(&mut w, "Reader campaign");
    let item = evidence(&mut w, &org, "Policy");
    let camp = campaign(&mut w, &profile, "Jo");
    let mut r = Browser::new(&server.addr);
    assert_eq!(r.sign_in(READER).status, 303);
    let questions = format!("{camp}/questions?assessor=Jo");
    for path in [
        format!("{org}/evidence"),
        item.clone(),
        format!("{profile}/campaigns"),
        camp.clone(),
        questions.clone(),
    ] {
        let page = r.get(&path);
        assert_eq!(page.status, 200, "{path}");
        for control in [
            "Register evidence",
            "Link evidence",
            "Create campaign",
            "Save answers",
            "name=\"a0\"",
            "<form class=\"stack\"",
        ] {
            assert!(!page.body.contains(control), "{path} shows {control}");
        }
    }
    assert!(
        r.get(&questions).body.contains("Context"),
        "reader sees the questions"
    );
    let csrf = r.csrf("/ui/");
    let before = store_dump::snapshot(&db);
    let audit = store_dump::audit(&db);
    for (path, form) in every_write(&org, &item, &profile, &camp) {
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend(form.iter().map(|(k, v)| (*k, v.as_str())));
        let a = r.post(&path, &fields);
        assert_eq!(a.status, 403, "{path}: {}", a.body);
    }
    store_dump::assert_unchanged(&db, &before, &audit);
}

#[test]
fn unknown_campaigns_and_evidence_are_404_and_their_posts_need_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let server = start(&db, false, &[]);
    let mut b = Browser::new(&server.addr);
    let (org, profile) = org_and_profile(&mut b, "Unknowns");
    for path in [
        "/ui/campaigns/camp_01M98MS2YGH50TD93KH7CHSE1Z",
        "/ui/campaigns/not-an-id",
        "/ui/campaigns/camp_01M98MS2YGH50TD93KH7CHSE1Z/questions?assessor=Jo",
        "/ui/evidence/evd_01M98MS2YGH50TD93KH7CHSE1Z",
        "/ui/evidence/not-an-id",
        "/ui/orgs/org_01M98MS2YGH50TD93KH7CHSE1Z/evidence",
        "/ui/profiles/prof_01M98MSFWWHFHV4SF3H91F8H3B/campaigns",
    ] {
        let a = b.get(path);
        assert_eq!(a.status, 404, "{path}: {}", a.body);
        assert!(a.header("content-type").unwrap().starts_with("text/html"));
    }
    let item = evidence(&mut b, &org, "Policy");
    let camp = campaign(&mut b, &profile, "Jo");
    let before = store_dump::snapshot(&db);
    let audit = store_dump::audit(&db);
    for (path, form) in every_write(&org, &item, &profile, &camp) {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let a = b.post(&path, &form);
        assert_eq!(a.status, 403, "{path}: {}", a.body);
    }
    store_dump::assert_unchanged(&db, &before, &audit);
}

/// The version a campaign page's forms send back.
fn version(page: &str) -> String {
    let at = page.find("name=\"expected_version\" value=\"").unwrap() + 31;
    page[at..].split('"').next().unwrap().to_string()
}

/// Submits the campaign at `camp` for review, at the version its page shows; its page then.
fn submit_for_review(b: &mut Browser<'_>, camp: &str, csrf: &str) -> String {
    let page = b.get(camp).body;
    let a = b.post(
        &format!("{camp}/state"),
        &[
            ("csrf", csrf),
            ("to", "in_review"),
            ("expected_version", &version(&page)),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.body);
    b.get(camp).body
}
