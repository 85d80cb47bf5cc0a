#!/usr/bin/env python3
"""Records a link order list (scripts/link/startup-order.<libc>.txt): the functions a stdio
session runs, in the order the linker should place them (see scripts/link/ordered-link).

The binary (built with the shipped settings but not stripped, so callgrind sees names) is run
under callgrind twice over pipes, as a client talks: each request waits for its reply, and the
server then sits idle before stdin closes (the idle wait runs code of its own: a task parked on
an empty channel, a waker):
  1. start-up: exec -> `initialize` -> `notifications/initialized` -> idle -> EOF -> exit;
  2. first use: the same, then `tools/list`, lookups and a search.
The list holds the start-up functions first (what idle memory is made of), then the functions
only the first calls add, so those follow right behind instead of being spread over the binary.
Only functions of the executable itself are listed. One list per C library: the glibc build
(opt-level 3) and the static musl build (opt-level z) inline differently, and a function one
of them runs at start-up would only dilute the other's start-up code.

  scripts/link/record-startup-order.py BIN > scripts/link/startup-order.gnu.txt
"""
import bisect
import json
import os
import re
import subprocess
import sys
import queue
import tempfile
import threading
import time

PROTOCOL = "2025-11-25"
# How long the server sits idle before stdin closes (under callgrind: ~50x slower than native).
IDLE_SECONDS = 2.0
# The longest wait for one reply, or for the server's exit, before the recording gives up.
REPLY_TIMEOUT = 120.0


def message(id_, method, params=None):
    msg = {"jsonrpc": "2.0", "method": method}
    if id_ is not None:
        msg["id"] = id_
    if params is not None:
        msg["params"] = params
    return json.dumps(msg)


def start_up():
    return [
        message(0, "initialize", {"protocolVersion": PROTOCOL, "capabilities": {},
                                  "clientInfo": {"name": "record-startup-order", "version": "0"}}),
        message(None, "notifications/initialized"),
    ]


def first_use():
    calls = [
        ("csf_lookup", {"id": "GV.OC-01", "detail": "summary"}),
        ("csf_lookup", {"id": "DE.CM-01", "detail": "full"}),
        ("csf_lookup", {"id": "RS.MA", "detail": "summary"}),
        ("search_framework", {"query": "supply chain risk", "limit": 10}),
    ]
    lines = start_up() + [message(1, "tools/list")]
    for n, (tool, args) in enumerate(calls, start=2):
        lines.append(message(n, "tools/call", {"name": tool, "arguments": args}))
    return lines


