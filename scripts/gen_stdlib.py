#!/usr/bin/env python3
"""Generates the wildlife standard library from the research data.

Inputs (read-only, never copied into the repository):
  <data>/lexicon-research.yaml   terms by product family and language, each with source and status
  <data>/cites_animals_2017.csv  CITES Species+ export of 2017-04-21 (animals)

Outputs (deterministic: same inputs, same bytes):
  <out>/lexicons/<family>.<group>.yaml   one lexicon file per family and group; every term keeps
                                         its status and its expanded source
  <out>/<family>.tusk                    `module std.wildlife.<family>`: loads the files above and
                                         adds the small hand-curated inline lists (guards, plural
                                         forms) that are written in this script
  --docs FILE                            docs/stdlib.md (modules, lexicons, term counts by language
                                         and status, alternatives, built-in functions)

Usage (from the repository root):
  python3 scripts/gen_stdlib.py --data ../shared/data --out stdlib/wildlife --docs docs/stdlib.md

Unverified terms go to separate `<group>_unverified` lexicons so that a pack opts in to them
explicitly (`std.wildlife.ivory.names + std.wildlife.ivory.names_unverified`).
"""

import argparse
import csv
import json
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("gen_stdlib.py needs PyYAML: apt-get install python3-yaml (scripts/bootstrap installs it)")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import gen_coverage_matrix  # noqa: E402

# Commerce intent (offer and talk words, contact and price patterns) is written in its own file.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import intent_lexicon  # noqa: E402

CITES_SOURCE = "CITES Species+ export 2017-04-21"
STATUS_ORDER = ["sourced", "sourced_translation", "sourced_fiction_or_blog", "unverified"]

# kind (from the research yaml) -> lexicon group in the module.
KIND_GROUP = {
    "product_name": "names",
    "pharmacopoeia_name": "pharmacopoeia",
    "species_name": "species",
    "code_word": "code_words",
    "collector_slang": "slang",
    "cover_term": "cover_claims",
    "laundering_claim": "cover_claims",
    "search_keyword": "search_keywords",
    "context": "context",
    "false_positive_guard": "guards",
    "negative_keyword": "guards",
    "intent_term": "intent",
    "imitation": "imitations",
    "animal_name": "animals",
    "part_word": "parts",
}

# The project's own multilingual data (issue 20), merged after the research data. Its entries
# with status `curated` have no external source: they become inline `<group>_curated` terms.
MULTILINGUAL = os.path.join(REPO, "scripts", "data", "lexicon-multilingual.yaml")
MULTILINGUAL_WHY = "ordinary words of the declared languages, scripts/data/lexicon-multilingual.yaml"

# Groups every family module declares (empty when the data has no term), so that packs can
# refer to the same names in every family.
CORE_GROUPS = ["names", "species", "pharmacopoeia", "code_words", "code_words_ambiguous", "slang",
               "cover_claims", "guards"]

GROUP_DOC = {
    "names": "product names (what the product is called when sold openly)",
    "species": "species names: scientific names, CITES English/Spanish/French common names, synonyms",
    "pharmacopoeia": "names in traditional-medicine pharmacopoeias (Chinese, Vietnamese, Latin)",
    "code_words": "code words reported for this product; specific enough to match on their own in context",
    "code_words_ambiguous": "reported code words that are ordinary words (\"white\", \"black\", 白): use only next to product or carving words",
    "slang": "collector slang from weak sources (blogs, web fiction)",
    "cover_claims": "cover stories and laundering claims (\"bovine bone\", \"mammoth ivory\")",
    "search_keywords": "keywords NGOs searched with; high recall, low precision",
    "context": "context words and phrases (evidence markers), not product names",
    "guards": "false-positive guards: legal look-alikes, colour words, toys, prints",
    "imitations": "imitations and legal substitutes named in listings",
    "colour_use": "the product name used as a colour or a place",
    "intent_sell": "seller intent",
    "intent_buy": "buyer intent",
    "not_for_sale": "phrases saying the item is not for sale",
    "discretion": "discretion phrases (\"no questions\", 懂行的来)",
    "animals": "everyday names of the animals (\"shark\", \"crocodile\"): a product only next to a part word",
    "parts": "part and product words that make an animal name a product (jaw, skin, leather, skull, specimen)",
}

# The research yaml's product keys -> module names, and which CITES taxa each module takes.
FAMILIES = [
    # (module, research key(s), CITES selector, description)
    ("ivory", ["ivory"], lambda r: r["family"] == "Elephantidae", "elephant ivory"),
    ("rhino_horn", ["rhino_horn"], lambda r: r["family"] == "Rhinocerotidae", "rhinoceros horn"),
    ("pangolin", ["pangolin"], lambda r: r["family"] == "Manidae", "pangolins and pangolin scales"),
    ("tiger", ["tiger_parts"], lambda r: r["full_name"].startswith("Panthera tigris"), "tiger bone, skin, claws and other parts"),
    ("hornbill", ["helmeted_hornbill_casque"], lambda r: r["full_name"].startswith("Rhinoplax"), "helmeted hornbill casque (\"red ivory\")"),
    ("tortoiseshell", ["hawksbill_tortoiseshell"], lambda r: r["full_name"].startswith("Eretmochelys"), "hawksbill turtle shell (tortoiseshell, bekko)"),
    ("bear_bile", ["bear_bile"], lambda r: r["family"] == "Ursidae", "bear bile and bear parts"),
    ("saiga", [], lambda r: r["full_name"].startswith("Saiga"), "saiga antelope horn"),
    ("live_reptiles", ["live_reptiles"], lambda r: r["class"] == "Reptilia" and r["family"] in
     {"Testudinidae", "Chamaeleonidae", "Varanidae", "Pythonidae", "Boidae"}, "live reptiles (tortoises, chameleons, monitors, pythons, boas)"),
    ("live_birds", ["live_birds"], lambda r: r["class"] == "Aves" and r["order"] in {"Psittaciformes", "Falconiformes"},
     "live parrots and birds of prey"),
    ("primates", ["live_primates_mammals"], lambda r: r["order"] == "Primates", "live primates (and exotic cats declared as pets)"),
    ("shark", ["shark_fin"], lambda r: r["class"] == "Elasmobranchii", "sharks and rays: fins and other products"),
    ("reptile_skins", [], lambda r: r["class"] == "Reptilia" and r["order"] == "Crocodylia",
     "reptile skins, leather and trophies (crocodilians, pythons, boas, monitor lizards)"),
    ("other_tcm", [], None, "other animal products of traditional medicine (seahorse, giant clam, musk, gecko)"),
    # Families added for the declared languages (issue 20): jaguar fangs and big-cat skins are
    # sold in Latin America, Africa and Asia; totoaba maw is smuggled from Mexico to China.
    ("big_cats", [], lambda r: r["family"] == "Felidae" and (
        r["full_name"].split(" ")[0] in {"Panthera", "Neofelis", "Uncia", "Acinonyx"} or r["full_name"] == "Leopardus pardalis")
     and not r["full_name"].startswith("Panthera tigris"),
     "big cats other than the tiger (jaguar, leopard, lion, snow leopard, clouded leopard, cheetah, ocelot): teeth, claws, skins"),
    ("totoaba", [], lambda r: r["full_name"].startswith("Totoaba"), "totoaba swim bladder (maw)"),
]

