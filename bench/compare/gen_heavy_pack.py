#!/usr/bin/env python3
"""Generates a condition-heavy Tusk pack for bench/compare/run.sh: few lexicons, many rules
with deep conditions (arithmetic on money, counts, lengths, weights, `near`, set membership,
rules that name other rules), so that condition evaluation, where the JIT and the interpreter
differ, is most of a listing's cost rather than reading and matching text.

  gen_heavy_pack.py --out DIR [--rules N] [--seed S]   writes DIR/heavy/pack.yaml and rules.tusk

Every condition is built towards an intended truth value on the comparison corpus
(scripts/gen_listings.py): each comparison is chosen to be likely true or likely false there, an
`and` meant to be false has one false operand among true ones, an `or` meant to be false has
only false operands, and so on up to the rule, which is meant to be false. So a listing goes
deep into most rules' conditions (the planner orders operands by cost, not by truth, and every
`or` that is false is evaluated in full) while few rules fire: verdicts stay small, and the
cost measured is the conditions', not the evidence and verdict JSON of fired rules. A fixed
guard such as `and len(title) > 5000` does not do this: the planner puts the cheap guard first
and no other operand is ever evaluated.

Deterministic for a seed. Only Tusk runs it (the peer engines have no such conditions).
"""
import argparse
import os
import random

LEXICONS = {
    "animal": ["ivory", "tusk", "rhino", "horn", "pangolin", "scale", "tiger", "bone", "shell", "coral"],
    "product": ["bangle", "carving", "figurine", "necklace", "beads", "statue", "powder", "pendant"],
    "sale": ["for sale", "price", "ship", "shipping", "buy", "sell", "offer", "deal", "cash"],
    "filler": ["good", "condition", "home", "look", "thanks", "ask", "pick", "post"],
}
RARE = ["animal", "product", "sale"]  # a few hits in a few listings; filler is in every description
ABSENT = ["weapons", "wildlife", "ivory", "medicine", "trophies", "skins"]  # no listing has these
CURRENCIES = ["USD", "EUR", "CNY"]


def atom(rng, r, want):
    """One comparison meant to be `want` (True/False) on most listings of the corpus: titles are
    under 70 bytes, descriptions under 800, prices under 10,000 USD, filler has 10-40 hits and
    the other lexicons 0-2; no listing has a category of ABSENT."""
    lex = rng.choice(RARE)
    kind = rng.randrange(9)
    if kind == 0:
        op, n = (">", rng.randrange(10**6, 10**7)) if not want else ("<", rng.randrange(10**6, 10**7))
        return f"price in {rng.choice(CURRENCIES)} {op} {n}"
    if kind == 1:
        if rng.random() < 0.5:
            return f"count(text, {lex}) {'<' if want else '>='} {rng.randrange(3, 7)}"
        return f"count(text, filler) {'<' if want else '>='} {rng.randrange(50, 90)}"
    if kind == 2:
        field, lo = rng.choice([("title", 100), ("description", 1000)])
        return f"len({field}) {'<' if want else '>'} {rng.randrange(lo, 2 * lo)}"
    if kind == 3:
        cats = ", ".join(f'"{c}"' for c in rng.sample(ABSENT, rng.randrange(1, 4)))
        return f"not (category in {{{cats}}})" if want else f"category in {{{cats}}}"
    if kind == 4:
        a, b = rng.sample(RARE, 2)
        near = f"near(text, {a}, {b}, within {rng.randrange(0, 3)} words)"
        return f"not {near}" if want else near
    if kind == 5:
        return (f"count(text, {lex}) * {rng.randrange(2, 9)} + len(title) / {rng.randrange(3, 20)} "
                f"{'<' if want else '>'} {rng.randrange(60, 200)}")
    if kind == 6:
        return (f"(price in USD) / {rng.randrange(2, 50)} - count(description, {lex}) "
                f"{'<' if want else '>'} {rng.randrange(10**5, 10**6)}")
    if kind == 7 and r > 0:
        ref = f"r{rng.randrange(0, r)}"  # an earlier rule, which is meant to be false
        return f"not {ref}" if want else ref
    if rng.random() < 0.5:
        return f"count_distinct(text, {lex}) {'<' if want else '>='} {rng.randrange(3, 5)}"
    return f"count_distinct(text, filler) {'>=' if want else '<'} 1"


def condition(rng, r, depth, want):
    """A condition meant to be `want`: an `and` meant to be true and an `or` meant to be false
    have every operand so; an `and` meant to be false has one false operand, an `or` meant to be
    true one true operand."""
    if depth == 0:
        return atom(rng, r, want)
    if rng.random() < 0.2:
        return f"not ({condition(rng, r, depth - 1, not want)})"
    is_and = rng.random() < 0.5
    n = rng.randrange(2, 4)
    if is_and == want:  # and/true, or/false: all operands `want`
        wants = [want] * n
    else:  # one operand decides
        wants = [not want] * n
        wants[rng.randrange(n)] = want
    parts = [condition(rng, r, depth - 1, w) for w in wants]
    return "(" + f" {'and' if is_and else 'or'} ".join(parts) + ")"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--rules", type=int, default=300)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    d = os.path.join(args.out, "heavy")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "pack.yaml"), "w", encoding="utf-8") as f:
        f.write('name: heavy\nversion: "1.0.0"\ndescription: generated by bench/compare/gen_heavy_pack.py\n'
                "sources:\n  - rules.tusk\ndefault_profile: default\n")
    with open(os.path.join(d, "rules.tusk"), "w", encoding="utf-8") as f:
        f.write("// GENERATED by bench/compare/gen_heavy_pack.py: a condition-heavy pack. Do not edit.\n\n")
        for name, terms in LEXICONS.items():
            f.write(f"lexicon {name} {{ " + ", ".join(f'"{t}"' for t in terms) + " }\n")
        f.write("\n")
        for r in range(args.rules):
            cond = condition(rng, r, 3, False)
            f.write(f"rule r{r} {{\n  when {cond}\n  score {rng.randrange(-20, 30)}\n}}\n")
        f.write("\ndecide {\n  block when score >= 200\n  review when score >= 100\n  allow otherwise\n}\n")
    print(f"gen_heavy_pack: {args.rules} rules -> {d}")


if __name__ == "__main__":
    main()
