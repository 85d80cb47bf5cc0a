#!/usr/bin/env python3
"""Check an OSCAL assessment-results document written by csf-analysis.

1. compliance-trestle's pydantic models load it (raises on any schema violation);
2. the oscal-version matches the models' OSCAL version;
3. every finding's related observation UUID exists (trestle does not check this);
4. UUIDs are unique and the import-ap href points at a back-matter resource;
5. every observation's relevant-evidence href of the form #UUID names a back-matter resource
   (evidence-register items), and with --evidence there is at least one such link.
Then broken copies (a bad enum value, a dangling observation UUID; with --evidence also a
dangling evidence href and an evidence rlink without its href) must be rejected, so
the check itself is shown to be able to fail.

Usage: check_oscal.py [--evidence] FILE.json   (run with the trestle venv's python)
"""
import json
import sys
import tempfile
from pathlib import Path

from trestle.oscal import OSCAL_VERSION
from trestle.oscal.assessment_results import AssessmentResults


class CheckError(Exception):
    pass


def check(path: Path, evidence: bool = False) -> str:
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
    evidence_links = 0
    for result in ar.results:
        for o in result.observations or []:
            for ev in o.relevant_evidence or []:
                if ev.href is None or not str(ev.href).startswith("#"):
                    continue
                if str(ev.href)[1:] not in resources:
                    raise CheckError(f"observation {o.uuid} cites missing evidence resource {ev.href}")
                evidence_links += 1
    if evidence and evidence_links == 0:
        raise CheckError("no observation links to an evidence resource")
    return (
        f"OSCAL {OSCAL_VERSION}, {observations} observations, {findings} findings, all related "
        f"observations present, {evidence_links} evidence links to back-matter resources"
    )


def must_reject(doc: dict, mutate, what: str, evidence: bool = False, whole: bool = False) -> None:
    bad = json.loads(json.dumps(doc))
    if whole:
        mutate(bad["assessment-results"])
    else:
        mutate(bad["assessment-results"]["results"][0]["findings"][0])
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "bad.json"
        p.write_text(json.dumps(bad), encoding="utf-8")
        try:
            check(p, evidence)
        except Exception:  # trestle raises pydantic errors; ours raise CheckError
            return
    raise CheckError(f"a document with {what} was accepted: the check cannot fail")


def first_evidence(ar: dict) -> dict:
    for o in ar["results"][0].get("observations", []):
        for ev in o.get("relevant-evidence", []):
            if ev.get("href", "").startswith("#"):
                return ev
    raise CheckError("no evidence link to break")


def hashed_rlink(ar: dict) -> dict:
    for r in ar["back-matter"]["resources"]:
        for link in r.get("rlinks", []):
            if link.get("hashes"):
                return link
    raise CheckError("no hashed evidence rlink to break")


def main(path: str, evidence: bool) -> None:
    p = Path(path)
    try:
        summary = check(p, evidence)
        doc = json.loads(p.read_text(encoding="utf-8"))
        must_reject(doc, lambda f: f["target"].update(type="bogus"), "an invalid target type")
        must_reject(
            doc,
            lambda f: f["related-observations"][0].update({"observation-uuid": "0b0c3a0e-5d5e-4f6a-8b7c-9d0e1f2a3b4c"}),
            "a dangling observation UUID",
        )
        if evidence:
            must_reject(
                doc,
                lambda ar: first_evidence(ar).update(href="#0b0c3a0e-5d5e-4f6a-8b7c-9d0e1f2a3b4c"),
                "a dangling evidence href",
                evidence,
                whole=True,
            )
            must_reject(
                doc,
                lambda ar: hashed_rlink(ar).pop("href"),
                "an evidence rlink without its required href",
                evidence,
                whole=True,
            )
    except Exception as e:  # noqa: BLE001 - report any failure as one line
        print(f"check_oscal: FAIL {path}: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"check_oscal: OK {path}: {summary}; broken copies rejected")


if __name__ == "__main__":
    args = sys.argv[1:]
    with_evidence = "--evidence" in args
    args = [a for a in args if a != "--evidence"]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(args[0], with_evidence)
