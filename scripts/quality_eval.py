#!/usr/bin/env python3
"""Measure a pack (by default the wildlife pack) on the labelled real listings.

Converts ../shared/data/real/*.csv with scripts/real_to_jsonl.py into a scratch directory,
then runs `tusk eval` on each dataset and split (dev, held, all) and prints precision, recall,
F1, the confusion matrix by action and, for `all`, the recall by product family. When
`tusk eval` is unavailable or fails, the same figures are computed from `tusk scan` output
(flagged = review or block).

  scripts/quality_eval.sh --tusk build/bin/tusk
  scripts/quality_eval.sh --tusk build/bin/tusk --details leather.dev     # full eval report
  scripts/quality_eval.sh --tusk build/bin/tusk --floor shark.held.f1=0.8  # exit 1 below it
  scripts/quality_eval.sh --tusk build/bin/tusk --set posts --floor posts.dev.f1=0.8

Social posts (`posts.dev`, from wlt_osn_dev.csv) are measured from `tusk scan` verdicts, once
as they are and once capped per author (`posts.dev.capped`): each author's positives weigh at
most POSTS_CAP posts together, and so do each author's negatives, so that one prolific account
cannot carry the figures. Floors accept `posts.dev.capped.f1=...` too.
  scripts/quality_eval.sh --tusk build/bin/tusk --set multilingual        # the per-language dev sets only

Exit status: 0 measured (and every floor held); 1 a floor failed; 2 usage or tool errors;
77 the data directory does not exist (the data is not redistributed, so CI may not have it).
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_to_jsonl  # noqa: E402

EXIT_SKIP = 77
SPLITS = ("dev", "held", "all")
# Per-author cap of the capped posts figures: an author's positives count as at most this many
# posts, and so do their negatives (docs/quality.md, "Social posts").
POSTS_CAP = 3


def run_eval(tusk, pack, corpus, labels, top):
    cmd = [tusk, "eval", "--pack", pack, "--labels", str(labels), "--format", "json", "--top", str(top), str(corpus)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return None
    return {
        "tp": report["tp"], "fp": report["fp"], "fn": report["fn"], "tn": report["tn"],
        "confusion": report["confusion"],
        "families": {k: (v["positives"], v["flagged"]) for k, v in report.get("families", {}).items()},
        "via": "tusk eval",
    }


def run_scan(tusk, pack, corpus, labels):
    proc = subprocess.run([tusk, "scan", "--quiet", "--pack", pack, str(corpus)], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"tusk scan failed ({proc.returncode}): {proc.stderr.strip()}")
    truth = {}
    for line in Path(labels).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        truth[row["id"]] = (row["label"] == "positive", row.get("family", ""))
    counts = Counter()
    confusion = {"positive": Counter(), "negative": Counter()}
    families = {}
    for line in proc.stdout.splitlines():
        verdict = json.loads(line)
        if verdict.get("id") not in truth:
            continue
        positive, family = truth[verdict["id"]]
        action = verdict.get("action", "allow")
        flagged = action in ("review", "block")
        counts[("tp" if flagged else "fn") if positive else ("fp" if flagged else "tn")] += 1
        confusion["positive" if positive else "negative"][action] += 1
        if positive and family:
            total, found = families.get(family, (0, 0))
            families[family] = (total + 1, found + flagged)
    return {
        "tp": counts["tp"], "fp": counts["fp"], "fn": counts["fn"], "tn": counts["tn"],
        "confusion": {row: {a: c[a] for a in ("block", "review", "allow")} for row, c in confusion.items()},
        "families": families, "via": "tusk scan",
    }


# --- social posts -------------------------------------------------------------------------

def scan_actions(tusk, pack, corpus):
    """id -> action, from `tusk scan` of posts (the post record shape, docs/records.md)."""
    proc = subprocess.run([tusk, "scan", "--quiet", "--record-shape", "post", "--pack", pack, str(corpus)],
                          capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"tusk scan failed ({proc.returncode}): {proc.stderr.strip()}")
    actions = {}
    for line in proc.stdout.splitlines():
        verdict = json.loads(line)
        actions[verdict.get("id")] = verdict.get("action", "allow")
    return actions


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def posts_figures(actions, labels, authors, cap=POSTS_CAP):
    """Plain and per-author-capped confusion counts of the posts set. Capped: a post weighs
    min(1, cap / n), n = the number of posts of its author with the same label."""
    author_of = {row["id"]: row["author"] for row in authors}
    per_group = Counter((author_of.get(row["id"], row["id"]), row["label"]) for row in labels)
    plain, capped = Counter(), Counter()
    confusion = {"positive": Counter(), "negative": Counter()}
    for row in labels:
        positive = row["label"] == "positive"
        action = actions.get(row["id"], "allow")
        flagged = action in ("review", "block")
        cell = ("tp" if flagged else "fn") if positive else ("fp" if flagged else "tn")
        plain[cell] += 1
        capped[cell] += min(1.0, cap / per_group[(author_of.get(row["id"], row["id"]), row["label"])])
        confusion["positive" if positive else "negative"][action] += 1
    n_pos_authors = len({a for a, label in per_group if label == "positive"})
    out = {}
    for name, counts in (("posts.dev", plain), ("posts.dev.capped", capped)):
        r = {k: counts[k] for k in ("tp", "fp", "fn", "tn")}
        r["confusion"] = {row: {a: c[a] for a in ("block", "review", "allow")} for row, c in confusion.items()}
        r["families"] = {}
        r["via"] = "tusk scan" + (f", capped at {cap} posts per author and label ({n_pos_authors} authors of positives)"
                                  if name.endswith("capped") else "")
        out[name] = r
    return out


def run_posts(tusk, pack, data, out):
    """The posts figures, or None when the posts CSV is not in the data directory."""
    try:
        real_to_jsonl.convert_posts(Path(data), out)
    except FileNotFoundError:
        return None
    results = {}
    for name in real_to_jsonl.POSTS:
        actions = scan_actions(tusk, pack, out / f"{name}.dev.jsonl")
        figures = posts_figures(actions, read_jsonl(out / f"{name}.dev.labels.jsonl"),
                                read_jsonl(out / f"{name}.dev.authors.jsonl"))
        results.update({k.replace("posts", name, 1): v for k, v in figures.items()})
    return results


# --- multilingual dev sets (issue 20): the project's own listings, in the repository -----------
MULTILINGUAL_LANGS = ("en", "zh", "vi", "sw", "es", "fr", "pt", "th", "id")


def multilingual_sets(repo, tusk, pack, top):
    """`multilingual.<lang>` results from examples/listings/multilingual (no ../shared data)."""
    out = {}
    base = repo / "examples" / "listings" / "multilingual"
    for lang in MULTILINGUAL_LANGS:
        corpus, labels = base / f"{lang}.jsonl", base / f"{lang}.labels.jsonl"
        r = run_eval(tusk, pack, corpus, labels, top) or run_scan(tusk, pack, corpus, labels)
        r.update(metrics(r))
        out[f"multilingual.{lang}"] = r
    return out


def metrics(r):
    p = r["tp"] / (r["tp"] + r["fp"]) if r["tp"] + r["fp"] else 0.0
    rec = r["tp"] / (r["tp"] + r["fn"]) if r["tp"] + r["fn"] else 0.0
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    return {"precision": p, "recall": rec, "f1": f1}


def main() -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tusk", default=shutil.which("tusk") or "tusk", help="the tusk binary")
    ap.add_argument("--pack", default=str(repo / "examples" / "packs" / "wildlife"), help="pack directory")
    ap.add_argument("--data", default=str(repo.parent / "shared" / "data" / "real"), help="directory of the CSVs")
    ap.add_argument("--out", help="scratch directory for the JSONL corpora (default: a temporary directory)")
    ap.add_argument("--details", action="append", default=[], metavar="DATASET.SPLIT",
                    help="also print the full `tusk eval` report of this corpus (repeatable)")
    ap.add_argument("--top", type=int, default=10, help="false positives/negatives in --details reports")
    ap.add_argument("--floor", action="append", default=[], metavar="DATASET.SPLIT.METRIC=VALUE",
                    help="fail (exit 1) when precision, recall or f1 of a corpus is below VALUE (repeatable)")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object instead of a table")
    ap.add_argument("--set", action="append", default=[], metavar="NAME",
                    help="measure only these sets (shark, leather, posts, multilingual; repeatable; default: all). "
                         "multilingual is the project's own dev sets in examples/listings/multilingual, never skipped")
    args = ap.parse_args()
    real_sets = set(real_to_jsonl.DATASETS) | set(real_to_jsonl.POSTS)
    wanted = set(args.set) or real_sets | {"multilingual"}

    results = {}
    if "multilingual" in wanted:
        try:
            results.update(multilingual_sets(repo, args.tusk, args.pack, args.top))
        except (OSError, RuntimeError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    if not wanted & real_sets:
        wanted = set()
    elif not Path(args.data).is_dir():
        print(f"skipped: {args.data} does not exist (the labelled listings are not redistributed)", file=sys.stderr)
        return EXIT_SKIP
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="tusk-quality-"))
    try:
        if wanted & set(real_to_jsonl.DATASETS):
            real_to_jsonl.convert(Path(args.data), out)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    for dataset in real_to_jsonl.DATASETS:
        if dataset not in wanted:
            continue
        for split in SPLITS:
            corpus, labels = out / f"{dataset}.{split}.jsonl", out / f"{dataset}.{split}.labels.jsonl"
            try:
                r = run_eval(args.tusk, args.pack, corpus, labels, args.top) or run_scan(args.tusk, args.pack, corpus, labels)
            except (OSError, RuntimeError) as e:
                print(f"error: {e}", file=sys.stderr)
                return 2
            r.update(metrics(r))
            results[f"{dataset}.{split}"] = r

    if wanted & set(real_to_jsonl.POSTS):
        try:
            posts = run_posts(args.tusk, args.pack, args.data, out)
        except (OSError, RuntimeError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        if posts is None:
            print("posts skipped: the social-posts CSV is not in the data directory", file=sys.stderr)
            if set(args.set) <= set(real_to_jsonl.POSTS) and args.set:
                return EXIT_SKIP
        else:
            for name, r in posts.items():
                r.update(metrics(r))
            results.update(posts)

    if args.json:
        print(json.dumps(results, indent=1, sort_keys=True))
    else:
        print(f"pack {args.pack} (flagged = review or block)\n")
        print(f"{'corpus':<16} {'n':>4} {'pos':>4} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4} {'prec':>6} {'recall':>6} {'F1':>6}"
              "   positives b/r/a   negatives b/r/a")
        for name, r in results.items():
            c = r["confusion"]
            pos, neg = c.get("positive", {}), c.get("negative", {})
            n = lambda x: f"{x:>4}" if isinstance(x, int) else f"{x:>4.0f}"  # capped counts are weights
            print(f"{name:<16} {n(r['tp'] + r['fp'] + r['fn'] + r['tn'])} {n(r['tp'] + r['fn'])} {n(r['tp'])} {n(r['fp'])} "
                  f"{n(r['fn'])} {n(r['tn'])} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f}"
                  f"   {pos.get('block', 0):>5}/{pos.get('review', 0)}/{pos.get('allow', 0):<6}"
                  f"   {neg.get('block', 0):>5}/{neg.get('review', 0)}/{neg.get('allow', 0)}")
        for name, r in results.items():
            if name.endswith(".capped"):
                print(f"\n{name}: {r['via']}")
        for dataset in real_to_jsonl.DATASETS:
            if f"{dataset}.all" not in results:
                continue
            fams = results[f"{dataset}.all"]["families"]
            if fams:
                print(f"\n{dataset}.all recall by product family (positives, flagged):")
                for fam, (total, found) in sorted(fams.items(), key=lambda kv: -kv[1][0]):
                    print(f"  {fam:<26} {total:>4} {found:>4}  {found / total:.2f}")

    for name in args.details:
        dataset, _, split = name.partition(".")
        where = repo / "examples" / "listings" / "multilingual" if dataset == "multilingual" else out
        stem = split if dataset == "multilingual" else f"{dataset}.{split}"
        proc = subprocess.run([args.tusk, "eval", "--pack", args.pack, "--labels", str(where / f"{stem}.labels.jsonl"),
                               "--top", str(args.top), str(where / f"{stem}.jsonl")], capture_output=True, text=True)
        print(f"\n=== {name} ===\n{proc.stdout}{proc.stderr}")

    failed = False
    for floor in args.floor:
        key, _, value = floor.partition("=")
        corpus, _, metric = key.rpartition(".")
        if corpus not in results or metric not in ("precision", "recall", "f1") or not value:
            print(f"error: bad --floor {floor!r} (want DATASET.SPLIT.METRIC=VALUE)", file=sys.stderr)
            return 2
        got = results[corpus][metric]
        if got < float(value):
            print(f"FAIL {corpus} {metric} {got:.3f} is below the floor {value}", file=sys.stderr)
            failed = True
        else:
            print(f"ok   {corpus} {metric} {got:.3f} >= {value}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
