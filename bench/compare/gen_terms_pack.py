#!/usr/bin/env python3
"""Generates a pack of N lexicon terms, for the resident-memory figure of issue 19 ("a loaded
20,000-term pack"): the stdlib does not hold that many distinct terms, so the terms are made-up
words (seeded), two to four per term, in one lexicon file, with one rule per 100 terms.

  python3 bench/compare/gen_terms_pack.py --out DIR [--terms 20000] [--seed 1]

Writes DIR/pack.yaml, DIR/rules.tusk and DIR/lexicons/terms.yaml.
"""

import argparse
import os
import random

SYLLABLES = ["ka", "lo", "mi", "tur", "sen", "pa", "ri", "dou", "ve", "nax", "zel", "qui", "bor", "tan", "hel"]


def word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--terms", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    terms = set()
    while len(terms) < args.terms:
        terms.add(" ".join(word(rng) for _ in range(rng.randint(1, 2))))
    terms = sorted(terms)
    os.makedirs(os.path.join(args.out, "lexicons"), exist_ok=True)
    with open(os.path.join(args.out, "pack.yaml"), "w") as f:
        f.write('name: bench.terms\nversion: "1.0.0"\nsources: [rules.tusk]\n')
    with open(os.path.join(args.out, "lexicons", "terms.yaml"), "w") as f:
        f.write("terms:\n")
        for t in terms:
            f.write(f'  - {{term: "{t}", lang: en}}\n')
    with open(os.path.join(args.out, "rules.tusk"), "w") as f:
        f.write('pack bench.terms version "1.0.0"\n\n')
        f.write('lexicon all = load("lexicons/terms.yaml")\n')
        for i in range(0, len(terms), 100):
            chunk = ", ".join(f'"{t}"' for t in terms[i:i + 100])
            f.write(f"lexicon l{i // 100} {{ {chunk} }}\n")
            f.write(f"rule r{i // 100} {{ when text mentions l{i // 100} score 10 }}\n")
        f.write("rule any_term { when text mentions all score 1 }\n")
        f.write("decide {\n  block when score >= 20\n  review when score >= 10\n  allow otherwise\n}\n")


if __name__ == "__main__":
    main()
