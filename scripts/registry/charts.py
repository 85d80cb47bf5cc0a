"""SVG charts of the registry statistics, from history.summary() — no plotting library.

Every chart is an accessible image (role="img", <title> and <desc> naming what it shows and
its figures), draws on white so it reads in light and dark page themes, and says in words what
is missing instead of drawing a zero. Output depends only on the summary, so the committed
charts can be checked against the committed history.
"""

import math
import textwrap
from xml.sax.saxutils import escape

INK = "#222222"
MUTED = "#5f6368"
BLUE = "#1f5fa8"
LIGHT_BLUE = "#9dbbe0"
ORANGE = "#b35300"
GREY = "#8a939c"
RED = "#b3261e"
PLATFORM_COLOURS = {"amd64": BLUE, "arm64": ORANGE, "multiarch": GREY}
PLATFORM_NAMES = {"amd64": "amd64", "arm64": "arm64", "multiarch": "multi-arch archive"}


def n(value):
    return f"{value:,}"


def nice_ceiling(value):
    """The smallest 1, 2 or 5 x 10^k that is >= value (value > 0)."""
    exp = math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if m * 10 ** exp >= value:
            return m * 10 ** exp
    return 10 ** (exp + 1)


def text(x, y, content, size=12, anchor="start", fill=INK, weight=None, halo=False):
    w = f' font-weight="{weight}"' if weight else ""
    # A white outline under the glyphs keeps a label readable where it crosses a line.
    h = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"' if halo else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{w}{h}>{escape(content)}</text>\n')


def para(x, y, content, size=11, fill=MUTED, chars=118):
    """Wrapped lines of text (SVG text does not wrap); (svg, y below the last line)."""
    out = ""
    for line in textwrap.wrap(content, chars):
        out += text(x, y, line, size=size, fill=fill)
        y += size + 4
    return out, y


def rect(x, y, w, h, fill, tip, stroke=None):
    s = f' stroke="{stroke}"' if stroke else ""
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
            f'fill="{fill}"{s}><title>{escape(tip)}</title></rect>\n')


def document(width, height, title, desc, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title desc" '
            f'font-family="sans-serif">\n'
            f'<title id="title">{escape(title)}</title>\n'
            f'<desc id="desc">{escape(desc)}</desc>\n'
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>\n'
            + text(16, 26, title, size=15, weight="bold") + body + '</svg>\n')


def _errors_note(summary, source):
    st = summary["source_status"][source]
    note = ""
    if st["error"]:
        note += (f" {st['error']} of {summary['records']} runs could not read this source "
                 f"(last: {st['last_error']['kind']} at {st['last_error']['collected_at']}); "
                 f"those runs are left out, not counted as zero.")
    if st["malformed"]:
        bad = st["last_malformed"]
        note += (f" {st['malformed']} of {summary['records']} runs recorded this source with "
                 f"fields that cannot be used (last: {bad['collected_at']}, {bad['problem']}); "
                 f"those runs are left out too.")
    return note


def _with_notes(width, top_height, title, desc, body, notes):
    """The chart's body above, its notes (wrapped) below; the height follows the notes."""
    y = top_height
    for note in notes:
        if note:
            svg, y = para(16, y, note.strip())
            body += svg
            y += 2
    return document(width, int(y + 8), title, desc, body)


