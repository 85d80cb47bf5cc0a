"""The collector's real HTTP transport against local servers on 127.0.0.1 (no outside network):
the token is not carried to another host by a redirect, and an answer that breaks off is a
failed source, not a traceback."""

import http.server
import json
import threading
import unittest
import urllib.request

import registry_fake as f

TOKEN_HEADER = {"Authorization": f"Bearer {f.TOKEN}"}


class Server:
    """A loopback HTTP server that records the Authorization header of every request and
    answers by path (see Handler.do_GET)."""

    def __init__(self, other=None):
        self.seen = []
        self.other = other
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.seen.append((self.path, self.headers.get("Authorization")))
                if self.path == "/same":
                    self.redirect("/target")
                elif self.path == "/away":
                    self.redirect(f"{server.other.url}/target")
                elif self.path == "/target":
                    self.answer(200, b"[]")
                elif self.path == "/cut":  # promises 100 bytes, sends 10, closes
                    self.send_response(200)
                    self.send_header("Content-Length", "100")
                    self.end_headers()
                    self.wfile.write(b'{"results"')
                    self.close_connection = True
                elif self.path == "/hangup":  # closes without a status line
                    self.close_connection = True
                else:
                    self.answer(404, b"{}")

            def redirect(self, location):
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


class RedirectTest(unittest.TestCase):
    def setUp(self):
        self.elsewhere = Server()
        self.home = Server(other=self.elsewhere)
        self.addCleanup(self.home.close)
        self.addCleanup(self.elsewhere.close)
        self.client = f.api.Client(sleep=f.FakeSleep())

    def test_a_redirect_to_another_origin_drops_the_token(self):
        data, _ = self.client.get_json(f"{self.home.url}/away", TOKEN_HEADER)
        self.assertEqual(data, [])
        self.assertEqual(self.home.seen, [("/away", f"Bearer {f.TOKEN}")])
        self.assertEqual(self.elsewhere.seen, [("/target", None)])

    def test_a_redirect_on_the_same_origin_keeps_the_token(self):
        data, _ = self.client.get_json(f"{self.home.url}/same", TOKEN_HEADER)
        self.assertEqual(data, [])
        self.assertEqual(self.home.seen, [("/same", f"Bearer {f.TOKEN}"),
                                          ("/target", f"Bearer {f.TOKEN}")])

    def test_the_handler_drops_the_token_on_a_host_change_only(self):
        handler = f.api.OriginRedirectHandler()

        def follow(src, dst):
            req = urllib.request.Request(src, headers={**TOKEN_HEADER, "Accept": "x/y"})
            new = handler.redirect_request(req, None, 301, "Moved", {}, dst)
            return new.get_header("Authorization"), new.get_header("Accept")

        gh = "https://api.github.com/repos/o/r/releases"
        self.assertEqual(follow(gh, "https://objects.githubusercontent.com/x"), (None, "x/y"))
        self.assertEqual(follow(gh, "http://api.github.com/repositories/1/releases"),
                         (None, "x/y"))  # plain http would show the token to the network
        self.assertEqual(follow(gh, "https://api.github.com:443/repositories/1/releases"),
                         (f"Bearer {f.TOKEN}", "x/y"))
        self.assertEqual(follow(gh, "https://API.github.com/repositories/1/releases"),
                         (f"Bearer {f.TOKEN}", "x/y"))


class BrokenAnswerTest(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.close)
        self.sleep = f.FakeSleep()
        self.client = f.api.Client(sleep=self.sleep)

    def assert_network_failure(self, path):
        url = f"{self.server.url}{path}"
        with self.assertRaises(f.api.Failure) as caught:
            self.client.get_json(url)
        failure = caught.exception
        self.assertEqual((failure.kind, failure.detail), ("network", {"url": url, "attempts": 2}))
        self.assertEqual(self.sleep.calls, [f.api.SERVER_ERROR_WAIT_S])  # retried once
        self.assertEqual(len(self.server.seen), 2)
        return failure

    def test_a_body_cut_short_is_a_network_failure(self):
        failure = self.assert_network_failure("/cut")
        self.assertIn("IncompleteRead", failure.message)

    def test_a_connection_closed_without_an_answer_is_a_network_failure(self):
        failure = self.assert_network_failure("/hangup")
        self.assertIn("Remote end closed connection", failure.message)

    def test_a_broken_answer_is_the_source_error_of_the_record(self):
        def transport(url, headers, timeout=30):
            return f.api.urllib_transport(f"{self.server.url}/cut", headers, timeout)

        c = f.api.Client(transport=transport, sleep=f.FakeSleep())
        entry = f.sources.read(f.sources.dockerhub_repository, c, "nist-csf-mcp", "nist-csf-mcp")
        self.assertEqual(entry["status"], "error")
        self.assertEqual(entry["error"]["kind"], "network")
        json.dumps(entry)  # what the record keeps is plain JSON


if __name__ == "__main__":
    unittest.main()
