#!/usr/bin/env python3
"""`tusk stream` end to end against librdkafka's mock Kafka cluster (tests/stream/kafka_harness).

  stream_test.py --tusk BIN --harness BIN --source REPO [--count N] group|faults|reload

group:  N generated listings (1% malformed) in a 6-partition topic; 3 workers in one group, all
        keeping flagged verdicts in one SQLite verdict store (--store); one is killed with SIGKILL
        mid-run and a replacement started. Every flagged verdict is then in the store.
faults: 2 workers; a broker is taken down and brought back, and Produce, OffsetCommit and Fetch
        requests fail with retriable errors.
reload: 1 worker; the pack is changed and SIGHUP sent mid-run.
accounts: 1 worker, the whole wildlife pack (account state in memory), a 1-partition input
        whose listings come from 40 sellers: the worker screens the messages queued in its lane
        in groups (one state read and write per group), and its verdicts must still equal
        `tusk scan --threads 1`'s on the same input in offset order (docs/accounts.md).
Then every worker gets SIGTERM (drain, commit, leave the group; exit 0) and the topics are read:
every valid input has at least one verdict, equal to `tusk scan --threads 1` on the same input;
every malformed one is in the dead-letter topic with its original bytes, partition, offset and
error; verdicts of one input partition are in input order (per worker session and output
partition); duplicates are counted and reported; every verdict names a digest that was active.
Everything listens on 127.0.0.1; every wait is bounded.
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

DEFAULT_COUNTS = {"group": 6000, "faults": 3000, "reload": 3000, "bench": 20000, "accounts": 3000}
# Input partitions per scenario (6 unless named): with state, one partition keeps every seller's
# listings in one order, the order `tusk scan` is given.
INPUT_PARTITIONS = {"accounts": 1}


def input_partitions(args):
    # The bench's input is larger than the mock's log per partition (~5 MB) holds at 6
    # partitions: it gets one partition per 3,000 listings (~2.3 MB), so that nothing is dropped.
    if args.scenario == "bench":
        return max(6, args.count // 3000)
    return INPUT_PARTITIONS.get(args.scenario, 6)


class Fail(Exception):
    pass


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Mock:
    def __init__(self, harness):
        self.proc = subprocess.Popen([harness, "mock", "--brokers", "3"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "bootstrap":
            raise Fail(f"the mock cluster did not start: {line}")
        self.bootstrap = line[1]
        for addr in self.bootstrap.split(","):
            if not addr.startswith("127.0.0.1:"):
                raise Fail(f"the mock cluster listens on {addr}, not 127.0.0.1")

    def cmd(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if answer != "ok":
            raise Fail(f"mock: {text}: {answer}")

    def stop(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


ALL_WORKERS = []
HARNESS = None


class Worker:
    # Test settings: a small in-flight bound and a long linger make a kill -9 leave work in
    # flight, and the short session timeout makes the group notice it quickly.
    TEST_TUNING = ("--commit-interval", "0.5", "--max-in-flight", "500", "-X", "consumer.fetch.wait.max.ms=100",
                   "-X", "producer.linger.ms=50")

    def __init__(self, args, name, bootstrap, pack, tmp, extra=(), pin=(), tuning=TEST_TUNING):
        self.name = name
        self.bootstrap = bootstrap
        self.log_path = os.path.join(tmp, f"{name}.log")
        self.log_file = open(self.log_path, "w")
        env = dict(os.environ, TUSK_STDLIB=os.path.join(args.source, "stdlib"))
        # TUSK_STREAM_WRAP: a command the workers run under, e.g. "perf record -g -o FILE" to profile.
        wrap = os.environ.get("TUSK_STREAM_WRAP", "").split()
        cmd = [*(["taskset", "-c", pin[0]] if pin else []), *wrap, args.tusk, "stream", "--pack", pack, "--brokers", bootstrap, "--group", "screeners", "--input", "listings",
               "--output", "verdicts", "--dead-letter", "dead-letters", "--threads", "1", "--metrics-listen", "127.0.0.1:0",
               "-X", "session.timeout.ms=3000", "-X", "heartbeat.interval.ms=300", *tuning, *extra]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log_file, env=env)
        ALL_WORKERS.append(self)
        self.port = None
        deadline = time.time() + 60
        while self.port is None:
            if time.time() > deadline or self.proc.poll() is not None:
                raise Fail(f"{name} did not start:\n{open(self.log_path).read()[-3000:]}")
            for line in open(self.log_path):
                if '"streaming"' in line:
                    self.port = json.loads(line)["metrics_port"]
            time.sleep(0.1)

    def metrics(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as r:
            text = r.read().decode()
        out = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                key, value = line.rsplit(" ", 1)
                out[key] = float(value)
        return out

    def healthz(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5) as r:
            return r.status, json.loads(r.read())

    def logs(self):
        return [json.loads(line) for line in open(self.log_path) if line.startswith("{")]


def read_topic(args, bootstrap, topic):
    out = subprocess.run([args.harness, "read", "--brokers", bootstrap, "--topic", topic, "--idle", "1"], capture_output=True,
                         text=True, timeout=120)
    if out.returncode != 0:
        raise Fail(f"reading {topic}: {out.stderr}")
    msgs = []
    first = {}
    for line in out.stdout.splitlines():
        m = json.loads(line)
        m["v"] = bytes.fromhex(m["v"])
        m["h"] = {k: bytes.fromhex(v).decode() for k, v in m["h"].items()}
        msgs.append(m)
        first.setdefault(m["p"], m["o"])
    trimmed = {p: o for p, o in first.items() if o != 0}
    if trimmed:
        raise Fail(f"{topic}: the mock cluster dropped the oldest messages of partitions {trimmed} (its log limit per "
                   f"partition): use fewer messages or more partitions")
    return msgs


def wait_done(workers, total, limit, poll=0.5, partitions=6):
    """Until the workers together consumed every input and nothing is in flight or lagging."""
    deadline = time.time() + limit
    while time.time() < deadline:
        try:
            ms = [w.metrics() for w in workers]
        except OSError:
            time.sleep(0.5)
            continue
        # Offsets start at 0 and each message takes one: all is screened and committed when the
        # group's committed offsets of the partitions add up to the number of messages produced.
        in_flight = sum(m["tusk_stream_in_flight"] for m in ms)
        out = subprocess.run([HARNESS, "committed", "--brokers", workers[0].bootstrap, "--topic", "listings", "--group",
                              "screeners", "--partitions", str(partitions)], capture_output=True, text=True, timeout=60)
        if out.returncode == 0 and int(out.stdout) == total and in_flight == 0:
            return
        time.sleep(poll)
    raise Fail(f"the workers did not finish within {limit} s")


def consumed(workers):
    total = 0
    for w in workers:
        try:
            total += w.metrics()["tusk_stream_messages_total"]
        except OSError:
            pass
    return total


def stop_all(workers):
    for w in workers:
        if w.proc.poll() is None:
            w.proc.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            rc = w.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            w.proc.kill()
            raise Fail(f"{w.name} did not stop within 60 s of SIGTERM")
        if rc != 0:
            raise Fail(f"{w.name} exited {rc} after SIGTERM:\n{open(w.log_path).read()[-3000:]}")
        if not any(e.get("msg") == "drained" for e in w.logs()):
            raise Fail(f"{w.name} did not log its drain")
        # A revocation finishes the revoked partitions' in-flight work before it gives them up;
        # one that ran into the drain deadline left screening to the next owner (and stalled).
        for e in w.logs():
            if e.get("msg") == "partitions revoked" and e.get("drained") is not True:
                raise Fail(f"{w.name} gave up partitions {e.get('partitions')} before their in-flight work was done")


def origin(m):
    """(topic, partition, offset) of an output message's input, from its tusk-input header
    ("listings/3/1234")."""
    topic, partition, offset = m["h"]["tusk-input"].split("/")
    return topic, int(partition), int(offset)


def check(args, bootstrap, tmp, pack_digests, scan_packs, store=None):
    """pack_digests: the digests that were active; scan_packs: digest -> pack to compare with;
    store: the SQLite file the workers kept their flagged verdicts in (--store), if any."""
    inputs = read_topic(args, bootstrap, "listings")
    verdicts = read_topic(args, bootstrap, "verdicts")
    dead = read_topic(args, bootstrap, "dead-letters")
    log(f"read {len(inputs)} inputs, {len(verdicts)} verdicts, {len(dead)} dead letters")
    # What `tusk scan --threads 1` says of the same inputs, per pack.
    inputs.sort(key=lambda m: (m["p"], m["o"]))
    path = os.path.join(tmp, "inputs.jsonl")
    with open(path, "wb") as f:
        for m in inputs:
            f.write(m["v"] + b"\n")
    expected = {}
    env = dict(os.environ, TUSK_STDLIB=os.path.join(args.source, "stdlib"))
    for digest, pack in scan_packs.items():
        out = subprocess.run([args.tusk, "scan", "--pack", pack, "--threads", "1", "--quiet", path], capture_output=True,
                             env=env, timeout=300)
        lines = out.stdout.decode().splitlines()
        if len(lines) != len(inputs):
            raise Fail(f"tusk scan printed {len(lines)} lines for {len(inputs)} inputs: {out.stderr.decode()[-2000:]}")
        expected[digest] = lines
    first = next(iter(expected.values()))
    malformed = {(m["p"], m["o"]) for m, line in zip(inputs, first) if "error" in json.loads(line)}
    index = {(m["p"], m["o"]): i for i, m in enumerate(inputs)}

    # Verdicts: each names its input, equals tusk scan's line for it under the pack it names.
    seen = {}
    bad = []
    for v in verdicts:
        topic, *key = origin(v)
        key = tuple(key)
        if topic != "listings" or key not in index:
            bad.append(f"verdict for unknown input {topic} {key}")
            continue
        digest = v["h"]["tusk-pack-digest"]
        if digest not in pack_digests:
            bad.append(f"verdict of {key} names digest {digest}, which was never active")
            continue
        text = v["v"].decode()
        if json.loads(text)["pack"]["digest"] != digest:
            bad.append(f"verdict of {key}: header and body digests differ")
        want = expected[digest][index[key]]
        if text != want:
            bad.append(f"verdict of {key} differs from tusk scan:\n  got  {text[:300]}\n  want {want[:300]}")
        listing_id = json.loads(text)["id"]
        if listing_id and v["k"] != listing_id.encode().hex():
            bad.append(f"verdict of {key} is keyed {v['k']}, not by its listing id {listing_id}")
        seen[key] = seen.get(key, 0) + 1
    # Dead letters: original bytes, partition, offset and the error.
    dead_seen = {}
    for d in dead:
        topic, *key = origin(d)
        key = tuple(key)
        if key not in malformed:
            bad.append(f"dead letter for {key}, which tusk scan reads as a listing")
            continue
        if d["v"] != inputs[index[key]]["v"]:
            bad.append(f"dead letter of {key} does not hold the original bytes")
        if topic != "listings" or not d["h"].get("tusk-error"):
            bad.append(f"dead letter of {key} lacks its topic or error header: {d['h']}")
        dead_seen[key] = dead_seen.get(key, 0) + 1
    missing = [k for k in index if k not in malformed and k not in seen]
    missing_dead = [k for k in malformed if k not in dead_seen]
    wrongly = [k for k in malformed if k in seen]
    if missing:
        bad.append(f"{len(missing)} valid inputs have no verdict, e.g. {missing[:5]}")
    if missing_dead:
        bad.append(f"{len(missing_dead)} malformed inputs are not in the dead-letter topic, e.g. {missing_dead[:5]}")
    if wrongly:
        bad.append(f"{len(wrongly)} malformed inputs got a verdict")
    # Order: within one worker's session of an input partition, its verdicts (and dead letters)
    # reach each output partition in input order.
    runs = {}
    for topic, msgs in (("verdicts", verdicts), ("dead-letters", dead)):
        for m in sorted(msgs, key=lambda m: (m["p"], m["o"])):
            _, input_partition, off = origin(m)
            k = (topic, m["p"], m["h"]["tusk-session"], input_partition)
            if k in runs and off <= runs[k]:
                bad.append(f"order: {topic} partition {m['p']} has input offset {off} after {runs[k]} (session {k[2]})")
            runs[k] = off
    if store:
        bad += check_store(store, expected, pack_digests)
    duplicates = sum(n - 1 for n in seen.values()) + sum(n - 1 for n in dead_seen.values())
    log(f"valid {len(index) - len(malformed)}, malformed {len(malformed)}, duplicates {duplicates}, "
        f"sessions {len({k[2] for k in runs})}")
    if bad:
        raise Fail("\n".join(bad[:20]) + (f"\n... {len(bad)} problems" if len(bad) > 20 else ""))
    if not malformed:
        raise Fail("the input had no malformed listings: the dead-letter path went untested")
    return duplicates


def check_store(path, expected, pack_digests):
    """Every review or block verdict tusk scan gives is in the store (nothing is lost, even from
    the worker killed with SIGKILL: an offset is committed only once its verdict is stored), no
    row is a verdict tusk scan does not give, and the store holds the sources of the pack."""
    import sqlite3
    con = sqlite3.connect(path)
    try:
        rows = [r[0] for r in con.execute("SELECT verdict_json FROM verdicts")]
        digests = {r[0] for r in con.execute("SELECT DISTINCT digest FROM pack_files")}
    finally:
        con.close()
    flagged = {line for lines in expected.values() for line in lines
               if "error" not in json.loads(line) and json.loads(line)["action"] in ("review", "block")}
    allowed = {line for lines in expected.values() for line in lines}
    stored = set(rows)
    bad = []
    missing = flagged - stored
    if not flagged:
        bad.append("tusk scan flagged no listing: the store went untested")
    if missing:
        bad.append(f"{len(missing)} flagged verdicts are not in the store, e.g. {next(iter(missing))[:300]}")
    strangers = stored - allowed
    if strangers:
        bad.append(f"{len(strangers)} stored verdicts are not tusk scan's, e.g. {next(iter(strangers))[:300]}")
    if any(json.loads(r)["action"] == "allow" for r in rows):
        bad.append("the store keeps allowed verdicts without --store-actions allow")
    if not set(pack_digests) <= digests:
        bad.append(f"the store lacks the sources of pack(s) {set(pack_digests) - digests}")
    log(f"store: {len(rows)} rows for {len(flagged)} flagged verdicts")
    return bad


def generate(args, tmp, seed):
    """The listings in two halves (files), generated with 1% malformed lines."""
    path = os.path.join(tmp, "listings.jsonl")
    subprocess.run([sys.executable, os.path.join(args.source, "scripts", "gen_listings.py"), "--count", str(args.count),
                    "--seed", str(seed), "--malformed", "0.01", "-o", path], check=True, timeout=300)
    lines = open(path, "rb").read().splitlines(keepends=True)
    halves = []
    for i, part in enumerate((lines[:len(lines) // 2], lines[len(lines) // 2:])):
        halves.append(os.path.join(tmp, f"listings-{i}.jsonl"))
        open(halves[-1], "wb").writelines(part)
    return halves


def produce(args, bootstrap, path):
    out = subprocess.run([args.harness, "produce", "--brokers", bootstrap, "--topic", "listings", path], capture_output=True,
                         text=True, timeout=300)
    if out.returncode != 0:
        raise Fail(f"producing: {out.stderr}")
    n = int(out.stdout.split()[1])
    log(f"produced {n} listings")
    return n


def wait_assigned(workers, limit=60, partitions=6):
    """Until every worker holds at least one of the partitions and all are held."""
    deadline = time.time() + limit
    while time.time() < deadline:
        try:
            held = [w.metrics()["tusk_stream_assigned_partitions"] for w in workers]
        except OSError:
            held = [0]
        if sum(held) == partitions and min(held) > 0:
            return
        time.sleep(0.2)
    raise Fail(f"the group did not settle within {limit} s")


def pack_digest(args, pack):
    env = dict(os.environ, TUSK_STDLIB=os.path.join(args.source, "stdlib"))
    tmp = tempfile.mkdtemp(prefix="tusk-stream-digest-")
    try:
        path = os.path.join(tmp, "one.jsonl")
        open(path, "w").write('{"id":"x","title":"t"}\n')
        out = subprocess.run([args.tusk, "scan", "--pack", pack, "--quiet", path], capture_output=True, env=env, timeout=120)
        return json.loads(out.stdout.decode().splitlines()[0])["pack"]["digest"]
    finally:
        shutil.rmtree(tmp)


def wait_consumed(workers, at_least, limit):
    deadline = time.time() + limit
    while consumed(workers) < at_least:
        if time.time() > deadline:
            raise Fail(f"the workers consumed fewer than {at_least} messages within {limit} s")
        time.sleep(0.2)


def scenario_group(args, mock, tmp, pack):
    first, second = generate(args, tmp, 7)
    # A long commit interval, so that the worker killed below has screened messages it has not
    # committed: their verdicts come again from the worker that takes over (duplicates).
    store = os.path.join(tmp, "verdicts.db")
    extra = ["--commit-interval", "3", "--store", "sqlite:" + store]
    workers = [Worker(args, f"w{i}", mock.bootstrap, pack, tmp, extra=extra) for i in range(3)]
    wait_assigned(workers)
    half = produce(args, mock.bootstrap, first)
    victim = workers[1]
    deadline = time.time() + 120
    while victim.metrics()["tusk_stream_messages_total"] == 0 or consumed(workers) < half // 2:
        if time.time() > deadline:
            raise Fail("the workers did not start consuming")
        time.sleep(0.05)
    victim.proc.kill()  # SIGKILL: no drain, no commit, no leave
    victim.proc.wait()
    log(f"killed {victim.name} with SIGKILL at {consumed(workers)} consumed; starting a replacement")
    workers = [workers[0], workers[2], Worker(args, "w3", mock.bootstrap, pack, tmp, extra=extra)]
    produce(args, mock.bootstrap, second)
    wait_done(workers, args.count, 180)
    status, body = workers[0].healthz()
    if status != 200 or body["status"] != "ok":
        raise Fail(f"/healthz: {status} {body}")
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{workers[0].port}/nothing", timeout=5)
        raise Fail("/nothing answered 2xx")
    except urllib.error.HTTPError as e:
        body = json.loads(e.read())
        if e.code != 404 or body["error"]["code"] != "not_found":
            raise Fail(f"/nothing: {e.code} {body}")
    stop_all(workers)
    digest = pack_digest(args, pack)
    return check(args, mock.bootstrap, tmp, {digest}, {digest: pack}, store=store)


def scenario_faults(args, mock, tmp, pack):
    first, second = generate(args, tmp, 11)
    workers = [Worker(args, f"w{i}", mock.bootstrap, pack, tmp) for i in range(2)]
    wait_assigned(workers)
    half = produce(args, mock.bootstrap, first)
    wait_consumed(workers, half // 2, 120)
    mock.cmd("down 2")
    log("broker 2 down")
    time.sleep(3)
    mock.cmd("up 2")
    log("broker 2 up")
    # Retriable errors: Produce (0) NOT_LEADER_OR_FOLLOWER (6), OffsetCommit (8)
    # COORDINATOR_LOAD_IN_PROGRESS (14), Fetch (1) NOT_LEADER_OR_FOLLOWER.
    mock.cmd("errors 0 6 5")
    mock.cmd("errors 8 14 3")
    mock.cmd("errors 1 6 3")
    log("injected request errors")
    produce(args, mock.bootstrap, second)
    wait_done(workers, args.count, 180)
    stop_all(workers)
    digest = pack_digest(args, pack)
    return check(args, mock.bootstrap, tmp, {digest}, {digest: pack})


def stateless_copy(pack, tmp):
    """The wildlife pack without its account rules (accounts.tusk). With account state a
    verdict depends on the listings before it, and these scenarios spread one seller's listings
    over partitions and workers, so only a stateless pack's verdicts equal `tusk scan`'s here
    (the accounts scenario keeps one input partition instead; docs/accounts.md)."""
    copy = os.path.join(tmp, "wildlife-stateless")
    shutil.copytree(pack, copy)
    os.remove(os.path.join(copy, "accounts.tusk"))
    for name, drop in (("pack.yaml", "  - accounts.tusk\n"), ("wildlife.tusk", 'use "accounts.tusk"\n')):
        path = os.path.join(copy, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if drop not in text:
            raise Fail(f"{name} of the wildlife pack no longer has {drop.strip()!r}")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(drop, ""))
    return copy


def scenario_accounts(args, mock, tmp, pack):
    full = os.path.join(args.source, "examples", "packs", "wildlife")  # with accounts.tusk
    path = os.path.join(tmp, "generated.jsonl")
    subprocess.run([sys.executable, os.path.join(args.source, "scripts", "gen_listings.py"), "--count", str(args.count),
                    "--seed", "5", "--positives", "0.3", "--malformed", "0.01", "-o", path], check=True, timeout=300)
    # Few sellers, so that each has a history: counters reach the account rules' thresholds.
    lines = []
    for i, raw in enumerate(open(path, "rb").read().splitlines()):
        try:
            rec = json.loads(raw)
        except ValueError:
            rec = None
        if not isinstance(rec, dict):  # a malformed line stays as generated
            lines.append(raw)
            continue
        rec["seller"] = {"id": f"s{i % 40}"}
        lines.append(json.dumps(rec, ensure_ascii=False).encode())
    source = os.path.join(tmp, "listings.jsonl")
    with open(source, "wb") as f:
        f.write(b"\n".join(lines) + b"\n")
    # A commit interval longer than the wait below: the worker must commit when it catches up
    # (nothing in flight, nothing new), or the group's offsets would not reach the end in time.
    workers = [Worker(args, "w0", mock.bootstrap, full, tmp, extra=["--commit-interval", "600"])]
    wait_assigned(workers, partitions=1)
    produce(args, mock.bootstrap, source)
    wait_done(workers, args.count, 120, partitions=1)
    stop_all(workers)
    digest = pack_digest(args, full)
    duplicates = check(args, mock.bootstrap, tmp, {digest}, {digest: full})
    # The state mattered: some sellers were suspended or watched.
    actions = [json.loads(v["v"]).get("account", {}).get("action") for v in read_topic(args, mock.bootstrap, "verdicts")]
    taken = {a: actions.count(a) for a in ("suspend", "watch")}
    log(f"account actions: {taken}")
    if not taken["suspend"] or not taken["watch"]:
        raise Fail(f"the input does not exercise the account state: {taken}")
    return duplicates


def scenario_reload(args, mock, tmp, pack):
    # A copy of the pack whose version changes mid-run: a new digest.
    copy = os.path.join(tmp, "pack")
    shutil.copytree(pack, copy)
    first, second = generate(args, tmp, 13)
    before = pack_digest(args, copy)
    keep = os.path.join(tmp, "pack-before")
    shutil.copytree(copy, keep)
    workers = [Worker(args, "w0", mock.bootstrap, copy, tmp)]
    wait_assigned(workers)
    half = produce(args, mock.bootstrap, first)
    wait_consumed(workers, half // 2, 120)
    yaml_path = os.path.join(copy, "pack.yaml")
    text = open(yaml_path).read()
    new = re.sub(r"(?m)^version:.*$", "version: 9.9.9-reloaded", text)
    if new == text:
        raise Fail("pack.yaml has no version line to change")
    open(yaml_path, "w").write(new)
    after = pack_digest(args, copy)
    if after == before:
        raise Fail("changing the pack's version did not change its digest")
    workers[0].proc.send_signal(signal.SIGHUP)
    # Recompiling the pack takes seconds on a loaded machine, more under a sanitizer.
    deadline = time.time() + 180
    while not any(e.get("msg") == "pack activated" and e.get("reason") == "SIGHUP" for e in workers[0].logs()):
        if time.time() > deadline:
            raise Fail("the worker did not log the reload")
        time.sleep(0.2)
    log(f"reloaded at {consumed(workers)} consumed")
    produce(args, mock.bootstrap, second)
    wait_done(workers, args.count, 180)
    stop_all(workers)
    duplicates = check(args, mock.bootstrap, tmp, {before, after}, {before: keep, after: copy})
    # Both packs decided some listings, and within an input partition the switch happens once.
    verdicts = read_topic(args, mock.bootstrap, "verdicts")
    seen = {v["h"]["tusk-pack-digest"] for v in verdicts}
    if seen != {before, after}:
        raise Fail(f"expected verdicts of both packs, got digests {seen}")
    last = {}
    for v in sorted(verdicts, key=lambda v: origin(v)[1:]):
        p, d = origin(v)[1], v["h"]["tusk-pack-digest"]
        if last.get(p) == after and d == before:
            raise Fail(f"input partition {p}: a verdict of the old pack after one of the new")
        last[p] = d
    return duplicates


def read_stat(path):
    """(name, user + system CPU seconds so far) from a /proc stat file (a process's or a thread's)."""
    with open(path) as f:
        text = f.read()
    fields = text.rsplit(")", 1)[1].split()
    return text[text.index("(") + 1:text.rindex(")")], (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU time of a process so far (all its threads), from /proc."""
    return read_stat(f"/proc/{pid}/stat")[1]


