//! The soak's realistic mix of calls, and the setup it needs (an organization, profiles, the
//! catalog's subcategory ids), made through the server's own tools over the transport under
//! test. Nothing of the catalog is written into this crate: ids are listed by the server.
//!
//! One cycle is 20 calls: 6 `csf_lookup`, 4 `search_framework`, 3
//! `get_informative_references`, 4 `record_assessment` (writes), 2 `get_assessment`, 1
//! `generate_report`. Every write changes its entry (a fresh note), so the store's history
//! grows the way it does in real use, and its reply must say so (`unchanged` = 0).

use anyhow::{bail, Context as _};
use serde_json::{json, Value};

use crate::{
    jsonrpc::{self, PreparedCall},
    scenario::{Call, Expect},
};

/// Something that makes one blocking `tools/call` round trip (stdio pipe or HTTP POST) and
/// returns the JSON-RPC reply with that id.
pub trait Caller {
    fn call(&mut self, id: u64, line: &str) -> anyhow::Result<Value>;
}

/// What setup created or discovered.
#[derive(Debug, Clone)]
pub struct Setup {
    /// current, current, target
    pub profiles: Vec<String>,
    /// Active subcategory ids, as the server lists them.
    pub subcategories: Vec<String>,
}

/// Calls one tool during setup; the reply must be a result, not an error.
fn tool(c: &mut dyn Caller, id: u64, name: &str, arguments: Value) -> anyhow::Result<Value> {
    let call = Call {
        tool: name.into(),
        arguments,
        expect: vec![],
    };
    let reply = c.call(id, &PreparedCall::new(&call).request(id))?;
    jsonrpc::check_tool_reply(&reply, &call)
        .map_err(|e| anyhow::anyhow!("setup call {name}: {e}"))?;
    reply
        .pointer("/result/structuredContent")
        .cloned()
        .with_context(|| format!("setup call {name}: no structuredContent"))
}

fn string_at(v: &Value, pointer: &str) -> anyhow::Result<String> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_string)
        .with_context(|| format!("no string at {pointer}"))
}

/// Creates an organization and three profiles, and lists the active subcategories.
/// Request ids used: 1..=10 (the driver starts above them).
pub fn setup(c: &mut dyn Caller, tag: &str) -> anyhow::Result<Setup> {
    let tree = tool(c, 1, "list_framework", json!({}))?;
    let mut subcategories = Vec::new();
    for f in tree["functions"].as_array().into_iter().flatten() {
        for cat in f["categories"].as_array().into_iter().flatten() {
            for s in cat["subcategories"].as_array().into_iter().flatten() {
                if s["status"] == "active" {
                    if let Some(id) = s["id"].as_str() {
                        subcategories.push(id.to_string());
                    }
                }
            }
        }
    }
    if subcategories.is_empty() {
        bail!("list_framework listed no active subcategory");
    }
    let org = tool(
        c,
        2,
        "create_organization",
        json!({"name": format!("soak {tag}"), "size": "medium"}),
    )?;
    let org = string_at(&org, "/organization/id")?;
    let mut profiles = Vec::new();
    for (i, (kind, name)) in [
        ("current", "soak current A"),
        ("current", "soak current B"),
        ("target", "soak target"),
    ]
    .into_iter()
    .enumerate()
    {
        let p = tool(
            c,
            3 + i as u64,
            "create_profile",
            json!({"org_id": org, "kind": kind, "name": name}),
        )?;
        profiles.push(string_at(&p, "/profile/id")?);
    }
    Ok(Setup {
        profiles,
        subcategories,
    })
}

/// First request id the drivers use (setup took the ones below).
pub const FIRST_ID: u64 = 100;

const QUERIES: &[&str] = &[
    "supply chain risk",
    "incident response",
    "access control",
    "backup",
    "training",
    "vulnerability",
    "logging",
    "asset inventory",
];

const STATUSES: &[&str] = &["not_implemented", "partially", "largely", "fully"];

/// What kind of call a mix step is (for per-kind counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Lookup,
    Search,
    References,
    Write,
    Read,
    Report,
}

impl Step {
    /// The step at position `k` of the 20-call cycle.
    pub fn at(k: u64) -> Step {
        match k % 20 {
            0 | 3 | 6 | 9 | 12 | 15 => Step::Lookup,
            1 | 7 | 13 | 19 => Step::Search,
            4 | 10 | 16 => Step::References,
            2 | 5 | 11 | 17 => Step::Write,
            8 | 14 => Step::Read,
            _ => Step::Report,
        }
    }
}

