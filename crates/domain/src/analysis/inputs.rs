//! What the analysis, plan and report operations read: a profile with all its entries, a
//! Current/Target pair of one organization, a profile's change history. Each is read whole
//! with one listing query (entries, history) per profile, never one query per entry.

use std::sync::Arc;

use chrono::NaiveDate;
use csf_store::{
    AssessmentEntry, EntryFilter, HistoryRecord, Organization, Profile, ProfileId, Store,
};

use crate::error::{Error, Result};
use crate::orgs::profile_id;
use crate::paging::all_pages;
use crate::service::Service;

/// One profile with its entries.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub profile: Profile,
    pub entries: Vec<AssessmentEntry>,
}

/// A Current and a Target profile of one organization, with their entries.
#[derive(Clone, Debug)]
pub struct Pair {
    pub org: Organization,
    pub current: Loaded,
    pub target: Loaded,
}

/// Every entry of a profile, in subcategory order.
pub(crate) fn all_entries(s: &dyn Store, id: &ProfileId) -> Result<Vec<AssessmentEntry>> {
    all_pages(|page| s.list_entries(id, &EntryFilter::default(), &page))
}

/// Every history row of a profile, oldest first.
pub(crate) fn all_history(s: &dyn Store, id: &ProfileId) -> Result<Vec<HistoryRecord>> {
    all_pages(|page| s.entry_history(id, None, &page))
}

/// A profile and its entries.
pub(crate) fn load(s: &dyn Store, id: &ProfileId) -> Result<Loaded> {
    let profile = s.get_profile(id)?;
    let entries = all_entries(s, id)?;
    Ok(Loaded { profile, entries })
}

/// A Current/Target pair; both must belong to the same organization.
pub(crate) fn load_pair(s: &dyn Store, current: &ProfileId, target: &ProfileId) -> Result<Pair> {
    let current = load(s, current)?;
    let target = load(s, target)?;
    if current.profile.org_id != target.profile.org_id {
        return Err(Error::Invalid(format!(
            "profiles {} and {} belong to different organizations ({} and {}); compare profiles \
             of one organization",
            current.profile.id, target.profile.id, current.profile.org_id, target.profile.org_id
        )));
    }
    let org = s.get_organization(&current.profile.org_id)?;
    Ok(Pair {
        org,
        current,
        target,
    })
}

/// A `YYYY-MM-DD` argument, refused with an example when malformed.
pub fn date_arg(field: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        Error::Invalid(format!(
            "`{field}` `{}` is not a date like 2026-12-31",
            s.chars().take(40).collect::<String>()
        ))
    })
}

impl Service {
    /// Reads one profile and its entries.
    pub(crate) async fn load_profile(self: &Arc<Self>, id: &str) -> Result<Loaded> {
        let id = profile_id(id)?;
        self.read(move |s| load(s, &id)).await
    }

    /// Reads a profile, its entries and its organization.
    pub(crate) async fn load_with_org(
        self: &Arc<Self>,
        id: &str,
    ) -> Result<(Loaded, Organization)> {
        let id = profile_id(id)?;
        self.read(move |s| {
            let loaded = load(s, &id)?;
            let org = s.get_organization(&loaded.profile.org_id)?;
            Ok((loaded, org))
        })
        .await
    }

    /// Reads several profiles (in the order given) and their entries.
    pub(crate) async fn load_profiles(self: &Arc<Self>, ids: &[String]) -> Result<Vec<Loaded>> {
        let ids = ids
            .iter()
            .map(|i| profile_id(i))
            .collect::<Result<Vec<_>>>()?;
        self.read(move |s| ids.iter().map(|id| load(s, id)).collect())
            .await
    }

    /// Reads a Current/Target pair of one organization and the organization.
    pub(crate) async fn load_pair(self: &Arc<Self>, current: &str, target: &str) -> Result<Pair> {
        let cur = profile_id(current)?;
        let tgt = profile_id(target)?;
        self.read(move |s| load_pair(s, &cur, &tgt)).await
    }