# Terms of `other_tcm_animal_products` go to the family they belong to (by the research note or
# by what the Chinese name means); the rest stay in other_tcm.
OTHER_TCM_ROUTE = {
    "羚羊角": "saiga", "羚羊角屑": "saiga", "羚角": "saiga", "羚羊角末": "saiga", "赛加羚羊": "saiga",
    "陆龟": "live_reptiles", "蛤蚧": "live_reptiles", "海龟": "tortoiseshell",
}

# Per-term group overrides, (module, term) -> group: the research yaml files several kinds of
# terms under one entry; the note of each entry says which are which.
TERM_GROUP = {
    # ivory search keywords: the product words become names, the imitations become imitations
    ("ivory", "ivory"): "names", ("ivory", "tusk"): "names", ("ivory", "scrimshaw"): "names",
    ("ivory", "faux ivory"): "imitations", ("ivory", "ivorine"): "imitations",
    ("ivory", "vegetable ivory"): "imitations", ("ivory", "tagua nut"): "imitations",
    ("ivory", "corozo"): "imitations", ("ivory", "corosso"): "imitations",
    ("ivory", "French ivory"): "imitations", ("ivory", "celluloid"): "imitations",
    ("ivory", "ivory coloured"): "colour_use", ("ivory", "ivory dress"): "colour_use",
    ("ivory", "wedding"): "colour_use", ("ivory", "Ivory Coast"): "colour_use",
    # single ordinary words reported as code words: only usable next to product words
    ("ivory", "white"): "code_words_ambiguous", ("ivory", "jelly"): "code_words_ambiguous",
    ("ivory", "白"): "code_words_ambiguous",
    ("rhino_horn", "black"): "code_words_ambiguous", ("rhino_horn", "黑"): "code_words_ambiguous",
    ("hornbill", "red"): "code_words_ambiguous", ("hornbill", "一红"): "slang",
    ("tortoiseshell", "faux tortoiseshell"): "guards", ("tortoiseshell", "celluloid"): "guards",
    ("tortoiseshell", "Hawksbill Turtle"): "species",
}

# Term rewrites: AND-rules of the customs keyword file are not phrases.
REWRITE = {
    "tiger&bone": ("tiger bone", "written `tiger&bone` (an AND rule) in the source keyword file"),
}
SKIP = {
    "虎&狮&豹制品": "an AND rule (tiger & lion & leopard products), not a phrase; expressed as rules in packs",
}

# CITES common names that are too generic to be species evidence.
CITES_DROP = {"Bears", "Osos", "Ours", "Tiger", "Tigre", "Lion", "León", "Lion d'Afrique", "Panther", "Pantera", "Panthère", "Jaguar", "Leopard", "Léopard", "Leopardo", "Chita", "Cheetah", "Guépard", "Guepardo"}
# (bare animal names are not species evidence on their own: "Jaguar" is a car, "Panther" a brand;
# the big_cats rules take them only next to a part word, from the pack's own list)
# ("Tiger"/"Tigre" come from the research yaml's species list as well; they stay, with that source.)

