//! Assessment campaigns: create, read, list, guarded changes (compare-and-set on the version,
//! with the answers and entries they carry), answers written row by row, and the log.

use super::codec::{enum_from, enum_text, json_from, json_text, stored_id};
use super::cursor;
use super::entries;
use super::profile_guard::{self, ensure_writable};
use super::query::into_page;
use super::{Backend, Row, Tx, Value};
use crate::assessment::EntryWrite;
use crate::campaigns::{
    AnswerInput, CampaignAnswer, CampaignChange, CampaignEvent, NewCampaign, StoredCampaign,
};
use crate::error::{Result, StoreError};
use crate::ids::{CampaignId, ProfileId};
use crate::records::{Page, PageRequest};
use crate::time::{from_micros, to_micros};
use crate::validate;

const COLS: &str = "seq, id, org_id, profile_id, name, state, version, created_at_us, \
    updated_at_us, created_by, updated_by, body";
const ANSWER_COLS: &str = "question_id, subcategory_id, state, answer, confidence, notes, \
    reason, answered_by, answered_at_us, revision";

fn campaign(r: &Row) -> Result<(i64, StoredCampaign)> {
    Ok((
        r.int(0)?,
        StoredCampaign {
            id: stored_id(r.text(1)?)?,
            org_id: stored_id(r.text(2)?)?,
            profile_id: stored_id(r.text(3)?)?,
            name: r.text(4)?.to_owned(),
            state: r.text(5)?.to_owned(),
            version: r.int(6)?,
            created_at: from_micros(r.int(7)?)?,
            updated_at: from_micros(r.int(8)?)?,
            created_by: r.text(9)?.to_owned(),
            updated_by: r.text(10)?.to_owned(),
            body: json_from(r.text(11)?)?,
        },
    ))
}

fn answer(r: &Row) -> Result<CampaignAnswer> {
    Ok(CampaignAnswer {
        question_id: r.text(0)?.to_owned(),
        subcategory_id: r.text(1)?.to_owned(),
        state: enum_from(r.text(2)?)?,
        answer: r.opt_text(3)?.map(json_from).transpose()?,
        confidence: r.opt_text(4)?.map(enum_from).transpose()?,
        notes: r.opt_text(5)?.map(str::to_owned),
        reason: r.opt_text(6)?.map(str::to_owned),
        answered_by: r.text(7)?.to_owned(),
        answered_at: from_micros(r.int(8)?)?,
        revision: r.int(9)?,
    })
}

fn load(tx: &mut dyn Tx, id: &CampaignId, lock: &str) -> Result<StoredCampaign> {
    let sql = format!("SELECT {COLS} FROM campaigns WHERE id = ?1{lock}");
    tx.query(&sql, &[id.as_str().into()])?
        .first()
        .map(|row| campaign(row).map(|(_, c)| c))
        .transpose()?
        .ok_or_else(|| StoreError::NotFound {
            kind: "campaign",
            id: id.to_string(),
        })
}

fn body_text(body: &serde_json::Value) -> Result<String> {
    validate::plan_body(body).map_err(|e| e.in_field("campaign"))
}

fn state_text(state: &str) -> Result<()> {
    if state.is_empty()
        || state.len() > 32
        || !state.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    {
        return Err(StoreError::invalid("state", "1..=32 of a-z and _"));
    }
    Ok(())
}

fn event(
    tx: &mut dyn Tx,
    id: &CampaignId,
    at_us: i64,
    by: &str,
    kind: &str,
    question: Option<&str>,
    detail: &serde_json::Value,
) -> Result<()> {
    tx.execute(
        "INSERT INTO campaign_events (campaign_id, at_us, by_whom, kind, question_id, detail) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            id.as_str().into(),
            at_us.into(),
            by.into(),
            kind.into(),
            question.into(),
            json_text(detail)?.into(),
        ],
    )?;
    Ok(())
}

fn check_answer(a: &AnswerInput) -> Result<()> {
    let bounded = |field: &str, v: Option<&str>, max: usize| match v {
        Some(t) if t.chars().count() > max => Err(StoreError::invalid(
            field,
            format!("{} characters; at most {max}", t.chars().count()),
        )),
        _ => Ok(()),
    };
    if a.question_id.is_empty() || a.question_id.chars().count() > 64 {
        return Err(StoreError::invalid("question_id", "1..=64 characters"));
    }
    validate::principal(&a.answered_by).map_err(|e| e.in_field("answered_by"))?;
    bounded("notes", a.notes.as_deref(), 10_000)?;
    bounded("reason", a.reason.as_deref(), 2_000)
}