def executed_functions(binary, lines):
    """Mangled names of the executable's functions that ran, in callgrind's file order."""
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "callgrind.out")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": work,
               "XDG_DATA_HOME": work}
        # stdout must be a pipe: a file or terminal makes rmcp start a blocking stdio thread.
        # stderr to a file: a pipe nobody reads while the session runs could fill and stall it.
        with open(os.path.join(work, "stderr"), "w+", encoding="utf-8") as err:
            proc = subprocess.Popen(
                ["valgrind", "--tool=callgrind", "--demangle=no", "--compress-strings=no",
                 f"--callgrind-out-file={out}", binary, "serve"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
            session = Conversation(proc)
            try:
                replies = session.send(lines)
                session.close(idle=IDLE_SECONDS)
                proc.wait(timeout=REPLY_TIMEOUT)
            except (TimeoutError, ValueError, subprocess.TimeoutExpired) as e:
                proc.kill()
                proc.wait()
                err.seek(0)
                sys.exit(f"{binary}: {e}; stderr:\n{err.read()[-2000:]}")
            err.seek(0)
            errors = err.read()
        if proc.returncode != 0 or not os.path.exists(out):
            sys.exit(f"{binary}: callgrind run failed ({proc.returncode}):\n{errors[-2000:]}")
        expected = sum(1 for line in lines if '"id"' in line)
        failed = [r for r in replies if "error" in r or r.get("result", {}).get("isError")]
        if len(replies) != expected or failed:
            sys.exit(f"{binary}: expected {expected} good replies, got:\n{replies!r:.2000}")
        return parse_callgrind(out, os.path.realpath(binary))


class Conversation:
    """The client's side of a stdio session. A thread reads the server's stdout, so that no
    wait can hang: each reply, and the server's exit, must come within `timeout` seconds
    (TimeoutError), however many other messages the server sends meanwhile."""

    def __init__(self, proc, timeout=None):
        self.proc = proc
        self.timeout = REPLY_TIMEOUT if timeout is None else timeout
        self.lines = queue.Queue()
        self.closed = False  # the server closed its stdout
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for line in self.proc.stdout:
                self.lines.put(line)
        finally:
            self.lines.put(None)

    def _next(self, deadline):
        """The server's next line, or None once it has closed its stdout."""
        if self.closed:
            return None
        try:
            line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError(f"no answer within {self.timeout} s") from None
        self.closed = line is None
        return line

    def send(self, lines):
        """Sends each line; after a request, waits for the reply carrying its id (messages the
        server sends meanwhile are skipped). Returns the replies; fewer when the server exits."""
        replies = []
        for line in lines:
            try:
                self.proc.stdin.write(line + "\n")
                self.proc.stdin.flush()
            except BrokenPipeError:
                return replies
            id_ = json.loads(line).get("id")
            deadline = time.monotonic() + self.timeout
            while id_ is not None:
                text = self._next(deadline)
                if text is None:
                    return replies
                try:
                    reply = json.loads(text)
                except ValueError:
                    raise ValueError(f"not JSON on the server's stdout: {text[:200]!r}") from None
                if reply.get("id") == id_ and ("result" in reply or "error" in reply):
                    replies.append(reply)
                    id_ = None
        return replies

    def close(self, idle):
        """Leaves the server idle for `idle` seconds, closes its stdin and waits until it has
        closed its stdout."""
        time.sleep(idle)
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        deadline = time.monotonic() + self.timeout
        while self._next(deadline) is not None:
            pass


def symbol_table(binary):
    """(address, name) of the executable's functions, sorted: callgrind names a function it
    has no size for (musl's assembly: memcpy, memset) by its address."""
    out = subprocess.run(["nm", "-n", "--defined-only", binary], capture_output=True, text=True,
                         check=True).stdout
    table = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            table.append((int(parts[0], 16), parts[2]))
    return table


def named(name, table):
    name = re.sub(r"'[0-9]+$", "", name)  # callgrind's recursion depth: one function
    if name == "(below main)":  # valgrind's name for the C library's entry
        return "__libc_start_main"
    if re.match(r"0x[0-9a-f]+$", name):
        i = bisect.bisect_right(table, (int(name, 16), "\uffff")) - 1
        return table[i][1] if i >= 0 else None
    return name


def parse_callgrind(path, binary):
    table = symbol_table(binary)
    names, seen = [], set()
    obj = cobj = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("ob="):
                obj = line[3:].strip()
            elif line.startswith("cob="):
                cobj = line[4:].strip()
            elif line.startswith("fn="):
                note(names, seen, line[3:].strip(), obj, binary, table)
                cobj = None
            elif line.startswith("cfn="):
                note(names, seen, line[4:].strip(), cobj or obj, binary, table)
    return names


def note(names, seen, name, obj, binary, table):
    if obj is None or os.path.realpath(obj) != binary:
        return
    name = named(name, table)
    if name is not None and name not in seen:
        seen.add(name)
        names.append(name)


def keys(names):
    """Demangled names without crate hashes, as scripts/link/ordered-link matches them."""
    plain = [re.sub(r"\.llvm\.[0-9]+$", "", n) for n in names]
    out = subprocess.run(["c++filt"], input="\n".join(plain) + "\n", capture_output=True,
                         text=True, check=True).stdout.splitlines()
    result, seen = [], set()
    for key in out:
        key = re.sub(r"::h[0-9a-f]{16}$", "", re.sub(r"([A-Za-z0-9_])\[[0-9a-f]+\]", r"\1", key))
        if key not in seen:
            seen.add(key)
            result.append(key)
    return result


def main():
    binaries = sys.argv[1:]
    if not binaries:
        sys.exit(__doc__)
    # The entry point always runs first; callgrind files it under the C library's entry.
    listed, seen = ["_start"], {"_start"}
    phases = (("start-up", start_up()), ("first use", first_use()))
    counts = []
    for phase, lines in phases:
        before = len(keys(listed))
        for binary in binaries:
            for name in executed_functions(binary, lines):
                if name not in seen:
                    seen.add(name)
                    listed.append(name)
        counts.append(f"{phase}: {len(keys(listed)) - before}")
    listed = keys(listed)
    print("# Functions a stdio session runs, start-up first: the link order of the release binary")
    print(f"# ({', '.join(os.path.basename(os.path.dirname(b)) + '/' + os.path.basename(b) for b in binaries)}).")
    print("# Recorded by scripts/link/record-startup-order.py (`make link-order`); read by")
    print("# scripts/link/ordered-link. " + ", ".join(counts) + " functions.")
    for name in listed:
        print(name)


if __name__ == "__main__":
    main()
