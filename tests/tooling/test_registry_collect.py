"""The registry collector against recorded API responses (no network): the exact record it
keeps, the requests it makes, and every failure reported as an error, never as a zero."""

import contextlib
import io
import json
import os
import pathlib
import tempfile
import unittest
from unittest import mock

import registry_fake as f
from registry_fake import (GH_REPO, GHCR, GHCR_2, HEALTHY, HUB_REPOS, HUB_TAGS, HUB_TAGS_2,
                           RELEASES)

HUB_IMAGE = "sha256:aaaa000000000000000000000000000000000000000000000000000000000001"

EXPECTED_SOURCES = {
    "dockerhub_repository": {
        "status": "ok",
        "endpoint": HUB_REPOS,
        "pull_count": 4321,
        "last_updated": "2026-12-01T09:12:44.118203Z",
    },
    "dockerhub_tags": {
        "status": "ok",
        "endpoint": HUB_TAGS,
        "tags": [
            {"name": "latest", "digest": HUB_IMAGE, "status": "active",
             "last_updated": "2026-12-01T09:12:44.118203Z",
             "tag_last_pulled": "2026-12-06T22:41:09.553120841Z",
             "tag_last_pushed": "2026-12-01T09:12:44.118203Z",
             "images": [
                 {"architecture": "amd64", "variant": None, "os": "linux",
                  "digest": "sha256:bbbb000000000000000000000000000000000000000000000000000000000001",
                  "last_pulled": "2026-12-06T22:41:09.553120841Z"},
                 {"architecture": "arm64", "variant": "v8", "os": "linux",
                  "digest": "sha256:cccc000000000000000000000000000000000000000000000000000000000001",
                  "last_pulled": "2026-11-30T03:05:00.000000Z"}]},
            {"name": "v0.2.0", "digest": HUB_IMAGE, "status": "active",
             "last_updated": "2026-12-01T09:12:44.118203Z",
             "tag_last_pulled": "2026-12-05T06:17:00Z",
             "tag_last_pushed": "2026-12-01T09:12:44.118203Z", "images": []},
            {"name": "v0.1.0", "status": "inactive",
             "digest": "sha256:aaaa000000000000000000000000000000000000000000000000000000000002",
             "last_updated": "2026-09-20T10:00:00.000000Z",
             "tag_last_pulled": "2026-10-08T06:17:00.000000Z",
             "tag_last_pushed": "2026-09-20T10:00:00.000000Z", "images": []},
            {"name": "pr-7", "status": "inactive",
             "digest": "sha256:aaaa000000000000000000000000000000000000000000000000000000000003",
             "last_updated": "2026-11-02T14:00:00.000000Z", "tag_last_pulled": None,
             "tag_last_pushed": "2026-11-02T14:00:00.000000Z", "images": []},
            # The API sent no tag_last_pulled at all: kept apart from "never pulled" (null).
            {"name": "main", "status": "active",
             "digest": "sha256:aaaa000000000000000000000000000000000000000000000000000000000004",
             "last_updated": "2026-12-04T18:30:00.000000Z", "tag_last_pulled": None,
             "tag_last_pushed": "2026-12-04T18:30:00.000000Z", "images": [],
             "missing": ["tag_last_pulled"]},
        ],
    },
    "ghcr_versions": {
        "status": "ok",
        "endpoint": GHCR,
        "versions": [
            {"id": 3100002, "digest": HUB_IMAGE, "tags": ["v0.2.0", "v0.2", "v0", "latest"],
             "created_at": "2026-12-01T09:12:30Z", "updated_at": "2026-12-01T09:12:30Z"},
            {"id": 3100001, "tags": ["v0.1.0", "v0.1"],
             "digest": "sha256:aaaa000000000000000000000000000000000000000000000000000000000002",
             "created_at": "2026-09-20T09:59:00Z", "updated_at": "2026-09-20T09:59:00Z"},
            {"id": 3100000, "tags": [],
             "digest": "sha256:dddd000000000000000000000000000000000000000000000000000000000009",
             "created_at": "2026-09-19T17:00:00Z", "updated_at": "2026-09-19T17:00:00Z"},
        ],
    },
    "release_assets": {
        "status": "ok",
        "endpoint": RELEASES,
        # The draft v0.3.0-rc.1 is not here: drafts are not public.
        "releases": [
            {"tag": "v0.2.0", "published_at": "2026-12-01T09:25:00Z", "prerelease": False,
             "assets": [
                 {"name": "nist-csf-mcp-amd64.docker.tar", "download_count": 41,
                  "size": 7708160, "arch": "amd64"},
                 {"name": "nist-csf-mcp-arm64.docker.tar", "download_count": 17,
                  "size": 6577152, "arch": "arm64"},
                 {"name": "nist-csf-mcp-multiarch.oci.tar", "download_count": 5,
                  "size": 7290000, "arch": "multiarch"},
                 {"name": "SHA256SUMS", "download_count": 60, "size": 420, "arch": None},
                 {"name": "nist-csf-mcp.cdx.json", "download_count": 3, "size": 81234,
                  "arch": None}]},
            {"tag": "v0.1.0", "published_at": "2026-09-20T10:10:00Z", "prerelease": False,
             "assets": [
                 {"name": "nist-csf-mcp-amd64.docker.tar", "download_count": 130,
                  "size": 7700000, "arch": "amd64"},
                 {"name": "nist-csf-mcp-arm64.docker.tar", "download_count": 22,
                  "size": 6570000, "arch": "arm64"},
                 {"name": "nist-csf-mcp-multiarch.oci.tar", "download_count": 9,
                  "size": 7280000, "arch": "multiarch"}]},
        ],
    },
}