# Hand-curated inline additions (no external source): plural forms, prefix forms and
# false-positive guards that marketplaces report daily. Each list says why it is here.
CURATED = {
    "ivory": {
        "names": ("plural and prefix forms the sourced names need to match listing text",
                  [(["elephant tusk*", "tusks", "ivory carving*"], "en"), (["象牙雕", "牙雕"], "zh"),
                   (["nga voi"], "vi")]),
        "code_words": ("singular, plural and prefix forms of the sourced English code words",
                       [(["african material*", "white plastic*", "yellow material*"], "en")]),
        "guards": ("look-alike materials and uses of the word ivory that are not elephant ivory",
                   [(["tagua", "resin", "polyresin", "plastic replica", "bone china", "porcelain", "ivory tower", "ivory soap",
                      "ivory keyboard cover", "ivory paper", "ivory cardstock", "ivory yarn", "ivory linen",
                      "ivory satin", "ivory lace", "ivory ribbon", "ivory white", "ivory color", "ivory colour",
                      "ivory colored", "ivory-colored", "ivory-coloured", "côte d'ivoire", "cote d'ivoire",
                      "ivory coast"], "en")]),
        "imitations": ("words sellers use to say the item is not ivory",
                       [(["faux", "imitation", "resin", "tagua", "polyresin", "replica", "vegetable ivory", "fake ivory"], "en"),
                        (["仿象牙", "树脂", "塔瓜"], "zh"), (["marfil vegetal", "tagua"], "es"), (["ivoire végétal"], "fr")]),
        "colour_use": ("ivory as a colour or a place name",
                       [(["ivory colour", "ivory color", "ivory white", "ivory coast", "ivory coloured", "ivory colored",
                          "ivory wedding", "ivory lace", "ivory satin", "ivory cream", "ivory paint", "ivory yarn",
                          "ivory bridal", "ivory gown"], "en"),
                        (["côte d'ivoire", "cote d'ivoire", "couleur ivoire"], "fr"), (["象牙白", "象牙色"], "zh"),
                        (["color marfil"], "es")]),
    },
    "rhino_horn": {
        "names": ("plural and phrase forms of the sourced names",
                  [(["rhino horn*", "rhinoceros horn*", "horn of rhino*", "rhino horn powder", "rhino horn cup*"], "en"),
                   (["犀牛角粉", "犀角杯"], "zh"), (["sung te giac"], "vi")]),
        "guards": ("objects shaped like or named after rhino horn",
                   [(["bottle opener", "shaped", "replica", "resin", "toy", "figurine", "plush", "beetle",
                      "rhino beetle", "rhinoceros beetle", "keychain", "print", "poster", "sticker", "t-shirt", "ox horn",
                      "buffalo horn", "cow horn", "yak horn"], "en"), (["牛角", "水牛角", "树脂"], "zh")]),
    },
    "pangolin": {
        "guards": ("toys, art and conservation content about pangolins",
                   [(["plush", "toy", "stuffed", "soft toy", "figurine", "print", "poster", "book", "sticker", "t-shirt",
                      "world pangolin day", "pangolin conservation", "keychain", "ornament", "pangolin pattern"], "en")]),
    },
    "tiger": {
        "names": ("part names the sourced product names imply",
                  [(["tiger bone*", "tiger claw*", "tiger skin*", "tiger pelt*", "tiger tooth", "tiger teeth",
                     "tiger fang*", "tiger penis", "tiger wine", "tiger bone wine", "tiger skull*", "tiger whisker*"], "en"),
                   (["虎骨酒", "虎牙", "虎爪", "虎鞭"], "zh"), (["cao ho cot", "nanh hổ", "móng hổ", "da hổ"], "vi")]),
        "guards": ("tiger as a brand, a print or a plant name",
                   [(["tiger balm", "tiger print", "tiger stripe", "tiger eye", "tiger's eye", "tigers eye", "tiger lily",
                      "tiger prawn*", "tiger shrimp", "tiger nut*", "tiger beer", "tiger bread", "tiger tail", "tiger king",
                      "tiger woods", "plush", "toy", "poster", "tiger economy", "onitsuka tiger", "print dress", "faux fur",
                      "tiger moth", "tiger shark"], "en"),
                    (["虎标万金油", "万金油"], "zh"), (["cao hổ cốt giả"], "vi")]),
    },
    "hornbill": {
        "names": ("phrase forms of the sourced names",
                  [(["hornbill casque*", "helmeted hornbill", "red ivory"], "en"), (["鹤顶红雕件", "鹤顶红挂件"], "zh")]),
        "guards": ("hornbill imagery and red materials that are not casque",
                   [(["red ivory palm", "red resin", "cinnabar", "red coral", "hornbill print", "hornbill plush", "toy",
                      "poster"], "en")]),
    },
    "tortoiseshell": {
        "names": ("spelling variants of the sourced names",
                  [(["tortoise shell", "turtle shell", "hawksbill shell", "hawksbill", "real tortoiseshell",
                     "genuine tortoiseshell"], "en"), (["玳瑁壳", "玳瑁手镯"], "zh"), (["doi moi"], "vi"),
                   (["carey"], "es"), (["écaille de tortue"], "fr")]),
        "guards": ("the tortoiseshell pattern in acetate and the tortoiseshell butterfly or cat",
                   [(["faux tortoiseshell", "tortoiseshell acetate", "acetate", "cellulose acetate", "tortoiseshell cat",
                      "tortoiseshell butterfly", "tortoiseshell pattern", "tortoise pattern", "tortoiseshell print",
                      "tortoiseshell effect", "tortoiseshell look", "resin", "sunglasses", "glasses frame*",
                      "optical frame*", "hair claw", "tortie", "plastic"], "en"), (["仿玳瑁", "板材"], "zh")]),
    },
    "bear_bile": {
        "guards": ("bear as a toy, a pastry or a brand; synthetic ursodiol",
                   [(["bear claw pastry", "bear claw", "gummy bear*", "teddy bear*", "care bear*", "bear print",
                      "ursodiol", "ursodeoxycholic acid", "udca", "synthetic", "plush", "toy", "pooh"], "en"),
                    (["熊猫", "小熊", "熊本熊"], "zh")]),
        "names": ("bear bile and bear part names in English",
                  [(["bear bile", "bear gall", "bear gallbladder", "bear gall bladder", "bear bile powder", "bear paw*",
                     "bear gallbladders"], "en")]),
    },
    "saiga": {
        "names": ("saiga horn in English",
                  [(["saiga horn", "saiga antelope horn", "antelope horn"], "en"), (["sừng linh dương"], "vi")]),
        "guards": ("other antelope horns sold legally",
                   [(["kudu", "impala", "springbok", "gemsbok", "blackbuck", "oryx", "deer antler"], "en")]),
    },
    "live_reptiles": {
        "guards": ("reptile leather look-alikes, toys and prints",
                   [(["faux", "embossed", "croc embossed", "snake print", "snakeskin print", "python print", "toy",
                      "plush", "figurine", "print", "poster", "vivarium", "terrarium", "heat lamp", "reptile food",
                      "pc game", "python programming", "python book", "monty python", "python 3"], "en")]),
        "names": ("live-animal sale words in English",
                  [(["hatchling*", "baby tortoise*", "live tortoise*", "live chameleon*", "live python*", "cb hatchling*"], "en")]),
    },
    "live_birds": {
        "guards": ("toys, cages and food",
                   [(["cage only", "empty cage", "bird cage", "perch", "bird food", "parrot food", "toy", "plush", "figurine", "print",
                      "poster", "feather earring*", "parrot toy", "pirate costume"], "en")]),
        "names": ("live-bird sale words in English",
                  [(["baby parrot*", "hand-fed", "hand fed", "handfed", "talking parrot*", "parrot chick*",
                     "unweaned", "fertile egg*", "parrot egg*", "falcon chick*", "eyas"], "en"),
                   (["鹦鹉", "非洲灰鹦鹉", "鹦鹉蛋"], "zh"), (["vẹt xám", "vẹt con"], "vi")]),
    },
    "primates": {
        "guards": ("toys, costumes and prints",
                   [(["plush", "toy", "costume", "monkey bread", "monkey wrench", "sock monkey", "print", "poster",
                      "figurine", "monkey pod", "monkey grass", "monkey business"], "en")]),
        "names": ("pet-primate sale words in English",
                  [(["capuchin monkey*", "squirrel monkey*", "spider monkey*", "marmoset*", "tamarin*", "baby macaque*",
                     "baby monkey*", "pet monkey*", "baby marmoset*", "pet marmoset*", "slow loris", "baby loris",
                     "baby chimp*", "baby gibbon*", "capuchin baby", "finger monkey*"], "en"),
                   (["懒猴", "猴宝宝", "小猴子"], "zh"), (["khỉ con", "cu li"], "vi")]),
    },
    "shark": {
        # Measured on the labelled eBay shark listings (docs/quality.md): "shark fin" is mostly a car
        # antenna shape, "shark"/"hammerhead"/"mako" mostly brands (vacuums, watches, beer, toys), and
        # shark teeth mostly fossils; the real products are jaws, modern teeth, preserved specimens,
        # stingray barbs and shark skin.
        "guards": ("fossils, brands, shapes and toys that say shark",
                   [(["megalodon", "fossil*", "fossilized", "fossilised", "extinct", "prehistoric", "miocene",
                      "pliocene", "eocene", "oligocene", "paleocene", "cretaceous", "otodus", "hastalis",
                      "shark tooth hill", "megalodon era", "million year*", "million-year*",
                      "dogfish head", "shark tank", "toy", "toys", "plush", "shark week", "baby shark", "shark vacuum",
                      "vacuum", "ninja shark", "sharkninja", "hammerhead tool", "antenna*", "aerial", "spoiler",
                      "diffuser", "goggles", "snorkel", "foot fins", "swim fins", "print", "poster", "replica",
                      "reproduction", "resin", "faux", "card shark", "loan shark", "shark boots", "landshark",
                      "tiger shark tooth fossil", "shark bite", "costume", "mask", "t-shirt", "shirt", "hoodie",
                      "sticker*", "decal*", "cookie cutter", "action figure", "lego", "hot wheels", "beer",
                      "14k", "gold plated", "3-d", "wall art", "statue", "crystal", "quartz", "agate", "geode",
                      "mineral*", "x-ray", "xray"], "en")]),
        "names": ("shark products in English and Chinese",
                  [(["shark fin*", "dried shark fin*", "shark fin soup", "shark cartilage", "shark liver oil",
                     "shark jaw*", "shark tooth necklace", "manta gill*", "gill plate*", "sharkskin", "shagreen",
                     "galuchat", "stingray barb*", "stingray stinger*", "sting ray barb*", "ray barb*",
                     "shark in a bottle", "shark in a jar"], "en"),
                   (["鱼翅", "鲨鱼翅", "鲨鱼鳍", "鱼翅干", "鲨鱼软骨"], "zh"), (["vây cá mập", "vi cá"], "vi"),
                   (["aleta de tiburón"], "es"), (["aileron de requin"], "fr")]),
        "animals": ("everyday names of sharks and rays",
                    [(["shark", "sharks", "stingray*", "sting ray*", "skate", "skates", "dogfish", "manta*",
                       "sawfish", "guitarfish", "wedgefish", "eagle ray*", "bat ray*", "torpedo ray*", "electric ray*",
                       "cownose ray*", "devil ray*", "thornback ray*", "cuckoo ray*", "butterfly ray*"], "en"),
                     (["鲨鱼", "鲨"], "zh"), (["cá mập"], "vi"), (["tiburón", "tiburon", "raya"], "es"),
                     (["requin", "raie"], "fr")]),
        "parts": ("parts and preparations that make a shark or ray name a product",
                  [(["fin*", "jaw*", "tooth", "teeth", "cartilage", "skin", "hide", "leather", "gill*",
                     "liver oil", "meat", "steak*", "barb*", "stinger*", "skull*", "cranium", "vertebra*",
                     "taxidermy", "specimen*", "preserved", "embalmed", "bottle", "jar", "oddities", "curiosities"],
                    "en"),
                   (["翅", "鳍", "软骨"], "zh"), (["vây", "vi"], "vi"), (["aleta*"], "es"), (["aileron*"], "fr")]),
    },
    "reptile_skins": {
        # CITES lists every crocodilian and the pythons, boas and monitor lizards whose skins are
        # traded: a listing of the skin, leather or a trophy goes to review (legal trade carries
        # CITES papers). The look-alikes are cow leather embossed or printed with the pattern.
        "names": ("reptile leather and skin products by their trade names",
                  [(["crocodile leather", "crocodile skin", "croc skin", "alligator leather", "alligator skin",
                     "gator skin", "caiman leather", "caiman skin", "caiman belly", "hornback*", "python leather",
                     "python skin", "pythonskin", "snakeskin", "snake skin", "lizard leather", "lizard skin",
                     "varanus skin", "boa skin"], "en"),
                   (["鳄鱼皮", "蟒蛇皮", "蛇皮"], "zh"), (["da cá sấu", "da trăn"], "vi"),
                   (["piel de cocodrilo", "piel de pitón"], "es"), (["cuir de crocodile", "peau de python"], "fr")]),
        "animals": ("everyday names of crocodilians and of the snakes and lizards traded for skins",
                    [(["crocodile*", "croc", "alligator*", "gator", "gators", "caiman*", "cayman",
                       "allig", "python*", "boa", "boa constrictor", "anaconda", "lizard*", "varanus", "tegu", "reptile",
                       "niloticus", "porosus"],
                      "en"),
                     (["鳄鱼", "蟒蛇"], "zh"), (["cá sấu", "trăn"], "vi"), (["cocodrilo", "caimán", "pitón"], "es"),
                     (["krokodil"], "de"), (["coccodrillo"], "it")]),
        "parts": ("skin, leather goods and trophy words that make a reptile name a product",
                  [(["leather", "skin", "skins", "hide*", "pelt*", "belly", "tail", "wallet*", "belt*", "bag",
                     "bags", "handbag*", "purse*", "clutch*", "tote", "birkin", "kelly", "strap*", "watchband*",
                     "band", "boot*", "shoe*", "heels", "jacket", "vest", "sheath", "key ring", "keychain",
                     "skull*", "cranium", "taxidermy", "head", "tooth", "teeth", "claw*", "foot", "feet", "jaw*",
                     "specimen*", "mount"], "en"),
                   (["schädel", "leder"], "de"), (["cranio", "pelle"], "it"), (["cuir", "peau", "crâne"], "fr")]),
        "guards": ("look-alikes: printed or embossed leather, stamps, prints, figurines, toys, casts, fossils",
                   [(["print", "printed", "prints", "embossed", "emboss*", "grain", "style", "effect", "pattern",
                      "faux", "pu", "vegan", "imitation", "mock", "stamp", "stamps", "mnh", "souvenir sheet",
                      "fdc", "postage", "used on ebid", "fine used", "figurine*", "figure", "statue*",
                      "sculpture*", "toy", "toys", "plush", "replica", "resin", "plastic", "rubber", "pvc",
                      "schleich", "poster", "lithograph", "engraving", "woodcut", "holzstich", "druck", "photo*",
                      "painting", "watercolor", "postcard", "book", "cast", "wooden", "wood", "bronze", "brass",
                      "ceramic", "porcelain", "fossil*", "cretaceous", "prehistoric", "pepper", "cayman islands",
                      "porsche", "dog chew", "treats", "lacoste", "clog*", "jibbitz", "drum bag*", "gig bag*", "guitar case*",
                      "gator case*"], "en")]),
    },
}
# The saiga Chinese names are a distinct pharmacopoeia group in the research note.

