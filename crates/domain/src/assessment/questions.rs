//! The question bank: questions generated from the catalog in this project's words, several
//! dimensions per subcategory, and the deterministic mapping from answers to assessment
//! entries. The outcome statement in each question is NIST's text, read from the catalog.

use std::collections::BTreeMap;

use csf_store::{Confidence, EntryInput, ImplementationStatus, Maturity, OrgSize, Patch};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use csf_catalog::ids;

// What a question asks about; each maps onto fields of an assessment entry.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    // -> status
    Implementation,
    // -> maturity (0–5)
    Maturity,
    // -> confidence (none: low, documented: medium, tested: high)
    Evidence,
    // -> owner
    Ownership,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Implementation,
        Dimension::Maturity,
        Dimension::Evidence,
        Dimension::Ownership,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Implementation => "implementation",
            Dimension::Maturity => "maturity",
            Dimension::Evidence => "evidence",
            Dimension::Ownership => "ownership",
        }
    }

    pub fn parse(s: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// Dimensions asked of an organization of this size: small organizations get the short
    /// form (implementation and evidence), medium add ownership, large and enterprise all four.
    pub fn for_size(size: Option<OrgSize>) -> &'static [Dimension] {
        match size {
            Some(OrgSize::Small) => &[Dimension::Implementation, Dimension::Evidence],
            Some(OrgSize::Medium) => &[
                Dimension::Implementation,
                Dimension::Evidence,
                Dimension::Ownership,
            ],
            _ => &Dimension::ALL,
        }
    }

    /// The accepted answers, as shown to the user.
    pub fn answers(self) -> &'static str {
        match self {
            Dimension::Implementation => {
                "one of: not_implemented, partially, largely, fully, not_applicable"
            }
            Dimension::Maturity => {
                "an integer 0–5 (0 none, 1 initial, 2 developing, 3 defined, 4 managed, 5 optimizing)"
            }
            Dimension::Evidence => "one of: none, documented, tested",
            Dimension::Ownership => "the accountable owner's name or role (1–200 characters)",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Question {
    /// `<subcategory>:<dimension>`, e.g. `GV.OC-01:implementation`.
    pub id: String,
    pub subcategory: &'static str,
    pub category: &'static str,
    pub function: &'static str,
    pub dimension: Dimension,
    pub text: String,
    pub answers: &'static str,
}

fn question_text(d: Dimension, id: &str, statement: &str) -> String {
    match d {
        Dimension::Implementation => format!(
            "{id}: \"{statement}\" — how fully does your organization achieve this outcome today?"
        ),
        Dimension::Maturity => format!(
            "{id}: how mature are the practices behind this outcome (documented, repeatable, \
             measured, improved)?"
        ),
        Dimension::Evidence => format!(
            "{id}: what evidence shows the outcome is achieved — none, documentation, or \
             documentation that has been tested (audit, exercise, technical check)?"
        ),
        Dimension::Ownership => {
            format!("{id}: who is accountable for this outcome (a named person or role)?")
        }
    }
}

/// Questions for the active subcategories matching the filters, in official order.
pub fn questions(
    function: Option<&str>,
    category: Option<&str>,
    dimensions: &[Dimension],
) -> Vec<Question> {
    let mut out = Vec::new();
    for f in csf_catalog::functions() {
        if function.is_some_and(|x| x != f.id) {
            continue;
        }
        for c in f.active_categories() {
            if category.is_some_and(|x| x != c.id) {
                continue;
            }
            for s in c.active_subcategories() {
                for &d in dimensions {
                    out.push(Question {
                        id: format!("{}:{}", s.id, d.as_str()),
                        subcategory: s.id,
                        category: c.id,
                        function: f.id,
                        dimension: d,
                        text: question_text(d, s.id, s.statement),
                        answers: d.answers(),
                    });
                }
            }
        }
    }
    out
}

/// One answer to validate.
#[derive(Debug, Clone)]
pub struct Response {
    pub question_id: String,
    pub answer: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseError {
    pub index: usize,
    pub question_id: String,
    pub message: String,
}

#[derive(Default)]
struct Draft {
    status: Option<ImplementationStatus>,
    maturity: Option<Maturity>,
    confidence: Option<Confidence>,
    owner: Option<String>,
}

fn parse_answer(d: Dimension, v: &Value, draft: &mut Draft) -> Result<(), String> {
    let text = v.as_str().map(str::trim);
    match d {
        Dimension::Implementation => {
            draft.status = Some(
                text.and_then(ImplementationStatus::parse)
                    .ok_or_else(|| format!("answer must be {}", d.answers()))?,
            )
        }
        Dimension::Maturity => {
            let n = v
                .as_u64()
                .filter(|n| *n <= 5)
                .ok_or_else(|| format!("answer must be {}", d.answers()))?;
            draft.maturity = Some(Maturity::new(n as u8).map_err(|e| e.to_string())?);
        }
        Dimension::Evidence => {
            draft.confidence = Some(match text {
                Some("none") => Confidence::Low,
                Some("documented") => Confidence::Medium,
                Some("tested") => Confidence::High,
                _ => return Err(format!("answer must be {}", d.answers())),
            })
        }
        Dimension::Ownership => match text {
            Some(t) if !t.is_empty() && t.chars().count() <= 200 && !t.contains('\n') => {
                draft.owner = Some(t.to_string())
            }
            _ => return Err(format!("answer must be {}", d.answers())),
        },
    }
    Ok(())
}

/// Checks one answer to a question of dimension `d`; the message names what is accepted.
pub fn check_answer(d: Dimension, v: &Value) -> Result<(), String> {
    parse_answer(d, v, &mut Draft::default())
}

/// The change one subcategory's answers make to its entry: only the answered fields are set
/// (the same mapping as [`entries_from_responses`]); without an implementation answer the
/// status is kept, so the entry must already exist.
pub fn entry_patch(
    subcategory: &str,
    answers: &[(Dimension, &Value)],
) -> Result<EntryInput, String> {
    let mut d = Draft::default();
    for (dim, v) in answers {
        parse_answer(*dim, v, &mut d)?;
    }
    let mut e = EntryInput::keep(subcategory);
    e.status = d.status;
    e.maturity = Patch::set_if_some(d.maturity);
    e.confidence = Patch::set_if_some(d.confidence);
    e.owner = Patch::set_if_some(d.owner);
    Ok(e)
}

/// Maps answers onto assessment entries (one per subcategory, official order). Every response
/// is checked; a subcategory needs an implementation answer to become an entry. Returns the
/// entries and the problems found (entries are only meant to be recorded when there are none).
pub fn entries_from_responses(responses: &[Response]) -> (Vec<EntryInput>, Vec<ResponseError>) {
    let mut drafts: BTreeMap<usize, (&'static str, Draft)> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, r) in responses.iter().enumerate() {
        let err = |message: String| ResponseError {
            index,
            question_id: r.question_id.chars().take(80).collect(),
            message,
        };
        let Some((sub, dim)) = r.question_id.split_once(':') else {
            errors.push(err(
                "question_id must look like GV.OC-01:implementation (see get_assessment_questions)"
                    .into(),
            ));
            continue;
        };
        let s = match ids::subcategory(sub) {
            Ok(s) => s,
            Err(e) => {
                errors.push(err(e.to_string()));
                continue;
            }
        };
        let Some(d) = Dimension::parse(dim.trim()) else {
            errors.push(err(format!(
                "unknown dimension `{}`; dimensions are implementation, maturity, evidence, ownership",
                dim.chars().take(32).collect::<String>()
            )));
            continue;
        };
        if !seen.insert((s.id, d)) {
            errors.push(err(format!("{}:{} is answered twice", s.id, d.as_str())));
            continue;
        }
        let slot = drafts
            .entry(s.index())
            .or_insert_with(|| (s.id, Draft::default()));
        if let Err(e) = parse_answer(d, &r.answer, &mut slot.1) {
            errors.push(err(e));
        }
    }
    let mut entries = Vec::new();
    for (sub, d) in drafts.into_values() {
        let Some(status) = d.status else {
            errors.push(ResponseError {
                index: responses.len(),
                question_id: format!("{sub}:implementation"),
                message: format!(
                    "{sub} has answers but no implementation answer; an entry needs one"
                ),
            });
            continue;
        };
        // Only the answered fields change: an answer never empties what it did not ask about.
        let mut e = EntryInput::new(sub, status);
        e.maturity = Patch::set_if_some(d.maturity);
        e.confidence = Patch::set_if_some(d.confidence);
        e.owner = Patch::set_if_some(d.owner);
        entries.push(e);
    }
    (entries, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resp(q: &str, a: Value) -> Response {
        Response {
            question_id: q.into(),
            answer: a,
        }
    }

    #[test]
    fn bank_covers_every_active_subcategory_per_dimension() {
        let all = questions(None, None, &Dimension::ALL);
        assert_eq!(all.len(), 106 * 4);
        let pr = questions(Some("PR"), None, Dimension::for_size(Some(OrgSize::Small)));
        assert_eq!(pr.len(), 22 * 2);
        assert!(pr.iter().all(|q| q.function == "PR"));
        let one = questions(None, Some("GV.SC"), &[Dimension::Implementation]);
        assert!(one
            .iter()
            .all(|q| q.category == "GV.SC" && q.id.ends_with(":implementation")));
    }

    #[test]
    fn answers_map_deterministically_to_entries() {
        let (entries, errors) = entries_from_responses(&[
            resp("gv.oc-1:implementation", json!("largely")),
            resp("GV.OC-01:maturity", json!(3)),
            resp("GV.OC-01:evidence", json!("tested")),
            resp("GV.OC-01:ownership", json!("CISO")),
            resp("PR.AA-01:implementation", json!("not_applicable")),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].subcategory_id, "GV.OC-01");
        assert_eq!(entries[0].status, Some(ImplementationStatus::Largely));
        assert_eq!(entries[0].maturity.as_set().map(|m| m.get()), Some(3));
        assert_eq!(entries[0].confidence, Patch::Set(Confidence::High));
        assert_eq!(entries[0].owner.as_set().map(String::as_str), Some("CISO"));
        assert_eq!(entries[1].status, Some(ImplementationStatus::NotApplicable));
        // Only the answered fields change: nothing else is cleared.
        assert_eq!(entries[1].owner, Patch::Keep);
    }

    #[test]
    fn bad_answers_are_reported_per_response() {
        let (entries, errors) = entries_from_responses(&[
            resp("GV.OC-01:implementation", json!("mostly")),
            resp("GV.OC-01:maturity", json!(9)),
            resp("PR.AC-01:implementation", json!("fully")),
            resp("PR.AA-02:colour", json!("blue")),
            resp("nonsense", json!(1)),
            resp("DE.CM-01:maturity", json!(2)),
            resp("DE.CM-01:maturity", json!(3)),
        ]);
        assert!(entries.is_empty());
        let msgs: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(msgs[0].contains("not_implemented, partially"));
        assert!(msgs[1].contains("0–5"));
        assert!(
            msgs[2].contains("PR.AA-01"),
            "withdrawn id names its successor"
        );
        assert!(msgs[3].contains("unknown dimension"));
        assert!(msgs[4].contains("GV.OC-01:implementation"));
        assert!(msgs[5].contains("answered twice"));
        assert!(msgs
            .iter()
            .any(|m| m.contains("DE.CM-01 has answers but no implementation")));
    }
}
