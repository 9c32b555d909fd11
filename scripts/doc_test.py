#!/usr/bin/env python3
"""Runs the commands of docs/tutorial.md and docs/workflow.md and compares their output with
the output written in the docs, digests included, so that the docs cannot drift from the
program.

Usage:
  python3 scripts/doc_test.py --tusk build/bin/tusk [--update] [DOC.md ...]

Without DOC arguments it checks docs/tutorial.md and docs/workflow.md. Exit status: 0 when
every marked block matches, 1 when some output differs (a unified diff per block is printed),
2 on a usage error or a broken marker. With --update the docs' output blocks are rewritten
from the real output instead (review the change with `git diff docs/`).

What runs is marked explicitly in the Markdown with HTML comments, invisible when rendered:

  <!-- doctest -->             before a ```console block: every line starting with `$ ` is a
                               command; the lines up to the next `$ ` line are its expected
                               output (stdout and stderr together). A line `...` in expected
                               output stands for any number of lines: --update keeps as many
                               lines before and after it as the doc shows.
  <!-- doctest: append PATH --> before a fenced block: its text is appended to PATH, as the
                               reader is told to add it with an editor.
  <!-- doctest: run COMMAND --> runs COMMAND without showing it (it must exit 0): an edit the
                               prose describes, e.g. a `sed` for "change block to review".

Blocks without a marker (timings, a CI script for another repository) are not run. All the
blocks of one document run in order in one temporary directory, in one bash session per
block (so `echo $?` reads the exit status of the command before it). The directory holds
links to the repository's examples/, tests/ and stdlib/, so commands written as in the docs,
from the root of a checkout, see the same paths; `tusk` on PATH is the binary under test, the
standard library is the repository's (TUSK_STDLIB) and the compiled-artifact cache is private.
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

DEFAULT_DOCS = ["docs/tutorial.md", "docs/workflow.md"]
MARK = re.compile(r"^<!--\s*doctest(?::\s*(\w+)\s*(.*?))?\s*-->\s*$")
FENCE = re.compile(r"^(```+|~~~+)(\w*)\s*$")
SEP = "@@doctest-command-%d@@"


class DocError(Exception):
    pass


def parse(lines):
    """Marked blocks, in order: dicts with kind, args, the fence's first and last line index."""
    items = []
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i])
        if not m:
            i += 1
            continue
        kind, args = (m.group(1) or "console"), (m.group(2) or "")
        if kind == "run":
            items.append({"kind": "run", "args": args, "line": i})
            i += 1
            continue
        if kind not in ("console", "append"):
            raise DocError(f"line {i + 1}: unknown doctest marker `{kind}`")
        j = i + 1
        while j < len(lines) and lines[j].strip() == "":
            j += 1
        f = FENCE.match(lines[j]) if j < len(lines) else None
        if not f:
            raise DocError(f"line {i + 1}: a doctest marker must come right before a fenced block")
        if kind == "console" and f.group(2) != "console":
            raise DocError(f"line {j + 1}: `<!-- doctest -->` marks ```console blocks only")
        k = j + 1
        while k < len(lines) and not lines[k].startswith(f.group(1)):
            k += 1
        if k == len(lines):
            raise DocError(f"line {j + 1}: the fenced block is not closed")
        items.append({"kind": kind, "args": args, "line": i, "open": j, "close": k})
        i = k + 1
    return items


def split_console(body):
    """[(command, [expected lines])] of a console block's lines."""
    cmds = []
    for line in body:
        if line.startswith("$ "):
            cmds.append((line[2:], []))
        elif not cmds:
            raise DocError(f"console block starts with output, not a `$ ` command: {line!r}")
        else:
            cmds[-1][1].append(line)
    return cmds


def run_block(commands, cwd, env):
    """Actual output lines of each command, run in order in one bash session."""
    script = ["set +e"]
    if shutil.which("stdbuf"):
        # Line-buffered stdout, as on a terminal, so that stdout and stderr interleave as a
        # reader sees them (a pipe would hold stdout back until exit).
        script.append('tusk() { stdbuf -oL "$TUSK_DOCTEST_BIN" "$@"; }')
    for n, c in enumerate(commands):
        # Keep `$?` of the previous command across the separator line.
        script.append(f"__rc=$?; printf '%s\\n' '{SEP % n}'; (exit $__rc)")
        script.append(c)
    r = subprocess.run(["bash", "-c", "\n".join(script)], cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=600)
    text = r.stdout.decode("utf-8", "replace")
    parts = re.split(r"^@@doctest-command-\d+@@\n", text, flags=re.M)
    outs = [p.split("\n") for p in parts[1:]]
    for o in outs:
        if o and o[-1] == "":
            o.pop()
    if len(outs) != len(commands):
        raise DocError(f"expected output for {len(commands)} commands, got {len(outs)}:\n{text}")
    return outs


