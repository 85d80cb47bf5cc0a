//! NIST Cybersecurity Framework 2.0, compiled in from NIST's official OSCAL catalog.
//!
//! The build script reads the catalog (sha256-checked), so this crate does no I/O and no parsing
//! at run time: every lookup walks static tables.
//!
//! ```
//! let sub = csf_catalog::resolve("gv.oc-1").unwrap();
//! assert_eq!(sub.id(), "GV.OC-01");
//! assert_eq!(csf_catalog::counts().active_subcategories, 106);
//! ```

mod concepts;
mod crosswalk;
mod element;
pub mod ids;
mod lookup;
pub mod model;
mod phrase;
mod query;
mod references;
mod related;
mod search;
mod spelling;
mod synonyms;
mod tables;
pub mod text;
mod weak;

pub use crosswalk::{crosswalk, Crosswalk, CrosswalkDirection, Predecessor};
pub use element::{counts, meta, Counts, Element};
pub use ids::{IdError, IdKind, IdProblem};
pub use lookup::{canonical_id, get, nearest_ids, resolve, LookupError};
pub use model::*;
pub use references::{
    all_references, dataset, datasets, nearest_targets, references_of, referencing,
    sp800_53_changes, MappingChange, SP800_53_NEW, SP800_53_OLD,
};
pub use related::{related, Related, RelationBasis};
pub use search::{search, SearchHit, SearchPage, SearchQuery, MAX_LIMIT};
pub use synonyms::SYNONYMS;

/// All six functions, in official order.
pub fn functions() -> &'static [Function] {
    &tables::FUNCTIONS
}

/// All categories (active and withdrawn), grouped by function, in official order.
pub fn categories() -> &'static [Category] {
    &tables::CATEGORIES
}

/// All subcategories (active and withdrawn), grouped by category, in official order.
pub fn subcategories() -> &'static [Subcategory] {
    &tables::SUBCATEGORIES
}

/// All implementation examples, grouped by subcategory, in catalog order.
pub fn examples() -> &'static [Example] {
    &tables::EXAMPLES
}
