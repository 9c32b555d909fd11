#!/usr/bin/env python3
"""The review flow through the CLI, as docs/review.md and docs/evidence.md describe it:
scan --store, review list/decide/audit/verify, labels export -> tusk eval, evidence export ->
verify, and one flipped byte in any member of a bundle fails naming that member.

usage: cli_store_test.py TUSK SOURCE_DIR"""
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile

TUSK, ROOT = sys.argv[1], sys.argv[2]
PACK = os.path.join(ROOT, "examples/packs/wildlife")
LISTINGS = os.path.join(ROOT, "examples/listings/sample.jsonl")
ENV = dict(os.environ, TUSK_STDLIB=os.path.join(ROOT, "stdlib"))
failures = []


def run(*args, rc=0, stdin=None):
    p = subprocess.run([TUSK, *args], capture_output=True, text=True, env=ENV, timeout=120, input=stdin)
    if rc is not None and p.returncode != rc:
        raise AssertionError(f"tusk {' '.join(args)}: exit {p.returncode}, wanted {rc}\n{p.stdout}\n{p.stderr}")
    return p


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


tmp = tempfile.mkdtemp(prefix="tusk-store-cli-")
try:
    db = os.path.join(tmp, "verdicts.db")
    store = "sqlite:" + db

    # scan --store: the same output as without, one line per input line; flagged verdicts stored.
    plain = run("scan", "-q", "-j", "2", "-p", PACK, LISTINGS).stdout
    stored = run("scan", "-q", "-j", "2", "-p", PACK, LISTINGS, "--store", store).stdout
    lines = open(LISTINGS, encoding="utf-8").read().splitlines()
    check(stored == plain, "scan --store changes the output")
    check(len(stored.splitlines()) == len(lines), "scan --store: not one output line per input line")
    verdicts = [json.loads(l) for l in plain.splitlines()]
    flagged = [v for v in verdicts if v.get("action") in ("review", "block")]
    everything = [json.loads(l) for l in run("review", "list", "--store", store, "--action", "all", "--format", "json").stdout.splitlines()]
    check(len(everything) == len(flagged), f"stored {len(everything)} verdicts, {len(flagged)} were flagged")
    # The record bytes are kept exactly as they were in the input.
    con = sqlite3.connect(db)
    recs = {r[0]: r[1] for r in con.execute("SELECT listing_id, record FROM verdicts")}
    con.close()
    by_id = {json.loads(l)["id"]: l for l in lines}
    check(all(bytes(recs[i]) == by_id[i].encode("utf-8") for i in recs), "a stored record differs from its input line")

    # review list: open review items, highest score first, then oldest.
    queue = [json.loads(l) for l in run("review", "list", "--store", store, "--format", "json").stdout.splitlines()]
    check(queue and all(q["action"] == "review" for q in queue), "the queue holds something else than review items")
    check([q["score"] for q in queue] == sorted((q["score"] for q in queue), reverse=True), "the queue is not sorted by score")
    seller = queue[0]["seller_id"]
    only = [json.loads(l) for l in run("review", "list", "--store", store, "--format", "json", "--seller", seller).stdout.splitlines()]
    check(only and all(q["seller_id"] == seller for q in only), "--seller does not filter")
    check("open item" in run("review", "list", "--store", store).stdout, "text listing has no count line")

    # review decide: confirm, dismiss, escalate into a case.
    a, b, c = queue[0], queue[1], queue[2]
    run("review", "decide", "--store", store, "--id", str(a["id"]), "--decision", "confirm", "--reviewer", "ana", "--note", "carved ivory, no papers")
    run("review", "decide", "--store", store, "--id", str(b["id"]), "--decision", "dismiss", "--reviewer", "ben", "--note", "a colour")
    run("review", "decide", "--store", store, "--id", str(c["id"]), "--decision", "escalate", "--reviewer", "ana", "--note", "dealer?", "--case", "C-1")
    after = [q["id"] for q in map(json.loads, run("review", "list", "--store", store, "--format", "json").stdout.splitlines())]
    check(not {a["id"], b["id"], c["id"]} & set(after), "decided items are still in the queue")
    check(len(after) == len(queue) - 3, "the queue lost other items")
    audit = run("review", "audit", "--store", store).stdout.splitlines()
    check(len(audit) == 3 and "ana" in audit[0] and '"open"' in audit[0] and '"confirmed"' in audit[0], "audit log")
    run("review", "decide", "--store", store, "--id", "99999", "--decision", "confirm", "--reviewer", "ana", rc=2)
    run("review", "decide", "--store", store, "--id", "1", "--decision", "approve", "--reviewer", "ana", rc=2)
    check("chain intact" in run("review", "verify", "--store", store).stdout, "review verify on an intact store")

    # labels export -> tusk eval reads it; tusk diff reads the corpus.
    labels = os.path.join(tmp, "reviewed.labels.jsonl")
    run("labels", "export", "--store", store, "--since", "2000-01-01", "-o", labels)
    corpus = os.path.join(tmp, "reviewed.jsonl")
    got = [json.loads(l) for l in open(labels, encoding="utf-8")]
    check(sorted((l["id"], l["expected"]) for l in got) == sorted([(a["listing_id"], "block"), (b["listing_id"], "allow")]), f"labels: {got}")
    check(len(open(corpus, encoding="utf-8").read().splitlines()) == 2, "corpus has not two records")
    report = json.loads(run("eval", "--pack", PACK, "--labels", labels, corpus, "--format", "json").stdout)
    check(report["labelled"] == 2 and report["tp"] == 1 and report["fp"] == 1, f"eval over the exported labels: {report}")
    run("diff", PACK, PACK, corpus, rc=None)
    none = os.path.join(tmp, "none.labels.jsonl")
    run("labels", "export", "--store", store, "--since", "2999-01-01", "-o", none)
    check(open(none).read() == "", "--since in the future still exports labels")
    run("labels", "export", "--store", store, "--since", "last week", "-o", none, rc=2)

    # Evidence: export signed, verify passes with the signer's key, and reproduces the verdict.
    key, pub, other = (os.path.join(tmp, n) for n in ("key.pem", "pub.pem", "other.pem"))
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key], check=True, capture_output=True)
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", other], check=True, capture_output=True)
    subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-out", pub], check=True, capture_output=True)
    bundle = os.path.join(tmp, "case.tar.gz")
    run("evidence", "export", "--store", store, "--case", "C-1", "-o", bundle, "--sign", key)
    bundle = os.path.join(tmp, "listing.tar.gz")
    run("evidence", "export", "--store", store, "--listing", a["listing_id"], "-o", bundle, "--sign", key)
    out = run("evidence", "verify", bundle, "--public-key", pub).stdout
    check("VERIFIED" in out and "reproduced" in out, "verify of a fresh bundle:\n" + out)
    with tarfile.open(bundle) as t:
        members = {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}
    vdir = f"verdicts/{a['id']}/"
    check(members[vdir + "record.json"] == by_id[a["listing_id"]].encode(), "the bundled record is not the input line")
    meta = json.loads(members[vdir + "meta.json"])
    check(meta["decisions"][0]["reviewer"] == "ana" and meta["decisions"][0]["note"] == "carved ivory, no papers", "meta decisions")
    check(any(n.startswith("packs/") and n.endswith("/pack/pack.yaml") for n in members), "no pack sources in the bundle")
    check(b"== rules" in members[vdir + "explanation.txt"], "no explanation")
    other_pub = os.path.join(tmp, "other.pub")
    subprocess.run(["openssl", "pkey", "-in", other, "-pubout", "-out", other_pub], check=True, capture_output=True)
    check(run("evidence", "verify", bundle, "--public-key", other_pub, rc=1).stdout.count("manifest.sig") > 0, "another key verifies")

    # One flipped byte in any member fails, naming the member.
    def write_bundle(path, mem):
        with tarfile.open(path, "w:gz") as t:
            for name, data in mem.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))

    same = os.path.join(tmp, "same.tar.gz")
    write_bundle(same, members)
    check(run("evidence", "verify", same, "--public-key", pub).returncode == 0, "a repacked unchanged bundle fails")
    flipped = os.path.join(tmp, "flipped.tar.gz")
    missed = []
    for name, data in members.items():
        if not data:
            continue
        changed = bytearray(data)
        changed[len(changed) // 2] ^= 0x01
        write_bundle(flipped, {**members, name: bytes(changed)})
        p = run("evidence", "verify", flipped, "--public-key", pub, rc=None)
        if p.returncode != 1 or name not in p.stdout:
            missed.append(name)
    check(not missed, f"a flipped byte was not caught or not named in: {missed[:5]}")
    print(f"flipped one byte in each of {len(members)} members: every one failed and was named")
    # Without the key, a bundle re-signed by someone else still fails against the real key; a
    # damaged archive fails as such.
    raw = bytearray(open(bundle, "rb").read())
    raw[len(raw) // 2] ^= 0xFF
    open(flipped, "wb").write(raw)
    check(run("evidence", "verify", flipped, rc=1).returncode == 1, "a damaged archive verifies")
    unsigned = os.path.join(tmp, "unsigned.tar.gz")
    run("evidence", "export", "--store", store, "--seller", seller, "-o", unsigned)
    check("VERIFIED" in run("evidence", "verify", unsigned).stdout, "unsigned bundle")
    run("evidence", "verify", unsigned, "--public-key", pub, rc=1)
    run("evidence", "export", "--store", store, "--listing", "no-such-listing", "-o", unsigned, rc=2)

    # A deleted verdict row is found by `tusk review verify`.
    con = sqlite3.connect(db)
    con.execute("DELETE FROM verdicts WHERE id = 2")
    con.commit()
    con.close()
    p = run("review", "verify", "--store", store, rc=1)
    check("verdict 3: its link does not match verdict 1" in p.stdout, "deleted row not reported:\n" + p.stdout)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("all checks passed")
