"""Integration tests of `tusk serve`: a real server started by each test on 127.0.0.1 (an
ephemeral port), spoken to over HTTP with http.client, and stopped at the end.

    python3 tests/serve/serve_test.py TUSK ROOT [unittest arguments, e.g. RoutesTest]
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serving import Server, write_fixture  # noqa: E402

TUSK = ROOT = None


def env():
    return {"TUSK_STDLIB": os.path.join(ROOT, "stdlib")}


def scan_cli(pack, text):
    """What `tusk scan` prints for `text` (JSON Lines)."""
    r = subprocess.run([TUSK, "scan", "--quiet", "--threads", "1", "--pack", pack], input=text.encode(),
                       capture_output=True, env={**os.environ, **env()}, timeout=120)
    return r.stdout.decode()


def error_of(data):
    doc = json.loads(data)
    assert set(doc) == {"error"}, doc
    assert set(doc["error"]) == {"code", "message"}, doc
    assert doc["error"]["message"], doc
    return doc["error"]["code"]


def raw_exchange(port, head, chunks=(), timeout=30, between=None):
    """Sends `head` (request line and headers) and then `chunks` (bytes, each sent as one HTTP
    chunk of a chunked body, then the last chunk) over a raw socket; `between(sock)` runs after
    the first chunk. Returns (status, headers, body, trailers) of a chunked or sized answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        sock.sendall(head)
        for i, c in enumerate(chunks):
            sock.sendall(b"%x\r\n%s\r\n" % (len(c), c))
            if i == 0 and between:
                between(sock)
        if chunks:
            sock.sendall(b"0\r\n\r\n")
        f = sock.makefile("rb")
        return read_answer(f)
    finally:
        sock.close()


def read_answer(f):
    status = int(f.readline().split()[1])
    headers = {}
    while True:
        line = f.readline().rstrip(b"\r\n")
        if not line:
            break
        k, _, v = line.decode().partition(":")
        headers[k.strip().lower()] = v.strip()
    body, trailers = b"", {}
    if headers.get("transfer-encoding") == "chunked":
        while True:
            size = int(f.readline().split(b";")[0], 16)
            if size == 0:
                break
            body += f.read(size)
            f.readline()
        while True:
            line = f.readline().rstrip(b"\r\n")
            if not line:
                break
            k, _, v = line.decode().partition(":")
            trailers[k.strip().lower()] = v.strip()
    else:
        body = f.read(int(headers.get("content-length", "0")))
    return status, headers, body, trailers


def metric(text, metric_name, **labels):
    want = ",".join('%s="%s"' % kv for kv in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        if "{" in key:
            base, _, rest = key.partition("{")
            got = ",".join(sorted(rest.rstrip("}").split(",")))
        else:
            base, got = key, ""
        if base == metric_name and got == want:
            return float(value)
    return 0.0


class ServerTest(unittest.TestCase):
    server_args = ()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tusk-serve-test-")
        self.pack = write_fixture(os.path.join(self.tmp, "pack.tusk"))
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, *args, pack=None, ready=True):
        s = Server(TUSK, pack or self.pack, *args, env=env(), tmp=self.tmp)
        self.servers.append(s)
        if ready:
            s.wait_ready()
        return s


