"""Commerce intent for the standard library: the hand-curated part of `std.wildlife.intent`.

Imported by scripts/gen_stdlib.py, which merges INTENT_CURATED into the module's inline lists,
appends INTENT_REGEXES to stdlib/wildlife/intent.tusk and INTENT_DOC to docs/stdlib.md.

The sourced intent terms (Rinne's seller/buyer lists, the unverified discretion phrases) come
from lexicon-research.yaml like every other term. What is here is everyday commerce and news
vocabulary (how any seller says "for sale", how any newspaper says "seized"), written by hand
in the pack's languages because no wildlife source lists it; the lists follow the classes that
NGO monitoring reports describe (sources in INTENT_DOC) and that the WLT-OSN annotation
separates (a post that promotes a sale against news, seizures, advocacy, legislation and
museums). Each list says why it is here; none is a phrase taken from one post.
"""

# group -> (why, [(terms, lang), ...]); the format of gen_stdlib.CURATED.
INTENT_CURATED = {
    "offer": (
        "everyday words that put something up for sale or invite a buyer to get in touch",
        [(["for sale", "4 sale", "now available", "available now", "available to buy", "in stock", "buy now",
           "buy it now", "order now", "to order", "pre-order", "preorder", "dm me", "dm for price", "dm for details",
           "pm me", "pm for price", "inbox me", "message me", "contact me", "call or text", "whatsapp", "wechat",
           "telegram", "line id", "free shipping", "ships worldwide", "worldwide shipping", "shipping available",
           "free delivery", "postage included", "webshop", "web shop", "online shop", "online store", "shop now",
           "our shop", "my shop", "our store", "my store", "just arrived", "new arrival*", "new stock", "new in stock",
           "new items", "just listed", "just added", "new acquisition*", "latest addition", "obo", "best offer"], "en"),
         (["出售", "转让", "出手", "有意私聊", "私聊", "私信", "微信", "加微", "vx", "qq", "价格", "价钱", "包邮", "现货",
           "批发", "代购", "下单", "网店", "店铺"], "zh"),
         (["bán", "cần bán", "giá", "liên hệ", "inbox", "zalo", "ship", "giao hàng", "có sẵn", "hàng mới về",
           "đặt hàng", "cửa hàng"], "vi"),
         (["inauzwa", "zinauzwa", "nauza", "kuuza", "bei", "piga simu", "wasiliana", "duka"], "sw"),
         (["se vende", "se venden", "en venta", "vendo", "a la venta", "precio", "envío", "envío gratis",
           "disponible", "tienda", "pedidos"], "es"),
         (["à vendre", "vends", "en vente", "prix", "livraison", "disponible", "boutique", "commande*"], "fr"),
         (["vendo", "à venda", "a venda", "preço", "frete", "entrega", "disponível", "loja", "encomenda*"], "pt"),
         (["ขาย", "ราคา", "ส่งฟรี", "สนใจติดต่อ", "ทักแชท", "พร้อมส่ง", "สั่งซื้อ", "ร้าน"], "th"),
         (["dijual", "jual", "harga", "ongkir", "tersedia", "hubungi", "minat", "pesan sekarang", "toko"], "id")],
    ),
    "commerce": (
        "words of trade that news and debate use too (a price, selling, available, a shop): an offer only"
        " in a post that is not talk",
        [(["price", "priced", "prices", "asking", "selling", "sale", "available", "shipping",
           "delivery", "shop", "store", "etsy", "ebay", "website", "stock", "collection", "check out", "check it out",
           "take a look", "have a look", "view it here", "see more", "link in bio", "our website"], "en"),
         (["卖", "出", "店"], "zh"), (["mua", "shop"], "vi"), (["uza", "bei nafuu"], "sw"), (["venta", "vender"], "es"),
         (["vente", "vendre"], "fr"), (["venda", "vender"], "pt"), (["ขายแล้ว", "ร้านค้า"], "th"),
         (["terjual", "lapak"], "id")],
    ),
    "auction": (
        "auction-house and catalogue words: a lot, an estimate, a sale date, a hammer price",
        [(["auction*", "lot", "lots", "estimate", "estimated", "est", "hammer", "bid", "bids", "bidding",
           "saleroom", "sale room", "timed online", "fine art sale", "antiques sale", "weekly sale", "monthly sale",
           "sold at auction", "sold for", "coming up", "viewing"], "en"),
         (["拍卖", "拍品", "估价", "成交", "起拍"], "zh"),
         (["đấu giá"], "vi"), (["mnada"], "sw"), (["subasta", "lote"], "es"),
         (["enchère*", "vente aux enchères", "lot", "estimation"], "fr"), (["leilão", "lote"], "pt"),
         (["ประมูล"], "th"), (["lelang"], "id")],
    ),
    "trade_profile": (
        "how a dealer, shop or auction house describes itself in its profile: context for an offer",
        [(["antique*", "antiquities", "auction*", "auctioneer*", "valuer*", "valuation*", "dealer*", "dealing",
           "purveyor*", "retailer*", "showroom", "shop", "store", "boutique", "etsy", "ebay", "webshop",
           "we buy", "we sell", "buying and selling", "buying & selling", "buy and sell", "for sale",
           "collectables", "collectibles", "antiques centre", "antiques center", "antique centre",
           "fairs", "stockist*", "gallery", "emporium", "trader*", "wholesale*"], "en"),
         (["古玩", "收藏", "拍卖", "商行", "店"], "zh"), (["đồ cổ", "cửa hàng", "đấu giá"], "vi"),
         (["duka", "mnada"], "sw"), (["antigüedades", "anticuario*", "subastas", "tienda"], "es"),
         (["antiquaire*", "antiquités", "enchères", "boutique", "galerie"], "fr"),
         (["antiquário*", "antiguidades", "leilões", "loja"], "pt"), (["ของเก่า", "ร้าน", "ประมูล"], "th"),
         (["barang antik", "toko", "lelang"], "id")],
    ),
    "talk": (
        "news and seizure reporting, arrests and trials, bans, bills and laws, poaching, conservation,"
        " museums and exhibitions: talk about a product, not an offer of it",
        [(["banned", "banning", "bans", "ivory ban", "ban on", "total ban", "blanket ban", "near-total ban",
           "ivory act", "bill", "law", "laws", "legislation", "legislature", "parliament", "congress", "senate",
           "mps", "lawmakers", "government", "minister", "consultation", "vote", "veto", "court",
           "prosecuted", "prosecution", "convicted", "sentenced", "jailed", "fined", "arrest*", "seiz*",
           "confiscat*", "smuggl*", "traffick*", "poach*", "illegal", "illegally", "crime", "criminal*",
           "elephants", "save elephants", "extinction", "endangered", "conservation", "conservationist*",
           "wildlife trade", "ivory trade", "ivory market", "trade in ivory", "demand for ivory", "crush", "burned",
           "museum", "museums", "exhibition", "exhibit", "on display", "on show", "collection of the",
           "lecture", "conference", "book", "article", "news", "breaking", "report", "reports", "study",
           "research", "petition", "campaign", "interview", "podcast", "radio", "documentary", "exported",
           "export", "customs", "police", "rangers", "lawyer*", "fines", "warns", "industry",
           "loophole*", "debat*", "discuss*", "the sale of", "sale of antique", "issue"], "en"),
         (["查获", "缴获", "走私", "逮捕", "抓获", "禁令", "禁止", "禁售", "盗猎", "偷猎", "保护", "博物馆", "展览",
           "新闻", "报道", "法律", "海关", "销毁", "判处"], "zh"),
         (["bắt giữ", "thu giữ", "buôn lậu", "cấm", "luật", "săn trộm", "bảo tồn", "bảo tàng", "triển lãm",
           "tin tức", "hải quan", "tiêu hủy", "khởi tố"], "vi"),
         (["kukamatwa", "wamekamatwa", "walikamatwa", "alikamatwa", "ujangili", "majangili", "marufuku",
           "sheria", "uhifadhi", "makumbusho", "habari", "mahakama", "polisi"], "sw"),
         (["incautación", "incautado*", "incautada*", "decomiso", "decomisado*", "detenido*", "arrestado*",
           "contrabando", "prohibición", "prohibido", "ley", "caza furtiva", "furtivos", "conservación", "museo",
           "exposición", "noticias", "tráfico"], "es"),
         (["saisie", "saisi*", "interpellé*", "arrêté*", "contrebande", "interdiction", "interdit", "loi",
           "braconnage", "braconnier*", "musée", "exposition", "trafic"], "fr"),
         (["apreensão", "apreendido*", "apreendida*", "preso*", "contrabando", "proibição", "proibido", "lei",
           "caça furtiva", "caçadores furtivos", "conservação", "museu", "exposição", "notícia*", "tráfico"], "pt"),
         (["ยึด", "จับกุม", "ลักลอบ", "ห้าม", "กฎหมาย", "ล่าสัตว์", "อนุรักษ์", "พิพิธภัณฑ์", "นิทรรศการ", "ข่าว",
           "ศุลกากร"], "th"),
         (["disita", "penyitaan", "ditangkap", "penangkapan", "penyelundupan", "larangan", "dilarang",
           "undang-undang", "perburuan", "pemburu", "konservasi", "museum", "pameran", "berita", "bea cukai"], "id")],
    ),
    "talk_profile": (
        "how newsrooms, museums, researchers and campaigners describe themselves in their profile",
        [(["journalist", "reporter", "editor", "editorial", "correspondent", "newspaper", "magazine", "news",
           "museum", "curator", "researcher", "research project", "phd", "professor", "university",
           "conservation", "conservationist", "charity", "ngo", "campaign*", "activist", "opposing", "wildlife trust",
           "rangers", "anti-poaching", "save elephants"], "en"),
         (["记者", "新闻", "博物馆", "保护"], "zh"), (["nhà báo", "bảo tàng", "bảo tồn"], "vi"),
         (["mwandishi wa habari", "uhifadhi"], "sw"), (["periodista", "museo", "conservación"], "es"),
         (["journaliste", "musée"], "fr"), (["jornalista", "museu", "conservação"], "pt"),
         (["นักข่าว", "พิพิธภัณฑ์"], "th"), (["wartawan", "jurnalis", "konservasi"], "id")],
    ),
}

