"""scripts/image/check-deploy.py on the committed compose file and on broken copies of it:
each way of breaking the opt-in automatic-update profile (or the file) is reported.
Needs PyYAML: `make image-lint` runs it with the image-tools venv (scripts/image/lint.sh)."""

import copy
import importlib.util
import pathlib
import unittest

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_deploy",
                                              ROOT / "scripts" / "image" / "check-deploy.py")
check_deploy = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_deploy)

RAW = (ROOT / "deploy" / "docker-compose.yml").read_text(encoding="utf-8")
DOC = yaml.safe_load(RAW)
WT_ENV = ("services", "watchtower", "environment")


def problems_after(change, raw=RAW):
    doc = copy.deepcopy(DOC)
    change(doc)
    return check_deploy.compose_problems(doc, raw)


def setter(path, value):
    def change(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


def deleter(path):
    def change(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return change


class ComposeProfileTest(unittest.TestCase):
    def assert_reported(self, change, words, raw=RAW):
        found = problems_after(change, raw)
        self.assertTrue(any(words in p for p in found), f"{words!r} not in {found}")

    def test_committed_file_passes(self):
        self.assertEqual(check_deploy.compose_problems(copy.deepcopy(DOC), RAW), [])

    def test_watchtower_outside_the_profile(self):
        self.assert_reported(deleter(("services", "watchtower", "profiles")),
                             "watchtower is not opt-in")
        self.assert_reported(setter(("services", "watchtower", "profiles"), ["autoupdate", "x"]),
                             "watchtower profiles are not [autoupdate]")

    def test_server_moved_into_a_profile(self):
        self.assert_reported(setter(("services", "nist-csf-mcp", "profiles"), ["autoupdate"]),
                             "the server must not be in a profile")

    def test_updates_by_default(self):
        self.assert_reported(setter(WT_ENV + ("WATCHTOWER_MONITOR_ONLY",), "false"),
                             "not monitor-only by default")
        self.assert_reported(deleter(WT_ENV + ("WATCHTOWER_MONITOR_ONLY",)),
                             "not monitor-only by default")

    def test_not_limited_to_this_service(self):
        self.assert_reported(deleter(WT_ENV + ("WATCHTOWER_LABEL_ENABLE",)), "not limited by label")
        self.assert_reported(setter(WT_ENV + ("WATCHTOWER_SCOPE",), "other"), "scope is not")
        self.assert_reported(deleter(("services", "nist-csf-mcp", "labels")),
                             "the server lacks label com.centurylinklabs.watchtower.enable")
        self.assert_reported(setter(("services", "nist-csf-mcp", "labels"),
                                    ["com.centurylinklabs.watchtower.enable=true"]),
                             "scope label is not")

    def test_rollback_point_deleted(self):
        self.assert_reported(setter(WT_ENV + ("WATCHTOWER_CLEANUP",), "true"),
                             "delete the replaced image")

    def test_image_not_overridable_or_archived(self):
        self.assert_reported(setter(("services", "watchtower", "image"), "nickfedor/watchtower"),
                             "not overridable")
        self.assert_reported(setter(("services", "watchtower", "image"),
                                    "${CSF_WATCHTOWER_IMAGE:-containrrr/watchtower}"),
                             "archived")

    def test_image_not_pinned(self):
        for image in ("nickfedor/watchtower:latest", "nickfedor/watchtower",
                      "registry.example:5000/nickfedor/watchtower"):
            with self.subTest(image=image):
                self.assert_reported(setter(("services", "watchtower", "image"),
                                            "${CSF_WATCHTOWER_IMAGE:-" + image + "}"),
                                     "default image " + image + " is not pinned")
        for image in ("nickfedor/watchtower:1.21.0",
                      "registry.example:5000/nickfedor/watchtower:1.21.0",
                      "nickfedor/watchtower@sha256:" + "0" * 64):
            with self.subTest(image=image):
                self.assertEqual(problems_after(setter(("services", "watchtower", "image"),
                                                       "${CSF_WATCHTOWER_IMAGE:-" + image + "}")),
                                 [])

    def test_the_docs_name_the_compose_default_image(self):
        image = DOC["services"]["watchtower"]["image"]
        docs = (ROOT / "docs" / "REGISTRY.md").read_text(encoding="utf-8")
        self.assertTrue(f"`{image}`" in docs, f"docs/REGISTRY.md does not name `{image}`")

    def test_profile_removed_entirely(self):
        self.assert_reported(deleter(("services", "watchtower")), "no watchtower service")

    def test_typo_in_a_key_and_broken_interpolation(self):
        def typo(doc):
            wt = doc["services"]["watchtower"]
            wt["profile"] = wt.pop("profiles")
        self.assert_reported(typo, "unknown keys ['profile']")
        broken = RAW.replace("${CSF_WATCHTOWER_INTERVAL:-86400}", "${CSF_WATCHTOWER_INTERVAL:-86400")
        self.assertNotEqual(broken, RAW)
        self.assert_reported(lambda doc: None, "interpolation(s) not well formed", raw=broken)


if __name__ == "__main__":
    unittest.main()
