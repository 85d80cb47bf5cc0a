//! History rows and as-of reconstruction.

use crate::suite::prelude::*;

pub fn as_of_reconstructs_past_states(c: &Ctx) {
    let s = c.s();
    let o = org(s, "Time Co");
    let p = profile(s, &o, ProfileKind::Current);
    let before = csf_store::now();
    std::thread::sleep(Duration::from_millis(5));
    s.record_entries(
        &p.id,
        &[
            entry("ZZ.AA-01", St::NotImplemented),
            entry("ZZ.AA-02", St::Partially),
        ],
        "a",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(5));
    let t1 = csf_store::now();
    std::thread::sleep(Duration::from_millis(5));
    s.record_entries(
        &p.id,
        &[entry("ZZ.AA-01", St::Fully), entry("ZZ.AA-03", St::Largely)],
        "b",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(5));
    let t2 = csf_store::now();

    assert!(s.entries_as_of(&p.id, before).unwrap().is_empty());
    let at1 = s.entries_as_of(&p.id, t1).unwrap();
    let st1: Vec<(&str, St, i64)> = at1
        .iter()
        .map(|e| (e.subcategory_id.as_str(), e.status, e.version))
        .collect();
    assert_eq!(
        st1,
        vec![
            ("ZZ.AA-01", St::NotImplemented, 1),
            ("ZZ.AA-02", St::Partially, 1)
        ]
    );
    let at2 = s.entries_as_of(&p.id, t2).unwrap();
    assert_eq!(at2, all_entries(s, &p.id));
    // All rows of one batch share one commit time.
    let h = all_history(s, &p.id, None);
    assert_eq!(h[0].changed_at, h[1].changed_at);
    assert_eq!(h[2].changed_at, h[3].changed_at);
    assert!(h[1].changed_at < h[2].changed_at);
}

pub fn history_pages_and_filters_by_entry(c: &Ctx) {
    let s = c.s();
    let o = org(s, "History Co");
    let p = profile(s, &o, ProfileKind::Current);
    for st in [St::NotImplemented, St::Partially, St::Largely, St::Fully] {
        s.record_entries(&p.id, &[entry("ZZ.AA-01", st), entry("ZZ.AA-02", st)], "a")
            .unwrap();
    }
    let first = s
        .entry_history(&p.id, None, &PageRequest::first(3))
        .unwrap();
    assert_eq!(first.items.len(), 3);
    let rest = s
        .entry_history(
            &p.id,
            None,
            &PageRequest {
                limit: 100,
                cursor: first.next_cursor.clone(),
            },
        )
        .unwrap();
    assert_eq!(rest.items.len(), 5);
    assert_eq!(rest.next_cursor, None);
    let one = all_history(s, &p.id, Some("ZZ.AA-02"));
    assert_eq!(one.len(), 4);
    assert!(one.iter().all(|h| h.subcategory_id == "ZZ.AA-02"));
    assert_eq!(
        one.iter().map(|h| h.new.version).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
}
