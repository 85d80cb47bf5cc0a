//! `track_progress` on a stored plan: item and milestone changes applied all or nothing,
//! compare-and-set on the plan's revision (so two callers never overwrite each other's
//! updates), and optionally the newly done items recorded in the Current profile.

use std::sync::Arc;

use csf_store::{EntryInput, Patch};

use super::outputs::{AppliedToProfile, TrackOutput};
use super::plan::{ItemStatus, Plan};
use super::progress::{track_progress, ProgressUpdates};
use super::requests::TrackRequest;
use super::stored::{plan_body, to_body};
use crate::analysis::inputs::date_arg;
use crate::assessment::entries::check_in_scope;
use crate::error::{check_len, Error, Result};
use crate::service::{Actor, Service};

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
}
