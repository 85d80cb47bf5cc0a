//! [`Query`] (a WHERE clause with its parameters) and [`into_page`]: what every listing of
//! the store's areas shares.

use super::Value;
use crate::records::Page;

/// Builds a WHERE clause and its parameters together, numbering placeholders as it goes.
#[derive(Default)]
pub(crate) struct Query {
    clauses: Vec<String>,
    pub(crate) params: Vec<Value>,
}

impl Query {
    /// Adds a parameter and returns its placeholder.
    pub(crate) fn bind(&mut self, v: impl Into<Value>) -> String {
        self.params.push(v.into());
        format!("?{}", self.params.len())
    }

    pub(crate) fn and(&mut self, clause: String) {
        self.clauses.push(clause);
    }

    pub(crate) fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// Turns `limit + 1` fetched rows into a page (the extra row only says there is more).
pub(crate) fn into_page<T>(mut items: Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let next_cursor = if items.len() > limit {
        items.truncate(limit);
        items.last().map(key)
    } else {
        None
    };
    Page { items, next_cursor }
}