def no_number_in(entry):
    """True if an error entry is its status and error only: none of the figures a healthy read
    would have (pull_count, tags, versions, releases) stands in it."""
    return set(entry) == {"status", "error"}


class RecordTest(unittest.TestCase):
    def test_healthy_run_records_exactly_what_the_apis_said(self):
        record, _, sleep = f.run(HEALTHY)
        self.assertEqual(record["schema"], 1)
        self.assertEqual(record["collected_at"], "2026-12-07T06:17:00Z")
        self.assertEqual(record["targets"], {"dockerhub": "nist-csf-mcp/nist-csf-mcp",
                                             "github": "nist-csf-mcp/nist-csf-mcp",
                                             "ghcr_package": "nist-csf-mcp"})
        self.assertEqual(record["sources"], EXPECTED_SOURCES)
        self.assertEqual(set(record["not_available"]),
                         {"geography", "ghcr_pulls", "dockerhub_pulls_per_tag_and_platform",
                          "monthly_pulls", "unique_users"})
        self.assertIn("never estimated", record["not_available"]["geography"])
        self.assertEqual(sleep.calls, [])

    def test_history_line_is_the_record_as_one_sorted_compact_json_line(self):
        record, _, _ = f.run(HEALTHY)
        with tempfile.TemporaryDirectory() as d:
            path = pathlib.Path(d, "history.jsonl")
            f.history.append(path, record)
            lines = path.read_text(encoding="utf-8").split("\n")
        self.assertEqual(lines[1:], [""])
        self.assertEqual(lines[0], json.dumps(record, sort_keys=True, separators=(",", ":")))
        self.assertEqual(json.loads(lines[0]), record)

    def test_requests_follow_pages_and_send_the_token_to_github_only(self):
        _, transport, _ = f.run(HEALTHY)
        urls = [u for u, _ in transport.requests]
        self.assertEqual(sorted(urls), sorted([HUB_REPOS, HUB_TAGS, HUB_TAGS_2, RELEASES,
                                               GH_REPO, GHCR, GHCR_2]))
        for url, headers in transport.requests:
            auth = headers.get("Authorization")
            if url.startswith("https://api.github.com/"):
                self.assertEqual(auth, f"Bearer {f.TOKEN}", url)
                self.assertEqual(headers["X-GitHub-Api-Version"], "2022-11-28")
            else:
                self.assertIsNone(auth, url)
            self.assertTrue(headers["User-Agent"])


