//! The load generator's library against the real floor server (this package's `rmcp-floor`
//! binary): every measurement runs, right answers pass, wrong answers are counted.

use csf_loadgen::{
    adhoc::{self, AdHoc},
    record::TargetResult,
    scenario::{Kind, Load},
};
use serde_json::{json, Value};

const FLOOR: &str = env!("CARGO_BIN_EXE_rmcp-floor");

/// An ad hoc run against the floor; `server` follows the binary (e.g. `--http {addr}`).
fn floor(server: &[&str]) -> AdHoc {
    let mut command = vec![FLOOR.to_string()];
    command.extend(server.iter().map(|s| s.to_string()));
    AdHoc::new(command)
}

fn expect(text: &str) -> Vec<(String, Value)> {
    vec![("/result/structuredContent/text".to_string(), json!(text))]
}

/// The default ad hoc load with some fields changed.
fn load(change: impl FnOnce(&mut Load)) -> Load {
    let mut l = AdHoc::new(vec![]).load;
    change(&mut l);
    l
}

fn run(kind: Kind, a: &AdHoc) -> TargetResult {
    adhoc::measure(kind, a).unwrap()
}

#[test]
fn stdio_sequential_and_pipelined_count_every_reply() {
    for window in [1, 8] {
        let row = run(
            Kind::Stdio,
            &AdHoc {
                load: load(|l| {
                    l.processes = 2;
                    l.window = window;
                    l.requests = Some(300);
                    l.warmup = 10;
                }),
                expect: expect("ping"),
                ..floor(&[])
            },
        );
        assert_eq!(row.errors, 0, "{:?}", row.error_samples);
        assert_eq!(row.metrics["requests"], 600.0);
        assert!(row.metrics["latency_p50_us"] > 0.0);
        assert!(row.metrics["rss_peak_kb"] > 0.0);
        // Two processes alive together: each one's PSS was read, and the median carries an
        // interval that contains it.
        assert!(row.metrics["pss_total_kb"] > 0.0);
        let [lo, hi] = row.intervals["latency_p50_us"];
        assert!(lo <= row.metrics["latency_p50_us"] && row.metrics["latency_p50_us"] <= hi);
        assert!(row.intervals.contains_key("throughput_rps"));
    }
}

#[test]
fn wrong_answers_are_errors_not_dropped() {
    let row = run(
        Kind::Stdio,
        &AdHoc {
            load: load(|l| {
                l.requests = Some(50);
                l.warmup = 5;
            }),
            expect: expect("pong"),
            ..floor(&[])
        },
    );
    // Warmup replies are checked too: 55 wrong answers.
    assert_eq!(row.errors, 55);
    let sample = &row.error_samples[0];
    assert!(sample.contains("expected \"pong\""), "{sample}");
}

#[test]
fn unknown_tool_is_an_error() {
    let row = run(
        Kind::Stdio,
        &AdHoc {
            load: load(|l| {
                l.requests = Some(5);
                l.warmup = 0;
            }),
            tool: "nope".into(),
            ..floor(&[])
        },
    );
    assert_eq!(row.errors, 5);
}

#[test]
fn http_stateless_closed_and_open_loop() {
    let row = run(
        Kind::Http,
        &AdHoc {
            load: load(|l| {
                l.connections = 4;
                l.requests = Some(200);
                l.warmup = 5;
            }),
            expect: expect("ping"),
            ..floor(&["--http", "{addr}"])
        },
    );
    assert_eq!(row.errors, 0, "{:?}", row.error_samples);
    assert_eq!(row.metrics["requests"], 200.0);
    assert_eq!(row.transport, "http-stateless");

    let row = run(
        Kind::Http,
        &AdHoc {
            load: load(|l| {
                l.connections = 2;
                l.rate = Some(200.0);
                l.duration_ms = Some(500);
                l.warmup = 0;
            }),
            expect: expect("ping"),
            ..floor(&["--http", "{addr}"])
        },
    );
    assert_eq!(row.errors, 0, "{:?}", row.error_samples);
    // 200/s for 0.5 s, scheduled: 100 requests.
    assert_eq!(row.metrics["requests"], 100.0);
    assert_eq!(row.conditions["loop"], "open");
}

#[test]
fn http_session_mode_initializes_each_connection() {
    let row = run(
        Kind::Http,
        &AdHoc {
            load: load(|l| {
                l.connections = 2;
                l.session = true;
                l.requests = Some(50);
                l.warmup = 0;
            }),
            expect: expect("ping"),
            ..floor(&["--http", "{addr}", "--session"])
        },
    );
    assert_eq!(row.transport, "http-session");
    assert_eq!(row.errors, 0, "{:?}", row.error_samples);
}

#[test]
fn cold_start_writes_hyperfine_json() {
    let dir = std::env::temp_dir().join(format!("csf-e2e-cold-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let export = dir.join("cs.json");
    let row = run(
        Kind::ColdStart,
        &AdHoc {
            load: load(|l| {
                l.runs = 5;
            }),
            export_json: Some(export.clone()),
            ..floor(&[])
        },
    );
    assert_eq!(row.errors, 0, "{:?}", row.error_samples);
    assert!(row.metrics["cold_start_median_ms"] > 0.0);
    // Page faults from exec to the reply: every run counted, with an interval.
    assert!(row.metrics["startup_faults"] > 10.0);
    assert!(row.intervals.contains_key("startup_faults"));
    let hf: Value = serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
    let r = &hf["results"][0];
    assert_eq!(r["times"].as_array().unwrap().len(), 5);
    for k in [
        "command", "mean", "stddev", "median", "user", "system", "min", "max",
    ] {
        assert!(!r[k].is_null(), "hyperfine field {k}");
    }
    assert!(r["min"].as_f64() <= r["median"].as_f64() && r["median"].as_f64() <= r["max"].as_f64());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn memory_reads_idle_and_peak_rss() {
    let row = run(
        Kind::Memory,
        &AdHoc {
            load: load(|l| {
                l.flood = 2000;
            }),
            expect: expect("ping"),
            ..floor(&[])
        },
    );
    assert_eq!(row.errors, 0, "{:?}", row.error_samples);
    let idle = row.metrics["rss_idle_kb"];
    let peak = row.metrics["rss_peak_kb"];
    assert!(idle > 0.0 && peak >= idle, "idle {idle} peak {peak}");
    // PSS never exceeds RSS (shared pages count in part).
    assert!(row.metrics["pss_idle_kb"] <= idle);
    assert_eq!(row.metrics["flood_requests"], 2000.0);
}

#[test]
fn a_server_that_cannot_start_fails_cleanly() {
    let err = adhoc::measure(
        Kind::Stdio,
        &AdHoc {
            load: load(|l| {
                l.requests = Some(5);
            }),
            ..AdHoc::new(vec!["/nonexistent/server".into()])
        },
    )
    .unwrap_err();
    assert!(format!("{err:#}").contains("spawn"), "{err:#}");
}
