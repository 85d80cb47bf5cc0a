"""Drives a whole assessment campaign with the official Python MCP SDK over stdio.

Usage: campaign_test.py <server-binary> <empty-dir>

Two assessors at once on one SQLite file, from two server processes: alice answers through
elicitation forms (the client declares the capability and answers in its callback), bob
without the capability through ordinary tool calls. alice declines a form (the campaign
pauses), the servers restart, alice resumes; a reviewer sends an item back, alice answers it
again, the reviewer signs off. The resulting profile, its history and the audit trail are
checked exactly. Prints 'N passed, N failed' and exits non-zero on any failure.
"""

import asyncio
import collections
import json
import os
import sys

import mcp.types as types

from sdk_client import check, run, stdio_session, text_of

async def ok(session, name, args):
    r = await session.call_tool(name, args)
    if r.is_error:
        raise AssertionError(f"{name} {args}: {text_of(r)[:400]}")
    return r.structured_content or {}


class Forms:
    """An elicitation callback answering from a table, declining after `decline_after` forms."""

    def __init__(self, answers, decline_after=None):
        self.answers = answers
        self.decline_after = decline_after
        self.asked = []

    async def __call__(self, context, params):
        qid = params.message.split(" ")[0]
        self.asked.append(qid)
        schema = params.requested_schema
        check(f"form {qid} enumerates choices",
              "enum" in schema["properties"]["answer"] and
              schema["properties"]["confidence"]["enum"] == ["low", "medium", "high"], str(schema))
        if self.decline_after is not None and len(self.asked) > self.decline_after:
            return types.ElicitResult(action="decline")
        return types.ElicitResult(action="accept", content=self.answers(qid))


def alice_answers(status):
    def answer(qid):
        if qid.endswith(":implementation"):
            return {"answer": status(qid), "confidence": "high", "notes": f"alice on {qid}"}
        return {"answer": "documented", "confidence": "medium"}
    return answer


async def session_for(binary, db, principal, callback, body):
    env = {**os.environ, "CSF_PRINCIPAL": principal, "CSF_LOG": "warn"}
    async with stdio_session(binary, ["serve", "--db", db], env, callback) as s:
        return await body(s)


async def bob_by_tool_calls(s, campaign):
    run = await ok(s, "run_campaign_questions", {"campaign_id": campaign, "assessor": "bob"})
    check("bob without elicitation gets tool_calls", run["mode"] == "tool_calls", str(run)[:300])
    first = run["questions"]["questions"][0]
    check("questions carry their context",
          first["question_id"] == "PR.AA-01:implementation" and first["context"]["outcome"]
          and first["context"]["levels"], str(first)[:300])
    done = 0
    while True:
        nxt = await ok(s, "next_campaign_questions",
                       {"campaign_id": campaign, "assessor": "bob", "include_context": False})
        if not nxt["questions"]:
            return done
        qid = nxt["questions"][0]["question_id"]
        if qid == "PR.AA-01:evidence":
            item = {"question_id": qid, "skip_reason": "auditor's report not yet in"}
        elif qid.endswith(":implementation"):
            item = {"question_id": qid, "answer": "partially", "confidence": "low"}
        else:
            item = {"question_id": qid, "answer": "tested"}
        await ok(s, "answer_campaign_questions",
                 {"campaign_id": campaign, "assessor": "bob", "answers": [item]})
        done += 1
        await asyncio.sleep(0)


