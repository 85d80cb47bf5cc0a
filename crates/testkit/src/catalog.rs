//! Catalog ids chosen at run time from the compiled-in catalog (tests never hard-code NIST text,
//! and pick ids by property rather than by name).

/// The active (not withdrawn) CSF 2.0 subcategory ids, in catalog order.
pub fn active_ids() -> Vec<&'static str> {
    csf_catalog::subcategories()
        .iter()
        .filter(|s| !s.withdrawn)
        .map(|s| s.id)
        .collect()
}

/// The first active and the first withdrawn subcategory ids of the catalog.
pub fn first_active_and_withdrawn() -> (String, String) {
    let subs = csf_catalog::subcategories();
    let active = subs
        .iter()
        .find(|s| !s.withdrawn)
        .expect("an active subcategory");
    let withdrawn = subs
        .iter()
        .find(|s| s.withdrawn)
        .expect("a withdrawn subcategory");
    (active.id.to_string(), withdrawn.id.to_string())
}
