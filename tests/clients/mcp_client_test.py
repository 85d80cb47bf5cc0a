"""Drives nist-csf-mcp with the official Python MCP SDK, as a real client would.

Usage:
  mcp_client_test.py stdio <server-binary> [args...]
  mcp_client_test.py http <url>            (e.g. http://127.0.0.1:8080/mcp)

Covers initialize, tools/list, every framework tool with valid and invalid input (the SDK
itself validates structuredContent against each tool's outputSchema), resources, templates and
completions. Prints 'N passed, N failed' and exits non-zero on any failure.
"""

import json
import sys

import mcp.types as types

from sdk_client import check, http_session, run, stdio_session, text_of

async def ok(session, name, args):
    r = await session.call_tool(name, args)
    check(f"{name} {args} ok", not r.is_error, text_of(r)[:300])
    check(f"{name} structured", isinstance(r.structured_content, dict), str(r)[:300])
    return r.structured_content or {}


async def refused(session, name, args, needle):
    r = await session.call_tool(name, args)
    msg = text_of(r)
    check(f"{name} {str(args)[:60]} refused", r.is_error and needle in msg, msg[:300])


async def exercise(session):
    init = session.initialize_result
    check("server name", init.server_info.name == "nist-csf-mcp", str(init.server_info))
    check("instructions", bool(init.instructions) and "CSF" in init.instructions)

    tools = (await session.list_tools()).tools
    names = {t.name for t in tools}
    expected = {"csf_lookup", "search_framework", "list_framework", "get_implementation_examples",
                "csf_crosswalk", "get_related_subcategories", "get_informative_references",
                "create_organization", "create_profile", "record_assessment", "get_assessment",
                "import_assessment", "get_audit_trail", "delete_profile"}
    check("tools listed", expected <= names, str(names))
    for t in tools:
        check(f"{t.name} has outputSchema", t.output_schema is not None and t.output_schema.get("type") == "object")
        check(f"{t.name} annotated", t.annotations is not None and t.annotations.read_only_hint is not None)
        check(f"{t.name} flat", "$ref" not in json.dumps(t.input_schema) and "$defs" not in json.dumps(t.input_schema))

    v = await ok(session, "csf_lookup", {"id": "gv.oc-1"})
    check("lookup normalised", v.get("id") == "GV.OC-01", str(v)[:200])
    await refused(session, "csf_lookup", {"id": "GV.OC-99"}, "did you mean")
    await refused(session, "csf_lookup", {"id": 12}, "string")

    v = await ok(session, "search_framework", {"query": "MFA", "limit": 3})
    check("MFA finds PR.AA-03", any(r["id"] == "PR.AA-03" for r in v.get("results", [])), str(v)[:300])
    await refused(session, "search_framework", {"query": "x", "limit": 500}, "between 1 and 50")

    v = await ok(session, "list_framework", {"view": "counts"})
    c = v.get("counts", {})
    check("counts", (c.get("functions"), c.get("categories"), c.get("subcategories"), c.get("implementation_examples")) == (6, 22, 106, 363), str(c))
    await refused(session, "list_framework", {"function": "XX"}, "unknown")

    v = await ok(session, "get_implementation_examples", {"id": "PR.AA-03"})
    check("examples", v.get("total", 0) >= 1 and len(v.get("examples", [])) == v.get("total"), str(v)[:200])
    await refused(session, "get_implementation_examples", {"id": "ID.BE-01"}, "withdrawn")

    v = await ok(session, "csf_crosswalk", {"id": "ID.BE-1"})
    check("crosswalk forward", v.get("direction") == "csf11_to_csf20" and v.get("successors"), str(v)[:300])
    v = await ok(session, "csf_crosswalk", {"id": "GV.OC-05"})
    check("crosswalk reverse", v.get("direction") == "csf20_to_csf11", str(v)[:300])
    await refused(session, "csf_crosswalk", {}, "missing field")

    v = await ok(session, "get_related_subcategories", {"id": "DE.CM-01", "limit": 4})
    check("related", 0 < len(v.get("related", [])) <= 4, str(v)[:300])
    await refused(session, "get_related_subcategories", {"id": "DE"}, "subcategory")

    v = await ok(session, "get_informative_references", {"id": "PR.AA-03", "dataset": "sp800-53r5.2.0"})
    check("references forward", v.get("direction") == "from_csf" and v["datasets"][0]["dataset"]["short_name"] == "SP 800-53 Rev 5.2.0", str(v)[:300])
    v = await ok(session, "get_informative_references", {"id": "ia-2"})
    check("references reverse", any(c["id"] == "PR.AA-03" for c in v.get("cited_by", [])), str(v)[:300])
    await refused(session, "get_informative_references", {"id": "QQ-77"}, "nearest")
    v = await ok(session, "compare_sp800_53_mappings", {})
    check("5.2.0 changes", len(v.get("changes", [])) > 0, str(v)[:200])
    body = await session.read_resource("csf://references/ssdf")
    check("mapping resource", json.loads(body.contents[0].text)["short_name"] == "SSDF")
    comp = await session.complete(types.ResourceTemplateReference(uri="csf://references/{dataset}"), {"name": "dataset", "value": "sp800-5"})
    check("dataset completion", "sp800-53r5.2.0" in comp.completion.values, str(comp)[:200])

    res = (await session.list_resources()).resources
    check("resources", any(str(r.uri) == "csf://framework" for r in res), str(res)[:200])
    tmpl = (await session.list_resource_templates()).resource_templates
    check("templates", any(t.uri_template == "csf://element/{id}" for t in tmpl), str(tmpl)[:200])
    body = await session.read_resource("csf://framework")
    doc = json.loads(body.contents[0].text)
    check("framework resource", doc["counts"]["subcategories"] == 106)
    body = await session.read_resource("csf://element/RS.MA-01")
    check("element resource", json.loads(body.contents[0].text)["id"] == "RS.MA-01")
    try:
        await session.read_resource("csf://element/NOPE-1")
        check("unknown resource refused", False, "no error")
    except Exception as e:  # the SDK raises on a JSON-RPC error
        check("unknown resource refused", "unknown" in str(e).lower(), str(e))

    comp = await session.complete(types.ResourceTemplateReference(uri="csf://element/{id}"), {"name": "id", "value": "rs.m"})
    check("completion", "RS.MA" in comp.completion.values and "RS.MA-01" in comp.completion.values, str(comp)[:200])

    # Assessments end to end: organization -> profiles -> record -> read back -> history.
    org = await ok(session, "create_organization", {"name": "Client Test Org", "size": "small"})
    org_id = org["organization"]["id"]
    prof = await ok(session, "create_profile", {"org_id": org_id, "kind": "current", "name": "Now"})
    pid = prof["profile"]["id"]
    rec = await ok(session, "record_assessment", {"profile_id": pid, "entries": [
        {"subcategory_id": "GV.OC-01", "status": "partially", "maturity": 2},
        {"subcategory_id": "ID.AM-01", "status": "fully"}]})
    check("recorded", rec.get("counts", {}).get("created") == 2, str(rec)[:200])
    await ok(session, "record_assessment", {"profile_id": pid, "entries": [
        {"subcategory_id": "GV.OC-01", "status": "largely", "maturity": 3}]})
    got = await ok(session, "get_assessment", {"profile_id": pid, "include_history": True})
    gv = [e for e in got.get("entries", []) if e["subcategory_id"] == "GV.OC-01"]
    check("read back", gv and gv[0]["status"] == "largely" and gv[0]["version"] == 2, str(got)[:300])
    check("history", len([h for h in got.get("history", []) if h["subcategory_id"] == "GV.OC-01"]) == 2, str(got.get("history"))[:300])
    await refused(session, "record_assessment", {"profile_id": pid, "entries": [{"subcategory_id": "ID.BE-01", "status": "fully"}]}, "GV.OC-05")
    body = await session.read_resource(f"csf://profile/{pid}")
    check("profile resource", len(json.loads(body.contents[0].text)["entries"]) == 2)
    audit = await ok(session, "get_audit_trail", {"org_id": org_id})
    check("audit", len(audit.get("records", [])) >= 1, str(audit)[:200])

    try:
        await session.call_tool("no_such_tool", {})
        check("unknown tool is a protocol error", False, "no error")
    except Exception as e:
        check("unknown tool is a protocol error", "unknown tool" in str(e), str(e))


async def main():
    mode = sys.argv[1]
    if mode == "stdio":
        async with stdio_session(sys.argv[2], sys.argv[3:]) as session:
            await exercise(session)
    elif mode == "http":
        async with http_session(sys.argv[2]) as session:
            await exercise(session)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    run("python-sdk", main(), timeout=120)
