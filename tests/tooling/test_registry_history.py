"""Figures derived from the registry history and the SVG charts drawn from them: monthly pulls
from two named records (or "not enough history"), versions still pulled, the amd64/arm64
split; failed reads are left out and said so, never drawn as zero."""

import contextlib
import copy
import io
import json
import pathlib
import tempfile
import unittest
import xml.etree.ElementTree as ET

import registry_fake as f

SVG = "{http://www.w3.org/2000/svg}"
HEALTHY_RECORD = f.run(f.HEALTHY)[0]


def record(at, pull_count=None, error=None):
    """A record at `at` whose Docker Hub count is `pull_count`, or whose read failed."""
    rec = copy.deepcopy(HEALTHY_RECORD)
    rec["collected_at"] = at
    if error:
        rec["sources"]["dockerhub_repository"] = {"status": "error", "error": error}
    else:
        rec["sources"]["dockerhub_repository"]["pull_count"] = pull_count
    return rec


RATE_LIMITED = {"kind": "rate_limited", "message": "GET ...: HTTP 429 rate limited",
                "http_status": 429}
SERIES = [
    record("2026-09-28T06:17:00Z", 1000),
    record("2026-10-05T06:17:00Z", 1100),
    record("2026-10-26T06:17:00Z", 1900),
    record("2026-11-02T06:17:00Z", error=RATE_LIMITED),
    record("2026-11-30T06:17:00Z", 3400),
    record("2026-12-07T06:17:00Z", 3600),
]


def parse(svg_text):
    root = ET.fromstring(svg_text)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    tips = {}
    for r in root.iter(f"{SVG}rect"):
        t = r.find(f"{SVG}title")
        if t is not None:
            tips[t.text] = r
    return root, texts, tips


