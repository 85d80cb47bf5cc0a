//! Function-level quick-assessment answers, stored as given (never expanded).

use super::codec::{self, enum_text, QUICK_COLS};
use super::profile_guard::{self, ensure_writable};
use super::Backend;
use crate::assessment::{QuickAnswer, QuickAnswerInput};
use crate::error::Result;
use crate::ids::ProfileId;
use crate::time::to_micros;
use crate::validate;

pub(crate) fn record<B: Backend>(
    b: &B,
    profile: &ProfileId,
    answers: &[QuickAnswerInput],
    by: &str,
) -> Result<Vec<QuickAnswer>> {
    validate::quick_batch(answers)?;
    validate::principal(by)?;
    b.write(&mut |tx| {
        let p = profile_guard::load(tx, profile, B::FOR_UPDATE)?;
        b.attribute(Some(&p.org_id), Some(profile));
        ensure_writable(&p)?;
        let now = to_micros(&tx.now()?);
        for a in answers {
            tx.execute(
                &format!(
                    "INSERT INTO quick_answers ({QUICK_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                     ON CONFLICT (profile_id, function_id) DO UPDATE SET status = excluded.status, \
                     maturity = excluded.maturity, notes = excluded.notes, \
                     answered_at_us = excluded.answered_at_us, answered_by = excluded.answered_by"
                ),
                &[
                    profile.as_str().into(),
                    a.function_id.as_str().into(),
                    enum_text(&a.status)?.into(),
                    a.maturity.map(|m| i64::from(m.get())).into(),
                    a.notes.as_deref().into(),
                    now.into(),
                    by.into(),
                ],
            )?;
        }
        load_all(tx, profile)
    })
}

fn load_all(tx: &mut dyn super::Tx, profile: &ProfileId) -> Result<Vec<QuickAnswer>> {
    tx.query(
        &format!(
            "SELECT {QUICK_COLS} FROM quick_answers WHERE profile_id = ?1 ORDER BY function_id"
        ),
        &[profile.as_str().into()],
    )?
    .iter()
    .map(codec::quick)
    .collect()
}

pub(crate) fn list<B: Backend>(b: &B, profile: &ProfileId) -> Result<Vec<QuickAnswer>> {
    b.read(&mut |tx| {
        profile_guard::load(tx, profile, "")?;
        load_all(tx, profile)
    })
}
