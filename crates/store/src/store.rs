//! The [`Store`] trait and [`open`], which picks a backend from a URL or path.

use crate::assessment::{
    AssessmentEntry, EntryFilter, EntryInput, EntryWrite, HistoryRecord, QuickAnswer,
    QuickAnswerInput,
};
use crate::audit::{AuditEvent, AuditFilter, AuditRecord, PendingAudit};
use crate::campaigns::{
    AnswerInput, CampaignAnswer, CampaignChange, CampaignEvent, NewCampaign, StoredCampaign,
};
use crate::error::{Result, StoreError};
use crate::ids::{CampaignId, OrgId, ProfileId};
use crate::plans::{NewPlan, StoredPlan};
use crate::records::{
    CloneProfile, NewOrganization, NewProfile, Organization, Page, PageRequest, Profile,
    ProfileFilter, Removed,
};
use crate::time::Timestamp;
use crate::{postgres, sqlite};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Persistence of organizations, profiles, assessment entries (with history), quick answers,
/// implementation plans and the audit trail.
///
/// Every method blocks (disk or network I/O, possibly waiting for another process's write
/// lock): from async code call it inside `tokio::task::spawn_blocking`. Implementations are
/// `Send + Sync`; share one store as `Arc<dyn Store>`.
///
/// `by` is the principal recorded as author (1..=200 characters on one line).
pub trait Store: Send + Sync {
    /// "sqlite" or "postgres".
    fn backend_name(&self) -> &'static str;
    /// Runs a trivial query (readiness probe).
    fn health_check(&self) -> Result<()>;

    /// Creates an organization.
    fn create_organization(&self, org: &NewOrganization) -> Result<Organization>;
    /// Reads an organization.
    fn get_organization(&self, id: &OrgId) -> Result<Organization>;
    /// Lists organizations in creation (id) order.
    fn list_organizations(&self, page: &PageRequest) -> Result<Page<Organization>>;
    /// Replaces an organization's fields (name, sector, size, declared tiers, note).
    fn update_organization(&self, id: &OrgId, org: &NewOrganization) -> Result<Organization>;
    /// Deletes all profiles of the organization with their entries, history, quick answers and
    /// plans; keeps the organization and the audit trail.
    fn reset_organization_data(&self, id: &OrgId) -> Result<Removed>;
    /// As `reset_organization_data`, then deletes the organization itself.
    fn delete_organization(&self, id: &OrgId) -> Result<Removed>;

    /// Creates an empty profile in an existing organization.
    fn create_profile(&self, profile: &NewProfile, by: &str) -> Result<Profile>;
    /// Reads a profile.
    fn get_profile(&self, id: &ProfileId) -> Result<Profile>;
    /// Lists profiles in creation (id) order; archived ones only if the filter asks.
    fn list_profiles(&self, filter: &ProfileFilter, page: &PageRequest) -> Result<Page<Profile>>;
    /// Creates a new profile in the source's organization with a copy of every entry
    /// (version 1, one `cloned` history row each). Archived sources may be cloned.
    fn clone_profile(&self, source: &ProfileId, spec: &CloneProfile, by: &str) -> Result<Profile>;
    /// Archives (read-only, hidden from default listings) or unarchives a profile.
    fn set_profile_archived(&self, id: &ProfileId, archived: bool) -> Result<Profile>;
    /// Deletes a profile with its entries, history and quick answers, and every plan that
    /// names it as current or target profile.
    fn delete_profile(&self, id: &ProfileId) -> Result<Removed>;

    /// Records 1..=1000 entries in one transaction: all land or none does. Each input replaces
    /// the whole entry; see the crate docs for versions, `expected_version` and history.
    fn record_entries(
        &self,
        profile: &ProfileId,
        entries: &[EntryInput],
        by: &str,
    ) -> Result<Vec<EntryWrite>>;
    /// What `record_entries` would do right now (created / updated / unchanged per row, or
    /// the error it would return), without writing anything: for dry-run imports. A later
    /// `record_entries` may still differ if someone writes in between; pass the versions
    /// seen here as `expected_version` to make that a conflict.
    fn preview_entries(
        &self,
        profile: &ProfileId,
        entries: &[EntryInput],
    ) -> Result<Vec<EntryWrite>>;
    /// Reads one entry.
    fn get_entry(&self, profile: &ProfileId, subcategory_id: &str) -> Result<AssessmentEntry>;
    /// Lists entries in subcategory id order.
    fn list_entries(
        &self,
        profile: &ProfileId,
        filter: &EntryFilter,
        page: &PageRequest,
    ) -> Result<Page<AssessmentEntry>>;
    /// The profile's entries as they were at `at` (from history; empty before the first write).
    fn entries_as_of(&self, profile: &ProfileId, at: Timestamp) -> Result<Vec<AssessmentEntry>>;
    /// History rows of the profile (or of one entry), oldest first.
    fn entry_history(
        &self,
        profile: &ProfileId,
        subcategory_id: Option<&str>,
        page: &PageRequest,
    ) -> Result<Page<HistoryRecord>>;