class RoutesTest(ServerTest):
    LISTINGS = [
        '{"id": "a", "title": "carved ivory bangle", "price": 300, "currency": "USD"}',
        '{"id": "b", "title": "wooden bowl"}',
    ]

    def test_screen_is_what_scan_prints(self):
        s = self.start()
        for listing in self.LISTINGS:
            status, resp, data = s.request("POST", "/v1/screen", listing, {"Content-Type": "application/json"})
            self.assertEqual(status, 200)
            self.assertEqual(resp.getheader("Content-Type"), "application/json")
            self.assertEqual(data.decode(), scan_cli(self.pack, listing + "\n"))
        verdict = json.loads(s.request("POST", "/v1/screen", self.LISTINGS[0])[2])
        self.assertEqual(verdict["action"], "block")
        self.assertEqual(verdict["pack"]["name"], "serving.fixture")

    def test_screen_errors(self):
        s = self.start()
        status, _, data = s.request("POST", "/v1/screen", "not json")
        self.assertEqual((status, error_of(data)), (400, "invalid_listing"))
        status, _, data = s.request("POST", "/v1/screen", "[1, 2]")
        self.assertEqual((status, error_of(data)), (400, "invalid_listing"))
        status, resp, data = s.request("GET", "/v1/screen")
        self.assertEqual((status, error_of(data)), (405, "method_not_allowed"))
        self.assertEqual(resp.getheader("Allow"), "POST")
        status, _, data = s.request("GET", "/nowhere")
        self.assertEqual((status, error_of(data)), (404, "not_found"))
        status, _, data = s.request("POST", "/v1/pack")
        self.assertEqual((status, error_of(data)), (405, "method_not_allowed"))

    def test_batch_keeps_every_line_in_order(self):
        s = self.start()
        body = "\n".join([self.LISTINGS[0], "not json", "", self.LISTINGS[1], "[]", self.LISTINGS[0]]) + "\n"
        status, resp, data = s.request("POST", "/v1/screen/batch", body, {"Content-Type": "application/x-ndjson"})
        self.assertEqual(status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "application/x-ndjson")
        self.assertEqual(resp.getheader("Transfer-Encoding"), "chunked")
        self.assertEqual(data.decode(), scan_cli(self.pack, body))
        lines = [json.loads(l) for l in data.decode().splitlines()]
        self.assertEqual(len(lines), 6)
        self.assertEqual([l.get("line") for l in lines if "error" in l], [2, 3, 5])
        self.assertEqual([l["id"] for l in lines if "error" not in l], ["a", "b", "a"])
        # The counts come last, as trailers (http.client drops trailers: read the answer raw).
        head = b"POST /v1/screen/batch HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body)
        status, headers, raw, trailers = raw_exchange(s.port, head + body.encode())
        self.assertEqual((status, raw.decode()), (200, data.decode()))
        self.assertEqual(headers["trailer"], "X-Tusk-Records, X-Tusk-Errors")
        self.assertEqual((trailers["x-tusk-records"], trailers["x-tusk-errors"]), ("6", "3"))
        # No trailing newline: the last line still counts; CRLF line ends are accepted.
        status, _, data = s.request("POST", "/v1/screen/batch", self.LISTINGS[1] + "\r\n" + self.LISTINGS[0])
        self.assertEqual([json.loads(l)["id"] for l in data.decode().splitlines()], ["b", "a"])

    def test_batch_is_streamed(self):
        """Verdicts come back while the client is still sending: the first chunk of the body is
        answered before the rest is sent, and a large batch never sits whole in the server."""
        s = self.start()
        first = ("\n".join([self.LISTINGS[0]] * 50) + "\n").encode()
        seen = []

        def wait_for_verdicts(sock):
            sock.settimeout(30)
            got = b""
            while b'"action"' not in got:
                data = sock.recv(65536)
                self.assertTrue(data, "the server closed before answering the first chunk")
                got += data
            seen.append(got)
            sock.settimeout(30)

        # The server answers what it has read before it reads on.
        big = ("\n".join([self.LISTINGS[1]] * 2000) + "\n").encode()
        head = b"POST /v1/screen/batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=30)
        try:
            sock.sendall(head)
            sock.sendall(b"%x\r\n%s\r\n" % (len(first + big), first + big))
            wait_for_verdicts(sock)
            rest = (self.LISTINGS[0] + "\n").encode()
            sock.sendall(b"%x\r\n%s\r\n0\r\n\r\n" % (len(rest), rest))
            f = sock.makefile("rb")
            data = seen[0]
            while not data.endswith(b"\r\n\r\n") or b"X-Tusk-Errors" not in data:
                more = sock.recv(65536)
                if not more:
                    break
                data += more
        finally:
            sock.close()
        status, headers, body, trailers = read_answer(__import__("io").BytesIO(data))
        self.assertEqual(status, 200)
        lines = body.decode().splitlines()
        self.assertEqual(len(lines), 50 + 2000 + 1)
        self.assertEqual(trailers["x-tusk-records"], str(50 + 2000 + 1))
        self.assertEqual(json.loads(lines[-1])["id"], "a")

    def test_batch_over_the_limit_mid_stream(self):
        """A chunked batch that passes the limit after its answer began: the connection is
        closed without the last chunk, so the client cannot take it for a complete answer."""
        s = self.start("--batch-body-limit", "100000")
        line = (self.LISTINGS[1] + "\n").encode()
        chunk = line * (70000 // len(line))
        head = b"POST /v1/screen/batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=30)
        data = b""
        try:
            sock.sendall(head)
            for _ in range(2):
                try:
                    sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except OSError:
                    break
            while True:
                try:
                    more = sock.recv(65536)
                except OSError:
                    break
                if not more:
                    break
                data += more
        finally:
            sock.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 200"), data[:100])
        self.assertNotIn(b"\r\n0\r\n", data)  # no last chunk: the answer is visibly cut
        self.assertTrue(any(r["msg"].startswith("a streamed batch broke off") for r in s.logs()))
        # A batch over the limit declared up front is still a plain 413.
        status, _, data = s.request("POST", "/v1/screen/batch", "x" * 100001)
        self.assertEqual((status, error_of(data)), (413, "body_too_large"))

    def test_explain(self):
        s = self.start()
        status, resp, data = s.request("POST", "/v1/explain", self.LISTINGS[0])
        self.assertEqual(status, 200)
        doc = json.loads(data)
        self.assertEqual(doc["verdict"], json.loads(s.request("POST", "/v1/screen", self.LISTINGS[0])[2]))
        rule = doc["rules"][0]
        self.assertEqual((rule["rule"], rule["fired"]), ("mentions_ivory", True))
        self.assertEqual(rule["condition"]["value"], "true")
        self.assertEqual(doc["hits"][0]["text"], "ivory")
        self.assertIn("[ivory]", doc["text"][0]["highlighted"])
        self.assertEqual([d["taken"] for d in doc["decide"]], [True])
        status, _, data = s.request("POST", "/v1/explain", "{")
        self.assertEqual((status, error_of(data)), (400, "invalid_listing"))

    def test_pack_health_ready_metrics(self):
        s = self.start()
        status, _, data = s.request("GET", "/v1/pack")
        self.assertEqual(status, 200)
        info = json.loads(data)
        verdict = json.loads(s.request("POST", "/v1/screen", self.LISTINGS[0])[2])
        self.assertEqual(info["digest"], verdict["pack"]["digest"])
        self.assertEqual((info["name"], info["version"], info["source"]), ("serving.fixture", "1.0.0", self.pack))
        self.assertRegex(info["activated_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$")
        self.assertEqual(info["tests_passed"], 1)
        self.assertEqual(s.request("GET", "/healthz")[0], 200)
        status, _, data = s.request("GET", "/readyz")
        self.assertEqual((status, json.loads(data)["digest"]), (200, info["digest"]))
        s.request("POST", "/v1/screen", self.LISTINGS[1])
        s.request("POST", "/v1/screen", "bad")
        status, resp, data = s.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(resp.getheader("Content-Type").startswith("text/plain; version=0.0.4"))
        text = data.decode()
        self.assertEqual(metric(text, "tusk_http_requests_total", route="/v1/screen", status="200"), 2)
        self.assertEqual(metric(text, "tusk_http_requests_total", route="/v1/screen", status="400"), 1)
        self.assertEqual(metric(text, "tusk_verdicts_total", action="block"), 1)
        self.assertEqual(metric(text, "tusk_verdicts_total", action="allow"), 1)
        self.assertEqual(metric(text, "tusk_verdicts_total", action="error"), 1)
        self.assertEqual(metric(text, "tusk_verdict_tags_total", tag="ivory"), 1)
        self.assertEqual(metric(text, "tusk_http_request_duration_seconds_count", route="/v1/screen"), 3)
        self.assertEqual(metric(text, "tusk_pack_info", name="serving.fixture", version="1.0.0", digest=info["digest"]), 1)
        self.assertEqual(metric(text, "tusk_pack_reloads_total", outcome="success"), 1)
        # The earlier requests' connections were closed by the client; the server notices each
        # close asynchronously, so the gauge converges to 1 (this scrape's own connection).
        deadline = time.monotonic() + 10
        while metric(text, "tusk_http_open_connections") != 1 and time.monotonic() < deadline:
            time.sleep(0.05)
            text = s.request("GET", "/metrics")[2].decode()
        self.assertEqual(metric(text, "tusk_http_open_connections"), 1)  # this one

    def test_keep_alive_and_request_id(self):
        s = self.start()
        before = metric(s.request("GET", "/metrics")[2].decode(), "tusk_http_connections_total")
        conn = s.connect()
        for i in range(20):
            status, resp, _ = s.request("POST", "/v1/screen", self.LISTINGS[i % 2], {"X-Request-Id": "req-%d" % i}, conn=conn)
            self.assertEqual(status, 200)
            self.assertEqual(resp.getheader("X-Request-Id"), "req-%d" % i)
        conn.close()
        text = s.request("GET", "/metrics")[2].decode()
        self.assertEqual(metric(text, "tusk_http_connections_total"), before + 2)  # the 20 requests shared one

    def test_decision_log(self):
        path = os.path.join(self.tmp, "decisions.jsonl")
        s = self.start("--decision-log", path)
        s.request("POST", "/v1/screen", self.LISTINGS[0], {"X-Request-Id": "one"})
        s.request("POST", "/v1/screen/batch", self.LISTINGS[1] + "\nbad\n", {"X-Request-Id": "two"})
        s.request("POST", "/v1/screen", "bad", {"X-Request-Id": "three"})  # no verdict, no record
        digest = json.loads(s.request("GET", "/v1/pack")[2])["digest"]
        records = [json.loads(l) for l in open(path)]
        self.assertEqual([(r["request_id"], r.get("line")) for r in records], [("one", None), ("two", 1), ("two", 2)])
        for r in records:
            self.assertEqual(r["pack_digest"], digest)
            self.assertRegex(r["time"], r"Z$")
            self.assertGreaterEqual(r["duration_us"], 0)
        self.assertEqual(records[0]["verdict"]["action"], "block")
        self.assertEqual(records[2]["verdict"], {"line": 2, "error": records[2]["verdict"]["error"]})

    def test_config_file_and_flags(self):
        cfg = os.path.join(self.tmp, "serve.yaml")
        with open(cfg, "w") as f:
            f.write("pack: %s\nlisten: 127.0.0.1:1\nbody_limit: 100\n" % self.pack)
        # --listen on the command line wins over the file; body_limit comes from the file.
        s = Server(TUSK, None, "--config", cfg, env=env(), tmp=self.tmp)
        self.servers.append(s)
        s.wait_ready()
        status, _, data = s.request("POST", "/v1/screen", '{"title": "%s"}' % ("x" * 200))
        self.assertEqual((status, error_of(data)), (413, "body_too_large"))
        with open(cfg, "w") as f:
            f.write("pack: %s\nno_such_option: 1\n" % self.pack)
        r = subprocess.run([TUSK, "serve", "--config", cfg], capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown option `no-such-option`", r.stderr.decode())

    def test_help_lists_every_option(self):
        out = subprocess.run([TUSK, "serve", "--help"], capture_output=True, timeout=60).stdout.decode()
        for opt in ["--pack", "--listen", "--threads", "--admin-token-file", "--tls-cert", "--tls-key", "--body-limit",
                    "--batch-body-limit", "--header-limit", "--read-timeout", "--idle-timeout", "--max-connections",
                    "--drain-seconds", "--decision-log", "--config", "--stdlib", "--backend"]:
            self.assertIn(opt, out)

    def test_bad_pack_at_startup_exits_3(self):
        broken = os.path.join(self.tmp, "broken.tusk")
        with open(broken, "w") as f:
            f.write("pack broken version \"1\"\nrule r { when nonsense( }\n")
        r = subprocess.run([TUSK, "serve", "--pack", broken, "--listen", "127.0.0.1:0"], capture_output=True, timeout=60,
                           env={**os.environ, **env()})
        self.assertEqual(r.returncode, 3)
        logs = [json.loads(l) for l in r.stderr.decode().splitlines()]
        self.assertTrue(any(l["msg"] == "pack rejected; the active pack stays" and l["stage"] == "compile" for l in logs))
        self.assertEqual(logs[-1], {**logs[-1], "msg": "stopped", "exit_code": 3})
        # A pack that is not there is not a pack with errors: 2, as for the other commands.
        r = subprocess.run([TUSK, "serve", "--pack", os.path.join(self.tmp, "absent"), "--listen", "127.0.0.1:0"],
                           capture_output=True, timeout=60, env={**os.environ, **env()})
        self.assertEqual(r.returncode, 2)


class LimitsTest(ServerTest):
    def test_body_limit(self):
        s = self.start("--body-limit", "1000", "--batch-body-limit", "5000")
        big = '{"title": "%s"}' % ("y" * 2000)
        status, _, data = s.request("POST", "/v1/screen", big)
        self.assertEqual((status, error_of(data)), (413, "body_too_large"))
        status, _, data = s.request("POST", "/v1/explain", big)
        self.assertEqual((status, error_of(data)), (413, "body_too_large"))
        self.assertEqual(s.request("POST", "/v1/screen/batch", big)[0], 200)  # under the batch limit
        status, _, data = s.request("POST", "/v1/screen/batch", big * 3)
        self.assertEqual((status, error_of(data)), (413, "body_too_large"))
        # The answer names the route and its limit, even when the body is over every limit.
        self.assertEqual(json.loads(data)["error"]["message"],
                         "the request body exceeds the limit of 5000 bytes for /v1/screen/batch")
        status, _, data = s.request("POST", "/v1/screen", big * 3)
        self.assertEqual(json.loads(data)["error"]["message"],
                         "the request body exceeds the limit of 1000 bytes for /v1/screen")
        # Chunked: no Content-Length, the limit applies as the body arrives.
        conn = s.connect()
        conn.putrequest("POST", "/v1/screen")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        for _ in range(3):
            conn.send(b"3e8\r\n" + b"z" * 1000 + b"\r\n")
        conn.send(b"0\r\n\r\n")
        resp = conn.getresponse()
        self.assertEqual((resp.status, error_of(resp.read())), (413, "body_too_large"))
        self.assertEqual(s.request("GET", "/healthz")[0], 200)

    def test_header_limit(self):
        s = self.start("--header-limit", "2048")
        status, _, data = s.request("GET", "/healthz", headers={"X-Big": "a" * 4000})
        self.assertEqual((status, error_of(data)), (431, "headers_too_large"))

    def test_malformed_request(self):
        s = self.start()
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
            c.sendall(b"GARBAGE\x01 / HTTP/9\r\n\r\n")
            data = c.recv(65536).decode()
        self.assertTrue(data.startswith("HTTP/1.1 400"), data)
        self.assertEqual(error_of(data.split("\r\n\r\n", 1)[1]), "bad_request")

    def test_slow_client_is_timed_out(self):
        s = self.start("--read-timeout", "1", "--idle-timeout", "2", "--threads", "1")
        slow = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        slow.sendall(b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"ti")
        # Meanwhile the single worker still answers others.
        t0 = time.monotonic()
        self.assertEqual(s.request("POST", "/v1/screen", '{"title": "ivory"}')[0], 200)
        self.assertLess(time.monotonic() - t0, 0.5)
        self.assertEqual(slow.recv(1024), b"")  # closed by the server after the read timeout
        self.assertLess(time.monotonic() - t0, 5)
        slow.close()
        # An idle keep-alive connection is closed after the idle timeout.
        idle = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        t0 = time.monotonic()
        self.assertEqual(idle.recv(1024), b"")
        self.assertGreater(time.monotonic() - t0, 1.5)
        idle.close()

    def test_connection_cap(self):
        s = self.start("--max-connections", "2")
        # Hold two connections, each proven accepted and counted by a request answered on it
        # (keep-alive keeps it open). A connection closed just before (the start-up probe) is
        # counted until the server sees its end, so a 503 here is retried, within a bound.
        held = []
        deadline = time.monotonic() + 10
        while len(held) < 2:
            h = socket.create_connection(("127.0.0.1", s.port), timeout=10)
            h.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            reply = b""
            while b"\r\n\r\n" not in reply:
                chunk = h.recv(65536)
                self.assertTrue(chunk, "the server closed a connection without an answer")
                reply += chunk
            if reply.startswith(b"HTTP/1.1 200"):
                held.append(h)
                continue
            h.close()
            self.assertTrue(reply.startswith(b"HTTP/1.1 503"), reply)
            self.assertLess(time.monotonic(), deadline, "earlier connections were never released")
            time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
            data = b""
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    break
                data += chunk
        text = data.decode()
        self.assertTrue(text.startswith("HTTP/1.1 503"), text)
        self.assertEqual(error_of(text.split("\r\n\r\n", 1)[1]), "too_many_connections")
        for h in held:
            h.close()
        # Once the server has seen the held connections close, it accepts again.
        deadline = time.monotonic() + 10
        while s.request("GET", "/healthz")[0] != 200:
            self.assertLess(time.monotonic(), deadline, "the server never accepted again after the cap")
            time.sleep(0.05)


class AdminTest(ServerTest):
    def test_admin_off_without_token(self):
        s = self.start()
        status, _, data = s.request("POST", "/v1/pack/reload", headers={"Authorization": "Bearer whatever-it-is-123"})
        self.assertEqual((status, error_of(data)), (403, "admin_disabled"))

    def test_bearer_token(self):
        token_file = os.path.join(self.tmp, "token")
        with open(token_file, "w") as f:
            f.write("s3cret-token-0123456789\n")
        s = self.start("--admin-token-file", token_file)
        for headers in [{}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": "s3cret-token-0123456789"},
                        {"Authorization": "Bearer s3cret-token-012345678"}, {"Authorization": "Basic s3cret-token-0123456789"}]:
            status, resp, data = s.request("POST", "/v1/pack/reload", headers=headers)
            self.assertEqual((status, error_of(data)), (401, "unauthorized"), headers)
            self.assertEqual(resp.getheader("WWW-Authenticate"), 'Bearer realm="tusk"')
        status, _, data = s.request("POST", "/v1/pack/reload", headers={"Authorization": "Bearer s3cret-token-0123456789"})
        self.assertEqual(status, 200)
        self.assertTrue(json.loads(data)["ok"])

    def test_short_token_refused(self):
        token_file = os.path.join(self.tmp, "token")
        with open(token_file, "w") as f:
            f.write("short\n")
        r = subprocess.run([TUSK, "serve", "--pack", self.pack, "--listen", "127.0.0.1:0", "--admin-token-file", token_file],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("shorter than 16 characters", r.stderr.decode())


class ReloadTest(ServerTest):
    TOKEN = "reload-token-0123456789"

    def setUp(self):
        super().setUp()
        self.token_file = os.path.join(self.tmp, "token")
        with open(self.token_file, "w") as f:
            f.write(self.TOKEN)

    def reload(self, s, conn=None):
        status, _, data = s.request("POST", "/v1/pack/reload", headers={"Authorization": "Bearer " + self.TOKEN}, conn=conn)
        return status, json.loads(data)

    def digest(self, s):
        return json.loads(s.request("POST", "/v1/screen", '{"title": "ivory"}')[2])["pack"]["digest"]

    def test_broken_pack_is_rejected_and_old_one_serves(self):
        s = self.start("--admin-token-file", self.token_file)
        old = self.digest(s)
        with open(self.pack, "w") as f:
            f.write('pack serving.fixture version "2"\nrule r { when text mentions nowhere }\n')
        status, doc = self.reload(s)
        self.assertEqual(status, 422)
        self.assertFalse(doc["ok"])
        self.assertEqual(doc["error"]["code"], "pack_compile_failed")
        self.assertIn("nowhere", doc["error"]["message"])
        self.assertEqual(doc["active_digest"], old)
        self.assertEqual(self.digest(s), old)
        self.assertEqual(s.request("GET", "/readyz")[0], 200)
        # A pack that compiles but fails its own tests is rejected too.
        write_fixture(self.pack, version="3.0.0", expect="allow")
        status, doc = self.reload(s)
        self.assertEqual((status, doc["error"]["code"]), (422, "pack_tests_failed"))
        self.assertIn("ivory blocks", doc["error"]["message"])
        self.assertEqual(self.digest(s), old)
        text = s.request("GET", "/metrics")[2].decode()
        self.assertEqual(metric(text, "tusk_pack_reloads_total", outcome="failure"), 2)
        rejected = [r for r in s.logs() if r["msg"] == "pack rejected; the active pack stays"]
        self.assertEqual([r["stage"] for r in rejected], ["compile", "test"])
        # A good pack is then taken.
        write_fixture(self.pack, version="4.0.0", score=60)
        status, doc = self.reload(s)
        self.assertEqual((status, doc["ok"], doc["previous_digest"]), (200, True, old))
        self.assertEqual(self.digest(s), doc["digest"])
        self.assertEqual(json.loads(s.request("GET", "/v1/pack")[2])["version"], "4.0.0")

    def test_sighup_reloads(self):
        s = self.start()
        old = self.digest(s)
        write_fixture(self.pack, version="2.0.0", score=70)
        s.signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while self.digest(s) == old and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertNotEqual(self.digest(s), old)
        self.assertEqual(json.loads(s.request("GET", "/v1/pack")[2])["version"], "2.0.0")

    def test_reload_under_load(self):
        # Two packs; `current` is a symlink flipped between them before each reload.
        a = write_fixture(os.path.join(self.tmp, "a.tusk"), version="1.0.0", score=50)
        b = write_fixture(os.path.join(self.tmp, "b.tusk"), version="2.0.0", score=60)
        current = os.path.join(self.tmp, "current.tusk")
        os.symlink(a, current)
        s = self.start("--admin-token-file", self.token_file, pack=current)
        digests = set()
        for target in (a, b):
            tmp_link = current + ".new"
            os.symlink(target, tmp_link)
            os.replace(tmp_link, current)
            status, doc = self.reload(s)
            self.assertEqual(status, 200)
            digests.add(doc["digest"])
        self.assertEqual(len(digests), 2)

        stop = threading.Event()
        results = []  # (status, digest or None)
        lock = threading.Lock()

        def client(n):
            conn = s.connect()
            local = []
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    if i % 5 == 0:
                        status, _, data = s.request("POST", "/v1/screen/batch", '{"title":"ivory"}\n{"title":"x"}\n', conn=conn)
                        ds = [json.loads(l)["pack"]["digest"] for l in data.decode().splitlines()] if status == 200 else [None]
                        local.append((status, ds[0] if len(set(ds)) == 1 else "mixed"))
                    else:
                        status, _, data = s.request("POST", "/v1/screen", '{"title":"ivory %d"}' % i, conn=conn)
                        local.append((status, json.loads(data)["pack"]["digest"] if status == 200 else None))
                except Exception as e:  # a dropped connection is a failure
                    local.append((repr(e), None))
                    conn.close()
                    conn = s.connect()
            conn.close()
            with lock:
                results.extend(local)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        admin = s.connect()
        try:
            for k in range(100):
                tmp_link = current + ".new"
                os.symlink(a if k % 2 else b, tmp_link)
                os.replace(tmp_link, current)
                status, doc = self.reload(s, conn=admin)
                self.assertEqual(status, 200, doc)
                self.assertIn(doc["digest"], digests)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
            admin.close()
        self.assertGreater(len(results), 200)
        failures = [r for r in results if r[0] != 200]
        self.assertEqual(failures, [])
        self.assertEqual({d for _, d in results} - digests, set())
        self.assertEqual({d for _, d in results}, digests)  # both packs answered
        text = s.request("GET", "/metrics")[2].decode()
        self.assertEqual(metric(text, "tusk_pack_reloads_total", outcome="success"), 103)
        self.assertEqual(metric(text, "tusk_pack_reloads_total", outcome="failure"), 0)


class DrainTest(ServerTest):
    def test_sigterm_drains_in_flight_requests(self):
        s = self.start("--drain-seconds", "10")
        idle = s.connect()
        self.assertEqual(s.request("GET", "/healthz", conn=idle)[0], 200)  # now an idle keep-alive connection
        # A request in flight: headers and half of the body sent.
        body = b'{"id": "in-flight", "title": "ivory"}'
        busy = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        busy.sendall(b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:10])
        time.sleep(0.2)
        s.signal(signal.SIGTERM)
        time.sleep(0.5)
        self.assertIsNone(s.proc.poll())  # still draining the busy connection
        with self.assertRaises(OSError):  # no longer accepting
            socket.create_connection(("127.0.0.1", s.port), timeout=2).close()
        busy.sendall(body[10:])
        data = b""
        while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
            chunk = busy.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, payload = data.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
        self.assertIn(b"Connection: close", head)
        self.assertEqual(json.loads(payload)["id"], "in-flight")
        busy.close()
        self.assertEqual(s.proc.wait(timeout=15), 0)
        self.assertTrue(any(r["msg"] == "draining" for r in s.logs()))
        self.assertEqual(s.logs()[-1]["msg"], "stopped")
        idle.close()

    def test_drain_deadline(self):
        s = self.start("--drain-seconds", "1", "--read-timeout", "30")
        busy = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        busy.sendall(b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        time.sleep(0.2)
        t0 = time.monotonic()
        s.signal(signal.SIGTERM)
        self.assertEqual(s.proc.wait(timeout=15), 0)
        self.assertLess(time.monotonic() - t0, 5)
        busy.close()


class BundleServer:
    """Serves one file at /pack.tusk.tar.gz on 127.0.0.1 (a free port), with an ETag and 304s,
    counting plain and conditional GETs. `publish` swaps what it serves."""

    def __init__(self, tls=None):
        import hashlib
        import http.server
        outer = self
        self.body, self.etag = b"", ""
        self.gets = self.conditional = self.not_modified = 0
        self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with outer.lock:
                    body, etag = outer.body, outer.etag
                    outer.gets += 1
                    if self.headers.get("If-None-Match") is not None:
                        outer.conditional += 1
                    if self.path != "/pack.tusk.tar.gz":
                        self.send_error(404)
                        return
                    if self.headers.get("If-None-Match") == etag:
                        outer.not_modified += 1
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.end_headers()
                        return
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Type", "application/gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._hash = hashlib.sha256
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls:
            import ssl
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.url = "%s://127.0.0.1:%d/pack.tusk.tar.gz" % ("https" if tls else "http", self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, path):
        with open(path, "rb") as f:
            body = f.read()
        with self.lock:
            self.body, self.etag = body, '"%s"' % self._hash(body).hexdigest()[:16]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class SourceTest(ServerTest):
    """--pack as a bundle file or a bundle's URL (signed, verified), and --watch."""

    def tusk(self, *args):
        r = subprocess.run([TUSK] + list(args), capture_output=True, timeout=120, env={**os.environ, **env()})
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return r.stdout.decode()

    def setUp(self):
        super().setUp()
        self.key = os.path.join(self.tmp, "release.key")
        self.tusk("bundle", "keygen", "-o", self.key)
        self.other_key = os.path.join(self.tmp, "other.key")
        self.tusk("bundle", "keygen", "-o", self.other_key)

    def bundle(self, name, version, score=50, key=None):
        src = write_fixture(os.path.join(self.tmp, name + ".tusk"), version=version, score=score)
        out = os.path.join(self.tmp, name + ".tusk.tar.gz")
        self.tusk("bundle", src, "-o", out, *(["--sign", key] if key else []))
        listed = json.loads(self.tusk("bundle", "verify", out, "--format", "json"))
        return out, listed["pack"]["digest"]

    def active(self, s):
        return json.loads(s.request("GET", "/v1/pack")[2])

    def wait_digest(self, s, digest, timeout=60):
        deadline = time.monotonic() + timeout
        while self.active(s)["digest"] != digest and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.active(s)["digest"]

    def test_bundle_file(self):
        b1, d1 = self.bundle("one", "1.0.0", key=self.key)
        s = self.start("--public-key", self.key + ".pub", pack=b1)
        info = self.active(s)
        self.assertEqual((info["digest"], info["version"], info["tests_passed"]), (d1, "1.0.0", 1))
        verdict = json.loads(s.request("POST", "/v1/screen", '{"title": "ivory"}')[2])
        self.assertEqual((verdict["action"], verdict["pack"]["digest"]), ("block", d1))
        # An unsigned bundle, or one signed with another key, is refused when a key is given.
        unsigned, _ = self.bundle("unsigned", "1.0.0")
        other, _ = self.bundle("other", "1.0.0", key=self.other_key)
        for bad in (unsigned, other):
            r = subprocess.run([TUSK, "serve", "--pack", bad, "--public-key", self.key + ".pub", "--listen", "127.0.0.1:0"],
                               capture_output=True, timeout=60, env={**os.environ, **env()})
            self.assertEqual(r.returncode, 2, bad)
            self.assertRegex(r.stderr.decode(), r"not signed|signature")
        # A tampered bundle (one byte of the archive changed) is refused too.
        tampered = os.path.join(self.tmp, "tampered.tusk.tar.gz")
        data = bytearray(open(b1, "rb").read())
        data[len(data) // 2] ^= 0x01
        open(tampered, "wb").write(bytes(data))
        r = subprocess.run([TUSK, "serve", "--pack", tampered, "--public-key", self.key + ".pub", "--listen", "127.0.0.1:0"],
                           capture_output=True, timeout=60, env={**os.environ, **env()})
        self.assertEqual(r.returncode, 2)

    def test_url_is_polled_and_verified(self):
        b1, d1 = self.bundle("one", "1.0.0", key=self.key)
        b2, d2 = self.bundle("two", "2.0.0", score=60, key=self.key)
        bad, _ = self.bundle("bad", "3.0.0", score=70, key=self.other_key)
        web = BundleServer()
        self.addCleanup(web.close)
        web.publish(b1)
        # A URL needs a key: a bundle fetched over the network is trusted only when signed.
        r = subprocess.run([TUSK, "serve", "--pack", web.url, "--listen", "127.0.0.1:0"], capture_output=True,
                           timeout=60, env={**os.environ, **env()})
        self.assertEqual(r.returncode, 2)
        self.assertIn("--public-key", r.stderr.decode())
        s = self.start("--public-key", self.key + ".pub", "--watch", "0.1", pack=web.url)
        self.assertEqual(self.active(s)["digest"], d1)
        # Unchanged: the polls are conditional and answered 304, nothing is reloaded.
        deadline = time.monotonic() + 30
        while web.not_modified < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertGreaterEqual(web.not_modified, 3)
        self.assertEqual(web.gets - web.conditional, 1)  # the startup download only
        # A new bundle is fetched, verified and activated.
        web.publish(b2)
        self.assertEqual(self.wait_digest(s, d2), d2)
        self.assertEqual(self.active(s)["version"], "2.0.0")
        # One signed with another key is refused; the active pack stays.
        web.publish(bad)
        deadline = time.monotonic() + 30
        while not any(r["msg"] == "pack rejected; the active pack stays" for r in s.logs()) and time.monotonic() < deadline:
            time.sleep(0.05)
        rejected = [r for r in s.logs() if r["msg"] == "pack rejected; the active pack stays"]
        self.assertEqual(len(rejected), 1)
        self.assertEqual(rejected[0]["reason"], "watch")
        self.assertIn("signature", rejected[0]["error"].lower())
        self.assertEqual(self.active(s)["digest"], d2)
        text = s.request("GET", "/metrics")[2].decode()
        self.assertEqual(metric(text, "tusk_pack_reloads_total", outcome="failure"), 1)
        self.assertGreater(metric(text, "tusk_pack_source_checks_total", outcome="success"), 3)
        # The server that published goes away: checks fail, the pack keeps serving.
        web.close()
        deadline = time.monotonic() + 30
        while not any(r["msg"].startswith("checking the pack source failed") for r in s.logs()) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(any(r["msg"].startswith("checking the pack source failed") for r in s.logs()))
        self.assertEqual(json.loads(s.request("POST", "/v1/screen", '{"title": "ivory"}')[2])["pack"]["digest"], d2)

    def test_https_url(self):
        cert, key = os.path.join(self.tmp, "cert.pem"), os.path.join(self.tmp, "key.pem")
        r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                           capture_output=True, timeout=60)
        if r.returncode != 0:
            self.skipTest("openssl cannot make a certificate")
        b1, d1 = self.bundle("one", "1.0.0", key=self.key)
        web = BundleServer(tls=(cert, key))
        self.addCleanup(web.close)
        web.publish(b1)
        s = self.start("--public-key", self.key + ".pub", "--pack-ca-file", cert, pack=web.url)
        self.assertEqual(self.active(s)["digest"], d1)
        # Without the CA the certificate is not trusted and nothing is loaded.
        r = subprocess.run([TUSK, "serve", "--pack", web.url, "--public-key", self.key + ".pub", "--listen", "127.0.0.1:0"],
                           capture_output=True, timeout=60, env={**os.environ, **env()})
        self.assertEqual(r.returncode, 2)
        self.assertIn("certificate", r.stderr.decode().lower())

    def test_watched_directory(self):
        pack_dir = os.path.join(self.tmp, "pack")
        os.mkdir(pack_dir)
        with open(os.path.join(pack_dir, "pack.yaml"), "w") as f:
            f.write('name: serving.fixture\nversion: "1.0.0"\nsources: [rules.tusk]\n')
        write_fixture(os.path.join(pack_dir, "rules.tusk"))
        s = self.start("--watch", "0.1", pack=pack_dir)
        old = self.active(s)["digest"]
        # Touched without a change: checked, nothing activated.
        os.utime(os.path.join(pack_dir, "rules.tusk"))
        deadline = time.monotonic() + 30
        while not any(r["msg"].startswith("the pack source changed but its digest did not") for r in s.logs()) \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(any(r["msg"].startswith("the pack source changed but its digest did not") for r in s.logs()))
        # Changed: reloaded.
        write_fixture(os.path.join(pack_dir, "rules.tusk"), version="1.0.0", score=80)
        deadline = time.monotonic() + 30
        while self.active(s)["digest"] == old and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertNotEqual(self.active(s)["digest"], old)
        self.assertTrue(any(r["msg"] == "pack activated" and r["reason"] == "watch" for r in s.logs()))


class StoreTest(ServerTest):
    """--store: the verdicts the server decides are kept (flagged ones by default), with the
    records exactly as received, and an evidence bundle of one reproduces its verdict."""

    def tusk(self, *args, rc=0):
        r = subprocess.run([TUSK] + list(args), capture_output=True, timeout=120, env={**os.environ, **env()})
        self.assertEqual(r.returncode, rc, r.stderr.decode())
        return r.stdout.decode()

    def test_verdicts_are_stored(self):
        db = "sqlite:" + os.path.join(self.tmp, "verdicts.db")
        s = self.start("--store", db)
        one = '{"id": "s1", "title": "carved  ivory bangle", "price": 300}'
        self.assertEqual(json.loads(s.request("POST", "/v1/screen", one)[2])["action"], "block")
        batch = '{"id": "s2", "title": "wooden bowl"}\n{"id":"s3","title":"IVORY \u8c61\u7259"}\nnot json\n'
        status, _, data = s.request("POST", "/v1/screen/batch", batch.encode())
        self.assertEqual(status, 200)
        self.assertEqual(s.stop(), 0)  # the queue is written before the server exits
        stored = [json.loads(l) for l in self.tusk("review", "list", "--store", db, "--action", "all", "--format", "json").splitlines()]
        self.assertEqual(sorted(v["listing_id"] for v in stored), ["s1", "s3"])  # allow and errors are not kept
        import sqlite3
        con = sqlite3.connect(os.path.join(self.tmp, "verdicts.db"))
        records = {r[0]: bytes(r[1]) for r in con.execute("SELECT listing_id, record FROM verdicts")}
        con.close()
        self.assertEqual(records["s1"], one.encode())
        self.assertEqual(records["s3"], '{"id":"s3","title":"IVORY \u8c61\u7259"}'.encode())  # UTF-8 as sent
        bundle = os.path.join(self.tmp, "s1.tar.gz")
        self.tusk("evidence", "export", "--store", db, "--listing", "s1", "-o", bundle)
        out = self.tusk("evidence", "verify", bundle)
        self.assertIn("reproduced", out)
        # --store-actions chooses what is kept: allow verdicts too.
        db2 = "sqlite:" + os.path.join(self.tmp, "all.db")
        s = self.start("--store", db2, "--store-actions", "allow,review,block")
        s.request("POST", "/v1/screen/batch", batch.encode())
        self.assertEqual(s.stop(), 0)
        stored = [json.loads(l) for l in self.tusk("review", "list", "--store", db2, "--action", "all", "--format", "json").splitlines()]
        self.assertEqual(sorted(v["listing_id"] for v in stored), ["s2", "s3"])


class TlsTest(ServerTest):
    def test_https(self):
        import ssl
        import http.client
        cert, key = os.path.join(self.tmp, "cert.pem"), os.path.join(self.tmp, "key.pem")
        r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "1", "-subj", "/CN=127.0.0.1"], capture_output=True, timeout=60)
        if r.returncode != 0:
            self.skipTest("openssl cannot make a certificate")
        s = self.start("--tls-cert", cert, "--tls-key", key, ready=False)
        ctx = ssl.create_default_context(cafile=cert)
        ctx.check_hostname = False
        conn = http.client.HTTPSConnection("127.0.0.1", s.port, context=ctx, timeout=10)
        deadline = time.monotonic() + 60
        while True:
            conn.request("GET", "/readyz")
            resp = conn.getresponse()
            resp.read()
            if resp.status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        conn.request("POST", "/v1/screen", '{"title": "ivory"}')
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(json.loads(resp.read())["action"], "block")
        conn.close()
        # Plain HTTP on the TLS port gets nothing useful.
        status = None
        try:
            status = s.request("GET", "/healthz")[0]
        except Exception:
            pass
        self.assertNotEqual(status, 200)


if __name__ == "__main__":
    TUSK, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
