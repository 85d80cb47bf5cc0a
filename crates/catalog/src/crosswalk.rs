//! The CSF 1.1 -> 2.0 crosswalk recorded in the catalog: withdrawn 1.1 elements carry
//! `incorporated_into` / `moved_to` links to their 2.0 successors. Read forwards (a 1.1 id, where
//! did it go?) or in reverse (a 2.0 id, which 1.1 outcomes went into it?).

use crate::element::Element;
use crate::lookup::{resolve, LookupError};
use crate::model::LinkRel;
use crate::tables;

/// Which way a crosswalk reads; serialized as `csf11_to_csf20` or `csf20_to_csf11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(serde::Serialize, schemars::JsonSchema))]
pub enum CrosswalkDirection {
    /// The input is a withdrawn CSF 1.1 element: these are its CSF 2.0 successors.
    #[cfg_attr(feature = "schema", serde(rename = "csf11_to_csf20"))]
    Forward,
    /// The input is an active CSF 2.0 element: these are the withdrawn 1.1 elements merged into it.
    #[cfg_attr(feature = "schema", serde(rename = "csf20_to_csf11"))]
    Reverse,
}

/// A withdrawn CSF 1.1 element that points at a CSF 2.0 element.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Predecessor {
    pub element: Element,
    pub rel: LinkRel,
}

#[derive(Debug, Clone)]
pub struct Crosswalk {
    pub input: Element,
    pub direction: CrosswalkDirection,
    /// Forward: the element's own links, resolved.
    pub successors: Vec<(LinkRel, Element)>,
    /// Forward, for withdrawn categories: where each of their subcategories went
    /// (withdrawn subcategory id, relation, successor).
    pub subcategory_successors: Vec<(&'static str, LinkRel, Element)>,
    /// Reverse: withdrawn elements whose links name this element.
    pub predecessors: Vec<Predecessor>,
}

fn resolved(rel: LinkRel, target: &str) -> Option<(LinkRel, Element)> {
    crate::lookup::get(target).map(|e| (rel, e))
}

/// Crosswalk for any id (loosely written ids are forgiven, as in `resolve`).
pub fn crosswalk(input: &str) -> Result<Crosswalk, LookupError> {
    let element = resolve(input)?;
    if element.is_withdrawn() {
        let successors = element
            .links()
            .iter()
            .filter_map(|l| resolved(l.rel, l.target))
            .collect();
        let subcategory_successors = match element {
            Element::Category(c) => c
                .subcategories()
                .iter()
                .flat_map(|s| {
                    s.links()
                        .iter()
                        .filter_map(move |l| resolved(l.rel, l.target).map(|(r, e)| (s.id, r, e)))
                })
                .collect(),
            _ => Vec::new(),
        };
        return Ok(Crosswalk {
            input: element,
            direction: CrosswalkDirection::Forward,
            successors,
            subcategory_successors,
            predecessors: Vec::new(),
        });
    }
    Ok(Crosswalk {
        input: element,
        direction: CrosswalkDirection::Reverse,
        successors: Vec::new(),
        subcategory_successors: Vec::new(),
        predecessors: predecessors_of(element.id()),
    })
}

/// Every withdrawn category or subcategory with a link to `id`, in official order.
pub(crate) fn predecessors_of(id: &str) -> Vec<Predecessor> {
    let cats = tables::CATEGORIES.iter().map(Element::Category);
    let subs = tables::SUBCATEGORIES.iter().map(Element::Subcategory);
    cats.chain(subs)
        .filter(Element::is_withdrawn)
        .flat_map(|e| {
            e.links()
                .iter()
                .filter(|l| l.target == id)
                .map(move |l| Predecessor {
                    element: e,
                    rel: l.rel,
                })
        })
        .collect()
}