/// The `k`-th call of the mix (deterministic in `k`) with the answer it must give.
pub fn call(setup: &Setup, k: u64) -> (Step, Call) {
    let subs = &setup.subcategories;
    let pick = |n: usize, div: u64| ((k / div) % n as u64) as usize;
    let step = Step::at(k);
    let (tool, arguments, expect) = match step {
        Step::Lookup => {
            let id = &subs[pick(subs.len(), 1)];
            (
                "csf_lookup",
                json!({"id": id}),
                vec![Expect::equals("/result/structuredContent/id", json!(id))],
            )
        }
        Step::Search => (
            "search_framework",
            json!({"query": QUERIES[pick(QUERIES.len(), 20)], "limit": 10}),
            vec![Expect::at_least("/result/structuredContent/results", 1)],
        ),
        Step::References => {
            let id = &subs[pick(subs.len(), 5)];
            (
                "get_informative_references",
                json!({"id": id, "direction": "from_csf"}),
                vec![Expect::equals(
                    "/result/structuredContent/element/id",
                    json!(id),
                )],
            )
        }
        Step::Write => {
            let profile = &setup.profiles[pick(setup.profiles.len(), 7)];
            let sub = &subs[pick(subs.len(), 3)];
            (
                "record_assessment",
                json!({"profile_id": profile, "entries": [{
                    "subcategory_id": sub,
                    "status": STATUSES[pick(STATUSES.len(), 20)],
                    "maturity": (k / 20) % 6,
                    "owner": "soak",
                    "notes": format!("soak write {k}"),
                }]}),
                vec![
                    Expect::equals("/result/structuredContent/profile_id", json!(profile)),
                    Expect::equals(
                        "/result/structuredContent/written/0/subcategory_id",
                        json!(sub),
                    ),
                    Expect::equals("/result/structuredContent/counts/unchanged", json!(0)),
                ],
            )
        }
        Step::Read => {
            let profile = &setup.profiles[pick(setup.profiles.len(), 20)];
            (
                "get_assessment",
                json!({"profile_id": profile}),
                vec![Expect::equals(
                    "/result/structuredContent/profile/id",
                    json!(profile),
                )],
            )
        }
        Step::Report => (
            "generate_report",
            json!({"profile_id": setup.profiles[0], "kind": "executive", "format": "markdown"}),
            vec![Expect::starts_with(
                "/result/content/1/resource/text",
                "# Executive summary",
            )],
        ),
    };
    (
        step,
        Call {
            tool: tool.into(),
            arguments,
            expect,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Setup {
        Setup {
            profiles: vec!["p1".into(), "p2".into(), "p3".into()],
            subcategories: vec!["AB.CD-01".into(), "AB.CD-02".into(), "EF.GH-01".into()],
        }
    }

    #[test]
    fn cycle_has_the_documented_weights() {
        let mut counts = std::collections::BTreeMap::new();
        for k in 0..20 {
            *counts.entry(Step::at(k)).or_insert(0) += 1;
        }
        assert_eq!(counts[&Step::Lookup], 6);
        assert_eq!(counts[&Step::Search], 4);
        assert_eq!(counts[&Step::References], 3);
        assert_eq!(counts[&Step::Write], 4);
        assert_eq!(counts[&Step::Read], 2);
        assert_eq!(counts[&Step::Report], 1);
    }

    #[test]
    fn every_write_carries_a_fresh_note_and_checks_it_changed_something() {
        let s = fixture();
        let writes: Vec<Call> = (0..200)
            .map(|k| call(&s, k))
            .filter(|(st, _)| *st == Step::Write)
            .map(|(_, c)| c)
            .collect();
        let notes: std::collections::BTreeSet<String> = writes
            .iter()
            .map(|c| {
                c.arguments["entries"][0]["notes"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(notes.len(), writes.len());
        assert!(writes
            .iter()
            .all(|c| c.expect.iter().any(|e| e.pointer.ends_with("/unchanged"))));
        let profiles: std::collections::BTreeSet<&str> = writes
            .iter()
            .map(|c| c.arguments["profile_id"].as_str().unwrap())
            .collect();
        assert_eq!(profiles.len(), 3, "writes reach every profile");
    }
}