    /// Reads a profile and its whole change history.
    pub(crate) async fn load_history(
        self: &Arc<Self>,
        id: &str,
    ) -> Result<(Profile, Vec<HistoryRecord>)> {
        let id = profile_id(id)?;
        self.read(move |s| Ok((s.get_profile(&id)?, all_history(s, &id)?)))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{org, profile, record, service};
    use csf_store::{ImplementationStatus, OrgSize, ProfileKind, Scope};

    fn ids(l: &Loaded) -> Vec<&str> {
        l.entries
            .iter()
            .map(|e| e.subcategory_id.as_str())
            .collect()
    }

    #[tokio::test]
    async fn a_pair_of_one_organization_is_read_whole_with_its_organization() {
        use ImplementationStatus::*;
        let (svc, s) = service();
        let o = org(s.as_ref(), "Invented Harbour Authority");
        let cur = profile(s.as_ref(), &o, ProfileKind::Current, Scope::All);
        let tgt = profile(
            s.as_ref(),
            &o,
            ProfileKind::Target,
            Scope::Functions(vec!["GV".into()]),
        );
        record(
            s.as_ref(),
            &cur,
            &[
                ("PR.AA-01", Partially),
                ("GV.OC-01", NotImplemented),
                ("GV.OC-02", Fully),
            ],
        );
        record(
            s.as_ref(),
            &tgt,
            &[("GV.OC-01", Fully), ("GV.OC-02", Fully)],
        );

        let pair = svc
            .load_pair(cur.id.as_str(), tgt.id.as_str())
            .await
            .unwrap();
        assert_eq!(pair.org.name, "Invented Harbour Authority");
        assert_eq!(pair.org.size, Some(OrgSize::Medium));
        assert_eq!(pair.current.profile.id, cur.id);
        assert_eq!(ids(&pair.current), ["GV.OC-01", "GV.OC-02", "PR.AA-01"]);
        assert_eq!(ids(&pair.target), ["GV.OC-01", "GV.OC-02"]);

        let (one, org) = svc.load_with_org(tgt.id.as_str()).await.unwrap();
        assert_eq!((one.profile.id, org.id), (tgt.id.clone(), o.id));

        // Several profiles come back in the order asked for.
        let many = svc
            .load_profiles(&[tgt.id.to_string(), cur.id.to_string(), tgt.id.to_string()])
            .await
            .unwrap();
        let order: Vec<_> = many.iter().map(|l| l.profile.id.clone()).collect();
        assert_eq!(order, [tgt.id.clone(), cur.id, tgt.id]);
        assert_eq!(many[1].entries.len(), 3);
    }

    #[tokio::test]
    async fn a_pair_across_organizations_is_refused_naming_both() {
        let (svc, s) = service();
        let a = org(s.as_ref(), "Invented North Ferries");
        let b = org(s.as_ref(), "Invented South Ferries");
        let cur = profile(s.as_ref(), &a, ProfileKind::Current, Scope::All);
        let tgt = profile(s.as_ref(), &b, ProfileKind::Target, Scope::All);
        let err = svc
            .load_pair(cur.id.as_str(), tgt.id.as_str())
            .await
            .unwrap_err();
        assert_eq!(
            err,
            Error::Invalid(format!(
                "profiles {} and {} belong to different organizations ({} and {}); compare \
                 profiles of one organization",
                cur.id, tgt.id, a.id, b.id
            ))
        );
    }

    #[tokio::test]
    async fn malformed_and_unknown_profile_ids_are_refused() {
        let (svc, _) = service();
        let bad = svc.load_profiles(&["prof_nope".into()]).await.unwrap_err();
        assert!(matches!(bad, Error::Invalid(_)), "{bad:?}");
        let unknown = ProfileId::generate();
        let err = svc.load_profile(unknown.as_str()).await.unwrap_err();
        assert!(matches!(err, Error::NotFound(_)), "{err:?}");
        assert!(err.to_string().contains(unknown.as_str()), "{err}");
    }

    #[tokio::test]
    async fn history_is_read_whole_past_one_store_page() {
        use ImplementationStatus::*;
        let (svc, s) = service();
        let o = org(s.as_ref(), "Invented Lock Keepers");
        let p = profile(s.as_ref(), &o, ProfileKind::Current, Scope::All);
        let subs: Vec<&str> = csf_catalog::subcategories()
            .iter()
            .filter(|x| !x.withdrawn)
            .map(|x| x.id)
            .collect();
        // 106 subcategories × 10 alternating writes = 1,060 rows: more than one page of 1,000.
        for round in 0..10 {
            let st = if round % 2 == 0 { Partially } else { Largely };
            let rows: Vec<_> = subs.iter().map(|id| (*id, st)).collect();
            record(s.as_ref(), &p, &rows);
        }
        let (profile, history) = svc.load_history(p.id.as_str()).await.unwrap();
        assert_eq!(profile.id, p.id);
        assert_eq!(history.len(), 1060);
        assert!(
            history.windows(2).all(|w| w[0].seq < w[1].seq),
            "oldest first"
        );
        let (loaded, _) = svc.load_with_org(p.id.as_str()).await.unwrap();
        assert_eq!(loaded.entries.len(), 106);
    }

    #[test]
    fn dates_are_plain_calendar_days() {
        assert_eq!(
            date_arg("start_date", " 2026-12-31 ").unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        for bad in ["2026-13-01", "31.12.2026", "2026-12-31T00:00:00Z", ""] {
            let err = date_arg("as_of", bad).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("`as_of` `{bad}` is not a date like 2026-12-31")
            );
        }
    }
}