INTENT_GROUP_DOC = {
    "offer": "words that put something up for sale or invite a buyer to get in touch (any language of the pack)",
    "commerce": "words of trade that talk uses too (price, selling, available, shop): an offer only in a post that is not talk",
    "auction": "auction-house and catalogue words: lot, estimate, hammer, sale date",
    "trade_profile": "a seller's or author's profile that describes a dealer, shop or auction house",
    "talk": "news, seizures, arrests, bans and bills, poaching, conservation, museums: talk, not an offer",
    "talk_profile": "a profile that describes a newsroom, museum, researcher or campaigner",
}

# Ivory look-alikes that social posts name (the ivory family's own lists are in gen_stdlib.CURATED;
# these are merged into them): a porcelain glaze and a pearl colour, Bakelite (an ivory imitation,
# like celluloid and "French ivory"), and negated mentions.
IVORY_POST_GUARDS = {
    "colour_use": [(["blush ivory", "ivory pearl", "ivory pearls"], "en")],
    "imitations": [(["bakelite"], "en")],
    "guards": [(["non-ivory", "no ivory", "ivory-free", "ivory free"], "en")],
}
# Garments, textiles, paper, paint, pearls and ceramics: "ivory" right next to one of them is
# a colour ("patterned ivory gloves", "ivory pearl earrings"; not glass: a magnifying glass has an
# ivory handle); the ivory pack uses it with near().
IVORY_COLOUR_CONTEXT = ("things that come in an ivory colour: garments, textiles, paper, paint, pearls, ceramics", [
    (["dress", "dresses", "gown*", "blouse*", "shirt*", "top", "tops", "skirt*", "glove*", "shoe*", "heels", "suit",
      "jacket*", "coat", "cardigan*", "sweater*", "jumper*", "shawl*", "scarf", "scarves", "veil*", "lace", "satin",
      "silk", "linen", "cotton", "wool", "yarn", "fabric*", "ribbon*", "tulle", "chiffon", "velvet", "blanket*",
      "cushion*", "curtain*", "sofa", "paint", "cardstock", "paper", "envelope*", "invitation*", "candle*", "pearl*",
      "porcelain", "pottery", "stoneware", "glaze*", "tiles"], "en"),
    (["robe", "dentelle", "soie", "laine", "tissu", "perle*"], "fr"),
    (["vestido*", "encaje", "seda", "tela", "lana", "perla*"], "es"),
    (["renda", "lã", "tecido", "pérola*"], "pt"),
    (["váy", "áo", "vải", "ngọc trai"], "vi"), (["gaun", "kain", "mutiara"], "id"),
    (["gauni", "kitambaa", "lulu"], "sw"), (["ชุด", "ผ้า", "ไข่มุก"], "th")])

