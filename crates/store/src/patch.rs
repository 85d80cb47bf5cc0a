//! [`Patch`]: a change to one optional field of a stored record — leave it as it is, set it,
//! or clear it. In JSON an absent field leaves it, `null` clears it and a value sets it, so a
//! caller can change one field of an entry without resending (or losing) the others.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A change to one optional field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Patch<T> {
    /// Leave the stored value as it is (the field was not given).
    #[default]
    Keep,
    /// Store this value.
    Set(T),
    /// Remove the stored value (the field was given as `null`).
    Clear,
}

impl<T> Patch<T> {
    /// Whether the field was left out (serde's `skip_serializing_if`).
    pub fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }

    /// A set value, or `Keep` for `None`: for inputs that cannot say "clear".
    pub fn set_if_some(value: Option<T>) -> Self {
        value.map_or(Patch::Keep, Patch::Set)
    }

    /// The value after the change; `replace` treats a left-out field as cleared.
    pub fn apply(&self, current: Option<&T>, replace: bool) -> Option<T>
    where
        T: Clone,
    {
        match self {
            Patch::Keep if !replace => current.cloned(),
            Patch::Keep | Patch::Clear => None,
            Patch::Set(v) => Some(v.clone()),
        }
    }

    /// The value if one is set.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Patch::Set(v) => Some(v),
            _ => None,
        }
    }

    /// Converts a set value, keeping `Keep` and `Clear`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set(v) => Patch::Set(f(v)),
        }
    }

    /// Converts a set value that may fail, keeping `Keep` and `Clear`.
    pub fn try_map<U, E>(self, f: impl FnOnce(T) -> Result<U, E>) -> Result<Patch<U>, E> {
        Ok(match self {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set(v) => Patch::Set(f(v)?),
        })
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(v) => v.serialize(s),
            Patch::Keep | Patch::Clear => s.serialize_none(),
        }
    }
}

/// Present `null` clears; a value sets. An absent field needs `#[serde(default)]` (Keep).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(d)?.map_or(Patch::Clear, Patch::Set))
    }
}

/// The same schema as `Option<T>`: a value or `null`.
#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Patch<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Option<T>>::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Option<T>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Serialize, Debug, PartialEq)]
    struct Doc {
        #[serde(default, skip_serializing_if = "Patch::is_keep")]
        owner: Patch<String>,
    }

    #[test]
    fn absent_keeps_null_clears_value_sets() {
        let parse = |s: &str| serde_json::from_str::<Doc>(s).unwrap().owner;
        assert_eq!(parse("{}"), Patch::Keep);
        assert_eq!(parse(r#"{"owner":null}"#), Patch::Clear);
        assert_eq!(parse(r#"{"owner":"ciso"}"#), Patch::Set("ciso".to_string()));
        let kept = Doc { owner: Patch::Keep };
        assert_eq!(serde_json::to_string(&kept).unwrap(), "{}");
    }

    #[test]
    fn apply_merges_or_replaces() {
        let old = "alice".to_string();
        assert_eq!(Patch::Keep.apply(Some(&old), false), Some(old.clone()));
        assert_eq!(Patch::<String>::Keep.apply(Some(&old), true), None);
        assert_eq!(Patch::<String>::Clear.apply(Some(&old), false), None);
        assert_eq!(
            Patch::Set("bob".to_string()).apply(Some(&old), false),
            Some("bob".to_string())
        );
    }
}
