//! Typed resolution of CSF ids: "this must be an active subcategory", "an active function,
//! category or subcategory", and so on, written once. Input is forgiving as in [`resolve`]; a
//! refusal is one [`IdError`] that says what the input named instead and carries the ids to use
//! (the nearest ids for a typo, the CSF 2.0 successors of a withdrawn CSF 1.1 id, the
//! subcategories of a category given where a subcategory was wanted).

use crate::element::Element;
use crate::lookup::resolve;
use crate::model::{Category, Function, Subcategory};

/// What an id was expected to name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    /// A CSF 2.0 function (GV … RC).
    Function,
    /// An active category (GV.OC).
    Category,
    /// An active subcategory (GV.OC-01).
    Subcategory,
    /// An active function, category or subcategory (a scope of analysis).
    Scope,
}

impl IdKind {
    /// How messages name the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Function => "function",
            IdKind::Category => "category",
            IdKind::Subcategory => "subcategory",
            IdKind::Scope => "function, category or subcategory",
        }
    }
}

/// Why an id was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdProblem {
    /// It names nothing; `suggestions` holds the nearest valid ids.
    Unknown,
    /// It names a CSF 1.1 element withdrawn from CSF 2.0; `suggestions` holds its successors
    /// (none for the few NIST withdrew without one).
    Withdrawn {
        /// The withdrawn element's canonical id.
        id: &'static str,
        /// "category" or "subcategory".
        kind: &'static str,
    },
    /// It names an active element of another level; for a category where a subcategory was
    /// wanted, `suggestions` holds the category's subcategories; for a subcategory where a
    /// category was wanted, its category; where a function was wanted, the element's function.
    WrongKind {
        /// The element's canonical id.
        id: &'static str,
        /// What it is: "function", "category", "subcategory" or "implementation_example".
        kind: &'static str,
    },
}

/// An id refused by one of the typed resolvers, with the ids to use instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdError {
    /// The input, trimmed and cut to 64 characters.
    pub input: String,
    /// What was wanted.
    pub expected: IdKind,
    /// Why it was refused.
    pub problem: IdProblem,
    /// Ids to use instead (see [`IdProblem`]).
    pub suggestions: Vec<&'static str>,
}

impl std::fmt::Display for IdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let want = self.expected.as_str();
        let list = self.suggestions.join(", ");
        match &self.problem {
            IdProblem::Unknown if self.expected == IdKind::Function => write!(
                f,
                "`{}` is not a CSF 2.0 function (unknown CSF 2.0 id); use a function id: one of \
                 {FUNCTION_IDS}, or its name such as Protect",
                self.input
            ),
            IdProblem::WrongKind { id, kind } if self.expected == IdKind::Function => write!(
                f,
                "{id} is a {kind}{}, not a CSF 2.0 function; use a function id: one of \
                 {FUNCTION_IDS}",
                self.suggestions
                    .first()
                    .map(|p| format!(" of {p}"))
                    .unwrap_or_default()
            ),
            IdProblem::Unknown if list.is_empty() => {
                write!(f, "`{}` is not a CSF 2.0 {want} id", self.input)?;
                match self.expected {
                    IdKind::Subcategory => write!(f, " (e.g. GV.OC-01)"),
                    IdKind::Category => write!(f, " (e.g. GV.OC)"),
                    _ => write!(f, " (e.g. GV, GV.OC or GV.OC-01)"),
                }
            }
            IdProblem::Unknown => write!(
                f,
                "`{}` is not a CSF 2.0 {want} id; did you mean {list}?",
                self.input
            ),
            IdProblem::Withdrawn { id, kind } if list.is_empty() => write!(
                f,
                "{id} is a CSF 1.1 {kind} withdrawn in CSF 2.0 with no successor; use a CSF 2.0 \
                 {want} instead"
            ),
            IdProblem::Withdrawn { id, kind } => write!(
                f,
                "{id} is a CSF 1.1 {kind} withdrawn in CSF 2.0; use {} instead",
                self.suggestions.join(" and/or ")
            ),
            IdProblem::WrongKind { id, kind } if list.is_empty() => write!(
                f,
                "{id} is a {kind}; an active {want} is needed here (e.g. {})",
                example(self.expected)
            ),
            IdProblem::WrongKind { id, kind } => {
                write!(
                    f,
                    "{id} is a {kind}; an active {want} is needed here: {list}"
                )
            }
        }
    }
}

impl std::error::Error for IdError {}

const FUNCTION_IDS: &str = "GV, ID, PR, DE, RS, RC";

fn example(kind: IdKind) -> &'static str {
    match kind {
        IdKind::Function => "GV",
        IdKind::Category => "GV.OC",
        IdKind::Subcategory | IdKind::Scope => "GV.OC-01",
    }
}

fn shown(input: &str) -> String {
    input.trim().chars().take(64).collect()
}