CURATED["intent"] = intent_lexicon.INTENT_CURATED
for _group, _extra in intent_lexicon.IVORY_POST_GUARDS.items():
    _why, _lists = CURATED["ivory"][_group]
    CURATED["ivory"][_group] = (_why, _lists + _extra)
CURATED["ivory"]["colour_context"] = intent_lexicon.IVORY_COLOUR_CONTEXT
GROUP_DOC["colour_context"] = "things that come in an ivory colour (garments, textiles, paper, glass, pearls): the colour, next to the product name"
GROUP_DOC.update(intent_lexicon.INTENT_GROUP_DOC)

# Postage stamps picture protected animals by their species names (the eBay leather listings are
# full of them, docs/quality.md): every family's guards take the philately words. Bare "stamp" is
# left out for ivory and rhino horn, where a stamp (a seal, 印章) is a carved product.
PHILATELY = ["mnh", "postage", "souvenir sheet", "mint never hinged", "first day cover", "philatel*", "fdc", "stamps"]
for _module, _groups in CURATED.items():
    if "guards" in _groups:
        _why, _lists = _groups["guards"]
        _words = PHILATELY + ([] if _module in ("ivory", "rhino_horn") else ["stamp"])
        _groups["guards"] = (_why + "; postage stamps", _lists + [(_words, "en")])


