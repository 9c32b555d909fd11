#!/usr/bin/env python3
"""The Python evaluator of the comparison rules, written the way a trust-and-safety engineer would:
json for records, lower-case + word tokenization, a dict from first token to the term n-grams that
start with it (no 2,000-way regex alternation), substring tests for the few CJK/Thai terms, then the
rules over the set of matched lexicons.

  python3 bench/compare/py_eval.py SPEC.tsv CORPUS.jsonl RESULTS.tsv
"""

import json
import re
import sys
import time

WORD = re.compile(r"\w+")


def load_spec(path):
    lexicons, rules = [], []
    by_first, substrings = {}, []
    block, review = 80, 40
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if f[0] == "lex":
            lexicons.append(f[1])
        elif f[0] == "term":
            lex = len(lexicons) - 1
            if f[1] == "S":
                substrings.append((f[2], lex))
            else:
                toks = tuple(WORD.findall(f[2]))
                by_first.setdefault(toks[0], []).append((toks, lex))
        elif f[0] == "rule":
            idx = {n: i for i, n in enumerate(lexicons)}
            cats = frozenset(f[5].split(",")) if f[5] != "-" else frozenset()
            rules.append((f[1], int(f[2]), idx[f[3]], idx[f[4]] if f[4] != "-" else -1, cats))
        elif f[0] == "decide":
            block, review = int(f[1]), int(f[2])
    return lexicons, rules, by_first, substrings, block, review


def main():
    spec, corpus, results_path = sys.argv[1:4]
    t0 = time.perf_counter()
    lexicons, rules, by_first, substrings, block, review = load_spec(spec)
    lines = open(corpus, "rb").read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    nbytes = sum(len(l) + 1 for l in lines)
    setup = time.perf_counter() - t0

    out = []
    start = time.perf_counter()
    for raw in lines:
        try:
            rec = json.loads(raw)
        except ValueError:
            continue
        fields = [rec.get("title") or "", rec.get("description") or ""] + list(rec.get("tags") or [])
        hit = set()
        for field in fields:
            text = field.lower()
            toks = WORD.findall(text)
            for i, tok in enumerate(toks):
                cands = by_first.get(tok)
                if cands:
                    for terms, lex in cands:
                        if len(terms) == 1 or tuple(toks[i:i + len(terms)]) == terms:
                            hit.add(lex)
            for term, lex in substrings:
                if term in text:
                    hit.add(lex)
        category = (rec.get("category") or "").lower()
        score, fired = 0, []
        for name, rscore, lex, ctx, cats in rules:
            if lex in hit and ((ctx < 0 and not cats) or (ctx >= 0 and ctx in hit) or category in cats):
                fired.append(name)
                score += rscore
        action = "block" if score >= block else "review" if score >= review else "allow"
        out.append(f"{rec.get('id', '')}\t{action}\t{','.join(fired)}\n")
    secs = time.perf_counter() - start
    with open(results_path, "w", encoding="utf-8") as f:
        f.writelines(out)
    print(f"RESULT python records={len(lines)} bytes={nbytes} seconds={secs:.6f} setup={setup:.6f} "
          f"mbps={nbytes / 1e6 / secs:.2f} rps={len(lines) / secs:.0f}")


if __name__ == "__main__":
    main()
