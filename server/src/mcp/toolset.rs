//! The server's tool set: the list `tools/list` shows, lookup by name for dispatch and the
//! HTTP scope check, and the README's table. Apart from `registry` (the typed tool machinery
//! every tool implements), so the tools and the machinery do not depend on each other.

use super::registry::{ErasedTool, ToolClass};

/// Every tool the server offers, in the order `tools/list` shows them.
pub fn all() -> &'static [&'static dyn ErasedTool] {
    super::tools::ALL
}

pub fn find(name: &str) -> Option<&'static dyn ErasedTool> {
    all().iter().copied().find(|t| t.meta().name == name)
}

/// The class of a tool by name (what the HTTP transport's scope check needs).
pub fn class_of(name: &str) -> Option<ToolClass> {
    find(name).map(|t| t.meta().class)
}

/// The README's tool table (`nist-csf-mcp tools`).
pub fn markdown_table() -> String {
    let mut out = String::from("| tool | title | access |\n|---|---|---|\n");
    for t in all() {
        let m = t.meta();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            m.name,
            m.title,
            m.class.as_str()
        ));
    }
    out
}
