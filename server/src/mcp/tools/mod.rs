//! Tool implementations, grouped by area. `ALL` is the registry's single list.

pub mod framework;
pub mod references;

use super::registry::ErasedTool;

pub static ALL: &[&dyn ErasedTool] = &[
    &framework::CsfLookup,
    &framework::SearchFramework,
    &framework::ListFramework,
    &framework::GetImplementationExamples,
    &framework::CsfCrosswalk,
    &framework::GetRelatedSubcategories,
    &references::GetInformativeReferences,
    &references::CompareSp80053Mappings,
];
