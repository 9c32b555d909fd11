#!/usr/bin/env python3
"""`tusk bundle`, `tusk bundle verify`, `tusk bundle keygen` and `tusk scan --pack BUNDLE` as a
user runs them (docs/bundles.md): exit codes, the member each failure names, and verdicts from a
bundle equal to those from the pack directory. Tampered bundles are made with Python's tarfile,
as an attacker would.

usage: bundle_cli.py TUSK SOURCE_DIR
"""
import gzip
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile

tusk, root = sys.argv[1], sys.argv[2]
wildlife = os.path.join(root, "examples/packs/wildlife")
sample = os.path.join(root, "examples/listings/sample.jsonl")
tmp = tempfile.mkdtemp(prefix="tusk-bundle-cli-")
env = dict(os.environ, TUSK_STDLIB=os.path.join(root, "stdlib"), TUSK_CACHE_DIR=os.path.join(tmp, "cache"))
failures = []


def run(*args, env_over=None):
    e = dict(env, **(env_over or {}))
    p = subprocess.run([tusk, *args], capture_output=True, env=e, timeout=240)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def check(cond, what, detail=""):
    if not cond:
        failures.append(f"{what}\n{detail}")
        print(f"FAIL {what}\n{detail}", file=sys.stderr)
    else:
        print(f"ok   {what}")


def path(name):
    return os.path.join(tmp, name)


def members(bundle):
    with tarfile.open(bundle, "r:gz") as t:
        return [(m, t.extractfile(m).read() if m.isfile() else b"") for m in t.getmembers()]


def rewrite(bundle, out, edit):
    """Writes the members of `bundle`, changed by edit(list of (TarInfo, bytes)), to `out`."""
    ms = members(bundle)
    ms = edit(ms)
    with tarfile.open(out, "w:gz") as t:
        for info, data in ms:
            info.size = len(data) if info.isfile() else 0
            t.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return out


