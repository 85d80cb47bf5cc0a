"""The history (one JSON record per collection run) and the figures derived from it.

A record holds what the APIs said, nothing computed. Everything computed from records lives
here and is labelled as derived, with the records it came from: monthly pulls are the
difference of two records' cumulative Docker Hub counts; no API reports them.
"""

import datetime as dt
import json

import entries

SCHEMA = 1
TARGET_MONTHLY_PULLS = 1000
RECENT_PULL_DAYS = 30
# Weekly records put 28 to 35 days between a month's two records; more means runs were missed
# or failed, and the month's figure is then an average over a longer span: it is flagged.
LONG_GAP_DAYS = 35
SOURCES = ("dockerhub_repository", "dockerhub_tags", "ghcr_versions", "release_assets")

# What no public API tells, written into every record so each line explains itself.
NOT_AVAILABLE = {
    "geography": "not available: no public API gives where pulls or downloads come from "
                 "(Docker Hub has per-country data only in its analytics API for Docker Verified "
                 "Publishers; GitHub has none); never estimated",
    "ghcr_pulls": "not available: GitHub's REST API gives no pull or download count for "
                  "container packages; only the package's versions and tags are recorded",
    "dockerhub_pulls_per_tag_and_platform": "not available: Docker Hub gives one cumulative pull "
                                            "count per repository; per tag and per platform it "
                                            "gives only the time of the last pull",
    "monthly_pulls": "not an API figure: derived from the cumulative Docker Hub pull_count of "
                     "two dated records (summary.json names them)",
    "unique_users": "not available: a pull count counts manifest requests, not people or "
                    "machines (CI runs, mirrors and scanners pull too)",
}


def utc(ts):
    return dt.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def stamp(when):
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_api_time(value):
    """An API timestamp (ISO 8601, with Z or offset, any fraction) as aware UTC, or None."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    # fromisoformat in 3.11 takes at most 6 fractional digits; Docker Hub sometimes sends 9.
    if "." in text:
        head, _, rest = text.partition(".")
        digits = "".join(c for c in rest if c.isdigit())
        zone = rest[len(digits):]
        text = f"{head}.{digits[:6]}{zone}"
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc)


def build_record(collected_at, targets, sources):
    return {
        "schema": SCHEMA,
        "collected_at": collected_at,
        "targets": targets,
        "sources": {name: sources[name] for name in SOURCES},
        "not_available": NOT_AVAILABLE,
    }


def validate(record):
    """Problems that would make a record unusable in the history (empty list if none)."""
    problems = []
    if not isinstance(record, dict):
        return ["a record must be a JSON object"]
    if record.get("schema") != SCHEMA:
        problems.append(f"schema is {record.get('schema')!r}, expected {SCHEMA}")
    try:
        utc(record.get("collected_at", ""))
    except (TypeError, ValueError):
        problems.append(f"collected_at {record.get('collected_at')!r} is not YYYY-MM-DDTHH:MM:SSZ")
    srcs = record.get("sources")
    if not isinstance(srcs, dict):
        return problems + ["sources is missing"]
    for name in SOURCES:
        status = srcs.get(name, {}).get("status") if isinstance(srcs.get(name), dict) else None
        if status not in ("ok", "error", "unavailable"):
            problems.append(f"sources.{name}.status is {status!r}")
    return problems


def _objects(line):
    """The JSON values on one line. Normally one; two or more back to back when a record was
    appended to a file whose last line had lost its newline (a hand edit, an editor)."""
    decoder = json.JSONDecoder()
    values, pos, line = [], 0, line.strip()
    while pos < len(line):
        value, pos = decoder.raw_decode(line, pos)
        values.append(value)
        while pos < len(line) and line[pos].isspace():
            pos += 1
    return values


def load(path):
    """All records, oldest first. A line that does not parse stops the run: a corrupted
    history must be looked at, not skipped."""
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return records
    for n, line in enumerate(lines, 1):
        try:
            values = _objects(line)
        except ValueError as err:
            raise ValueError(f"{path}:{n}: not JSON ({err})") from err
        for rec in values:
            problems = validate(rec)
            if problems:
                raise ValueError(f"{path}:{n}: " + "; ".join(problems))
            records.append(rec)
    return records


def append(path, record):
    """Append one line; refuses a record not newer than the last one (a rerun or a clock
    going back would otherwise make two records for one instant)."""
    problems = validate(record)
    if problems:
        raise ValueError("record not appended: " + "; ".join(problems))
    records = load(path)
    if records and utc(record["collected_at"]) <= utc(records[-1]["collected_at"]):
        raise ValueError(f"record of {record['collected_at']} is not newer than the last one "
                         f"({records[-1]['collected_at']})")
    line = json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n"
    with open(path, "a+b") as f:
        # A file whose last line lost its newline would get this record on the same line.
        if f.seek(0, 2) > 0:
            f.seek(-1, 2)
            if f.read(1) != b"\n":
                line = "\n" + line
        f.write(line.encode("utf-8"))


def _ok(rec, source):
    """The source's entry if it was read and has the fields the figures use, else None."""
    entry = rec["sources"][source]
    if entry["status"] != "ok" or entries.problem(source, entry) is not None:
        return None
    return entry


