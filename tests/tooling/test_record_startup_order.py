"""scripts/link/record-startup-order.py talks to the server as a client does: a request goes
out only after the previous one has its reply, and the server sits idle before stdin closes. A
server sent everything at once runs other code (its idle wait never happens), and the
start-up list then misses the functions an idle server touches. No wait may hang the
recording. (The callgrind run around the conversation needs valgrind and a release build:
`make link-order` exercises it.)"""
import importlib.util
import subprocess
import sys
import time
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "link" / "record-startup-order.py"

# A stand-in server: after reading a request it waits a moment and fails if the next line has
# already arrived; otherwise it sends a notification (to be skipped) and the reply. At EOF it
# exits with 3 when stdin closed sooner than IDLE seconds after its last reply.
FAKE_SERVER = r"""
import json, os, select, sys, time
IDLE = float(sys.argv[1])
def lines():
    # One byte at a time: a buffered reader would take in the next line too, hiding it.
    line = b""
    while byte := os.read(0, 1):
        line += byte
        if byte == b"\n":
            yield line
            line = b""
last = time.monotonic()
for line in lines():
    msg = json.loads(line)
    if "id" not in msg:
        continue
    time.sleep(0.2)
    if select.select([0], [], [], 0)[0]:
        reply = {"id": msg["id"], "error": "next line came before this reply"}
    else:
        reply = {"id": msg["id"], "result": {}}
    note = {"jsonrpc": "2.0", "method": "notifications/message", "params": {}}
    last = time.monotonic()
    os.write(1, (json.dumps(note) + "\n" + json.dumps(reply) + "\n").encode())
sys.exit(3 if time.monotonic() - last < IDLE else 0)
"""


def load_recorder():
    spec = importlib.util.spec_from_file_location("record_startup_order", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start(code, *args):
    return subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


class Conversation(unittest.TestCase):
    def setUp(self):
        self.recorder = load_recorder()

    def test_each_request_waits_for_its_reply_and_the_server_then_idles(self):
        lines = self.recorder.first_use()
        proc = start(FAKE_SERVER, "0.4")
        session = self.recorder.Conversation(proc, timeout=30)
        began = time.monotonic()
        replies = session.send(lines)
        session.close(idle=0.5)
        self.assertEqual(proc.wait(timeout=30), 0, "stdin closed before the idle time")
        requests = [line for line in lines if '"id"' in line]
        self.assertEqual([r["id"] for r in replies], list(range(len(requests))))
        self.assertEqual([r for r in replies if "error" in r], [])
        self.assertGreaterEqual(time.monotonic() - began, 0.2 * len(requests) + 0.5)

    def test_a_server_that_exits_ends_the_conversation(self):
        proc = start("import sys; sys.stdin.readline()")
        session = self.recorder.Conversation(proc, timeout=30)
        began = time.monotonic()
        replies = session.send(self.recorder.start_up())
        session.close(idle=0)
        proc.wait(timeout=30)
        self.assertEqual(replies, [])
        self.assertLess(time.monotonic() - began, 10, "waited for a server that had exited")

    def assert_times_out(self, code):
        proc = start(code)
        try:
            with self.assertRaises(TimeoutError):
                self.recorder.Conversation(proc, timeout=0.5).send(self.recorder.start_up())
        finally:
            proc.kill()
            proc.wait()

    def test_a_silent_server_times_out_instead_of_hanging(self):
        self.assert_times_out("import time; time.sleep(30)")

    def test_a_server_that_only_chatters_times_out(self):
        self.assert_times_out("import sys, time\nwhile True:\n"
                              "    print('{\"jsonrpc\": \"2.0\", \"method\": \"ping\"}', flush=True)\n"
                              "    time.sleep(0.05)\n")

if __name__ == "__main__":
    unittest.main()
