#!/usr/bin/env python3
"""Which pages of an executable its start-up touches, and what the kernel maps for them.

Runs the binary under valgrind's lackey (every instruction fetch and data access traced) for
one stdio session: exec -> `initialize` request (benches/scripts/initialize.jsonl) -> EOF ->
exit. For each LOAD segment of the executable it prints the distinct 4 KiB pages touched
(what start-up needs) and the distinct 64 KiB windows they fall in: with the file in the page
cache, the kernel's fault-around maps the whole window on a fault, so windows x 64 KiB is
what idle RSS shows for that segment. Both counts are instruction-exact: they do not move
with the machine's load. Needs a position-dependent executable (the addresses in the trace
are the ones in the ELF headers), valgrind and readelf.

  benches/scripts/startup-pages.py target/release/nist-csf-mcp serve
"""
import os
import subprocess
import sys
from pathlib import Path

PAGE_SHIFT = 12
WINDOW_PAGES_SHIFT = 4  # 64 KiB fault-around windows = 16 pages


def load_segments(binary):
    """(start, end, flags) of each LOAD segment, from `readelf -lW`."""
    segments = []
    out = subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        fields = line.split()
        if fields and fields[0] == "LOAD":
            start, mem_size = int(fields[2], 16), int(fields[5], 16)
            flags = "".join(fields[6:-1])
            segments.append((start, start + mem_size, flags))
    return segments


def touched_pages(binary, args, request, segments):
    """Distinct pages per segment that the traced session accessed."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["valgrind", "--tool=lackey", "--trace-mem=yes", f"--log-fd={write_fd}", binary, *args],
        stdin=subprocess.PIPE,
        # A pipe, as MCP clients connect: with stdout on a file or /dev/null rmcp falls back to
        # blocking stdio and starts a thread pool, code a client over pipes never runs. The
        # reply (a few KiB) fits in the pipe's buffer; it is read after exit.
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_fd,),
    )
    os.close(write_fd)
    proc.stdin.write(request)
    proc.stdin.close()
    pages = [set() for _ in segments]
    with os.fdopen(read_fd, "rb") as trace:
        for line in trace:
            # lackey lines: "I  addr,size", " L addr,size", " S ...", " M ...".
            parts = line.split()
            if len(parts) != 2 or parts[0] not in (b"I", b"L", b"S", b"M"):
                continue
            try:
                addr = int(parts[1].split(b",")[0], 16)
            except ValueError:
                continue
            for i, (start, end, _) in enumerate(segments):
                if start <= addr < end:
                    pages[i].add(addr >> PAGE_SHIFT)
                    break
    proc.stdout.read()
    if proc.wait() != 0:
        sys.exit(f"{binary} exited with {proc.returncode} under valgrind")
    return pages


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary, args = sys.argv[1], sys.argv[2:]
    request = (Path(__file__).parent / "initialize.jsonl").read_bytes()
    segments = load_segments(binary)
    pages = touched_pages(binary, args, request, segments)
    total_pages = total_windows = 0
    print(f"{binary}: exec -> initialize reply -> EOF -> exit")
    for (start, end, flags), touched in zip(segments, pages):
        windows = {p >> WINDOW_PAGES_SHIFT for p in touched}
        total_pages += len(touched)
        total_windows += len(windows)
        print(
            f"  {flags:4} segment {(end - start) // 1024:6d} KiB: {len(touched):4d} pages touched "
            f"({len(touched) * 4:5d} KiB) in {len(windows):3d} windows of 64 KiB "
            f"({len(windows) * 64:5d} KiB mapped by fault-around)"
        )
    print(
        f"  all: {total_pages * 4} KiB touched, {total_windows * 64} KiB mapped by fault-around"
    )


if __name__ == "__main__":
    main()
