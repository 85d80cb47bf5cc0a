//! Tool classes and the scopes that grant them.
//!
//! Scopes are hierarchical on purpose: `admin` grants `write`, and `write` grants `read`,
//! so a key or token carries the single highest class its holder needs.

use std::fmt;

/// What a tool call may do; decides which scope a caller needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ToolClass {
    /// Reads only (catalog look-ups, listing assessments).
    Read,
    /// Creates or changes stored data.
    Write,
    /// Operator actions (delete everything, import, maintenance).
    Admin,
}

impl ToolClass {
    /// The bare scope name: `read`, `write` or `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            ToolClass::Read => "read",
            ToolClass::Write => "write",
            ToolClass::Admin => "admin",
        }
    }

    /// Parses a bare scope name (case-insensitive).
    pub fn parse(name: &str) -> Option<ToolClass> {
        match name.trim().to_ascii_lowercase().as_str() {
            "read" => Some(ToolClass::Read),
            "write" => Some(ToolClass::Write),
            "admin" => Some(ToolClass::Admin),
            _ => None,
        }
    }

    /// All classes, lowest first.
    pub const ALL: [ToolClass; 3] = [ToolClass::Read, ToolClass::Write, ToolClass::Admin];
}

impl fmt::Display for ToolClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The set of classes a principal was granted (as written in its key or token).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scopes {
    highest: Option<ToolClass>,
}

impl Scopes {
    /// No scope at all: every MCP request is refused with `insufficient_scope`.
    pub const NONE: Scopes = Scopes { highest: None };
    /// Everything (used for `--auth none` on loopback).
    pub const ALL: Scopes = Scopes {
        highest: Some(ToolClass::Admin),
    };

    /// Adds a granted class.
    pub fn grant(&mut self, class: ToolClass) {
        self.highest = self.highest.max(Some(class));
    }

    /// Builds the set from granted classes.
    pub fn from_classes(classes: impl IntoIterator<Item = ToolClass>) -> Scopes {
        let mut scopes = Scopes::NONE;
        for class in classes {
            scopes.grant(class);
        }
        scopes
    }

    /// Whether a call of `class` is allowed (a higher grant includes the lower ones).
    pub fn allows(self, class: ToolClass) -> bool {
        self.highest.is_some_and(|granted| granted >= class)
    }

    /// The highest granted class, if any.
    pub fn highest(self) -> Option<ToolClass> {
        self.highest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higher_scopes_include_lower_ones() {
        let write = Scopes::from_classes([ToolClass::Write]);
        assert!(write.allows(ToolClass::Read));
        assert!(write.allows(ToolClass::Write));
        assert!(!write.allows(ToolClass::Admin));
        assert!(!Scopes::NONE.allows(ToolClass::Read));
        assert!(Scopes::ALL.allows(ToolClass::Admin));
    }

    #[test]
    fn parses_scope_names() {
        assert_eq!(ToolClass::parse(" Write "), Some(ToolClass::Write));
        assert_eq!(ToolClass::parse("root"), None);
    }
}