def matches(expected, actual):
    """`...` lines in expected match any run of lines."""
    pat = "".join(".*?" if e == "..." else re.escape(e + "\n") for e in expected)
    return re.fullmatch(pat, "".join(a + "\n" for a in actual), flags=re.S) is not None


def updated(expected, actual):
    """New expected lines from actual output, keeping the doc's `...` shortening."""
    if "..." not in expected:
        return actual
    head = expected.index("...")
    tail = len(expected) - head - 1
    if head + tail >= len(actual):
        return actual
    return actual[:head] + ["..."] + (actual[len(actual) - tail:] if tail else [])


def check_doc(path, tusk, root, update):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    items = parse(lines)
    if not any(it["kind"] == "console" for it in items):
        raise DocError(f"{path}: no `<!-- doctest -->` block")
    tmp = tempfile.mkdtemp(prefix="tusk-doctest-")
    failures = 0
    replacements = []  # (open, close, new body lines)
    try:
        work = os.path.join(tmp, "work")
        bindir = os.path.join(tmp, "bin")
        os.makedirs(work)
        os.makedirs(bindir)
        for name in ("examples", "tests", "stdlib"):
            os.symlink(os.path.join(root, name), os.path.join(work, name))
        os.symlink(os.path.abspath(tusk), os.path.join(bindir, "tusk"))
        env = dict(os.environ)
        # stdbuf preloads a library; a sanitizer build must not refuse to start because of it.
        asan = env.get("ASAN_OPTIONS", "")
        env.update(ASAN_OPTIONS=(asan + ":" if asan else "") + "verify_asan_link_order=0",
                   TUSK_DOCTEST_BIN=os.path.join(bindir, "tusk"))
        env.update(PATH=bindir + os.pathsep + env.get("PATH", ""), TUSK_STDLIB=os.path.join(root, "stdlib"),
                   TUSK_CACHE_DIR=os.path.join(tmp, "cache"), LC_ALL="C.UTF-8", NO_COLOR="1")
        env.pop("CLICOLOR_FORCE", None)
        for it in items:
            where = f"{path}:{it['line'] + 1}"
            if it["kind"] == "run":
                r = subprocess.run(["bash", "-c", it["args"]], cwd=work, env=env, capture_output=True, text=True)
                if r.returncode != 0:
                    raise DocError(f"{where}: `{it['args']}` exited {r.returncode}: {r.stderr.strip()}")
                continue
            body = lines[it["open"] + 1:it["close"]]
            if it["kind"] == "append":
                target = os.path.join(work, it["args"].strip())
                if not it["args"].strip() or not os.path.exists(target):
                    raise DocError(f"{where}: append needs an existing file, got `{it['args']}`")
                with open(target, "a", encoding="utf-8") as f:
                    f.write("\n" + "\n".join(body) + "\n")
                continue
            cmds = split_console(body)
            outs = run_block([c for c, _ in cmds], work, env)
            new_body = []
            for (cmd, expected), actual in zip(cmds, outs):
                new_body.append("$ " + cmd)
                if matches(expected, actual):
                    new_body.extend(expected)
                    continue
                new_body.extend(updated(expected, actual))
                if not update:
                    failures += 1
                    print(f"FAIL {where}: $ {cmd}")
                    sys.stdout.writelines(difflib.unified_diff([e + "\n" for e in expected], [a + "\n" for a in actual],
                                                               "documented", "actual"))
            if new_body != body:
                replacements.append((it["open"], it["close"], new_body))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if update and replacements:
        for open_, close, new_body in reversed(replacements):
            lines[open_ + 1:close] = new_body
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print(f"updated {path}: {len(replacements)} blocks")
    blocks = sum(1 for it in items if it["kind"] == "console")
    return blocks, failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tusk", required=True, help="the tusk binary to run as `tusk`")
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    help="the repository (default: this script's)")
    ap.add_argument("--update", action="store_true", help="rewrite the docs' output blocks from the real output")
    ap.add_argument("docs", nargs="*", help=f"Markdown files (default: {' '.join(DEFAULT_DOCS)})")
    a = ap.parse_args()
    if not os.access(a.tusk, os.X_OK):
        print(f"doc_test: {a.tusk} is not an executable", file=sys.stderr)
        return 2
    root = os.path.abspath(a.root)
    docs = a.docs or [os.path.join(root, d) for d in DEFAULT_DOCS]
    total = failed = 0
    try:
        for d in docs:
            blocks, failures = check_doc(d, a.tusk, root, a.update)
            total += blocks
            failed += 1 if failures else 0
            print(f"{'FAIL' if failures else 'ok  '} {os.path.relpath(d, root)}: {blocks} blocks, {failures} commands differ")
    except DocError as e:
        print(f"doc_test: {e}", file=sys.stderr)
        return 2
    print(f"{len(docs) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
