#!/usr/bin/env python3
"""Extracts NIST's own informative references for CSF 2.0 from the CSF 2.0 Reference Tool
response (GET https://csrc.nist.gov/extensions/nudp/services/json/csf/elements) into the CSV
the build compiles in (columns: csf_id, csf_level, dataset, dataset_short, relation, target_id,
target_type, olir_entry_id).

Kept: the OLIR datasets NIST authored that the project serves (SP 800-53 Rev 5.2.0 and 5.1.1,
SP 800-171 Rev 3, CSF 1.1, SP 800-221A, SSDF) and the SP 800-53 Rev 5.1.1 family pointers
(`external_reference`). Elements beneath a `withdraw_reason` node are crosswalk stubs, not
elements, and are skipped. Rows come out in document order.

Usage: olir_extract.py RESPONSE.json OUT.csv
"""

import csv
import json
import sys

DATASETS = {
    "Cybersecurity-Framework-v2.0-to-SP-800-53-Rev-5-2-0",
    "SP-800-53-Rev-5-to-Cybersecurity-Framework-v2.0",
    "CSF 2.0 to SP 800-171 Rev 3",
    "Cybersecurity-Framework-v1.1-to-Cybersecurity-Framework-v2.0",
    "SP-800-221A-to-Cybersecurity-Framework-v2.0",
    "SSDF-Version-1.1-to-Cybersecurity-Framework-v2.0",
}
HEADER = ["csf_id", "csf_level", "dataset", "dataset_short", "relation", "target_id",
          "target_type", "olir_entry_id"]
CSF_LEVELS = {"function", "category", "subcategory"}


def rows_of(node):
    if node.get("elementTypeIdentifier") == "withdraw_reason":
        return
    level = node.get("elementTypeIdentifier")
    if level in CSF_LEVELS:
        for rel in node.get("externalRelationships") or []:
            kind = rel.get("relationIdentifier")
            if kind == "olir_focal" and rel.get("olirName") in DATASETS:
                dataset = rel["olirName"]
                entry = str(rel.get("olirEntryElementId", ""))
            elif kind == "external_reference" and rel.get("frameworkVersionIdentifier"):
                dataset = "external_reference:" + rel["frameworkVersionIdentifier"]
                entry = ""
            else:
                continue
            yield [node["elementIdentifier"], level, dataset, rel.get("shortName", ""), kind,
                   rel["elementIdentifier"], rel.get("elementTypeIdentifier", ""), entry]
    for child in node.get("elements") or []:
        yield from rows_of(child)


def extract(doc):
    root = doc.get("response", doc)
    out = []
    for element in root.get("elements") or []:
        out.extend(rows_of(element))
    return out


def main(src, dst):
    with open(src, encoding="utf-8") as f:
        rows = extract(json.load(f))
    if not rows:
        raise SystemExit(f"{src}: no informative references found; is this the Reference Tool response?")
    with open(dst, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    print(f"olir_extract: {len(rows)} rows -> {dst}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
