//! SQLite backend: bundled SQLite, WAL, busy timeout, `BEGIN IMMEDIATE` write transactions
//! retried on `SQLITE_BUSY`, so several processes can share one file without lost updates.

mod value;

use crate::error::{Result, StoreError};
use crate::pool::{Manager, Pool};
use crate::sql::migrate::{self, Migration};
use crate::sql::{Backend, Row, SqlStore, Tx, Value};
use crate::time::{now, Timestamp};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How many ~1 ms polls one statement makes for another process's write lock before
/// SQLITE_BUSY (about 5 s in all).
const BUSY_POLLS: i32 = 5000;
/// Whole-transaction retries after SQLITE_BUSY (on top of the busy timeout).
const MAX_ATTEMPTS: u32 = 6;
/// Connections per process (WAL lets readers run beside the one writer).
const POOL_SIZE: usize = 4;
/// Page cache per connection, in KiB.
const SQLITE_CACHE_KIB: i64 = 1024;

pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_initial",
        sql: include_str!("../../migrations/sqlite/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "0002_history_by_profile",
        sql: include_str!("../../migrations/sqlite/0002_history_by_profile.sql"),
    },
    Migration {
        version: 3,
        name: "0003_plans",
        sql: include_str!("../../migrations/sqlite/0003_plans.sql"),
    },
    Migration {
        version: 4,
        name: "0004_assessed_on_audit_profile",
        sql: include_str!("../../migrations/sqlite/0004_assessed_on_audit_profile.sql"),
    },
    Migration {
        version: 5,
        name: "0005_documents",
        sql: include_str!("../../migrations/sqlite/0005_documents.sql"),
    },
    Migration {
        version: 6,
        name: "0006_campaigns",
        sql: include_str!("../../migrations/sqlite/0006_campaigns.sql"),
    },
    Migration {
        version: 7,
        name: "0007_evidence_register",
        sql: include_str!("../../migrations/sqlite/0007_evidence_register.sql"),
    },
];

/// Where the database lives.
enum Target {
    File(PathBuf),
    /// A private in-memory database (one connection; gone when the store is dropped).
    Memory,
}

struct SqliteManager {
    target: Target,
}

impl Manager for SqliteManager {
    type Conn = Connection;

    fn connect(&self) -> Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = match &self.target {
            Target::File(p) => Connection::open_with_flags(p, flags),
            Target::Memory => Connection::open_in_memory(),
        }
        .map_err(|e| open_error(&self.target, e))?;
        configure(&conn).map_err(|e| open_error(&self.target, e))?;
        Ok(conn)
    }

    fn is_broken(&self, _conn: &Connection) -> bool {
        false
    }
}

fn open_error(target: &Target, e: rusqlite::Error) -> StoreError {
    let what = match target {
        Target::File(p) => format!("cannot open SQLite database {}", p.display()),
        Target::Memory => "cannot open in-memory SQLite database".to_owned(),
    };
    StoreError::Backend {
        message: format!("{what}: {e}"),
        transient: is_busy(&e),
    }
}

/// Per-connection settings. WAL is persistent in the file; the others are per connection.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_handler(Some(busy_poll))?;
    conn.set_prepared_statement_cache_capacity(64);
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        tracing::warn!(mode, "SQLite refused WAL journal mode");
    }
    // FULL: a write acknowledged to a client survives power loss, not only a process crash.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // An explicit page-cache bound (negative = KiB): with POOL_SIZE connections a process
    // holds at most 4 MiB of cached pages, instead of SQLite's default ~2 MiB per connection,
    // which a soak run saw as slow RSS growth while the caches filled.
    conn.pragma_update(None, "cache_size", -SQLITE_CACHE_KIB)?;
    Ok(())
}

/// Waits for a lock held by another connection. SQLite's default busy handler backs off to
/// 100 ms sleeps; a process writing in a loop then re-takes the lock in the microseconds
/// between its commits and starves every waiter (measured here: a second process waited 2 s).
/// Short polls with jitter catch those gaps.
fn busy_poll(attempt: i32) -> bool {
    if attempt >= BUSY_POLLS {
        return false;
    }
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() % 500);
    std::thread::sleep(Duration::from_micros(500 + u64::from(jitter)));
    true
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

pub(crate) struct SqliteBackend {
    pool: Pool<SqliteManager>,
}

