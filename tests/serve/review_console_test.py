"""The reviewer console of `tusk serve --store` (docs/review.md), driven with http.client: a
store filled by `tusk scan --store`, reviewer accounts made by `tusk review user add`, a real
server on 127.0.0.1 on a port of its choosing. Sign-in, cookies, CSRF refusals, the queue and its
filters, one verdict with its evidence marked at the right bytes (CJK and emoji included), a
decision that lands in the store (audit log, labels export), an evidence bundle that verifies,
and the lockout after failed sign-ins.

usage: review_console_test.py TUSK ROOT [unittest args]"""

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serving import Server  # noqa: E402

TUSK = ROOT = None
PASSWORD = "correct horse battery"
# Listings written for this test (not from research data): CJK and emoji before the evidence.
EXTRA = [
    {"id": "z1", "title": "\U0001F418 象牙手镯，雕刻精美 carved ivory bangle", "lang": "zh", "seller": {"id": "u9"}},
    # Four listings of one seller, for the seller history of a verdict's page.
    {"id": "z2", "title": "Raw ivory tusk 2kg", "lang": "en", "seller": {"id": "u8"}},
    {"id": "z3", "title": "Antique ivory figurine", "lang": "en", "seller": {"id": "u8"}},
    {"id": "z4", "title": "Carved ivory brush pot", "lang": "en", "seller": {"id": "u8"}},
    {"id": "z5", "title": "象牙の根付、明治時代 ivory netsuke", "lang": "ja", "seller": {"id": "u8"}},
]


