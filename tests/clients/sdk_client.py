"""What the clients driven by the official Python MCP SDK share: the tally of checks, the text
of a tool result, an initialized session over stdio or Streamable HTTP, and the entry point that
runs a test and reports 'LABEL: N passed, N failed' (exit status 1 on any failure).
"""

import asyncio
import contextlib
import sys
import traceback

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

RESULTS = {"passed": 0, "failed": 0}


def check(name, cond, detail=""):
    if cond:
        RESULTS["passed"] += 1
    else:
        RESULTS["failed"] += 1
        print(f"FAIL {name}: {detail}", file=sys.stderr)


def text_of(result):
    """The text parts of a tool result, joined."""
    return "".join(getattr(c, "text", "") for c in result.content if getattr(c, "type", "") == "text")


@contextlib.asynccontextmanager
async def stdio_session(command, args, env=None, elicitation_callback=None):
    """A session with the server started as `command args`, initialized."""
    params = StdioServerParameters(command=command, args=list(args), env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, elicitation_callback=elicitation_callback) as session:
            await session.initialize()
            yield session


@contextlib.asynccontextmanager
async def http_session(url, headers=None):
    """A session with the server at `url` over Streamable HTTP, initialized; with `headers`
    (e.g. Authorization), every request carries them."""
    from mcp.client.streamable_http import streamable_http_client

    if headers is None:
        async with streamable_http_client(url) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                yield session
        return
    import httpx2

    async with httpx2.AsyncClient(headers=headers, timeout=30) as client:
        async with streamable_http_client(url, http_client=client) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                yield session


def run(label, coroutine, timeout=None):
    """Runs `coroutine` (within `timeout` seconds), counts an exception as one failure, prints
    the tally and exits."""
    try:
        asyncio.run(asyncio.wait_for(coroutine, timeout=timeout) if timeout else coroutine)
    except Exception:  # noqa: BLE001 - any failure of the run is a test failure
        traceback.print_exc()
        RESULTS["failed"] += 1
    report(label)


def report(label):
    print(f"{label}: {RESULTS['passed']} passed, {RESULTS['failed']} failed")
    sys.exit(1 if RESULTS["failed"] else 0)