def pulls_per_month(summary):
    target = summary["target_monthly_pulls"]
    gap_days = summary["long_gap_days"]
    rows = summary["monthly_pulls"][-12:]
    derived = [r for r in rows if "pulls" in r]
    title = f"Docker Hub pulls per month (derived, per 30 days) against the {n(target)} target"
    method = ("Derived, not an API figure: a month's pulls are the month's last record's "
              "cumulative Docker Hub pull_count minus that of the last record before the month "
              "(in the first month, of the month's first record), scaled to 30 days by the "
              "span between those two records. GHCR publishes no pull count.")
    err = _errors_note(summary, "dockerhub_repository")
    width = 760
    if not derived:
        counted = summary["source_status"]["dockerhub_repository"]["ok"]
        msg = (f"Not enough history: {summary['records']} record(s) so far, {counted} with a "
               f"Docker Hub pull count. Monthly pulls need two in a month window.")
        body = text(width / 2, 90, "Not enough history", size=20, anchor="middle", fill=MUTED)
        return _with_notes(width, 120, title, msg + " " + method + err, body,
                           [msg, f"Target: {n(target)} pulls per month. " + method, err])

    x0, x1, top, base = 80, width - 30, 76, 300
    scale_max = nice_ceiling(max([target] + [r["pulls_per_30_days"] for r in derived]) * 1.1)
    step = scale_max / 5

    def y(v):
        return base - (max(v, 0) / scale_max) * (base - top)

    body = ""
    for i in range(6):
        v = step * i
        body += (f'<line x1="{x0}" y1="{y(v):.1f}" x2="{x1}" y2="{y(v):.1f}" stroke="#e3e3e3"/>\n'
                 + text(x0 - 8, y(v) + 4, n(int(v)), size=11, anchor="end", fill=MUTED))
    body += (f'<line x1="{x0}" y1="{y(target):.1f}" x2="{x1}" y2="{y(target):.1f}" '
             f'stroke="{RED}" stroke-width="2" stroke-dasharray="6 4"/>\n'
             + text(x1, y(target) - 6, f"target {n(target)} pulls/month", size=11,
                    anchor="end", fill=RED))
    slot = (x1 - x0) / len(rows)
    bar = min(slot * 0.6, 60)
    parts = []
    for i, r in enumerate(rows):
        cx = x0 + slot * (i + 0.5)
        body += text(cx, base + 18, r["month"], size=11, anchor="middle")
        if "pulls" not in r:
            first, second = (("no record", "this month") if r["status"].startswith("no record")
                             else ("not enough", "history"))
            body += text(cx, base - 30, first, size=10, anchor="middle", fill=MUTED)
            body += text(cx, base - 17, second, size=10, anchor="middle", fill=MUTED)
            parts.append(f"{r['month']}: {r['status']}")
            continue
        closed, rate = r["month_closed"], r["pulls_per_30_days"]
        span = f"{r['days']:g} d" if closed else f"to date, {r['days']:g} d"
        tip = (f"{r['month']}: {n(rate)} pulls per 30 days ({n(r['pulls'])} in {r['days']:g} "
               f"days), derived from {r['from']} ({n(r['from_pull_count'])}) to {r['to']} "
               f"({n(r['to_pull_count'])})")
        body += rect(cx - bar / 2, y(rate), bar, base - y(rate),
                     BLUE if closed else LIGHT_BLUE, tip, stroke=None if closed else BLUE)
        label = n(rate) if rate >= 0 else f"{n(rate)} (count went down)"
        body += text(cx, y(rate) - 6, label, size=11, anchor="middle", halo=True)
        body += text(cx, base + 32, span, size=10, anchor="middle", fill=MUTED)
        flags = "" if closed else ", month not over"
        if r["long_gap"]:
            body += text(cx, base + 46, f"gap > {gap_days} d", size=10, anchor="middle",
                         fill=RED, weight="bold")
            flags += f", a gap of more than {gap_days} days"
        parts.append(f"{r['month']}: {n(rate)} pulls per 30 days ({n(r['pulls'])} from "
                     f"{r['from']} to {r['to']}, {r['days']:g} days{flags})")
    body += f'<line x1="{x0}" y1="{base}" x2="{x1}" y2="{base}" stroke="{INK}"/>\n'
    body += (rect(x0, 40, 12, 12, BLUE, "month over") + text(x0 + 18, 50, "month over", size=11)
             + rect(x0 + 120, 40, 12, 12, LIGHT_BLUE, "month not over", stroke=BLUE)
             + text(x0 + 138, 50, "month not over (to date)", size=11))
    gaps = [r["month"] for r in derived if r["long_gap"]]
    gap_note = (f"{', '.join(gaps)}: more than {gap_days} days between the two records (runs "
                f"missed or failed), so the figure averages over that whole span, not the "
                f"month alone." if gaps else "")
    return _with_notes(width, base + (70 if gaps else 56), title,
                       "; ".join(parts) + ". " + (gap_note + " " if gaps else "") + method
                       + err, body,
                       [gap_note, "The span in days under each month is the time between its "
                        "two records. " + method, err])


