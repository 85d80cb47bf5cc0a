//! What the analysis tools share: reading a profile's entries and history whole from the store,
//! choosing the scope, parsing dates, and turning analysis errors into tool errors.

use chrono::NaiveDate;
use csf_domain::ScopeFilter;
use csf_store::{
    AssessmentEntry, EntryFilter, HistoryRecord, Organization, Page, PageRequest, Profile,
    ProfileId, Scope, Store, MAX_PAGE,
};

use super::store_call::{profile_id, with_store};
use crate::mcp::error::{check_len, ToolError};
use crate::mcp::registry::Call;

/// Most ids in a `scope` argument (there are 6 functions, 22 categories, 106 subcategories).
const MAX_SCOPE_IDS: usize = 134;

/// Every entry of a profile, in subcategory order (a profile holds at most 106, one page).
pub fn all_entries(s: &dyn Store, id: &ProfileId) -> csf_store::Result<Vec<AssessmentEntry>> {
    all_pages(|page| s.list_entries(id, &EntryFilter::default(), &page))
}

/// Every history row of a profile, oldest first.
pub fn all_history(s: &dyn Store, id: &ProfileId) -> csf_store::Result<Vec<HistoryRecord>> {
    all_pages(|page| s.entry_history(id, None, &page))
}

/// Follows `next_cursor` from the first page to the last, in pages of `MAX_PAGE`.
fn all_pages<T>(
    mut fetch: impl FnMut(PageRequest) -> csf_store::Result<Page<T>>,
) -> csf_store::Result<Vec<T>> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = fetch(PageRequest {
            limit: MAX_PAGE,
            cursor,
        })?;
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return Ok(out),
        }
    }
}

/// One profile with its entries.
pub struct Loaded {
    pub profile: Profile,
    pub entries: Vec<AssessmentEntry>,
}

/// A Current and a Target profile of one organization, with their entries.
pub struct Pair {
    pub org: Organization,
    pub current: Loaded,
    pub target: Loaded,
}

fn load(s: &dyn Store, id: &ProfileId) -> csf_store::Result<Loaded> {
    let profile = s.get_profile(id)?;
    let entries = all_entries(s, id)?;
    Ok(Loaded { profile, entries })
}

/// Reads one profile and its entries.
pub async fn load_profile(call: &Call, id: &str) -> Result<Loaded, ToolError> {
    let id = profile_id(id)?;
    with_store(call, move |s, _| load(s, &id)).await
}

/// Reads several profiles (in the order given) and their entries.
pub async fn load_profiles(call: &Call, ids: &[String]) -> Result<Vec<Loaded>, ToolError> {
    let ids = ids
        .iter()
        .map(|i| profile_id(i))
        .collect::<Result<Vec<_>, _>>()?;
    with_store(call, move |s, _| ids.iter().map(|id| load(s, id)).collect()).await
}

/// Reads a Current/Target pair; both must belong to the same organization.
pub async fn load_pair(call: &Call, current: &str, target: &str) -> Result<Pair, ToolError> {
    let cur = profile_id(current)?;
    let tgt = profile_id(target)?;
    let pair = with_store(call, move |s, _| {
        let current = load(s, &cur)?;
        let target = load(s, &tgt)?;
        let org = s.get_organization(&current.profile.org_id)?;
        Ok(Pair {
            org,
            current,
            target,
        })
    })
    .await?;
    if pair.current.profile.org_id != pair.target.profile.org_id {
        return Err(ToolError::InvalidValue(format!(
            "profiles {} and {} belong to different organizations ({} and {}); compare profiles \
             of one organization",
            pair.current.profile.id,
            pair.target.profile.id,
            pair.current.profile.org_id,
            pair.target.profile.org_id
        )));
    }
    Ok(pair)
}

/// The caller's scope, or else the functions every given profile covers (whole Core when all
/// cover everything).
pub fn scope_for(
    given: Option<Vec<String>>,
    profiles: &[&Profile],
) -> Result<ScopeFilter, ToolError> {
    if let Some(ids) = given {
        if ids.len() > MAX_SCOPE_IDS {
            return Err(ToolError::InvalidValue(format!(
                "`scope` has {} ids; give at most {MAX_SCOPE_IDS}",
                ids.len()
            )));
        }
        for id in &ids {
            check_len("scope[]", id, 16)?;
        }
        return Ok(ScopeFilter { ids });
    }
    let mut common: Option<Vec<String>> = None;
    for p in profiles {
        if let Scope::Functions(fs) = &p.scope {
            common = Some(match common {
                None => fs.clone(),
                Some(c) => c.into_iter().filter(|f| fs.contains(f)).collect(),
            });
        }
    }
    match common {
        None => Ok(ScopeFilter::all()),
        Some(c) if c.is_empty() => Err(ToolError::InvalidValue(
            "the profiles cover no function in common; give a `scope` explicitly".into(),
        )),
        Some(ids) => Ok(ScopeFilter { ids }),
    }
}

/// A `YYYY-MM-DD` argument.
pub fn date(field: &str, s: &str) -> Result<NaiveDate, ToolError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        ToolError::InvalidValue(format!(
            "`{field}` `{}` is not a date like 2026-12-31",
            s.chars().take(40).collect::<String>()
        ))
    })
}
