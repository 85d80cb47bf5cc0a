//! Crash consistency through the real binary: a writer process streams pipelined
//! record_assessment, import_assessment and track_progress calls, each tagged with its own
//! notes, and is killed with SIGKILL at a different moment every round. A new process then
//! reopens the database and the test accounts exactly for what was sent, acknowledged and
//! stored: nothing acknowledged is lost, nothing is half-stored, every stored write has exactly
//! one audit row (committed in the write's transaction) and no row names an unstored write,
//! the database is intact (SQLite `PRAGMA integrity_check`) and nothing left
//! behind blocks the next writer (PostgreSQL row locks of the killed connection).
//!
//! Rounds: CSF_CRASH_ROUNDS (SQLite, default 20) and CSF_CRASH_PG_ROUNDS (PostgreSQL,
//! default 10, only with CSF_TEST_POSTGRES_URL). CSF_CRASH_SEED changes the schedule.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::ledger;
use crate::support::spawn;
use csf_testkit::catalog::active_ids;
use csf_testkit::env::{env_count, postgres_url, run_nonce};
use csf_testkit::rpc::{outcome, request, Outcome};
use csf_testkit::stdio::{write_line, StdioServer};
use csf_testkit::McpClient;
use serde_json::{json, Value};

/// A stored write must be visible to the next process this fast (no stale lock blocks it).
const NEXT_WRITE_WITHIN: Duration = Duration::from_secs(5);
/// Plan items the rounds update (the target profile's entries, so they have gaps).
const PLAN_ITEMS: usize = 12;

/// One request of a round's stream.
struct Write {
    /// The tag in its notes: how the stored rows are found again.
    tag: String,
    kind: Kind,
    request: Value,
}

enum Kind {
    /// An entry batch (record or import) of `rows` entries; its audit row is expected to read
    /// `audit_key` (tool, profile, size).
    Entries { rows: usize, audit_key: String },
    /// A plan update setting the note of `item`.
    Plan { item: String },
}

/// Totals over all rounds.
#[derive(Default, Debug)]
struct Tally {
    rounds: usize,
    /// Rounds where the kill landed with sent writes not yet acknowledged.
    kills_in_flight: usize,
    sent: usize,
    acknowledged: usize,
    whole: usize,
    lost: usize,
    partial: usize,
    entry_rows_acknowledged: usize,
    plan_sent: usize,
    plan_acknowledged: usize,
    plan_stored: usize,
    plan_conflicts: usize,
    plan_lost: usize,
    slowest_next_write: Duration,
}

/// The plan every round updates, and what was last verified of it.
struct PlanState {
    id: String,
    items: Vec<String>,
    revision: i64,
}

fn seed() -> u64 {
    env_count("CSF_CRASH_SEED", 0x00C5_F2C4) as u64
}