class FailureTest(unittest.TestCase):
    def test_429_with_a_long_retry_after_is_an_error_not_a_zero(self):
        record, transport, sleep = f.run(f.with_({HUB_REPOS: ["hub_429_long"]}))
        entry = record["sources"]["dockerhub_repository"]
        self.assertEqual(entry["status"], "error")
        self.assertEqual(entry["error"], {
            "kind": "rate_limited",
            "message": f"GET {HUB_REPOS}: HTTP 429 rate limited (Rate limit exceeded)",
            "url": HUB_REPOS, "http_status": 429, "attempts": 1,
            "retry_after": "3600", "wait_s": 3600})
        self.assertTrue(no_number_in(entry))
        self.assertEqual(sleep.calls, [])  # an hour is reported, not slept through
        self.assertEqual([u for u, _ in transport.requests].count(HUB_REPOS), 1)
        # The other sources are still read.
        self.assertEqual(record["sources"]["dockerhub_tags"], EXPECTED_SOURCES["dockerhub_tags"])
        self.assertEqual(record["sources"]["release_assets"], EXPECTED_SOURCES["release_assets"])

    def test_429_with_a_short_retry_after_waits_once_and_reads(self):
        record, _, sleep = f.run(f.with_({HUB_REPOS: ["hub_429_short", "hub_repositories"]}))
        self.assertEqual(sleep.calls, [2])
        self.assertEqual(record["sources"]["dockerhub_repository"],
                         EXPECTED_SOURCES["dockerhub_repository"])

    def test_docker_hub_x_retry_after_is_a_unix_time(self):
        record, _, sleep = f.run(f.with_({HUB_TAGS: ["hub_429_x_retry_after"]}))
        err = record["sources"]["dockerhub_tags"]["error"]
        self.assertEqual((err["kind"], err["x_retry_after"], err["wait_s"]),
                         ("rate_limited", "1796625420", 1200))
        self.assertEqual(sleep.calls, [])

    def test_a_rate_limit_on_page_two_fails_the_whole_source(self):
        record, _, _ = f.run(f.with_({HUB_TAGS_2: ["hub_429_long"]}))
        entry = record["sources"]["dockerhub_tags"]
        self.assertEqual((entry["status"], entry["error"]["url"]), ("error", HUB_TAGS_2))
        self.assertTrue(no_number_in(entry))  # no partial tag list posing as the whole

    def test_github_403_with_spent_quota_is_a_rate_limit(self):
        record, _, sleep = f.run(f.with_({RELEASES: ["gh_403_rate_limited"]}))
        err = record["sources"]["release_assets"]["error"]
        self.assertEqual(err["kind"], "rate_limited")
        self.assertEqual(err["http_status"], 403)
        self.assertEqual(err["ratelimit_reset"], "1796626020")
        self.assertEqual(err["wait_s"], 1800)
        self.assertIn("API rate limit exceeded", err["message"])
        self.assertEqual(sleep.calls, [])

    def test_server_errors_are_retried_once_then_reported(self):
        record, _, sleep = f.run(f.with_({GHCR: ["server_503", "server_503"]}))
        err = record["sources"]["ghcr_versions"]["error"]
        self.assertEqual((err["kind"], err["http_status"], err["attempts"]),
                         ("server_error", 503, 2))
        self.assertEqual(sleep.calls, [5])

    def test_a_network_failure_is_reported(self):
        record, _, _ = f.run(f.with_({RELEASES: []}))
        err = record["sources"]["release_assets"]["error"]
        self.assertEqual((err["kind"], err["attempts"]), ("network", 2))
        self.assertIn("no recorded response left", err["message"])

    def test_bad_credentials_are_an_auth_error(self):
        record, _, _ = f.run(f.with_({GH_REPO: ["gh_401"]}))
        err = record["sources"]["ghcr_versions"]["error"]
        self.assertEqual((err["kind"], err["http_status"]), ("auth", 401))
        self.assertIn("Bad credentials", err["message"])

    def test_no_token_makes_ghcr_unavailable_and_asks_nothing(self):
        record, transport, _ = f.run(HEALTHY, token="")
        self.assertEqual(record["sources"]["ghcr_versions"], {
            "status": "unavailable",
            "reason": "no GITHUB_TOKEN: the packages API needs a token with read:packages"})
        urls = [u for u, _ in transport.requests]
        self.assertNotIn(GHCR, urls)
        self.assertNotIn(GH_REPO, urls)
        for url, headers in transport.requests:
            self.assertNotIn("Authorization", headers, url)
        self.assertEqual(record["sources"]["release_assets"], EXPECTED_SOURCES["release_assets"])

    def test_missing_pull_count_is_an_error_not_a_zero(self):
        record, _, _ = f.run(f.with_({HUB_REPOS: ["hub_repositories_no_pull_count"]}))
        entry = record["sources"]["dockerhub_repository"]
        self.assertEqual(entry["status"], "error")
        self.assertEqual((entry["error"]["kind"], entry["error"]["field"]),
                         ("missing_field", "pull_count"))
        self.assertTrue(no_number_in(entry))

    def test_missing_download_count_is_kept_as_missing(self):
        record, _, _ = f.run(f.with_({RELEASES: ["gh_releases_missing_count"]}))
        assets = record["sources"]["release_assets"]["releases"][0]["assets"]
        self.assertEqual(assets[1], {"name": "nist-csf-mcp-arm64.docker.tar",
                                     "download_count": None, "size": 6577152, "arch": "arm64",
                                     "missing": ["download_count"]})

    def test_a_next_page_on_another_host_is_not_followed(self):
        record, transport, _ = f.run(f.with_({HUB_TAGS: ["hub_tags_next_elsewhere"]}))
        err = record["sources"]["dockerhub_tags"]["error"]
        self.assertEqual(err["kind"], "bad_response")
        self.assertIn("elsewhere.example", err["message"])
        self.assertFalse(any("elsewhere" in u for u, _ in transport.requests))

    def test_an_answer_that_is_not_json_is_a_bad_response(self):
        record, _, _ = f.run(f.with_({GH_REPO: ["gh_repo_not_json"]}))
        err = record["sources"]["ghcr_versions"]["error"]
        self.assertEqual((err["kind"], err["http_status"]), ("bad_response", 200))

    def test_endless_pages_are_cut_and_reported(self):
        c, _, _ = f.client(HEALTHY)
        c.max_pages = 1  # the recorded tag list has two pages
        entry = f.sources.read(f.sources.dockerhub_tags, c, "nist-csf-mcp", "nist-csf-mcp")
        self.assertEqual(entry["status"], "error")
        self.assertEqual(entry["error"]["kind"], "too_many_pages")

    def test_collect_command_writes_the_record_and_exits_3_on_a_failed_source(self):
        c, _, _ = f.client(f.with_({HUB_REPOS: ["hub_429_long"]}))
        original = f.collect.make_client
        f.collect.make_client = lambda: c
        try:
            err = io.StringIO()
            with tempfile.TemporaryDirectory() as d, contextlib.redirect_stderr(err), \
                    mock.patch.dict(os.environ, {"GITHUB_TOKEN": f.TOKEN}):
                out = pathlib.Path(d, "record.json")
                code = f.collect.main(["collect", "--record", str(out),
                                       "--dockerhub", "nist-csf-mcp/nist-csf-mcp",
                                       "--github", "nist-csf-mcp/nist-csf-mcp",
                                       "--package", "nist-csf-mcp"])
                record = json.loads(out.read_text(encoding="utf-8"))
        finally:
            f.collect.make_client = original
        self.assertEqual(code, 3)
        self.assertIn("registry-stats: dockerhub_repository error: rate_limited", err.getvalue())
        self.assertEqual(record["sources"]["dockerhub_repository"]["error"]["kind"],
                         "rate_limited")
        self.assertEqual(record["sources"]["ghcr_versions"], EXPECTED_SOURCES["ghcr_versions"])


class LinkHeaderTest(unittest.TestCase):
    def test_next_link(self):
        self.assertEqual(f.api.next_link('<https://a/x?page=2>; rel="next", '
                                         '<https://a/x?page=9>; rel="last"'), "https://a/x?page=2")
        self.assertIsNone(f.api.next_link('<https://a/x?page=1>; rel="prev"'))
        self.assertIsNone(f.api.next_link(""))


if __name__ == "__main__":
    unittest.main()
