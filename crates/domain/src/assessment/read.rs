//! Reading a profile's assessment: entries (filtered, paged, or as of a past time), coverage,
//! quick answers and, on request, the history of the returned entries.

use std::collections::HashSet;
use std::sync::Arc;

use csf_catalog::Element;
use csf_store::{
    AssessmentEntry, EntryFilter, HistoryRecord, ImplementationStatus, Profile, QuickAnswer, Scope,
    Timestamp,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{check_len, Error, Result};
use crate::orgs::profile_id;
use crate::paging::{self, all_pages};
use crate::service::Service;

/// Which entries to read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetRequest {
    pub profile_id: String,
    /// Only this function (GV …) or category (GV.OC) — an id prefix.
    pub within: Option<String>,
    /// Only entries with these statuses.
    pub statuses: Option<Vec<ImplementationStatus>>,
    /// Read the profile as it was at this time (RFC 3339, e.g. 2026-06-30T00:00:00Z), from
    /// history.
    pub as_of: Option<String>,
    /// Include each returned entry's change history (default false).
    #[serde(default)]
    pub include_history: bool,
    /// Items per page, 1–200 (default 50; ignored with as_of).
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

// How much of the profile's scope is assessed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Coverage {
    /// Active subcategories in the profile's scope.
    pub in_scope: usize,
    /// Of those, how many have an entry.
    pub assessed: usize,
}

/// A profile's assessment, one page.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetOutput {
    pub profile: Profile,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Entries matching the filters, in the official CSF order.
    pub entries: Vec<AssessmentEntry>,
    /// How many entries match the filters, over all pages.
    pub total: usize,
    /// include_history: history rows of the returned entries, oldest first.
    pub history: Vec<HistoryRecord>,
    pub coverage: Coverage,
    /// Function-level quick-assessment answers (never expanded to subcategories).
    pub quick_answers: Vec<QuickAnswer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Where a subcategory stands in the official CSF order (unknown ids last).
pub fn official_position(subcategory_id: &str) -> usize {
    match csf_catalog::get(subcategory_id) {
        Some(Element::Subcategory(s)) => s.index(),
        _ => usize::MAX,
    }
}

/// Active subcategories in a profile's scope.
pub fn in_scope_count(profile: &Profile) -> usize {
    csf_catalog::subcategories()
        .iter()
        .filter(|s| !s.withdrawn)
        .filter(|s| match &profile.scope {
            Scope::All => true,
            Scope::Functions(fs) => fs.iter().any(|f| s.id.starts_with(f.as_str())),
        })
        .count()
}

/// An optional RFC 3339 time argument (`as_of`, `since`), refused with an example when
/// malformed.
pub fn time_arg(field: &str, value: Option<&str>) -> Result<Option<Timestamp>> {
    value
        .map(|t| {
            chrono::DateTime::parse_from_rfc3339(t.trim())
                .map(|d| d.with_timezone(&chrono::Utc))
                .map_err(|_| {
                    Error::Invalid(format!(
                        "{field} `{}` is not an RFC 3339 time like 2026-06-30T00:00:00Z",
                        t.chars().take(40).collect::<String>()
                    ))
                })
        })
        .transpose()
}

/// A `within` argument: a function or category id, as the id prefix of its subcategories.
fn prefix(within: Option<&str>) -> Result<Option<String>> {
    let Some(w) = within else { return Ok(None) };
    check_len("within", w, 16)?;
    match csf_catalog::resolve(w)? {
        e @ (Element::Function(_) | Element::Category(_)) => Ok(Some(e.id().to_string())),
        e => Err(Error::Invalid(format!(
            "`within` takes a function (GV) or category (GV.OC); {} is a {}",
            e.id(),
            e.kind()
        ))),
    }
}

impl Service {
    /// A profile's entries, coverage and quick answers (see [`GetRequest`]).
    pub async fn get_assessment(self: &Arc<Self>, req: GetRequest) -> Result<GetOutput> {
        let id = profile_id(&req.profile_id)?;
        let within = prefix(req.within.as_deref())?;
        let statuses = req.statuses.unwrap_or_default();
        let as_of = time_arg("as_of", req.as_of.as_deref())?;
        // The as_of view is one whole page: a cursor there would be silently ignored.
        if as_of.is_some() && req.cursor.is_some() {
            return Err(Error::Invalid(
                "`cursor` does not apply with `as_of` (that view is not paged): omit it".into(),
            ));
        }
        let limit = paging::limit(req.limit, 50, 200)?;
        let scope = format!("{id}{within:?}{statuses:?}");
        let offset = paging::decode(req.cursor.as_deref(), &scope)?;
        let include_history = req.include_history;
        self.read(move |s| {
            let profile = s.get_profile(&id)?;
            let filter = EntryFilter {
                subcategory_prefix: within.clone(),
                statuses: statuses.clone(),
            };
            // A profile holds at most one entry per subcategory (106 active), so the whole
            // filtered set is read, put in official order and paged here.
            let (mut entries, assessed) = match as_of {
                Some(at) => {
                    let mut entries = s.entries_as_of(&id, at)?;
                    let assessed = entries.len();
                    entries.retain(|e| {
                        within
                            .as_deref()
                            .is_none_or(|w| e.subcategory_id.starts_with(w))
                            && (statuses.is_empty() || statuses.contains(&e.status))
                    });
                    (entries, assessed)
                }
                None => {
                    let entries = all_pages(|p| s.list_entries(&id, &filter, &p))?;
                    let assessed = if filter == EntryFilter::default() {
                        entries.len()
                    } else {
                        all_pages(|p| s.list_entries(&id, &EntryFilter::default(), &p))?.len()
                    };
                    (entries, assessed)
                }
            };
            entries.sort_by_cached_key(|e| {
                (
                    official_position(&e.subcategory_id),
                    e.subcategory_id.clone(),
                )
            });
            let total = entries.len();
            let (entries, next_cursor) = if as_of.is_some() {
                (entries, None)
            } else {
                let end = offset.saturating_add(limit).min(total);
                let next = (end < total).then(|| paging::encode(end, &scope));
                (entries.into_iter().skip(offset).take(limit).collect(), next)
            };
            let history = if include_history {
                // One listing of the profile's history, kept for the returned entries.
                let wanted: HashSet<&str> =
                    entries.iter().map(|e| e.subcategory_id.as_str()).collect();
                all_pages(|p| s.entry_history(&id, None, &p))?
                    .into_iter()
                    .filter(|h| wanted.contains(h.subcategory_id.as_str()))
                    .collect()
            } else {
                Vec::new()
            };
            Ok(GetOutput {
                coverage: Coverage {
                    in_scope: in_scope_count(&profile),
                    assessed,
                },
                quick_answers: s.quick_answers(&id)?,
                profile,
                as_of: as_of.map(|t| t.to_rfc3339()),
                entries,
                total,
                history,
                next_cursor,
            })
        })
        .await
    }
}