def run(*args, stdin=None, check=True):
    r = subprocess.run([TUSK] + list(args), input=stdin, capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, TUSK_STDLIB=os.path.join(ROOT, "stdlib")))
    if check and r.returncode != 0:
        raise AssertionError("tusk %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
    return r


def set_cookies(resp):
    return [v for k, v in resp.getheaders() if k.lower() == "set-cookie"]


class Browserless:
    """A client with a cookie jar, one cookie path (/review)."""

    def __init__(self, server):
        self.server = server
        self.cookies = {}

    def request(self, method, path, form=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        status, resp, data = self.server.request(method, path, body=body, headers=h)
        for c in set_cookies(resp):
            name, _, rest = c.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in c:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return status, resp, data.decode("utf-8", "replace")

    def csrf(self, page):
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
        assert m, "no CSRF token in the page"
        return m.group(1)

    def sign_in(self, user, password):
        status, _, page = self.request("GET", "/review/login")
        assert status == 200, status
        return self.request("POST", "/review/login", {"csrf": self.csrf(page), "user": user, "password": password})


def start_console(cls, state=False):
    """A store filled by `tusk scan --store`, three reviewers, and `tusk serve` with the console;
    set on `cls` as tmp, db, store, pack, users, server. With `state`, scan and serve share an
    account-state directory (--state), so the console shows what it remembers about sellers."""
    cls.tmp = tempfile.mkdtemp(prefix="tusk-console-")
    cls.db = os.path.join(cls.tmp, "verdicts.db")
    cls.store = "sqlite:" + cls.db
    listings = os.path.join(cls.tmp, "listings.jsonl")
    with open(listings, "w", encoding="utf-8") as out:
        with open(os.path.join(ROOT, "examples/listings/sample.jsonl"), encoding="utf-8") as sample:
            out.write(sample.read())
        for rec in EXTRA:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    cls.pack = os.path.join(ROOT, "examples/packs/wildlife")
    state_args = ["--state", os.path.join(cls.tmp, "state")] if state else []
    run("scan", "--pack", cls.pack, "--store", cls.store, *state_args, listings)
    cls.users = os.path.join(cls.tmp, "reviewers")
    for name in ("ana", "bo", "cy"):
        run("review", "user", "add", name, "--users", cls.users, stdin=PASSWORD + "\n")
    cls.server = Server(TUSK, cls.pack, "--store", cls.store, "--review-users", cls.users, *state_args, tmp=cls.tmp,
                        env={"TUSK_STDLIB": os.path.join(ROOT, "stdlib")})
    cls.server.wait_ready()


class ConsoleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_console(cls)

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        assert code == 0, code

    def audit(self):
        return run("review", "audit", "--store", self.store).stdout.splitlines()

    def open_items(self, *filters):
        out = run("review", "list", "--store", self.store, "--format", "json", *filters).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    # -------------------------------------------------------------------------------------------

    def test_accounts_file_is_private_and_holds_argon2_hashes(self):
        self.assertEqual(os.stat(self.users).st_mode & 0o777, 0o600)
        with open(self.users) as f:
            text = f.read()
        self.assertNotIn(PASSWORD, text)
        self.assertRegex(text, r"(?m)^ana \$argon2id\$")
        r = run("review", "user", "add", "dee", "--users", self.users, stdin="short\n", check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("shorter than", r.stderr)

    def test_accounts_added_or_removed_while_serving(self):
        run("review", "user", "add", "dee", "--users", self.users, stdin="another long password\n")
        status, resp, _ = Browserless(self.server).sign_in("dee", "another long password")
        self.assertEqual(resp.getheader("Location"), "/review/queue")
        run("review", "user", "remove", "dee", "--users", self.users)
        status, resp, _ = Browserless(self.server).sign_in("dee", "another long password")
        self.assertEqual(resp.getheader("Location"), "/review/login?error=failed")

    def test_pages_need_a_session(self):
        c = Browserless(self.server)
        status, resp, _ = c.request("GET", "/review/queue")
        self.assertEqual(status, 303)
        self.assertEqual(resp.getheader("Location"), "/review/login")
        status, _, body = c.request("POST", "/review/item/1/decide", {"decision": "confirm", "csrf": "x"})
        self.assertEqual(status, 401)
        self.assertEqual(json.loads(body)["error"]["code"], "unauthorized")
        status, _, body = c.request("GET", "/review/nothing-here")
        self.assertEqual(status, 303)  # not signed in: to the sign-in page, whatever the path

    def test_security_headers_and_no_inline_script(self):
        c = Browserless(self.server)
        status, resp, page = c.request("GET", "/review/login")
        self.assertEqual(status, 200)
        csp = resp.getheader("Content-Security-Policy")
        self.assertIn("default-src 'none'", csp)
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertEqual(resp.getheader("X-Frame-Options"), "DENY")
        self.assertEqual(resp.getheader("Cache-Control"), "no-store")
        # Every script is a file under /review/static/; no inline handlers or styles.
        for tag in re.findall(r"<script[^>]*>", page):
            self.assertRegex(tag, r'src="/review/static/')
        self.assertNotRegex(page, r"<script[^>]*>[^<]")
        self.assertNotRegex(page, r"\son[a-z]+=")
        self.assertNotIn("style=", page)
        self.assertNotRegex(page, r'(src|href)="(https?:)?//')
        status, resp, js = c.request("GET", "/review/static/console.js")
        self.assertEqual(status, 200)
        self.assertTrue(resp.getheader("Content-Type").startswith("text/javascript"))
        self.assertIn("keydown", js)

    def test_sign_in_cookie_flags_and_sign_out(self):
        c = Browserless(self.server)
        status, _, page = c.request("GET", "/review/login")
        status, resp, _ = c.request("POST", "/review/login", {"csrf": c.csrf(page), "user": "cy", "password": PASSWORD})
        self.assertEqual(status, 303)
        self.assertEqual(resp.getheader("Location"), "/review/queue")
        session = [x for x in set_cookies(resp) if x.startswith("tusk_review=")]
        self.assertEqual(len(session), 1)
        for flag in ("HttpOnly", "SameSite=Strict", "Path=/review"):
            self.assertIn(flag, session[0])
        self.assertNotIn("Secure", session[0])  # plain HTTP here; Secure under TLS
        old = dict(c.cookies)
        status, _, queue = c.request("GET", "/review/queue")
        self.assertEqual(status, 200)
        self.assertIn("signed in as <b>cy</b>", queue)
        status, resp, _ = c.request("POST", "/review/logout", {"csrf": c.csrf(queue)})
        self.assertEqual(status, 303)
        # The old session cookie is worth nothing afterwards.
        c.cookies = old
        status, resp, _ = c.request("GET", "/review/queue")
        self.assertEqual(status, 303)
        lines = [l for l in self.audit() if "  cy  " in l]
        self.assertTrue(any("  sign-in  " in l for l in lines), lines)
        self.assertTrue(any("  sign-out  " in l for l in lines), lines)

    def test_csrf_is_required_on_every_post(self):
        c = Browserless(self.server)
        # Sign-in with a token that is not the form's.
        status, _, page = c.request("GET", "/review/login")
        status, _, body = c.request("POST", "/review/login", {"csrf": "0" * 64, "user": "ana", "password": PASSWORD})
        self.assertEqual(status, 403)
        self.assertEqual(json.loads(body)["error"]["code"], "csrf_failed")
        self.assertNotIn("tusk_review", c.cookies)
        status, _, _ = c.sign_in("ana", PASSWORD)
        self.assertEqual(status, 303)
        item = self.open_items()[-1]
        before = self.open_items()
        for form in ({"decision": "confirm"}, {"decision": "confirm", "csrf": "f" * 64}):
            status, _, body = c.request("POST", "/review/item/%d/decide" % item["id"], form)
            self.assertEqual(status, 403)
            self.assertEqual(json.loads(body)["error"]["code"], "csrf_failed")
        self.assertEqual(self.open_items(), before)  # nothing decided
        self.assertTrue(any("refused: POST /review/item/%d/decide" % item["id"] in l for l in self.audit()))

    def test_queue_filters_and_the_evidence_marked_at_its_bytes(self):
        c = Browserless(self.server)
        c.sign_in("ana", PASSWORD)
        status, _, page = c.request("GET", "/review/queue")
        self.assertEqual(status, 200)
        ids = [int(x) for x in re.findall(r'<tr data-href="[^"]*" id="item-(\d+)"', page)]
        self.assertEqual(ids, [v["id"] for v in self.open_items()])
        # Filters: by tag, by rule (a rule that fired), by action.
        status, _, page = c.request("GET", "/review/queue?tag=ivory")
        self.assertEqual([int(x) for x in re.findall(r'id="item-(\d+)"', page)], [v["id"] for v in self.open_items("--tag", "ivory")])
        status, _, page = c.request("GET", "/review/queue?rule=ivory_coded")
        want = [v["id"] for v in self.open_items() if any(f["rule"] == "ivory_coded" for f in v["verdict"]["fired"])]
        self.assertTrue(want)
        self.assertEqual([int(x) for x in re.findall(r'id="item-(\d+)"', page)], want)
        status, _, page = c.request("GET", "/review/queue?action=block")
        self.assertEqual([int(x) for x in re.findall(r'id="item-(\d+)"', page)],
                         [v["id"] for v in self.open_items("--action", "block")])

        z1 = [v for v in self.open_items("--action", "all") if v["listing_id"] == "z1"][0]
        status, _, page = c.request("GET", "/review/item/%d" % z1["id"])
        self.assertEqual(status, 200)
        title = EXTRA[0]["title"].encode("utf-8")
        covered = set()
        for fired in z1["verdict"]["fired"]:
            for ev in fired["evidence"]:
                if ev["field"] == "title":
                    covered.update(range(ev["start"], ev["end"]))
        runs, start = [], None
        for i in range(len(title) + 1):
            if i in covered and start is None:
                start = i
            elif i not in covered and start is not None:
                runs.append(title[start:i].decode("utf-8"))
                start = None
        dd = re.search(r'<dd data-field="title">(.*?)</dd>', page).group(1)
        marks = [html.unescape(m) for m in re.findall(r"<mark[^>]*>(.*?)</mark>", dd)]
        self.assertEqual(marks, runs)
        self.assertIn("象牙手镯", marks)
        self.assertEqual(html.unescape(re.sub(r"<[^>]+>", "", dd)), EXTRA[0]["title"])
        self.assertIn("ivory_named", page)

    def test_decide_writes_the_store_the_audit_log_and_the_labels(self):
        c = Browserless(self.server)
        status, _, _ = c.sign_in("ana", PASSWORD)
        self.assertEqual(status, 303)
        items = self.open_items()
        first, second = items[0], items[1]
        status, _, page = c.request("GET", "/review/item/%d" % first["id"])
        status, resp, _ = c.request("POST", "/review/item/%d/decide" % first["id"],
                                    {"csrf": c.csrf(page), "decision": "confirm", "note": "carved, no papers", "return": ""})
        self.assertEqual(status, 303)
        # The next open item loads at once.
        self.assertEqual(resp.getheader("Location"), "/review/item/%d" % second["id"])
        self.assertNotIn(first["id"], [v["id"] for v in self.open_items()])
        audit = [l for l in self.audit() if "decide confirm verdict %d" % first["id"] in l]
        self.assertEqual(len(audit), 1)
        self.assertIn("  ana  ", audit[0])
        self.assertIn('"open"', audit[0])
        self.assertIn('"confirmed"', audit[0])
        labels = os.path.join(self.tmp, "labels.jsonl")
        run("labels", "export", "--store", self.store, "-o", labels)
        with open(labels) as f:
            exported = [json.loads(l) for l in f]
        mine = [l for l in exported if l["id"] == first["listing_id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["expected"], "block")
        self.assertEqual(mine[0]["why"], "carved, no papers")
        # The audit page shows it too.
        status, _, page = c.request("GET", "/review/audit")
        self.assertIn("decide confirm verdict %d" % first["id"], page)
        self.assertEqual(run("review", "verify", "--store", self.store).returncode, 0)

    def test_evidence_bundle_downloads_and_verifies(self):
        c = Browserless(self.server)
        c.sign_in("ana", PASSWORD)
        item = self.open_items()[0]
        status, resp, _ = c.request("GET", "/review/item/%d/evidence" % item["id"])
        self.assertEqual(status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "application/gzip")
        # Read the raw bytes again (the helper above decodes text).
        _, resp, data = self.server.request("GET", "/review/item/%d/evidence" % item["id"],
                                            headers={"Cookie": "tusk_review=" + c.cookies["tusk_review"]})
        path = os.path.join(self.tmp, "bundle.tar.gz")
        with open(path, "wb") as f:
            f.write(data)
        r = run("evidence", "verify", path, check=False)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertTrue(any("export evidence listing %s" % item["listing_id"] in l for l in self.audit()))

    def test_queue_pages_walk_every_item_once(self):
        c = Browserless(self.server)
        c.sign_in("ana", PASSWORD)
        for filters in ("", "tag=ivory&"):
            want = [v["id"] for v in self.open_items(*(["--tag", "ivory"] if filters else []))]
            self.assertGreater(len(want), 6)  # more than two pages of three
            seen, pages = [], 0
            path = "/review/queue?%slimit=3" % filters
            while path:
                status, _, page = c.request("GET", path)
                self.assertEqual(status, 200)
                pages += 1
                self.assertEqual(int(re.search(r'<span id="total">(\d+)</span>', page).group(1)), len(want))
                rows = [int(x) for x in re.findall(r'<tr data-href="[^"]*" id="item-(\d+)"', page)]
                self.assertLessEqual(len(rows), 3)
                seen += rows
                m = re.search(r'<a href="([^"]*)" id="next">', page)
                path = html.unescape(m.group(1)) if m else None
                if path:
                    self.assertIn("limit=3", path)  # the page size and the filters go with the cursor
                    self.assertIn(filters.rstrip("&"), path)
                self.assertLess(pages, 100)
            self.assertEqual(seen, want)  # each item once, in the queue's order
            self.assertEqual(pages, (len(want) + 2) // 3)

    def test_seller_history_and_account_memory(self):
        c = Browserless(self.server)
        c.sign_in("ana", PASSWORD)
        items = {v["listing_id"]: v for v in self.open_items("--action", "all")}
        # Seller u8 has four listings: each page lists the three others, newest first, linked.
        z2 = items["z2"]
        status, _, page = c.request("GET", "/review/item/%d" % z2["id"])
        self.assertEqual(status, 200)
        section = re.search(r'<section id="history">(.*?)</section>', page, re.S).group(1)
        others = [int(x) for x in re.findall(r'<tr id="history-(\d+)"><td><a href="/review/item/(?:\d+)">', section)]
        self.assertEqual(others, sorted((items[k]["id"] for k in ("z3", "z4", "z5")), reverse=True))
        for i in others:
            self.assertIn('<a href="/review/item/%d">' % i, section)
        self.assertNotIn('id="history-%d"' % z2["id"], section)
        self.assertIn('<span id="history-total">3</span>', section)
        # Account memory: this serve runs on the engine's in-memory store, which has seen none
        # of these listings (they were scanned by `tusk scan`), and says so.
        self.assertIn("When this listing was judged: account decision <b>", section)
        self.assertIn('id="account-none"', section)
        self.assertIn("Nothing is remembered now about seller u8 in pack wildlife (store: memory)", section)
        # Seller u9 has no other listing: the section says so.
        status, _, page = c.request("GET", "/review/item/%d" % items["z1"]["id"])
        section = re.search(r'<section id="history">(.*?)</section>', page, re.S).group(1)
        self.assertIn('id="history-none"', section)
        self.assertIn("No other listings of seller u9 are in the store.", section)
        self.assertNotIn("history-items", section)

    def test_trusted_header_is_ignored_when_not_configured(self):
        status, resp, _ = self.server.request("GET", "/review/queue", headers={"X-Remote-User": "ana"})
        self.assertEqual(status, 303)
        self.assertEqual(resp.getheader("Location"), "/review/login")
        self.assertFalse(any(c.startswith("tusk_review=") for c in set_cookies(resp)))

    def test_wrong_password_then_lockout(self):
        c = Browserless(self.server)
        status, resp, _ = c.sign_in("bo", "not the password")
        self.assertEqual(status, 303)
        self.assertEqual(resp.getheader("Location"), "/review/login?error=failed")
        self.assertNotIn("tusk_review", c.cookies)
        status, _, page = c.request("GET", "/review/login?error=failed")
        self.assertIn("Wrong name or password", page)
        for _ in range(4):  # five failures in all lock the account
            status, resp, _ = c.sign_in("bo", "still not it")
        self.assertEqual(resp.getheader("Location"), "/review/login?error=locked")
        # Now even the right password is refused, and no session is given.
        status, resp, _ = c.sign_in("bo", PASSWORD)
        self.assertEqual(resp.getheader("Location"), "/review/login?error=locked")
        self.assertNotIn("tusk_review", c.cookies)
        lines = [l for l in self.audit() if "  bo  " in l]
        self.assertEqual(sum("sign-in failed" in l for l in lines), 5)
        self.assertTrue(any("sign-in locked" in l for l in lines))
        self.assertTrue(any("sign-in refused: locked" in l for l in lines))
        # An unknown name fails the same way (and is audited as what was typed).
        status, resp, _ = Browserless(self.server).sign_in("nobody", PASSWORD)
        self.assertEqual(resp.getheader("Location"), "/review/login?error=failed")


class ConsoleProxyAndAccountsTest(unittest.TestCase):
    """serve with --state memory and --review-trusted-header X-Remote-User; verdicts come from
    its own /v1/screen, so the account store has seen them."""

    SELLER_LISTINGS = [
        {"id": "k1", "title": "Elephant tusk 3.2kg, whole, natural", "category": "collectibles", "seller": {"id": "s7"}},
        {"id": "k2", "title": "Raw ivory tusk 2kg", "category": "collectibles", "seller": {"id": "s7"}},
    ]

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tusk-console-proxy-")
        cls.store = "sqlite:" + os.path.join(cls.tmp, "verdicts.db")
        cls.users = os.path.join(cls.tmp, "reviewers")
        run("review", "user", "add", "ana", "--users", cls.users, stdin=PASSWORD + "\n")
        cls.server = Server(TUSK, os.path.join(ROOT, "examples/packs/wildlife"), "--store", cls.store, "--review-users",
                            cls.users, "--state", "memory", "--review-trusted-header", "X-Remote-User", tmp=cls.tmp,
                            env={"TUSK_STDLIB": os.path.join(ROOT, "stdlib")})
        cls.server.wait_ready()
        for rec in cls.SELLER_LISTINGS:
            status, _, data = cls.server.request("POST", "/v1/screen", json.dumps(rec), {"Content-Type": "application/json"})
            assert status == 200 and json.loads(data)["action"] == "block", data
        # The server writes its verdicts to the store from a background thread.
        deadline = time.monotonic() + 60
        while len(cls.items()) < 2:
            assert time.monotonic() < deadline, "the verdicts never reached the store"
            time.sleep(0.05)

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        assert code == 0, code

    @classmethod
    def items(cls):
        out = run("review", "list", "--store", cls.store, "--action", "all", "--format", "json").stdout
        return {v["listing_id"]: v for v in (json.loads(line) for line in out.splitlines() if line.strip())}

    def get(self, path, user="ana"):
        return self.server.request("GET", path, headers={"X-Remote-User": user} if user else {})

    def test_the_header_signs_a_reviewer_in(self):
        status, resp, page = self.get("/review/queue")
        self.assertEqual(status, 200)
        page = page.decode()
        self.assertIn("signed in as <b>ana</b>", page)
        session = [c for c in set_cookies(resp) if c.startswith("tusk_review=")]
        self.assertEqual(len(session), 1)
        self.assertIn("HttpOnly", session[0])
        audit = run("review", "audit", "--store", self.store).stdout.splitlines()
        self.assertTrue(any("  ana  sign-in  " in l and '"via":"X-Remote-User"' in l for l in audit), audit)
        # The session it made works with its CSRF token: a decision is recorded under that name.
        cookie = session[0].split(";")[0]
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        k1 = self.items()["k1"]
        status, _, _ = self.server.request(
            "POST", "/review/item/%d/decide" % k1["id"],
            urllib.parse.urlencode({"csrf": token, "decision": "escalate", "note": "via the proxy", "return": ""}),
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "X-Remote-User": "ana"})
        self.assertEqual(status, 303)
        audit = run("review", "audit", "--store", self.store).stdout.splitlines()
        self.assertTrue(any("  ana  decide escalate verdict %d" % k1["id"] in l for l in audit), audit)

    def test_a_name_that_is_no_reviewer_is_refused(self):
        status, resp, body = self.get("/review/queue", user="mallory")
        self.assertEqual(status, 403)
        self.assertEqual(json.loads(body)["error"]["code"], "not_a_reviewer")
        self.assertFalse(any(c.startswith("tusk_review=") for c in set_cookies(resp)))
        # Twice (a proxy that appends its header to the client's): neither is believed.
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            conn.putrequest("GET", "/review/queue")
            conn.putheader("X-Remote-User", "ana")
            conn.putheader("X-Remote-User", "mallory")
            conn.endheaders()
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        self.assertEqual(resp.status, 400)
        self.assertEqual(json.loads(body)["error"]["code"], "ambiguous_trusted_header")
        self.assertFalse(any(c.startswith("tusk_review=") for c in set_cookies(resp)))
        # Without the header, the password sign-in is what is left.
        status, resp, _ = self.get("/review/queue", user=None)
        self.assertEqual(status, 303)
        self.assertEqual(resp.getheader("Location"), "/review/login")

    def test_account_memory_of_the_seller(self):
        items = self.items()
        status, _, page = self.get("/review/item/%d" % items["k2"]["id"])
        self.assertEqual(status, 200)
        section = re.search(r'<section id="history">(.*?)</section>', page.decode(), re.S).group(1)
        # The other listing of the seller, and what the account store holds now: the label the
        # first block set, and both blocks counted.
        self.assertIn('<tr id="history-%d">' % items["k1"]["id"], section)
        self.assertIn("seller s7 in pack wildlife (store: memory)", section)
        labels = re.search(r'<table id="account-labels">(.*?)</table>', section, re.S).group(1)
        self.assertIn("<td>wildlife_offender</td>", labels)
        counters = re.search(r'<table id="account-counters">(.*?)</table>', section, re.S).group(1)
        self.assertIn("<tr><td>blocked_30d</td><td>2 events</td>", counters)
        self.assertIn("<tr><td>protected_24h</td><td>2 events</td>", counters)
        # As the second listing saw it when judged: one block before it.
        self.assertIn("<code>count(blocked_30d)</code> = 1", section)


class ConsoleTlsTest(unittest.TestCase):
    def test_cookies_are_secure_under_tls(self):
        import http.client
        import ssl
        tmp = tempfile.mkdtemp(prefix="tusk-console-tls-")
        try:
            cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
            r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ed25519", "-nodes", "-keyout", key, "-out", cert,
                                "-days", "1", "-subj", "/CN=127.0.0.1"], capture_output=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            users = os.path.join(tmp, "reviewers")
            run("review", "user", "add", "ana", "--users", users, stdin=PASSWORD + "\n")
            s = Server(TUSK, os.path.join(ROOT, "examples/packs/wildlife"), "--store", "sqlite:" + os.path.join(tmp, "v.db"),
                       "--review-users", users, "--tls-cert", cert, "--tls-key", key, tmp=tmp,
                       env={"TUSK_STDLIB": os.path.join(ROOT, "stdlib")})
            try:
                ctx = ssl.create_default_context(cafile=cert)
                ctx.check_hostname = False
                conn = http.client.HTTPSConnection("127.0.0.1", s.port, context=ctx, timeout=30)
                conn.request("GET", "/review/login")
                resp = conn.getresponse()
                page = resp.read().decode()
                self.assertEqual(resp.status, 200)
                self.assertIn("max-age=", resp.getheader("Strict-Transport-Security"))
                login = [c for c in set_cookies(resp) if c.startswith("tusk_review_login=")][0]
                self.assertIn("; Secure", login)
                token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
                conn.request("POST", "/review/login", urllib.parse.urlencode({"csrf": token, "user": "ana", "password": PASSWORD}),
                             {"Content-Type": "application/x-www-form-urlencoded", "Cookie": login.split(";")[0]})
                resp = conn.getresponse()
                resp.read()
                self.assertEqual(resp.status, 303)
                session = [c for c in set_cookies(resp) if c.startswith("tusk_review=")][0]
                for flag in ("; Secure", "; HttpOnly", "; SameSite=Strict"):
                    self.assertIn(flag, session)
                conn.close()
            finally:
                self.assertEqual(s.stop(), 0)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class ConsoleOffTest(unittest.TestCase):
    def test_off_without_a_store_and_review_users_needs_one(self):
        tmp = tempfile.mkdtemp(prefix="tusk-console-off-")
        try:
            pack = os.path.join(ROOT, "examples/packs/wildlife")
            s = Server(TUSK, pack, tmp=tmp, env={"TUSK_STDLIB": os.path.join(ROOT, "stdlib")})
            try:
                status, _, body = s.request("GET", "/review/queue")
                self.assertEqual(status, 404)
                self.assertEqual(json.loads(body)["error"]["code"], "console_off")
            finally:
                self.assertEqual(s.stop(), 0)
            r = subprocess.run([TUSK, "serve", "--pack", pack, "--listen", "127.0.0.1:0", "--review-users",
                                os.path.join(tmp, "x")], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 2)
            self.assertIn("--review-users needs --store", r.stderr)
            # An accounts file that others may read is refused.
            users = os.path.join(tmp, "reviewers")
            run("review", "user", "add", "ana", "--users", users, stdin=PASSWORD + "\n")
            # The trusted header needs the console, and a header name.
            for extra, message in ((["--review-trusted-header", "X-Remote-User"], "--review-trusted-header needs the console"),
                                   (["--store", "sqlite:" + os.path.join(tmp, "v.db"), "--review-users", users,
                                     "--review-trusted-header", "X Remote"], "not a header name")):
                r = subprocess.run([TUSK, "serve", "--pack", pack, "--listen", "127.0.0.1:0"] + extra,
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(message, r.stderr)
            os.chmod(users, 0o644)
            r = subprocess.run([TUSK, "serve", "--pack", pack, "--listen", "127.0.0.1:0", "--store",
                                "sqlite:" + os.path.join(tmp, "v.db"), "--review-users", users],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 2)
            self.assertIn("chmod 600", r.stderr)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    TUSK, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
