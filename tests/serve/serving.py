"""Starts `tusk serve` for a test: on 127.0.0.1, a free port chosen by the server (--listen
127.0.0.1:0, read back from its "listening" log line), stopped at the end."""

import http.client
import json
import os
import signal
import subprocess
import tempfile
import time

FIXTURE = '''pack serving.fixture version "{version}"

lexicon words {{ "ivory" }}

rule mentions_ivory {{
  when text mentions words
  score {score}
  tag "ivory"
}}

decide {{
  block when score >= 50
  allow otherwise
}}

test "ivory blocks" {{
  listing {{ title: "ivory bangle" }}
  expect {expect}
}}
'''


def write_fixture(path, version="1.0.0", score=50, expect="block"):
    """A small pack whose inline test passes (or fails, with expect="allow")."""
    with open(path, "w") as f:
        f.write(FIXTURE.format(version=version, score=score, expect=expect))
    return path


class Server:
    def __init__(self, tusk, pack, *args, env=None, tmp=None, timeout=60):
        self.tmp = tmp or tempfile.mkdtemp(prefix="tusk-serve-")
        self.log_path = os.path.join(self.tmp, "server-%d.log" % time.monotonic_ns())
        self.log = open(self.log_path, "w")
        environ = dict(os.environ)
        environ.setdefault("TUSK_CACHE_DIR", os.path.join(self.tmp, "cache"))
        environ.update(env or {})
        cmd = [tusk, "serve", "--listen", "127.0.0.1:0", "--threads", "2"]
        if pack is not None:
            cmd += ["--pack", pack]
        self.proc = subprocess.Popen(cmd + list(args), stdout=subprocess.PIPE, stderr=self.log, env=environ)
        self.port = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.port is None:
            for rec in self.logs():
                if rec.get("msg") == "listening":
                    self.port = rec["port"]
            if self.proc.poll() is not None:
                raise RuntimeError("tusk serve exited early: " + open(self.log_path).read())
            time.sleep(0.02)
        if self.port is None:
            self.stop()
            raise RuntimeError("tusk serve did not report its port")

    def logs(self):
        out = []
        with open(self.log_path) as f:
            for line in f:
                if not line.endswith("\n"):
                    break  # still being written
                line = line.strip()
                if line:
                    try:
                        out.append(json.loads(line))  # every log line is one JSON object
                    except ValueError:
                        raise AssertionError("not a JSON log line: %r" % line)
        return out

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _, _ = self.request("GET", "/readyz")
            if status == 200:
                return
            if self.proc.poll() is not None:
                raise RuntimeError("tusk serve exited: " + open(self.log_path).read())
            time.sleep(0.05)
        raise RuntimeError("tusk serve never became ready")

    def connect(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, conn=None):
        own = conn is None
        conn = conn or self.connect()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, resp, data
        finally:
            if own:
                conn.close()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode
