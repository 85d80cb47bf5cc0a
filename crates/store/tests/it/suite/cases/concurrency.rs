//! Concurrent writers: threads of one process, two handles on one database.

use crate::suite::prelude::*;

/// Writers on several threads of one process: distinct entries all land; updates of one entry
/// are serialised (final version = number of writes, one history row each).
pub fn concurrent_writers_in_one_process_lose_no_update(c: &Ctx) {
    let store = c.store.clone();
    let o = org(&*store, "Threads Co");
    let p = profile(&*store, &o, ProfileKind::Current);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let store = store.clone();
            let pid = p.id.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    store
                        .record_entries(&pid, &[entry(&format!("ZZ.T{t}-{i:03}"), St::Fully)], "w")
                        .unwrap();
                    let mut shared = entry("ZZ.SHARED-01", St::Partially);
                    shared.notes = Patch::Set(format!("thread {t} write {i}"));
                    store.record_entries(&pid, &[shared], "w").unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(all_entries(&*store, &p.id).len(), 101);
    assert_eq!(store.get_entry(&p.id, "ZZ.SHARED-01").unwrap().version, 100);
    assert_eq!(all_history(&*store, &p.id, Some("ZZ.SHARED-01")).len(), 100);
    assert_eq!(all_history(&*store, &p.id, None).len(), 200);
}

/// Two independent handles (pools) on one database, as two processes or replicas would have.
pub fn two_handles_on_one_database_lose_no_update(c: &Ctx) {
    let a = c.store.clone();
    let b = c.open_another();
    let o = org(&*a, "Replicas Co");
    let p = profile(&*a, &o, ProfileKind::Current);
    let handles: Vec<_> = [("A", a.clone()), ("B", b.clone())]
        .into_iter()
        .map(|(tag, store): (&str, Arc<dyn Store>)| {
            let pid = p.id.clone();
            std::thread::spawn(move || {
                for chunk in subs(&format!("ZZ.{tag}"), 200).chunks(20) {
                    let batch: Vec<EntryInput> =
                        chunk.iter().map(|id| entry(id, St::Largely)).collect();
                    store.record_entries(&pid, &batch, tag).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(all_entries(&*b, &p.id).len(), 400);
    assert_eq!(all_history(&*a, &p.id, None).len(), 400);
}
