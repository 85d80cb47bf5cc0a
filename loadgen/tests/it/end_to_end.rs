//! The load generator against the real floor server (this package's `rmcp-floor` binary):
//! every measurement runs, right answers pass, wrong answers are counted and fail the run.

use std::process::Command;

use serde_json::Value;

const LOADGEN: &str = env!("CARGO_BIN_EXE_csf-loadgen");
const FLOOR: &str = env!("CARGO_BIN_EXE_rmcp-floor");

/// Runs an ad hoc subcommand; returns the exit code and the target row it printed.
fn loadgen(args: &[&str], server: &[&str]) -> (i32, Value, String) {
    let out = Command::new(LOADGEN)
        .args(args)
        .arg("--")
        .args(server)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let row: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), row, stderr)
}

const RIGHT: &str = r#"/result/structuredContent/text="ping""#;
const WRONG: &str = r#"/result/structuredContent/text="pong""#;

#[test]
fn stdio_sequential_and_pipelined_count_every_reply() {
    for window in ["1", "8"] {
        let (code, row, err) = loadgen(
            &[
                "stdio",
                "-n",
                "2",
                "-w",
                window,
                "--requests",
                "300",
                "--warmup",
                "10",
                "--expect",
                RIGHT,
            ],
            &[FLOOR],
        );
        assert_eq!(code, 0, "{err}");
        assert_eq!(row["errors"], 0);
        assert_eq!(row["metrics"]["requests"], 600.0);
        assert!(row["metrics"]["latency_p50_us"].as_f64().unwrap() > 0.0);
        assert!(row["metrics"]["rss_peak_kb"].as_f64().unwrap() > 0.0);
    }
}

#[test]
fn wrong_answers_are_errors_not_dropped() {
    let (code, row, _) = loadgen(
        &[
            "stdio",
            "--requests",
            "50",
            "--warmup",
            "5",
            "--expect",
            WRONG,
        ],
        &[FLOOR],
    );
    assert_eq!(code, 1);
    // Warmup replies are checked too: 55 wrong answers.
    assert_eq!(row["errors"], 55);
    let sample = row["error_samples"][0].as_str().unwrap();
    assert!(sample.contains("expected \"pong\""), "{sample}");
}

#[test]
fn unknown_tool_is_an_error() {
    let (code, row, _) = loadgen(
        &[
            "stdio",
            "--tool",
            "nope",
            "--requests",
            "5",
            "--warmup",
            "0",
        ],
        &[FLOOR],
    );
    assert_eq!(code, 1);
    assert_eq!(row["errors"], 5);
}

#[test]
fn http_stateless_closed_and_open_loop() {
    let (code, row, err) = loadgen(
        &[
            "http",
            "-c",
            "4",
            "--requests",
            "200",
            "--warmup",
            "5",
            "--expect",
            RIGHT,
        ],
        &[FLOOR, "--http", "{addr}"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(row["metrics"]["requests"], 200.0);
    assert_eq!(row["transport"], "http-stateless");

    let (code, row, err) = loadgen(
        &[
            "http",
            "-c",
            "2",
            "--rate",
            "200",
            "--duration-ms",
            "500",
            "--warmup",
            "0",
            "--expect",
            RIGHT,
        ],
        &[FLOOR, "--http", "{addr}"],
    );
    assert_eq!(code, 0, "{err}");
    // 200/s for 0.5 s, scheduled: 100 requests.
    assert_eq!(row["metrics"]["requests"], 100.0);
    assert_eq!(row["conditions"]["loop"], "open");
}

#[test]
fn http_session_mode_initializes_each_connection() {
    let (code, row, err) = loadgen(
        &[
            "http",
            "-c",
            "2",
            "--session",
            "--requests",
            "50",
            "--warmup",
            "0",
            "--expect",
            RIGHT,
        ],
        &[FLOOR, "--http", "{addr}", "--session"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(row["transport"], "http-session");
    assert_eq!(row["errors"], 0);
}

#[test]
fn cold_start_writes_hyperfine_json() {
    let dir = std::env::temp_dir().join(format!("csf-e2e-cold-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let export = dir.join("cs.json");
    let (code, row, err) = loadgen(
        &[
            "cold-start",
            "--runs",
            "5",
            "--export-json",
            export.to_str().unwrap(),
        ],
        &[FLOOR],
    );
    assert_eq!(code, 0, "{err}");
    assert!(row["metrics"]["cold_start_median_ms"].as_f64().unwrap() > 0.0);
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
    let (code, row, err) = loadgen(&["memory", "--flood", "2000", "--expect", RIGHT], &[FLOOR]);
    assert_eq!(code, 0, "{err}");
    let idle = row["metrics"]["rss_idle_kb"].as_f64().unwrap();
    let peak = row["metrics"]["rss_peak_kb"].as_f64().unwrap();
    assert!(idle > 0.0 && peak >= idle, "idle {idle} peak {peak}");
    assert_eq!(row["metrics"]["flood_requests"], 2000.0);
}

#[test]
fn a_server_that_cannot_start_fails_cleanly() {
    let (code, _, err) = loadgen(&["stdio", "--requests", "5"], &["/nonexistent/server"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("spawn"), "{err}");
}
