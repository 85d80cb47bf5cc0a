"""The committed registry charts and summary are exactly what the committed history gives
(nobody edits a chart by hand; the scheduled workflow rewrites all of them together)."""

import contextlib
import io
import unittest

import registry_fake as f

OUT = f.ROOT / "results" / "registry"


class CommittedTest(unittest.TestCase):
    def test_charts_match_the_committed_history(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = f.collect.main(["render", "--check", "--history", str(OUT / "history.jsonl"),
                                   "--out", str(OUT)])
        self.assertEqual(code, 0, err.getvalue())

    def test_the_committed_history_parses(self):
        for rec in f.history.load(OUT / "history.jsonl"):
            self.assertEqual(f.history.validate(rec), [], rec.get("collected_at"))


if __name__ == "__main__":
    unittest.main()