# Regexes declared in the module (Vectorscan syntax, run on normalized, case-folded text).
INTENT_REGEXES = [
    ("an amount with a currency, before or after it ($40, £1,500, 300 usd, 3000元, 2 triệu, 50k baht)",
     "money_amount",
     r"/([$£€¥₫₹฿₱]|us\$|hk\$|r\$|usd|eur|gbp|rmb|cny|hkd|vnd|kes|ksh|tzs|tsh|idr|rp|thb|brl) ?\d"
     r"|\d[\d,.]*\d? ?(k |m )?(usd|eur|gbp|rmb|cny|hkd|vnd|kes|ksh|tzs|idr|thb|brl|euros?|dollars?|pounds"
     r"|shillings?|baht|reais|rupiah|ribu|juta|triệu|nghìn|元|块|万|đ|บาท)/"),
    ("a phone number: an international prefix, a trunk 0 with grouped digits, or 10 to 12 digits in a row",
     "phone_number",
     r"/\+\d{1,3}[ -]?\(?\d{2,4}\)?[ -]?\d{3,4}[ -]?\d{3,4}|(^|[^\d])0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}([^\d]|$)"
     r"|(^|[^\d])\d{10,12}([^\d]|$)/"),
    ("a messaging handle: an app name followed by an id (wechat: x, wa 0812..., line id x, vx x)",
     "contact_handle",
     r"/(wechat|weixin|whatsapp|whats app|telegram|line|kakao|zalo|viber|signal|qq|vx|wx|wa|微信|电话)"
     r" ?(id|number|no\.?)? ?[:：@+] ?[a-z0-9_]/"),
    ("a link (a masked {{url}} in research data counts as one)", "link",
     r"/https?:\/\/|www\.[a-z]|\{\{url\}\}/"),
    ("an object dated as a dealer or cataloguer dates it: c.1890, circa 1900, 1920s, 18th century, 17th c",
     "object_date",
     r"/(^|[^a-z])(c\.? ?|circa |ca\.? ?)1[0-9]{3}|(^|[^\d])1[0-9]{2}0s([^a-z]|$)|[0-9]{1,2}(st|nd|rd|th)[- ]c(entury|\.|[^a-z]|$)"
     r"|(^|[^a-z])(x{0,2}(i{1,3}|iv|vi{0,3}|ix))th century/"),
    ("a lot number or an estimate range (lot 375, est £400-£600)", "lot_or_estimate",
     r"/(^|[^a-z])lot ?(no\.? ?)?\d+|(^|[^a-z])est(\.|imate)? ?[$£€]? ?\d[\d,.]* ?- ?[$£€]? ?\d/"),
]

