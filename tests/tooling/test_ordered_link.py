"""scripts/link/ordered-link: places the listed functions first, in the list's order, for the
server's release binary only; matches names without crate hashes; links everything else as
asked. Links small freestanding objects with Rust's own lld, both ways rustc calls it (a cc
driver with -fuse-ld=lld, and lld directly with -flavor gnu)."""
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRAPPER = ROOT / "scripts" / "link" / "ordered-link"

# Five functions in source order; two carry v0 Rust names (asm labels) with a crate hash.
SOURCE = """
int alpha(void) { return 1; }
int beta(void) { return 2; }
int gamma_fn(void) { return 3; }
int rusty(void) __asm__("_RNvCs1234567890_5krate5rusty");
int rusty(void) { return 4; }
int main(void) { return alpha() + beta() + gamma_fn() + rusty(); }
"""


def toolchain_bin():
    sysroot = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True, text=True,
                             check=True).stdout.strip()
    host = next(line.split()[1] for line in subprocess.run(
        ["rustc", "-vV"], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("host:"))
    return Path(sysroot) / "lib" / "rustlib" / host / "bin"


class OrderedLink(unittest.TestCase):
    def setUp(self):
        self.work = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.work, ignore_errors=True)
        self.obj = self.work / "f.o"
        (self.work / "f.c").write_text(SOURCE)
        subprocess.run(["cc", "-c", "-O1", "-ffunction-sections", "-fno-asynchronous-unwind-tables",
                        "-o", self.obj, self.work / "f.c"], check=True)
        self.bin = toolchain_bin()
        self.list = self.work / "order.txt"
        self.report = self.work / "report.txt"

    def link(self, out, order, lld_direct=False, extra=(), env_extra=None):
        env = dict(os.environ, CSF_LINK_ORDER_REPORT=str(self.report),
                   CSF_LLD=str(self.bin / "rust-lld"))
        if order is None:
            env.pop("CSF_LINK_ORDER", None)  # the committed list of the C library in the args
        else:
            self.list.write_text(order)
            env["CSF_LINK_ORDER"] = str(self.list)
        env.update(env_extra or {})
        out = self.work / out
        out.parent.mkdir(parents=True, exist_ok=True)
        if lld_direct:
            args = ["-flavor", "gnu", "-e", "main", str(self.obj), "-o", str(out)]
        else:
            args = [f"-B{self.bin / 'gcc-ld'}", "-fuse-ld=lld", "-nostdlib", "-Wl,-emain",
                    *extra, str(self.obj), "-o", str(out)]
        subprocess.run([WRAPPER, *args], env=env, check=True, capture_output=True)
        return out

    def addresses(self, binary):
        nm = subprocess.run(["nm", str(binary)], capture_output=True, text=True, check=True)
        found = {}
        for line in nm.stdout.splitlines():
            parts = line.split()
            if len(parts) == 3:
                found[parts[2]] = int(parts[0], 16)
        return found

    def order_of(self, binary, names):
        at = self.addresses(binary)
        return sorted(names, key=lambda n: at[n])

    def test_the_server_binary_gets_the_listed_order_through_a_cc_driver(self):
        out = self.link("release/deps/nist_csf_mcp-0123", "# comment\ngamma_fn\nbeta\n")
        self.assertEqual(self.order_of(out, ["alpha", "beta", "gamma_fn"])[:2], ["gamma_fn", "beta"])
        self.assertIn("2 of 2 listed functions placed first", self.report.read_text())

    def test_the_server_binary_gets_the_listed_order_through_lld_itself(self):
        out = self.link("x/release/deps/nist-csf-mcp-77", "beta\nalpha\n", lld_direct=True)
        self.assertEqual(self.order_of(out, ["alpha", "beta", "gamma_fn"])[:2], ["beta", "alpha"])

    def test_rust_names_match_without_their_crate_hash(self):
        # The list was recorded from another build: the same function, another crate hash.
        out = self.link("release/deps/nist_csf_mcp-1", "krate::rusty\nbeta\n")
        first = self.order_of(out, ["alpha", "beta", "gamma_fn", "_RNvCs1234567890_5krate5rusty"])
        self.assertEqual(first[:2], ["_RNvCs1234567890_5krate5rusty", "beta"])

    def test_other_outputs_and_debug_builds_link_in_the_default_order(self):
        for out in ("release/deps/other_tool-1", "debug/deps/nist_csf_mcp-1"):
            binary = self.link(out, "gamma_fn\nbeta\nalpha\n")
            self.assertEqual(self.order_of(binary, ["alpha", "beta", "gamma_fn"]),
                             ["alpha", "beta", "gamma_fn"], out)
        self.assertFalse(self.report.exists())

    def test_names_missing_from_the_binary_are_skipped(self):
        out = self.link("release/deps/nist_csf_mcp-2", "no_such_function\ngamma_fn\n")
        self.assertEqual(self.order_of(out, ["alpha", "beta", "gamma_fn"])[0], "gamma_fn")
        self.assertIn("1 of 2 listed", self.report.read_text())

    def test_the_list_of_the_c_library_being_linked_is_the_default(self):
        def listed(name):
            text = (ROOT / "scripts" / "link" / name).read_text().splitlines()
            return sum(1 for line in text if line and not line.startswith("#"))
        self.link("release/deps/nist_csf_mcp-4", None)
        musl_dir = self.work / "x86_64-unknown-linux-musl"
        musl_dir.mkdir()
        self.link("release/deps/nist_csf_mcp-5", None, extra=[f"-L{musl_dir}"])
        lines = self.report.read_text().splitlines()
        self.assertIn(f"of {listed('startup-order.gnu.txt')} listed", lines[0])
        self.assertIn(f"of {listed('startup-order.musl.txt')} listed", lines[1])
        # This object has none of the server's functions: the report says so.
        self.assertIn("NOT ORDERED: most names not found", lines[0])

    def test_a_server_link_left_unordered_says_why(self):
        # Another linker chosen after rustc's -fuse-ld=lld: lld's options must not reach it.
        out = self.link("release/deps/nist_csf_mcp-6", "gamma_fn\n", extra=["-fuse-ld=bfd"])
        self.assertEqual(self.order_of(out, ["alpha", "beta", "gamma_fn"]),
                         ["alpha", "beta", "gamma_fn"])
        self.link("release/deps/nist_csf_mcp-7", "gamma_fn\n", env_extra={"CSF_LINK_ORDER": "off"})
        lines = self.report.read_text().splitlines()
        self.assertIn("NOT ORDERED: not linked by lld", lines[0])
        self.assertIn("NOT ORDERED: CSF_LINK_ORDER=off", lines[1])

    def test_a_temporary_directory_with_spaces_and_commas(self):
        tmp = self.work / "a dir, with spaces"
        tmp.mkdir()
        out = self.link("release/deps/nist_csf_mcp-8", "gamma_fn\nbeta\n",
                        env_extra={"TMPDIR": str(tmp)})
        self.assertEqual(self.order_of(out, ["alpha", "beta", "gamma_fn"])[:2], ["gamma_fn", "beta"])
        self.assertEqual(list(tmp.iterdir()), [])

    def test_a_failing_link_fails(self):
        self.list.write_text("alpha\n")
        env = dict(os.environ, CSF_LINK_ORDER=str(self.list))
        out = self.work / "release" / "deps" / "nist_csf_mcp-3"
        out.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [WRAPPER, f"-B{self.bin / 'gcc-ld'}", "-fuse-ld=lld", "-nostdlib",
             str(self.work / "missing.o"), "-o", str(out)], env=env, capture_output=True)
        self.assertNotEqual(result.returncode, 0)
        self.assertFalse(out.exists())


if __name__ == "__main__":
    unittest.main()
