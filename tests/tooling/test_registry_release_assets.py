"""The offline image archives a release carries, three ways: what .github/workflows/release.yml
uploads, what the collector counts as a platform archive (sources.ASSET), and the release-asset
table in docs/REGISTRY.md. They must name the same files and the same architectures, or the
platform chart and the install instructions describe files nobody can download."""

import re
import unittest

import registry_fake as f

WORKFLOW = f.ROOT / ".github" / "workflows" / "release.yml"
DOC = f.ROOT / "docs" / "REGISTRY.md"
TABLE_HEADER = "| Asset | Architecture | What it is | Load with |"


def uploaded_archives():
    """Image archives the release job writes into the directory it uploads ($out), with a
    `for arch in ...` loop expanded."""
    text = WORKFLOW.read_text(encoding="utf-8")
    loop = re.search(r"for arch in ([a-z0-9 ]+); do", text)
    arches = loop.group(1).split() if loop else []
    names = set()
    for name in re.findall(r"\$out/(nist-csf-mcp-[\w$]+\.(?:oci|docker)\.tar)", text):
        names |= {name.replace("$arch", a) for a in arches} if "$arch" in name else {name}
    return names


def documented_assets():
    """{asset name: architecture cell} of the release-asset table."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index(TABLE_HEADER)
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = cells[1]
    return rows


class ReleaseAssetsTest(unittest.TestCase):
    def test_the_workflow_uploads_archives_the_collector_recognises(self):
        names = uploaded_archives()
        self.assertEqual(names, {"nist-csf-mcp-multiarch.oci.tar",
                                 "nist-csf-mcp-amd64.docker.tar",
                                 "nist-csf-mcp-arm64.docker.tar"})
        for name in names:
            self.assertIsNotNone(f.sources.ASSET.match(name), name)

    def test_the_doc_table_lists_exactly_the_uploaded_archives_and_their_platforms(self):
        rows = documented_assets()
        archives = {name: arch for name, arch in rows.items() if name.endswith(".tar")}
        self.assertEqual(set(archives), uploaded_archives())
        for name, cell in archives.items():
            arch = f.sources.ASSET.match(name).group("arch")
            want = {"amd64": ["linux/amd64"], "arm64": ["linux/arm64"],
                    "multiarch": ["linux/amd64", "linux/arm64"]}[arch]
            for platform in ("linux/amd64", "linux/arm64"):
                self.assertEqual(platform in cell, platform in want, f"{name}: {cell}")
        self.assertIn("SHA256SUMS", rows)


if __name__ == "__main__":
    unittest.main()
