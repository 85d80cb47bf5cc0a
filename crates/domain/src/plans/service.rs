//! Stored implementation plans: built from the gaps between a Current and a Target profile,
//! stored as one JSON document with a revision, read back and listed (progress updates are in
//! `tracking`).

use std::sync::Arc;

use csf_store::{NewPlan, StoredPlan};

use super::outputs::{ListPlansOutput, PlanOutput, PlanSummary};
use super::plan::{implementation_plan, PlanParams};
use super::requests::{CreatePlanRequest, GetPlanRequest, ListPlansRequest};
use super::stored::{new_plan_id, to_body};
use crate::analysis::inputs::date_arg;
use crate::analysis::requests::GapBasis;
use crate::analysis::service::PairGaps;
use crate::error::{check_len, Result};
use crate::orgs::org_id;
use crate::paging::page;
use crate::service::{Actor, Service};

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
