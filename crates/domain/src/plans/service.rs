//! Stored implementation plans: built from the gaps between a Current and a Target profile,
//! stored as one JSON document with a revision, read back, and updated with progress
//! (compare-and-set on the revision, so two callers never overwrite each other's updates).

use std::sync::Arc;

use csf_store::{EntryInput, EntryWrite, NewPlan, OrgId, Patch, Priority, StoredPlan, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::plan::{implementation_plan, ItemStatus, Plan, PlanParams, PlanProgress};
use super::progress::{track_progress, ItemUpdate, MilestoneUpdate, ProgressUpdates};
use crate::analysis::effort::EffortModel;
use crate::analysis::inputs::date_arg;
use crate::analysis::requests::GapBasis;
use crate::analysis::service::PairGaps;
use crate::assessment::entries::check_in_scope;
use crate::error::{check_len, Error, Result};
use crate::orgs::org_id;
use crate::paging::page;
use crate::service::{Actor, Service};

/// A stored plan as the tools return it: the store's bookkeeping and the plan itself.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanOutput {
    pub plan_id: String,
    pub org_id: String,
    pub current_profile_id: String,
    pub target_profile_id: String,
    /// Stored revision (1 when created, +1 per update); pass it as `expected_revision` to
    /// track_progress.
    pub revision: i64,
    pub created_at: Timestamp,
    pub created_by: String,
    pub updated_at: Timestamp,
    pub updated_by: String,
    pub plan: Plan,
}

impl TryFrom<StoredPlan> for PlanOutput {
    type Error = Error;
    fn try_from(stored: StoredPlan) -> Result<Self> {
        let plan = plan_body(&stored)?;
        Ok(PlanOutput {
            plan_id: stored.id,
            org_id: stored.org_id.to_string(),
            current_profile_id: stored.current_profile_id.to_string(),
            target_profile_id: stored.target_profile_id.to_string(),
            revision: stored.revision,
            created_at: stored.created_at,
            created_by: stored.created_by,
            updated_at: stored.updated_at,
            updated_by: stored.updated_by,
            plan,
        })
    }
}

/// The stored body as a plan. Only this server writes plan bodies, so a body that does not
/// parse is damage in the store, not a caller mistake.
pub(crate) fn plan_body(stored: &StoredPlan) -> Result<Plan> {
    let mut plan: Plan = serde_json::from_value(stored.body.clone()).map_err(|e| {
        internal(format!(
            "stored plan {} is not a readable implementation plan ({e}); create a new plan",
            stored.id
        ))
    })?;
    // Bodies stored before progress was worded get their words from their figures.
    plan.progress.label();
    Ok(plan)
}

fn internal(message: String) -> Error {
    Error::Unavailable {
        message,
        transient: false,
    }
}

fn to_body(plan: &Plan) -> Result<serde_json::Value> {
    serde_json::to_value(plan).map_err(|e| internal(e.to_string()))
}

/// `plan_` + a ULID: unique and increasing, like the store's other ids.
fn new_plan_id() -> String {
    let org = OrgId::generate();
    format!("plan_{}", &org.as_str()[OrgId::PREFIX.len()..])
}

/// A new plan from the gaps between two profiles.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlanRequest {
    /// The Current profile (prof_…).
    pub current_profile_id: String,
    /// The Target profile (prof_…), of the same organization.
    pub target_profile_id: String,
    /// Work units the team can deliver per phase (> 0), in the effort model's unit (e.g.
    /// person-weeks).
    pub capacity_per_phase: f64,
    /// First day of phase 1, YYYY-MM-DD.
    pub start_date: String,
    /// Days per phase (default 90, 1–366).
    pub phase_length_days: Option<u32>,
    /// Most phases (default 8, 1–40); gaps that do not fit are listed as unscheduled.
    pub max_phases: Option<u32>,
    /// Plan name (default "CSF implementation plan").
    pub name: Option<String>,
    /// Function, category or subcategory ids to plan for; default: the functions both profiles
    /// cover.
    pub scope: Option<Vec<String>>,
    /// Priority assumed where the target entry has none (default medium).
    pub default_priority: Option<Priority>,
    /// Effort model: work units per gap step (default 1.0) and per-subcategory overrides.
    pub effort: Option<EffortModel>,
}

/// One stored plan.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetPlanRequest {
    /// The plan (plan_…).
    pub plan_id: String,
}