fn setup_plan(db: &str, nonce: &str, log: &Path) -> PlanState {
    let mut s = spawn::stdio_as(db, &format!("crash-{nonce}-setup"), log);
    let org = s.tool("create_organization", json!({"name": "crash plan org"}));
    let org_id = org["organization"]["id"].clone();
    let profile = |s: &mut StdioServer, kind: &str| {
        s.tool(
            "create_profile",
            json!({"org_id": org_id, "kind": kind, "name": kind}),
        )["profile"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let current = profile(&mut s, "current");
    let target = profile(&mut s, "target");
    let subs: Vec<&str> = active_ids().into_iter().take(PLAN_ITEMS).collect();
    let entries: Vec<Value> = subs
        .iter()
        .map(|id| json!({"subcategory_id": id, "status": "fully", "priority": "high"}))
        .collect();
    s.tool(
        "record_assessment",
        json!({"profile_id": target, "entries": entries}),
    );
    let today: Vec<Value> = subs
        .iter()
        .map(|id| json!({"subcategory_id": id, "status": "not_implemented"}))
        .collect();
    s.tool(
        "record_assessment",
        json!({"profile_id": current, "entries": today}),
    );
    let plan = s.tool(
        "create_implementation_plan",
        json!({"current_profile_id": current, "target_profile_id": target,
               "capacity_per_phase": 1000.0, "start_date": "2026-01-05"}),
    );
    s.stop();
    assert_eq!(
        plan["plan"]["items"].as_array().map(Vec::len),
        Some(PLAN_ITEMS)
    );
    PlanState {
        id: plan["plan_id"].as_str().unwrap().to_string(),
        items: plan["plan"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect(),
        revision: plan["revision"].as_i64().unwrap(),
    }
}

/// The round's stream: varied batch sizes, a fifth of them imports, some plan updates.
fn plan_round(round: usize, profiles: &[String; 2], plan: &PlanState, rng: &mut Rng) -> Vec<Write> {
    let all_ids = active_ids();
    let ids = &all_ids;
    let n_writes = 24 + rng.below(24) as usize;
    (0..n_writes)
        .map(|n| {
            let tag = format!("r{round}-b{n}");
            let id = 100 + n as i64;
            let roll = rng.below(10);
            if roll == 0 {
                let item = rng.pick(&plan.items).clone();
                let args = json!({"plan_id": plan.id, "as_of": "2026-02-01",
                    "items": [{"item_id": item, "status": "in_progress", "note": tag}]});
                return Write {
                    tag,
                    kind: Kind::Plan { item },
                    request: request(id, "track_progress", args),
                };
            }
            let profile = rng.below(2) as usize;
            let pid = &profiles[profile];
            let start = rng.below(ids.len() as u64) as usize;
            let window = |rows: usize| (0..rows).map(move |i| ids[(start + i) % ids.len()]);
            if roll <= 2 {
                let rows = 20 + rng.below((ids.len() - 19) as u64) as usize;
                let mut csv = String::from("subcategory_id,status,maturity,notes,evidence_title,evidence_location\n");
                for sub in window(rows) {
                    csv.push_str(&format!("{sub},largely,3,{tag},{tag},crash:{tag}\n"));
                }
                let audit_key = format!("import_assessment|{pid}|<{} bytes>", csv.len());
                let args = json!({"profile_id": pid, "format": "csv", "content": csv});
                Write {
                    tag,
                    kind: Kind::Entries {
                        rows,
                        audit_key,
                    },
                    request: request(id, "import_assessment", args),
                }
            } else {
                let rows = *rng.pick(&[1usize, 2, 3, 5, 8, 13, 30, 60, 100]);
                let entries: Vec<Value> = window(rows)
                    .map(|sub| {
                        json!({"subcategory_id": sub, "status": "partially", "maturity": 2,
                            "notes": tag, "evidence": [{"title": tag, "location": format!("crash:{tag}")}]})
                    })
                    .collect();
                let audit_key = format!("record_assessment|{pid}|<{rows} items>");
                let args = json!({"profile_id": pid, "entries": entries});
                Write {
                    tag,
                    kind: Kind::Entries {
                        rows,
                        audit_key,
                    },
                    request: request(id, "record_assessment", args),
                }
            }
        })
        .collect()
}

/// One round's database, principals (`<prefix>-w` writes, `<prefix>-check` verifies) and
/// profiles.
struct Round<'a> {
    db: &'a str,
    prefix: String,
    round: usize,
    profiles: [String; 2],
    log: &'a Path,
}

/// What the client saw of one round before and at the kill.
struct Seen {
    sent: usize,
    /// Acknowledged writes by index; plan updates with the revision they returned.
    acked: HashMap<usize, Option<i64>>,
    plan_conflicts: usize,
}

/// Streams the writes from a thread and kills the process after `kill_after` answers plus
/// `jitter`; returns what was sent and acknowledged.
fn stream_and_kill(
    mut writer: StdioServer,
    writes: &[Write],
    kill_after: usize,
    jitter: Duration,
) -> Seen {
    let requests: Vec<Value> = writes.iter().map(|w| w.request.clone()).collect();
    let sent = Arc::new(AtomicUsize::new(0));
    let mut stdin = writer.take_stdin();
    let counter = sent.clone();
    let (done, wait_done) = std::sync::mpsc::channel::<()>();
    let feeder = std::thread::spawn(move || {
        for r in &requests {
            if !write_line(&mut stdin, r.to_string().as_bytes()) {
                return;
            }
            counter.fetch_add(1, Ordering::SeqCst);
        }
        // Keep stdin open until the kill: EOF would let the server finish and exit by itself.
        let _ = wait_done.recv_timeout(Duration::from_secs(120));
    });
    let mut answers = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while answers.len() < kill_after && Instant::now() < deadline {
        if let Some(v) = writer.next_message(Duration::from_millis(50)) {
            answers.push(v);
        }
    }
    std::thread::sleep(jitter);
    writer.kill9();
    // A write blocked on a full pipe fails now; one that finished is counted before join.
    let _ = done.send(());
    feeder.join().expect("feeder thread");
    let sent = sent.load(Ordering::SeqCst);
    // Lines the server wrote completely before it died were delivered: they count.
    while let Some(v) = writer.next_message(Duration::from_secs(2)) {
        answers.push(v);
    }

    let mut seen = Seen {
        sent,
        acked: HashMap::new(),
        plan_conflicts: 0,
    };
    for a in answers {
        let n = (a["id"].as_i64().expect("numbered answer") - 100) as usize;
        let w = &writes[n];
        match (outcome(&a), &w.kind) {
            (Outcome::Ok(out), Kind::Entries { rows, .. }) => {
                assert!(
                    out.get("stored").is_none_or(|s| s == true),
                    "{}: {out}",
                    w.tag
                );
                assert_eq!(out["written"].as_array().map(Vec::len), Some(*rows));
                seen.acked.insert(n, None);
            }
            (Outcome::Ok(out), Kind::Plan { .. }) => {
                seen.acked.insert(n, out["revision"].as_i64());
            }
            (Outcome::ToolError(t), Kind::Plan { .. })
                if t.contains("not the expected revision") =>
            {
                seen.plan_conflicts += 1;
            }
            (other, _) => panic!("{}: unexpected answer {other:?}", w.tag),
        }
    }
    seen
}

/// Reopens the database in a new process and checks the round; adds it to `tally`.
fn verify_round(
    r: &Round<'_>,
    writes: &[Write],
    seen: &Seen,
    plan: &mut PlanState,
    tally: &mut Tally,
) {
    let Round {
        db,
        prefix: principal_prefix,
        round,
        profiles,
        log,
    } = r;
    let (db, round, log) = (*db, *round, *log);
    let ids = active_ids();
    // The next writer, right after the kill: a stale lock would stall it.
    let t0 = Instant::now();
    let mut check = spawn::stdio_as(db, &format!("{principal_prefix}-check"), log);
    let after_tag = format!("after-kill-r{round}");
    for pid in profiles {
        check.tool(
            "record_assessment",
            json!({"profile_id": pid, "entries": [{"subcategory_id": ids[0], "status": "fully",
                "notes": after_tag}]}),
        );
    }
    let took = t0.elapsed();
    assert!(
        took < NEXT_WRITE_WITHIN,
        "round {round}: the next writer waited {took:?} after the kill"
    );
    tally.slowest_next_write = tally.slowest_next_write.max(took);

    // Entries and history: every batch all or nothing, every acknowledged one there.
    let mut rows_by_tag: HashMap<String, usize> = HashMap::new();
    for pid in profiles {
        let snap = ledger::read_profile(&mut check, pid);
        if let Err(e) = ledger::check_entries(&snap) {
            panic!("round {round}, profile {pid}: {e}");
        }
        for (tag, n) in ledger::rows_by_note(&snap) {
            *rows_by_tag.entry(tag).or_insert(0) += n;
        }
    }
    assert_eq!(rows_by_tag.remove(&after_tag), Some(2), "round {round}");
    let mut whole_keys = Vec::new();
    let mut acked_keys = Vec::new();
    for (n, w) in writes.iter().enumerate() {
        let Kind::Entries {
            rows, audit_key, ..
        } = &w.kind
        else {
            continue;
        };
        let stored = rows_by_tag.remove(&w.tag).unwrap_or(0);
        let acked = seen.acked.contains_key(&n);
        assert!(
            n < seen.sent || stored == 0,
            "{}: stored but never sent",
            w.tag
        );
        if n < seen.sent {
            tally.sent += 1;
        }
        if acked {
            tally.acknowledged += 1;
            tally.entry_rows_acknowledged += rows;
            acked_keys.push(audit_key.clone());
        }
        if stored == *rows {
            tally.whole += 1;
            whole_keys.push(audit_key.clone());
        } else if stored == 0 {
            if acked {
                tally.lost += 1;
                eprintln!(
                    "LOST: round {round} {} ({rows} rows) was acknowledged",
                    w.tag
                );
            }
        } else {
            tally.partial += 1;
            eprintln!("PARTIAL: round {round} {}: {stored} of {rows} rows", w.tag);
        }
    }
    assert!(
        rows_by_tag.is_empty(),
        "round {round}: rows from no write of this round: {rows_by_tag:?}"
    );

    // The audit trail: audited = stored (each row commits with its write), as multisets of
    // (tool, profile, size); acknowledged ⊆ stored is checked above.
    let audit = ledger::audit_rows(&mut check, &format!("{principal_prefix}-w"));
    let mut audited = Vec::new();
    let mut plan_audited = 0;
    for row in &audit {
        let tool = row["tool"].as_str().unwrap_or_default();
        match (tool, row["result"].as_str()) {
            ("record_assessment" | "import_assessment", Some("ok")) => {
                audited.push(ledger::audit_key(row));
            }
            ("track_progress", Some("ok")) => plan_audited += 1,
            ("track_progress", Some("error")) => {}
            ("create_organization" | "create_profile", Some("ok")) => {}
            _ => panic!("round {round}: unexpected audit row {row}"),
        }
    }
    let (acked_m, audited_m, whole_m) = (
        ledger::multiset(acked_keys),
        ledger::multiset(audited),
        ledger::multiset(whole_keys),
    );
    if let Some(k) = ledger::not_within(&acked_m, &audited_m) {
        panic!("round {round}: acknowledged write without audit row: {k}");
    }
    if let Some(k) = ledger::not_within(&whole_m, &audited_m) {
        panic!("round {round}: stored write without audit row: {k}");
    }
    if let Some(k) = ledger::not_within(&audited_m, &whole_m) {
        panic!("round {round}: audit row for a write that is not stored: {k}");
    }

    // The plan: every acknowledged update is in the stored revision chain and not overwritten
    // by anything older.
    let stored = check.tool("get_implementation_plan", json!({"plan_id": plan.id}));
    let revision = stored["revision"].as_i64().unwrap();
    let mut plan_sent = 0;
    let mut acked_updates: Vec<(&str, &str, i64)> = Vec::new();
    let mut round_tags = HashMap::new();
    for (n, w) in writes.iter().enumerate().take(seen.sent) {
        if let Kind::Plan { item } = &w.kind {
            plan_sent += 1;
            round_tags.insert(w.tag.as_str(), seen.acked.get(&n).copied().flatten());
            if let Some(Some(r)) = seen.acked.get(&n) {
                acked_updates.push((item.as_str(), w.tag.as_str(), *r));
            }
        }
    }
    let stored_updates = (revision - plan.revision) as usize;
    assert!(
        acked_updates.len() <= stored_updates && stored_updates <= plan_sent,
        "round {round}: plan revision {} -> {revision}, {} acknowledged of {plan_sent} sent",
        plan.revision,
        acked_updates.len()
    );
    assert_eq!(
        plan_audited,
        stored_updates,
        "round {round}: {plan_audited} plan audit rows for {stored_updates} stored updates ({} \
         acknowledged)",
        acked_updates.len()
    );
    let notes: HashMap<&str, &str> = stored["plan"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap(),
                i["note"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    for (item, tag, r) in &acked_updates {
        let note = notes[item];
        // The note left on the item is this update's, or a later one's from this round.
        let kept = note == *tag
            || match round_tags.get(note) {
                Some(Some(r_note)) => r_note > r,
                Some(None) => true,
                None => false,
            };
        if !kept {
            tally.plan_lost += 1;
            eprintln!(
                "LOST: round {round} plan update {tag} (revision {r}) on {item}: note is `{note}`"
            );
        }
    }
    tally.plan_sent += plan_sent;
    tally.plan_acknowledged += acked_updates.len();
    tally.plan_stored += stored_updates;
    tally.plan_conflicts += seen.plan_conflicts;
    plan.revision = revision;
    check.stop();
}

/// Runs `rounds` kill -9 rounds against `db` and returns the totals.
fn crash_rounds(db: &str, sqlite_file: Option<&Path>, rounds: usize, dir: &Path) -> Tally {
    let log = dir.join("servers.log");
    let nonce = run_nonce();
    let mut rng = Rng::new(seed());
    let mut plan = setup_plan(db, &nonce, &log);
    let mut tally = Tally::default();
    for round in 0..rounds {
        let prefix = format!("crash-{nonce}-r{round}");
        let mut writer = spawn::stdio_as(db, &format!("{prefix}-w"), &log);
        let org = writer.tool(
            "create_organization",
            json!({"name": format!("crash round {round}")}),
        );
        let profiles = [0, 1].map(|i| {
            writer.tool(
                "create_profile",
                json!({"org_id": org["organization"]["id"], "kind": "current",
                       "name": format!("p{i}")}),
            )["profile"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        });
        let writes = plan_round(round, &profiles, &plan, &mut rng);
        // Kill anywhere from before the first answer to after the last, 0–4 ms later.
        let kill_after = rng.below(writes.len() as u64 + 1) as usize;
        let jitter = Duration::from_micros(rng.below(4000));
        let seen = stream_and_kill(writer, &writes, kill_after, jitter);
        if seen.acked.len() + seen.plan_conflicts < seen.sent {
            tally.kills_in_flight += 1;
        }
        if let Some(path) = sqlite_file {
            csf_testkit::store_dump::integrity_ok(path);
        }
        let r = Round {
            db,
            prefix,
            round,
            profiles,
            log: &log,
        };
        verify_round(&r, &writes, &seen, &mut plan, &mut tally);
        tally.rounds += 1;
    }
    tally
}

fn report(backend: &str, t: &Tally, took: Duration) {
    eprintln!(
        "crash consistency ({backend}): rounds {}, batches sent {}, acknowledged {}, stored whole \
         {} (A <= W <= S), lost acknowledged {}, partial {}; acknowledged entry rows {}; kills \
         with writes in flight {}; plan updates sent {}, acknowledged {}, stored {}, conflicts \
         {}, lost {}; every stored write audited; slowest next write after kill {:?}; {:.1} s",
        t.rounds,
        t.sent,
        t.acknowledged,
        t.whole,
        t.lost,
        t.partial,
        t.entry_rows_acknowledged,
        t.kills_in_flight,
        t.plan_sent,
        t.plan_acknowledged,
        t.plan_stored,
        t.plan_conflicts,
        t.plan_lost,
        t.slowest_next_write,
        took.as_secs_f64()
    );
    assert_eq!(
        (t.lost, t.partial, t.plan_lost),
        (0, 0, 0),
        "{backend}: {t:?}"
    );
    assert!(
        t.acknowledged <= t.whole && t.whole <= t.sent,
        "{backend}: {t:?}"
    );
    assert!(t.kills_in_flight > 0, "no kill landed mid-stream: {t:?}");
}

#[test]
fn sqlite_kill_9_loses_nothing_acknowledged_and_stores_no_half_batch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("csf.db");
    let started = Instant::now();
    let rounds = env_count("CSF_CRASH_ROUNDS", 20);
    let t = crash_rounds(path.to_str().unwrap(), Some(&path), rounds, dir.path());
    report("sqlite", &t, started.elapsed());
}

#[test]
fn postgres_kill_9_loses_nothing_acknowledged_and_stores_no_half_batch() {
    let Some(url) = postgres_url("postgres_kill_9") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let rounds = env_count("CSF_CRASH_PG_ROUNDS", 10);
    let t = crash_rounds(&url, None, rounds, dir.path());
    report("postgres", &t, started.elapsed());
}

/// The checks above fail on the damage they look for (a test that cannot fail proves nothing).
#[test]
fn the_checks_catch_lost_versions_stale_entries_and_missing_audit_rows() {
    let v1 = json!({"subcategory_id": "X.Y-01", "version": 1, "notes": "b0"});
    let v2 = json!({"subcategory_id": "X.Y-01", "version": 2, "notes": "b1"});
    let row = |seq: i64, old: &Value, new: &Value| json!({"seq": seq, "subcategory_id": "X.Y-01", "old": old, "new": new});
    let good = ledger::Snapshot {
        entries: vec![v2.clone()],
        history: vec![row(1, &Value::Null, &v1), row(2, &v1, &v2)],
    };
    assert_eq!(ledger::check_entries(&good), Ok(()));
    assert_eq!(ledger::rows_by_note(&good)["b1"], 1);
    let lost_first = ledger::Snapshot {
        entries: vec![v2.clone()],
        history: vec![row(2, &v1, &v2)],
    };
    assert!(ledger::check_entries(&lost_first).is_err());
    let stale = ledger::Snapshot {
        entries: vec![v1.clone()],
        history: good.history.clone(),
    };
    assert!(ledger::check_entries(&stale).is_err());
    let broken_chain = ledger::Snapshot {
        entries: vec![v2.clone()],
        history: vec![row(1, &Value::Null, &v1), row(2, &Value::Null, &v2)],
    };
    assert!(ledger::check_entries(&broken_chain).is_err());
    let acked = ledger::multiset(["k".to_string(), "k".to_string()]);
    let audited = ledger::multiset(["k".to_string()]);
    assert!(ledger::not_within(&acked, &audited).is_some());
    assert!(ledger::not_within(&audited, &acked).is_none());
    let row = json!({"tool": "record_assessment",
        "args_summary": "{\"entries\":\"<3 items>\",\"profile_id\":\"prof_1\"}"});
    assert_eq!(
        ledger::audit_key(&row),
        "record_assessment|prof_1|<3 items>"
    );
}

/// A small deterministic generator (xorshift64*): varied but reproducible test schedules.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}
