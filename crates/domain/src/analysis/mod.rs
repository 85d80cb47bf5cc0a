//! Assessment analysis: pure, deterministic functions over the catalog and stored records
//! (maturity, gaps, priority matrix, cost and risk models, trends, comparisons, next actions),
//! and the service operations that read their inputs (`inputs`), choose the scope (`scope`)
//! and run them (`service`, taking the `requests`). Every result states its method and
//! assumptions.

pub mod compare;
pub mod cost;
pub mod effort;
pub mod function_level;
pub mod gap;
pub mod inputs;
pub mod matrix;
pub mod maturity;
pub mod method;
pub mod requests;
pub mod risk;
pub mod scale;
pub mod scope;
pub(crate) mod service;
pub mod suggest;
pub mod trend;