def die(msg):
    sys.exit(f"gen_stdlib.py: {msg}")


def as_list(x):
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def lang_of(section):
    return {"zh-Hans": "zh", "multi": "mul", "en_de_es": "mul", "species_names": "mul"}.get(section, section)


def expand_sources(keys, sources):
    out = []
    for k in as_list(keys):
        if k not in sources:
            die(f"source key {k!r} has no entry under `sources:`")
        out.append(f"{k}: {sources[k]}")
    return " | ".join(out)


class Term:
    __slots__ = ("text", "lang", "kind", "status", "source", "note", "prefix")

    def __init__(self, text, lang, kind, status, source, note="", prefix=False):
        self.text, self.lang, self.kind, self.status = text, lang, kind, status
        self.source, self.note, self.prefix = source, note, prefix


class Lexicons:
    """group name -> ordered-by-key dict of terms, with de-duplication that keeps every source."""

    def __init__(self):
        self.groups = {}

    def add(self, group, t):
        key = t.text.casefold()
        g = self.groups.setdefault(group, {})
        old = g.get(key)
        if old is None:
            g[key] = t
            return
        # Merge: the strongest status wins; all sources are kept.
        if STATUS_ORDER.index(t.status) < STATUS_ORDER.index(old.status):
            old.status = t.status
        if t.source not in old.source.split(" | "):
            old.source = old.source + " | " + t.source
        if t.note and t.note not in old.note:
            old.note = (old.note + "; " + t.note) if old.note else t.note
        if t.kind not in old.kind.split(","):
            old.kind = old.kind + "," + t.kind


def classify(module, term, kind):
    if (module, term) in TERM_GROUP:
        return TERM_GROUP[(module, term)]
    if kind not in KIND_GROUP:
        die(f"unknown kind {kind!r} for term {term!r}")
    return KIND_GROUP[kind]


def load_research(path, fams):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    sources = doc.get("sources", {})
    skipped = []
    key_to_module = {}
    for module, keys, _, _ in FAMILIES:
        for k in keys:
            key_to_module[k] = module

    def take(module, section, entry, research_key):
        kind = entry["kind"]
        status = entry["status"]
        if status not in STATUS_ORDER:
            die(f"unknown status {status!r}")
        src = expand_sources(entry["source"], sources)
        note = entry.get("note", "")
        for raw in entry["terms"]:
            text, extra = raw, ""
            if raw in SKIP:
                skipped.append((module, raw, SKIP[raw], src))
                continue
            if raw in REWRITE:
                text, extra = REWRITE[raw]
            target = module
            if research_key == "other_tcm_animal_products":
                target = OTHER_TCM_ROUTE.get(raw, "other_tcm")
            group = classify(module if research_key != "other_tcm_animal_products" else target, raw, kind)
            n = "; ".join(x for x in (note, extra) if x)
            if section == "zh-Hant":
                n = "Traditional Chinese form" + ("; " + n if n else "")
            t = Term(text, lang_of(section), kind, status, src, n)
            if status == "unverified":
                group = group + "_unverified"
            fams[target].add(group, t)

    for research_key, by_lang in doc["products"].items():
        module = key_to_module.get(research_key)
        if module is None and research_key != "other_tcm_animal_products":
            die(f"research family {research_key!r} has no module")
        for section, entries in by_lang.items():
            for entry in entries:
                take(module, section, entry, research_key)

    intent_group = {"seller": "intent_sell", "buyer": "intent_buy", "not for sale": "not_for_sale"}
    for section, entries in doc["intent_and_context_terms"].items():
        for entry in entries:
            src = expand_sources(entry["source"], sources)
            if section == "unverified_discretion_phrases":
                group = "discretion"
            else:
                group = intent_group[entry["terms"][0]]
            if entry["status"] == "unverified":
                group += "_unverified"
            for raw in entry["terms"]:
                fams["intent"].add(group, Term(raw, "mul", entry["kind"], entry["status"], src, entry.get("note", "")))
    return skipped


