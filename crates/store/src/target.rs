//! [`open`] and [`check_target`]: pick a backend from a URL or path; the default database path;
//! [`redact_target`] for logs. Apart from the [`crate::store::Store`] trait, which the backends
//! implement, so the trait does not depend on the backends.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::{postgres, sqlite};

/// Where a target points.
enum Target<'a> {
    Postgres(&'a str),
    Sqlite(&'a Path),
}

fn parse_target(target: &str) -> Result<Target<'_>> {
    let t = target.trim();
    if t.is_empty() {
        return Err(StoreError::invalid(
            "database",
            "empty: give a SQLite file path, :memory:, or a postgres:// URL",
        ));
    }
    match t.split_once("://") {
        Some(("postgres" | "postgresql", _)) => Ok(Target::Postgres(t)),
        Some(("sqlite", "")) => Err(StoreError::invalid(
            "database",
            "sqlite:// needs a path: sqlite:///path/to/csf.db",
        )),
        Some(("sqlite", path)) => Ok(Target::Sqlite(Path::new(path))),
        Some((scheme, _)) => Err(StoreError::invalid(
            "database",
            format!(
                "'{scheme}://' is not supported: use a SQLite file path, sqlite:///path/to/csf.db, \
                 :memory:, or postgres://user:password@host:port/database"
            ),
        )),
        None => Ok(Target::Sqlite(Path::new(t))),
    }
}

/// Opens a store: a `postgres://` or `postgresql://` URL selects PostgreSQL; `:memory:` a
/// private in-memory SQLite database; `sqlite:///abs/path` or any plain path a SQLite file
/// (created with its directory if missing). Other URL schemes are refused. Pending migrations
/// are applied before it returns.
pub fn open(target: &str) -> Result<Arc<dyn Store>> {
    match parse_target(target)? {
        Target::Postgres(url) => Ok(Arc::new(postgres::open(url)?)),
        Target::Sqlite(path) => Ok(Arc::new(sqlite::open(path)?)),
    }
}

/// Checks a target without connecting or creating anything: the scheme and, for PostgreSQL,
/// the URL and its TLS settings (a root certificate file is read). Servers call it at start,
/// so a bad `--db` stops them there instead of failing every call (the store opens on first
/// use).
pub fn check_target(target: &str) -> Result<()> {
    match parse_target(target)? {
        Target::Postgres(url) => postgres::check(url),
        Target::Sqlite(_) => Ok(()),
    }
}

/// The database target with any password masked, for logs and health output:
/// `postgres://csf:secret@db:5432/csf?password=x` -> `postgres://csf:***@db:5432/csf?password=***`.
///
/// Errs on the side of masking: the user information runs to the *last* `@`, so a password
/// holding `/`, `?` or `@` is still hidden (if the last `@` is in the query, more is masked than
/// needed, never less).
pub fn redact_target(target: &str) -> String {
    let Some((scheme, rest)) = target.split_once("://") else {
        return target.to_owned();
    };
    let (userinfo, tail) = match rest.rsplit_once('@') {
        Some((userinfo, tail)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            let masked = if userinfo.contains(':') {
                format!("{user}:***@")
            } else {
                format!("{user}@")
            };
            (masked, tail)
        }
        None => (String::new(), rest),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if is_password_key(k) => format!("{k}=***"),
                    _ => kv.to_owned(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{userinfo}{tail}")
}

/// `password`, in any case and however percent-encoded (the driver decodes parameter names).
fn is_password_key(key: &str) -> bool {
    percent_encoding::percent_decode_str(key)
        .decode_utf8_lossy()
        .eq_ignore_ascii_case("password")
}

/// The default SQLite path: `$XDG_DATA_HOME/nist-csf-mcp/csf.db`, else
/// `$HOME/.local/share/nist-csf-mcp/csf.db`; `None` when neither variable is set.
pub fn default_db_path() -> Option<PathBuf> {
    db_path_under(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
}

/// [`default_db_path`] for these values of `XDG_DATA_HOME` and `HOME` (an empty value counts as
/// unset; a relative `XDG_DATA_HOME` is ignored, as the XDG spec says). Separate so the rule can
/// be checked without changing the process environment.
pub fn db_path_under(xdg_data_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let non_empty = |v: Option<OsString>| v.filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = non_empty(xdg_data_home)
        .filter(|p| p.is_absolute())
        .or_else(|| non_empty(home).map(|h| h.join(".local/share")))?;
    Some(base.join("nist-csf-mcp").join("csf.db"))
}

#[cfg(test)]
mod tests {
    use super::redact_target;

    #[test]
    fn passwords_are_masked() {
        assert_eq!(
            redact_target("postgres://csf:s3cr3t@db:5432/csf?password=x&sslmode=disable"),
            "postgres://csf:***@db:5432/csf?password=***&sslmode=disable"
        );
        assert_eq!(
            redact_target("postgresql://u:p@a:b@host/db"),
            "postgresql://u:***@host/db"
        );
        assert_eq!(redact_target("postgres://host/db"), "postgres://host/db");
        assert_eq!(
            redact_target("postgres://user@host"),
            "postgres://user@host"
        );
        assert_eq!(redact_target("/data/csf.db"), "/data/csf.db");
        // Passwords holding URL delimiters stay hidden.
        assert_eq!(
            redact_target("postgres://u:pa?ss/w@db/csf?sslmode=require"),
            "postgres://u:***@db/csf?sslmode=require"
        );
        assert_eq!(
            redact_target("postgres://u@db/csf?pass%77ord=x&sslmode=disable"),
            "postgres://u@db/csf?pass%77ord=***&sslmode=disable"
        );
    }
}