def thread_cpu(pid):
    """{thread name: user + system CPU seconds so far} of a process, threads of one name summed."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            name, seconds = read_stat(f"/proc/{pid}/task/{tid}/stat")
        except FileNotFoundError:
            continue  # the thread ended
        out[name] = out.get(name, 0) + seconds
    return out


def group_progress(workers):
    """(messages consumed, sum of committed offsets, in flight, partitions held per worker) from
    the workers' /metrics alone: polling costs the measured machine no more than an HTTP GET."""
    consumed = in_flight = 0
    committed = {}
    held = []
    for w in workers:
        m = w.metrics()
        consumed += m["tusk_stream_messages_total"]
        in_flight += m["tusk_stream_in_flight"]
        held.append(m["tusk_stream_assigned_partitions"])
        for key, value in m.items():
            if key.startswith("tusk_stream_committed_offset{"):
                part = key.split('partition="')[1].split('"')[0]
                committed[part] = max(committed.get(part, -1), value)
    return consumed, sum(max(0, c) for c in committed.values()), in_flight, held


def scenario_bench(args, mock, tmp, pack):
    """Not a test: throughput of --workers workers (one scanning thread each, the worker's
    default in-flight bound and linger) against `tusk scan --threads 1` on the comparison corpus
    and against Kafka alone (`kafka_harness pipe`): over the whole window, in the steady part
    (10% to 90% consumed) and while draining (after the producer exited), with the workers' CPU
    per listing by thread; docs/performance.md. TUSK_BENCH_EXTRA adds
    worker options (e.g. "-X producer.linger.ms=20"; its -X settings go to the yardstick too); TUSK_BENCH_TRACE=1 logs the group's
    progress every 50 ms."""
    path = os.path.join(tmp, "corpus.jsonl")
    subprocess.run([sys.executable, os.path.join(args.source, "scripts", "gen_listings.py"), "--count", str(args.count),
                    "--seed", "7", "--positives", "0.03", "--min-bytes", "500", "--max-bytes", "1000", "-o", path],
                   check=True, timeout=300)
    env = dict(os.environ, TUSK_STDLIB=os.path.join(args.source, "stdlib"))
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    # CPU time is the figure a loaded machine moves least: the scan's, without its pack load
    # (a scan of an empty input, after a first one that fills the artifact cache), against the
    # workers' in the window below.
    empty = os.path.join(tmp, "empty.jsonl")
    open(empty, "w").close()

    def scan(corpus):
        """One `tusk scan --threads 1` on its own core: (its own clock's seconds, its CPU seconds)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run([*pin, args.tusk, "scan", "--pack", pack, "--threads", "1", "-o", os.devnull, corpus], env=env,
                             check=True, timeout=600, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds = float(re.search(r" in ([0-9.]+) s", out.stderr).group(1))  # without the pack load
        return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    scan(empty)  # fills the artifact cache
    load_cpu = scan(empty)[1]
    scan_seconds, scan_cpu = scan(path)
    scan_cpu_us = (scan_cpu - load_cpu) / args.count * 1e6
    # Commits every 0.2 s, so that the window's end is not set by the commit timer.
    tuning = ("--commit-interval", "0.2", *os.environ.get("TUSK_BENCH_EXTRA", "").split())
    workers = [Worker(args, f"w{i}", mock.bootstrap, pack, tmp, pin=pin and [str(i % 2)], tuning=tuning)
               for i in range(args.workers)]
    # The input is produced once every worker holds partitions (the group has formed), so that
    # the group starts with no lag and the partitions' work is shared as the assignment says: a
    # worker that joined first would otherwise prefetch and screen a part of the input alone,
    # and the others' partitions would hold more of what is left. The clock starts with the
    # producer, which runs beside the workers as a platform's producers would (off the worker's
    # core when there is one to spare, below).
    # One worker: the mock brokers, the producer and this bench's polling move to the other core,
    # as a platform's brokers and producers run on machines of their own, so that the worker has
    # its core to itself as `tusk scan` had. (Unpinned, they took 0.3 of a core, much of it from
    # the worker's.) With two workers both cores are theirs and nothing moves.
    infra = []
    own_affinity = os.sched_getaffinity(0)
    if pin and args.workers == 1 and {0, 1} <= own_affinity:
        subprocess.run(["taskset", "-a", "-p", "-c", "1", str(mock.proc.pid)], check=True, capture_output=True,
                       timeout=10)
        os.sched_setaffinity(0, {1})
        infra = ["taskset", "-c", "1"]
    deadline = time.time() + 120
    while True:
        consumed0, _, _, held = group_progress(workers)
        if sum(held) == input_partitions(args) and min(held) > 0:
            break
        if time.time() > deadline:
            raise Fail("the group did not form")
        time.sleep(0.01)
    if consumed0:
        raise Fail(f"the workers consumed {consumed0:.0f} messages before any was produced")
    t0 = time.time()
    cpu0 = [cpu_seconds(p) for p in [mock.proc.pid] + [w.proc.pid for w in workers]]
    threads0 = [thread_cpu(w.proc.pid) for w in workers]
    producer_cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    producer = subprocess.Popen([*infra, args.harness, "produce", "--brokers", mock.bootstrap, "--topic", "listings", path],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    produced_at = None
    try:
        trace = []
        while True:
            if produced_at is None and producer.poll() is not None:
                produced_at = time.time() - t0
                if producer.returncode != 0:
                    raise Fail(f"kafka_harness produce: {producer.stderr.read()}")
            c, committed, in_flight, _ = group_progress(workers)
            trace.append((time.time() - t0, c, committed, in_flight))
            if committed == args.count and in_flight == 0:
                break
            if time.time() > t0 + 600:
                raise Fail("the workers did not finish")
            # Every 50 ms: polling every 10 ms took 0.11 of a core from the two measured ones; the
            # window's end moves by at most this much (commits come every 0.2 s).
            time.sleep(0.05)
        seconds = time.time() - t0
        self_cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        poll_cpu = self_cpu1.ru_utime + self_cpu1.ru_stime - self_cpu0.ru_utime - self_cpu0.ru_stime
        if producer.wait(timeout=60) != 0:
            raise Fail(f"kafka_harness produce: {producer.stderr.read()}")
    finally:
        # Bounded whatever stops the bench: a producer left running would retry for minutes.
        if producer.poll() is None:
            producer.kill()
            producer.wait()
        os.sched_setaffinity(0, own_affinity)
    produced_at = produced_at or seconds
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    producer_cpu = after.ru_utime + after.ru_stime - producer_cpu0.ru_utime - producer_cpu0.ru_stime
    total = sum(w.metrics()["tusk_stream_messages_total"] for w in workers)
    if total != args.count:
        raise Fail(f"the workers consumed {total:.0f} messages of {args.count}: the mock cluster dropped input")
    cpu = [cpu_seconds(p) - c for p, c in zip([mock.proc.pid] + [w.proc.pid for w in workers], cpu0)]
    threads = [{k: v - before.get(k, 0) for k, v in thread_cpu(w.proc.pid).items()}
               for w, before in zip(workers, threads0)]
    stop_all(workers)
    screened = args.count
    # The yardstick: the same client settings through the same mock cluster, screening nothing
    # (kafka_harness pipe, on the same core), into a topic of its own and in a group of its own.
    # The client settings given to the workers (-X in TUSK_BENCH_EXTRA) apply to the yardstick too.
    extra = os.environ.get("TUSK_BENCH_EXTRA", "").split()
    client = [w for i, w in enumerate(extra) if w == "-X" or (i > 0 and extra[i - 1] == "-X")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([*pin, args.harness, "pipe", "--brokers", mock.bootstrap, "--topic", "listings", "--output",
                          "piped", "--group", "pipe", "--count", str(args.count), *client], capture_output=True,
                         text=True, timeout=600)
    if out.returncode != 0:
        raise Fail(f"kafka_harness pipe: {out.stderr}")
    pipe_seconds = float(out.stdout.split()[2])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    pipe_cpu_us = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / args.count * 1e6
    if os.environ.get("TUSK_BENCH_TRACE"):
        for t, c, k, f in trace:
            log(f"  {t:6.3f} s: consumed {c:8.0f}, committed {k:8.0f}, in flight {f:6.0f}")
    worker_cpu_us = sum(cpu[1:]) / screened * 1e6
    # The scan again: this host's speed drifts by tens of percent within minutes, so the scan is
    # timed on both sides of the workers and the ratios below use the mean of the two.
    scan_after, scan_cpu_after = scan(path)
    scan_cpu_after_us = (scan_cpu_after - load_cpu) / args.count * 1e6
    log(f"scan --threads 1: before {args.count / scan_seconds:,.0f} listings/s ({scan_seconds:.2f} s, "
        f"{scan_cpu_us:.1f} us of CPU per listing), after {args.count / scan_after:,.0f} listings/s "
        f"({scan_after:.2f} s, {scan_cpu_after_us:.1f} us)")
    scan_seconds = (scan_seconds + scan_after) / 2
    scan_cpu_us = (scan_cpu_us + scan_cpu_after_us) / 2
    log(f"stream, {args.workers} worker(s): {screened / seconds:,.0f} listings/s ({screened} listings in {seconds:.2f} s, "
        f"from the first message produced to the last commit; all produced in {produced_at:.2f} s), {worker_cpu_us:.1f} us of worker CPU per listing "
        f"(scan / worker: {scan_cpu_us / worker_cpu_us:.0%}); listings/s against the scan's mean: "
        f"{screened / seconds / (args.count / scan_seconds):.0%}")
    # The steady rate: from 10% to 90% of the input consumed (the bench's 50 ms samples), without
    # the window's ends: the producer's start and first fetch (~0.1 s before anything is
    # consumed) and the last acknowledgement and commit, which a stream that never ends does not
    # have. Reported beside the window's rate, not instead of it.
    def crossing(fraction):
        return next((t for t, c, _, _ in trace if c >= fraction * args.count), None)

    t10, t90 = crossing(0.1), crossing(0.9)
    if t10 is not None and t90 is not None and t90 > t10:
        steady = 0.8 * args.count / (t90 - t10)
        log(f"steady rate (10% to 90% of the input consumed, {t90 - t10:.2f} s): {steady:,.0f} listings/s; "
            f"against the scan's mean: {steady / (args.count / scan_seconds):.0%}")
    # The drain rate: from the moment the producer has exited to 90% of the input consumed. The
    # workers then have lag to work through, as after a pack change, and share the machine with
    # the mock cluster alone: on two vCPUs the producer's share (0.1-0.2 of a core) is no longer
    # taken from two workers.
    drained = [(t, c) for t, c, _, _ in trace if t >= produced_at]
    t90 = crossing(0.9)
    if drained and t90 is not None and t90 > drained[0][0]:
        rate = (0.9 * args.count - drained[0][1]) / (t90 - drained[0][0])
        log(f"drain rate (after the last message was produced, {drained[0][1]:,.0f} consumed, to 90% consumed, "
            f"{t90 - drained[0][0]:.2f} s): {rate:,.0f} listings/s; against the scan's mean: "
            f"{rate / (args.count / scan_seconds):.0%}")
    log(f"kafka_harness pipe (Kafka alone, nothing screened): {args.count / pipe_seconds:,.0f} listings/s; "
        f"{pipe_cpu_us:.1f} us of CPU per listing (with its start and group join); "
        f"stream / pipe: {screened / seconds / (args.count / pipe_seconds):.0%}")
    for i, per_thread in enumerate(threads):
        log(f"w{i}'s threads, CPU per listing in us: " + ", ".join(
            f"{k} {v / screened * 1e6:.1f}" for k, v in sorted(per_thread.items(), key=lambda kv: -kv[1]) if v > 0))
    log(f"CPU in that window, in cores: producer {producer_cpu / seconds:.2f}; this bench's polling {poll_cpu / seconds:.2f}; mock cluster {cpu[0] / seconds:.2f}; "
        + ", ".join(f"w{i} {c / seconds:.2f}" for i, c in enumerate(cpu[1:])))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tusk", required=True)
    ap.add_argument("--harness", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--count", type=int, default=0, help="listings to generate (default: per scenario)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    ap.add_argument("--workers", type=int, default=1, help="bench: worker processes")
    ap.add_argument("--pack", help="bench: the pack (default: the wildlife pack without account rules)")
    ap.add_argument("scenario", choices=sorted(DEFAULT_COUNTS))
    args = ap.parse_args()
    global HARNESS
    HARNESS = args.harness
    args.count = args.count or DEFAULT_COUNTS[args.scenario]
    tmp = tempfile.mkdtemp(prefix=f"tusk-stream-{args.scenario}-")
    os.environ["TUSK_CACHE_DIR"] = os.path.join(tmp, "cache")
    pack = stateless_copy(os.path.join(args.source, "examples", "packs", "wildlife"), tmp)
    mock = Mock(args.harness)
    started = time.time()
    try:
        # The mock cluster keeps a bounded log per partition (a few MB) and drops the oldest
        # messages beyond it: the output topics get more partitions as the count grows.
        # The bench never reads its output back: 6 partitions whatever the count.
        out_parts = 6 if args.scenario == "bench" else max(6, args.count // 2000)
        in_parts = input_partitions(args)
        for topic, parts in (("listings", in_parts), ("verdicts", out_parts), ("piped", out_parts),
                             ("dead-letters", 3)):
            mock.cmd(f"topic {topic} {parts}")
        if args.pack:
            pack = os.path.abspath(args.pack)
        duplicates = globals()[f"scenario_{args.scenario}"](args, mock, tmp, pack)
        log(f"PASS {args.scenario}: {args.count} listings, {duplicates} duplicate outputs, {time.time() - started:.1f} s")
        return 0
    except Fail as e:
        log(f"FAIL {args.scenario}: {e}")
        log(f"logs in {tmp}")
        args.keep = True
        return 1
    finally:
        for w in ALL_WORKERS:
            if w.proc.poll() is None:
                w.proc.kill()
                w.proc.wait()
        mock.stop()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
