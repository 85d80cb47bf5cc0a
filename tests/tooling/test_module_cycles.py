"""scripts/check-module-cycles.py: finds sibling modules that name each other, not a child
naming its parent, and ignores test modules."""
import importlib.util
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("cycles", ROOT / "scripts" / "check-module-cycles.py")
cycles = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cycles)


def crate(files):
    d = Path(tempfile.mkdtemp())
    for name, text in files.items():
        p = d / "src" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return d


class ModuleCycles(unittest.TestCase):
    def test_siblings_naming_each_other_are_a_cycle(self):
        d = crate({
            "lib.rs": "mod a;\nmod b;\n",
            "a.rs": "use crate::b::B;\npub struct A;\n",
            "b.rs": "use super::a::A;\npub struct B;\n",
        })
        self.assertEqual(cycles.crate_cycles(d), [("crate", ["a", "b"])])

    def test_nested_siblings_and_grouped_uses_are_found(self):
        d = crate({
            "lib.rs": "mod m;\n",
            "m/mod.rs": "mod x;\nmod y;\n",
            "m/x.rs": "use super::{y, z};\nfn f() { y::g() }\n",
            "m/y.rs": "pub fn g() { crate::m::x::h() }\n",
        })
        self.assertEqual(cycles.crate_cycles(d), [("crate::m", ["x", "y"])])

    def test_one_way_uses_a_parent_and_tests_are_not_cycles(self):
        d = crate({
            "lib.rs": "mod a;\nmod b;\npub struct Root;\n",
            "a.rs": "use crate::b::B;\nuse crate::Root;\n",
            "b.rs": "pub struct B;\n#[cfg(test)]\nmod tests {\n    use crate::a;\n}\n// crate::a in a comment\n",
        })
        self.assertEqual(cycles.crate_cycles(d), [])


if __name__ == "__main__":
    unittest.main()