    /// Stores function-level quick-assessment answers (one per function; a new answer
    /// replaces the old one) and returns all of the profile's answers.
    fn record_quick_answers(
        &self,
        profile: &ProfileId,
        answers: &[QuickAnswerInput],
        by: &str,
    ) -> Result<Vec<QuickAnswer>>;
    /// The profile's quick-assessment answers in function id order.
    fn quick_answers(&self, profile: &ProfileId) -> Result<Vec<QuickAnswer>>;

    /// Creates a plan at revision 1. The organization and both profiles must exist
    /// (`NotFound`) and the profiles must belong to the organization (`Invalid`). An id already
    /// in use is a `Conflict` with `expected` 0 and `actual` the stored revision.
    fn create_plan(&self, plan: &NewPlan, by: &str) -> Result<StoredPlan>;
    /// Reads a plan.
    fn get_plan(&self, id: &str) -> Result<StoredPlan>;
    /// Lists plans (of one organization, or all) in creation order.
    fn list_plans(&self, org_id: Option<&OrgId>, page: &PageRequest) -> Result<Page<StoredPlan>>;
    /// Replaces a plan's body if its revision is still `expected_revision` (compare-and-set),
    /// bumping the revision by one; otherwise fails with `Conflict` naming the current
    /// revision and stores nothing.
    fn update_plan(
        &self,
        id: &str,
        expected_revision: i64,
        body: &serde_json::Value,
        by: &str,
    ) -> Result<StoredPlan>;

    /// Creates a campaign on a writable profile (version 1, one `created` log line).
    fn create_campaign(&self, campaign: &NewCampaign, by: &str) -> Result<StoredCampaign>;
    /// Reads a campaign.
    fn get_campaign(&self, id: &CampaignId) -> Result<StoredCampaign>;
    /// Lists campaigns (of one profile, or all) in creation order.
    fn list_campaigns(
        &self,
        profile: Option<&ProfileId>,
        page: &PageRequest,
    ) -> Result<Page<StoredCampaign>>;
    /// Applies a change if the campaign's version is still `change.expected_version`
    /// (otherwise `Conflict`, nothing stored): new state and settings, the answer rows and
    /// profile entries it carries, and a log line, in one transaction.
    fn change_campaign(
        &self,
        id: &CampaignId,
        change: &CampaignChange,
        by: &str,
    ) -> Result<(StoredCampaign, Vec<EntryWrite>)>;
    /// Writes answer rows (one per question; a new answer to a question replaces its row and
    /// bumps its revision) and logs each, if the campaign's state is one of `states`.
    fn put_campaign_answers(
        &self,
        id: &CampaignId,
        states: &[&str],
        answers: &[AnswerInput],
        by: &str,
    ) -> Result<Vec<CampaignAnswer>>;
    /// A campaign's answer rows in question id order.
    fn campaign_answers(&self, id: &CampaignId) -> Result<Vec<CampaignAnswer>>;
    /// A campaign's log, oldest first.
    fn campaign_events(&self, id: &CampaignId, page: &PageRequest) -> Result<Page<CampaignEvent>>;

    /// Appends an audit row (never fails on over-long text: it is truncated).
    fn append_audit(&self, event: &AuditEvent) -> Result<AuditRecord>;
    /// A view of this store (same database and connections) whose first committed write also
    /// appends `pending`'s row in that same transaction: the change and its audit row are
    /// stored together or not at all. Later writes through the view carry no row. Afterwards,
    /// if `pending.is_committed()` is false nothing was written through the view, and the
    /// caller records the outcome with `append_audit`. Write through one view one call at a
    /// time: two concurrent first writes could both carry the row.
    fn audited(&self, pending: Arc<PendingAudit>) -> Arc<dyn Store>;
    /// Audit rows, newest first.
    fn audit_trail(&self, filter: &AuditFilter, page: &PageRequest) -> Result<Page<AuditRecord>>;
}

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
