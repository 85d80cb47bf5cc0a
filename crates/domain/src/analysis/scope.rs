//! Which active subcategories an analysis covers, and how entries are matched to them.

use crate::error::Result;
use csf_catalog::{Element, Subcategory};
use csf_store::{AssessmentEntry, Scope};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The part of the CSF Core an analysis covers: any mix of function, category and
/// subcategory ids (case-insensitive, e.g. `["GV", "PR.AA", "DE.CM-01"]`). Empty = all 106
/// active subcategories.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ScopeFilter {
    /// Function, category or subcategory ids; empty means the whole CSF Core.
    #[serde(default)]
    pub ids: Vec<String>,
}

impl ScopeFilter {
    /// The whole Core.
    pub fn all() -> Self {
        ScopeFilter::default()
    }

    /// The scope of a stored profile.
    pub fn from_profile_scope(scope: &Scope) -> Self {
        match scope {
            Scope::All => ScopeFilter::all(),
            Scope::Functions(f) => ScopeFilter { ids: f.clone() },
        }
    }

    /// The ids as the caller gave them, `None` when the default (all) applies.
    pub(crate) fn as_given(&self) -> Option<String> {
        (!self.ids.is_empty()).then(|| self.ids.join(", "))
    }

    /// The scope in words, for echoing back.
    pub fn describe(&self) -> String {
        if self.ids.is_empty() {
            "all functions".to_owned()
        } else {
            self.ids.join(", ")
        }
    }

    /// The active subcategories covered, in official order. Unknown or withdrawn ids are an
    /// error naming close valid ids.
    pub fn subcategories(&self) -> Result<Vec<&'static Subcategory>> {
        let active = csf_catalog::subcategories().iter().filter(|s| !s.withdrawn);
        if self.ids.is_empty() {
            return Ok(active.collect());
        }
        let mut wanted_fn = Vec::new();
        let mut wanted_cat = Vec::new();
        let mut wanted_sub = Vec::new();
        for raw in &self.ids {
            match csf_catalog::ids::scope_element(raw)? {
                Element::Function(f) => wanted_fn.push(f.id),
                Element::Category(c) => wanted_cat.push(c.id),
                Element::Subcategory(s) => wanted_sub.push(s.id),
                Element::Example(_) => {}
            }
        }
        Ok(active
            .filter(|s| {
                let c = s.category();
                wanted_sub.contains(&s.id)
                    || wanted_cat.contains(&c.id)
                    || wanted_fn.contains(&c.function().id)
            })
            .collect())
    }
}

/// An entry the analysis did not use, and why (never silently dropped).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IgnoredEntry {
    /// The subcategory id as stored.
    pub subcategory_id: String,
    /// Why it was not used.
    pub reason: String,
}

/// Entries keyed by canonical subcategory id, restricted to `subs`; the rest are reported.
pub(crate) fn index_entries<'e>(
    entries: &'e [AssessmentEntry],
    subs: &[&'static Subcategory],
    ignored: &mut Vec<IgnoredEntry>,
) -> HashMap<&'static str, &'e AssessmentEntry> {
    let mut map = HashMap::with_capacity(entries.len());
    for e in entries {
        let reason = match csf_catalog::get(&e.subcategory_id).or_else(|| {
            csf_catalog::canonical_id(&e.subcategory_id).and_then(|id| csf_catalog::get(&id))
        }) {
            Some(Element::Subcategory(s)) if s.withdrawn => {
                "withdrawn CSF 1.1 subcategory (not an active CSF 2.0 outcome)"
            }
            Some(Element::Subcategory(s)) => {
                if subs.iter().any(|x| std::ptr::eq(*x, s)) {
                    if map.insert(s.id, e).is_some() {
                        "duplicate entry for this subcategory (the last one is used)"
                    } else {
                        continue;
                    }
                } else {
                    "outside the analysed scope"
                }
            }
            _ => "not a CSF 2.0 subcategory id",
        };
        ignored.push(IgnoredEntry {
            subcategory_id: e.subcategory_id.clone(),
            reason: reason.to_owned(),
        });
    }
    map
}