async def main(binary, workdir):
    db = os.path.join(workdir, "campaign.db")

    async def setup(s):
        org = await ok(s, "create_organization", {"name": "Campaign SDK org", "size": "small"})
        prof = await ok(s, "create_profile", {"org_id": org["organization"]["id"],
                                              "kind": "current", "name": "Now"})
        camp = await ok(s, "create_assessment_campaign", {
            "profile_id": prof["profile"]["id"], "name": "Annual", "categories": ["GV.OC", "PR.AA"],
            "assessors": [{"name": "alice", "areas": ["GV.OC"]}, {"name": "bob", "areas": ["PR.AA"]}],
            "due_date": "2026-12-31", "start": True})
        tools = {t.name: t for t in (await s.list_tools()).tools}
        check("campaign tools have output schemas and annotations",
              all(tools[n].output_schema and tools[n].annotations for n in
                  ["run_campaign_questions", "sign_off_campaign", "review_campaign"]))
        check("sign-off is a write", tools["sign_off_campaign"].annotations.read_only_hint is False)
        prompts = {p.name for p in (await s.list_prompts()).prompts}
        check("campaign prompt listed", "run_assessment_campaign" in prompts, str(prompts))
        templates = [t.uri_template for t in (await s.list_resource_templates()).resource_templates]
        check("campaign resource template", "csf://campaign/{id}" in templates, str(templates))
        return prof["profile"]["id"], camp["campaign_id"]

    profile, campaign = await session_for(binary, db, "setup", None, setup)

    # Both assessors at once, one server process each on the same file.
    forms = Forms(alice_answers(lambda q: "largely"), decline_after=3)

    async def alice_first(s):
        return await ok(s, "run_campaign_questions", {"campaign_id": campaign, "assessor": "alice"})

    alice_run, bob_done = await asyncio.gather(
        session_for(binary, db, "alice-client", forms, alice_first),
        session_for(binary, db, "bob-client", None, lambda s: bob_by_tool_calls(s, campaign)))
    check("alice answered through forms", alice_run["mode"] == "elicitation"
          and alice_run["recorded"] == ["GV.OC-01:implementation", "GV.OC-01:evidence",
                                        "GV.OC-02:implementation"], str(alice_run))
    check("declining pauses", alice_run["paused"] and "declined at GV.OC-02:evidence"
          in alice_run["paused"] and alice_run["remaining_for_assessor"] == 7, str(alice_run))
    check("bob answered all of his", bob_done == 12, str(bob_done))

    # The servers are gone; a new one resumes where alice stopped.
    forms2 = Forms(alice_answers(lambda q: "largely"))

    async def alice_resume(s):
        doc = await s.read_resource(f"csf://campaign/{campaign}")
        state = json.loads(doc.contents[0].text)
        check("resource shows the paused campaign", state["state"] == "in_progress"
              and state["progress"]["overall"]["remaining"] == 7, str(state)[:300])
        prompt = await s.get_prompt("run_assessment_campaign",
                                    {"assessor": "alice", "campaign_id": campaign})
        check("prompt resumes", campaign in prompt.messages[0].content.text)
        return await ok(s, "run_campaign_questions", {"campaign_id": campaign, "assessor": "alice"})

    resumed = await session_for(binary, db, "alice-client", forms2, alice_resume)
    check("resume starts at the declined form", forms2.asked[0] == "GV.OC-02:evidence"
          and len(resumed["recorded"]) == 7 and resumed["paused"] is None
          and resumed["remaining_for_assessor"] == 0, str(resumed))

    async def review(s):
        await ok(s, "set_campaign_state", {"campaign_id": campaign, "to": "in_review"})
        rv = await ok(s, "review_campaign", {"campaign_id": campaign})
        check("low confidence listed", sorted(f["question_id"] for f in rv["low_confidence"])
              == [f"PR.AA-0{i}:implementation" for i in range(1, 7)], str(rv["low_confidence"]))
        check("answers without evidence listed", len(rv["without_evidence"]) == 11)
        check("skip reason shown", rv["skipped"] == [{"question_id": "PR.AA-01:evidence",
              "answered_by": "bob", "why": "auditor's report not yet in"}], str(rv["skipped"]))
        check("changes since last cycle", len(rv["changes_since_last_cycle"]) == 21
              and rv["last_cycle"] is None, str(len(rv["changes_since_last_cycle"])))
        back = await ok(s, "send_back_campaign_items", {"campaign_id": campaign, "items": [
            {"question_id": "GV.OC-02:implementation", "reason": "is it not fully done?"}]})
        check("sent back to in_progress", back["state"] == "in_progress")

    await session_for(binary, db, "reviewer", None, review)

    forms3 = Forms(alice_answers(lambda q: "fully"))

    async def alice_again(s):
        return await ok(s, "run_campaign_questions", {"campaign_id": campaign, "assessor": "alice"})

    again = await session_for(binary, db, "alice-client", forms3, alice_again)
    check("the sent-back item reappears", forms3.asked == ["GV.OC-02:implementation"]
          and again["recorded"] == ["GV.OC-02:implementation"], str(again))

    async def sign(s):
        await ok(s, "set_campaign_state", {"campaign_id": campaign, "to": "in_review"})
        out = await ok(s, "sign_off_campaign", {"campaign_id": campaign, "cycle_date": "2026-11-30"})
        check("signed off", out["campaign"]["state"] == "signed_off" and out["created"] == 11,
              str(out)[:300])
        got = await ok(s, "get_assessment", {"profile_id": profile, "include_history": True,
                                             "limit": 200})
        trail = await ok(s, "get_audit_trail", {"limit": 200})
        camp = await ok(s, "get_assessment_campaign",
                        {"campaign_id": campaign, "include_history": True})
        return got, trail, camp

    got, trail, camp = await session_for(binary, db, "reviewer", None, sign)

    entries = {e["subcategory_id"]: (e["status"], e["confidence"], e["assessed_by"],
                                     e["assessed_on"], e["updated_by"]) for e in got["entries"]}
    expected = {}
    for i in range(1, 6):
        status = "fully" if i == 2 else "largely"
        expected[f"GV.OC-0{i}"] = (status, "medium", "alice", "2026-11-30", "reviewer")
    for i in range(1, 7):
        conf = None if i == 1 else "high"
        expected[f"PR.AA-0{i}"] = ("partially", conf, "bob", "2026-11-30", "reviewer")
    check("profile exactly", entries == expected, json.dumps(entries))
    hist = [(h["subcategory_id"], h["change"], h["changed_by"]) for h in got["history"]]
    check("history exactly", sorted(hist) == sorted((s, "created", "reviewer") for s in expected),
          str(hist))
    rows = collections.Counter((r["tool"], r["principal"], r["result"]) for r in trail["records"])
    want = collections.Counter({
        ("create_organization", "setup", "ok"): 1,
        ("create_profile", "setup", "ok"): 1,
        ("create_assessment_campaign", "setup", "ok"): 1,
        ("run_campaign_questions", "alice-client", "ok"): 3,
        ("run_campaign_questions", "bob-client", "ok"): 1,
        ("answer_campaign_questions", "bob-client", "ok"): 12,
        ("set_campaign_state", "reviewer", "ok"): 2,
        ("send_back_campaign_items", "reviewer", "ok"): 1,
        ("sign_off_campaign", "reviewer", "ok"): 1,
    })
    check("audit trail exactly", rows == want, str(rows))
    check("sign-off is the newest audit row", trail["records"][0]["tool"] == "sign_off_campaign")
    kinds = collections.Counter(e["kind"] for e in camp["history"])
    check("campaign log", kinds == collections.Counter({
        "created": 1, "answered": 10 + 1 + 11, "skipped": 1, "in_review": 2, "sent_back": 2,
        "signed_off": 1}), str(kinds))


if __name__ == "__main__":
    run("campaign", main(sys.argv[1], sys.argv[2]))
