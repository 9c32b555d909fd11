#!/usr/bin/env python3
"""A batch request sees the same account state as the same listings sent one by one.

  batch_state_test.py TUSK SOURCE_DIR

`POST /v1/screen/batch` screens the lines of a request in groups, reading the account state of
a group once and writing its updates once (docs/accounts.md). This sends one ordered sequence of
the wildlife pack's listings — sellers interleaved, a seller blocked three times (the third
suspends), a known offender's code word (the label set earlier in the batch raises it to block),
a listing without seller, a malformed posted_at and a line that is not JSON — to two fresh
servers: to A one listing per request (`/v1/screen`), to B as one batch. The verdicts must be
equal, line by line. The sequence is built so that state matters: the same listings with the
sellers renamed apart give other verdicts (the control).

With redis-server installed, the same is done against Redis, and the server's commands are
counted (INFO commandstats): the batch is written with one EVALSHA per group (one per read of
the request body: one to three here), where one by one takes one per listing. The counts are printed for docs/performance.md.
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


def listing(lid, title, seller, day, hour=10):
    rec = {"id": lid, "title": title, "category": "collectibles",
           "posted_at": f"2026-01-{day:02d}T{hour:02d}:00:00Z"}
    if seller is not None:
        rec["seller"] = {"id": seller}
    return json.dumps(rec)


def sequence(tag=""):
    """The lines of the test; `tag` renames every seller apart (the control)."""
    lines = []
    n = 0

    def add(title, seller, day, hour=10):
        nonlocal n
        n += 1
        lines.append(listing(f"l{n}", title, None if seller is None else f"{seller}{tag and '-' + str(n)}", day, hour))

    add("Elephant tusk 3.2kg, whole, natural", "s1", 1)
    add("Raw ivory tusk 2kg", "s2", 1, 11)
    add("Raw ivory tusk 2kg", "s1", 5)
    add("Old white plastic bangle", "s2", 5, 12)  # a code word from a labelled seller: block
    add("Antique Japanese ivory netsuke", None, 6)
    add("Elephant ivory tusk 1.5kg", "s1", 9)  # the third block in 30 days: suspend
    lines.append('{"id": "bad-time", "title": "ivory", "seller": {"id": "s1"}, "posted_at": "2026-01-09"}')
    lines.append("this line is not JSON")
    add("Old white plastic bangle", "s3", 9, 13)  # no label on s3: not the offender's rule
    for i in range(40):  # many sellers, some repeated, to fill a group
        add("Carved ivory brush pot" if i % 3 else "Raw ivory tusk 2kg", f"m{i % 7}", 10 + i % 5, i % 24)
    add("Elephant tusk 3.2kg, whole, natural", "s1", 10)
    return lines


def screen_one(server, line):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("POST", "/v1/screen", body=line, headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    if r.status == 400:
        return {"error": True}
    if r.status != 200:
        raise AssertionError(f"/v1/screen answered {r.status}: {body[:300]!r}")
    return json.loads(body)


def screen_batch(server, lines):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("POST", "/v1/screen/batch", body="\n".join(lines) + "\n",
                 headers={"Content-Type": "application/x-ndjson"})
    r = conn.getresponse()
    body = r.read().decode()
    conn.close()
    if r.status != 200:
        raise AssertionError(f"/v1/screen/batch answered {r.status}: {body[:300]!r}")
    out = []
    for text in body.splitlines():
        v = json.loads(text)
        out.append({"error": True} if "error" in v else v)
    return out


def run(tusk, pack, args, tmp, lines, batch):
    server = Server(tusk, pack, *args, tmp=tmp)
    try:
        server.wait_ready()
        if batch:
            return screen_batch(server, lines)
        return [screen_one(server, line) for line in lines]
    finally:
        server.stop()


def compare(one, many, failures, what):
    if len(one) != len(many):
        failures.append(f"{what}: {len(one)} verdicts one by one, {len(many)} in the batch")
        return
    for i, (a, b) in enumerate(zip(one, many)):
        if a != b:
            failures.append(f"{what}: line {i + 1} differs:\n    one by one: {json.dumps(a)[:400]}\n"
                            f"    batch:      {json.dumps(b)[:400]}")


def redis_calls(port):
    out = subprocess.run(["redis-cli", "-p", str(port), "INFO", "commandstats"], capture_output=True, text=True,
                         timeout=10).stdout
    calls = {}
    for row in out.splitlines():
        if row.startswith("cmdstat_"):
            name, rest = row[len("cmdstat_"):].split(":", 1)
            calls[name] = int(rest.split("calls=")[1].split(",")[0])
    return calls


def main():
    tusk, source = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="tusk-batch-state-")
    os.environ["TUSK_STDLIB"] = os.path.join(source, "stdlib")
    pack = os.path.join(source, "examples", "packs", "wildlife")
    lines = sequence()
    failures = []
    redis = None
    try:
        one = run(tusk, pack, [], tmp, lines, batch=False)
        many = run(tusk, pack, [], tmp, lines, batch=True)
        compare(one, many, failures, "memory")
        accounts = [v.get("account", {}).get("action") for v in many if "error" not in v]
        print("memory: account actions", accounts)
        if "suspend" not in accounts:
            failures.append("no listing suspended its seller: the sequence does not exercise the state")
        if sum(1 for v in many if "error" in v) != 2:
            failures.append("expected exactly two error lines (a malformed posted_at, a line that is not JSON)")
        # Control: with every seller apart, no listing sees another's effects.
        apart = run(tusk, pack, [], tmp, sequence(tag="x"), batch=True)
        if [v.get("account") and v["account"].get("action") for v in apart] == \
                [v.get("account") and v["account"].get("action") for v in many]:
            failures.append("the sellers apart give the same account actions: the state changes nothing here")

        binary = shutil.which("redis-server")
        if not binary or not shutil.which("redis-cli"):
            print("redis-server or redis-cli is not installed: the Redis part is skipped")
        else:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            redis = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                      "--appendonly", "no", "--dir", tmp],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.time() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if time.time() > deadline:
                        raise AssertionError("redis-server did not listen within 10 s")
                    time.sleep(0.05)
            results = {}
            for batch, db in ((False, 1), (True, 2)):
                before = redis_calls(port)
                results[batch] = run(tusk, pack, ["--state", f"redis://127.0.0.1:{port}/{db}"], tmp, lines, batch)
                after = redis_calls(port)
                calls = {k: after.get(k, 0) - before.get(k, 0) for k in ("evalsha", "eval", "hgetall")}
                print(f"redis, {'one batch' if batch else 'one by one'}: {len(lines)} lines, "
                      f"EVALSHA {calls['evalsha']}, EVAL {calls['eval']}, HGETALL {calls['hgetall']}")
                writes = calls["evalsha"] + calls["eval"]
                # One group per read of the body: the request may arrive in more than one read, but
                # never in one per line.
                if batch and not 1 <= writes <= 3:
                    failures.append(f"the batch of {len(lines)} lines was written with {writes} scripts")
                if not batch and writes < len(lines) - 3:
                    failures.append(f"one by one, {writes} scripts for {len(lines)} lines: expected one per listing")
            compare(results[False], results[True], failures, "redis")
            compare(one, results[True], failures, "memory one by one vs redis batch")
    finally:
        if redis:
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
    print("PASS: the batch gave the verdicts of the same listings one by one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
