//! Many writers on the same entries of the same profiles, through the real binary: stdio
//! processes sharing one SQLite file, HTTP clients of one server and of two replicas on one
//! file, and (with CSF_TEST_POSTGRES_URL) stdio and HTTP servers sharing one PostgreSQL
//! database. Two write semantics are checked:
//!
//! - last writer wins: every acknowledged write is in history exactly once with the version
//!   its answer gave, versions run 1..n per entry, the current value is the newest history
//!   row, nothing else is in history, and each caller has one audit row per write;
//! - `expected_version`: of the writers that read version v, exactly one stores v+1; the
//!   others get a conflict naming the newer current version, and store nothing.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::Instant;

use crate::support::ledger;
use crate::support::spawn::{self, Key};
use csf_testkit::catalog::active_ids;
use csf_testkit::env::{postgres_url, run_nonce};
use csf_testkit::http_server::HttpServer;
use csf_testkit::rpc::{outcome, Outcome};
use csf_testkit::McpClient;
use serde_json::{json, Value};

type Client = Box<dyn McpClient + Send>;

/// A writer: its client and the principal its writes are recorded under.
struct Writer {
    client: Client,
    principal: String,
}

/// Runs `f(index, writer)` on every writer at once (one thread each, released together) and
/// returns the writers with what each call produced.
fn all_at_once<T: Send + 'static>(
    writers: Vec<Writer>,
    f: impl Fn(usize, &mut Writer) -> T + Send + Sync + 'static,
) -> Vec<(Writer, T)> {
    let f = Arc::new(f);
    let start = Arc::new(Barrier::new(writers.len()));
    let threads: Vec<_> = writers
        .into_iter()
        .enumerate()
        .map(|(i, mut w)| {
            let (f, start) = (f.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                let out = f(i, &mut w);
                (w, out)
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().expect("writer thread"))
        .collect()
}

/// A fresh organization with two profiles, made by `c`.
fn two_profiles(c: &mut dyn McpClient, name: &str) -> [String; 2] {
    let org = c.tool("create_organization", json!({"name": name}));
    [0, 1].map(|i| {
        c.tool(
            "create_profile",
            json!({"org_id": org["organization"]["id"], "kind": "current",
                   "name": format!("shared {i}")}),
        )["profile"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    })
}

/// One acknowledged or refused record_assessment call of the last-writer-wins run.
struct Call {
    tag: String,
    profile: usize,
    /// (subcategory, version the answer reported) when acknowledged.
    written: Option<Vec<(String, i64)>>,
    subs: Vec<String>,
}

/// Every writer records `calls` batches of 1–8 of the same 8 subcategories, alternating the
/// two profiles, each batch tagged in its notes. Returns the figures line.
fn last_writer_wins(
    label: &str,
    writers: Vec<Writer>,
    checker: &mut dyn McpClient,
    calls: usize,
) -> (Vec<Writer>, String) {
    let profiles = two_profiles(checker, &format!("{label} lww"));
    let subs: Vec<String> = active_ids()[..8].iter().map(|s| s.to_string()).collect();
    let shared = Arc::new((profiles.clone(), subs));
    let started = Instant::now();
    let done = all_at_once(writers, move |w, writer| {
        let (profiles, subs) = &*shared;
        (0..calls)
            .map(|k| {
                let tag = format!("w{w}-c{k}");
                let profile = (w + k) % 2;
                let n = 1 + (w * 3 + k) % subs.len();
                let first = (w + k * 5) % subs.len();
                let chosen: Vec<String> = (0..n)
                    .map(|i| subs[(first + i) % subs.len()].clone())
                    .collect();
                let entries: Vec<Value> = chosen
                    .iter()
                    .map(|s| json!({"subcategory_id": s, "status": "largely", "notes": tag}))
                    .collect();
                let answer = writer.client.call(
                    "record_assessment",
                    json!({"profile_id": profiles[profile], "entries": entries}),
                );
                let written = match outcome(&answer) {
                    Outcome::Ok(out) => Some(
                        out["written"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|x| {
                                assert_ne!(x["outcome"], "unchanged", "{tag}: {x}");
                                (
                                    x["subcategory_id"].as_str().unwrap().to_string(),
                                    x["version"].as_i64().unwrap(),
                                )
                            })
                            .collect(),
                    ),
                    other => {
                        eprintln!("{tag}: not acknowledged: {other:?}");
                        None
                    }
                };
                Call {
                    tag,
                    profile,
                    written,
                    subs: chosen,
                }
            })
            .collect::<Vec<_>>()
    });
    let took = started.elapsed();

    // Every history row, by (profile, subcategory, tag).
    let mut rows: HashMap<(usize, String, String), Vec<Value>> = HashMap::new();
    let mut history_rows = 0;
    for (p, pid) in profiles.iter().enumerate() {
        let snap = ledger::read_profile(checker, pid);
        if let Err(e) = ledger::check_entries(&snap) {
            panic!("{label}: profile {pid}: {e}");
        }
        history_rows += snap.history.len();
        for h in snap.history {
            let key = (
                p,
                h["subcategory_id"].as_str().unwrap().to_string(),
                h["new"]["notes"].as_str().unwrap_or_default().to_string(),
            );
            rows.entry(key).or_default().push(h);
        }
    }
    let (mut acked_calls, mut acked_rows, mut refused) = (0, 0, 0);
    let mut writers = Vec::new();
    for (writer, calls) in done {
        let mut audited_ok = 0;
        // This run's rows only: a principal may have written in an earlier run.
        for row in ledger::audit_rows(checker, &writer.principal) {
            let key = ledger::audit_key(&row);
            let ours = profiles
                .iter()
                .any(|p| key.starts_with(&format!("record_assessment|{p}|")));
            if ours && row["result"] == "ok" {
                audited_ok += 1;
            }
        }
        let mut acked_here = 0;
        for c in &calls {
            match &c.written {
                Some(written) => {
                    acked_here += 1;
                    acked_rows += written.len();
                    for (sub, version) in written {
                        let found = rows
                            .remove(&(c.profile, sub.clone(), c.tag.clone()))
                            .unwrap_or_default();
                        assert_eq!(
                            found.len(),
                            1,
                            "{label}: {} on {sub}: acknowledged, found {} times in history",
                            c.tag,
                            found.len()
                        );
                        assert_eq!(found[0]["new"]["version"], *version, "{label}: {}", c.tag);
                        assert_eq!(
                            found[0]["changed_by"], writer.principal,
                            "{label}: {}",
                            c.tag
                        );
                    }
                }
                None => {
                    refused += 1;
                    for sub in &c.subs {
                        assert!(
                            !rows.contains_key(&(c.profile, sub.clone(), c.tag.clone())),
                            "{label}: {} was refused but is stored",
                            c.tag
                        );
                    }
                }
            }
        }
        assert_eq!(
            audited_ok, acked_here,
            "{label}: audit rows of {} vs its acknowledged writes",
            writer.principal
        );
        acked_calls += acked_here;
        writers.push(writer);
    }
    assert!(
        rows.is_empty(),
        "{label}: history rows no acknowledged write made: {:?}",
        rows.keys().collect::<Vec<_>>()
    );
    assert_eq!(history_rows, acked_rows, "{label}: history rows vs written");
    assert!(acked_calls > 0, "{label}: nothing was acknowledged");
    let line = format!(
        "{label}: last-writer-wins: {} writers x {calls} calls in {:.2} s: acknowledged {acked_calls} \
         ({acked_rows} entry writes, each in history exactly once), refused {refused}, lost 0",
        writers.len(),
        took.as_secs_f64()
    );
    eprintln!("{line}");
    (writers, line)
}

/// One read-then-write attempt of the optimistic run.
struct Attempt {
    tag: String,
    read: i64,
    /// Ok(new version) or Err(current version named by the conflict).
    result: Result<i64, i64>,
}

/// The version of `sub` in `profile` as read now (0 when it has no entry yet).
fn read_version(c: &mut dyn McpClient, profile: &str, sub: &str) -> i64 {
    let category = sub.split('-').next().unwrap();
    let got = c.tool(
        "get_assessment",
        json!({"profile_id": profile, "within": category, "limit": 200}),
    );
    got["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["subcategory_id"] == sub)
        .map_or(0, |e| e["version"].as_i64().unwrap())
}

/// The version a conflict message names as current ("… is at version N …").
fn conflict_version(text: &str) -> Option<i64> {
    let rest = text.split("is at version ").nth(1)?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// Every writer reads one entry's version and writes it back with expected_version, `rounds`
/// times. Returns the figures line.
fn expected_version(
    label: &str,
    writers: Vec<Writer>,
    checker: &mut dyn McpClient,
    rounds: usize,
) -> (Vec<Writer>, String) {
    let profile = two_profiles(checker, &format!("{label} cas"))[0].clone();
    let sub = active_ids()[3].to_string();
    let shared = Arc::new((profile.clone(), sub.clone()));
    let started = Instant::now();
    let done = all_at_once(writers, move |w, writer| {
        let (profile, sub) = &*shared;
        (0..rounds)
            .map(|k| {
                let tag = format!("w{w}-a{k}");
                let read = read_version(writer.client.as_mut(), profile, sub);
                let answer = writer.client.call(
                    "record_assessment",
                    json!({"profile_id": profile, "entries": [{"subcategory_id": sub,
                        "status": "partially", "notes": tag, "expected_version": read}]}),
                );
                let result = match outcome(&answer) {
                    Outcome::Ok(out) => Ok(out["written"][0]["version"].as_i64().unwrap()),
                    Outcome::ToolError(text) => {
                        assert!(
                            text.contains(&format!("not the expected version {read}")),
                            "{tag}: refused without a version conflict: {text}"
                        );
                        Err(conflict_version(&text)
                            .unwrap_or_else(|| panic!("{tag}: no current version in `{text}`")))
                    }
                    Outcome::RpcError(e) => panic!("{tag}: {e}"),
                };
                Attempt { tag, read, result }
            })
            .collect::<Vec<_>>()
    });
    let took = started.elapsed();

    let snap = ledger::read_profile(checker, &profile);
    if let Err(e) = ledger::check_entries(&snap) {
        panic!("{label}: {e}");
    }
    // version -> the tag that made it, from history and from the answers.
    let stored: BTreeMap<i64, String> = snap
        .history
        .iter()
        .map(|h| {
            (
                h["new"]["version"].as_i64().unwrap(),
                h["new"]["notes"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(stored.len(), snap.history.len());
    let mut won: BTreeMap<i64, String> = BTreeMap::new();
    let mut readers: BTreeMap<i64, usize> = BTreeMap::new();
    let (mut wins, mut conflicts) = (0, 0);
    let mut writers = Vec::new();
    for (writer, attempts) in done {
        for a in &attempts {
            *readers.entry(a.read).or_insert(0) += 1;
            match a.result {
                Ok(v) => {
                    assert_eq!(
                        v,
                        a.read + 1,
                        "{label}: {} read {} and wrote {v}",
                        a.tag,
                        a.read
                    );
                    assert!(
                        won.insert(v, a.tag.clone()).is_none(),
                        "{label}: two writers won version {v}"
                    );
                    wins += 1;
                }
                Err(current) => {
                    assert!(
                        current > a.read && current <= stored.len() as i64,
                        "{label}: {} read {} and was told the current version is {current}",
                        a.tag,
                        a.read
                    );
                    assert!(
                        !stored.values().any(|t| t == &a.tag),
                        "{label}: {} lost its conflict but is stored",
                        a.tag
                    );
                    conflicts += 1;
                }
            }
        }
        writers.push(writer);
    }
    assert_eq!(
        won, stored,
        "{label}: the versions the answers report differ from history"
    );
    let contended = readers.values().filter(|n| **n > 1).count();
    let line = format!(
        "{label}: expected_version: {} writers x {rounds} attempts in {:.2} s: {wins} won (versions \
         1..{wins}, one winner each), {conflicts} conflicts naming the newer version, {contended} \
         versions read by several writers, lost 0, doubled 0",
        writers.len(),
        took.as_secs_f64()
    );
    eprintln!("{line}");
    (writers, line)
}

fn keys(nonce: &str, n: usize) -> Vec<Key> {
    (0..n).map(|i| Key::new(&format!("w{i}-{nonce}"))).collect()
}

fn stdio_writers(db: &str, nonce: &str, n: usize, log: &Path) -> Vec<Writer> {
    (0..n)
        .map(|i| {
            let principal = format!("stdio{i}-{nonce}");
            Writer {
                client: Box::new(spawn::stdio_as(db, &principal, log)),
                principal,
            }
        })
        .collect()
}

/// HTTP writers, one per key, spread over `servers` round-robin.
fn http_writers(servers: &[HttpServer], keys: &[Key]) -> Vec<Writer> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| Writer {
            client: Box::new(servers[i % servers.len()].client(Some(&k.secret))),
            principal: k.name.clone(),
        })
        .collect()
}

#[test]
fn six_stdio_processes_on_one_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let db = db.to_str().unwrap();
    let log = dir.path().join("servers.log");
    let nonce = run_nonce();
    let mut checker = spawn::stdio_as(db, &format!("check-{nonce}"), &log);
    let writers = stdio_writers(db, &nonce, 6, &log);
    let (writers, _) = last_writer_wins("sqlite stdio x6", writers, &mut checker, 25);
    expected_version("sqlite stdio x6", writers, &mut checker, 15);
    checker.stop();
}

#[test]
fn http_clients_of_one_server_and_of_two_replicas_on_one_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let db = db.to_str().unwrap();
    let log = dir.path().join("servers.log");
    let nonce = run_nonce();
    let mut ks = keys(&nonce, 8);
    let check_key = Key::new(&format!("check-{nonce}"));
    ks.push(check_key.clone());

    let one = [spawn::http_with_keys(db, &ks, &log)];
    let mut checker = one[0].client(Some(&check_key.secret));
    let writers = http_writers(&one, &ks[..8]);
    let (writers, _) = last_writer_wins("sqlite http x1", writers, &mut checker, 20);
    expected_version("sqlite http x1", writers, &mut checker, 12);

    let two = [
        spawn::http_with_keys(db, &ks, &log),
        spawn::http_with_keys(db, &ks, &log),
    ];
    drop(one);
    let mut checker = two[1].client(Some(&check_key.secret));
    let writers = http_writers(&two, &ks[..8]);
    let (writers, _) = last_writer_wins("sqlite http x2 replicas", writers, &mut checker, 20);
    expected_version("sqlite http x2 replicas", writers, &mut checker, 12);
}

#[test]
fn postgres_stdio_and_http_replicas_on_one_database() {
    let Some(url) = postgres_url("postgres_concurrent_writers") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("servers.log");
    let nonce = run_nonce();
    let mut ks = keys(&nonce, 6);
    let check_key = Key::new(&format!("check-{nonce}"));
    ks.push(check_key.clone());
    // Five server processes on one database: two HTTP replicas (three clients each) and three
    // stdio processes.
    let servers = [
        spawn::http_with_keys(&url, &ks, &log),
        spawn::http_with_keys(&url, &ks, &log),
    ];
    let mut checker = servers[0].client(Some(&check_key.secret));
    let build = || {
        let mut w = http_writers(&servers, &ks[..6]);
        w.extend(stdio_writers(&url, &nonce, 3, &log));
        w
    };
    let (writers, _) = last_writer_wins("postgres x5 processes", build(), &mut checker, 20);
    drop(writers);
    expected_version("postgres x5 processes", build(), &mut checker, 12);
}
