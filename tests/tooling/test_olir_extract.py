"""The Reference Tool converter on an invented response (no NIST text): kept and dropped
datasets, external references, withdrawn stubs skipped, document order, CSV shape."""

import csv
import importlib.util
import io
import json
import pathlib
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("olir_extract", ROOT / "scripts" / "olir_extract.py")
olir = importlib.util.module_from_spec(spec)
spec.loader.exec_module(olir)

FIXTURE = {"response": {"elements": [
    {"elementIdentifier": "ZZ", "elementTypeIdentifier": "function", "text": "invented",
     "externalRelationships": [
         {"elementIdentifier": "QQ.1", "elementTypeIdentifier": "category", "relationIdentifier": "olir_focal",
          "olirEntryElementId": 11, "shortName": "SP 800-221A", "olirName": "SP-800-221A-to-Cybersecurity-Framework-v2.0"},
         {"elementIdentifier": "X-1", "elementTypeIdentifier": "layer_1", "relationIdentifier": "olir_focal",
          "olirEntryElementId": 12, "shortName": "Other", "olirName": "Someone-Else-to-CSF"}],
     "elements": [
         {"elementIdentifier": "ZZ.AA", "elementTypeIdentifier": "category", "elements": [
             {"elementIdentifier": "ZZ.AA-01", "elementTypeIdentifier": "subcategory", "elements": [
                 {"elementIdentifier": "ZZ.AA-01.001", "elementTypeIdentifier": "implementation_example"}],
              "externalRelationships": [
                  {"elementIdentifier": "AC-02", "elementTypeIdentifier": "control", "relationIdentifier": "olir_focal",
                   "olirEntryElementId": 13, "shortName": "SP 800-53 Rev 5.2.0",
                   "olirName": "Cybersecurity-Framework-v2.0-to-SP-800-53-Rev-5-2-0"},
                  {"elementIdentifier": "AC", "elementTypeIdentifier": "family", "relationIdentifier": "external_reference",
                   "shortName": "SP 800-53 Rev 5.1.1", "frameworkVersionIdentifier": "SP_800_53_5_1_1"}]},
             {"elementIdentifier": "ZZ.AA-02", "elementTypeIdentifier": "subcategory", "elements": [
                 {"elementIdentifier": "WR-ZZ.AA-02", "elementTypeIdentifier": "withdraw_reason", "elements": [
                     {"elementIdentifier": "ZZ.AA-01", "elementTypeIdentifier": "subcategory",
                      "relationIdentifier": "incorporated_into",
                      "externalRelationships": [
                          {"elementIdentifier": "SHOULD-NOT-APPEAR", "elementTypeIdentifier": "control",
                           "relationIdentifier": "olir_focal", "olirEntryElementId": 99,
                           "shortName": "SSDF", "olirName": "SSDF-Version-1.1-to-Cybersecurity-Framework-v2.0"}]}]}]}]}]}]}}


class ExtractTest(unittest.TestCase):
    def test_rows_in_document_order(self):
        rows = olir.extract(FIXTURE)
        self.assertEqual(rows, [
            ["ZZ", "function", "SP-800-221A-to-Cybersecurity-Framework-v2.0", "SP 800-221A", "olir_focal", "QQ.1", "category", "11"],
            ["ZZ.AA-01", "subcategory", "Cybersecurity-Framework-v2.0-to-SP-800-53-Rev-5-2-0", "SP 800-53 Rev 5.2.0", "olir_focal", "AC-02", "control", "13"],
            ["ZZ.AA-01", "subcategory", "external_reference:SP_800_53_5_1_1", "SP 800-53 Rev 5.1.1", "external_reference", "AC", "family", ""],
        ])

    def test_csv_written_with_the_build_header(self):
        with tempfile.TemporaryDirectory() as d:
            src, dst = pathlib.Path(d, "r.json"), pathlib.Path(d, "o.csv")
            src.write_text(json.dumps(FIXTURE))
            olir.main(str(src), str(dst))
            lines = dst.read_text().splitlines()
            self.assertEqual(lines[0], ",".join(olir.HEADER))
            self.assertEqual(len(list(csv.reader(io.StringIO(dst.read_text())))), 4)

    def test_empty_response_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            src = pathlib.Path(d, "r.json")
            src.write_text(json.dumps({"response": {"elements": []}}))
            with self.assertRaises(SystemExit):
                olir.main(str(src), str(pathlib.Path(d, "o.csv")))


if __name__ == "__main__":
    unittest.main()
