#!/usr/bin/env python3
"""Start time and memory of the image's binary over stdio, measured without a shell pipeline.

Per run: spawn `BIN serve`, send an MCP initialize, time until the reply line arrives
(start-to-initialize; one untimed warm-up run first), read the server's peak RSS so far (VmHWM in /proc/PID/status: reset
at exec, so the spawning Python's memory is not counted, as it would be by wait4's
ru_maxrss), close stdin and time until the process has exited. Prints one JSON object with the medians over RUNS runs; exits non-zero
if any run gets no valid reply.

usage: stdio_start.py BIN RUNS
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

REQUEST = json.dumps({
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {},
               "clientInfo": {"name": "csf-image-verify", "version": "1"}},
}) + "\n"


def one_run(binary, db):
    t0 = time.perf_counter()
    proc = subprocess.Popen([binary, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env={"CSF_DB": db})
    proc.stdin.write(REQUEST.encode())
    proc.stdin.flush()
    line = proc.stdout.readline()
    t1 = time.perf_counter()
    with open(f"/proc/{proc.pid}/status", encoding="ascii") as f:
        hwm_kib = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
    proc.stdin.close()
    proc.wait()
    t2 = time.perf_counter()
    reply = json.loads(line)
    if reply.get("id") != 1 or "protocolVersion" not in reply.get("result", {}):
        raise RuntimeError(f"unexpected reply: {line!r}")
    return (t1 - t0) * 1e6, (t2 - t0) * 1e6, hwm_kib


def main():
    binary, runs = sys.argv[1], int(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "start.db")
        one_run(binary, db)  # warm-up: page cache, not counted
        samples = [one_run(binary, db) for _ in range(runs)]
    print(json.dumps({
        "runs": runs,
        "initialize_reply_median_us": round(statistics.median(s[0] for s in samples)),
        "exit_after_eof_median_us": round(statistics.median(s[1] for s in samples)),
        "peak_rss_median_kib": statistics.median(s[2] for s in samples),
        "loadavg_at_start": open("/proc/loadavg", encoding="ascii").read().split()[:3],
        "what": "spawn -> initialize reply (and -> exit after stdin EOF), python perf_counter; "
                "peak RSS = VmHWM at the reply; native architecture only",
    }))


if __name__ == "__main__":
    sys.exit(main())