def source_status(records):
    """Per source: how many records read it, failed, could not try, or hold an entry whose
    fields are unusable ("malformed": left out of every figure), and the last of each."""
    out = {}
    for name in SOURCES:
        counts = {"ok": 0, "error": 0, "unavailable": 0, "malformed": 0}
        last_error = last_malformed = None
        for rec in records:
            entry = rec["sources"][name]
            problem = entries.problem(name, entry)
            if problem is not None:
                counts["malformed"] += 1
                last_malformed = {"collected_at": rec["collected_at"], "status": entry["status"],
                                  "problem": problem}
                continue
            counts[entry["status"]] += 1
            if entry["status"] == "error":
                last_error = {"collected_at": rec["collected_at"], **entry["error"]}
        out[name] = {**counts, "last_error": last_error, "last_malformed": last_malformed}
    return out


def _month(when):
    return f"{when.year:04d}-{when.month:02d}"


def _months_between(first, last):
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        yield f"{y:04d}-{m:02d}"
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def monthly_pulls(records):
    """Pulls per calendar month (UTC), derived: the month's last record minus the last record
    before the month (or, in the first month, the month's first record), and that difference
    as a rate per 30 days, so months whose two records are 28 or 35 days apart compare
    fairly. A span over LONG_GAP_DAYS is flagged (`long_gap`): the rate then averages over
    more than that month. A month with one such record only says "not enough history"; a
    record that failed to read Docker Hub is skipped, never counted as zero."""
    points = []
    for rec in records:
        entry = _ok(rec, "dockerhub_repository")
        if entry is not None:
            points.append((utc(rec["collected_at"]), rec["collected_at"], entry["pull_count"]))
    if not points:
        return []
    rows = []
    for month in _months_between(points[0][0], points[-1][0]):
        inside = [p for p in points if _month(p[0]) == month]
        before = [p for p in points if _month(p[0]) < month]
        later = any(_month(p[0]) > month for p in points)
        if not inside:
            rows.append({"month": month, "status": "no record in this month"})
            continue
        start = before[-1] if before else inside[0]
        end = inside[-1]
        seconds = (end[0] - start[0]).total_seconds()
        if seconds <= 0:  # one record (or, in a hand-edited history, two at one instant)
            rows.append({"month": month, "status": "not enough history",
                         "records": sorted({start[1], end[1]})})
            continue
        pulls = end[2] - start[2]
        rows.append({
            "month": month,
            "status": "derived" if pulls >= 0 else "derived; the cumulative count went down",
            "pulls": pulls,
            "pulls_per_30_days": round(pulls * 30 * 86400 / seconds),
            "from": start[1], "from_pull_count": start[2],
            "to": end[1], "to_pull_count": end[2],
            "days": round(seconds / 86400, 1),
            "long_gap": seconds > LONG_GAP_DAYS * 86400,
            "month_closed": later,
        })
    return rows


