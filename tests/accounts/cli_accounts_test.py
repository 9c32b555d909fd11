#!/usr/bin/env python3
"""`tusk accounts` as an operator runs it (docs/accounts.md, "Operations"): show, list with
paging, unlabel and forget with their audit lines and exit statuses, on an embedded store in a
temporary directory and on a throwaway redis-server (skipped, saying so, when it is absent).

usage: cli_accounts_test.py TUSK SEED"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

TUSK, SEED = sys.argv[1], sys.argv[2]
failures = []
passed = 0


def run(*args, rc=0, env=None):
    p = subprocess.run([TUSK, *args], capture_output=True, text=True, timeout=60, env=env or os.environ)
    if rc is not None and p.returncode != rc:
        raise AssertionError(f"tusk {' '.join(args)}: exit {p.returncode}, wanted {rc}\n{p.stdout}\n{p.stderr}")
    return p


def check(cond, what):
    global passed
    passed += 1 if cond else 0
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def seed(spec, lines):
    p = subprocess.run([SEED, spec], input="\n".join(json.dumps(l) for l in lines), text=True,
                       capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr


def updates():
    out = []
    for i in range(1, 6):
        sid = f"u-{i}"
        out.append(dict(space="wildlife", entity="seller", id=sid, kind="add", name="listings", time="-3600", count=i,
                        expires="+86400"))
        out.append(dict(space="wildlife", entity="seller", id=sid, kind="see", name="sites", value="ebay", time="-60",
                        expires="+86400"))
    out.append(dict(space="wildlife", entity="seller", id="u-1", kind="label", name="suspect",
                    value="rule ivory_code on listing L-17", time="+604800", expires="+604800"))
    out.append(dict(space="wildlife", entity="seller", id="u-1", kind="label", name="dealer", value="rule volume",
                    time="+604800", expires="+604800"))
    out.append(dict(space="other", entity="seller", id="u-9", kind="add", name="listings", time="-3600", count=1,
                    expires="+86400"))
    return out


def audit_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f]


def operator_flow(spec, audit_args, audit_file):
    base = ["--state", spec, "--space", "wildlife"]
    shown = json.loads(run("accounts", "show", *base, "seller", "u-1", "--format", "json").stdout)
    check(shown["id"] == "u-1" and shown["entity"] == "seller", f"{spec}: show names the entity")
    check([l["name"] for l in shown["labels"]] == ["dealer", "suspect"], f"{spec}: show lists both labels")
    check(shown["counters"][0]["count"] == 1 and shown["distinct"][0]["value"] == "ebay", f"{spec}: show counters")
    table = run("accounts", "show", *base, "seller", "u-1").stdout
    check("suspect" in table and "rule ivory_code on listing L-17" in table, f"{spec}: the table shows labels")
    check(run("accounts", "show", *base, "seller", "nobody", rc=1).stderr.startswith("nothing stored for seller nobody"),
          f"{spec}: show of an unknown entity")

    page1 = run("accounts", "list", *base, "--entity", "seller", "--limit", "2")
    check(page1.stdout.split("\n")[:2] == ["seller u-1", "seller u-2"], f"{spec}: first page {page1.stdout!r}")
    check("more: --after u-2" in page1.stderr, f"{spec}: a full page names the next cursor")
    page2 = run("accounts", "list", *base, "--entity", "seller", "--limit", "2", "--after", "u-2").stdout.split()
    check(page2 == ["seller", "u-3", "seller", "u-4"], f"{spec}: second page {page2}")
    every = [json.loads(l) for l in run("accounts", "list", *base, "--format", "json").stdout.splitlines()]
    check([e["id"] for e in every] == ["u-1", "u-2", "u-3", "u-4", "u-5"], f"{spec}: list of the space")
    check(run("accounts", "list", *base, "--limit", "1", "--after", "seller:u-4").stdout == "seller u-5\n",
          f"{spec}: ENTITY:ID cursor")

    # An appeal lifts one label; the audit line says who, what and why.
    out = run("accounts", "unlabel", *base, "seller", "u-1", "suspect", "--operator", "ana", "--note", "appeal 12",
              *audit_args).stdout
    check(out.startswith("lifted suspect from seller u-1"), f"{spec}: unlabel output {out!r}")
    shown = json.loads(run("accounts", "show", *base, "seller", "u-1", "--format", "json").stdout)
    check([l["name"] for l in shown["labels"]] == ["dealer"], f"{spec}: the label is gone")
    run("accounts", "unlabel", *base, "seller", "u-1", "suspect", "--operator", "ana", *audit_args, rc=1)
    line = audit_lines(audit_file)[-1]
    check(line["operator"] == "ana" and line["action"] == "unlabel" and line["id"] == "u-1" and
          line["removed"]["label"] == "suspect" and line["removed"]["reason"] == "rule ivory_code on listing L-17" and
          line["note"] == "appeal 12" and line["time"].endswith("Z"), f"{spec}: unlabel audit line {line}")

    # A deletion request removes the entity; the audit counts what went, without the values.
    env = dict(os.environ, USER="bo")
    run("accounts", "forget", *base, "seller", "u-2", *audit_args, env=env)
    run("accounts", "show", *base, "seller", "u-2", rc=1)
    run("accounts", "forget", *base, "seller", "u-2", *audit_args, rc=1, env=env)
    line = audit_lines(audit_file)[-1]
    check(line["operator"] == "bo" and line["action"] == "forget" and line["removed"] ==
          {"counter_buckets": 1, "distinct_values": 1, "labels": []}, f"{spec}: forget audit line {line}")
    check("ebay" not in json.dumps(line), f"{spec}: the audit keeps no deleted value")
    check(len(audit_lines(audit_file)) == 2, f"{spec}: one audit line per change")
    ids = run("accounts", "list", *base, "--entity", "seller").stdout.split()
    check("u-2" not in ids and "u-3" in ids, f"{spec}: list after forget")
    # The other pack's state is untouched.
    check(run("accounts", "list", "--state", spec, "--space", "other").stdout == "seller u-9\n", f"{spec}: other space")

    # No operator, no change.
    env = {k: v for k, v in os.environ.items() if k != "USER"}
    p = run("accounts", "forget", *base, "seller", "u-3", *audit_args, rc=2, env=env)
    check("--operator" in p.stderr, f"{spec}: a change without an operator")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


tmp = tempfile.mkdtemp(prefix="tusk-accounts-cli-")
redis = None
try:
    state = os.path.join(tmp, "state")
    seed(state, updates())
    operator_flow(state, [], os.path.join(state, "audit.jsonl"))

    # Bad specs and files are usage errors with a stable message.
    p = run("accounts", "list", "--state", "rediss://x", "--space", "wildlife", rc=2)
    check("unknown scheme 'rediss'" in p.stderr, "bad scheme message")
    notes = os.path.join(tmp, "notes")
    os.makedirs(notes)
    open(os.path.join(notes, "a.txt"), "w").write("mine")
    p = run("accounts", "list", "--state", notes, "--space", "wildlife", rc=2)
    check("is not a state directory" in p.stderr, "a foreign directory is refused")
    p = run("accounts", "forget", "--state", state, "--space", "wildlife", "seller", "u-3", "--operator", "x",
            "--audit", os.path.join(tmp, "no", "such", "dir", "audit.jsonl"), rc=2)
    check("cannot append to the audit file" in p.stderr, "an unwritable audit file stops the change")
    run("accounts", "show", "--state", state, "--space", "wildlife", "seller", "u-3")  # still there

    binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None)
    if not binary:
        print("SKIP: redis-server is not installed (scripts/bootstrap installs it); the redis:// half did not run")
    else:
        port = free_port()
        redis = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                                  "--dir", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        spec = f"redis://127.0.0.1:{port}/1"
        seed(spec, updates())
        p = run("accounts", "forget", "--state", spec, "--space", "wildlife", "seller", "u-3", "--operator", "x", rc=2)
        check("--audit FILE is required" in p.stderr, "redis:// needs --audit")
        audit = os.path.join(tmp, "redis-audit.jsonl")
        operator_flow(spec, ["--audit", audit], audit)
finally:
    if redis:
        redis.send_signal(signal.SIGTERM)
        try:
            redis.wait(timeout=10)
        except subprocess.TimeoutExpired:
            redis.kill()
            redis.wait()
    shutil.rmtree(tmp, ignore_errors=True)

print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
