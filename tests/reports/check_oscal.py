#!/usr/bin/env python3
"""Check an OSCAL assessment-results document written by csf-analysis.

1. compliance-trestle's pydantic models load it (raises on any schema violation);
2. the oscal-version matches the models' OSCAL version;
3. every finding's related observation UUID exists (trestle does not check this);
4. UUIDs are unique and the import-ap href points at a back-matter resource.

Usage: check_oscal.py FILE.json   (run with the trestle venv's python)
"""
import json
import sys
from pathlib import Path

from trestle.oscal import OSCAL_VERSION
from trestle.oscal.assessment_results import AssessmentResults


def fail(msg: str) -> None:
    print(f"check_oscal: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def main(path: str) -> None:
    ar = AssessmentResults.oscal_read(Path(path))  # raises on an invalid document
    if ar is None:
        fail("trestle could not read the document")
    raw = json.load(open(path, encoding="utf-8"))["assessment-results"]
    if raw["metadata"]["oscal-version"] != OSCAL_VERSION:
        fail(f"oscal-version {raw['metadata']['oscal-version']} != trestle models {OSCAL_VERSION}")
    uuids = []
    findings = observations = 0
    for result in ar.results:
        obs = {str(o.uuid) for o in (result.observations or [])}
        observations += len(obs)
        uuids += [str(result.uuid)] + list(obs)
        for f in result.findings or []:
            findings += 1
            uuids.append(str(f.uuid))
            related = f.related_observations or []
            if not related:
                fail(f"finding {f.uuid} has no related observation")
            for r in related:
                if str(r.observation_uuid) not in obs:
                    fail(f"finding {f.uuid} points at missing observation {r.observation_uuid}")
    if len(uuids) != len(set(uuids)):
        fail("duplicate UUIDs")
    resources = {str(r.uuid) for r in (ar.back_matter.resources if ar.back_matter else [])}
    href = ar.import_ap.href
    if not href.startswith("#") or href[1:] not in resources:
        fail(f"import-ap href {href} does not name a back-matter resource")
    print(f"check_oscal: OK {path}: OSCAL {OSCAL_VERSION}, {observations} observations, "
          f"{findings} findings, all related observations present")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
