"""A scripted engagement through the official Python MCP SDK, checking the numbers.

Usage:
  engagement_test.py <server-binary> [args...]

An invented organization assesses category GV.OC (5 subcategories) with a Current and a
Target profile: questions, entries, a partial update, an import, the analyses, a plan and its
progress, reports (embedded documents, read again as resources) and exports. Every figure is
worked out below by hand from the formulas in docs/ANALYSIS.md (status level: not 0, partially
1, largely 2, fully 3; score = level / 3; priority weight high 3, medium 2, low 1). Only ids
and computed numbers of NIST's catalog are checked, never its text.

Then the executive HTML report of a whole assessment (every subcategory) is printed by
headless Chromium and must fit on two A4 pages (see print_check.py).

Prints 'engagement: N passed, N failed' and exits non-zero on any failure.
"""

import csv
import io
import json
import os
import re
import sys

import print_check
from sdk_client import check, run, stdio_session

def close(a, b, eps=1e-4):
    return a is not None and abs(a - b) < eps


async def ok(session, name, args):
    r = await session.call_tool(name, args)
    text = "".join(c.text for c in r.content if c.type == "text")
    check(f"{name} ok", not r.is_error, text[:300])
    return r.structured_content or {}, r


def mime_of(contents):
    """The MIME type of resource contents (the SDK's attribute name differs by version)."""
    return getattr(contents, "mime_type", None) or getattr(contents, "mimeType", None)


def embedded(result):
    """The document a report embeds: (uri, mime type, text)."""
    for c in result.content:
        if c.type == "resource":
            return str(c.resource.uri), mime_of(c.resource), c.resource.text
    return None, None, None


