//! Completion of CSF arguments from a typed prefix: element ids, dataset keys, function ids and
//! the last id of a comma-separated scope. Each returns at most `max` values and how many
//! matched, so a front end can say that there are more.

use csf_catalog::Element;

/// Completion values for a prefix.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completion {
    /// At most the requested number of values, best first.
    pub values: Vec<String>,
    /// How many values matched in all.
    pub total: usize,
}

impl Completion {
    fn first(all: impl IntoIterator<Item = String>, max: usize) -> Self {
        let mut values = Vec::new();
        let mut total = 0;
        for v in all {
            if values.len() < max {
                values.push(v);
            }
            total += 1;
        }
        Completion { values, total }
    }

    /// Whether more values matched than were returned.
    pub fn has_more(&self) -> bool {
        self.total > self.values.len()
    }
}

/// Element ids starting with `prefix`: functions, categories and subcategories first (active
/// before withdrawn, official order); implementation examples once the prefix is as long as a
/// subcategory id.
pub fn ids(prefix: &str, max: usize) -> Completion {
    let p: String = prefix
        .trim()
        .chars()
        .take(32)
        .flat_map(char::to_uppercase)
        .collect();
    let wants_examples = p.len() >= 8;
    let elements = csf_catalog::functions()
        .iter()
        .map(Element::Function)
        .chain(csf_catalog::categories().iter().map(Element::Category))
        .chain(
            csf_catalog::subcategories()
                .iter()
                .map(Element::Subcategory),
        )
        .chain(
            csf_catalog::examples()
                .iter()
                .filter(|_| wants_examples)
                .map(Element::Example),
        );
    let mut ids: Vec<(bool, &'static str)> = elements
        .filter(|e| e.id().starts_with(&p))
        .map(|e| (e.is_withdrawn(), e.id()))
        .collect();
    // Stable sort keeps official order within active and within withdrawn.
    ids.sort_by_key(|(withdrawn, _)| *withdrawn);
    Completion::first(ids.into_iter().map(|(_, id)| id.to_string()), max)
}

/// Dataset keys (`sp800-53r5.2.0` …) whose key or NIST label starts with `prefix`.
pub fn datasets(prefix: &str, max: usize) -> Completion {
    let p = prefix.trim().to_lowercase();
    let keys = csf_catalog::datasets()
        .iter()
        .filter(|d| d.key.starts_with(&p) || d.short.to_lowercase().starts_with(&p))
        .map(|d| d.key.to_string());
    Completion::first(keys, max)
}

/// Function ids (GV, ID, PR, DE, RS, RC) whose id or name starts with `prefix`.
pub fn functions(prefix: &str, max: usize) -> Completion {
    let p = prefix.trim().to_uppercase();
    let ids = csf_catalog::functions()
        .iter()
        .filter(|f| f.id.starts_with(&p) || f.title.to_uppercase().starts_with(&p))
        .map(|f| f.id.to_string());
    Completion::first(ids, max)
}

/// Completes the last id of a comma-separated scope (`GV,PR.A` → `GV,PR.AA`, `GV,PR.AT` …),
/// keeping the ids before it. Only functions and active categories: a scope names areas.
pub fn scope(value: &str, max: usize) -> Completion {
    let (head, last) = match value.rfind(',') {
        Some(i) => (&value[..=i], &value[i + 1..]),
        None => ("", value),
    };
    let head: String = head.chars().take(256).collect();
    let p = last.trim().to_uppercase();
    let functions = csf_catalog::functions().iter().map(|f| f.id);
    let categories = csf_catalog::categories()
        .iter()
        .filter(|c| !c.withdrawn)
        .map(|c| c.id);
    let ids = functions
        .chain(categories)
        .filter(|id| id.starts_with(&p))
        .map(|id| format!("{head}{id}"));
    Completion::first(ids, max)
}
