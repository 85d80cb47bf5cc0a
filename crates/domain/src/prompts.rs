//! MCP prompt texts for guided workflows. The server registers [`prompts`] and answers
//! `prompts/get` with [`render_prompt`]; tool names refer to the server's MCP tools.

use crate::error::{Error, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One prompt argument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PromptArgument {
    /// Name.
    pub name: String,
    /// What to give.
    pub description: String,
    /// Whether it must be given.
    pub required: bool,
}

/// One prompt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PromptSpec {
    /// Name (`prompts/get` key).
    pub name: String,
    /// Human title.
    pub title: String,
    /// What it does.
    pub description: String,
    /// Arguments.
    pub arguments: Vec<PromptArgument>,
}

fn arg(name: &str, description: &str, required: bool) -> PromptArgument {
    PromptArgument {
        name: name.to_owned(),
        description: description.to_owned(),
        required,
    }
}

fn spec(name: &str, title: &str, description: &str, arguments: Vec<PromptArgument>) -> PromptSpec {
    PromptSpec {
        name: name.to_owned(),
        title: title.to_owned(),
        description: description.to_owned(),
        arguments,
    }
}

/// Every prompt the server offers.
pub fn prompts() -> Vec<PromptSpec> {
    let current = || {
        arg(
            "current_profile_id",
            "Id of the Current profile (prof_…)",
            true,
        )
    };
    let target = || {
        arg(
            "target_profile_id",
            "Id of the Target profile (prof_…)",
            true,
        )
    };
    vec![
        spec(
            "run_gap_analysis",
            "Run a gap analysis",
            "Compare a Current and a Target profile, explain the largest gaps and what could not be compared.",
            vec![
                current(),
                target(),
                arg("scope", "Optional function/category ids, comma-separated (e.g. GV,PR.AA)", false),
            ],
        ),
        spec(
            "prepare_board_summary",
            "Prepare a board summary",
            "Build an executive report (HTML) with the headline figures, risk index and next actions, and a short briefing.",
            vec![
                current(),
                target(),
                arg("audience", "Who reads it (default: the board)", false),
                arg("capacity", "Work units the team can spend on next actions (e.g. person-weeks); asked for when not given", false),
            ],
        ),
        spec(
            "plan_next_quarter",
            "Plan the next quarter",
            "Turn the open gaps into a 90-day plan within the team's capacity, store it and list the first actions.",
            vec![
                current(),
                target(),
                arg("capacity", "Work units the team can deliver this quarter (e.g. person-weeks)", true),
                arg("start_date", "First day of the quarter, YYYY-MM-DD (default: today)", false),
            ],
        ),
        spec(
            "assess_function",
            "Assess one function",
            "Walk through the subcategories of one CSF function, ask evidence-based questions and record the answers.",
            vec![
                arg("profile_id", "Id of the profile to record into (prof_…)", true),
                arg("function", "Function id: GV, ID, PR, DE, RS or RC", true),
            ],
        ),
        spec(
            "prepare_audit_pack",
            "Prepare an audit pack",
            "Produce the audit report and an OSCAL assessment-results export, and list weak evidence.",
            vec![arg("profile_id", "Id of the assessed profile (prof_…)", true)],
        ),
        spec(
            "run_assessment_campaign",
            "Start or resume an assessment campaign",
            "Resume a campaign where it stands (or start one on a profile) and ask an assessor's open questions.",
            vec![
                arg("assessor", "The assessor's name, as listed in the campaign", false),
                arg("campaign_id", "The campaign to resume (camp_…); leave empty to start one", false),
                arg("profile_id", "Profile to start a campaign on (prof_…), when no campaign_id", false),
            ],
        ),
    ]
}

