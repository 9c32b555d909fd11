#!/usr/bin/env python3
"""Generates the comparison pack (bench/compare): one Tusk pack from the stdlib wildlife lexicons and
the EQUIVALENT rules for every peer engine, so that all engines evaluate the same policy.

  python3 bench/compare/gen_pack.py --out DIR [--terms 2400] [--chunk 10]

Writes:
  DIR/pack/pack.yaml, DIR/pack/rules.tusk   the Tusk pack (profile `default`)
  DIR/spec.tsv                              the same rules as data, read by the RE2::Set harness,
                                            the Python evaluator and the scan-only harness
  DIR/rules.yar                             the same rules for YARA (external variable `category`)

The policy: every lexicon L (a chunk of about --chunk terms from one stdlib lexicon file) gets one
rule of the shape

  rule r_L { when text mentions L and (text mentions CONTEXT or category in {...}) score S }

where CONTEXT is a shared lexicon (sale words and objects for products, "baby", "pair", ... for
live animals); guard lexicons (imitations, guards, colour use, cover claims) get `when text
mentions L` with a negative score. A decide block turns the summed score into an action:
block >= 80, review >= 40, allow otherwise. "Flagged" means not allow.

Term semantics shared by all engines (see docs/performance.md for where they still differ):
terms are lower-cased and made of letters and single spaces only (so no engine needs escaping
or a tokenization choice for punctuation); a term with a Han, kana, Hangul or Thai character
matches as a substring, every other term as a whole word; matching ignores case.
"""

import argparse
import glob
import json
import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Terms of these groups name a product; a rule on them needs a sale context or a product category.
PRODUCT_GROUPS = {"names", "names_unverified", "pharmacopoeia", "code_words", "code_words_ambiguous", "slang",
                  "search_keywords", "species"}
GUARD_GROUPS = {"guards", "imitations", "colour_use", "cover_claims", "context"}
LIVE_MODULES = {"live_birds", "live_reptiles", "primates"}
PRODUCT_CATEGORIES = ["antiques", "collectibles", "jewelry", "health"]
LIVE_CATEGORIES = ["pets", "animals"]

# Shared context lexicons: the objects and sale words the listing generator uses, in its languages.
CONTEXT_PRODUCT = ["bangle", "pendant", "carving", "figurine", "bracelet", "beads", "powder", "piece", "for sale",
                   "genuine", "old stock", "fast shipping", "serious buyers only", "手镯", "吊坠", "摆件", "手串",
                   "出售", "保真", "包邮", "vòng tay", "mặt dây", "tượng", "bán", "hàng thật", "vipande", "zinauzwa",
                   "pulsera", "figura", "statuette", "à vendre", "se vende", "pulseira", "vende", "กำไล", "ขาย",
                   "gelang", "jual"]
CONTEXT_LIVE = ["baby", "hatchling", "pair", "juvenile", "captive bred", "tame", "hand fed"]

# Scripts written without spaces: Tusk matches terms containing them as substrings.
UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff]")
TERM_LINE = re.compile(r'\s*- \{term: ("(?:[^"\\]|\\.)*")(?:, lang: ([\w-]+))?')


def clean(term):
    """The term as all engines see it, or None when it is outside the shared semantics."""
    t = " ".join(term.lower().split())
    if "*" in t or len(t) < 3:
        return None
    if not all(c.isalpha() or c == " " for c in t):
        return None
    return t


def load_lexicon_files(lexdir):
    files = []
    for path in sorted(glob.glob(os.path.join(lexdir, "*.yaml"))):
        module, group = os.path.basename(path)[:-5].split(".", 1)
        terms = []
        for line in open(path, encoding="utf-8"):
            m = TERM_LINE.match(line)
            if m:
                terms.append((json.loads(m.group(1)), (m.group(2) or "en").split("-")[0]))
        files.append((module, group, terms))
    return files


