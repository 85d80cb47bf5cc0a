//! The question flow: which questions a campaign asks (scope × the dimensions for its
//! organization size), which remain for an assessor, progress per function and category, and
//! the mapping of its answers onto profile entries.

use std::collections::BTreeMap;

use csf_store::{AnswerState, CampaignAnswer, EntryInput};
use schemars::JsonSchema;
use serde::Serialize;

use super::model::{Assessor, Settings};
use crate::assessment::questions::{self, Dimension, Question};
use crate::error::{Error, Result};

/// Every question of the campaign, in official order.
pub fn campaign_questions(settings: &Settings) -> Vec<Question> {
    let dims = Dimension::for_size(settings.org_size);
    questions::questions(None, None, dims)
        .into_iter()
        .filter(|q| settings.scope.covers(q.function, q.category))
        .collect()
}

/// The question with this id, or an error saying it is outside the campaign's scope.
pub fn find_question<'a>(
    all: &'a [Question],
    settings: &Settings,
    question_id: &str,
) -> Result<&'a Question> {
    let id = normalise_id(question_id)?;
    all.iter().find(|q| q.id == id).ok_or_else(|| {
        Error::Invalid(format!(
            "question {id} is outside this campaign: its scope is {} and it asks the dimensions {}",
            settings.scope.describe(),
            Dimension::for_size(settings.org_size)
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// `gv.oc-01:Implementation` -> `GV.OC-01:implementation`; refuses what cannot be an id.
fn normalise_id(question_id: &str) -> Result<String> {
    let q = question_id.trim();
    crate::error::check_len("question_id", q, 64)?;
    let (sub, dim) = q.split_once(':').ok_or_else(|| {
        Error::Invalid(format!(
            "question_id `{q}` must look like GV.OC-01:implementation (see next_campaign_questions)"
        ))
    })?;
    let s = csf_catalog::ids::subcategory(sub)?;
    let d = Dimension::parse(&dim.trim().to_lowercase()).ok_or_else(|| {
        Error::Invalid(format!(
            "unknown dimension `{dim}`; dimensions are implementation, maturity, evidence, ownership"
        ))
    })?;
    Ok(format!("{}:{}", s.id, d.as_str()))
}

/// Whether a question still needs an answer: never answered, or sent back by a reviewer.
pub fn is_open(answers: &BTreeMap<&str, &CampaignAnswer>, q: &Question) -> bool {
    answers
        .get(q.id.as_str())
        .is_none_or(|a| a.state == AnswerState::SentBack)
}

pub fn by_question(answers: &[CampaignAnswer]) -> BTreeMap<&str, &CampaignAnswer> {
    answers
        .iter()
        .map(|a| (a.question_id.as_str(), a))
        .collect()
}

/// The open questions an assessor answers, sent-back ones first, then in official order.
pub fn open_for<'a>(
    all: &'a [Question],
    answers: &[CampaignAnswer],
    assessor: &Assessor,
) -> Vec<&'a Question> {
    let map = by_question(answers);
    let mut open: Vec<&Question> = all
        .iter()
        .filter(|q| assessor.answers(q.function, q.category) && is_open(&map, q))
        .collect();
    // Stable: official order within each group.
    open.sort_by_key(|q| !map.contains_key(q.id.as_str()));
    open
}

/// Counts of one part of the campaign.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Tally {
    pub id: String,
    pub total: usize,
    pub answered: usize,
    pub skipped: usize,
    pub sent_back: usize,
    /// Not yet answered or skipped (sent-back ones included).
    pub remaining: usize,
}

/// Progress of the whole campaign and per function and category.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Progress {
    pub overall: Tally,
    pub functions: Vec<Tally>,
    pub categories: Vec<Tally>,
}

pub fn progress(all: &[Question], answers: &[CampaignAnswer]) -> Progress {
    let map = by_question(answers);
    let mut overall = Tally {
        id: "all".into(),
        ..Tally::default()
    };
    let mut functions: Vec<Tally> = Vec::new();
    let mut categories: Vec<Tally> = Vec::new();
    fn slot<'a>(v: &'a mut Vec<Tally>, id: &str) -> &'a mut Tally {
        if v.last().is_none_or(|t| t.id != id) {
            v.push(Tally {
                id: id.into(),
                ..Tally::default()
            });
        }
        let n = v.len() - 1;
        &mut v[n]
    }
    for q in all {
        let state = map.get(q.id.as_str()).map(|a| a.state);
        let f = slot(&mut functions, q.function);
        count(f, state);
        let c = slot(&mut categories, q.category);
        count(c, state);
        count(&mut overall, state);
    }
    Progress {
        overall,
        functions,
        categories,
    }
}