/// Upserts answer rows (bumping each row's revision) and logs each one.
fn put_answers(
    tx: &mut dyn Tx,
    id: &CampaignId,
    answers: &[AnswerInput],
    now_us: i64,
    by: &str,
) -> Result<Vec<CampaignAnswer>> {
    let mut out = Vec::with_capacity(answers.len());
    for a in answers {
        let answer_text = a.answer.as_ref().map(json_text).transpose()?;
        let confidence = a.confidence.as_ref().map(enum_text).transpose()?;
        let state = enum_text(&a.state)?;
        let params: Vec<Value> = vec![
            id.as_str().into(),
            a.question_id.as_str().into(),
            a.subcategory_id.as_str().into(),
            state.as_str().into(),
            answer_text.into(),
            confidence.into(),
            a.notes.as_deref().into(),
            a.reason.as_deref().into(),
            a.answered_by.as_str().into(),
            now_us.into(),
        ];
        tx.execute(
            "INSERT INTO campaign_answers (campaign_id, question_id, subcategory_id, state, \
             answer, confidence, notes, reason, answered_by, answered_at_us, revision) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1) \
             ON CONFLICT (campaign_id, question_id) DO UPDATE SET state = ?4, answer = ?5, \
             confidence = ?6, notes = ?7, reason = ?8, answered_by = ?9, answered_at_us = ?10, \
             revision = campaign_answers.revision + 1",
            &params,
        )?;
        let detail = serde_json::json!({
            "answer": a.answer, "confidence": a.confidence, "notes": a.notes,
            "reason": a.reason, "answered_by": a.answered_by,
        });
        event(tx, id, now_us, by, &state, Some(&a.question_id), &detail)?;
        let row = tx.query(
            &format!(
                "SELECT {ANSWER_COLS} FROM campaign_answers WHERE campaign_id = ?1 \
                 AND question_id = ?2"
            ),
            &[id.as_str().into(), a.question_id.as_str().into()],
        )?;
        if let Some(r) = row.first() {
            out.push(answer(r)?);
        }
    }
    Ok(out)
}

pub(crate) fn create<B: Backend>(b: &B, new: &NewCampaign, by: &str) -> Result<StoredCampaign> {
    validate::profile_name(&new.name)?;
    state_text(&new.state)?;
    let body = body_text(&new.body)?;
    validate::principal(by)?;
    let id = CampaignId::generate();
    b.write(&mut |tx| {
        let p = profile_guard::load(tx, &new.profile_id, B::FOR_UPDATE)?;
        b.attribute(Some(&p.org_id), Some(&new.profile_id));
        ensure_writable(&p)?;
        let now = to_micros(&tx.now()?);
        tx.execute(
            "INSERT INTO campaigns (id, org_id, profile_id, name, state, version, created_at_us, \
             updated_at_us, created_by, updated_by, body) \
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6, ?7, ?7, ?8)",
            &[
                id.as_str().into(),
                p.org_id.as_str().into(),
                new.profile_id.as_str().into(),
                new.name.as_str().into(),
                new.state.as_str().into(),
                now.into(),
                by.into(),
                body.as_str().into(),
            ],
        )?;
        event(tx, &id, now, by, "created", None, &new.body)?;
        load(tx, &id, "")
    })
}

pub(crate) fn get<B: Backend>(b: &B, id: &CampaignId) -> Result<StoredCampaign> {
    b.read(&mut |tx| load(tx, id, ""))
}

pub(crate) fn list<B: Backend>(
    b: &B,
    profile: Option<&ProfileId>,
    page: &PageRequest,
) -> Result<Page<StoredCampaign>> {
    let limit = page.checked_limit()?;
    let after = page.cursor.as_deref().map(cursor::seq).transpose()?;
    b.read(&mut |tx| {
        let first = after.unwrap_or(0);
        let rows = match profile {
            Some(p) => {
                profile_guard::load(tx, p, "")?;
                tx.query(
                    &format!(
                        "SELECT {COLS} FROM campaigns WHERE seq > ?1 AND profile_id = ?3 \
                         ORDER BY seq LIMIT ?2"
                    ),
                    &[first.into(), (limit + 1).into(), p.as_str().into()],
                )?
            }
            None => tx.query(
                &format!("SELECT {COLS} FROM campaigns WHERE seq > ?1 ORDER BY seq LIMIT ?2"),
                &[first.into(), (limit + 1).into()],
            )?,
        };
        let items = rows.iter().map(campaign).collect::<Result<Vec<_>>>()?;
        let page = into_page(items, limit, |(seq, _)| seq.to_string());
        Ok(Page {
            items: page.items.into_iter().map(|(_, c)| c).collect(),
            next_cursor: page.next_cursor,
        })
    })
}

