#!/usr/bin/env python3
"""Check an OSCAL assessment-results document written by csf-analysis.

1. compliance-trestle's pydantic models load it (raises on any schema violation);
2. the oscal-version matches the models' OSCAL version;
3. every finding's related observation UUID exists (trestle does not check this);
4. UUIDs are unique and the import-ap href points at a back-matter resource.
Then two broken copies (a bad enum value, a dangling observation UUID) must be rejected, so
the check itself is shown to be able to fail.

Usage: check_oscal.py FILE.json   (run with the trestle venv's python)
"""
import json
import sys
import tempfile
from pathlib import Path

from trestle.oscal import OSCAL_VERSION
from trestle.oscal.assessment_results import AssessmentResults


class CheckError(Exception):
    pass


def check(path: Path) -> str:
    ar = AssessmentResults.oscal_read(path)  # raises on an invalid document
    if ar is None:
        raise CheckError("trestle could not read the document")
    raw = json.loads(path.read_text(encoding="utf-8"))["assessment-results"]
    if raw["metadata"]["oscal-version"] != OSCAL_VERSION:
        raise CheckError(f"oscal-version {raw['metadata']['oscal-version']} != models {OSCAL_VERSION}")
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
                raise CheckError(f"finding {f.uuid} has no related observation")
            for r in related:
                if str(r.observation_uuid) not in obs:
                    raise CheckError(f"finding {f.uuid} points at missing observation {r.observation_uuid}")
    if len(uuids) != len(set(uuids)):
        raise CheckError("duplicate UUIDs")
    resources = {str(r.uuid) for r in (ar.back_matter.resources if ar.back_matter else [])}
    href = ar.import_ap.href
    if not href.startswith("#") or href[1:] not in resources:
        raise CheckError(f"import-ap href {href} does not name a back-matter resource")
    return f"OSCAL {OSCAL_VERSION}, {observations} observations, {findings} findings, all related observations present"


def must_reject(doc: dict, mutate, what: str) -> None:
    bad = json.loads(json.dumps(doc))
    mutate(bad["assessment-results"]["results"][0]["findings"][0])
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "bad.json"
        p.write_text(json.dumps(bad), encoding="utf-8")
        try:
            check(p)
        except Exception:  # trestle raises pydantic errors; ours raise CheckError
            return
    raise CheckError(f"a document with {what} was accepted: the check cannot fail")


def main(path: str) -> None:
    p = Path(path)
    try:
        summary = check(p)
        doc = json.loads(p.read_text(encoding="utf-8"))
        must_reject(doc, lambda f: f["target"].update(type="bogus"), "an invalid target type")
        must_reject(
            doc,
            lambda f: f["related-observations"][0].update({"observation-uuid": "0b0c3a0e-5d5e-4f6a-8b7c-9d0e1f2a3b4c"}),
            "a dangling observation UUID",
        )
    except Exception as e:  # noqa: BLE001 - report any failure as one line
        print(f"check_oscal: FAIL {path}: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"check_oscal: OK {path}: {summary}; broken copies rejected")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
