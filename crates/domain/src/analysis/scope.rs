//! Which active subcategories an analysis covers, and how entries are matched to them.

use crate::error::{check_len, Error, Result};
use csf_catalog::{Element, Subcategory};
use csf_store::{AssessmentEntry, Profile, Scope};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Most ids in a `scope` argument (there are 6 functions, 22 categories, 106 subcategories).
pub const MAX_SCOPE_IDS: usize = 134;

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

    /// The caller's scope when given (at most [`MAX_SCOPE_IDS`] ids), else the functions
    /// every profile covers (the whole Core when all of them cover everything).
    pub fn for_profiles(given: Option<Vec<String>>, profiles: &[&Profile]) -> Result<Self> {
        if let Some(ids) = given {
            if ids.len() > MAX_SCOPE_IDS {
                return Err(Error::Invalid(format!(
                    "`scope` has {} ids; give at most {MAX_SCOPE_IDS}",
                    ids.len()
                )));
            }
            for id in &ids {
                check_len("scope[]", id, 16)?;
            }
            return Ok(ScopeFilter { ids });
        }
        match common_functions(profiles) {
            None => Ok(ScopeFilter::all()),
            Some(c) if c.is_empty() => Err(Error::Invalid(
                "the profiles cover no function in common; give a `scope` explicitly".into(),
            )),
            Some(ids) => Ok(ScopeFilter { ids }),
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

/// The functions every profile covers, in the first limited profile's order; `None` when
/// every profile covers the whole Core.
pub fn common_functions(profiles: &[&Profile]) -> Option<Vec<String>> {
    let mut common: Option<Vec<String>> = None;
    for p in profiles {
        if let Scope::Functions(fs) = &p.scope {
            common = Some(match common {
                None => fs.clone(),
                Some(c) => c.into_iter().filter(|f| fs.contains(f)).collect(),
            });
        }
    }
    common
}

/// Whether a subcategory lies in a profile's function scope.
pub fn profile_covers(scope: &Scope, subcategory: &Subcategory) -> bool {
    covers_function(scope, subcategory.category().function().id)
}

/// Whether a profile's function scope includes the function with this id: the one test behind
/// every "is this in the profile's scope" question.
pub fn covers_function(scope: &Scope, function_id: &str) -> bool {
    match scope {
        Scope::All => true,
        Scope::Functions(fs) => fs.iter().any(|x| x == function_id),
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

#[cfg(test)]
mod tests {
    use super::*;
    use csf_store::{OrgId, ProfileId, ProfileKind};

    fn profile(scope: Scope) -> Profile {
        Profile {
            id: ProfileId::generate(),
            org_id: OrgId::generate(),
            kind: ProfileKind::Current,
            name: "Invented lighthouse profile".into(),
            scope,
            archived: false,
            cloned_from: None,
            created_at: chrono::Utc::now(),
            created_by: "tester".into(),
            updated_at: chrono::Utc::now(),
        }
    }

    fn functions(ids: &[&str]) -> Scope {
        Scope::Functions(ids.iter().map(|s| (*s).to_owned()).collect())
    }

    fn ids(f: &ScopeFilter) -> Vec<&str> {
        f.ids.iter().map(String::as_str).collect()
    }

    #[test]
    fn the_default_scope_is_the_functions_every_profile_covers() {
        let all = profile(Scope::All);
        let gv_pr = profile(functions(&["GV", "PR"]));
        let pr_de = profile(functions(&["PR", "DE"]));
        let rc = profile(functions(&["RC"]));
        let pick = |ps: &[&Profile]| ScopeFilter::for_profiles(None, ps);
        assert_eq!(pick(&[&all, &all]).unwrap(), ScopeFilter::all());
        assert_eq!(ids(&pick(&[&all, &gv_pr]).unwrap()), ["GV", "PR"]);
        assert_eq!(ids(&pick(&[&gv_pr, &all]).unwrap()), ["GV", "PR"]);
        assert_eq!(ids(&pick(&[&gv_pr, &pr_de]).unwrap()), ["PR"]);
        assert_eq!(ids(&pick(&[&gv_pr, &all, &pr_de]).unwrap()), ["PR"]);
        let err = pick(&[&gv_pr, &rc]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the profiles cover no function in common; give a `scope` explicitly"
        );
        assert_eq!(common_functions(&[&all]), None);
        assert_eq!(common_functions(&[&pr_de, &gv_pr]), Some(vec!["PR".into()]));
    }

    #[test]
    fn a_given_scope_is_used_as_given_within_its_limits() {
        let gv = profile(functions(&["GV"]));
        // Given ids win over the profiles' common functions, even outside them.
        let given = vec!["pr.aa".to_owned(), "DE.CM-01".to_owned()];
        let f = ScopeFilter::for_profiles(Some(given.clone()), &[&gv]).unwrap();
        assert_eq!(f.ids, given);

        let too_many = vec!["GV".to_owned(); MAX_SCOPE_IDS + 1];
        let err = ScopeFilter::for_profiles(Some(too_many), &[&gv]).unwrap_err();
        assert_eq!(err.to_string(), "`scope` has 135 ids; give at most 134");
        let at_most = vec!["GV".to_owned(); MAX_SCOPE_IDS];
        assert!(ScopeFilter::for_profiles(Some(at_most), &[&gv]).is_ok());

        let long = vec!["G".repeat(17)];
        let err = ScopeFilter::for_profiles(Some(long), &[&gv]).unwrap_err();
        assert!(
            err.to_string().starts_with("`scope[]` is 17 characters"),
            "{err}"
        );
    }

    #[test]
    fn a_profile_covers_the_subcategories_of_its_functions() {
        let sub = |id: &str| match csf_catalog::ids::subcategory(id) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert!(profile_covers(&Scope::All, sub("RC.CO-03")));
        let gv_de = functions(&["GV", "DE"]);
        assert!(profile_covers(&gv_de, sub("GV.OC-01")));
        assert!(profile_covers(&gv_de, sub("DE.CM-01")));
        assert!(!profile_covers(&gv_de, sub("PR.AA-01")));
        // Compared on the function, not on a text prefix of the id.
        assert!(!profile_covers(&functions(&["G"]), sub("GV.OC-01")));
    }
}