/// Progress to apply to a stored plan.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackRequest {
    /// The plan (plan_…).
    pub plan_id: String,
    /// Date the progress is reported, YYYY-MM-DD (drives done dates and overdue milestones).
    pub as_of: String,
    /// Item changes: item_id (I-GV.OC-01, or the bare subcategory id), status (planned,
    /// in_progress, done, blocked, dropped), optional note.
    #[serde(default)]
    pub items: Vec<ItemUpdate>,
    /// Milestone changes: milestone_id (M1 …), new due date and/or note.
    #[serde(default)]
    pub milestones: Vec<MilestoneUpdate>,
    /// The revision you read; on mismatch nothing is stored (default: the current revision).
    pub expected_revision: Option<i64>,
    /// Also record, in the plan's Current profile, the target status of each item this call
    /// marks done (dated `as_of`; other fields kept). Default false: the plan alone changes.
    /// The entry changes appear in the profile's history and in this call's audit row.
    #[serde(default)]
    pub apply_to_profile: bool,
}

/// What a track_progress call recorded in the Current profile (apply_to_profile).
#[derive(Debug, Serialize, JsonSchema)]
pub struct AppliedToProfile {
    /// The Current profile (prof_…).
    pub profile_id: String,
    /// One per item newly done with a target status, as record_assessment reports it.
    pub written: Vec<EntryWrite>,
}

/// A plan after track_progress, and the Current profile entries it updated if asked.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TrackOutput {
    #[serde(flatten)]
    pub stored: PlanOutput,
    /// Present when `apply_to_profile` was true.
    pub applied_to_profile: Option<AppliedToProfile>,
}

/// The entries that record, for each item this update made done, its target status.
fn newly_done(before: &Plan, after: &Plan, as_of: chrono::NaiveDate) -> Vec<EntryInput> {
    after
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Done)
        .filter(|i| {
            before
                .items
                .iter()
                .any(|b| b.id == i.id && b.status != ItemStatus::Done)
        })
        .filter_map(|i| {
            let mut e = EntryInput::new(i.subcategory_id.clone(), i.to_status?);
            e.assessed_on = Patch::Set(as_of);
            Some(e)
        })
        .collect()
}

/// Which plans to list.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPlansRequest {
    /// Only this organization's plans (org_…).
    pub org_id: Option<String>,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

// A stored plan in a listing (no doc comment: it would become the schema's description).
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanSummary {
    pub plan_id: String,
    pub name: String,
    pub org_id: String,
    pub current_profile_id: String,
    pub target_profile_id: String,
    pub revision: i64,
    pub updated_at: Timestamp,
    /// The plan's progress figures (absent if the stored body is unreadable).
    pub progress: Option<PlanProgress>,
}

impl From<StoredPlan> for PlanSummary {
    fn from(stored: StoredPlan) -> Self {
        PlanSummary {
            progress: plan_body(&stored).ok().map(|p| p.progress),
            plan_id: stored.id,
            name: stored.name,
            org_id: stored.org_id.to_string(),
            current_profile_id: stored.current_profile_id.to_string(),
            target_profile_id: stored.target_profile_id.to_string(),
            revision: stored.revision,
            updated_at: stored.updated_at,
        }
    }
}

/// Plans in creation order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListPlansOutput {
    pub plans: Vec<PlanSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Refuses an over-long note of an update before anything is read.
fn check_notes(req: &TrackRequest) -> Result<()> {
    for (i, u) in req.items.iter().enumerate() {
        if let Some(n) = &u.note {
            check_len(&format!("items[{i}].note"), n, 2000)?;
        }
    }
    for (i, u) in req.milestones.iter().enumerate() {
        if let Some(n) = &u.note {
            check_len(&format!("milestones[{i}].note"), n, 2000)?;
        }
    }
    Ok(())
}

impl Service {
    /// Reads one stored plan.
    pub(crate) async fn load_plan(self: &Arc<Self>, plan_id: &str) -> Result<StoredPlan> {
        check_len("plan_id", plan_id, csf_store::MAX_PLAN_ID)?;
        let id = plan_id.trim().to_owned();
        self.read(move |s| Ok(s.get_plan(&id)?)).await
    }

    /// Builds a plan from the open gaps of two profiles and stores it.
    pub async fn create_implementation_plan(
        self: &Arc<Self>,
        actor: &Actor,
        req: CreatePlanRequest,
    ) -> Result<PlanOutput> {
        if let Some(n) = &req.name {
            check_len("name", n, 200)?;
        }
        let start_date = date_arg("start_date", &req.start_date)?;
        let PairGaps { pair, gaps, .. } = self
            .gaps(GapBasis {
                current_profile_id: &req.current_profile_id,
                target_profile_id: &req.target_profile_id,
                scope: req.scope,
                default_priority: req.default_priority,
            })
            .await?;
        let id = new_plan_id();
        let plan = implementation_plan(
            &gaps,
            &PlanParams {
                id: Some(id.clone()),
                name: req.name,
                capacity_per_phase: req.capacity_per_phase,
                phase_length_days: req.phase_length_days,
                start_date,
                max_phases: req.max_phases,
                effort: req.effort.unwrap_or_default(),
            },
        )?;
        let new = NewPlan {
            id,
            org_id: pair.org.id,
            current_profile_id: pair.current.profile.id,
            target_profile_id: pair.target.profile.id,
            name: plan.name.clone(),
            body: to_body(&plan)?,
        };
        let stored = self
            .write(actor, move |s, by| Ok(s.create_plan(&new, by)?))
            .await?;
        stored.try_into()
    }

