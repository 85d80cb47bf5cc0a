//! Assessment analysis: pure, deterministic functions over the catalog and stored records
//! (maturity, gaps, priority matrix, cost and risk models, trends, comparisons, next actions).
//! Every result states its method and assumptions.

pub mod compare;
pub mod cost;
pub mod effort;
pub mod gap;
pub mod matrix;
pub mod maturity;
pub mod method;
pub mod risk;
pub mod scale;
pub mod scope;
pub mod suggest;
pub mod trend;
