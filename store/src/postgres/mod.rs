//! PostgreSQL backend, selected by a `postgres://` URL: for several server replicas sharing
//! state. Writers of one profile are serialised by a row lock on the profile; commit times
//! come from the database server's clock so replicas agree on history order.

mod io;
mod value;

use crate::error::{Result, StoreError};
use crate::pool::{Manager, Pool};
use crate::sql::migrate::{self, Migration};
use crate::sql::{Backend, Row, SqlStore, Tx, Value};
use crate::time::{from_micros, Timestamp};
use io::IoThread;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, NoTls, Statement};

/// Connections per process.
const POOL_SIZE: usize = 8;
/// Whole-transaction retries after a serialization failure or deadlock.
const MAX_ATTEMPTS: u32 = 5;
/// Any constant shared by all replicas: serialises concurrent migrations.
const MIGRATION_LOCK: i64 = 0x0043_5346_5f4d_4350; // "CSF_MCP"

pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "0001_initial",
    sql: include_str!("../../migrations/postgres/0001_initial.sql"),
}];

/// One connection and its prepared statements (shared with futures on the I/O thread).
pub(crate) struct PgConn {
    client: Arc<Client>,
    statements: Arc<Mutex<HashMap<String, Statement>>>,
}

struct PgManager {
    config: Config,
    io: Arc<IoThread>,
}

impl Manager for PgManager {
    type Conn = PgConn;

    fn connect(&self) -> Result<PgConn> {
        let config = self.config.clone();
        let client = self.io.run(async move {
            let (client, connection) =
                config
                    .connect(NoTls)
                    .await
                    .map_err(|e| StoreError::Backend {
                        message: format!("cannot connect to PostgreSQL: {}", describe(&e)),
                        transient: true,
                    })?;
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::warn!(error = %e, "PostgreSQL connection closed");
                }
            });
            Ok(client)
        })?;
        Ok(PgConn {
            client: Arc::new(client),
            statements: Arc::default(),
        })
    }

    fn is_broken(&self, conn: &PgConn) -> bool {
        conn.client.is_closed()
    }
}

fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// Serialization failures and deadlocks abort the transaction before anything is committed:
/// the whole transaction may safely run again.
fn retry_safe(e: &tokio_postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
    )
}

/// `?N` placeholders (the shared SQL) -> `$N`.
fn to_pg(sql: &str) -> String {
    sql.replace('?', "$")
}

struct PgTx<'a> {
    io: &'a IoThread,
    conn: &'a PgConn,
    retry: bool,
}

type Outcome<T> = std::result::Result<T, tokio_postgres::Error>;

impl PgTx<'_> {
    /// Runs `op` with the connection's client on the I/O thread; classifies its error.
    fn call<T, F, Fut>(&mut self, what: &str, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Client>, Arc<Mutex<HashMap<String, Statement>>>) -> Fut,
        Fut: std::future::Future<Output = Outcome<Result<T>>> + Send + 'static,
    {
        let fut = op(self.conn.client.clone(), self.conn.statements.clone());
        let out = self.io.run(async move {
            Ok(match fut.await {
                Ok(r) => Ok(r),
                Err(e) => Err((retry_safe(&e), e.is_closed(), describe(&e))),
            })
        })?;
        match out {
            Ok(r) => r,
            Err((retry, closed, message)) => {
                self.retry |= retry;
                Err(StoreError::Backend {
                    message: format!("PostgreSQL {what}: {message}"),
                    transient: retry || closed,
                })
            }
        }
    }

    fn query_raw(&mut self, sql: &str, params: &[Value]) -> Result<Vec<tokio_postgres::Row>> {
        let sql = to_pg(sql);
        let params = params.to_vec();
        self.call("query", move |client, cache| async move {
            let cached = cache
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&sql)
                .cloned();
            let stmt = match cached {
                Some(s) => s,
                None => {
                    let s = client.prepare(&sql).await?;
                    cache
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(sql, s.clone());
                    s
                }
            };
            let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                params.iter().map(|p| p as _).collect();
            Ok(Ok(client.query(&stmt, &refs).await?))
        })
    }
}

impl Tx for PgTx<'_> {
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        self.query_raw(sql, params)?
            .iter()
            .map(value::row)
            .collect()
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        // Row counts come from the command tag; run as a query-less execute.
        let sql = to_pg(sql);
        let params = params.to_vec();
        self.call("statement", move |client, _| async move {
            let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                params.iter().map(|p| p as _).collect();
            Ok(Ok(client.execute(sql.as_str(), &refs).await?))
        })
    }

    fn execute_batch(&mut self, sql: &str) -> Result<()> {
        let sql = sql.to_owned();
        self.call("statements", move |client, _| async move {
            client.batch_execute(&sql).await?;
            Ok(Ok(()))
        })
    }

    fn now(&mut self) -> Result<Timestamp> {
        let rows = self.query(
            "SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT",
            &[],
        )?;
        let us = rows
            .first()
            .map(|r| r.int(0))
            .transpose()?
            .ok_or_else(|| StoreError::backend("PostgreSQL returned no clock value"))?;
        from_micros(us)
    }
}

pub(crate) struct PgBackend {
    pool: Pool<PgManager>,
}

impl PgBackend {
    fn run<T>(&self, begin: &str, f: &mut dyn FnMut(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut conn = self.pool.get()?;
            let io = self.pool.manager().io.clone();
            let mut tx = PgTx {
                io: &io,
                conn: &conn,
                retry: false,
            };
            let result = tx
                .execute_batch(begin)
                .and_then(|()| f(&mut tx))
                .and_then(|v| tx.execute_batch("COMMIT").map(|()| v));
            let retry = tx.retry;
            match result {
                Ok(v) => return Ok(v),
                Err(e) => {
                    if tx.execute_batch("ROLLBACK").is_err() {
                        conn.mark_broken();
                    }
                    if !retry || attempt >= MAX_ATTEMPTS {
                        return Err(e);
                    }
                    drop(conn);
                    tracing::debug!(attempt, "PostgreSQL serialization failure, retrying");
                    std::thread::sleep(Duration::from_millis(5 << attempt.min(6)));
                }
            }
        }
    }
}

impl Backend for PgBackend {
    const NAME: &'static str = "postgres";
    const FOR_UPDATE: &'static str = " FOR UPDATE";

    fn write<T>(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.run("BEGIN ISOLATION LEVEL READ COMMITTED", f)
    }

    fn read<T>(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.run("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", f)
    }
}

/// Connects to the database named by `url` (`postgres://user:pass@host:port/db`) and applies
/// pending migrations (serialised across replicas by an advisory lock).
pub(crate) fn open(url: &str) -> Result<SqlStore<PgBackend>> {
    let mut config = Config::from_str(url).map_err(|e| {
        StoreError::invalid(
            "database url",
            format!(
                "not a valid PostgreSQL URL ({e}): use postgres://user:password@host:port/database"
            ),
        )
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("nist-csf-mcp");
    }
    let io = Arc::new(IoThread::start()?);
    let backend = PgBackend {
        pool: Pool::new(PgManager { config, io }, POOL_SIZE, Duration::from_secs(30)),
    };
    let version = migrate::apply(
        &backend,
        MIGRATIONS,
        Some(("SELECT pg_advisory_xact_lock(?1)", MIGRATION_LOCK)),
    )?;
    tracing::debug!(version, "PostgreSQL store ready");
    Ok(SqlStore { backend })
}
