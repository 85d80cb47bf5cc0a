//! The store's logic, written once over a minimal SQL interface that both backends implement.
//!
//! Each backend supplies connections, transactions with retries ([`Backend`]) and statement
//! execution ([`Tx`]); everything else — validation, versions, history, as-of reads, paging —
//! lives here, so SQLite and PostgreSQL cannot drift apart in behaviour. SQL text is written
//! once with `?N` placeholders (the PostgreSQL backend rewrites them to `$N`) in the common
//! subset of both dialects; columns are TEXT and BIGINT only.

mod audit;
mod audited;
mod campaigns;
mod codec;
mod cursor;
mod documents;
mod entries;
mod evidence;
mod evidence_links;
pub(crate) mod migrate;
mod orgs;
mod plans;
mod profile_guard;
mod profiles;
mod query;
mod quick;
mod store;

pub(crate) use store::SqlStore;

use crate::error::{Result, StoreError};
use crate::ids::{OrgId, ProfileId};
use crate::time::Timestamp;

/// A bound parameter or a fetched column: the two types the schema uses, plus NULL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A statement with its parameters.
pub(crate) type Stmt = (String, Vec<Value>);

/// One fetched row; getters name the column on a type mismatch.
#[derive(Debug)]
pub(crate) struct Row(pub(crate) Vec<Value>);

impl Row {
    fn get(&self, i: usize) -> Result<&Value> {
        self.0
            .get(i)
            .ok_or_else(|| StoreError::backend(format!("column {i} missing from result row")))
    }

    pub(crate) fn int(&self, i: usize) -> Result<i64> {
        match self.get(i)? {
            Value::Int(v) => Ok(*v),
            other => Err(StoreError::backend(format!(
                "column {i}: expected an integer, found {other:?}"
            ))),
        }
    }

    pub(crate) fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            _ => self.int(i).map(Some),
        }
    }

    pub(crate) fn text(&self, i: usize) -> Result<&str> {
        match self.get(i)? {
            Value::Text(v) => Ok(v),
            other => Err(StoreError::backend(format!(
                "column {i}: expected text, found {other:?}"
            ))),
        }
    }

    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<&str>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }
}

/// Statements inside one open transaction.
pub(crate) trait Tx {
    /// Runs a statement that returns rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
    /// Runs a statement and returns the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64>;
    /// Runs several statements without parameters (migrations).
    fn execute_batch(&mut self, sql: &str) -> Result<()>;
    /// Runs independent parameterised statements (their order must not matter), returning
    /// each one's row count. PostgreSQL sends them all at once (pipelined): one round trip
    /// for a whole batch instead of one per row.
    fn execute_all(&mut self, stmts: Vec<Stmt>) -> Result<Vec<u64>> {
        stmts
            .iter()
            .map(|(sql, params)| self.execute(sql, params))
            .collect()
    }
    /// The commit time to record (the database server's clock where there is one, so several
    /// replicas agree).
    fn now(&mut self) -> Result<Timestamp>;
}

/// Transactions with the backend's retry policy. `f` may run more than once (after a busy or
/// serialization failure, the transaction is rolled back and retried), so it must not have
/// effects outside the transaction.
pub(crate) trait Backend: Send + Sync + 'static {
    /// "sqlite" or "postgres".
    const NAME: &'static str;
    /// Row-lock suffix for a SELECT that precedes a read-modify-write (" FOR UPDATE" on
    /// PostgreSQL; empty on SQLite, whose write transactions are already exclusive).
    const FOR_UPDATE: &'static str;

    /// Runs `f` in a write transaction and commits it.
    fn write<T>(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<T>) -> Result<T>;
    /// Runs `f` in a read-only transaction (one consistent snapshot).
    fn read<T>(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<T>) -> Result<T>;
    /// Names what the write under way concerns, for the audit row it may carry (see
    /// [`audited::Audited`]); fields already named stay. Plain backends have no row.
    fn attribute(&self, _org: Option<&OrgId>, _profile: Option<&ProfileId>) {}
}