class MonthlyPullsTest(unittest.TestCase):
    def test_each_month_is_the_difference_of_two_named_records(self):
        self.assertEqual(f.history.monthly_pulls(SERIES), [
            {"month": "2026-09", "status": "not enough history",
             "records": ["2026-09-28T06:17:00Z"]},
            # 900 in 28 days: 900 * 30 / 28 per 30 days.
            {"month": "2026-10", "status": "derived", "pulls": 900, "pulls_per_30_days": 964,
             "from": "2026-09-28T06:17:00Z", "from_pull_count": 1000,
             "to": "2026-10-26T06:17:00Z", "to_pull_count": 1900, "days": 28.0,
             "long_gap": False, "month_closed": True},
            # The rate-limited run of 2026-11-02 is skipped, not read as zero; 35 days is the
            # longest span weekly runs give, not yet a gap.
            {"month": "2026-11", "status": "derived", "pulls": 1500, "pulls_per_30_days": 1286,
             "from": "2026-10-26T06:17:00Z", "from_pull_count": 1900,
             "to": "2026-11-30T06:17:00Z", "to_pull_count": 3400, "days": 35.0,
             "long_gap": False, "month_closed": True},
            {"month": "2026-12", "status": "derived", "pulls": 200, "pulls_per_30_days": 857,
             "from": "2026-11-30T06:17:00Z", "from_pull_count": 3400,
             "to": "2026-12-07T06:17:00Z", "to_pull_count": 3600, "days": 7.0,
             "long_gap": False, "month_closed": False},
        ])

    def test_one_record_is_not_enough_history(self):
        rows = f.history.monthly_pulls([record("2026-12-07T06:17:00Z", 4321)])
        self.assertEqual(rows, [{"month": "2026-12", "status": "not enough history",
                                 "records": ["2026-12-07T06:17:00Z"]}])
        _, texts, tips = parse(f.charts.pulls_per_month(f.history.summary(
            [record("2026-12-07T06:17:00Z", 4321)])))
        self.assertIn("Not enough history", texts)
        self.assertEqual(tips, {})  # no bar

    def test_first_month_with_two_records_uses_both(self):
        rows = f.history.monthly_pulls([record("2026-12-01T06:00:00Z", 10),
                                        record("2026-12-08T06:00:00Z", 70)])
        self.assertEqual(rows[0]["pulls"], 60)
        self.assertEqual((rows[0]["from"], rows[0]["to"]),
                         ("2026-12-01T06:00:00Z", "2026-12-08T06:00:00Z"))

    def test_a_month_without_record_and_a_falling_count_are_said(self):
        rows = f.history.monthly_pulls([record("2026-09-10T00:00:00Z", 500),
                                        record("2026-09-20T00:00:00Z", 600),
                                        record("2026-11-10T00:00:00Z", 550)])
        self.assertEqual(rows[1], {"month": "2026-10", "status": "no record in this month"})
        self.assertEqual(rows[2]["pulls"], -50)
        self.assertEqual(rows[2]["status"], "derived; the cumulative count went down")

    def test_a_span_over_35_days_is_a_rate_and_flagged(self):
        recs = [record("2026-08-30T06:17:00Z", 1000),
                record("2026-09-27T06:17:00Z", error=RATE_LIMITED),
                record("2026-10-25T06:17:00Z", 3000)]
        rows = f.history.monthly_pulls(recs)
        self.assertEqual(rows[1], {"month": "2026-09", "status": "no record in this month"})
        # 2,000 pulls over 56 days: October is not credited with all of them.
        self.assertEqual(rows[2], {
            "month": "2026-10", "status": "derived", "pulls": 2000, "pulls_per_30_days": 1071,
            "from": "2026-08-30T06:17:00Z", "from_pull_count": 1000,
            "to": "2026-10-25T06:17:00Z", "to_pull_count": 3000, "days": 56.0,
            "long_gap": True, "month_closed": False})
        root, texts, tips = parse(f.charts.pulls_per_month(f.history.summary(recs)))
        self.assertIn("1,071", texts)
        bar = tips["2026-10: 1,071 pulls per 30 days (2,000 in 56 days), derived from "
                   "2026-08-30T06:17:00Z (1,000) to 2026-10-25T06:17:00Z (3,000)"]
        target = next(line for line in root.iter(f"{SVG}line")
                      if line.get("stroke") == f.charts.RED)
        base = float(bar.get("y")) + float(bar.get("height"))
        self.assertAlmostEqual(float(bar.get("height")) / (base - float(target.get("y1"))),
                               1071 / 1000, places=2)  # drawn as the rate, not the 2,000
        gap = [t for t in root.iter(f"{SVG}text") if t.text == "gap > 35 d"]
        self.assertEqual(len(gap), 1)
        self.assertEqual(gap[0].get("fill"), f.charts.RED)
        desc = root.find(f"{SVG}desc").text
        self.assertIn("2026-10: 1,071 pulls per 30 days (2,000 from 2026-08-30T06:17:00Z to "
                      "2026-10-25T06:17:00Z, 56 days, month not over, a gap of more than 35 "
                      "days)", desc)
        self.assertIn("2026-10: more than 35 days between the two records (runs missed or "
                      "failed), so the figure averages over that whole span", desc)

    def test_records_at_one_instant_are_not_enough_history(self):
        rows = f.history.monthly_pulls([record("2026-12-07T06:17:00Z", 10),
                                        record("2026-12-07T06:17:00Z", 10)])
        self.assertEqual(rows, [{"month": "2026-12", "status": "not enough history",
                                 "records": ["2026-12-07T06:17:00Z"]}])

    def test_no_docker_hub_count_at_all_draws_no_bar(self):
        recs = [record("2026-12-07T06:17:00Z", error=RATE_LIMITED)]
        self.assertEqual(f.history.monthly_pulls(recs), [])
        root, texts, tips = parse(f.charts.pulls_per_month(f.history.summary(recs)))
        self.assertEqual(tips, {})
        desc = root.find(f"{SVG}desc").text
        self.assertIn("1 record(s) so far, 0 with a Docker Hub pull count", desc)
        self.assertIn("1 of 1 runs could not read this source (last: rate_limited", desc)