def latest_ok(records, source):
    """(record time, source entry) of the newest record that read this source, or None."""
    for rec in reversed(records):
        entry = _ok(rec, source)
        if entry is not None:
            return rec["collected_at"], entry
    return None


def versions_pulled(records):
    """Per Docker Hub tag, days between its last pull and the newest record that listed tags."""
    found = latest_ok(records, "dockerhub_tags")
    if found is None:
        return None
    at, entry = found
    now = utc(at)
    rows = []
    for tag in entry["tags"]:
        row = {"tag": tag["name"], "status": tag.get("status")}
        if "tag_last_pulled" in tag.get("missing", []):
            row["pull"] = "not reported"
        elif tag["tag_last_pulled"] is None:
            row["pull"] = "never pulled"
        else:
            when = parse_api_time(tag["tag_last_pulled"])
            if when is None:
                row["pull"] = "not reported"
                row["raw"] = tag["tag_last_pulled"]
            else:
                row["pull"] = "pulled"
                row["last_pulled"] = tag["tag_last_pulled"]
                row["days_since_pull"] = round(max(0.0, (now - when).total_seconds()) / 86400, 1)
        rows.append(row)
    order = {"pulled": 0, "never pulled": 1, "not reported": 2}
    rows.sort(key=lambda r: (order[r["pull"]], r.get("days_since_pull", 0), str(r["tag"])))
    recent = sum(1 for r in rows if r.get("days_since_pull", 1e9) <= RECENT_PULL_DAYS)
    return {"record": at, "window_days": RECENT_PULL_DAYS, "tags": rows,
            "pulled_within_window": recent, "tag_count": len(rows)}


def platform_split(records):
    """Downloads of the per-platform offline archives, per release and in total. A count the
    API did not give makes that platform 'incomplete': its total is then a lower bound."""
    found = latest_ok(records, "release_assets")
    if found is None:
        return None
    at, entry = found
    arches = entries.ARCHES
    totals = {a: None for a in arches}
    incomplete = set()
    releases = []
    for rel in entry["releases"]:
        known = [a for a in rel["assets"] if a.get("arch") in arches]
        if not known:
            continue
        row = {"tag": rel["tag"], "published_at": rel["published_at"]}
        not_reported = set()
        for arch in arches:
            counts = [a["download_count"] for a in known if a["arch"] == arch]
            given = [c for c in counts if c is not None]
            # A sum of the counts the API gave; None when it gave none (no such archive, or
            # its count is listed in not_reported): never a zero standing for "unknown".
            row[arch] = sum(given) if given else None
            if given:
                totals[arch] = (totals[arch] or 0) + sum(given)
            if len(given) < len(counts):
                not_reported.add(arch)
        row["not_reported"] = sorted(not_reported)
        incomplete |= not_reported
        releases.append(row)
    return {"record": at, "releases": releases, "totals": totals,
            "incomplete": sorted(incomplete)}


def ghcr_versions(records):
    """The GitHub package's versions in the newest record that read them (no pull counts
    exist for them)."""
    found = latest_ok(records, "ghcr_versions")
    if found is None:
        return None
    at, entry = found
    tagged = [v for v in entry["versions"] if v.get("tags")]
    return {"record": at, "version_count": len(entry["versions"]),
            "tagged_version_count": len(tagged),
            "tags": sorted({t for v in tagged for t in v["tags"]})}


def summary(records):
    """Everything the charts show, as data (written to summary.json beside them)."""
    return {
        "derived_from": "history.jsonl",
        "records": len(records),
        "first_record": records[0]["collected_at"] if records else None,
        "last_record": records[-1]["collected_at"] if records else None,
        "target_monthly_pulls": TARGET_MONTHLY_PULLS,
        "long_gap_days": LONG_GAP_DAYS,
        "monthly_pulls": monthly_pulls(records),
        "versions_pulled": versions_pulled(records),
        "platform_split": platform_split(records),
        "ghcr_versions": ghcr_versions(records),
        "source_status": source_status(records),
        "not_available": NOT_AVAILABLE,
    }
