#!/usr/bin/env python3
"""Deterministic generator of multilingual marketplace listings with ground-truth labels.

Positives name a protected product (from stdlib/wildlife/lexicons/*.yaml, so the generator stays in
step with the lexicons), often evaded: separators ("i.v.o.r.y"), digits for letters ("1vory"),
Cyrillic look-alikes, Traditional Chinese, Vietnamese without tones. Negatives are ordinary
listings and hard negatives (ivory wedding dresses, tiger balm, megalodon fossils, tagua carvings).

  python3 scripts/gen_listings.py --count 100000 --seed 7 --positives 0.05 -o out.jsonl --labels out.labels.jsonl
  python3 scripts/gen_listings.py --count 1000 --min-bytes 1000 --max-bytes 10000000   # stress sizes
  python3 scripts/gen_listings.py --count 1000 --malformed 0.02                         # robustness

Labels: {"id", "label": "positive"|"negative", "family"}; malformed lines have no label.
"""

import argparse
import glob
import json
import os
import random
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TRAD = str.maketrans({"贸": "貿", "镯": "鐲", "龟": "龜", "骨": "骨", "胆": "膽", "鹤": "鶴", "顶": "頂", "红": "紅",
                      "鱼": "魚", "羚": "羚", "货": "貨", "虎": "虎", "犀": "犀", "牙": "牙"})
CYRILLIC = str.maketrans({"a": "а", "e": "е", "o": "о", "i": "і", "c": "с", "p": "р", "x": "х", "y": "у"})
DIGITS = str.maketrans({"i": "1", "o": "0", "e": "3", "a": "4", "s": "5"})
TONES = str.maketrans("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
                      "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd")

FAMILY_FILES = ["names", "pharmacopoeia"]
OBJECTS = {"en": ["bangle", "pendant", "carving", "figurine", "bracelet", "beads", "powder", "piece"],
           "zh": ["手镯", "吊坠", "摆件", "手串", "粉"], "vi": ["vòng tay", "mặt dây", "tượng"],
           "sw": ["vipande"], "es": ["pulsera", "figura"], "fr": ["bracelet", "statuette"],
           "pt": ["pulseira"], "th": ["กำไล"], "id": ["gelang"], "mul": ["piece"], "la": ["piece"]}
SALE = {"en": ["for sale", "genuine", "old stock", "fast shipping", "serious buyers only"], "zh": ["出售", "保真", "包邮"],
        "vi": ["bán", "hàng thật"], "sw": ["zinauzwa"], "es": ["se vende"], "fr": ["à vendre"], "pt": ["vende-se"],
        "th": ["ขาย"], "id": ["jual"], "mul": ["for sale"], "la": ["for sale"]}
CATEGORIES = ["antiques", "collectibles", "jewelry", "art", "health", "other", "home", "clothing", "toys", "food",
              "books", "electronics", "pets", "fashion", "sports"]
CURRENCIES = [("USD", 1), ("EUR", 0.95), ("GBP", 0.8), ("CNY", 7.3), ("VND", 25400), ("KES", 129), ("THB", 34),
              ("IDR", 16200), ("HKD", 7.8)]
COUNTRIES = ["US", "GB", "CN", "HK", "VN", "KE", "TZ", "TH", "ID", "FR", "ES", "BR", "DE", "ZA", "NG"]
HARD_NEGATIVES = [
    "Ivory wedding dress, size {n}", "Ivory Coast coffee beans {n}00g", "Tagua nut carving, vegetable ivory",
    "Faux tortoiseshell sunglasses", "Rhino horn shaped bottle opener", "Tiger Balm ointment {n}g",
    "Megalodon fossil tooth {n} inch", "Dogfish Head beer glass", "Shark tank toy playset", "Pangolin plush toy",
    "Bear claw pastry box of {n}", "Tiger print dress size M", "Ivory satin ribbon {n} m", "Tortoiseshell acetate frames",
    "Learning Python book, {n}th edition", "Sock monkey plush", "Parrot cage large", "Red coral beads necklace",
    "Gummy bears {n}kg bag", "Kudu horn {n}0 inch legal trophy"]
ORDINARY = ["Used bicycle, {n} gears", "Kids winter jacket size {n}", "Ceramic vase, blue glaze", "Phone case for model {n}",
            "Oak dining table, seats {n}", "Running shoes size {n}", "Vintage camera lens {n}mm", "Garden hose {n}0 m",
            "Handmade soap set of {n}", "LED desk lamp", "Board game, {n} players", "Wool scarf, grey"]
FILLER = ("Good condition. Smoke-free home. Pick up or post. Ask me anything. Thanks for looking. "
          "Bon état. Buen estado. Hàng còn mới. 九成新。 Hali nzuri. ")