class ChartsTest(unittest.TestCase):
    def assert_accessible(self, svg_text):
        root = ET.fromstring(svg_text)
        self.assertEqual(root.tag, f"{SVG}svg")
        self.assertEqual(root.get("role"), "img")
        ids = root.get("aria-labelledby").split()
        self.assertEqual([c.tag for c in root][:2], [f"{SVG}title", f"{SVG}desc"])
        self.assertEqual([root[0].get("id"), root[1].get("id")], ids)
        self.assertTrue(root[0].text and root[1].text)
        return root

    def test_pulls_per_month_chart(self):
        svg = f.charts.pulls_per_month(f.history.summary(SERIES))
        root = self.assert_accessible(svg)
        _, texts, tips = parse(svg)
        self.assertEqual(root[0].text, "Docker Hub pulls per month (derived, per 30 days) "
                                       "against the 1,000 target")
        for label in ("2026-09", "2026-10", "2026-11", "2026-12", "964", "1,286", "857",
                      "target 1,000 pulls/month", "28 d", "35 d", "to date, 7 d", "not enough"):
            self.assertIn(label, texts)
        oct_bar = tips["2026-10: 964 pulls per 30 days (900 in 28 days), derived from "
                       "2026-09-28T06:17:00Z (1,000) to 2026-10-26T06:17:00Z (1,900)"]
        nov_bar = tips["2026-11: 1,286 pulls per 30 days (1,500 in 35 days), derived from "
                       "2026-10-26T06:17:00Z (1,900) to 2026-11-30T06:17:00Z (3,400)"]
        self.assertAlmostEqual(float(oct_bar.get("height")) / float(nov_bar.get("height")),
                               964 / 1286, places=2)
        self.assertNotIn("gap > 35 d", texts)
        desc = root[1].text
        self.assertIn("2026-10: 964 pulls per 30 days (900 from 2026-09-28T06:17:00Z to "
                      "2026-10-26T06:17:00Z, 28 days)", desc)
        self.assertIn("2026-12: 857 pulls per 30 days (200 from 2026-11-30T06:17:00Z to "
                      "2026-12-07T06:17:00Z, 7 days, month not over)", desc)
        self.assertIn("Derived, not an API figure", desc)
        self.assertIn("1 of 6 runs could not read this source (last: rate_limited at "
                      "2026-11-02T06:17:00Z)", desc)

    def test_versions_pulled_chart(self):
        summ = f.history.summary([HEALTHY_RECORD])
        vp = summ["versions_pulled"]
        self.assertEqual((vp["record"], vp["pulled_within_window"], vp["tag_count"]),
                         ("2026-12-07T06:17:00Z", 2, 5))
        self.assertEqual([(r["tag"], r["pull"], r.get("days_since_pull")) for r in vp["tags"]], [
            ("latest", "pulled", 0.3), ("v0.2.0", "pulled", 2.0), ("v0.1.0", "pulled", 60.0),
            ("pr-7", "never pulled", None), ("main", "not reported", None)])
        svg = f.charts.versions_pulled(summ)
        root = self.assert_accessible(svg)
        _, texts, tips = parse(svg)
        for label in ("latest", "v0.2.0", "v0.1.0", "pr-7", "main", "0.3 d ago", "2 d ago",
                      "60 d ago", "never pulled", "not reported by the API", "30 days"):
            self.assertIn(label, texts)
        self.assertEqual(tips["v0.1.0: last pulled 2026-10-08T06:17:00.000000Z"].get("fill"),
                         f.charts.GREY)  # older than the 30-day window
        self.assertEqual(tips["latest: last pulled 2026-12-06T22:41:09.553120841Z"].get("fill"),
                         f.charts.BLUE)
        self.assertIn("2 of 5 tags pulled in the last 30 days", root[1].text)

    def test_platforms_chart(self):
        summ = f.history.summary([HEALTHY_RECORD])
        ps = summ["platform_split"]
        self.assertEqual(ps["totals"], {"amd64": 171, "arm64": 39, "multiarch": 14})
        self.assertEqual(ps["releases"], [
            {"tag": "v0.2.0", "published_at": "2026-12-01T09:25:00Z", "amd64": 41, "arm64": 17,
             "multiarch": 5, "not_reported": []},
            {"tag": "v0.1.0", "published_at": "2026-09-20T10:10:00Z", "amd64": 130,
             "arm64": 22, "multiarch": 9, "not_reported": []}])
        svg = f.charts.platforms(summ)
        root = self.assert_accessible(svg)
        _, texts, tips = parse(svg)
        for label in ("all releases", "v0.2.0", "v0.1.0", "171", "39", "14", "41", "17",
                      "amd64", "arm64", "multi-arch archive"):
            self.assertIn(label, texts)
        self.assertGreater(float(tips["all releases amd64: 171"].get("width")),
                           float(tips["all releases arm64: 39"].get("width")))
        self.assertIn("all releases: amd64 171, arm64 39, multi-arch archive 14", root[1].text)

    def test_a_missing_download_count_is_not_drawn_as_zero(self):
        rec = f.run(f.with_({f.RELEASES: ["gh_releases_missing_count"]}))[0]
        summ = f.history.summary([rec])
        self.assertEqual(summ["platform_split"]["totals"],
                         {"amd64": 41, "arm64": None, "multiarch": None})
        self.assertEqual(summ["platform_split"]["incomplete"], ["arm64"])
        self.assertEqual(summ["platform_split"]["releases"], [
            {"tag": "v0.2.0", "published_at": "2026-12-01T09:25:00Z", "amd64": 41,
             "arm64": None, "multiarch": None, "not_reported": ["arm64"]}])
        _, texts, tips = parse(f.charts.platforms(summ))
        self.assertEqual(texts.count("not reported by the API"), 2)  # v0.2.0 and the total
        self.assertIn("no archive", texts)  # no multi-arch archive in that release
        # No arm64 bar at all (the legend's swatch is the only arm64 rectangle).
        self.assertFalse(any(t.startswith(("v0.2.0 arm64", "all releases arm64")) for t in tips))
        self.assertFalse(any(t == "0" or "at least 0" in t for t in texts))

    def test_ghcr_versions_are_counted_without_pulls(self):
        self.assertEqual(f.history.summary([HEALTHY_RECORD])["ghcr_versions"], {
            "record": "2026-12-07T06:17:00Z", "version_count": 3, "tagged_version_count": 2,
            "tags": ["latest", "v0", "v0.1", "v0.1.0", "v0.2", "v0.2.0"]})
        no_token = f.run(f.HEALTHY, token="")[0]
        self.assertIsNone(f.history.summary([no_token])["ghcr_versions"])

    def test_nothing_recorded_yet(self):
        summ = f.history.summary([])
        for draw, words in ((f.charts.pulls_per_month, "Not enough history"),
                            (f.charts.versions_pulled, "No Docker Hub tag list recorded yet."),
                            (f.charts.platforms, "No GitHub release recorded yet.")):
            svg = draw(summ)
            self.assert_accessible(svg)
            self.assertIn(words, parse(svg)[1])


