#!/usr/bin/env python3
"""Two `tusk serve` instances sharing account state in one Redis count a seller together.

  shared_state_test.py TUSK SOURCE_DIR

A throwaway redis-server on 127.0.0.1 (a free port, no persistence) and two servers with the
wildlife pack and --state redis://...: three blocked listings of one seller, sent to A, B, A.
The third must suspend the seller (the pack suspends on the third block in 30 days), which only
holds if A sees the block B recorded. The same sequence against two servers with their own
in-memory state must not suspend: the control shows the test can fail. Skipped (exit 77) when
redis-server is not installed.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "serve"))
from serving import Server  # noqa: E402

LISTINGS = [
    {"id": "a1", "title": "Elephant tusk 3.2kg, whole, natural", "category": "collectibles",
     "seller": {"id": "shared-s1"}, "posted_at": "2026-01-01T10:00:00Z"},
    {"id": "a2", "title": "Raw ivory tusk 2kg", "category": "collectibles",
     "seller": {"id": "shared-s1"}, "posted_at": "2026-01-05T10:00:00Z"},
    {"id": "a3", "title": "Elephant ivory tusk 1.5kg", "category": "collectibles",
     "seller": {"id": "shared-s1"}, "posted_at": "2026-01-09T10:00:00Z"},
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def screen(server, listing):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("POST", "/v1/screen", body=json.dumps(listing), headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    if r.status != 200:
        raise AssertionError(f"/v1/screen answered {r.status}: {body[:300]!r}")
    return json.loads(body)


def run_sequence(tusk, pack, state_args, tmp):
    servers = [Server(tusk, pack, *state_args, tmp=tmp), Server(tusk, pack, *state_args, tmp=tmp)]
    try:
        for s in servers:
            s.wait_ready()
        verdicts = [screen(servers[i % 2], listing) for i, listing in enumerate(LISTINGS)]
    finally:
        for s in servers:
            s.stop()
    return verdicts


def main():
    tusk, source = sys.argv[1], sys.argv[2]
    binary = shutil.which("redis-server")
    if not binary:
        print("SKIP: redis-server is not installed (scripts/bootstrap installs it)")
        return 77
    tmp = tempfile.mkdtemp(prefix="tusk-shared-state-")
    os.environ["TUSK_STDLIB"] = os.path.join(source, "stdlib")
    pack = os.path.join(source, "examples", "packs", "wildlife")
    port = free_port()
    redis = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                              "--dir", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = []
    try:
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise AssertionError("redis-server did not listen within 10 s")
                time.sleep(0.05)
        shared = run_sequence(tusk, pack, ["--state", f"redis://127.0.0.1:{port}/0"], tmp)
        actions = [v["action"] for v in shared]
        accounts = [v.get("account", {}).get("action") for v in shared]
        print("shared redis:", actions, accounts)
        if actions != ["block", "block", "block"]:
            failures.append(f"the listings should all be blocked, got {actions}")
        if accounts != ["none", "none", "suspend"]:
            failures.append(f"shared state: expected account actions none, none, suspend; got {accounts}")
        state = shared[2].get("account", {})
        if state.get("id") != "shared-s1" or state.get("entity") != "seller":
            failures.append(f"the account verdict names {state.get('entity')} {state.get('id')}")
        # Control: without shared state, server A has seen only one block of the seller.
        alone = run_sequence(tusk, pack, [], tmp)
        alone_accounts = [v.get("account", {}).get("action") for v in alone]
        print("own memory:  ", alone_accounts)
        if alone_accounts[2] == "suspend":
            failures.append("without shared state the third listing suspended too: the test proves nothing")
    finally:
        redis.send_signal(signal.SIGTERM)
        try:
            redis.wait(timeout=10)
        except subprocess.TimeoutExpired:
            redis.kill()
            redis.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print("PASS: two servers sharing Redis counted the seller together")
    return 0


if __name__ == "__main__":
    sys.exit(main())
