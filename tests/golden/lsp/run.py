#!/usr/bin/env python3
"""Scripted LSP sessions against `tusk lsp`, compared with their expected output.

Each session is tests/golden/lsp/NAME.jsonl: one JSON value per line (blank lines and lines
starting with `#` are skipped). A line is an LSP message to send, with these conveniences:
  - "${ROOT}" anywhere is the repository root (in URIs: file://${ROOT}/...);
  - {"open": "path/from/root.tusk"} sends textDocument/didOpen with the file's text;
  - {"edit": "path/from/root.tusk", "replace": OLD, "with": NEW} sends textDocument/didChange
    with the document's whole text after replacing the first OLD by NEW (full sync);
  - "jsonrpc" is added when missing.
After a request the driver waits for its response; after didOpen and didChange it waits for
the document's publishDiagnostics. So the session's output does not depend on timing: it is
every message the server wrote, in order, then {"exit": code}. The output, with the root
path written back as ${ROOT}, must equal NAME.out.jsonl; UPDATE_GOLDENS=1 rewrites those.

The server runs with the stand-in stdlib tests/golden/lsp/stdlib, a private cache directory,
and is killed if a wait takes longer than --timeout seconds.
"""
import argparse
import json
import os
import select
import subprocess
import sys
import tempfile
import time


def read_message(proc, deadline):
    """One framed message from the server's stdout, or None at end of output."""
    out = proc.stdout
    headers = {}
    while True:
        line = read_line(out, deadline)
        if line is None:
            return None
        line = line.rstrip(b"\r\n")
        if not line:
            if headers:
                break
            continue
        name, _, value = line.decode("ascii").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers["content-length"])
    fd = out.fileno()
    while len(_buffer.get(fd, b"")) < length:
        wait(out, deadline, force=True)
        chunk = os.read(fd, 65536)
        if not chunk:
            return None
        _buffer[fd] = _buffer.get(fd, b"") + chunk
    body, _buffer[fd] = _buffer[fd][:length], _buffer[fd][length:]
    return json.loads(body.decode("utf-8"))


_buffer = {}


def read_line(out, deadline):
    buf = _buffer.setdefault(out.fileno(), b"")
    while b"\n" not in buf:
        wait(out, deadline, force=True)
        chunk = os.read(out.fileno(), 65536)
        if not chunk:
            _buffer[out.fileno()] = b""
            return None
        buf += chunk
    line, _, rest = buf.partition(b"\n")
    # Push back what follows the line: the body is read from the same buffer below.
    _buffer[out.fileno()] = rest
    return line + b"\n"


def wait(out, deadline, force=False):
    if _buffer.get(out.fileno()) and not force:
        return
    left = deadline - time.monotonic()
    if left <= 0 or not select.select([out], [], [], left)[0]:
        raise TimeoutError("the server did not answer in time")


def send(proc, msg):
    data = json.dumps(msg, ensure_ascii=False).encode("utf-8")
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
    proc.stdin.flush()


def substitute(value, root):
    if isinstance(value, str):
        return value.replace("${ROOT}", root)
    if isinstance(value, list):
        return [substitute(v, root) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, root) for k, v in value.items()}
    return value


def normalize(msg, root):
    text = json.dumps(msg, ensure_ascii=False, sort_keys=True)
    text = text.replace(root, "${ROOT}")
    out = json.loads(text)
    info = out.get("result", {}) if isinstance(out.get("result"), dict) else {}
    if "serverInfo" in info:
        info["serverInfo"]["version"] = "${VERSION}"
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def run_session(tusk, root, path, timeout):
    messages = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#"):
                messages.append(substitute(json.loads(line), root))
    env = dict(os.environ)
    env["TUSK_STDLIB"] = os.path.join(root, "tests/golden/lsp/stdlib")
    cache = tempfile.mkdtemp(prefix="tusk-lsp-cache-")
    env["TUSK_CACHE_DIR"] = cache
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([tusk, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=root)
    _buffer.pop(proc.stdout.fileno(), None)
    received = []
    texts = {}  # open documents: path -> (version, text)
    try:
        for msg in messages:
            if "open" in msg:
                rel = msg["open"]
                with open(os.path.join(root, rel), encoding="utf-8") as f:
                    texts[rel] = (1, f.read())
                msg = {"method": "textDocument/didOpen",
                       "params": {"textDocument": {"uri": "file://" + os.path.join(root, rel), "languageId": "tusk",
                                                   "version": 1, "text": texts[rel][1]}}}
            elif "edit" in msg:
                rel = msg["edit"]
                version, text = texts[rel]
                if msg["replace"] not in text:
                    raise ValueError(f"{msg['replace']!r} is not in {rel}")
                texts[rel] = (version + 1, text.replace(msg["replace"], msg["with"], 1))
                msg = {"method": "textDocument/didChange",
                       "params": {"textDocument": {"uri": "file://" + os.path.join(root, rel), "version": version + 1},
                                  "contentChanges": [{"text": texts[rel][1]}]}}
            msg.setdefault("jsonrpc", "2.0")
            send(proc, msg)
            method = msg.get("method")
            if "id" in msg and method is not None:
                def done(m, id=msg["id"]):
                    return m.get("id") == id and "method" not in m
            elif method in ("textDocument/didOpen", "textDocument/didChange"):
                def done(m, uri=msg["params"]["textDocument"]["uri"]):
                    return m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            elif method == "exit":
                break
            else:
                continue
            deadline = time.monotonic() + timeout
            while True:
                m = read_message(proc, deadline)
                if m is None:
                    raise RuntimeError(f"the server stopped while a reply to {method} was awaited")
                received.append(m)
                if done(m):
                    break
        proc.stdin.close()
        deadline = time.monotonic() + timeout
        while True:
            m = read_message(proc, deadline)
            if m is None:
                break
            received.append(m)
        rc = proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        subprocess.run(["rm", "-rf", cache], check=False)
    lines = [normalize(m, root) for m in received]
    lines.append(json.dumps({"exit": rc}))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tusk", required=True)
    ap.add_argument("--root", required=True, help="the repository root")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("sessions", nargs="*", help="session names (default: all)")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    tusk = os.path.abspath(args.tusk)
    here = os.path.join(root, "tests/golden/lsp")
    names = args.sessions or sorted(f[:-6] for f in os.listdir(here) if f.endswith(".jsonl") and not f.endswith(".out.jsonl"))
    update = os.environ.get("UPDATE_GOLDENS") == "1"
    failed = 0
    for name in names:
        try:
            got = run_session(tusk, root, os.path.join(here, name + ".jsonl"), args.timeout)
        except Exception as e:  # noqa: BLE001 - every failure is reported per session
            print(f"FAIL {name}: {e}")
            failed += 1
            continue
        expected_path = os.path.join(here, name + ".out.jsonl")
        if update:
            with open(expected_path, "w", encoding="utf-8") as f:
                f.write(got)
            print(f"updated {name}")
            continue
        try:
            with open(expected_path, encoding="utf-8") as f:
                expected = f.read()
        except FileNotFoundError:
            expected = ""
        if got == expected:
            print(f"ok   {name}")
        else:
            failed += 1
            print(f"FAIL {name}: output differs from {os.path.relpath(expected_path, root)}")
            import difflib
            sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "expected", "got"))
    print(f"{len(names) - failed} of {len(names)} sessions as expected")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