def versions_pulled(summary, limit=20):
    vp = summary["versions_pulled"]
    title = "Docker Hub tags still pulled: days since each tag's last pull"
    err = _errors_note(summary, "dockerhub_tags")
    caveat = ("A pull is any request for the tag's manifest, by people, CI, mirrors or scanners. "
              "GHCR gives no pull times, so this is Docker Hub only.")
    width = 760
    if vp is None or not vp["tags"]:
        msg = ("No Docker Hub tag list recorded yet." if vp is None
               else f"Docker Hub listed no tags in the record of {vp['record']}.")
        body = text(width / 2, 90, msg, size=16, anchor="middle", fill=MUTED)
        return _with_notes(width, 120, title, msg + " " + caveat + err, body, [caveat, err])

    rows = vp["tags"][:limit]
    x0, x1, top, row_h = 170, width - 110, 76, 22
    days = [r["days_since_pull"] for r in rows if "days_since_pull" in r]
    scale_max = nice_ceiling(max(days + [vp["window_days"] * 3]))

    def x(d):
        return x0 + (d / scale_max) * (x1 - x0)

    body = text(16, 50, f"Record of {vp['record']}: {vp['pulled_within_window']} of "
                f"{vp['tag_count']} tags pulled in the last {vp['window_days']} days.", size=12)
    wx = x(vp["window_days"])
    body += (f'<line x1="{wx:.1f}" y1="{top - 6}" x2="{wx:.1f}" y2="{top + row_h * len(rows)}" '
             f'stroke="{RED}" stroke-dasharray="4 3"/>\n'
             + text(wx, top - 10, f"{vp['window_days']} days", size=10, anchor="middle", fill=RED))
    parts = []
    for i, r in enumerate(rows):
        yy = top + row_h * i
        body += text(x0 - 8, yy + 15, str(r["tag"]), size=12, anchor="end")
        if r["pull"] == "pulled":
            d = r["days_since_pull"]
            colour = BLUE if d <= vp["window_days"] else GREY
            body += rect(x0, yy + 4, max(x(d) - x0, 2), row_h - 8, colour,
                         f"{r['tag']}: last pulled {r['last_pulled']}")
            body += text(max(x(d), x0 + 2) + 6, yy + 15, f"{d:g} d ago", size=11)
            parts.append(f"{r['tag']} {d:g} days")
        else:
            label = "not reported by the API" if r["pull"] == "not reported" else r["pull"]
            body += text(x0 + 4, yy + 15, label, size=11, fill=MUTED)
            parts.append(f"{r['tag']} {label}")
    more = len(vp["tags"]) - len(rows)
    desc = (f"Record of {vp['record']}: {vp['pulled_within_window']} of {vp['tag_count']} tags "
            f"pulled in the last {vp['window_days']} days. " + "; ".join(parts) + ". " + caveat
            + err)
    return _with_notes(width, top + row_h * len(rows) + 24, title, desc, body,
                       [caveat + (f" {more} more tags are in summary.json." if more else ""),
                        err])


def _platform_label(value, missing):
    if value is None:
        return "not reported by the API" if missing else "no archive"
    return f"at least {n(value)} (a count was not reported)" if missing else n(value)


def platforms(summary, limit=8):
    ps = summary["platform_split"]
    title = "amd64 vs arm64: downloads of the offline image archives (GitHub releases)"
    err = _errors_note(summary, "release_assets")
    caveat = ("Neither Docker Hub nor GHCR publishes pulls per platform: the per-platform "
              "archives attached to each release are the only platform split a public API "
              "gives. The multi-arch archive holds both platforms.")
    width = 760
    if ps is None or not ps["releases"]:
        msg = ("No GitHub release recorded yet." if ps is None else
               f"No release had offline image archives in the record of {ps['record']}.")
        body = text(width / 2, 90, msg, size=16, anchor="middle", fill=MUTED)
        return _with_notes(width, 120, title, msg + " " + caveat + err, body, [caveat, err])

    arches = ("amd64", "arm64", "multiarch")
    releases = sorted(ps["releases"], key=lambda r: str(r["published_at"]), reverse=True)[:limit]
    groups = [{"tag": "all releases", **ps["totals"],
               "not_reported": ps["incomplete"]}] + releases
    x0, x1, top, bar_h, gap = 170, width - 200, 84, 14, 14
    values = [g[a] for g in groups for a in arches if isinstance(g[a], int)]
    scale_max = nice_ceiling(max(values + [1]))

    def w(v):
        return (v / scale_max) * (x1 - x0)

    body = text(16, 50, f"Record of {ps['record']}.", size=12)
    lx = 170
    for a in arches:
        body += rect(lx, 58, 12, 12, PLATFORM_COLOURS[a], PLATFORM_NAMES[a])
        body += text(lx + 18, 68, PLATFORM_NAMES[a], size=11)
        lx += 150
    parts = []
    for gi, g in enumerate(groups):
        gy = top + gi * (bar_h * 3 + gap)
        body += text(x0 - 8, gy + bar_h * 1.5 + 4, str(g["tag"]), size=12, anchor="end",
                     weight="bold" if gi == 0 else None)
        bits = []
        for ai, a in enumerate(arches):
            v, missing = g[a], a in g["not_reported"]
            label = _platform_label(v, missing)
            yy = gy + ai * bar_h
            if v is not None:
                body += rect(x0, yy + 1, max(w(v), 1), bar_h - 2, PLATFORM_COLOURS[a],
                             f"{g['tag']} {PLATFORM_NAMES[a]}: {label}")
            body += text(x0 + (w(v) if v is not None else 0) + 6, yy + bar_h - 3, label, size=10,
                         fill=INK if v is not None else MUTED)
            bits.append(f"{PLATFORM_NAMES[a]} {label}")
        parts.append(f"{g['tag']}: " + ", ".join(bits))
    more = len(ps["releases"]) - len(releases)
    return _with_notes(width, top + len(groups) * (bar_h * 3 + gap) + 14, title,
                       "; ".join(parts) + ". " + caveat + err, body,
                       [caveat + (f" {more} older releases are in summary.json." if more else ""),
                        err])
