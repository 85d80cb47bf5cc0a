//! Which CSF ids an assessment accepts: active CSF 2.0 subcategories only. A withdrawn CSF 1.1
//! id is refused with its CSF 2.0 replacement named; a category or function is refused with the
//! subcategories it contains.

use csf_catalog::{Element, Subcategory};

/// Resolves `input` (forgiving, as in lookups) to an active subcategory, or explains why not.
pub fn active_subcategory(input: &str) -> Result<&'static Subcategory, String> {
    let shown: String = input.trim().chars().take(64).collect();
    match csf_catalog::resolve(input) {
        Ok(Element::Subcategory(s)) if !s.withdrawn => Ok(s),
        Ok(Element::Subcategory(s)) => {
            let to: Vec<&str> = s.links().iter().map(|l| l.target).collect();
            Err(if to.is_empty() {
                format!("{} was withdrawn in CSF 2.0 and has no successor; assess a CSF 2.0 subcategory instead", s.id)
            } else {
                format!(
                    "{} was withdrawn in CSF 2.0; record {} instead",
                    s.id,
                    to.join(" and/or ")
                )
            })
        }
        Ok(Element::Category(c)) => {
            let subs: Vec<&str> = c.active_subcategories().map(|s| s.id).collect();
            Err(if c.withdrawn {
                format!("{} is a withdrawn CSF 1.1 category; see csf_crosswalk for its CSF 2.0 successors", c.id)
            } else {
                format!(
                    "{} is a category; assessments are recorded per subcategory: {}",
                    c.id,
                    subs.join(", ")
                )
            })
        }
        Ok(e) => Err(format!(
            "{} is a {}; assessments are recorded per CSF 2.0 subcategory (e.g. {}-01)",
            e.id(),
            e.kind(),
            e.id()
        )),
        Err(e) => Err(if e.suggestions.is_empty() {
            format!("`{shown}` is not a CSF 2.0 subcategory id (e.g. GV.OC-01)")
        } else {
            format!(
                "`{shown}` is not a CSF 2.0 subcategory id; did you mean {}?",
                e.suggestions.join(", ")
            )
        }),
    }
}

/// Resolves a function id (GV, ID, PR, DE, RS, RC; names work too).
pub fn function_id(input: &str) -> Result<&'static str, String> {
    match csf_catalog::resolve(input) {
        Ok(Element::Function(f)) => Ok(f.id),
        _ => Err(format!(
            "`{}` is not a CSF 2.0 function; use one of {}",
            input.trim().chars().take(64).collect::<String>(),
            csf_catalog::functions()
                .iter()
                .map(|f| f.id)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_active_subcategories_forgivingly() {
        assert_eq!(active_subcategory("gv.oc-1").unwrap().id, "GV.OC-01");
    }

    #[test]
    fn withdrawn_ids_name_their_replacement() {
        let e = active_subcategory("PR.AC-01").unwrap_err();
        assert!(e.contains("withdrawn") && e.contains("PR.AA-01"), "{e}");
    }

    #[test]
    fn categories_functions_and_unknowns_are_refused_with_guidance() {
        let e = active_subcategory("PR.AA").unwrap_err();
        assert!(e.contains("category") && e.contains("PR.AA-01"), "{e}");
        assert!(active_subcategory("PR").unwrap_err().contains("function"));
        assert!(active_subcategory("GV.OC-99")
            .unwrap_err()
            .contains("did you mean"));
        assert!(active_subcategory("'; DROP TABLE x; --").is_err());
    }

    #[test]
    fn function_ids() {
        assert_eq!(function_id("protect").unwrap(), "PR");
        assert!(function_id("PR.AA")
            .unwrap_err()
            .contains("GV, ID, PR, DE, RS, RC"));
    }
}
