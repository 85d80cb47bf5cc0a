//! Assessment import parsing (`import_assessment`'s content), as CSV and as JSON.
//!
//! Properties: never more than the row cap; every accepted entry names an active CSF 2.0
//! subcategory, once; an import with nothing accepted always says why.

use std::collections::HashSet;

use csf_domain::assessment::import::{parse, Format, MAX_ROWS};

pub fn run(data: &[u8]) {
    let content = String::from_utf8_lossy(data);
    for format in [Format::Csv, Format::Json] {
        let (entries, errors) = parse(&content, format);
        assert!(entries.len() <= MAX_ROWS);
        assert!(
            !entries.is_empty() || !errors.is_empty(),
            "{format:?} import accepted nothing and reported no error"
        );
        let mut seen = HashSet::new();
        for entry in &entries {
            let id = entry.subcategory_id.as_str();
            assert!(seen.insert(id), "{id} accepted twice");
            match csf_catalog::get(id) {
                Some(csf_catalog::Element::Subcategory(s)) => {
                    assert!(!s.withdrawn, "withdrawn {id} accepted")
                }
                _ => panic!("accepted entry names `{id}`, not a subcategory"),
            }
        }
    }
}
