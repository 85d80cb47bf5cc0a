"""Test support for the registry collector: its modules, and a transport that answers from the
recorded responses in registry_fixtures/ (shaped like the documented APIs, values invented)
instead of the network."""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "registry"))

import api  # noqa: E402,F401  (re-exported for the tests)
import charts  # noqa: E402,F401
import collect  # noqa: E402,F401
import history  # noqa: E402,F401
import sources  # noqa: E402,F401

FIXTURES = pathlib.Path(__file__).resolve().parent / "registry_fixtures"
CLOCK = 1796624220.0  # 2026-12-07T06:17:00Z
TOKEN = "test-token-not-a-secret"

HUB_REPOS = ("https://hub.docker.com/v2/namespaces/nist-csf-mcp/repositories"
             "?name=nist-csf-mcp&page_size=100")
HUB_TAGS = ("https://hub.docker.com/v2/namespaces/nist-csf-mcp/repositories/nist-csf-mcp/tags"
            "?page_size=100")
HUB_TAGS_2 = ("https://hub.docker.com/v2/namespaces/nist-csf-mcp/repositories/nist-csf-mcp/tags"
              "?page=2&page_size=100")
GH_REPO = "https://api.github.com/repos/nist-csf-mcp/nist-csf-mcp"
GHCR = ("https://api.github.com/orgs/nist-csf-mcp/packages/container/nist-csf-mcp/versions"
        "?per_page=100")
GHCR_2 = GHCR + "&page=2"
RELEASES = "https://api.github.com/repos/nist-csf-mcp/nist-csf-mcp/releases?per_page=100"

# Every source answering normally.
HEALTHY = {
    HUB_REPOS: ["hub_repositories"],
    HUB_TAGS: ["hub_tags_page1"],
    HUB_TAGS_2: ["hub_tags_page2"],
    GH_REPO: ["gh_repo"],
    GHCR: ["ghcr_versions_page1"],
    GHCR_2: ["ghcr_versions_page2"],
    RELEASES: ["gh_releases"],
}


def fixture(name):
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    body = data["body"]
    raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    return data["status"], dict(data["headers"]), raw


class FakeTransport:
    """Answers each URL with its next recorded response; records every request made. A URL
    with no response left raises OSError, as a failed connection would."""

    def __init__(self, scenario):
        self.queue = {url: list(names) for url, names in scenario.items()}
        self.requests = []

    def __call__(self, url, headers, timeout=30):
        self.requests.append((url, dict(headers)))
        names = self.queue.get(url)
        if not names:
            raise OSError(f"no recorded response left for {url}")
        return fixture(names.pop(0))


class FakeSleep:
    def __init__(self):
        self.calls = []

    def __call__(self, seconds):
        self.calls.append(seconds)


def client(scenario):
    transport, sleep = FakeTransport(scenario), FakeSleep()
    return api.Client(transport=transport, sleep=sleep, clock=lambda: CLOCK), transport, sleep


def run(scenario, token=TOKEN, clock=CLOCK):
    """(record, transport, sleep) of one collection against the recorded responses."""
    c, transport, sleep = client(scenario)
    record = collect.collect("nist-csf-mcp/nist-csf-mcp", "nist-csf-mcp/nist-csf-mcp",
                             "nist-csf-mcp", token, c, clock=lambda: clock)
    return record, transport, sleep


def with_(changes):
    """HEALTHY with some URLs answered differently."""
    out = dict(HEALTHY)
    out.update(changes)
    return out