def load_multilingual(path, fams):
    """Merges the project's multilingual data: sourced terms into the lexicon files, curated
    terms into CURATED (inline lists), `all_families` entries into every family."""
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    sources = doc.get("sources", {})

    def take(module, lang, entry):
        group = KIND_GROUP[entry["kind"]] if entry["kind"] in KIND_GROUP else die(f"unknown kind {entry['kind']!r}")
        status = entry["status"]
        if status == "curated":
            why, lists = CURATED.setdefault(module, {}).get(group, (MULTILINGUAL_WHY, []))
            if MULTILINGUAL_WHY not in why:
                why = why + "; " + MULTILINGUAL_WHY
            CURATED[module][group] = (why, lists + [(list(entry["terms"]), lang)])
            return
        if status not in STATUS_ORDER:
            die(f"unknown status {status!r} in {path}")
        src = expand_sources(entry["source"], sources)
        for raw in entry["terms"]:
            prefix = raw.endswith("*")
            t = Term(raw[:-1] if prefix else raw, lang, entry["kind"], status, src, entry.get("note", ""), prefix)
            fams[module].add(group + ("_unverified" if status == "unverified" else ""), t)

    for lang, entries in (doc.get("all_families") or {}).items():
        for entry in entries:
            for module in fams:
                if module != "intent":
                    take(module, lang, entry)
    for module, by_lang in doc["products"].items():
        if module not in fams:
            die(f"{path}: family {module!r} has no module")
        for lang, entries in by_lang.items():
            for entry in entries:
                take(module, lang, entry)


AUTHOR_RE = re.compile(r"\s*\(.*$")


def split_names(s):
    return [x.strip() for x in s.split(",") if x.strip()]


def load_cites(path, fams):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for module, _, select, _ in FAMILIES:
        if select is None:
            continue
        for r in sorted(rows, key=lambda r: r["full_name"]):
            if not select(r) or r["rank"] == "GENUS" or r["rank"] == "ORDER":
                continue
            src = f"{CITES_SOURCE}, Appendix {r['cites_listing']}"
            sci = r["full_name"]
            note = f"CITES {r['rank'].lower()} {sci}"
            fams[module].add("species", Term(sci, "la", "species_name", "sourced", src, note))
            for col, lang in (("english_names", "en"), ("spanish_names", "es"), ("french_names", "fr")):
                for name in split_names(r[col]):
                    if name in CITES_DROP:
                        continue
                    fams[module].add("species", Term(name, lang, "species_name", "sourced", src, note))
            for syn in split_names(r["synonyms"]):
                syn = AUTHOR_RE.sub("", syn).strip()
                # "Loxodonta cyclotis (Matschie, 1900)": keep binomials, drop author-only fragments.
                if len(syn.split()) >= 2 and syn[0].isupper():
                    fams[module].add("species", Term(syn, "la", "species_name", "sourced", src, f"synonym of {sci}"))


def q(s):
    return json.dumps(s, ensure_ascii=False)