def build(args):
    files = load_lexicon_files(args.lexicons)
    seen = set(clean(t) for t in CONTEXT_PRODUCT + CONTEXT_LIVE)
    # Small files first and whole; the three big species files share what is left of the budget.
    small = [f for f in files if len(f[2]) < 300 and f[0] != "intent"]
    big = [f for f in files if len(f[2]) >= 300 and f[0] != "intent"]
    lexicons = []  # (name, kind, [(term, lang)])

    def take(module, group, terms, limit):
        picked = []
        for term, lang in terms:
            t = clean(term)
            if t is None or t in seen:
                continue
            seen.add(t)
            picked.append((t, lang))
            if len(picked) >= limit:
                break
        kind = "guard" if group in GUARD_GROUPS else "live" if module in LIVE_MODULES else "product"
        for i in range(0, len(picked), args.chunk):
            lexicons.append((f"{module}_{group}_{i // args.chunk}", kind, picked[i:i + args.chunk]))
        return len(picked)

    total = sum(take(m, g, t, 10**9) for m, g, t in small)
    per_big = max(0, (args.terms - total) // max(1, len(big)))
    for m, g, t in big:
        total += take(m, g, t, per_big)
    return lexicons


def is_unspaced(term):
    return bool(UNSPACED.search(term))


def tusk_string(term):
    return json.dumps(term, ensure_ascii=False)


def write_tusk(out, lexicons, rules):
    os.makedirs(os.path.join(out, "pack"), exist_ok=True)
    with open(os.path.join(out, "pack", "pack.yaml"), "w", encoding="utf-8") as f:
        f.write('name: compare\nversion: "1.0.0"\ndescription: generated by bench/compare/gen_pack.py\n'
                'sources:\n  - rules.tusk\ndefault_profile: default\n')
    with open(os.path.join(out, "pack", "rules.tusk"), "w", encoding="utf-8") as f:
        f.write("// GENERATED by bench/compare/gen_pack.py: the comparison pack. Do not edit.\n\n")
        for name, terms in [("ctx_product", [(t, "") for t in CONTEXT_PRODUCT]),
                            ("ctx_live", [(t, "") for t in CONTEXT_LIVE])] + [(n, t) for n, _, t in lexicons]:
            f.write(f"lexicon {name} {{\n")
            by_lang = {}
            for t, lang in terms:
                by_lang.setdefault(lang, []).append(t)
            for lang, ts in by_lang.items():
                f.write("  " + ", ".join(tusk_string(t) for t in ts) + (f"  @{lang}" if lang else "") + "\n")
            f.write("}\n")
        f.write("\n")
        for r in rules:
            cond = f"text mentions {r['lex']}"
            alts = []
            if r["ctx"]:
                alts.append(f"text mentions {r['ctx']}")
            if r["cats"]:
                alts.append("category in {" + ", ".join(f'"{c}"' for c in r["cats"]) + "}")
            if alts:
                cond += " and (" + " or ".join(alts) + ")"
            f.write(f"rule {r['name']} {{\n  when {cond}\n  score {r['score']}\n}}\n")
        f.write("\ndecide {\n  block when score >= 80\n  review when score >= 40\n  allow otherwise\n}\n")


def write_spec(out, lexicons, rules):
    """spec.tsv: `lex NAME` lines, each followed by its `term W|S TEXT` lines; `rule NAME SCORE LEX
    CTX|- CAT,CAT|-` lines; one `decide BLOCK REVIEW` line."""
    with open(os.path.join(out, "spec.tsv"), "w", encoding="utf-8") as f:
        for name, terms in [("ctx_product", CONTEXT_PRODUCT), ("ctx_live", CONTEXT_LIVE)] + \
                           [(n, [t for t, _ in ts]) for n, _, ts in lexicons]:
            f.write(f"lex\t{name}\n")
            for t in terms:
                f.write(f"term\t{'S' if is_unspaced(t) else 'W'}\t{t}\n")
        for r in rules:
            f.write(f"rule\t{r['name']}\t{r['score']}\t{r['lex']}\t{r['ctx'] or '-'}\t{','.join(r['cats']) or '-'}\n")
        f.write("decide\t80\t40\n")


def yara_string(term):
    # YARA text strings take \" and \\ escapes only; terms are letters and spaces.
    return '"' + term + '"'


def write_yara(out, lexicons, rules):
    with open(os.path.join(out, "rules.yar"), "w", encoding="utf-8") as f:
        f.write("// GENERATED by bench/compare/gen_pack.py: the comparison rules for YARA. Do not edit.\n")
        f.write("// The harness defines the external string `category`; a record is title, description and\n")
        f.write("// tags joined by newlines (the fields Tusk's `text` covers in this corpus).\n\n")

        def strings(prefix, terms):
            for i, t in enumerate(terms):
                mods = "nocase" if is_unspaced(t) else "nocase fullword"
                f.write(f"    ${prefix}{i} = {yara_string(t)} {mods}\n")

        for name, terms in [("ctx_product", CONTEXT_PRODUCT), ("ctx_live", CONTEXT_LIVE)]:
            f.write(f"private rule {name}\n{{\n  strings:\n")
            strings("c", terms)
            f.write("  condition:\n    any of them\n}\n\n")
        lex_terms = {n: [t for t, _ in ts] for n, _, ts in lexicons}
        for r in rules:
            f.write(f"rule {r['name']}\n{{\n  meta:\n    score = {r['score']}\n  strings:\n")
            strings("a", lex_terms[r["lex"]])
            cond = "any of them"
            alts = ([r["ctx"]] if r["ctx"] else []) + [f'category == "{c}"' for c in r["cats"]]
            if alts:
                cond += " and (" + " or ".join(alts) + ")"
            f.write(f"  condition:\n    {cond}\n}}\n\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--terms", type=int, default=2400, help="about how many lexicon terms (at least 2,000)")
    ap.add_argument("--chunk", type=int, default=10, help="terms per rule lexicon")
    ap.add_argument("--lexicons", default=os.path.join(REPO, "stdlib", "wildlife", "lexicons"))
    args = ap.parse_args()
    lexicons = build(args)
    rules = []
    for name, kind, terms in lexicons:
        rule = {"name": f"r_{name}", "lex": name, "ctx": None, "cats": []}
        if kind == "guard":
            rule["score"] = -30
        elif kind == "live":
            rule.update(score=45, ctx="ctx_live", cats=LIVE_CATEGORIES)
        else:
            species = "species" in name
            rule.update(score=25 if species else 45, ctx="ctx_product", cats=PRODUCT_CATEGORIES)
        rules.append(rule)
    os.makedirs(args.out, exist_ok=True)
    write_tusk(args.out, lexicons, rules)
    write_spec(args.out, lexicons, rules)
    write_yara(args.out, lexicons, rules)
    n_terms = sum(len(t) for _, _, t in lexicons) + len(CONTEXT_PRODUCT) + len(CONTEXT_LIVE)
    print(f"gen_pack: {len(rules)} rules, {len(lexicons) + 2} lexicons, {n_terms} terms -> {args.out}")


if __name__ == "__main__":
    main()