fn count(t: &mut Tally, state: Option<AnswerState>) {
    t.total += 1;
    match state {
        Some(AnswerState::Answered) => t.answered += 1,
        Some(AnswerState::Skipped) => t.skipped += 1,
        Some(AnswerState::SentBack) => {
            t.sent_back += 1;
            t.remaining += 1
        }
        None => t.remaining += 1,
    }
}

/// The entry changes the campaign's answers make, one per subcategory in official order
/// (only answered fields set), and the subcategories whose answers cannot be mapped.
pub fn entry_changes(
    all: &[Question],
    answers: &[CampaignAnswer],
) -> (Vec<EntryInput>, Vec<(String, String)>) {
    let map = by_question(answers);
    let mut per_sub: Vec<(&str, Vec<(Dimension, &serde_json::Value)>)> = Vec::new();
    for q in all {
        let Some(a) = map.get(q.id.as_str()) else {
            continue;
        };
        let (AnswerState::Answered, Some(v)) = (a.state, a.answer.as_ref()) else {
            continue;
        };
        if per_sub.last().is_none_or(|(s, _)| *s != q.subcategory) {
            per_sub.push((q.subcategory, Vec::new()));
        }
        if let Some((_, list)) = per_sub.last_mut() {
            list.push((q.dimension, v));
        }
    }
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (sub, list) in per_sub {
        match questions::entry_patch(sub, &list) {
            Ok(e) => out.push(e),
            Err(m) => bad.push((sub.to_string(), m)),
        }
    }
    (out, bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaigns::model::CampaignScope;
    use csf_store::{now, Confidence, ImplementationStatus};
    use serde_json::json;

    fn settings() -> Settings {
        Settings {
            scope: CampaignScope {
                functions: vec![],
                categories: vec!["GV.OC".into()],
            },
            org_size: Some(csf_store::OrgSize::Small),
            assessors: vec![Assessor {
                name: "a".into(),
                areas: vec![],
            }],
            due_date: None,
            sign_off: None,
        }
    }

    fn row(q: &str, state: AnswerState, answer: Option<Value>) -> CampaignAnswer {
        CampaignAnswer {
            question_id: q.into(),
            subcategory_id: q.split(':').next().unwrap_or_default().into(),
            state,
            answer,
            confidence: None,
            notes: None,
            reason: None,
            answered_by: "a".into(),
            answered_at: now(),
            revision: 1,
        }
    }
    use serde_json::Value;

    #[test]
    fn progress_counts_sent_back_as_remaining_and_asks_it_first() {
        let s = settings();
        let all = campaign_questions(&s);
        assert_eq!(all.len(), 10);
        let answers = vec![
            row(
                "GV.OC-01:implementation",
                AnswerState::Answered,
                Some(json!("fully")),
            ),
            row("GV.OC-01:evidence", AnswerState::Skipped, None),
            row(
                "GV.OC-03:implementation",
                AnswerState::SentBack,
                Some(json!("partially")),
            ),
        ];
        let p = progress(&all, &answers);
        assert_eq!(
            (
                p.overall.answered,
                p.overall.skipped,
                p.overall.sent_back,
                p.overall.remaining
            ),
            (1, 1, 1, 8)
        );
        assert_eq!(p.functions.len(), 1);
        let open = open_for(&all, &answers, &s.assessors[0]);
        assert_eq!(open[0].id, "GV.OC-03:implementation");
        assert_eq!(open[1].id, "GV.OC-02:implementation");
        let err = find_question(&all, &s, "PR.AA-01:implementation")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("outside this campaign") && err.contains("GV.OC"),
            "{err}"
        );
        assert_eq!(
            find_question(&all, &s, "gv.oc-1:Evidence").map(|q| q.id.clone()),
            Ok("GV.OC-01:evidence".to_string())
        );
    }

    #[test]
    fn only_answered_fields_become_entry_changes() {
        let all = campaign_questions(&settings());
        let answers = vec![
            row(
                "GV.OC-01:implementation",
                AnswerState::Answered,
                Some(json!("largely")),
            ),
            row(
                "GV.OC-01:evidence",
                AnswerState::Answered,
                Some(json!("tested")),
            ),
            row(
                "GV.OC-02:evidence",
                AnswerState::Answered,
                Some(json!("none")),
            ),
            row("GV.OC-03:implementation", AnswerState::Skipped, None),
        ];
        let (entries, bad) = entry_changes(&all, &answers);
        assert!(bad.is_empty());
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].status, Some(ImplementationStatus::Largely));
        assert_eq!(
            entries[0].confidence,
            csf_store::Patch::Set(Confidence::High)
        );
        assert_eq!(entries[0].owner, csf_store::Patch::Keep);
        // No implementation answer: the status is kept (the entry must exist).
        assert_eq!(entries[1].status, None);
        assert_eq!(
            entries[1].confidence,
            csf_store::Patch::Set(Confidence::Low)
        );
    }
}
