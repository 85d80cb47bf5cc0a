//! NIST's informative references (OLIR) for CSF 2.0: SP 800-53 Rev 5.2.0 and 5.1.1, SP 800-171
//! Rev 3, CSF 1.1, SP 800-221A, SSDF. Both directions: a CSF element's references, and the CSF
//! elements that reference a control id (forgiving: `ia-2` finds `IA-02`).

use crate::model::{Dataset, DatasetRelation, Reference};
use crate::tables;
use crate::text::reference_key;

/// All datasets, in the order they first appear in NIST's data.
pub fn datasets() -> &'static [Dataset] {
    &tables::DATASETS
}

/// Every reference, in official CSF order (then dataset).
pub fn all_references() -> &'static [Reference] {
    &tables::REFERENCES
}

impl Reference {
    pub fn dataset(&self) -> &'static Dataset {
        &tables::DATASETS[usize::from(self.dataset)]
    }
}

/// Finds a dataset by our key, NIST's short label or NIST's name (case, blanks and "Rev"
/// forgiven), or by a fragment that names exactly one dataset ("800-171", "ssdf"). On a miss
/// or an ambiguous fragment ("800-53") the error lists the valid keys.
pub fn dataset(input: &str) -> Result<&'static Dataset, String> {
    let norm = |s: &str| -> String {
        // "Rev 5" and "r5", "CSF v1.1" and "csf 1.1" compare equal.
        s.to_lowercase()
            .replace("rev", "r")
            .chars()
            .filter(|c| !c.is_whitespace() && *c != 'v')
            .collect()
    };
    let want = norm(input);
    let all = &tables::DATASETS;
    let exact = all
        .iter()
        .find(|d| norm(d.key) == want || norm(d.name) == want)
        .or_else(|| {
            // "SP 800-53 Rev 5.1.1" labels two sets; its OLIR mapping is what people mean.
            let short: Vec<_> = all.iter().filter(|d| norm(d.short) == want).collect();
            short
                .iter()
                .find(|d| d.relation == DatasetRelation::OlirFocal)
                .or(short.first())
                .copied()
        });
    if let Some(d) = exact {
        return Ok(d);
    }
    let partial: Vec<&Dataset> = if want.len() >= 3 {
        all.iter()
            .filter(|d| norm(d.key).contains(&want) || norm(d.short).contains(&want))
            .collect()
    } else {
        Vec::new()
    };
    let listing = || {
        all.iter()
            .map(|d| format!("{} ({})", d.key, d.short))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let shown: String = input.chars().take(64).collect();
    match partial.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "unknown dataset `{shown}`; datasets are: {}",
            listing()
        )),
        many => Err(format!(
            "dataset `{shown}` is ambiguous ({}); datasets are: {}",
            many.iter().map(|d| d.key).collect::<Vec<_>>().join(", "),
            listing()
        )),
    }
}

/// References attached to a CSF element (exact canonical id), in dataset order.
pub fn references_of(csf_id: &str) -> &'static [Reference] {
    tables::REFS_BY_CSF
        .binary_search_by(|(k, _)| (*k).cmp(csf_id))
        .ok()
        .map(|i| &tables::REFERENCES[tables::REFS_BY_CSF[i].1.range()])
        .unwrap_or(&[])
}

/// References whose target matches `target` (forgiving comparison key), in CSF order.
pub fn referencing(target: &str) -> Vec<&'static Reference> {
    let key = reference_key(target);
    let start = tables::REFS_BY_TARGET.partition_point(|(k, _)| *k < key.as_str());
    let mut out: Vec<&'static Reference> = tables::REFS_BY_TARGET[start..]
        .iter()
        .take_while(|(k, _)| *k == key)
        .map(|(_, i)| &tables::REFERENCES[usize::from(*i)])
        .collect();
    // REFERENCES is stored in official CSF order, so a reference's address orders it.
    out.sort_by_key(|r| *r as *const Reference as usize);
    out
}

/// Up to `n` distinct target ids closest to `target` (edit distance on comparison keys).
pub fn nearest_targets(target: &str, n: usize) -> Vec<&'static str> {
    let key = reference_key(target);
    let mut seen = std::collections::BTreeMap::new();
    for (k, i) in tables::REFS_BY_TARGET.iter() {
        seen.entry(*k)
            .or_insert(tables::REFERENCES[usize::from(*i)].target_id);
    }
    let mut scored: Vec<(usize, &'static str)> = seen
        .iter()
        .map(|(k, id)| (crate::lookup::levenshtein(&key, k), *id))
        .collect();
    scored.sort();
    let limit = key.len().max(2) / 2 + 1;
    scored
        .into_iter()
        .filter(|(d, _)| *d <= limit)
        .take(n)
        .map(|(_, id)| id)
        .collect()
}

/// What NIST's SP 800-53 Rev 5.2.0 mapping of one CSF element adds to, and drops from, the
/// earlier Rev 5.1.1 mapping (OLIR focal mappings only; comparison keys forgive padding).
#[derive(Debug, Clone, PartialEq)]
pub struct MappingChange {
    pub csf_id: &'static str,
    pub added_in_5_2_0: Vec<&'static str>,
    pub not_in_5_2_0: Vec<&'static str>,
}

pub const SP800_53_NEW: &str = "sp800-53r5.2.0";
pub const SP800_53_OLD: &str = "sp800-53r5.1.1";

/// Per-element differences between the two SP 800-53 mappings, in CSF order; elements whose
/// mappings are identical are left out.
pub fn sp800_53_changes() -> Vec<MappingChange> {
    let mut out: Vec<MappingChange> = Vec::new();
    for (csf_id, _) in tables::REFS_BY_CSF.iter() {
        let refs = references_of(csf_id);
        let targets = |key: &str| -> Vec<&'static str> {
            refs.iter()
                .filter(|r| r.dataset().key == key)
                .map(|r| r.target_id)
                .collect()
        };
        let (new, old) = (targets(SP800_53_NEW), targets(SP800_53_OLD));
        let has =
            |list: &[&str], t: &str| list.iter().any(|x| reference_key(x) == reference_key(t));
        let added: Vec<_> = new.iter().copied().filter(|t| !has(&old, t)).collect();
        let dropped: Vec<_> = old.iter().copied().filter(|t| !has(&new, t)).collect();
        if !added.is_empty() || !dropped.is_empty() {
            out.push(MappingChange {
                csf_id,
                added_in_5_2_0: added,
                not_in_5_2_0: dropped,
            });
        }
    }
    // REFS_BY_CSF is sorted by id; REFERENCES (and so their addresses) in official order.
    out.sort_by_key(|c| {
        references_of(c.csf_id)
            .first()
            .map(|r| r as *const Reference as usize)
    });
    out
}
