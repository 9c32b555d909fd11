#!/usr/bin/env python3
"""Convert the labelled real-listing CSVs of ../shared/data/real into Tusk JSONL corpora.

The CSVs are research data (NYU VIDA, "Cost-Effective LLM-based Approach to Identify Wildlife
Trafficking", SIGMOD 2025): they are read at evaluation time and never copied into the
repository, so the output goes to a directory given on the command line (a build or temp dir).

For each dataset (shark, leather) and split (dev, held, all) it writes
  <out>/<dataset>.<split>.jsonl         listings: id, title, description, price, currency,
                                        seller {id}, location, url (whatever the CSV has)
  <out>/<dataset>.<split>.labels.jsonl  {"id", "label": "positive" | "negative", "family"}

`family` is a coarse product class of a positive (shark_ray, crocodilian, other_reptile,
fossil, insect, seashell, deer_antler, ...), assigned here by a few ordered patterns so that
`tusk eval` can report recall by class. It is for reporting only, never an input to the pack,
and it is approximate: read it as "which kind of real product did the pack miss", not as ground truth.

The split is deterministic and groups near-duplicates: a row goes to `dev` or `held` by a hash
of its title with digits, punctuation and case removed, so a seller's run of templated titles
(the same words, a different stock number and size) lands in one half and tuning on dev cannot memorise
the held-out half through its twins. Only the columns a marketplace would show are kept: the
CSVs' `relevant`, `negative_keywords` and GPT columns carry labelling information and are
dropped.

Social posts (`wlt_osn_dev.csv`, WLT-OSN, Mou et al., ICWSM 2024: research use only) are
written as a third set, `posts`, with one split, `dev` (the file is the development part of a
data set split by author; its held-out part is not in shared/):
  <out>/posts.dev.jsonl          {"id": post_id, "text": text, "author": {"description": author_description}}
                                 (the post record shape: scan it with `tusk scan --record-shape post`)
  <out>/posts.dev.labels.jsonl   {"id", "label", "family": "ivory" for positives}
  <out>/posts.dev.authors.jsonl  {"id", "author"}: the author key used for per-author capped
                                 figures (the CSV has no author id, so the key is a hash of the
                                 author description; a post with an empty description is its own
                                 author)
`author.description` is always written, empty or not, as a social network's API gives it
(docs/records.md, "Posts").
"""

import argparse
import csv
import hashlib
import html
import json
import re
import sys
import tempfile
from pathlib import Path

DATASETS = {
    "shark": "ebay_shark_listings.csv",
    "leather": "ebay_leather_listings.csv",
}
SPLITS = ("dev", "held", "all")
POSTS = {"posts": "wlt_osn_dev.csv"}

# Scraper artefacts at the end of a page title, not words the seller wrote.
_TITLE_SUFFIX = re.compile(r"\s*\|\s*eBay\s*$")


# Ordered: the first class whose pattern matches the title names the family of a positive.
# Print/embossed leather comes before the reptiles it imitates (the animal in it is a cow), and
# fossils before the animals they come from.
_FAMILIES = [
    ("fossil", r"fossil|extinct|cretaceous|pleistocene|miocene|pliocene|oligocene|eocene|megalodon|ice age"
               r"|prehistoric|hyracodon|mosasaur|woolly|sabertooth|struthiomimus|basilo"),
    ("print_or_embossed_leather", r"print|embossed|pr\w*gung|grain|style"),
    ("shark_ray", r"shark|sting ?ray|\bray\b|rays\b|skate|manta|sawfish|dogfish|torpedo"),
    ("crocodilian", r"croc|allig|\bgator|caiman|cayman|niloticus|porosus|krokodil|coccodrillo"),
    ("other_reptile", r"python|snake|\bboa\b|lizard|monitor|varan|iguana|tegu|reptile"),
    ("ostrich", r"ostrich|autruche|struthio"),
    ("insect", r"insect|beetle|idae\b|rutelidae|cerambycidae|lucanidae|butterfl|prosopocoilus|cetoniinae"),
    ("seashell", r"conus|shell|murex|cowrie|mollus"),
    ("deer_antler", r"deer|antler|stag|elk|moose|cervus"),
    ("fur_or_feather", r"fur\b|mink|fox|feather"),
    ("other_leather", r"leather|hide|skin|suede|sheepskin|cowhide"),
]


def family_of(title: str) -> str:
    lowered = title.lower()
    for family, pattern in _FAMILIES:
        if re.search(pattern, lowered):
            return family
    return "other"


def split_of(title: str) -> str:
    key = re.sub(r"[^a-z]+", " ", title.lower()).strip()
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return "dev" if digest[0] % 2 == 0 else "held"