/// Applies a guarded change: compare-and-set on the version, then the answers, entries and
/// log line, all in one transaction.
pub(crate) fn change<B: Backend>(
    b: &B,
    id: &CampaignId,
    change: &CampaignChange,
    by: &str,
) -> Result<(StoredCampaign, Vec<EntryWrite>)> {
    state_text(&change.state)?;
    let body = body_text(&change.body)?;
    validate::principal(by)?;
    change.answers.iter().try_for_each(check_answer)?;
    if !change.entries.is_empty() {
        validate::entry_batch(&change.entries)?;
    }
    b.write(&mut |tx| {
        let current = load(tx, id, B::FOR_UPDATE)?;
        b.attribute(Some(&current.org_id), Some(&current.profile_id));
        if current.version != change.expected_version {
            return Err(StoreError::Conflict {
                kind: "campaign",
                id: id.to_string(),
                expected: change.expected_version,
                actual: current.version,
            });
        }
        let writes = if change.entries.is_empty() {
            Vec::new()
        } else {
            let p = profile_guard::load(tx, &current.profile_id, B::FOR_UPDATE)?;
            ensure_writable(&p)?;
            entries::record_in(tx, &current.profile_id, &change.entries, by)?
        };
        let now = to_micros(&tx.now()?);
        tx.execute(
            "UPDATE campaigns SET state = ?1, body = ?2, version = version + 1, \
             updated_at_us = ?3, updated_by = ?4 WHERE id = ?5",
            &[
                change.state.as_str().into(),
                body.as_str().into(),
                now.into(),
                by.into(),
                id.as_str().into(),
            ],
        )?;
        put_answers(tx, id, &change.answers, now, by)?;
        event(tx, id, now, by, &change.event.0, None, &change.event.1)?;
        Ok((load(tx, id, "")?, writes))
    })
}

/// Writes answers if the campaign is in one of `states` (checked in the same transaction, so
/// a campaign moved on meanwhile refuses them).
pub(crate) fn answer_rows<B: Backend>(
    b: &B,
    id: &CampaignId,
    states: &[&str],
    answers: &[AnswerInput],
    by: &str,
) -> Result<Vec<CampaignAnswer>> {
    validate::principal(by)?;
    if answers.is_empty() || answers.len() > 1000 {
        return Err(StoreError::invalid("answers", "give 1..=1000"));
    }
    answers.iter().try_for_each(check_answer)?;
    b.write(&mut |tx| {
        let current = load(tx, id, B::FOR_UPDATE)?;
        b.attribute(Some(&current.org_id), Some(&current.profile_id));
        if !states.contains(&current.state.as_str()) {
            return Err(StoreError::invalid(
                "campaign",
                format!(
                    "campaign {id} is {}; answers are taken only while it is {}",
                    current.state,
                    states.join(" or ")
                ),
            ));
        }
        let now = to_micros(&tx.now()?);
        put_answers(tx, id, answers, now, by)
    })
}

pub(crate) fn answers<B: Backend>(b: &B, id: &CampaignId) -> Result<Vec<CampaignAnswer>> {
    b.read(&mut |tx| {
        load(tx, id, "")?;
        let rows = tx.query(
            &format!(
                "SELECT {ANSWER_COLS} FROM campaign_answers WHERE campaign_id = ?1 \
                 ORDER BY question_id"
            ),
            &[id.as_str().into()],
        )?;
        rows.iter().map(answer).collect()
    })
}

pub(crate) fn events<B: Backend>(
    b: &B,
    id: &CampaignId,
    page: &PageRequest,
) -> Result<Page<CampaignEvent>> {
    let limit = page.checked_limit()?;
    let after = page.cursor.as_deref().map(cursor::seq).transpose()?;
    b.read(&mut |tx| {
        load(tx, id, "")?;
        let rows = tx.query(
            "SELECT seq, at_us, by_whom, kind, question_id, detail FROM campaign_events \
             WHERE campaign_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            &[
                id.as_str().into(),
                after.unwrap_or(0).into(),
                (limit + 1).into(),
            ],
        )?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(CampaignEvent {
                    seq: r.int(0)?,
                    at: from_micros(r.int(1)?)?,
                    by: r.text(2)?.to_owned(),
                    kind: r.text(3)?.to_owned(),
                    question_id: r.opt_text(4)?.map(str::to_owned),
                    detail: json_from(r.text(5)?)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |e| e.seq.to_string()))
    })
}
