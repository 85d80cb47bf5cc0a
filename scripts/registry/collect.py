#!/usr/bin/env python3
"""Registry statistics: read the public APIs once, keep a dated record, draw the charts.

  collect.py collect --record FILE    read Docker Hub, GHCR and GitHub releases into FILE
  collect.py append  --record FILE    append FILE to the history (one JSON line)
  collect.py render                   charts + summary.json from the history
  collect.py render --check           fail if the committed charts differ from the history

Python 3.11 standard library only. GITHUB_TOKEN (read:packages) is needed for the GHCR
package's versions; without it that source is recorded as unavailable, the others still run.
`collect` exits 3 when a source failed (the record, with the error, is written all the same).
See docs/REGISTRY.md, "Registry statistics".
"""

import argparse
import datetime as dt
import json
import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import api  # noqa: E402
import charts  # noqa: E402
import history  # noqa: E402
import sources  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "results" / "registry"
DEFAULT_REPO = "nist-csf-mcp/nist-csf-mcp"
CHARTS = {
    "pulls-per-month.svg": charts.pulls_per_month,
    "versions-pulled.svg": charts.versions_pulled,
    "platforms.svg": charts.platforms,
}


def collect(dockerhub, github_repo, package, token, client, clock=time.time):
    """One record: every source read (or its failure), stamped with the time the run began."""
    collected_at = history.stamp(dt.datetime.fromtimestamp(clock(), dt.timezone.utc))
    namespace, _, repo = dockerhub.partition("/")
    found = {
        "dockerhub_repository": sources.read(sources.dockerhub_repository, client, namespace,
                                             repo),
        "dockerhub_tags": sources.read(sources.dockerhub_tags, client, namespace, repo),
        "release_assets": sources.read(sources.release_assets, client, github_repo, token),
    }
    if token:
        found["ghcr_versions"] = sources.read(sources.ghcr_versions, client, github_repo,
                                              package, token)
    else:
        found["ghcr_versions"] = {
            "status": "unavailable",
            "reason": "no GITHUB_TOKEN: the packages API needs a token with read:packages",
        }
    targets = {"dockerhub": dockerhub, "github": github_repo, "ghcr_package": package}
    return history.build_record(collected_at, targets, found)


def render(records):
    """{file name: content} of the charts and summary.json for these records."""
    summ = history.summary(records)
    out = {name: draw(summ) for name, draw in CHARTS.items()}
    out["summary.json"] = json.dumps(summ, indent=2, sort_keys=True) + "\n"
    return out


def make_client():
    return api.Client()


def cmd_collect(args):
    token = os.environ.get("GITHUB_TOKEN", "")
    record = collect(args.dockerhub, args.github, args.package, token, make_client())
    pathlib.Path(args.record).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n",
                                         encoding="utf-8")
    failed = 0
    for name, entry in record["sources"].items():
        detail = ""
        if entry["status"] == "error":
            failed += 1
            detail = f": {entry['error']['kind']}: {entry['error']['message']}"
        elif entry["status"] == "unavailable":
            detail = f": {entry['reason']}"
        print(f"registry-stats: {name} {entry['status']}{detail}", file=sys.stderr)
    return 3 if failed else 0


def cmd_append(args):
    record = json.loads(pathlib.Path(args.record).read_text(encoding="utf-8"))
    history.append(pathlib.Path(args.history), record)
    print(f"registry-stats: appended the record of {record['collected_at']} to {args.history}",
          file=sys.stderr)
    return 0


def cmd_render(args):
    out_dir = pathlib.Path(args.out)
    records = history.load(pathlib.Path(args.history))
    files = render(records)
    for name, st in history.source_status(records).items():
        if st["malformed"]:
            bad = st["last_malformed"]
            print(f"registry-stats: {st['malformed']} record(s) hold a {name} entry that cannot "
                  f"be used, left out of the charts (last: {bad['collected_at']}: "
                  f"{bad['problem']})", file=sys.stderr)
    if args.check:
        stale = [name for name, content in files.items()
                 if not (out_dir / name).is_file()
                 or (out_dir / name).read_text(encoding="utf-8") != content]
        for name in stale:
            print(f"registry-stats: {out_dir / name} does not match {args.history} "
                  f"(run: python3 scripts/registry/collect.py render)", file=sys.stderr)
        return 1 if stale else 0
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (out_dir / name).write_text(content, encoding="utf-8")
    print(f"registry-stats: wrote {', '.join(sorted(files))} in {out_dir}", file=sys.stderr)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("collect", help="read the APIs into one record file")
    c.add_argument("--record", required=True)
    c.add_argument("--dockerhub", default=os.environ.get("DOCKERHUB_REPOSITORY", DEFAULT_REPO),
                   help="Docker Hub NAMESPACE/REPOSITORY")
    c.add_argument("--github", default=os.environ.get("GITHUB_REPOSITORY", DEFAULT_REPO),
                   help="GitHub OWNER/REPO (releases; owner of the GHCR package)")
    c.add_argument("--package", default=os.environ.get("GHCR_PACKAGE", "nist-csf-mcp"),
                   help="GHCR container package name")
    a = sub.add_parser("append", help="append a record to the history")
    a.add_argument("--record", required=True)
    a.add_argument("--history", default=str(OUT / "history.jsonl"))
    r = sub.add_parser("render", help="charts and summary.json from the history")
    r.add_argument("--history", default=str(OUT / "history.jsonl"))
    r.add_argument("--out", default=str(OUT))
    r.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    for name in ("dockerhub", "github"):
        value = getattr(args, name, None)
        if value is not None and value.count("/") != 1:
            parser.error(f"--{name} must be OWNER/NAME, got {value!r}")
    try:
        return {"collect": cmd_collect, "append": cmd_append, "render": cmd_render}[
            args.command](args)
    except ValueError as err:
        print(f"registry-stats: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