def to_listing(dataset: str, row: dict) -> dict:
    listing = {"id": f"{dataset}-{row['id']}", "title": _TITLE_SUFFIX.sub("", row.get("title", "")).strip()}
    if row.get("description", "").strip():
        listing["description"] = row["description"].strip()
    price = row.get("price", "").strip()
    if price:
        try:
            listing["price"] = float(price)
        except ValueError:
            pass
    if row.get("currency", "").strip():
        listing["currency"] = row["currency"].strip()
    if row.get("seller", "").strip():
        listing["seller"] = {"id": row["seller"].strip()}
    for key in ("location", "url"):
        if row.get(key, "").strip():
            listing[key] = row[key].strip()
    return listing


def convert(data_dir: Path, out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for dataset, file_name in DATASETS.items():
        path = data_dir / file_name
        if not path.exists():
            raise FileNotFoundError(f"{path} not found")
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        files = {}
        for split in SPLITS:
            files[split] = (
                (out_dir / f"{dataset}.{split}.jsonl").open("w", encoding="utf-8"),
                (out_dir / f"{dataset}.{split}.labels.jsonl").open("w", encoding="utf-8"),
            )
        for row in rows:
            listing = to_listing(dataset, row)
            label = {"id": listing["id"], "label": "positive" if row["label"].strip() == "1" else "negative"}
            if label["label"] == "positive":
                label["family"] = family_of(listing["title"])
            for split in (split_of(row.get("title", "")), "all"):
                listings_file, labels_file = files[split]
                listings_file.write(json.dumps(listing, ensure_ascii=False) + "\n")
                labels_file.write(json.dumps(label) + "\n")
                key = (dataset, split, label["label"])
                counts[key] = counts.get(key, 0) + 1
        for listings_file, labels_file in files.values():
            listings_file.close()
            labels_file.close()
    return counts


def author_key(row: dict) -> str:
    """The CSV has no author id: authors are told apart by their profile text."""
    description = row.get("author_description", "").strip()
    if not description:
        return "post:" + row["post_id"]
    return "author:" + hashlib.sha256(description.encode("utf-8")).hexdigest()[:16]


def convert_posts(data_dir: Path, out_dir: Path) -> dict:
    """Write posts.dev.{jsonl,labels.jsonl,authors.jsonl}; returns {(set, split, label): count}.
    Raises FileNotFoundError when the CSV is absent."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, file_name in POSTS.items():
        path = data_dir / file_name
        if not path.exists():
            raise FileNotFoundError(f"{path} not found")
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        with (out_dir / f"{name}.dev.jsonl").open("w", encoding="utf-8") as posts, \
             (out_dir / f"{name}.dev.labels.jsonl").open("w", encoding="utf-8") as labels, \
             (out_dir / f"{name}.dev.authors.jsonl").open("w", encoding="utf-8") as authors:
            for row in rows:
                # The posts were collected HTML-escaped ("&amp;"); a site shows them unescaped.
                post = {"id": row["post_id"], "text": html.unescape(row.get("text", "")),
                        "author": {"description": html.unescape(row.get("author_description", ""))}}
                label = {"id": row["post_id"], "label": "positive" if row["label"].strip() == "1" else "negative"}
                if label["label"] == "positive":
                    label["family"] = "ivory"
                posts.write(json.dumps(post, ensure_ascii=False) + "\n")
                labels.write(json.dumps(label) + "\n")
                authors.write(json.dumps({"id": row["post_id"], "author": author_key(row)}) + "\n")
                key = (name, "dev", label["label"])
                counts[key] = counts.get(key, 0) + 1
    return counts


def main() -> int:
    repo = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", help="output directory (default: a new temporary directory)")
    parser.add_argument("--data", default=str(repo.parent / "shared" / "data" / "real"),
                        help="directory of the CSVs (default: ../shared/data/real beside the repository)")
    args = parser.parse_args()
    out_dir = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="tusk-real-"))
    try:
        counts = convert(Path(args.data), out_dir)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        counts.update(convert_posts(Path(args.data), out_dir))
    except FileNotFoundError as e:
        print(f"posts skipped: {e}", file=sys.stderr)
    for name in POSTS:
        if (name, "dev", "positive") in counts:
            pos, neg = counts[(name, "dev", "positive")], counts.get((name, "dev", "negative"), 0)
            print(f"{name}: dev {pos + neg} ({pos} positive)", file=sys.stderr)
    for dataset in DATASETS:
        parts = []
        for split in SPLITS:
            pos = counts.get((dataset, split, "positive"), 0)
            neg = counts.get((dataset, split, "negative"), 0)
            parts.append(f"{split} {pos + neg} ({pos} positive)")
        print(f"{dataset}: " + ", ".join(parts), file=sys.stderr)
    print(out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