def broken(at, source, change):
    """A healthy record at `at` whose `source` entry is edited by change(entry)."""
    rec = copy.deepcopy(HEALTHY_RECORD)
    rec["collected_at"] = at
    change(rec["sources"][source])
    return rec


REMOVE = object()


def edit(*path, value=REMOVE):
    """A change that sets the value at path inside an entry, or removes that key."""
    def change(entry):
        *parents, last = path
        for key in parents:
            entry = entry[key]
        if value is REMOVE:
            del entry[last]
        else:
            entry[last] = value
    return change


# (source, how the entry is broken, the problem the summary reports)
MALFORMED = [
    ("dockerhub_repository", edit("pull_count", value="4321"),
     "pull_count is '4321', not a count"),
    ("dockerhub_repository", edit("pull_count"), "pull_count is None, not a count"),
    ("dockerhub_tags", edit("tags", value={"latest": {}}), "tags is dict, not a list"),
    ("dockerhub_tags", edit("tags", 1, value="v0.2.0"), "tags[1] is str, not an object"),
    ("dockerhub_tags", edit("tags", 0, "tag_last_pulled"), "tags[0] has no tag_last_pulled"),
    ("dockerhub_tags", edit("tags", 4, "missing", value=7), "tags[4].missing is not a list"),
    ("release_assets", edit("releases", 0, "assets", value=None),
     "releases[0].assets is NoneType, not a list"),
    ("release_assets", edit("releases", 1, "tag"), "releases[1] has no tag"),
    ("release_assets", edit("releases", 0, "assets", 1, "download_count", value="17"),
     "releases[0].assets[1].download_count is '17', not a count"),
    ("ghcr_versions", edit("versions", 0, "tags", value=["v0.2.0", 2]),
     "versions[0].tags is not a list of names"),
    ("ghcr_versions", edit("versions", value=[None]), "versions[0] is NoneType, not an object"),
]