/// Argument values are data, not instructions: one line, at most 200 characters.
fn clean(v: &str) -> String {
    v.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The user message of prompt `name` with its arguments filled in.
pub fn render_prompt(name: &str, args: &BTreeMap<String, String>) -> Result<String> {
    let all = prompts();
    let spec = all
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| Error::UnknownId {
            kind: "prompt",
            input: name.to_owned(),
            suggestions: all.iter().map(|p| p.name.clone()).collect(),
        })?;
    for a in &spec.arguments {
        if a.required && args.get(&a.name).is_none_or(|v| v.trim().is_empty()) {
            return Err(Error::invalid(
                "arguments",
                format!("prompt '{name}' needs '{}': {}", a.name, a.description),
            ));
        }
    }
    let get = |k: &str| args.get(k).map(|v| clean(v)).filter(|v| !v.is_empty());
    let cur = get("current_profile_id").unwrap_or_default();
    let tgt = get("target_profile_id").unwrap_or_default();
    let text = match name {
        "run_gap_analysis" => {
            let scope =
                get("scope").map_or("the whole CSF Core".to_owned(), |s| format!("scope `{s}`"));
            format!(
                "Run a NIST CSF 2.0 gap analysis of Current profile `{cur}` against Target profile `{tgt}` over {scope}.\n\n\
                 1. Call `generate_gap_analysis` with these profiles{}.\n\
                 2. Report the totals: outcomes compared, open gaps, weighted gap points and target attainment, per function.\n\
                 3. List the ten largest weighted gaps with current → target status, priority (say when it is the default) and owner.\n\
                 4. List every subcategory that could not be compared (missing on either side, or an applicability mismatch) and say what to record to fix it — do not treat them as zero.\n\
                 5. Call `generate_priority_matrix` and name the quick wins (quadrant `quick_win`: high impact, low effort). Say that effort is the default class of each outcome's category (light 1, moderate 2, heavy 4 work units) unless the user gives estimates, which you pass as `effort.overrides`; if the quadrant is empty, say so.\n\
                 Quote the method and assumptions the tools return; do not invent figures.",
                get("scope").map_or(String::new(), |s| format!(" and scope `{s}`"))
            )
        }
        "prepare_board_summary" => {
            let who = get("audience").unwrap_or_else(|| "the board".to_owned());
            let cap = get("capacity").map_or_else(
                || "ask the user how many work units the team can spend (the tool needs a capacity; never assume one)".to_owned(),
                |c| format!("capacity {c}"),
            );
            format!(
                "Prepare a cybersecurity summary for {who} from Current profile `{cur}` and Target profile `{tgt}`.\n\n\
                 1. Call `assess_maturity` (Current), `generate_gap_analysis`, `calculate_risk_score` and `suggest_next_actions` ({cap}).\n\
                 2. Call `generate_report` with kind `executive`, format `html` and the same capacity (its next actions need one), and offer the page to the user.\n\
                 3. Write a briefing of at most 250 words: where we stand (coverage, implementation score), the risk index and its band with the largest function contributions, the three most important gaps, and the next actions with their effort.\n\
                 4. State clearly that the risk index ranks open priority-weighted gaps and is not a probability of loss, and that CSF Tiers are the organization's own declaration.\n\
                 Use only figures the tools return."
            )
        }
        "plan_next_quarter" => {
            let cap = get("capacity").unwrap_or_default();
            let start = get("start_date").map_or(
                "today (the tool needs the date as YYYY-MM-DD: ask the user if you do not know it)"
                    .to_owned(),
                |d| format!("`{d}`"),
            );
            format!(
                "Plan the next quarter of CSF work from Current profile `{cur}` to Target profile `{tgt}` with a capacity of {cap} work units, starting {start}.\n\n\
                 1. Call `generate_gap_analysis`, then `create_implementation_plan` with capacity_per_phase {cap}, phase_length_days 90 and the start date.\n\
                 2. Present phase 1: its items in order (priority, gap steps, effort, owner) and its milestone date; say which items were deferred to later phases and why.\n\
                 3. Call `estimate_implementation_cost` only if the user gives an hourly rate and currency; never assume a rate.\n\
                 4. Ask the user to confirm owners for items without one, and explain how to report progress with `track_progress`."
            )
        }
        "assess_function" => {
            let pid = get("profile_id").unwrap_or_default();
            let f = get("function").unwrap_or_default();
            format!(
                "Help me assess CSF 2.0 function `{f}` for profile `{pid}`.\n\n\
                 1. Call `get_assessment_questions` for function `{f}` and `get_assessment` for the profile to see what is already recorded.\n\
                 2. Go through the subcategories one at a time: read the outcome, ask the questions, and ask for evidence (title and location — never a file to open).\n\
                 3. Propose a status (not implemented / partially / largely / fully / not applicable), a maturity 0–5 if the user wants one, a priority and a confidence; record only what the user confirms, with `record_assessment` in batches.\n\
                 4. Finish with `assess_maturity` scoped to `{f}` and list what is still unassessed."
            )
        }
        "prepare_audit_pack" => {
            let pid = get("profile_id").unwrap_or_default();
            format!(
                "Prepare an audit pack for profile `{pid}`.\n\n\
                 1. Call `generate_report` with kind `audit` (format `html`) and `export_data` with format `oscal`.\n\
                 2. From the report, list entries without evidence, entries with low or unstated confidence, and unassessed outcomes.\n\
                 3. Call `get_evidence_register` for the profile's organization with profile_id `{pid}`, and list stale evidence, outcomes claimed as implemented without evidence, and unused evidence.\n\
                 4. Call `get_audit_trail` for the profile and summarise who changed what in the last 90 days.\n\
                 Do not change any entry."
            )
        }
        "run_assessment_campaign" => {
            let who = get("assessor").unwrap_or_else(|| "(ask me who answers)".into());
            match get("campaign_id") {
                Some(c) => format!(
                    "Resume assessment campaign `{c}` for assessor `{who}`.\n\n\
                     1. Call `get_assessment_campaign` and tell me its state, due date and progress per function.\n\
                     2. If it is in_progress, call `run_campaign_questions` for `{who}`: the questions appear as forms in this client. If the result's mode is tool_calls, ask me the returned questions one at a time, show each question's context (outcome, examples, what each level looks like), and record exactly what I answer with `answer_campaign_questions` (or a skip with my reason). Never answer for me.\n\
                     3. If I decline or stop, say that the answers so far are kept and how many remain.\n\
                     4. When nothing remains, offer `set_campaign_state` to in_review."
                ),
                None => {
                    let pid = get("profile_id").unwrap_or_else(|| "(ask me which profile)".into());
                    format!(
                        "Start an assessment campaign on profile `{pid}` with assessor `{who}`.\n\n\
                         1. Ask me for a name, the scope (functions or categories), the other assessors and the areas each answers, and a due date.\n\
                         2. Call `create_assessment_campaign` with start true, then `run_campaign_questions` for `{who}` as in a resumed campaign: forms if this client shows them, otherwise questions asked one at a time and recorded with `answer_campaign_questions` exactly as I answer.\n\
                         3. Tell me the campaign id so anyone can resume it later."
                    )
                }
            }
        }
        _ => unreachable_prompt(name)?,
    };
    Ok(text)
}

fn unreachable_prompt(name: &str) -> Result<String> {
    Err(Error::UnknownId {
        kind: "prompt",
        input: name.to_owned(),
        suggestions: Vec::new(),
    })
}
