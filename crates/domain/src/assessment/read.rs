//! Reading a profile's assessment: entries (filtered, paged, or as of a past time), coverage,
//! quick answers and, on request, the history of the returned entries.

use std::collections::HashSet;
use std::sync::Arc;

use csf_catalog::Element;
use csf_store::{
    AssessmentEntry, EntryFilter, HistoryRecord, ImplementationStatus, Page, PageRequest, Profile,
    QuickAnswer, Scope, Timestamp,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{check_len, Error, Result};
use crate::orgs::profile_id;
use crate::paging::{all_pages, page};
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
    pub entries: Vec<AssessmentEntry>,
    /// include_history: history rows of the returned entries, oldest first.
    pub history: Vec<HistoryRecord>,
    pub coverage: Coverage,
    /// Function-level quick-assessment answers (never expanded to subcategories).
    pub quick_answers: Vec<QuickAnswer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
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
        let paging = page(req.limit, req.cursor.as_ref())?;
        let include_history = req.include_history;
        self.read(move |s| {
            let profile = s.get_profile(&id)?;
            let filter = EntryFilter {
                subcategory_prefix: within.clone(),
                statuses: statuses.clone(),
            };
            let (entries, next_cursor, assessed) = match as_of {
                Some(at) => {
                    let mut entries = s.entries_as_of(&id, at)?;
                    let assessed = entries.len();
                    entries.retain(|e| {
                        within
                            .as_deref()
                            .is_none_or(|w| e.subcategory_id.starts_with(w))
                            && (statuses.is_empty() || statuses.contains(&e.status))
                    });
                    (entries, None, assessed)
                }
                None => {
                    let Page { items, next_cursor } = s.list_entries(&id, &filter, &paging)?;
                    let all = PageRequest::first(csf_store::MAX_PAGE);
                    let assessed = s
                        .list_entries(&id, &EntryFilter::default(), &all)?
                        .items
                        .len();
                    (items, next_cursor, assessed)
                }
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
                history,
                next_cursor,
            })
        })
        .await
    }
}
