//! [`Value`] <-> SQLite values.

use crate::sql::Value;
use rusqlite::types::{FromSqlError, ToSqlOutput, ValueRef};
use rusqlite::ToSql;

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(rusqlite::types::Value::Null),
            Value::Int(v) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*v)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

/// Converts a fetched column; the schema stores only integers and UTF-8 text.
pub(super) fn from_sqlite(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        // Never written by this crate; surfaced as text so the row decoder names the column.
        ValueRef::Real(r) => Value::Text(r.to_string()),
        ValueRef::Blob(_) => Value::Text(FromSqlError::InvalidType.to_string()),
    }
}