def load_terms(lexdir):
    fams = {}
    for path in sorted(glob.glob(os.path.join(lexdir, "*.yaml"))):
        module, group = os.path.basename(path)[:-5].split(".", 1)
        if group not in FAMILY_FILES or module in ("intent", "other_tcm"):
            continue
        for line in open(path, encoding="utf-8"):
            m = re.match(r'\s*- \{term: ("(?:[^"\\]|\\.)*")(?:, lang: ([\w-]+))?', line)
            if m:
                term = json.loads(m.group(1)).rstrip("*")
                fams.setdefault(module, []).append((term, (m.group(2) or "en").split("-")[0]))
    if not fams:
        sys.exit(f"gen_listings.py: no lexicon files in {lexdir}; run scripts/gen_stdlib.py first")
    return fams


def evade(rng, term, lang):
    r = rng.random()
    if lang == "zh" and r < 0.5:
        return term.translate(TRAD), "traditional"
    if lang == "vi" and r < 0.6:
        return term.translate(TONES), "toneless"
    if lang not in ("en", "es", "fr", "pt", "id", "sw") or not term.isascii():
        return term, "plain"
    if r < 0.15:
        return ".".join(term), "separators"
    if r < 0.25:
        return " ".join(term), "spaced"
    if r < 0.35:
        return term.translate(DIGITS), "digits"
    if r < 0.45:
        return term.translate(CYRILLIC), "confusables"
    return term, "plain"


def pad(rng, text, size):
    if size <= len(text.encode()):
        return text
    reps = size // len(FILLER.encode()) + 1
    return (text + " " + FILLER * reps).encode()[:size].decode("utf-8", "ignore")


def listing(rng, i, fams, args):
    ccy, rate = rng.choice(CURRENCIES)
    price_usd = rng.choice([5, 12, 25, 60, 150, 400, 1200, 5000])
    n = rng.randint(2, 12)
    if rng.random() < args.positives:
        family = rng.choice(sorted(fams))
        term, lang = rng.choice(fams[family])
        shown, how = evade(rng, term, lang)
        obj = rng.choice(OBJECTS.get(lang, OBJECTS["en"]))
        live = family.startswith("live_") or family == "primates"
        if live:  # live animals are offered as animals, not as objects
            obj = rng.choice(["baby", "hatchling", "pair", "juvenile"])
        sale = rng.choice(SALE.get(lang, SALE["en"]))
        title = rng.choice([f"{shown} {obj}", f"{obj} {shown}, {sale}", f"{shown} {n}{rng.choice(['kg', 'g', '克'])}"])
        label, fam, cat = "positive", family, rng.choice(["antiques", "collectibles", "jewelry", "health", "other"])
        if live:
            cat = rng.choice(["pets", "animals", "other"])
        desc = f"{sale}. {rng.choice(['Old collection.', '懂行的来', 'Hàng hiếm.', 'Wanunuzi wa kweli.', 'Ships worldwide.'])}"
        tags = [how]
    else:
        hard = rng.random() < 0.3
        title = rng.choice(HARD_NEGATIVES if hard else ORDINARY).format(n=n)
        label, fam, cat = "negative", "", rng.choice(CATEGORIES)
        desc, tags = "Good condition.", (["hard-negative"] if hard else [])
    size = rng.randint(args.min_bytes, args.max_bytes) if args.max_bytes else 0
    if size:
        desc = pad(rng, desc, max(0, size - len(title.encode()) - 200))
    rec = {"id": f"g{i:08d}", "title": title, "description": desc, "price": round(price_usd * rate, 2),
           "currency": ccy, "category": cat, "tags": tags,
           "seller": {"id": f"s{rng.randint(1, 99999)}", "country": rng.choice(COUNTRIES)}, "location": ""}
    return rec, {"id": rec["id"], "label": label, "family": fam}


MALFORMED = [b'{"id": "bad", "title": "unterminated', b'[1, 2, 3]', b'"just a string"', b'',
             b'{"id": "bad-utf8", "title": "\xff\xfe ivory"}', b'{"id": 7, "title": ["not", "text"], "price": "cheap"}',
             b'{"id": "trailing", } ', b'null']


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--positives", type=float, default=0.05)
    ap.add_argument("--min-bytes", type=int, default=0, help="smallest description size in bytes (with --max-bytes)")
    ap.add_argument("--max-bytes", type=int, default=0, help="pad descriptions to a random size up to this (0 = natural)")
    ap.add_argument("--malformed", type=float, default=0.0, help="rate of malformed lines interleaved")
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--labels", default=None)
    ap.add_argument("--lexicons", default=os.path.join(REPO, "stdlib", "wildlife", "lexicons"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    fams = load_terms(args.lexicons)
    out = sys.stdout.buffer if args.output == "-" else open(args.output, "wb")
    labels = open(args.labels, "w", encoding="utf-8") if args.labels else None
    for i in range(args.count):
        if args.malformed and rng.random() < args.malformed:
            out.write(rng.choice(MALFORMED) + b"\n")
            continue
        rec, lab = listing(rng, i, fams, args)
        out.write(json.dumps(rec, ensure_ascii=False).encode() + b"\n")
        if labels:
            labels.write(json.dumps(lab) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
