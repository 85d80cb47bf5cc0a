//! PostgreSQL backend, selected by a `postgres://` URL: for several server replicas sharing
//! state. Writers of one profile are serialised by a row lock on the profile; commit times
//! come from the database server's clock so replicas agree on history order.

mod io;
mod tls;
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
use tls::Tls;
use tokio_postgres::config::SslMode;
use tokio_postgres::error::SqlState;
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{Client, Config, NoTls, Socket, Statement};

/// Connections per process.
const POOL_SIZE: usize = 8;
/// Whole-transaction retries after a serialization failure or deadlock.
const MAX_ATTEMPTS: u32 = 5;
/// Any constant shared by all replicas: serialises concurrent migrations.
const MIGRATION_LOCK: i64 = 0x0043_5346_5f4d_4350; // "CSF_MCP"

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_initial",
        sql: include_str!("../../migrations/postgres/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "0002_history_by_profile",
        sql: include_str!("../../migrations/postgres/0002_history_by_profile.sql"),
    },
    Migration {
        version: 3,
        name: "0003_plans",
        sql: include_str!("../../migrations/postgres/0003_plans.sql"),
    },
    Migration {
        version: 4,
        name: "0004_assessed_on_audit_profile",
        sql: include_str!("../../migrations/postgres/0004_assessed_on_audit_profile.sql"),
    },
    Migration {
        version: 5,
        name: "0005_documents",
        sql: include_str!("../../migrations/postgres/0005_documents.sql"),
    },
    Migration {
        version: 6,
        name: "0006_campaigns",
        sql: include_str!("../../migrations/postgres/0006_campaigns.sql"),
    },
    Migration {
        version: 7,
        name: "0007_evidence_register",
        sql: include_str!("../../migrations/postgres/0007_evidence_register.sql"),
    },
];

/// One connection and its prepared statements (shared with futures on the I/O thread).
pub(crate) struct PgConn {
    client: Arc<Client>,
    statements: Arc<Mutex<HashMap<String, Statement>>>,
}

struct PgManager {
    config: Config,
    io: Arc<IoThread>,
    tls: Tls,
}

/// Opens one connection and leaves its driver task running on the I/O thread.
async fn connect_with<T>(config: Config, tls: T) -> Result<Client>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
{
    let (client, connection) = config.connect(tls).await.map_err(|e| StoreError::Backend {
        message: format!("cannot connect to PostgreSQL: {}", describe(&e)),
        transient: true,
    })?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(error = %e, "PostgreSQL connection closed");
        }
    });
    Ok(client)
}

impl Manager for PgManager {
    type Conn = PgConn;

    fn connect(&self) -> Result<PgConn> {
        let config = self.config.clone();
        let client = match &self.tls {
            Tls::Off => self.io.run(connect_with(config, NoTls))?,
            #[cfg(feature = "postgres-tls")]
            Tls::Verified(tls) => self.io.run(connect_with(config, tls.clone()))?,
        };
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
        None => {
            // The cause says what to fix ("invalid peer certificate: UnknownIssuer" under
            // "error performing TLS handshake"); tokio-postgres keeps it in the source chain.
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                let cause_text = cause.to_string();
                if !text.contains(&cause_text) {
                    text.push_str(": ");
                    text.push_str(&cause_text);
                }
                source = cause.source();
            }
            text
        }
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
    /// The transaction's time, read from the server at its first use.
    at: Option<Timestamp>,
}

type Outcome<T> = std::result::Result<T, tokio_postgres::Error>;
type Cache = Arc<Mutex<HashMap<String, Statement>>>;
type SqlParam<'a> = &'a (dyn tokio_postgres::types::ToSql + Sync);

/// The connection's prepared statement for `sql`, preparing it on first use.
async fn prepared(client: &Client, cache: &Cache, sql: &str) -> Outcome<Statement> {
    let cached = cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(sql)
        .cloned();
    if let Some(s) = cached {
        return Ok(s);
    }
    let s = client.prepare(sql).await?;
    cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(sql.to_owned(), s.clone());
    Ok(s)
}

fn refs(params: &[Value]) -> Vec<SqlParam<'_>> {
    params.iter().map(|p| p as SqlParam<'_>).collect()
}

impl PgTx<'_> {
    /// Runs `op` with the connection's client on the I/O thread; classifies its error.
    fn call<T, F, Fut>(&mut self, what: &str, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Client>, Cache) -> Fut,
        Fut: std::future::Future<Output = Outcome<T>> + Send + 'static,
    {
        let fut = op(self.conn.client.clone(), self.conn.statements.clone());
        let out = self.io.run(async move {
            Ok(fut
                .await
                .map_err(|e| (retry_safe(&e), e.is_closed(), describe(&e))))
        })?;
        out.map_err(|(retry, closed, message)| {
            self.retry |= retry;
            StoreError::Backend {
                message: format!("PostgreSQL {what}: {message}"),
                transient: retry || closed,
            }
        })
    }
}