async def engagement(session):
    org, _ = await ok(session, "create_organization", {"name": "Invented Health Co", "size": "large"})
    org_id = org["organization"]["id"]
    cur, _ = await ok(session, "create_profile", {"org_id": org_id, "kind": "current", "name": "Now"})
    tgt, _ = await ok(session, "create_profile", {"org_id": org_id, "kind": "target", "name": "Goal"})
    cur_id, tgt_id = cur["profile"]["id"], tgt["profile"]["id"]

    # Questions: 5 subcategories × 4 dimensions for a large organization = 20.
    q, _ = await ok(session, "get_assessment_questions", {"category": "GV.OC", "org_size": "large", "limit": 50})
    check("questions total", q.get("total") == 20, str(q.get("total")))
    subs = sorted({x["subcategory"] for x in q.get("questions", [])})
    check("questions cover GV.OC-01..05", subs == [f"GV.OC-0{i}" for i in range(1, 6)], str(subs))

    # Answers for GV.OC-01: partially, maturity 2, documented evidence (-> medium), owner.
    v, _ = await ok(session, "validate_assessment_responses", {"responses": [
        {"question_id": "GV.OC-01:implementation", "answer": "partially"},
        {"question_id": "GV.OC-01:maturity", "answer": 2},
        {"question_id": "GV.OC-01:evidence", "answer": "documented"},
        {"question_id": "GV.OC-01:ownership", "answer": "CISO"}]})
    check("answers valid", v.get("valid") is True, str(v)[:300])
    first = v.get("entries", [{}])[0]
    check("answers mapped", (first.get("status"), first.get("confidence"), first.get("owner")) == ("partially", "medium", "CISO"), str(first))

    entries = [first,
               {"subcategory_id": "GV.OC-02", "status": "largely", "maturity": 3},
               {"subcategory_id": "GV.OC-03", "status": "not_implemented"},
               {"subcategory_id": "GV.OC-04", "status": "fully", "maturity": 4}]
    w, _ = await ok(session, "record_assessment", {"profile_id": cur_id, "entries": entries})
    check("4 created", w.get("counts", {}).get("created") == 4, str(w.get("counts")))

    # Partial update: only the status; owner, maturity and confidence stay.
    w, _ = await ok(session, "record_assessment", {"profile_id": cur_id, "entries": [
        {"subcategory_id": "GV.OC-01", "status": "largely"}]})
    check("partial update changes status only", w.get("written", [{}])[0].get("changed") == ["status"], str(w)[:300])
    got, _ = await ok(session, "get_assessment", {"profile_id": cur_id, "within": "GV.OC"})
    e1 = next((e for e in got.get("entries", []) if e["subcategory_id"] == "GV.OC-01"), {})
    check("partial update keeps the rest", (e1.get("status"), e1.get("maturity"), e1.get("owner"), e1.get("confidence")) == ("largely", 2, "CISO", "medium"), str(e1))

    # Import: GV.OC-05 partially, maturity 1.
    imp, _ = await ok(session, "import_assessment", {"profile_id": cur_id, "format": "csv",
                                                     "content": "subcategory_id,status,maturity\nGV.OC-05,partially,1\n"})
    check("import created 1", imp.get("counts", {}).get("created") == 1, str(imp.get("counts")))

    # Target: all fully; priorities high, low, high, medium, none (default medium).
    await ok(session, "record_assessment", {"profile_id": tgt_id, "entries": [
        {"subcategory_id": "GV.OC-01", "status": "fully", "priority": "high"},
        {"subcategory_id": "GV.OC-02", "status": "fully", "priority": "low"},
        {"subcategory_id": "GV.OC-03", "status": "fully", "priority": "high"},
        {"subcategory_id": "GV.OC-04", "status": "fully", "priority": "medium"},
        {"subcategory_id": "GV.OC-05", "status": "fully"}]})

    # Maturity of Current over GV.OC: levels 2, 2, 0, 3, 1 -> scores 2/3, 2/3, 0, 1, 1/3;
    # mean 8/15 = 0.5333; coverage 5/5; mean maturity (2 + 3 + 4 + 1) / 4 = 2.5.
    m, _ = await ok(session, "assess_maturity", {"profile_id": cur_id, "scope": ["GV.OC"]})
    o = m.get("overall", {})
    check("coverage 1.0", close(o.get("coverage"), 1.0), str(o))
    check("implementation score 8/15", close(o.get("implementation_score"), 8 / 15), str(o))
    check("mean maturity 2.5", close(o.get("mean_maturity"), 2.5), str(o))

    # Gaps to fully (level 3): steps 1, 1, 3, 0, 2 -> 4 open, 7 steps; weighted 1×3 + 1×1 +
    # 3×3 + 2×2 = 17; weighted target 3 × (3 + 1 + 3 + 2 + 2) = 33.
    pair = {"current_profile_id": cur_id, "target_profile_id": tgt_id, "scope": ["GV.OC"]}
    g, _ = await ok(session, "generate_gap_analysis", pair)
    t = g.get("totals", {})
    check("gap totals", (t.get("with_gap"), t.get("gap_steps"), t.get("weighted_gap"), t.get("weighted_target")) == (4, 7, 17, 33), str(t))
    steps = {r["subcategory_id"]: r["gap_steps"] for r in g.get("rows", [])}
    check("gap steps per row", steps == {"GV.OC-01": 1, "GV.OC-02": 1, "GV.OC-03": 3, "GV.OC-04": 0, "GV.OC-05": 2}, str(steps))

    # Plan: one item per open gap, all in one phase of ample capacity.
    plan, _ = await ok(session, "create_implementation_plan", dict(pair, capacity_per_phase=100, start_date="2027-01-04"))
    plan_id = plan.get("plan_id")
    items = plan.get("plan", {}).get("items", [])
    check("plan has 4 items", sorted(i["subcategory_id"] for i in items) == ["GV.OC-01", "GV.OC-02", "GV.OC-03", "GV.OC-05"], str(items)[:300])
    tr, _ = await ok(session, "track_progress", {"plan_id": plan_id, "as_of": "2027-02-01",
                                                "items": [{"item_id": "I-GV.OC-03", "status": "done"}]})
    p = tr.get("plan", {}).get("progress", {})
    check("progress 1 of 4 done", (p.get("done"), p.get("items_total")) == (1, 4), str(p))

    # Reports come back as documents with their MIME type, kept and readable later.
    for fmt, mime in (("html", "text/html"), ("markdown", "text/markdown"), ("json", "application/json")):
        out, r = await ok(session, "generate_report", {"kind": "executive", "format": fmt, "profile_id": cur_id,
                                                       "target_profile_id": tgt_id, "scope": ["GV.OC"]})
        uri, doc_mime, doc = embedded(r)
        check(f"{fmt} report embedded", doc is not None and doc_mime == mime and uri == out.get("uri"), str(r.content)[:300])
        check(f"{fmt} report size", out.get("bytes") == len((doc or "").encode()), str(out.get("bytes")))
        summary = out.get("summary", "")
        check(f"{fmt} summary numbers", "5 of 5 subcategories assessed (100% coverage)" in summary
              and "implementation score 53%" in summary and "4 open gaps" in summary, summary)
        again = await session.read_resource(uri)
        check(f"{fmt} report read again", again.contents[0].text == doc and mime_of(again.contents[0]) == mime)
    templates = await session.list_resource_templates()
    listed = getattr(templates, "resource_templates", None) or getattr(templates, "resourceTemplates", [])
    check("report template listed", any(getattr(t, "uri_template", None) == "csf://report/{id}"
                                        or getattr(t, "uriTemplate", None) == "csf://report/{id}" for t in listed))

    # Exports: 5 entries; gap rows of GV.OC (5).
    ex, _ = await ok(session, "export_data", {"profile_id": cur_id, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(ex.get("content", ""))))
    check("csv export rows", [r["subcategory_id"] for r in rows] == [f"GV.OC-0{i}" for i in range(1, 6)], str(rows)[:300])
    check("csv export statuses", [r["status"] for r in rows] == ["largely", "largely", "not_implemented", "fully", "partially"], str(rows)[:300])
    gx, _ = await ok(session, "export_data", {"profile_id": cur_id, "format": "json", "target_profile_id": tgt_id, "scope": ["GV.OC"]})
    gap_rows = json.loads(gx.get("content", "null"))
    weighted = sum(r.get("weighted_gap", 0) for r in (gap_rows.get("rows", []) if isinstance(gap_rows, dict) else gap_rows or []))
    check("gap export weighted total 17", weighted == 17, str(gx)[:300])


