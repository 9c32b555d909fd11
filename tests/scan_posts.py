#!/usr/bin/env python3
"""`tusk scan --record-shape post` (docs/records.md, "Posts"): posts given as social networks
give them are screened by a pack written for listings, the shape reaches the rules (`shape`),
and a line that is not a clean post is an error in place, never read as something else.

Usage: scan_posts.py TUSK REPO. The posts below are written for this test."""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

tusk, repo = sys.argv[1], Path(sys.argv[2])
pack = str(repo / "examples" / "packs" / "wildlife")

POSTS = [
    # An offer in a post: the author's id must not turn the post into a listing.
    {"id": "offer", "text": "Carved ivory bangle for sale, DM me", "author": {"id": "u-1", "description": "collector"},
     "created_at": "2026-10-30T08:00:00Z"},
    # A post that names ivory and offers nothing, with an author id: a post, so intent allows it.
    {"id": "admire", "text": "What a beautiful old ivory netsuke", "author": {"id": "u-2", "description": "Daily news"}},
    # A seizure report.
    {"id": "news", "text": "Customs officers at the port seized 3 tonnes of ivory, two arrested",
     "author": {"id": "u-4", "description": ""}},
    # Nothing about wildlife.
    {"id": "plain", "text": "Lovely morning at the market", "author": {"id": "u-3", "description": ""}},
    # Missing and null keys are absent, not errors.
    {"id": "bare", "text": None, "author": None},
    {"id": 9007199254740993123, "text": "ivory netsuke, what do you think?"},
]
BAD = [
    ('{"id":"both","title":"Ivory bangle","text":"Ivory bangle, DM me","author":{"id":"u"}}',
     'a post has both "text" and "title": give one of them'),
    ('{"id":"two-authors","text":"x","author":{"id":"u"},"seller":{"id":"v"}}',
     'a post has both "author" and "seller": give one of them'),
    ('{"id":"author-string","text":"ivory for sale","author":"someone"}',
     'field "author": expected an object, got string'),
    ('{"id":"author-list","text":"ivory for sale","author":[{"description":"shop"}]}',
     'field "author": expected an object, got array'),
    ('{"id":"text-number","text":42,"author":{"id":"u"}}', 'field "text": expected a string, got number'),
    ('{"id":"desc-number","text":"x","author":{"description":7}}',
     'field "author.description": expected a string, got number'),
]


def scan(lines, *flags):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))
    proc = subprocess.run([tusk, "scan", "--quiet", "--threads", "2", *flags, "--pack", pack, f.name],
                          capture_output=True, text=True)
    Path(f.name).unlink()
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines()], proc.stderr


def fired(verdict):
    return {r["rule"] for r in verdict.get("fired", [])}


failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


lines = [json.dumps(p, ensure_ascii=False) for p in POSTS]
rc, out, err = scan(lines, "--record-shape", "post")
check(rc == 0, f"clean posts: exit {rc}, expected 0 ({err.strip()})")
check(len(out) == len(POSTS), f"{len(POSTS)} posts in, {len(out)} verdicts out")
by_id = {v.get("id"): v for v in out}
check(set(by_id) == {"offer", "admire", "news", "plain", "bare", "9007199254740993123"}, f"ids: {sorted(by_id)}")
offer, admire, news = by_id.get("offer", {}), by_id.get("admire", {}), by_id.get("news", {})
check(offer.get("action") == "review", f"offer: {offer}")
check("is_listing" not in fired(offer), "offer: a post is never a listing, whatever fields it has")
check("explicit_offer" in fired(offer) and "is_post" in fired(offer), f"offer rules: {fired(offer)}")
check(any(e["field"] == "title" and e["text"].lower() == "ivory" for r in offer.get("fired", []) for e in r["evidence"]),
      "offer: the post's text is read as the title (evidence in `title`)")
check(admire.get("action") == "allow" and {"is_post", "post_not_an_offer"} <= fired(admire), f"admire: {admire}")
check(news.get("action") == "allow" and "talk" in fired(news), f"news: {news}")
check(by_id.get("plain", {}).get("action") == "allow", f"plain: {by_id.get('plain')}")
check(by_id.get("bare", {}).get("action") == "allow", f"bare: {by_id.get('bare')}")

# The same words given as a listing (title, seller with an id) are a listing, which the pack
# treats as an offer by nature: the shape is what makes it a post.
as_listing = json.dumps({"id": "admire", "title": POSTS[1]["text"], "seller": POSTS[1]["author"]})
rc, out, err = scan([as_listing])
check(rc == 0 and out and out[0].get("action") == "review" and "is_post" not in fired(out[0]),
      f"the post's words as a listing: {out}")

# A post given to a listing-shaped scan is an error, not a listing without words.
rc, out, err = scan([lines[0]])
check(rc == 1 and out == [{"line": 1, "id": "offer", "error": '"text" and no "title": a post, to be read with the '
                                                            'post record shape (--record-shape post)'}],
      f"post as listing: {rc} {out}")

# Malformed posts: an error in place, in order, between good lines.
mixed = [lines[0]] + [b for b, _ in BAD] + [lines[3]]
rc, out, err = scan(mixed, "--record-shape", "post")
check(rc == 1, f"malformed posts: exit {rc}, expected 1")
check(len(out) == len(mixed), f"{len(mixed)} lines in, {len(out)} out")
if len(out) == len(mixed):
    check(out[0].get("id") == "offer" and out[-1].get("id") == "plain", f"good lines around the bad: {out[0]}, {out[-1]}")
    for n, ((line, message), got) in enumerate(zip(BAD, out[1:-1]), 2):
        want = {"line": n, "id": json.loads(line)["id"], "error": message}
        check(got == want, f"line {n}: {got}, expected {want}")

rc, out, err = scan([lines[0]], "--record-shape", "tweet")
check(rc == 2 and "record-shape" in err, f"--record-shape tweet: exit {rc}, {err.strip()}")

for f in failures:
    print("FAIL", f)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
