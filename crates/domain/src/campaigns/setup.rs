//! Creating, reading and listing campaigns, with the checks a new campaign's settings pass.

use std::sync::Arc;

use csf_store::NewCampaign;

use super::model::{Assessor, CampaignScope, CampaignState, Settings};
use super::service::*;
use crate::analysis::inputs::date_arg;
use crate::error::{check_len, Error, Result};
use crate::orgs::profile_id;
use crate::paging::page;
use crate::service::{Actor, Service};

fn check_settings(s: &Settings) -> Result<()> {
    for f in &s.scope.functions {
        csf_catalog::ids::function(f)?;
    }
    for c in &s.scope.categories {
        csf_catalog::ids::category(c)?;
    }
    if s.assessors.is_empty() || s.assessors.len() > 50 {
        return Err(Error::invalid(
            "assessors",
            format!("{} given; name 1–50 assessors", s.assessors.len()),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for a in &s.assessors {
        check_len("assessors[].name", &a.name, 200)?;
        if a.name.trim().is_empty() || !seen.insert(a.name.as_str()) {
            return Err(Error::invalid(
                "assessors",
                format!(
                    "assessor names must be non-empty and distinct ('{}')",
                    a.name
                ),
            ));
        }
        for area in &a.areas {
            if csf_catalog::ids::function(area).is_err() {
                csf_catalog::ids::category(area)?;
            }
        }
    }
    Ok(())
}

/// Function and category ids in their canonical spelling.
fn canonical_scope(functions: Vec<String>, categories: Vec<String>) -> Result<CampaignScope> {
    Ok(CampaignScope {
        functions: functions
            .iter()
            .map(|f| Ok(csf_catalog::ids::function(f)?.id.to_string()))
            .collect::<Result<_>>()?,
        categories: categories
            .iter()
            .map(|c| {
                check_len("categories[]", c, 16)?;
                Ok(csf_catalog::ids::category(c)?.id.to_string())
            })
            .collect::<Result<_>>()?,
    })
}

fn canonical_areas(assessors: Vec<Assessor>) -> Result<Vec<Assessor>> {
    assessors
        .into_iter()
        .map(|a| {
            let areas = a
                .areas
                .iter()
                .map(|x| {
                    check_len("assessors[].areas[]", x, 16)?;
                    match csf_catalog::ids::function(x) {
                        Ok(f) => Ok(f.id.to_string()),
                        Err(_) => Ok(csf_catalog::ids::category(x)?.id.to_string()),
                    }
                })
                .collect::<Result<_>>()?;
            Ok(Assessor {
                name: a.name.trim().to_string(),
                areas,
            })
        })
        .collect()
}

impl Service {
    /// Creates a campaign on a profile.
    pub async fn create_campaign(
        self: &Arc<Self>,
        actor: &Actor,
        req: CreateCampaignRequest,
    ) -> Result<CampaignView> {
        check_len("name", &req.name, 200)?;
        let profile = profile_id(&req.profile_id)?;
        let due_date = req
            .due_date
            .as_deref()
            .map(|d| date_arg("due_date", d))
            .transpose()?;
        let scope = canonical_scope(req.functions, req.categories)?;
        let assessors = canonical_areas(req.assessors)?;
        let org_size = match req.org_size {
            Some(s) => Some(s),
            None => {
                let p = profile.clone();
                self.read(move |s| {
                    let prof = s.get_profile(&p)?;
                    Ok(s.get_organization(&prof.org_id)?.size)
                })
                .await?
            }
        };
        let settings = Settings {
            scope,
            org_size,
            assessors,
            due_date,
            sign_off: None,
        };
        check_settings(&settings)?;
        let state = if req.start {
            CampaignState::InProgress
        } else {
            CampaignState::Draft
        };
        let new = NewCampaign {
            profile_id: profile,
            name: req.name.trim().to_string(),
            state: state.as_str().into(),
            body: settings.to_body()?,
        };
        let stored = self
            .write(actor, move |s, by| Ok(s.create_campaign(&new, by)?))
            .await?;
        Ok(self.load_campaign(stored.id.as_str()).await?.view(None))
    }

    /// A campaign's state, settings and progress (with its log if asked).
    pub async fn get_campaign(self: &Arc<Self>, req: CampaignRequest) -> Result<CampaignView> {
        let loaded = self.load_campaign(&req.campaign_id).await?;
        let history = if req.include_history {
            let id = loaded.stored.id.clone();
            Some(
                self.read(move |s| crate::paging::all_pages(|p| s.campaign_events(&id, &p)))
                    .await?,
            )
        } else {
            None
        };
        Ok(loaded.view(history))
    }

    /// The document of `csf://campaign/{id}`.
    pub async fn campaign_doc(self: &Arc<Self>, id: &str) -> Result<CampaignView> {
        self.get_campaign(CampaignRequest {
            campaign_id: id.into(),
            include_history: false,
        })
        .await
    }

    /// Campaigns in creation order.
    pub async fn list_campaigns(
        self: &Arc<Self>,
        req: ListCampaignsRequest,
    ) -> Result<ListCampaignsOutput> {
        let profile = req.profile_id.as_deref().map(profile_id).transpose()?;
        let p = page(req.limit, req.cursor.as_ref())?;
        let listed = self
            .read(move |s| Ok(s.list_campaigns(profile.as_ref(), &p)?))
            .await?;
        Ok(ListCampaignsOutput {
            campaigns: listed
                .items
                .into_iter()
                .map(|c| CampaignSummary {
                    campaign_id: c.id.to_string(),
                    profile_id: c.profile_id.to_string(),
                    name: c.name,
                    state: c.state,
                    version: c.version,
                    updated_at: c.updated_at,
                })
                .collect(),
            next_cursor: listed.next_cursor,
        })
    }
}