    /// One stored plan.
    pub async fn get_implementation_plan(
        self: &Arc<Self>,
        req: GetPlanRequest,
    ) -> Result<PlanOutput> {
        self.load_plan(&req.plan_id).await?.try_into()
    }

    /// Applies item and milestone changes to a stored plan, all or nothing, compare-and-set on
    /// its revision.
    pub async fn track_progress(
        self: &Arc<Self>,
        actor: &Actor,
        req: TrackRequest,
    ) -> Result<TrackOutput> {
        let as_of = date_arg("as_of", &req.as_of)?;
        if req.items.is_empty() && req.milestones.is_empty() {
            return Err(Error::Invalid(
                "give at least one change in `items` or `milestones`".into(),
            ));
        }
        check_notes(&req)?;
        let stored = self.load_plan(&req.plan_id).await?;
        let before = plan_body(&stored)?;
        let updated = track_progress(
            &before,
            &ProgressUpdates {
                as_of,
                items: req.items,
                milestones: req.milestones,
            },
        )?;
        let entries = if req.apply_to_profile {
            Some(newly_done(&before, &updated, as_of))
        } else {
            None
        };
        let body = to_body(&updated)?;
        let expected = req.expected_revision.unwrap_or(stored.revision);
        let id = stored.id;
        let profile = stored.current_profile_id.clone();
        let (stored, written) = self
            .write(actor, move |s, by| {
                // Entry rows are checked first, so a refused one leaves the plan unchanged;
                // the plan's compare-and-set comes next, then the entries (whose history rows
                // and this call's audit row record them).
                if let Some(e) = entries.as_ref().filter(|e| !e.is_empty()) {
                    let p = s.get_profile(&profile)?;
                    for x in e {
                        check_in_scope(&p, &x.subcategory_id, "apply_to_profile")?;
                    }
                    s.preview_entries(&profile, e)?;
                }
                let stored = s.update_plan(&id, expected, &body, by)?;
                let written = match entries {
                    Some(e) if !e.is_empty() => Some(s.record_entries(&profile, &e, by)?),
                    Some(_) => Some(Vec::new()),
                    None => None,
                };
                Ok((stored, written))
            })
            .await?;
        let profile_id = stored.current_profile_id.to_string();
        Ok(TrackOutput {
            stored: stored.try_into()?,
            applied_to_profile: written.map(|written| AppliedToProfile {
                profile_id,
                written,
            }),
        })
    }