FIGURE_OF = {"dockerhub_repository": "monthly_pulls", "dockerhub_tags": "versions_pulled",
             "release_assets": "platform_split", "ghcr_versions": "ghcr_versions"}


class MalformedEntryTest(unittest.TestCase):
    """An "ok" entry (or an error entry) whose fields have the wrong shape is reported and left
    out of every figure; the summary and the three charts are still made."""

    def summarise(self, records):
        summ = f.history.summary(records)
        for draw in f.collect.CHARTS.values():
            ET.fromstring(draw(summ))
        json.dumps(summ)
        return summ

    def test_each_malformed_entry_is_reported_and_left_out(self):
        good = record("2026-11-30T06:17:00Z", 3400)
        for source, change, problem in MALFORMED:
            with self.subTest(problem=problem):
                bad = broken("2026-12-07T06:17:00Z", source, change)
                summ = self.summarise([good, bad])
                st = summ["source_status"][source]
                self.assertEqual((st["ok"], st["malformed"]), (1, 1))
                self.assertEqual(st["last_malformed"], {"collected_at": "2026-12-07T06:17:00Z",
                                                        "status": "ok", "problem": problem})
                # This source's figure comes from the good record, the older one.
                figure = FIGURE_OF[source]
                self.assertEqual(summ[figure], f.history.summary([good])[figure])

    def test_the_charts_say_how_many_runs_were_left_out(self):
        bad = broken("2026-12-07T06:17:00Z", "release_assets", MALFORMED[8][1])
        root = ET.fromstring(f.charts.platforms(self.summarise([HEALTHY_RECORD | {
            "collected_at": "2026-11-30T06:17:00Z"}, bad])))
        self.assertIn("1 of 2 runs recorded this source with fields that cannot be used (last: "
                      "2026-12-07T06:17:00Z, releases[0].assets[1].download_count is '17', not "
                      "a count); those runs are left out too.", root.find(f"{SVG}desc").text)

    def test_only_malformed_entries_draw_what_is_missing(self):
        rec = copy.deepcopy(HEALTHY_RECORD)
        for source, change, _ in (MALFORMED[0], MALFORMED[2], MALFORMED[6], MALFORMED[9]):
            change(rec["sources"][source])
        summ = self.summarise([rec])
        self.assertEqual({s: st["malformed"] for s, st in summ["source_status"].items()},
                         dict.fromkeys(FIGURE_OF, 1))
        self.assertEqual(summ["monthly_pulls"], [])
        self.assertIsNone(summ["versions_pulled"])
        self.assertIsNone(summ["platform_split"])
        self.assertIsNone(summ["ghcr_versions"])

    def test_an_error_entry_without_its_error_is_malformed(self):
        bad = record("2026-12-07T06:17:00Z", error={"message": "no kind"})
        st = self.summarise([bad])["source_status"]["dockerhub_repository"]
        self.assertEqual((st["error"], st["malformed"], st["last_error"]), (0, 1, None))
        self.assertEqual(st["last_malformed"]["problem"], "error is not an object with a kind")

    def test_render_reports_a_malformed_entry_on_stderr(self):
        with tempfile.TemporaryDirectory() as d:
            hist, out = pathlib.Path(d, "history.jsonl"), pathlib.Path(d, "out")
            f.history.append(hist, broken("2026-12-07T06:17:00Z", *MALFORMED[0][:2]))
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                code = f.collect.main(["render", "--history", str(hist), "--out", str(out)])
        self.assertEqual(code, 0)
        self.assertIn("registry-stats: 1 record(s) hold a dockerhub_repository entry that "
                      "cannot be used, left out of the charts (last: 2026-12-07T06:17:00Z: "
                      "pull_count is '4321', not a count)", err.getvalue())