impl Tx for PgTx<'_> {
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let sql = to_pg(sql);
        let params = params.to_vec();
        let rows = self.call("query", move |client, cache| async move {
            let stmt = prepared(&client, &cache, &sql).await?;
            client.query(&stmt, &refs(&params)).await
        })?;
        rows.iter().map(value::row).collect()
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let sql = to_pg(sql);
        let params = params.to_vec();
        self.call("statement", move |client, cache| async move {
            let stmt = prepared(&client, &cache, &sql).await?;
            client.execute(&stmt, &refs(&params)).await
        })
    }

    fn execute_all(&mut self, stmts: Vec<crate::sql::Stmt>) -> Result<Vec<u64>> {
        let stmts: Vec<(String, Vec<Value>)> =
            stmts.into_iter().map(|(sql, p)| (to_pg(&sql), p)).collect();
        self.call("statements", move |client, cache| async move {
            let mut statements = Vec::with_capacity(stmts.len());
            for (sql, _) in &stmts {
                statements.push(prepared(&client, &cache, sql).await?);
            }
            // Polled together, the executes are pipelined on the one connection.
            let client = &client;
            let runs = stmts
                .iter()
                .zip(&statements)
                .map(
                    |((_, params), stmt)| async move { client.execute(stmt, &refs(params)).await },
                );
            futures_util::future::try_join_all(runs).await
        })
    }

    fn execute_batch(&mut self, sql: &str) -> Result<()> {
        let sql = sql.to_owned();
        self.call("statements", move |client, _| async move {
            client.batch_execute(&sql).await
        })
    }

    fn now(&mut self) -> Result<Timestamp> {
        // One time per transaction: a change and its audit row agree, for one round trip.
        if let Some(at) = self.at {
            return Ok(at);
        }
        let rows = self.query(
            "SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT",
            &[],
        )?;
        let us = rows
            .first()
            .map(|r| r.int(0))
            .transpose()?
            .ok_or_else(|| StoreError::backend("PostgreSQL returned no clock value"))?;
        let at = from_micros(us)?;
        self.at = Some(at);
        Ok(at)
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
                at: None,
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

/// Checks the URL and its TLS settings (reading any root certificate file) without connecting.
pub(crate) fn check(url: &str) -> Result<()> {
    configure(url).map(drop)
}

/// The driver's configuration and the connector for `url`, without connecting.
fn configure(url: &str) -> Result<(Config, Tls)> {
    let (url, tls_mode) = tls::split(url)?;
    let mut config = Config::from_str(&url).map_err(|e| {
        StoreError::invalid(
            "database url",
            format!(
                "not a valid PostgreSQL URL ({e}): use postgres://user:password@host:port/database"
            ),
        )
    })?;
    // Every sslmode was taken off above; if the driver still read one, the URL was cut
    // differently from the driver's reading, and guessing could mean plain text: refuse.
    if config.get_ssl_mode() != SslMode::Prefer {
        return Err(StoreError::invalid(
            "database url",
            "sslmode could not be read unambiguously: percent-encode `?`, `/`, `@` and `&` in \
             the user name and password",
        ));
    }
    let tls = tls::connector(&tls_mode)?;
    // TLS is all or nothing: never tokio-postgres's default `prefer` fallback to plain text.
    config.ssl_mode(match tls {
        Tls::Off => SslMode::Disable,
        #[cfg(feature = "postgres-tls")]
        Tls::Verified(_) => SslMode::Require,
    });
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("nist-csf-mcp");
    }
    Ok((config, tls))
}

/// Connects to the database named by `url` (`postgres://user:pass@host:port/db`) and applies
/// pending migrations (serialised across replicas by an advisory lock).
pub(crate) fn open(url: &str) -> Result<SqlStore<PgBackend>> {
    let (config, tls) = configure(url)?;
    let io = Arc::new(IoThread::start()?);
    let backend = PgBackend {
        pool: Pool::new(
            PgManager { config, io, tls },
            POOL_SIZE,
            Duration::from_secs(30),
        ),
    };
    let version = migrate::apply(
        &backend,
        MIGRATIONS,
        Some(("SELECT pg_advisory_xact_lock(?1)", MIGRATION_LOCK)),
    )?;
    tracing::debug!(version, "PostgreSQL store ready");
    Ok(SqlStore::new(backend))
}
