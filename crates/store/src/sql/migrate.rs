//! A small versioned-migration runner. Migrations are SQL files compiled into the binary
//! (`include_str!`), applied in order inside one write transaction, and recorded in
//! `schema_migrations` (version, name, applied_at_us). No file is read at run time.

use super::{Backend, Tx};
use crate::error::{Result, StoreError};
use crate::time::{now, to_micros};

/// One schema version.
pub(crate) struct Migration {
    /// Increasing from 1, without gaps.
    pub(crate) version: i64,
    /// Short description (the file name).
    pub(crate) name: &'static str,
    /// The statements.
    pub(crate) sql: &'static str,
}

/// Applies pending migrations. A read first checks whether any are pending, so opening an
/// up-to-date database never waits for the write lock (a busy writer elsewhere would delay
/// every process start). `lock` is a statement serialising migrators (PostgreSQL advisory lock).
pub(crate) fn apply<B: Backend>(
    b: &B,
    migrations: &[Migration],
    lock: Option<(&str, i64)>,
) -> Result<i64> {
    let latest = migrations.last().map_or(0, |m| m.version);
    let current = b.read(&mut |tx| {
        let rows = tx.query("SELECT MAX(version) FROM schema_migrations", &[])?;
        Ok(rows.first().map(|r| r.opt_int(0)).transpose()?.flatten())
    });
    // A missing table (fresh database) is an error here: the write below creates it.
    if let Ok(Some(v)) = current {
        if v == latest {
            return Ok(latest);
        }
    }
    b.write(&mut |tx| {
        if let Some((sql, key)) = lock {
            tx.execute(sql, &[key.into()])?;
        }
        run(tx, migrations)
    })
}

/// Brings the schema up to the newest version; returns that version. Refuses a database
/// written by a newer binary rather than guessing what its schema means.
fn run(tx: &mut dyn Tx, migrations: &[Migration]) -> Result<i64> {
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, \
         name TEXT NOT NULL, applied_at_us BIGINT NOT NULL)",
    )?;
    let current = tx
        .query(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )?
        .first()
        .map(|r| r.int(0))
        .transpose()?
        .unwrap_or(0);
    let latest = migrations.last().map_or(0, |m| m.version);
    if current > latest {
        return Err(StoreError::backend(format!(
            "the database schema is at version {current}, newer than this binary knows \
             (up to {latest}): use a newer nist-csf-mcp or another database"
        )));
    }
    for m in migrations.iter().filter(|m| m.version > current) {
        tracing::info!(
            version = m.version,
            name = m.name,
            "applying store migration"
        );
        tx.execute_batch(m.sql).map_err(|e| {
            StoreError::backend(format!("migration {} ({}) failed: {e}", m.version, m.name))
        })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (?1, ?2, ?3)",
            &[m.version.into(), m.name.into(), to_micros(&now()).into()],
        )?;
    }
    Ok(latest)
}