class HistoryFileTest(unittest.TestCase):
    def test_append_refuses_a_record_not_newer_than_the_last(self):
        with tempfile.TemporaryDirectory() as d:
            path = pathlib.Path(d, "h.jsonl")
            f.history.append(path, SERIES[1])
            with self.assertRaisesRegex(ValueError, "not newer than the last one"):
                f.history.append(path, SERIES[0])
            self.assertEqual(len(f.history.load(path)), 1)

    def test_append_after_a_last_line_without_newline_starts_a_new_line(self):
        with tempfile.TemporaryDirectory() as d:
            path = pathlib.Path(d, "h.jsonl")
            path.write_text(json.dumps(SERIES[0]), encoding="utf-8")  # newline lost
            f.history.append(path, SERIES[1])
            lines = path.read_text(encoding="utf-8").split("\n")
            self.assertEqual([json.loads(line) for line in lines[:-1]], SERIES[:2])
            self.assertEqual(lines[-1], "")
            self.assertEqual(f.history.load(path), SERIES[:2])

    def test_load_reads_a_last_line_without_newline_and_records_on_one_line(self):
        with tempfile.TemporaryDirectory() as d:
            path = pathlib.Path(d, "h.jsonl")
            path.write_text(json.dumps(SERIES[0]) + "\n" + json.dumps(SERIES[1])
                            + json.dumps(SERIES[2]) + "\n" + json.dumps(SERIES[3]),
                            encoding="utf-8")
            self.assertEqual(f.history.load(path), SERIES[:4])
            path.write_text(json.dumps(SERIES[0]) + json.dumps(SERIES[1])[:-1] + "\n",
                            encoding="utf-8")
            with self.assertRaisesRegex(ValueError, "h.jsonl:1: not JSON"):
                f.history.load(path)

    def test_a_corrupted_line_stops_the_load(self):
        with tempfile.TemporaryDirectory() as d:
            path = pathlib.Path(d, "h.jsonl")
            path.write_text(json.dumps(SERIES[0]) + "\n{broken\n", encoding="utf-8")
            with self.assertRaisesRegex(ValueError, "h.jsonl:2: not JSON"):
                f.history.load(path)

    def test_a_record_without_status_is_refused(self):
        bad = copy.deepcopy(SERIES[0])
        del bad["sources"]["dockerhub_tags"]["status"]
        self.assertEqual(f.history.validate(bad), ["sources.dockerhub_tags.status is None"])

    def test_render_writes_and_checks_the_files(self):
        with tempfile.TemporaryDirectory() as d:
            hist, out = pathlib.Path(d, "history.jsonl"), pathlib.Path(d, "out")
            for rec in SERIES:
                f.history.append(hist, rec)
            args = ["render", "--history", str(hist), "--out", str(out)]
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                self.assertEqual(f.collect.main(args), 0)
                self.assertEqual(sorted(p.name for p in out.iterdir()),
                                 ["platforms.svg", "pulls-per-month.svg", "summary.json",
                                  "versions-pulled.svg"])
                self.assertEqual(f.collect.main(args + ["--check"]), 0)
                f.history.append(hist, record("2026-12-14T06:17:00Z", 3900))
                self.assertEqual(f.collect.main(args + ["--check"]), 1)
            self.assertIn("pulls-per-month.svg does not match", err.getvalue())


if __name__ == "__main__":
    unittest.main()
