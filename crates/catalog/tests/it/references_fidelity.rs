//! Fidelity of the informative references against NIST's extract (read from data/ or ../shared):
//! every row is served in both directions with its exact dataset names, and misses get nearest
//! suggestions. Expected values are read from the file, never written here.

fn rows() -> Vec<Vec<String>> {
    crate::nist_data::read(
        "CSF_REFERENCES",
        "csf-2.0-informative-references.csv",
        "NIST's references extract",
    )
    .lines()
    .skip(1)
    .filter(|l| !l.is_empty())
    .map(|l| l.split(',').map(str::to_string).collect())
    .collect()
}

#[test]
fn every_row_is_served_both_ways_with_exact_dataset_names() {
    let rows = rows();
    assert_eq!(rows.len(), csf_catalog::all_references().len());
    let mut datasets = std::collections::BTreeSet::new();
    for r in &rows {
        let (csf_id, dataset, short, relation, target, kind, entry) =
            (&r[0], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7]);
        datasets.insert(dataset.clone());
        let found = |x: &&csf_catalog::Reference| {
            x.csf_id == csf_id
                && x.dataset().name == dataset
                && x.dataset().short == short
                && x.dataset().relation.as_str() == relation
                && x.target_id == target
                && x.target_type.as_str() == kind
                && x.olir_entry_id == entry
        };
        assert!(
            csf_catalog::references_of(csf_id).iter().any(|x| found(&x)),
            "forward: {r:?}"
        );
        assert!(
            csf_catalog::referencing(target).iter().any(found),
            "reverse: {r:?}"
        );
        // The CSF side is a real, active CSF 2.0 element.
        let e = csf_catalog::get(csf_id).expect("csf id in the catalog");
        assert!(!e.is_withdrawn(), "{csf_id}");
    }
    let served: std::collections::BTreeSet<String> = csf_catalog::datasets()
        .iter()
        .map(|d| d.name.to_string())
        .collect();
    assert_eq!(served, datasets);
    let per_dataset: usize = csf_catalog::datasets()
        .iter()
        .map(|d| usize::from(d.rows))
        .sum();
    assert_eq!(per_dataset, rows.len());
}

#[test]
fn control_ids_are_forgiving_and_misses_get_suggestions() {
    let padded = csf_catalog::referencing("IA-02");
    assert!(!padded.is_empty());
    assert_eq!(csf_catalog::referencing("ia-2"), padded);
    assert_eq!(csf_catalog::referencing(" IA-2 "), padded);
    assert!(!csf_catalog::referencing("cp-2(8)").is_empty());
    assert!(csf_catalog::referencing("ZZ-99").is_empty());
    let near = csf_catalog::nearest_targets("IA-99", 5);
    assert_eq!(
        near.first(),
        Some(&"IA-09"),
        "closest by edit distance: {near:?}"
    );
    assert!(
        near.iter().filter(|t| t.starts_with("IA-")).count() >= 3,
        "{near:?}"
    );
}

#[test]
fn datasets_resolve_by_key_label_or_unique_fragment() {
    for (input, key) in [
        ("sp800-53r5.2.0", "sp800-53r5.2.0"),
        ("SP 800-53 Rev 5.2.0", "sp800-53r5.2.0"),
        ("SP 800-53 Rev 5.1.1", "sp800-53r5.1.1"),
        ("800-171", "sp800-171r3"),
        ("CSF 1.1", "csfv1.1"),
        ("ssdf", "ssdf"),
    ] {
        assert_eq!(
            csf_catalog::dataset(input).map(|d| d.key),
            Ok(key),
            "{input}"
        );
    }
    assert!(csf_catalog::dataset("800-53")
        .unwrap_err()
        .contains("ambiguous"));
    assert!(csf_catalog::dataset("iso 27001")
        .unwrap_err()
        .contains("unknown"));
}

#[test]
fn the_5_2_0_mapping_changes_are_what_the_two_mappings_differ_by() {
    let changes = csf_catalog::sp800_53_changes();
    assert!(!changes.is_empty());
    for c in &changes {
        let refs = csf_catalog::references_of(c.csf_id);
        for t in &c.added_in_5_2_0 {
            assert!(refs
                .iter()
                .any(|r| r.dataset().key == "sp800-53r5.2.0" && r.target_id == *t));
            assert!(!refs
                .iter()
                .any(|r| r.dataset().key == "sp800-53r5.1.1" && r.target_id == *t));
        }
        for t in &c.not_in_5_2_0 {
            assert!(refs
                .iter()
                .any(|r| r.dataset().key == "sp800-53r5.1.1" && r.target_id == *t));
        }
    }
}