def subcategory_ids(framework):
    """Every active subcategory id in the csf://framework document."""
    found = []

    def walk(v):
        if isinstance(v, dict):
            i = v.get("id")
            if isinstance(i, str) and re.fullmatch(r"[A-Z]{2}\.[A-Z]{2}-\d\d", i) and v.get("status", "active") == "active":
                found.append(i)
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(framework)
    return sorted(set(found))


async def board_pages(session):
    """The executive HTML report of a whole assessment fits on two A4 pages."""
    org, _ = await ok(session, "create_organization", {"name": "Invented Regional Hospital Group", "size": "enterprise"})
    org_id = org["organization"]["id"]
    cur, _ = await ok(session, "create_profile", {"org_id": org_id, "kind": "current", "name": "Current state"})
    tgt, _ = await ok(session, "create_profile", {"org_id": org_id, "kind": "target", "name": "Target state"})
    framework = json.loads((await session.read_resource("csf://framework")).contents[0].text)
    ids = subcategory_ids(framework)
    check("106 subcategories", len(ids) == 106, str(len(ids)))
    levels = ["not_implemented", "partially", "largely"]
    current = [{"subcategory_id": s, "status": levels[i % 3], "maturity": i % 4, "owner": "Invented owner team"}
               for i, s in enumerate(ids)]
    target = [{"subcategory_id": s, "status": "fully", "priority": ["high", "medium", "low"][i % 3]}
              for i, s in enumerate(ids)]
    for half in (slice(0, 53), slice(53, None)):  # at most 100 entries per call
        await ok(session, "record_assessment", {"profile_id": cur["profile"]["id"], "entries": current[half]})
        await ok(session, "record_assessment", {"profile_id": tgt["profile"]["id"], "entries": target[half]})
    out, r = await ok(session, "generate_report", {
        "kind": "executive", "format": "html", "profile_id": cur["profile"]["id"],
        "target_profile_id": tgt["profile"]["id"], "capacity": 12, "hourly_rate": 150, "currency": "EUR"})
    _, _, page = embedded(r)
    if page and os.environ.get("CSF_KEEP_REPORT"):
        with open(os.environ["CSF_KEEP_REPORT"], "w", encoding="utf-8") as f:
            f.write(page)
    check("executive html", page is not None and page.startswith("<!DOCTYPE html>"), str(out)[:200])
    if page:
        pages, detail = print_check.a4_pages(page)
        check("executive report prints on at most two A4 pages", pages is not None and 1 <= pages <= 2, f"{pages} pages; {detail}")


async def main():
    async with stdio_session(sys.argv[1], sys.argv[2:]) as session:
        await engagement(session)
        await board_pages(session)


if __name__ == "__main__":
    run("engagement", main(), timeout=180)
