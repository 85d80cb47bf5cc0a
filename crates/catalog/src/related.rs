//! Related subcategories, each with the reasons it is related. Three bases, all derived from the
//! catalog itself: the same category; a shared CSF 1.1 origin (NIST merged one withdrawn 1.1
//! outcome into both); and text similarity (TF-IDF cosine of outcome statements and
//! implementation examples, computed at build time).

use crate::crosswalk::predecessors_of;
use crate::model::Subcategory;
use crate::tables;

#[derive(Debug, Clone, PartialEq)]
pub enum RelationBasis {
    SameCategory,
    /// Both subcategories incorporate this withdrawn CSF 1.1 element.
    SharedCsf11Origin(&'static str),
    /// Cosine similarity in [0, 1].
    TextSimilarity(f32),
}

#[derive(Debug, Clone)]
pub struct Related {
    pub subcategory: &'static Subcategory,
    pub bases: Vec<RelationBasis>,
    /// Ranking weight: similarity + 0.5 per shared origin + 0.1 for the same category.
    pub weight: f32,
}

/// Related active subcategories of `sub`, strongest first (ties in official order).
pub fn related(sub: &'static Subcategory) -> Vec<Related> {
    let mut out: Vec<Related> = Vec::new();
    let mut add = |s: &'static Subcategory, basis: RelationBasis| {
        if std::ptr::eq(s, sub) || s.withdrawn {
            return;
        }
        let w = match basis {
            RelationBasis::SameCategory => 0.1,
            RelationBasis::SharedCsf11Origin(_) => 0.5,
            RelationBasis::TextSimilarity(x) => x,
        };
        match out.iter_mut().find(|r| std::ptr::eq(r.subcategory, s)) {
            Some(r) => {
                r.bases.push(basis);
                r.weight += w;
            }
            None => out.push(Related {
                subcategory: s,
                bases: vec![basis],
                weight: w,
            }),
        }
    };
    let span = tables::RELATED_SPANS[sub.index()];
    for &(j, score) in &tables::RELATEDS[span.range()] {
        add(
            &tables::SUBCATEGORIES[usize::from(j)],
            RelationBasis::TextSimilarity(score),
        );
    }
    for origin in predecessors_of(sub.id) {
        for link in origin.element.links() {
            if let Some(crate::Element::Subcategory(s)) = crate::lookup::get(link.target) {
                add(s, RelationBasis::SharedCsf11Origin(origin.element.id()));
            }
        }
    }
    for s in sub.category().subcategories() {
        add(s, RelationBasis::SameCategory);
    }
    out.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then(a.subcategory.index().cmp(&b.subcategory.index()))
    });
    out
}
