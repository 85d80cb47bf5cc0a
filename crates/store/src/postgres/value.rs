//! [`Value`] <-> PostgreSQL wire values, for the column types the schema uses.

use crate::error::{Result, StoreError};
use crate::sql::{Row, Value};
use bytes::BytesMut;
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                _ => Err(format!("cannot bind an integer to a {ty} parameter").into()),
            },
            Value::Text(s) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    s.as_str().to_sql(ty, out)
                }
                _ => Err(format!("cannot bind text to a {ty} parameter").into()),
            },
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Converts a fetched row; the schema uses only integer and text columns.
pub(super) fn row(r: &tokio_postgres::Row) -> Result<Row> {
    let mut out = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let v = match *col.type_() {
            Type::INT8 => r.try_get::<_, Option<i64>>(i).map(|v| v.into()),
            Type::INT4 => r
                .try_get::<_, Option<i32>>(i)
                .map(|v| v.map(i64::from).into()),
            Type::INT2 => r
                .try_get::<_, Option<i16>>(i)
                .map(|v| v.map(i64::from).into()),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                r.try_get::<_, Option<String>>(i).map(|v| v.into())
            }
            ref other => {
                return Err(StoreError::backend(format!(
                    "column {} has unsupported type {other}",
                    col.name()
                )))
            }
        };
        out.push(v.map_err(|e| StoreError::backend(format!("column {}: {e}", col.name())))?);
    }
    Ok(Row(out))
}
