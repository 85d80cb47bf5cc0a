"""scripts/link/record-startup-order.py talks to the server as a client does: a request goes
out only after the previous one has its reply. A server sent everything at once runs other code
(its idle wait never happens), and the start-up list then misses the functions an idle server
touches."""
import importlib.util
import subprocess
import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "link" / "record-startup-order.py"

# A stand-in server: after reading a request it waits a moment and fails if the next line has
# already arrived; otherwise it answers with the request's id.
FAKE_SERVER = r"""
import json, os, select, time
def lines():
    # One byte at a time: a buffered reader would take in the next line too, hiding it.
    line = b""
    while byte := os.read(0, 1):
        line += byte
        if byte == b"\n":
            yield line
            line = b""
for line in lines():
    msg = json.loads(line)
    if "id" not in msg:
        continue
    time.sleep(0.2)
    if select.select([0], [], [], 0)[0]:
        reply = {"id": msg["id"], "error": "next line came before this reply"}
    else:
        reply = {"id": msg["id"], "result": {}}
    os.write(1, (json.dumps(reply) + "\n").encode())
"""


def load_recorder():
    spec = importlib.util.spec_from_file_location("record_startup_order", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Conversation(unittest.TestCase):
    def test_each_request_waits_for_its_reply(self):
        recorder = load_recorder()
        lines = recorder.first_use()
        proc = subprocess.Popen([sys.executable, "-c", FAKE_SERVER], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        try:
            replies = recorder.converse(proc, lines)
        finally:
            proc.stdin.close()
            proc.wait(timeout=30)
        requests = [line for line in lines if '"id"' in line]
        self.assertEqual(len(replies), len(requests))
        self.assertEqual([r for r in replies if "error" in r], [])

    def test_a_server_that_exits_ends_the_conversation(self):
        recorder = load_recorder()
        proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.readline()"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            replies = recorder.converse(proc, recorder.start_up())
        finally:
            proc.wait(timeout=30)
        self.assertEqual(replies, [])


if __name__ == "__main__":
    unittest.main()
