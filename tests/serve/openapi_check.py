"""Checks a running `tusk serve` against docs/openapi.yaml: every documented route answers every
documented status code (driven by each operation's `x-test` requests) with the documented
content type; every status the tests see is documented; a route that is not documented is 404.

    python3 tests/serve/openapi_check.py TUSK ROOT
"""

import json
import os
import shutil
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serving import Server, write_fixture  # noqa: E402

TOKEN = "openapi-check-token-0123"


def resolve(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"].lstrip("#/").split("/")
        node = spec
        for part in ref:
            node = node[part]
    return node


def main():
    tusk, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    spec = yaml.safe_load(open(os.path.join(root, "docs", "openapi.yaml")))
    tmp = tempfile.mkdtemp(prefix="tusk-openapi-")
    failures = []
    checked = 0
    try:
        pack = write_fixture(os.path.join(tmp, "pack.tusk"))
        token_file = os.path.join(tmp, "token")
        with open(token_file, "w") as f:
            f.write(TOKEN)
        env = {"TUSK_STDLIB": os.path.join(root, "stdlib")}
        admin = Server(tusk, pack, "--admin-token-file", token_file, env=env, tmp=tmp)
        plain = Server(tusk, pack, env=env, tmp=tmp)
        servers = {"admin": admin, "no-admin": plain}
        for s in servers.values():
            s.wait_ready()
        try:
            for path, item in spec["paths"].items():
                for method, op in item.items():
                    documented = {str(code): resolve(spec, r) for code, r in op["responses"].items()}
                    tests = op.get("x-test", [])
                    tested = set()
                    for t in tests:
                        s = servers[t.get("server", "admin")]
                        m = t.get("method", method).upper()
                        headers = {}
                        if t.get("admin") is True:
                            headers["Authorization"] = "Bearer " + TOKEN
                        elif t.get("admin") == "wrong":
                            headers["Authorization"] = "Bearer not-the-token-at-all"
                        body = t.get("body")
                        if "body-bytes" in t:
                            body = '{"title": "' + "x" * t["body-bytes"] + '"}'
                        if t.get("broken-pack"):
                            with open(pack, "w") as f:
                                f.write('pack broken version "1"\n')
                        status, resp, data = s.request(m, path, body, headers)
                        if t.get("broken-pack"):
                            write_fixture(pack)
                        checked += 1
                        where = "%s %s (x-test %r)" % (m, path, {k: v for k, v in t.items() if k != "body"})
                        if status != t["status"]:
                            failures.append("%s: answered %d, the test expects %d" % (where, status, t["status"]))
                        if str(status) not in documented:
                            failures.append("%s: status %d is not documented" % (where, status))
                            continue
                        tested.add(str(status))
                        content = documented[str(status)].get("content", {})
                        ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip()
                        if content and ctype not in content:
                            failures.append("%s: Content-Type %s, documented %s" % (where, ctype, sorted(content)))
                        if ctype == "application/json":
                            doc = json.loads(data)
                            schema = resolve(spec, content.get(ctype, {}).get("schema", {}))
                            for key in schema.get("required", []):
                                if key not in doc:
                                    failures.append("%s: no `%s` in the answer" % (where, key))
                        if status >= 400:
                            doc = json.loads(data)
                            err = doc.get("error", {})
                            codes = spec["components"]["schemas"]["ErrorBody"]["properties"]["code"]["enum"]
                            if not isinstance(err, dict) or err.get("code") not in codes or not err.get("message"):
                                failures.append("%s: not a documented JSON error: %s" % (where, data[:200]))
                        if not resp.getheader("X-Request-Id"):
                            failures.append("%s: no X-Request-Id" % where)
                    # 503 (no pack yet) cannot be provoked on a ready server; every other code must be.
                    untested = set(documented) - tested - {"503"}
                    if untested:
                        failures.append("%s %s: documented statuses never checked: %s" % (method.upper(), path, sorted(untested)))
            status, _, _ = admin.request("GET", "/v1/undocumented")
            if status != 404:
                failures.append("an undocumented route answered %d" % status)
        finally:
            for s in servers.values():
                s.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL " + f)
    print("%d passed, %d failed" % (checked - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
