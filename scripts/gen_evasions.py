#!/usr/bin/env python3
"""Rewrite the positives of the social-posts set the way evaders write a product name, and
measure the wildlife pack's recall on each variant against its recall on the clean posts.

The posts (../shared/data/real/wlt_osn_dev.csv, research data) are read at run time and the
variants are written to a scratch directory, never to the repository. Every occurrence of the
product name ("ivory", any case) in a positive post is rewritten; the rest of the post (its offer
words, its links) is left alone, so a variant measures whether the name is still found.

  spaced       i v o r y          letters spaced out one by one
  dots         i.v.o.r.y          letters joined by dots
  digits       1v0ry              digits for letters (i -> 1, o -> 0)
  lookalike    іvоrу              Cyrillic look-alike letters (U+0456, U+043E, U+0443)
  fullwidth    ｉｖｏｒｙ          full-width forms
  zerowidth    i<ZWSP>v<ZWSP>o... zero-width spaces (U+200B) between the letters
  mixed        i v.o r.y          letters spaced out with mixed separators (harder: not in the target)
  split        iv ory             the name split in two (harder: not in the target)

  scripts/gen_evasions.py --tusk build/bin/tusk                       # the table
  scripts/gen_evasions.py --tusk build/bin/tusk --min-ratio 0.95      # exit 1 below it
  scripts/gen_evasions.py --out DIR                                   # keep the variant corpora

Exit status: 0 measured (and every ratio held); 1 a variant's recall is below --min-ratio of the
clean recall; 2 usage or tool errors; 77 the data does not exist.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_to_jsonl  # noqa: E402

EXIT_SKIP = 77
NAME = re.compile(r"ivory", re.IGNORECASE)
LOOKALIKE = {"i": "\u0456", "o": "\u043e", "y": "\u0443", "I": "\u0406", "O": "\u041e", "Y": "\u0423"}
DIGITS = {"i": "1", "I": "1", "o": "0", "O": "0"}


def fullwidth(word: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)


VARIANTS = {
    "spaced": lambda w: " ".join(w),
    "dots": lambda w: ".".join(w),
    "digits": lambda w: "".join(DIGITS.get(c, c) for c in w),
    "lookalike": lambda w: "".join(LOOKALIKE.get(c, c) for c in w),
    "fullwidth": fullwidth,
    "zerowidth": lambda w: "\u200b".join(w),
    "mixed": lambda w: "".join(c + (" ." [i % 2] if i < len(w) - 1 else "") for i, c in enumerate(w)),
    "split": lambda w: w[:2] + " " + w[2:],
}
# The six variants of the target (>= 0.95 of the clean recall); the others show what is left.
TARGET = ("spaced", "dots", "digits", "lookalike", "fullwidth", "zerowidth")


def rewrite(text: str, variant: str) -> str:
    return NAME.sub(lambda m: VARIANTS[variant](m.group(0)), text)


def flagged_ids(tusk: str, pack: str, corpus: Path) -> set:
    proc = subprocess.run([tusk, "scan", "--quiet", "--record-shape", "post", "--pack", pack, str(corpus)],
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"tusk scan failed ({proc.returncode}): {proc.stderr.strip()}")
    out = set()
    for line in proc.stdout.splitlines():
        verdict = json.loads(line)
        if verdict.get("action") in ("review", "block"):
            out.add(verdict.get("id"))
    return out


def main() -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tusk", default=shutil.which("tusk") or "tusk", help="the tusk binary")
    ap.add_argument("--pack", default=str(repo / "examples" / "packs" / "wildlife"), help="pack directory")
    ap.add_argument("--data", default=str(repo.parent / "shared" / "data" / "real"), help="directory of the CSVs")
    ap.add_argument("--out", help="scratch directory for the variant corpora (default: a temporary directory)")
    ap.add_argument("--min-ratio", type=float,
                    help="fail (exit 1) when a target variant's recall is below this share of the clean recall")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args()

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="tusk-evasions-"))
    try:
        real_to_jsonl.convert_posts(Path(args.data), out)
    except FileNotFoundError as e:
        print(f"skipped: {e} (the posts are not redistributed)", file=sys.stderr)
        return EXIT_SKIP
    labels = [json.loads(line) for line in (out / "posts.dev.labels.jsonl").read_text(encoding="utf-8").splitlines()]
    positive = {row["id"] for row in labels if row["label"] == "positive"}
    posts = [json.loads(line) for line in (out / "posts.dev.jsonl").read_text(encoding="utf-8").splitlines()]
    posts = [p for p in posts if p["id"] in positive]
    named = {p["id"] for p in posts if NAME.search(p["text"])}

    results = {}
    try:
        for variant in ("clean",) + tuple(VARIANTS):
            corpus = out / f"posts.positives.{variant}.jsonl"
            with corpus.open("w", encoding="utf-8") as f:
                for p in posts:
                    q = dict(p, text=p["text"] if variant == "clean" else rewrite(p["text"], variant))
                    f.write(json.dumps(q, ensure_ascii=False) + "\n")
            hit = flagged_ids(args.tusk, args.pack, corpus)
            results[variant] = {"flagged": len(hit & positive), "positives": len(positive),
                                "recall": len(hit & positive) / len(positive),
                                "flagged_naming": len(hit & named), "naming": len(named)}
    except (OSError, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    clean = results["clean"]["recall"]
    for r in results.values():
        r["ratio"] = r["recall"] / clean if clean else 0.0

    if args.json:
        print(json.dumps(results, indent=1, sort_keys=True))
    else:
        print(f"pack {args.pack}: {len(positive)} positive posts, {len(named)} of them name the product\n")
        print(f"{'variant':<11} {'flagged':>8} {'recall':>7} {'of clean':>9}   {'naming posts flagged':>20}")
        for variant, r in results.items():
            print(f"{variant:<11} {r['flagged']:>4}/{r['positives']:<3} {r['recall']:>7.3f} {r['ratio']:>9.3f}"
                  f"   {r['flagged_naming']:>16}/{r['naming']}")
    failed = False
    if args.min_ratio is not None:
        for variant, r in results.items():
            if variant in TARGET and r["ratio"] < args.min_ratio:
                print(f"FAIL {variant}: recall {r['recall']:.3f} is {r['ratio']:.3f} of clean, below {args.min_ratio}",
                      file=sys.stderr)
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
