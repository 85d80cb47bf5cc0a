//! The shared store suite against SQLite (a fresh database file per case).

use crate::suite::Ctx;

fn run(case: fn(&Ctx)) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("nested/dir/csf.db").display().to_string();
    let store = csf_store::open(&target).unwrap();
    assert_eq!(store.backend_name(), "sqlite");
    case(&Ctx { store, target });
}

store_suite!(run);
