//! Id normalisation: forgiving CSF id lookup (ids, names, nearest-id suggestions), the
//! assessment id check, the 1.1 -> 2.0 crosswalk, and informative-reference target keys.
//!
//! Properties: normalising is idempotent; whatever resolves can be fetched by its canonical id;
//! suggestions are real ids and at most as many as asked for; a reference found for a target
//! has that target's comparison key.

use csf_catalog::text::reference_key;

/// Tools refuse ids over 64 characters; four times that still covers every normaliser branch
/// and keeps edit-distance suggestions (quadratic) fast enough to fuzz.
const MAX_INPUT: usize = 256;

pub fn run(data: &[u8]) {
    let data = &data[..data.len().min(MAX_INPUT)];
    let input = String::from_utf8_lossy(data);
    let input: &str = &input;

    if let Some(id) = csf_catalog::canonical_id(input) {
        assert_eq!(
            csf_catalog::canonical_id(&id).as_deref(),
            Some(id.as_str()),
            "canonical_id is not idempotent on {input:?}"
        );
        let _ = csf_catalog::references_of(&id);
    }
    match csf_catalog::resolve(input) {
        Ok(element) => {
            let id = element.id();
            assert!(
                csf_catalog::get(id).is_some(),
                "resolved id {id} cannot be fetched"
            );
            let again = csf_catalog::resolve(id).map(|e| e.id());
            assert_eq!(
                again,
                Ok(id),
                "{input:?} resolved to {id}, which does not resolve to itself"
            );
        }
        Err(e) => {
            assert!(e.suggestions.len() <= 5);
            let _ = e.to_string();
        }
    }
    for id in csf_catalog::nearest_ids(input, 3) {
        assert!(
            csf_catalog::get(id).is_some(),
            "suggested id {id} does not exist"
        );
    }
    let _ = csf_catalog::crosswalk(input).map(|c| c.input.id());
    let _ = csf_catalog::ids::subcategory(input);

    let key = reference_key(input);
    assert_eq!(
        reference_key(&key),
        key,
        "reference_key is not idempotent on {input:?}"
    );
    for reference in csf_catalog::referencing(input) {
        assert_eq!(reference_key(reference.target_id), key);
    }
    assert!(csf_catalog::nearest_targets(input, 4).len() <= 4);
    let _ = csf_catalog::dataset(input);
}