def write_if_changed(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def yaml_text(module, group, terms):
    lines = [
        "# GENERATED by scripts/gen_stdlib.py from lexicon-research.yaml and cites_animals_2017.csv.",
        "# Do not edit: change the data or the script and regenerate.",
        f"# std.wildlife.{module}.{group}: {GROUP_DOC.get(group.replace('_unverified', ''), group)}",
        "# Every term keeps the status and the expanded source of the research data; `note` starts",
        "# with the research `kind` of the term.",
        "terms:",
    ]
    for t in terms:
        note = f"kind={t.kind}" + (f"; {t.note}" if t.note else "")
        parts = [f"term: {q(t.text + ('*' if t.prefix else ''))}"]
        if t.lang:
            parts.append(f"lang: {t.lang}")
        parts += [f"status: {t.status}", f"source: {q(t.source)}", f"note: {q(note)}"]
        lines.append("  - {" + ", ".join(parts) + "}")
    return "\n".join(lines) + "\n"


def sorted_terms(g):
    return [g[k] for k in sorted(g, key=lambda k: (g[k].lang, k))]


def module_text(module, desc, groups, curated):
    out = [
        "// GENERATED by scripts/gen_stdlib.py; do not edit. The terms live in lexicons/*.yaml with their",
        "// sources; the short inline lists below are hand-curated in the script (each says why).",
        f"// {desc}.",
        f"module std.wildlife.{module}",
        "",
    ]
    names = sorted(set(groups) | set(curated) | (set(CORE_GROUPS) if module not in ("intent",) else set()))
    # Curated groups that have no data file still need a declaration; order: core first.
    order = [g for g in CORE_GROUPS if g in names] + [g for g in names if g not in CORE_GROUPS]
    for g in order:
        doc = GROUP_DOC.get(g.replace("_unverified", ""), g)
        parts = []
        if g in groups:
            parts.append(f'load("lexicons/{module}.{g}.yaml")')
        if g in curated:
            why, lists = curated[g]
            out.append(f"// Hand-curated ({why}); no external source.")
            out.append(f"lexicon {g}_curated {{")
            seen = set()
            for terms, lang in lists:
                terms = [t for t in terms if t.casefold() not in seen]
                seen.update(t.casefold() for t in terms)
                if terms:
                    out.append("  " + ", ".join(q(t) for t in terms) + f"  @{lang}")
            out.append("}")
            parts.append(f"{g}_curated")
        if g.endswith("_unverified"):
            out.append(f"// UNVERIFIED candidates ({doc}): opt in with `{g.replace('_unverified', '')} + {g}`.")
        else:
            out.append(f"// {doc}")
        if parts:
            out.append(f"lexicon {g} = " + " + ".join(parts))
        else:
            out.append(f"lexicon {g} {{ }}  // no terms in the research data yet")
        out.append("")
    if module == "intent":
        for doc, name, pattern in intent_lexicon.INTENT_REGEXES:
            out += [f"// Hand-written: {doc}.", f"regex {name} = {pattern}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def lang_counts(terms):
    c = {}
    for t in terms:
        c[t.lang or "-"] = c.get(t.lang or "-", 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(c.items()))


def status_counts(terms):
    c = {}
    for t in terms:
        c[t.status] = c.get(t.status, 0) + 1
    return ", ".join(f"{k} {c[k]}" for k in STATUS_ORDER if k in c)


def parse_alternatives(path):
    alts = []
    if not os.path.exists(path):
        return alts
    cur = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*alternative\s+(\w+)", line)
            if m:
                cur = [m.group(1), []]
                alts.append(cur)
                continue
            m = re.match(r'\s*"((?:[^"\\]|\\.)*)"\s*@(\w+)', line)
            if m and cur:
                cur[1].append((m.group(2), m.group(1)))
    return alts


def parse_functions(path):
    out = []
    if not os.path.exists(path):
        return out
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r'\{FunctionId::k\w+, "(\w+)".*?"tusk_fn_\w+",\s*"((?:[^"\\]|\\.)*)"\}', text, re.S):
        out.append((m.group(1), m.group(2).replace('\\"', '"')))
    return out


def docs_text(fams, descs, skipped, alternatives, functions):
    L = ["# Standard library", "",
         "GENERATED by `python3 scripts/gen_stdlib.py --docs docs/stdlib.md`; do not edit by hand.", "",
         "The standard library ships the wildlife lexicons (`std.wildlife.<family>`), the legal",
         "alternatives to suggest (`std.alternatives`) and the built-in functions. Lexicon terms come",
         "from `lexicon-research.yaml` (NGO reports, papers, pharmacopoeia tables) and the CITES",
         "Species+ export of 2017-04-21; every term in `stdlib/wildlife/lexicons/*.yaml` keeps its",
         "`status` and its expanded `source`. Short hand-curated lists (plural forms, false-positive",
         "guards) are written inline in the modules as `<group>_curated` and merged into `<group>`.", "",
         "To see every term of a lexicon as a pack compiles it — language, weight, source, status and",
         "profile — run `tusk lexicon show NAME --pack PACK` for a lexicon the pack declares (e.g. `tusk lexicon show",
         "pangolin_terms --pack examples/packs/wildlife`); docs/workflow.md has the details.", "",
         "## Leaving unverified terms out", "",
         "Terms whose status is `unverified` (found only in unvetted lists) are never mixed into the",
         "main lexicons. Each family that has some declares `<group>_unverified`; a pack opts in",
         "explicitly:", "",
         "```",
         "lexicon ivory_terms = std.wildlife.ivory.names                                  // sourced only",
         "lexicon ivory_terms_all = std.wildlife.ivory.names + std.wildlife.ivory.names_unverified",
         "```", "",
         "Statuses: `sourced` (verbatim in the source), `sourced_translation` (an English gloss of a",
         "code word; original script not retrieved), `sourced_fiction_or_blog` (collector slang from",
         "weak sources), `unverified` (candidates; check with native speakers).", "",
         "Groups ending in `_ambiguous` hold reported code words that are ordinary words (\"white\",",
         "\"black\", 白): they are only evidence next to a product or carving word, e.g.",
         "`near(text, std.wildlife.ivory.code_words_ambiguous, carving, within 3 words)`.", ""]
    L += [gen_coverage_matrix.BEGIN, gen_coverage_matrix.END, ""]
    L += BORDERLINE_POLICY.splitlines() + [""]
    L += ["## Modules", ""]
    for module in sorted(fams):
        groups = fams[module].groups
        L.append(f"### `std.wildlife.{module}`")
        L.append("")
        L.append(descs.get(module, ""))
        L.append("")
        L.append("| lexicon | terms (file) | by language | by status |")
        L.append("|---|---|---|---|")
        for g in sorted(groups):
            terms = list(groups[g].values())
            L.append(f"| `{g}` | {len(terms)} | {lang_counts(terms)} | {status_counts(terms)} |")
        cur = CURATED.get(module, {})
        for g in sorted(cur):
            n = sum(len(ts) for ts, _ in cur[g][1])
            L.append(f"| `{g}_curated` (inline, merged into `{g}`) | {n} | curated | no external source |")
        L.append("")
    if skipped:
        L += ["### Research entries not emitted as terms", ""]
        for module, raw, why, src in skipped:
            L.append(f"- `{raw}` ({module}): {why}. Source: {src}")
        L.append("")
    L += ["## `std.alternatives`", "",
          "Legal alternatives that `suggest` attaches to a verdict. Texts by language:", "",
          "| alternative | languages | English text |", "|---|---|---|"]
    for name, texts in alternatives:
        en = next((t for lang, t in texts if lang == "en"), "")
        L.append(f"| `std.alternatives.{name}` | {', '.join(lang for lang, _ in texts)} | {en} |")
    L += ["", "## Built-in functions", "", "Declared in `stdlib/functions.cpp`.", "", "| function | meaning |", "|---|---|"]
    for name, doc in functions:
        cell = doc.replace("|", "\\|")
        L.append(f"| `{name}` | {cell} |")
    L += ["", "Also available in conditions: `text mentions LEXICON`, `FIELD matches REGEX`,",
          "`FIELD in {\"a\", \"b\"}`, `price in USD` (conversion with the pack's rate table),",
          "`hits(LEXICON)` and `first(REGEX)` in `reason` templates.", ""]
    L += intent_lexicon.INTENT_DOC.splitlines() + [""]
    L += MONEY_AND_UNITS.splitlines() + [""]
    return "\n".join(L)


# Hand-written: what the default pack does with the borderline cases (issue 20).
BORDERLINE_POLICY = """## Borderline cases: the policy of the default pack

The default wildlife pack (`examples/packs/wildlife`) flags an *offer* of a protected product
or animal; a human decides at `review`, the pack blocks only what is unambiguous (raw material
sold by weight, a code word next to a product, a live animal without papers). For the cases
where legal and illegal trade look alike, it does this, in every declared language:

| case | verdict | why |
|---|---|---|
| Mammoth ivory, with or without papers ("猛犸牙", "ivoire de mammouth avec certificat") | `review` (ivory named +45, cover claim +25) | Mammoth ivory is not CITES-listed and is legal in most markets, but it is the most common cover for elephant ivory and some jurisdictions ban it; papers of origin are for the reviewer to read. A seller who says the "mammoth" is new African ivory is still an ivory offer. A mammoth *molar* or bone fossil that names no ivory is not flagged. |
| Antiques of ivory, rhino horn, tortoiseshell, with a certificate or without | `review` | Antique exemptions exist in some jurisdictions and need documents a human must check; a certificate in the text is a claim, not evidence. Never `allow` on the word "antique" or "certificate". |
| Captive-bred animals of CITES-listed species ("CB", "de criadouro", 人工繁殖) | `review`; `block` with a wild-caught or no-papers claim | Legal with CITES and national papers, which the reviewer asks for. Pets that CITES does not list (budgerigar 虎皮鹦鹉, cockatiel, canary, red-eared slider, domestic cats with a tortoiseshell coat) are guards: `allow`. |
| News, conservation and museum posts (seizures, court cases, releases, exhibitions, World Pangolin Day) | `allow` | They name the product without offering it. The news and museum words of each language are guards of every family (`guards_curated`); a post that also offers the product ("museum quality", a price and contact) is not cancelled by "museum" alone. |
| Look-alikes named after the animal (shark-fin car antennas, tagua "ivory fruit", 象牙芒 mangoes, กล้วยงาช้าง bananas, Côte d'Ivoire, ivory-coloured goods, tortoiseshell acetate frames, plush toys, bird cages, tiger balm) | `allow` | Family guards in each language; they cancel only their own family's mention and never a code word. |

Gaps left on purpose (the **not covered** cells above): `other_tcm` holds Chinese and
Vietnamese pharmacopoeia names (seahorse, giant clam, musk, gecko) and the default pack does not
use it; totoaba maw is traded from Mexico to Hong Kong and mainland China (EIA, Elephant
Action League), and no report, seizure, news item or listing found in Swahili names it. With no
documented market or source in Swahili, `totoaba`/`sw` stays empty rather than hold an invented
name, and `tusk check` keeps warning for it (the Thai and Indonesian names come from Thai and
Indonesian news on the vaquita and on a seizure of dried bladders in Taiwan). Protected
songbirds (画眉, 鹩哥,
khướu, jilguero, chardonneret, curió, trinca-ferro, นกกรงหัวจุก, cucak rawa, jalak bali) are
names of `live_birds`, not a family of their own: the rules (a live animal offered, wild-caught
or without papers) are the same.
"""


# Hand-written: std.money and std.units are code and a rate table, not lexicons.
MONEY_AND_UNITS = """## std.money: currencies and conversion

Every pack starts from the standard rate table `stdlib/money/rates.yaml` (base USD,
approximate mid-market rates with their `as_of` date; `1 EUR = 1.035 USD` is written
`EUR: 1.035`). A pack overrides single rates, or brings its own table with another base, in
the `currency` section of its pack.yaml:

```yaml
currency:
  as_of: 2026-11-01
  rates: { EUR: 1.08, KES: 0.0078 }   # on top of the standard table
```

`price in USD` converts the listing's price (a number, or a string as sellers write it:
`"1,200.50"`, `"$45"`, `"1.200,50 €"`, `"3000元"`) from its currency (the `currency` field, or
the symbol in the price string) to USD. A price whose currency is unknown or missing has no
value: every comparison with it is false, and the verdict carries a note saying why.

```
rule implausibly_cheap {
  when mentions_ivory and price in USD < 20
  score -10
  reason "too cheap to be real ivory ({price}): likely an imitation or bait"
}
```

## std.units: weights and price per kilogram

`weight_kg(scope)` reads the first weight written in the text, in kilograms: `1.2kg`, `500 g`,
`2 grams`, `3 lb`, `12 oz`, `1,5 kg`, `1.5 kilos`, `1公斤`, `1千克`, `500克`, `3斤` (500 g
each) and `2两` (50 g each). It has no value when the text names no weight; "5G phone" and
"10 gallons" are not weights. `per_kg(price, scope)` divides the price by that weight and is
money, so it is converted like a price:

```
rule raw_ivory_by_weight {
  when mentions_ivory and weight_kg(text) >= 0.5 and per_kg(price, text) in USD > 500
  score 30
  reason "sold by weight ({first(weight_phrase)}) at a raw-ivory price"
}
```
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data"))
    ap.add_argument("--out", default=os.path.join(REPO, "stdlib", "wildlife"))
    ap.add_argument("--docs", default=None, help="also write the stdlib reference (docs/stdlib.md)")
    args = ap.parse_args()

    fams = {m: Lexicons() for m, _, _, _ in FAMILIES}
    fams["intent"] = Lexicons()
    skipped = load_research(os.path.join(args.data, "lexicon-research.yaml"), fams)
    load_cites(os.path.join(args.data, "cites_animals_2017.csv"), fams)
    load_multilingual(MULTILINGUAL, fams)

    lexdir = os.path.join(args.out, "lexicons")
    wanted = set()
    descs = {m: d for m, _, _, d in FAMILIES}
    descs["intent"] = ("commerce intent: offer and talk words, dealer and newsroom profiles, price, contact and link"
                      " patterns; seller and buyer intent, not-for-sale and discretion phrases (shared by every family)")
    for module, lex in sorted(fams.items()):
        for group, g in sorted(lex.groups.items()):
            name = f"{module}.{group}.yaml"
            wanted.add(name)
            write_if_changed(os.path.join(lexdir, name), yaml_text(module, group, sorted_terms(g)))
        write_if_changed(os.path.join(args.out, f"{module}.tusk"),
                         module_text(module, descs[module], lex.groups, CURATED.get(module, {})))
    # Remove lexicon files this run no longer produces, so that the directory is exactly the output.
    if os.path.isdir(lexdir):
        for name in sorted(os.listdir(lexdir)):
            if name.endswith(".yaml") and name not in wanted:
                os.remove(os.path.join(lexdir, name))
    if args.docs:
        alts = parse_alternatives(os.path.join(os.path.dirname(os.path.abspath(args.out)), "alternatives.tusk"))
        funcs = parse_functions(os.path.join(os.path.dirname(os.path.abspath(args.out)), "functions.cpp"))
        text = docs_text(fams, descs, skipped, alts, funcs)
        text = gen_coverage_matrix.replace_section(text, gen_coverage_matrix.markdown(gen_coverage_matrix.collect(args.out)))
        write_if_changed(args.docs, text)
    total = sum(len(g) for lex in fams.values() for g in lex.groups.values())
    print(f"gen_stdlib: {len(wanted)} lexicon files, {total} terms, {len(fams)} modules")


if __name__ == "__main__":
    main()