    /// Stored plans (of one organization, or all) in creation order, one page.
    pub async fn list_implementation_plans(
        self: &Arc<Self>,
        req: ListPlansRequest,
    ) -> Result<ListPlansOutput> {
        let org = req.org_id.as_deref().map(org_id).transpose()?;
        let page = page(req.limit, req.cursor.as_ref())?;
        let found = self
            .read(move |s| Ok(s.list_plans(org.as_ref(), &page)?))
            .await?;
        Ok(ListPlansOutput {
            plans: found.items.into_iter().map(PlanSummary::from).collect(),
            next_cursor: found.next_cursor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plans::plan::ItemStatus;
    use crate::testkit::{org, profile, record, service};
    use csf_store::{AuditFilter, ImplementationStatus::*, PageRequest, ProfileKind, Scope};

    fn create(current: &str, target: &str) -> CreatePlanRequest {
        CreatePlanRequest {
            current_profile_id: current.into(),
            target_profile_id: target.into(),
            capacity_per_phase: 3.0,
            start_date: "2026-07-01".into(),
            phase_length_days: Some(30),
            max_phases: None,
            name: None,
            scope: None,
            default_priority: None,
            effort: Some(EffortModel::gap_steps()),
        }
    }

    fn done(item: &str, expected_revision: Option<i64>) -> TrackRequest {
        TrackRequest {
            plan_id: String::new(),
            as_of: "2026-07-20".into(),
            items: vec![ItemUpdate {
                item_id: item.into(),
                status: ItemStatus::Done,
                note: None,
            }],
            milestones: Vec::new(),
            expected_revision,
            apply_to_profile: false,
        }
    }

    #[tokio::test]
    async fn a_plan_is_built_from_the_common_scope_stored_audited_and_tracked() {
        let (svc, s) = service();
        let o = org(s.as_ref(), "Invented Canal Trust");
        let cur = profile(s.as_ref(), &o, ProfileKind::Current, Scope::All);
        let gv = Scope::Functions(vec!["GV".into()]);
        let tgt = profile(s.as_ref(), &o, ProfileKind::Target, gv);
        // PR.AA-01 lies outside the Target's scope (GV): it is not planned.
        let now = [("GV.OC-01", Partially), ("GV.OC-02", NotImplemented)];
        record(s.as_ref(), &cur, &now);
        record(s.as_ref(), &cur, &[("PR.AA-01", NotImplemented)]);
        let goal = [
            ("GV.OC-01", Fully),
            ("GV.OC-02", Fully),
            ("PR.AA-01", Fully),
        ];
        record(s.as_ref(), &tgt, &goal);

        let actor = Actor::audited(
            "alice",
            "create_implementation_plan",
            "{}".into(),
            None,
            None,
        );
        let out = svc
            .create_implementation_plan(&actor, create(cur.id.as_str(), tgt.id.as_str()))
            .await
            .unwrap();
        // Both gaps are of the default priority: the larger (3 steps) comes first and fills
        // phase 1 (capacity 3); the other (2 steps) opens phase 2, 30 days later.
        assert_eq!(out.plan.scope, "GV");
        let items: Vec<_> = out
            .plan
            .items
            .iter()
            .map(|i| (i.subcategory_id.as_str(), i.phase, i.effort))
            .collect();
        assert_eq!(
            items,
            [("GV.OC-02", Some(1), 3.0), ("GV.OC-01", Some(2), 2.0)]
        );
        assert_eq!(out.plan.phases[1].start.to_string(), "2026-07-31");
        assert_eq!((out.revision, out.org_id.as_str()), (1, o.id.as_str()));

        // The audit row names the organization, though the call carried no org_id.
        let filter = AuditFilter {
            org_id: Some(o.id.clone()),
            ..AuditFilter::default()
        };
        let page = PageRequest {
            limit: 10,
            cursor: None,
        };
        let rows = s.audit_trail(&filter, &page).unwrap().items;
        let tools: Vec<_> = rows.iter().map(|r| r.tool.as_str()).collect();
        assert_eq!(tools, ["create_implementation_plan"]);

        let mut first = done("GV.OC-02", Some(1));
        first.plan_id.clone_from(&out.plan_id);
        let tracked = svc
            .track_progress(&Actor::new("bob"), first)
            .await
            .unwrap()
            .stored;
        assert_eq!((tracked.revision, tracked.updated_by.as_str()), (2, "bob"));
        let p = &tracked.plan.progress;
        assert_eq!(
            (p.effort_done, p.effort_total, p.effort_ratio),
            (3.0, 5.0, Some(0.6))
        );

        // A second update from the same read is refused and stores nothing.
        let mut stale = done("GV.OC-01", Some(1));
        stale.plan_id.clone_from(&out.plan_id);
        let err = svc
            .track_progress(&Actor::new("carol"), stale)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Conflict(_)), "{err:?}");
        let get = GetPlanRequest {
            plan_id: out.plan_id.clone(),
        };
        let now = svc.get_implementation_plan(get).await.unwrap();
        assert_eq!((now.revision, now.plan.progress.done), (2, 1));

        let list = ListPlansRequest {
            org_id: Some(o.id.to_string()),
            limit: None,
            cursor: None,
        };
        let listed = svc.list_implementation_plans(list).await.unwrap();
        assert_eq!(listed.plans.len(), 1);
        assert_eq!(listed.plans[0].progress.as_ref().map(|p| p.done), Some(1));
    }

    #[tokio::test]
    async fn progress_needs_a_change_and_a_real_date_before_anything_is_read() {
        let (svc, _) = service();
        let mut none = done("GV.OC-01", None);
        none.items.clear();
        let err = svc.track_progress(&Actor::new("bob"), none).await;
        assert_eq!(
            err.unwrap_err().to_string(),
            "give at least one change in `items` or `milestones`"
        );
        let mut bad_date = done("GV.OC-01", None);
        bad_date.as_of = "20 July".into();
        let err = svc.track_progress(&Actor::new("bob"), bad_date).await;
        assert_eq!(
            err.unwrap_err().to_string(),
            "`as_of` `20 July` is not a date like 2026-12-31"
        );
    }
}