struct SqliteTx<'c> {
    conn: &'c Connection,
    /// Set when a statement failed with SQLITE_BUSY: nothing was written, retry is safe.
    busy: bool,
    /// The transaction's time, fixed at its first use.
    at: Option<Timestamp>,
}

impl SqliteTx<'_> {
    fn fail(&mut self, e: rusqlite::Error) -> StoreError {
        let busy = is_busy(&e);
        self.busy |= busy;
        StoreError::Backend {
            message: format!("SQLite: {e}"),
            transient: busy,
        }
    }
}

impl Tx for SqliteTx<'_> {
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let conn = self.conn;
        let run = || -> rusqlite::Result<Vec<Row>> {
            let mut stmt = conn.prepare_cached(sql)?;
            let n = stmt.column_count();
            let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(Row((0..n)
                    .map(|i| r.get_ref(i).map(value::from_sqlite))
                    .collect::<rusqlite::Result<_>>()?));
            }
            Ok(out)
        };
        run().map_err(|e| self.fail(e))
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let conn = self.conn;
        let run = || -> rusqlite::Result<usize> {
            conn.prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(params.iter()))
        };
        match run() {
            Ok(n) => Ok(n as u64),
            Err(e) => Err(self.fail(e)),
        }
    }

    fn execute_batch(&mut self, sql: &str) -> Result<()> {
        self.conn.execute_batch(sql).map_err(|e| self.fail(e))
    }

    fn now(&mut self) -> Result<Timestamp> {
        // One time per transaction, as PostgreSQL's now(): a change and its audit row agree.
        Ok(*self.at.get_or_insert_with(now))
    }
}

impl SqliteBackend {
    fn run<T>(&self, begin: &str, f: &mut dyn FnMut(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut conn = self.pool.get()?;
            let mut tx = SqliteTx {
                conn: &conn,
                busy: false,
                at: None,
            };
            let result = tx
                .execute_batch(begin)
                .and_then(|()| f(&mut tx))
                .and_then(|v| tx.execute_batch("COMMIT").map(|()| v));
            let busy = tx.busy;
            match result {
                Ok(v) => return Ok(v),
                Err(e) => {
                    if !conn.is_autocommit() && conn.execute_batch("ROLLBACK").is_err() {
                        conn.mark_broken();
                    }
                    if !busy || attempt >= MAX_ATTEMPTS {
                        return Err(e);
                    }
                    drop(conn);
                    tracing::debug!(attempt, "SQLite busy, retrying transaction");
                    std::thread::sleep(Duration::from_millis(10 << attempt.min(6)));
                }
            }
        }
    }
}

impl Backend for SqliteBackend {
    const NAME: &'static str = "sqlite";
    const FOR_UPDATE: &'static str = "";

    fn write<T>(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<T>) -> Result<T> {
        // IMMEDIATE takes the write lock up front, so the reads inside the transaction cannot
        // be overtaken by another writer (no lost update, no upgrade deadlock).
        self.run("BEGIN IMMEDIATE", f)
    }

    fn read<T>(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<T>) -> Result<T> {
        self.run("BEGIN DEFERRED", f)
    }
}

/// Creates a missing database file (and its directory) readable by its owner only: it holds
/// an organization's security posture. SQLite gives the -wal and -shm files the same mode.
/// Existing files and directories are left as they are.
fn create_private(path: &Path) -> Result<()> {
    let fail = |what: &str, p: &Path, e: std::io::Error| {
        StoreError::backend(format!("cannot create {what} {}: {e}", p.display()))
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir).map_err(|e| fail("directory", dir, e))?;
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(fail("database file", path, e)),
    }
}

/// Opens (creating if needed) a SQLite store at `path`, or an in-memory one for `:memory:`,
/// and applies pending migrations.
pub(crate) fn open(path: &Path) -> Result<SqlStore<SqliteBackend>> {
    let (target, size) = if path == Path::new(":memory:") {
        (Target::Memory, 1)
    } else {
        create_private(path)?;
        (Target::File(path.to_path_buf()), POOL_SIZE)
    };
    let backend = SqliteBackend {
        pool: Pool::new(SqliteManager { target }, size, Duration::from_secs(30)),
    };
    let version = migrate::apply(&backend, MIGRATIONS, None)?;
    tracing::debug!(version, path = %path.display(), "SQLite store ready");
    Ok(SqlStore::new(backend))
}
