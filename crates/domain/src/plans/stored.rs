//! A plan as the store keeps it: one JSON body under a `plan_…` id.

use csf_store::{OrgId, StoredPlan};

use super::plan::Plan;
use crate::error::{Error, Result};

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

pub(super) fn to_body(plan: &Plan) -> Result<serde_json::Value> {
    serde_json::to_value(plan).map_err(|e| internal(e.to_string()))
}

/// `plan_` + a ULID: unique and increasing, like the store's other ids.
pub(super) fn new_plan_id() -> String {
    let org = OrgId::generate();
    format!("plan_{}", &org.as_str()[OrgId::PREFIX.len()..])
}
