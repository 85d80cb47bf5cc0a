#!/usr/bin/env python3
"""Renders the measured image figures of docs/REGISTRY.md from results/<arch>/image.json.

The figures live between the markers `<!-- image-figures:begin -->` and
`<!-- image-figures:end -->`, so every number in that block comes from a results file.
  --write   rewrite the block from the results files
  --check   exit 1 if the block differs from what the results files give (CI)
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "REGISTRY.md"
ARCHES = ["amd64", "arm64"]
BEGIN, END = "<!-- image-figures:begin -->", "<!-- image-figures:end -->"


def mb(n):
    return f"{n / 1e6:.2f} MB"


def render(results):
    rows = [
        ("Compressed image (gzip layers)",
         lambda r: f"{r['compressed_bytes']:,} B ({mb(r['compressed_bytes'])})"),
        ("Pull size (manifest + config + layers)", lambda r: f"{r['pull_bytes']:,} B"),
        ("Limit checked by CI", lambda r: f"{r['limit_bytes']:,} B"),
        ("Layers", lambda r: str(r["layers"])),
        ("Uncompressed root fs", lambda r: f"{r['uncompressed_bytes']:,} B"),
        ("Binary (static, stripped)", lambda r: f"{r['binary_bytes']:,} B"),
        ("`dist/` OCI archive", lambda r: f"{r['oci_archive_bytes']:,} B"),
        ("`dist/` docker archive", lambda r: f"{r['docker_archive_bytes']:,} B"),
        ("User", lambda r: r["user"]),
        ("Shell in the image", lambda r: "none" if not r["shell_present"] else "PRESENT"),
        ("stdio: spawn → initialize reply (median)",
         lambda r: f"{r['stdio_start']['initialize_reply_median_us'] / 1000:.2f} ms "
                   f"({r['stdio_start']['runs']} runs)" if r["stdio_start"] else "not measured (emulated)"),
        ("stdio: spawn → exit after stdin EOF (median)",
         lambda r: f"{r['stdio_start']['exit_after_eof_median_us'] / 1000:.2f} ms"
         if r["stdio_start"] else "not measured (emulated)"),
        ("Peak RSS of that run (median)",
         lambda r: f"{r['stdio_start']['peak_rss_median_kib']:,} KiB"
         if r["stdio_start"] else "not measured (emulated)"),
        ("Checks run on", lambda r: r["checks"]["runner"]),
        ("Manifest digest", lambda r: f"`{r['manifest_digest'][:19]}…`"),
    ]
    out = [BEGIN,
           "| | " + " | ".join(f"linux/{a}" for a in ARCHES) + " |",
           "|---|" + "---|" * len(ARCHES)]
    for label, cell in rows:
        out.append(f"| {label} | " + " | ".join(cell(results[a]) for a in ARCHES) + " |")
    first = results[ARCHES[0]]
    out += ["",
            f"Measured {first['measured_at']} on an {first['host_arch']} host "
            f"({first['host_nproc']} cores, load average {first['loadavg_at_end']} at the end), commit "
            f"`{first['git_sha'][:12]}{'-dirty' if first['git_sha'].endswith('-dirty') else ''}`, {first['rustc']}, {first['buildah']}; sources: "
            + ", ".join(f"[`results/{a}/image.json`](../results/{a}/image.json)" for a in ARCHES)
            + ". Start and memory are measured for the native architecture only: under "
            "qemu-aarch64 they would describe the emulator, not arm64 hardware.",
            END]
    return "\n".join(out)


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "--check"
    results = {a: json.loads((ROOT / "results" / a / "image.json").read_text()) for a in ARCHES}
    text = DOC.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = head + render(results) + tail
    if mode == "--write":
        DOC.write_text(new)
        print("docs: image figures in docs/REGISTRY.md refreshed from results/*/image.json")
        return 0
    if new != text:
        print("docs: the image figures in docs/REGISTRY.md do not match results/*/image.json;"
              " run `make image-docs` (after `make image image-verify`)", file=sys.stderr)
        return 1
    print("docs: image figures in docs/REGISTRY.md match results/*/image.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