fn refuse(input: &str, expected: IdKind, e: &Element) -> IdError {
    let (problem, suggestions) = if e.is_withdrawn() {
        let kind = if matches!(e, Element::Category(_)) {
            "category"
        } else {
            "subcategory"
        };
        (
            IdProblem::Withdrawn { id: e.id(), kind },
            e.links().iter().map(|l| l.target).collect(),
        )
    } else {
        let instead = match (expected, e) {
            (IdKind::Subcategory, Element::Category(c)) => {
                c.active_subcategories().map(|s| s.id).collect()
            }
            (IdKind::Category, Element::Subcategory(s)) => vec![s.category().id],
            _ => Vec::new(),
        };
        (
            IdProblem::WrongKind {
                id: e.id(),
                kind: e.kind(),
            },
            instead,
        )
    };
    IdError {
        input: shown(input),
        expected,
        problem,
        suggestions,
    }
}

fn element(input: &str, expected: IdKind) -> Result<Element, IdError> {
    resolve(input).map_err(|e| IdError {
        input: shown(input),
        expected,
        problem: IdProblem::Unknown,
        suggestions: e.suggestions,
    })
}

/// An active CSF 2.0 subcategory.
pub fn subcategory(input: &str) -> Result<&'static Subcategory, IdError> {
    match element(input, IdKind::Subcategory)? {
        Element::Subcategory(s) if !s.withdrawn => Ok(s),
        e => Err(refuse(input, IdKind::Subcategory, &e)),
    }
}

/// An active CSF 2.0 category.
pub fn category(input: &str) -> Result<&'static Category, IdError> {
    match element(input, IdKind::Category)? {
        Element::Category(c) if !c.withdrawn => Ok(c),
        e => Err(refuse(input, IdKind::Category, &e)),
    }
}

/// A CSF 2.0 function (ids or names: "PR", "protect"). Another element is refused with the
/// function it belongs to as the suggestion.
pub fn function(input: &str) -> Result<&'static Function, IdError> {
    let (problem, suggestions) = match resolve(input) {
        Ok(Element::Function(f)) => return Ok(f),
        Ok(e) => (
            IdProblem::WrongKind {
                id: e.id(),
                kind: e.kind(),
            },
            vec![e.function().id],
        ),
        Err(_) => (IdProblem::Unknown, Vec::new()),
    };
    Err(IdError {
        input: shown(input),
        expected: IdKind::Function,
        problem,
        suggestions,
    })
}

/// An active function, category or subcategory: what an analysis may be scoped to.
pub fn scope_element(input: &str) -> Result<Element, IdError> {
    match element(input, IdKind::Scope)? {
        e @ (Element::Function(_) | Element::Category(_) | Element::Subcategory(_))
            if !e.is_withdrawn() =>
        {
            Ok(e)
        }
        e => Err(refuse(input, IdKind::Scope, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_subcategories_resolve_forgivingly() {
        assert_eq!(subcategory("gv.oc-1").map(|s| s.id), Ok("GV.OC-01"));
        assert_eq!(category("pr aa").map(|c| c.id), Ok("PR.AA"));
        assert_eq!(function("protect").map(|f| f.id), Ok("PR"));
        assert_eq!(scope_element("de.cm").map(|e| e.id()), Ok("DE.CM"));
    }

    #[test]
    fn withdrawn_ids_name_their_successors() {
        let e = subcategory("PR.AC-01").unwrap_err();
        assert_eq!(
            e.problem,
            IdProblem::Withdrawn {
                id: "PR.AC-01",
                kind: "subcategory"
            }
        );
        assert!(e.suggestions.contains(&"PR.AA-01"), "{e}");
        assert!(e.to_string().contains("withdrawn") && e.to_string().contains("PR.AA-01"));
        assert!(matches!(
            scope_element("PR.AC").unwrap_err().problem,
            IdProblem::Withdrawn {
                kind: "category",
                ..
            }
        ));
    }

    #[test]
    fn other_levels_are_refused_with_what_to_use() {
        let e = subcategory("PR.AA").unwrap_err();
        assert!(matches!(
            e.problem,
            IdProblem::WrongKind {
                kind: "category",
                ..
            }
        ));
        assert!(e.suggestions.contains(&"PR.AA-01"));
        assert!(e.to_string().contains("category") && e.to_string().contains("PR.AA-01"));
        let e = subcategory("PR").unwrap_err();
        assert!(e.to_string().contains("function"), "{e}");
        let e = category("PR.AA-01").unwrap_err();
        assert_eq!(e.suggestions, ["PR.AA"]);
        assert!(
            e.to_string().contains("category is needed here: PR.AA"),
            "{e}"
        );
        assert!(scope_element("PR.AA-01.001").is_err());
        assert!(function("PR.AA")
            .unwrap_err()
            .to_string()
            .contains("GV, ID, PR, DE, RS, RC"));
        let e = function("pr.aa-01").unwrap_err();
        assert_eq!(e.suggestions, ["PR"]);
        assert!(e.to_string().contains("subcategory of PR"), "{e}");
        let e = function("ZZ").unwrap_err();
        assert_eq!(e.problem, IdProblem::Unknown);
        assert!(e.to_string().contains("function id: one of GV"), "{e}");
    }

    #[test]
    fn typos_get_the_nearest_ids() {
        let e = subcategory("GV.OC-99").unwrap_err();
        assert_eq!(e.problem, IdProblem::Unknown);
        assert!(e.to_string().contains("did you mean"), "{e}");
        let e = subcategory("'; DROP TABLE x; --").unwrap_err();
        assert_eq!(e.problem, IdProblem::Unknown);
        assert!(e.input.len() <= 64);
    }
}