INTENT_DOC = """## Commerce intent (`std.wildlife.intent`)

A post that names ivory is far more often news, a seizure report, a law being debated,
advocacy, a museum piece or the colour than an offer. `std.wildlife.intent` gives packs the
words and patterns to tell an offer from talk; the wildlife pack
(`examples/packs/wildlife/intent.tusk`) uses them as described below.

### What counts as an offer

- **An offer** puts a product up for sale or invites a buyer: a price or an amount with a
  currency, "for sale", "available", "order", "DM / PM / WhatsApp / WeChat / Line me", a
  phone number or a messaging handle, shipping, a shop or webshop, an auction lot, an
  estimate, "sold at auction", "new stock".
- **An antique dealer's or an auction house's sale is an offer**, also of antique, "legal",
  "pre-ban" or "exempt" ivory: whether a sale is lawful is for a reviewer with the papers, so
  it goes to `review`, like any marketplace listing of a protected product. The word
  "pre-ban" is not talk (`talk` has "banned", "ivory ban", "ban on", not a bare "ban").
- **A museum's exhibit is not an offer**, nor is a seizure, an arrest, a court case, a ban,
  a bill or a debate about one, poaching figures, a conservation appeal, a book, an article,
  a lecture, or a piece "that would be banned" shown to argue about a law.
- **The author's profile is context, not proof.** A dealer's, shop's or auction house's
  profile (`trade_profile`) makes a post that shows an object (a link, a date such as c.1900,
  or an object word such as netsuke or figurine) an offer: a dealer showing stock promotes its
  sale. A dated object with a link ("Japanese netsuke, c.1900, link") reads as a catalogue entry
  whoever posts it. A newsroom's, museum's or campaigner's profile (`talk_profile`) makes a post
  talk unless the post itself makes an explicit offer.
- **Talk wins over a weak offer signal.** "Sold for $50,000 in 2013, now banned" reports a past
  sale to argue about a law: a post with a talk word is an offer only when it also makes an
  explicit offer (`offer`: for sale, DM me, a handle, a phone number, a webshop); an amount,
  a `commerce` or auction word, a date or a dealer's profile alone do not outweigh it.
- Bare "sell" and "sold" are not offer words ("do we need to sell every...", "the statue sold
  at..." are debate and news); "sold at auction" and "sold for" are auction words.

### Listings are offers by nature

Intent only decides for **posts**. A marketplace listing is an offer whatever its words, so
intent never costs recall there. Until records have a `post` shape, the wildlife pack reads a
record as a post when it has an author profile (`seller.description`, present even if empty)
and **no** listing field: no `price`, `currency`, `category`, `description`, `tags`,
`location`, `url`, `seller.id` or `seller.country`. A record with any of these, or a bare
title with no profile, is a listing.

### How each family uses intent

Every product family of the wildlife pack (ivory, rhino horn, pangolin, tiger, hornbill,
tortoiseshell, bear bile, saiga, shark, reptile skins) and the live-animal families are
gated the same way: a post that names the product but makes no offer, or that is talk without
an explicit offer, is allowed (`post_not_an_offer`, the first branch of the pack's `decide`),
whatever else it names (a weight, a code word, a cover claim: seizure reports are full of
weights). Listings are not gated. The family's own guards still apply first; for ivory they
include the colour next to a garment, fabric, paper, paint, pearl or ceramic word
(`std.wildlife.ivory.colour_context`, used with `near(title, ..., within 2 words)`), the
Royal Worcester "blush ivory" glaze, Bakelite, and negated mentions ("non-ivory").

### Lexicons and regexes

| name | what it finds |
|---|---|
| `offer` | explicit offers: "for sale", "available now", "DM me", "WhatsApp", "free shipping", "webshop", "new stock"; 出售, 微信, 包邮; bán, liên hệ; inauzwa, bei; se vende, precio; à vendre, prix; à venda, preço; ขาย, ราคา; dijual, harga |
| `commerce` | words of trade that talk uses too: price, selling, sale, available, shop, "check it out", "view it here" |
| `auction` | auction, lot, estimate, hammer, "sold at auction"; 拍卖, 估价; đấu giá; mnada; subasta; enchères; leilão; ประมูล; lelang |
| `trade_profile` | a dealer's, shop's or auction house's own description |
| `talk` | seizures, arrests, trials, bans, bills, laws, poaching, conservation, museums, exhibitions, news, in every language of the pack |
| `talk_profile` | a newsroom's, museum's, researcher's or campaigner's own description |
| `intent_sell`, `intent_buy`, `not_for_sale` | sourced seller and buyer phrases (Rinne's seller/buyer lists) |
| `money_amount` (regex) | an amount with a currency on either side ($40, £1,500, 300 usd, 3000元) |
| `phone_number`, `contact_handle` (regex) | a phone number; an app name with an id (wechat: x, wa 0812...) |
| `link` (regex) | a link (masked `{{URL}}` in research data) |
| `object_date`, `lot_or_estimate` (regex) | c.1890, 1920s, 18th century; lot 375, est £400-£600 |

Sources of the classes: TRAFFIC's *Moving targets* (Xiao & Wang 2015; dealers post photos
and prices on social media, buyers get in touch through messaging apps, agents repost), Born
Free's *Are ivory sellers lying through their teeth?* (2022; the UK's online ivory market is
antiques sold by dealers and auction houses, overtly and covertly) and the WLT-OSN annotation
(Mou et al., ICWSM 2024: a post that promotes a sale against news, advocacy, legislation and
museum posts). The words themselves are everyday vocabulary, hand-curated per language (no
wildlife source lists "for sale" in Thai); the per-term lists are in `scripts/intent_lexicon.py`.

### What the language cannot say yet

The pack reads the post's own words from `title` and the profile from `seller.description`,
since `text` joins both. Proximity within one sentence and "an offer anywhere in the same
post as the product" are approximated with whole-field tests; see docs/quality.md ("Social
posts") for what a sentence scope and a `post` record shape would add.
"""
