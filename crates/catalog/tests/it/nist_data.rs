//! NIST's files, read at run time (never copied into the tree): from the variable `env` when
//! set, else `data/` of the checkout (`make data`), else `../shared` beside it.

use std::path::PathBuf;

/// The text of NIST's file `name` (`what` names it in the failure message).
pub fn read(env: &str, name: &str, what: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = [
        std::env::var_os(env).map(PathBuf::from),
        Some(root.join("data/nist-csf-2.0").join(name)),
        Some(root.join("../shared/data/nist-csf-2.0").join(name)),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
    .unwrap_or_else(|| panic!("{what} is needed for this test: run `make data`"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
