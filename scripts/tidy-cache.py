#!/usr/bin/env python3
"""A result cache for scripts/check-tidy, so that CI re-checks only what changed.

clang-tidy's findings for a source depend only on that source, the headers it includes, its
compile command, the checks in .clang-tidy and clang-tidy itself. The key of a source is a
digest of all of them: the contents of every dependency inside the repository or the build tree
(taken from ninja's dependency log, so it is exactly what the compiler read) and, for system
headers, their path, size and modification time (a package upgrade changes them). A source is
recorded only after a run in which every checked file was clean, so a finding is never cached:
it is reported again on every run until it is fixed. A source whose dependencies ninja does not
know (not built yet) is always checked.

    tidy-cache.py select BUILD ROOT KEYS FILE...   print the files that must be checked;
                                                   write "key file" lines for them to KEYS
    tidy-cache.py record BUILD ROOT KEYS            mark those keys clean (if still current)
The cache lives in $TUSK_TIDY_CACHE_DIR (default ~/.cache/tusk/tidy); remove it to start over.
"""
import hashlib
import json
import os
import re
import subprocess
import sys


def cache_dir():
    d = os.environ.get("TUSK_TIDY_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "tusk", "tidy")
    os.makedirs(d, exist_ok=True)
    return d


def ninja_deps(build):
    """Maps each compiled source (real path) to the real paths of everything it read."""
    out = subprocess.run(["ninja", "-C", build, "-t", "deps"], capture_output=True, text=True,
                         check=False).stdout
    deps, current = {}, None
    for line in out.splitlines():
        if not line.startswith(" "):
            current = [] if "(VALID)" in line else None
            continue
        if current is None:
            continue
        path = os.path.realpath(os.path.join(build, line.strip()))
        if not current:  # the first dependency is the source itself
            deps[path] = current
        current.append(path)
    return deps


def file_digest(path, root, build):
    inside = path.startswith(root + "/") or path.startswith(build + "/")
    name = path.replace(build, "@BUILD").replace(root, "@ROOT")
    h = hashlib.sha256(name.encode())
    try:
        if inside:
            with open(path, "rb") as f:
                h.update(f.read())
        else:
            st = os.stat(path)
            h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
    except OSError:
        h.update(b"missing")
    return h.digest()


def compute_keys(build, root, files):
    """Maps each file to its key, or None when ninja does not know what it reads."""
    build, root = os.path.realpath(build), os.path.realpath(root)
    version = subprocess.run(["clang-tidy", "--version"], capture_output=True, text=True,
                             check=False).stdout
    with open(os.path.join(root, ".clang-tidy"), "rb") as f:
        config = f.read()
    commands = {}
    with open(os.path.join(build, "compile_commands.json")) as f:
        for e in json.load(f):
            path = os.path.realpath(os.path.join(e["directory"], e["file"]))
            # Paths are made relative so that a clone elsewhere (CI's) finds the same keys.
            command = re.sub(r" -o \S+", "", e.get("command", " ".join(e.get("arguments", []))))
            commands[path] = command.replace(build, "@BUILD").replace(root, "@ROOT")
    deps = ninja_deps(build)
    keys = {}
    for f in files:
        real = os.path.realpath(f)
        if real not in deps:
            keys[f] = None
            continue
        h = hashlib.sha256()
        for part in (version.encode(), config, commands.get(real, "").encode()):
            h.update(hashlib.sha256(part).digest())
        for d in deps[real]:
            h.update(file_digest(d, root, build))
        keys[f] = h.hexdigest()
    return keys


def select(build, root, keys_path, files):
    store = cache_dir()
    todo = []
    with open(keys_path, "w") as out:
        for f, key in compute_keys(build, root, files).items():
            if key is not None and os.path.exists(os.path.join(store, key)):
                continue
            todo.append(f)
            if key is not None:
                out.write(f"{key} {f}\n")
    print("\n".join(todo))


def record(build, root, keys_path):
    """Marks clean the keys selected before the run whose inputs are still the same after it: a
    file edited while clang-tidy ran is checked again next time."""
    store = cache_dir()
    selected = {}
    with open(keys_path) as keys:
        for line in keys:
            key, _, f = line.rstrip("\n").partition(" ")
            if key:
                selected[f] = key
    now = compute_keys(build, root, list(selected))
    for f, key in selected.items():
        if now.get(f) == key:
            open(os.path.join(store, key), "w").close()


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "select":
        select(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif len(sys.argv) == 5 and sys.argv[1] == "record":
        record(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