def regular(name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    return info, data


try:
    # Keys.
    rc, out, err = run("bundle", "keygen", "-o", path("release.key"))
    check(rc == 0, "keygen writes a key pair", err)
    check(stat.S_IMODE(os.stat(path("release.key")).st_mode) == 0o600, "the private key is mode 0600")
    check(open(path("release.key.pub")).read().startswith("-----BEGIN PUBLIC KEY-----"), "the public key is PEM")
    rc, out, err = run("bundle", "keygen", "-o", path("release.key"))
    check(rc == 2 and "exists" in err, "keygen does not overwrite a key", err)
    rc, _, err = run("bundle", "keygen", "-o", path("other.key"))
    check(rc == 0, "a second key pair", err)

    # Build: signed and unsigned.
    signed = path("wildlife-1.0.0.tusk.tar.gz")
    rc, out, err = run("bundle", wildlife, "-o", signed, "--sign", path("release.key"))
    check(rc == 0 and "signed with key" in out, "bundle --sign builds a signed bundle", out + err)
    unsigned = path("unsigned.tusk.tar.gz")
    rc, out, err = run("bundle", wildlife, "-o", unsigned)
    check(rc == 0 and "unsigned" in out, "bundle builds an unsigned bundle", out + err)
    names = [m.name for m, _ in members(signed)]
    check(names[:2] == ["manifest.json", "manifest.sig"], "manifest.json and manifest.sig come first", str(names[:3]))
    for must in ["pack/pack.yaml", "pack/ivory.tusk", "std/money/rates.yaml", "std/wildlife/ivory.tusk"]:
        check(must in names, f"the bundle holds {must}")
    manifest = json.loads(dict((m.name, d) for m, d in members(signed))["manifest.json"])
    rc, out, _ = run("scan", "--quiet", "--pack", wildlife, sample)
    digest = json.loads(out.splitlines()[0])["pack"]["digest"]
    check(manifest["digest"] == digest, "the manifest's digest is the pack directory's", digest)
    check(manifest["tests"]["failed"] == 0 and manifest["tests"]["passed"] > 0, "the manifest records the test results")

    # Verify.
    rc, out, err = run("bundle", "verify", signed, "--public-key", path("release.key.pub"))
    check(rc == 0 and "signature valid" in out, "verify: a signed bundle with its key", out + err)
    rc, out, err = run("bundle", "verify", signed, "--public-key", path("release.key.pub"), "--format", "json")
    report = json.loads(out) if rc == 0 else {}
    check(report.get("ok") is True and report.get("signature_checked") is True, "verify --format json", out + err)
    rc, out, err = run("bundle", "verify", signed, env_over={"TUSK_STDLIB": path("nowhere")})
    check(rc == 0, "verify needs no standard library on the machine", out + err)
    rc, out, err = run("bundle", "verify", unsigned, "--public-key", path("release.key.pub"))
    check(rc == 1 and "manifest.sig" in err and "not signed" in err, "verify: unsigned bundle with a key is refused", err)
    rc, out, err = run("bundle", "verify", signed, "--public-key", path("other.key.pub"))
    check(rc == 1 and "manifest.sig" in err, "verify: a bundle signed with another key is refused", err)
    rc, out, err = run("bundle", "verify", path("absent.tusk.tar.gz"))
    check(rc == 2, "verify: a missing file is an I/O error (2)", err)
    rc, out, err = run("bundle", "verify", signed, "--public-key", path("absent.pub"))
    check(rc == 2, "verify: a missing key is an I/O error (2)", err)
    with open(path("junk.tusk.tar.gz"), "wb") as f:
        f.write(b"not a bundle at all")
    rc, out, err = run("bundle", "verify", path("junk.tusk.tar.gz"))
    check(rc == 1, "verify: a file that is not a tar.gz fails (1)", err)

    # One flipped byte in members of every kind.
    for target in ["pack/pack.yaml", "pack/ivory.tusk", "std/wildlife/ivory.tusk", "std/money/rates.yaml",
                   next(n for n in names if n.startswith("std/wildlife/lexicons/"))]:
        def flip(ms, target=target):
            out = []
            for info, data in ms:
                if info.name == target:
                    b = bytearray(data)
                    b[len(b) // 2] ^= 1
                    data = bytes(b)
                out.append((info, data))
            return out
        bad = rewrite(signed, path("flipped.tusk.tar.gz"), flip)
        rc, out, err = run("bundle", "verify", bad)
        check(rc == 1 and f"{target}: SHA-256" in err, f"a flipped byte in {target} fails naming it", err)
    # The manifest itself, edited: the signature catches it.
    def edit_manifest(ms):
        return [(i, d.replace(b'"version": "1.0.0"', b'"version": "9.9.9"') if i.name == "manifest.json" else d) for i, d in ms]
    bad = rewrite(signed, path("edited.tusk.tar.gz"), edit_manifest)
    rc, out, err = run("bundle", "verify", bad, "--public-key", path("release.key.pub"))
    check(rc == 1 and "manifest.sig" in err, "an edited manifest fails its signature", err)

    # Members added or removed.
    bad = rewrite(signed, path("added.tusk.tar.gz"), lambda ms: ms + [regular("pack/extra.tusk", b"rule x { when text mentions y score 1 }\n")])
    rc, out, err = run("bundle", "verify", bad)
    check(rc == 1 and "pack/extra.tusk: is not listed in the manifest" in err, "an added member fails naming it", err)
    bad = rewrite(signed, path("removed.tusk.tar.gz"), lambda ms: [(i, d) for i, d in ms if i.name != "pack/tiger.tusk"])
    rc, out, err = run("bundle", "verify", bad)
    check(rc == 1 and "pack/tiger.tusk: missing" in err, "a removed member fails naming it", err)

    # Path traversal and links: refused, and nothing is written anywhere.
    # The verifier's only scratch space is $TMPDIR (the bundled stdlib while the pack compiles):
    # a private one here, which must be empty again afterwards.
    scratch = path("scratch")
    os.mkdir(scratch)
    for evil in ["../evil.tusk", "/tmp/evil.tusk", "pack/../../evil.tusk"]:
        bad = rewrite(signed, path("evil.tusk.tar.gz"), lambda ms, evil=evil: ms + [regular(evil, b"x")])
        rc, out, err = run("bundle", "verify", bad, env_over={"TMPDIR": scratch})
        check(rc == 1 and f"{evil}: refused" in err, f"member name {evil!r} is refused", err)
    def add_link(ms):
        info = tarfile.TarInfo("pack/link.tusk")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        return ms + [(info, b"")]
    bad = rewrite(signed, path("link.tusk.tar.gz"), add_link)
    rc, out, err = run("bundle", "verify", bad, env_over={"TMPDIR": scratch})
    check(rc == 1 and "pack/link.tusk: refused: a symbolic link" in err, "a symbolic link member is refused", err)
    rc, out, err = run("bundle", "verify", signed, env_over={"TMPDIR": scratch})
    check(rc == 0, "verify with a private TMPDIR", err)
    check(os.listdir(scratch) == [] and not os.path.exists(os.path.join(os.path.dirname(tmp), "evil.tusk"))
          and not os.path.exists(path("evil.tusk")) and not os.path.exists("/tmp/evil.tusk"),
          "verifying left nothing behind and wrote nothing outside", str(os.listdir(scratch)))

    # A huge member (a gzip bomb: 80 MiB of zeros in well under 1 MiB) is refused by its size.
    bomb = path("bomb.tusk.tar.gz")
    with tarfile.open(bomb, "w:gz") as t:
        info = tarfile.TarInfo("pack/huge.tusk")
        info.size = 80 << 20
        class Zeros(io.RawIOBase):
            def __init__(self, n): self.n = n
            def readinto(self, b):
                k = min(len(b), self.n); b[:k] = bytes(k); self.n -= k; return k
            def readable(self): return True
        t.addfile(info, io.BufferedReader(Zeros(info.size)))
    check(os.path.getsize(bomb) < (1 << 20), "the bomb is small packed")
    rc, out, err = run("bundle", "verify", bomb)
    check(rc == 1 and "pack/huge.tusk: refused" in err and "limit" in err, "a huge member is refused with a clear error", err)

    # Scan from the bundle: the same verdicts as from the directory.
    rc1, direct, err1 = run("scan", "--quiet", "--pack", wildlife, sample)
    rc2, bundled, err2 = run("scan", "--quiet", "--pack", signed, "--public-key", path("release.key.pub"), sample)
    check(rc1 == rc2 and direct == bundled and direct.count("\n") > 10,
          "scan --pack BUNDLE gives the verdicts of the pack directory", err1 + err2)
    rc, out, err = run("scan", "--quiet", "--pack", unsigned, "--public-key", path("release.key.pub"), sample)
    check(rc == 2 and out == "" and "not signed" in err, "scan refuses an unsigned bundle when a key is given", err)
    rc, out, err = run("scan", "--quiet", "--pack", path("removed.tusk.tar.gz"), sample)
    check(rc == 2 and out == "" and "pack/tiger.tusk" in err, "scan refuses a damaged bundle, naming the member", err)

    # A pack whose tests fail is not bundled unless allowed.
    broken = path("broken-pack")
    shutil.copytree(os.path.join(root, "examples/packs/ivory"), broken)
    with open(os.path.join(broken, "ivory.tusk"), "a") as f:
        f.write('\ntest "a chair is blocked (wrong on purpose)" {\n  listing { title: "Wooden chair" }\n  expect block\n}\n')
    rc, out, err = run("bundle", broken, "-o", path("broken.tusk.tar.gz"))
    check(rc == 1 and "a chair is blocked" in err and not os.path.exists(path("broken.tusk.tar.gz")),
          "a pack with a failing test is refused and nothing is written", out + err)
    rc, out, err = run("bundle", broken, "-o", path("broken.tusk.tar.gz"), "--allow-failing-tests")
    check(rc == 0 and "1 failed" in out, "--allow-failing-tests bundles it and says so", out + err)
    with open(os.path.join(broken, "ivory.tusk"), "a") as f:
        f.write("\nrule broken {\n  when text mentions no_such_lexicon\n  score 5\n}\n")
    rc, out, err = run("bundle", broken, "-o", path("errors.tusk.tar.gz"))
    check(rc == 3 and "no_such_lexicon" in err and not os.path.exists(path("errors.tusk.tar.gz")),
          "a pack with errors is refused (3, as for every command), with its diagnostics", err)
    rc, out, err = run("bundle", path("no-such-pack"), "-o", path("x.tusk.tar.gz"))
    check(rc == 2, "a missing pack is a usage error (2)", err)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"{len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("all bundle CLI checks passed")
