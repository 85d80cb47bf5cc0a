"""Drives an MCP server over Streamable HTTP with the official Python SDK (csf-transport tests).

Usage:
  http_transport_client.py URL --read-tool NAME --read-args JSON [--token T]
                           [--write-tool NAME --write-args JSON --expect-write-refused]

Initializes, lists tools, calls the read tool (must succeed), and with --expect-write-refused
checks that the write tool is refused (HTTP 403) for this token. Prints 'N passed, N failed'
and exits non-zero on any failure.
"""

import argparse
import asyncio
import json

import httpx2

from sdk_client import check, http_session, report, text_of

async def session_run(args, body):
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    async with http_session(args.url, headers) as session:
        await body(session)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--token")
    parser.add_argument("--read-tool", required=True)
    parser.add_argument("--read-args", default="{}")
    parser.add_argument("--write-tool")
    parser.add_argument("--write-args", default="{}")
    parser.add_argument("--expect-write-refused", action="store_true")
    args = parser.parse_args()

    async def reads(session):
        tools = await session.list_tools()
        names = [t.name for t in tools.tools]
        check("tools/list names the read tool", args.read_tool in names, names)
        result = await session.call_tool(args.read_tool, json.loads(args.read_args))
        check(f"{args.read_tool} succeeds", not result.is_error, text_of(result)[:300])
        # A second call on the same stateless connection must work too.
        again = await session.call_tool(args.read_tool, json.loads(args.read_args))
        check(f"{args.read_tool} again", not again.is_error, text_of(again)[:300])

    try:
        await session_run(args, reads)
    except Exception as exc:  # noqa: BLE001 - any transport failure is a test failure
        check("session", False, repr(exc)[:500])

    if args.write_tool and args.expect_write_refused:
        async def write(session):
            result = await session.call_tool(args.write_tool, json.loads(args.write_args))
            check(f"{args.write_tool} refused", False, f"write went through: {text_of(result)[:200]}")

        try:
            await asyncio.wait_for(session_run(args, write), timeout=30)
        except Exception as exc:  # noqa: BLE001 - the SDK surfaces the 403 as an error
            check(f"{args.write_tool} refused by the SDK", True, repr(exc))
        # The SDK hides the status; check the wire answer itself.
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                "params": {"name": args.write_tool, "arguments": json.loads(args.write_args)}}
        async with httpx2.AsyncClient(timeout=30) as client:
            answer = await client.post(args.url, json=body, headers={
                "Authorization": f"Bearer {args.token}",
                "Accept": "application/json, text/event-stream"})
        challenge = answer.headers.get("www-authenticate", "")
        check("write answered 403 insufficient_scope",
              answer.status_code == 403 and 'error="insufficient_scope"' in challenge,
              f"{answer.status_code} {challenge}")

    report("python-sdk http")


if __name__ == "__main__":
    asyncio.run(main())
