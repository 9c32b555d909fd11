#include "runtime/normalize.h"

#include <gtest/gtest.h>

#include <unicode/utf8.h>
#include "tests/support/test_corpus.h"

#include <random>
#include <string>
#include <vector>

namespace tusk::runtime {
namespace {

const Profile& profile(std::string_view name) {
  const Profile* p = find_profile(name);
  if (p == nullptr) throw std::runtime_error("no profile " + std::string(name));
  return *p;
}

std::string norm(std::string_view profile_name, std::string_view in) {
  Normalizer n(profile(profile_name));
  return n.normalize_term(in);
}

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  std::int64_t i = 0;
  const auto n = static_cast<std::int64_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Profiles

TEST(NormalizeProfiles, LookupByNameAndAlias) {
  for (const Profile& p : profiles()) {
    EXPECT_EQ(find_profile(p.name), &p) << p.name;
    EXPECT_FALSE(p.summary.empty()) << p.name;
  }
  ASSERT_NE(find_profile("vi"), nullptr);
  EXPECT_EQ(find_profile("vi"), find_profile("no_diacritics"));
  EXPECT_EQ(find_profile("vi")->name, "no_diacritics");
  EXPECT_EQ(find_profile("Default"), nullptr);
  EXPECT_EQ(find_profile(""), nullptr);
}

TEST(NormalizeProfiles, StepsAreNested) {
  const StepSet strict = profile("strict").steps;
  const StepSet def = profile("default").steps;
  const StepSet nod = profile("no_diacritics").steps;
  const StepSet eva = profile("evasive").steps;
  for (int i = 0; i < kStepCount; ++i) {
    const auto s = static_cast<Step>(i);
    EXPECT_TRUE(!strict.has(s) || def.has(s)) << step_name(s);
    EXPECT_TRUE(!def.has(s) || nod.has(s)) << step_name(s);
    EXPECT_TRUE(!nod.has(s) || eva.has(s)) << step_name(s);
  }
  EXPECT_TRUE(strict.has(Step::kNfkc) && strict.has(Step::kCaseFold));
  EXPECT_FALSE(strict.has(Step::kTraditionalToSimplified));
  EXPECT_FALSE(def.has(Step::kDiacritics));
  EXPECT_TRUE(nod.has(Step::kDiacritics));
  EXPECT_FALSE(nod.has(Step::kConfusables));
  EXPECT_TRUE(eva.has(Step::kConfusables) && eva.has(Step::kDigitFolding));
  EXPECT_EQ(profile("raw").steps, StepSet{});
}

TEST(NormalizeProfiles, DidYouMean) {
  EXPECT_EQ(suggest_profile("evasiv"), "evasive");
  EXPECT_EQ(suggest_profile("defualt"), "default");
  EXPECT_EQ(suggest_profile("no_diacritic"), "no_diacritics");
  EXPECT_EQ(suggest_profile("zzzzzzzz"), std::nullopt);
  const auto names = profile_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "vi"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "evasive"), names.end());
}

// ---------------------------------------------------------------------------------------------
// Tables: input -> expected normalized text, per profile.

struct Case {
  const char* profile;
  const char* input;
  const char* expected;
};

class NormalizeTable : public ::testing::TestWithParam<Case> {};

TEST_P(NormalizeTable, Output) {
  const Case& c = GetParam();
  // Both paths must agree; the ASCII fast path only applies to ASCII input.
  for (bool fast : {true, false}) {
    Normalizer n(profile(c.profile), NormalizerOptions{.ascii_fast_path = fast});
    NormalizedText out;
    n.normalize(c.input, out);
    EXPECT_EQ(out.text, c.expected) << c.profile << " [" << c.input << "] fast=" << fast;
    EXPECT_TRUE(valid_utf8(out.text));
  }
}

const Case kCases[] = {
    // raw: only invalid UTF-8 is touched.
    {"raw", "Ivory Coast", "Ivory Coast"},
    {"raw", "ＩＶＯＲＹ", "ＩＶＯＲＹ"},
    {"raw",
     "a\xff"
     "b",
     "a\uFFFD"
     "b"},
    // strict: NFKC + case folding (+ whitespace runs).
    {"strict", "Ivory Coast", "ivory coast"},
    {"strict", "ＩＶＯＲＹ", "ivory"},
    {"strict", "Straße", "strasse"},
    {"strict", "ﬁne ivory", "fine ivory"},
    {"strict", "e\u0301", "\u00E9"},
    {"strict", "象牙製品", "象牙製品"},  // no Traditional-Simplified
    {"strict", "i.v.o.r.y", "i.v.o.r.y"},
    {"strict", "i\u200Bvory", "i\u200Bvory"},  // invisibles are default's business
    {"strict", "pembe  za\nndovu", "pembe za ndovu"},
    // default: English.
    {"default", "Ivory Coast", "ivory coast"},
    {"default", "IVORY bangle", "ivory bangle"},
    {"default", "a big cat", "a big cat"},
    {"default", "1200 kg", "1200 kg"},
    {"default", "1vory", "1vory"},  // digit folding is evasive's
    {"default", "x \t\r\n y", "x y"},
    // default: full-width, NFKC.
    {"default", "ＩＶＯＲＹ", "ivory"},
    {"default", "Ｉｖｏｒｙ\u3000ｔｕｓｋ", "ivory tusk"},
    {"default", "１２００ｋｇ", "1200kg"},
    // default: Chinese, Traditional -> Simplified.
    {"default", "象牙", "象牙"},
    {"default", "象牙製品", "象牙制品"},
    {"default", "犀牛角", "犀牛角"},
    {"default", "穿山甲", "穿山甲"},
    {"default", "龜甲", "龟甲"},
    {"default", "犀角雕刻擺件", "犀角雕刻摆件"},
    {"default", "出售象牙手鐲！", "出售象牙手镯!"},
    // default: Vietnamese and Swahili keep their letters.
    {"default", "ngà voi", "ngà voi"},
    {"default", "Sừng Tê Giác", "sừng tê giác"},
    {"default", "Pembe za Ndovu", "pembe za ndovu"},
    // default: invisible characters.
    {"default", "i\u200Bvory", "ivory"},
    {"default", "i\u200Bv\u200Co\u200Dr\u2060y", "ivory"},
    {"default", "\uFEFFivory", "ivory"},
    {"default", "ivo\u00ADry", "ivory"},
    // default: separator collapsing.
    {"default", "i.v.o.r.y", "ivory"},
    {"default", "I V O R Y", "ivory"},
    {"default", "i-v-o-r-y", "ivory"},
    {"default", "i_v_o_r_y", "ivory"},
    {"default", "i*v*o*r*y", "ivory"},
    {"default", "i🐘v🐘o🐘r🐘y", "ivory"},
    {"default", "i🐘\uFE0Fv🐘\uFE0Fo🐘\uFE0Fr🐘\uFE0Fy", "ivory"},
    {"default", "real i.v.o.r.y bangle", "real ivory bangle"},
    {"default", "i  v  o  r  y", "ivory"},  // whitespace collapses first
    {"default", "象 牙 制 品", "象牙制品"},
    {"default", "象 牙", "象牙"},  // two Han are a run: Chinese has no spaces
    {"default", "出售 象 牙", "出售 象牙"},
    {"default", "a b", "a b"},          // two Latin letters are not a run
    {"default", "i.v-o", "i.v-o"},      // mixed separators are not a run
    {"default", "i..v..o", "i..v..o"},  // one separator between letters, no more
    {"default", "U.S. ivory", "u.s. ivory"},
    {"default", "vitamin a b", "vitamin a b"},
    {"default", "3.5 kg", "3.5 kg"},
    {"default", "1 v o r y", "1 vory"},
    // no_diacritics (vi).
    {"vi", "ngà voi", "nga voi"},
    {"vi", "Sừng tê giác", "sung te giac"},
    {"vi", "Đồ ngà voi", "do nga voi"},
    {"vi", "nga\u0300 voi", "nga voi"},  // decomposed input
    {"no_diacritics", "Café", "cafe"},
    {"no_diacritics", "ελεφαντόδοντο", "ελεφαντοδοντο"},
    {"no_diacritics", "Łódź", "lodz"},
    {"no_diacritics", "が", "が"},        // dakuten is a letter part, not an accent
    {"no_diacritics", "งาช้าง", "งาช้าง"},  // Thai tone marks stay
    {"no_diacritics", "象牙製品", "象牙制品"},
    {"no_diacritics", "pembe za ndovu", "pembe za ndovu"},
    // evasive: confusables.
    {"evasive", "\u0456v\u043Er\u0443", "ivory"},  // Cyrillic і, о, у
    {"evasive", "iv\u03BFry", "ivory"},            // Greek omicron
    {"evasive", "\u0406VORY", "ivory"},            // Cyrillic capital І
    {"evasive", "m", "m"},                         // Latin is never skeletonized ("rn")
    {"evasive", "rn", "rn"},
    {"evasive", "象牙", "象牙"},
    // evasive: digits and symbols for letters, inside wordy tokens only.
    {"evasive", "1vory", "ivory"},
    {"evasive", "iv0ry", "ivory"},
    {"evasive", "1v0ry", "ivory"},
    {"evasive", "r4w 1v0ry", "raw ivory"},
    {"evasive", "$ale", "sale"},
    {"evasive", "t@sk", "task"},
    {"evasive", "rh1n0 h0rn", "rhino horn"},
    {"evasive", "1 v o r y", "ivory"},
    {"evasive", "i.v.0.r.y", "ivory"},
    {"evasive", "1200 kg", "1200 kg"},
    {"evasive", "1200kg", "1200kg"},
    {"evasive", "3kg", "3kg"},
    {"evasive", "1st", "1st"},
    {"evasive", "12pcs", "12pcs"},
    {"evasive", "us$20", "us$20"},
    {"evasive", "ak47", "ak47"},
    {"evasive", "1 x 2", "1 x 2"},
    {"evasive", "a big cat", "a big cat"},
    {"evasive", "Ivory Coast", "ivory coast"},
    {"evasive", "ngà voi", "nga voi"},
    {"evasive", "ＩＶ０ＲＹ", "ivory"},
    // Invalid UTF-8: one U+FFFD per maximal ill-formed subsequence.
    {"default", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
    {"default", "\xc0\xaf", "\uFFFD\uFFFD"},
    {"default", "\xf0\x9f\x90", "\uFFFD"},
    {"default", "IVORY\xff", "ivory\uFFFD"},
    {"evasive",
     "i\xff"
     "vory",
     "i\uFFFDvory"},
};

INSTANTIATE_TEST_SUITE_P(Steps, NormalizeTable, ::testing::ValuesIn(kCases));

// ---------------------------------------------------------------------------------------------
// Offsets

TEST(NormalizeOffsets, SeparatorRunMapsToWholeSpelling) {
  Normalizer n(profile("default"));
  NormalizedText out;
  n.normalize("old i.v.o.r.y!", out);
  ASSERT_EQ(out.text, "old ivory!");
  EXPECT_FALSE(out.identity_map);
  EXPECT_EQ(out.to_original(4, 9), std::make_pair(4u, 13u));
  EXPECT_EQ(out.to_original(0, 3), std::make_pair(0u, 3u));
  EXPECT_EQ(out.to_original(9, 10), std::make_pair(13u, 14u));
  EXPECT_EQ(out.to_original(10, 10), std::make_pair(14u, 14u));
}

TEST(NormalizeOffsets, FullWidthCharactersMapToTheirThreeBytes) {
  Normalizer n(profile("default"));
  NormalizedText out;
  n.normalize("xＩＶＯＲＹ", out);
  ASSERT_EQ(out.text, "xivory");
  EXPECT_EQ(out.to_original(1, 6), std::make_pair(1u, 16u));
  EXPECT_EQ(out.to_original(2, 3), std::make_pair(4u, 7u));
}

TEST(NormalizeOffsets, WhitespaceRunMapsToTheRun) {
  Normalizer n(profile("default"));
  NormalizedText out;
  n.normalize("pembe \n\t za", out);
  ASSERT_EQ(out.text, "pembe za");
  EXPECT_EQ(out.to_original(5, 6), std::make_pair(5u, 9u));
  EXPECT_EQ(out.to_original(0, 8), std::make_pair(0u, 11u));
}

TEST(NormalizeOffsets, ExpansionSharesTheSourceRange) {
  Normalizer n(profile("default"));
  NormalizedText out;
  n.normalize("ﬁne", out);  // U+FB01 is 3 bytes
  ASSERT_EQ(out.text, "fine");
  EXPECT_EQ(out.to_original(0, 1), std::make_pair(0u, 3u));
  EXPECT_EQ(out.to_original(1, 2), std::make_pair(0u, 3u));
  EXPECT_EQ(out.to_original(2, 4), std::make_pair(3u, 5u));
}

TEST(NormalizeOffsets, InvalidBytesMapToThemselves) {
  Normalizer n(profile("default"));
  NormalizedText out;
  n.normalize(
      "a\xff\xfe"
      "b",
      out);
  ASSERT_EQ(out.text,
            "a\uFFFD\uFFFD"
            "b");
  EXPECT_EQ(out.to_original(1, 4), std::make_pair(1u, 2u));
  EXPECT_EQ(out.to_original(4, 7), std::make_pair(2u, 3u));
  EXPECT_EQ(out.to_original(7, 8), std::make_pair(3u, 4u));
}

TEST(NormalizeOffsets, DiacriticsAndZeroWidth) {
  Normalizer n(profile("vi"));
  NormalizedText out;
  n.normalize("ngà\u200B voi", out);  // à is 2 bytes, ZWSP 3 bytes
  ASSERT_EQ(out.text, "nga voi");
  EXPECT_EQ(out.to_original(0, 3), std::make_pair(0u, 4u));
  EXPECT_EQ(out.to_original(4, 7), std::make_pair(8u, 11u));
}

TEST(NormalizeOffsets, IdentityMapWhenBytesStayInPlace) {
  Normalizer n(profile("default"));
  NormalizedText out;
  n.normalize("Ivory Coast", out);
  EXPECT_EQ(out.text, "ivory coast");
  EXPECT_TRUE(out.identity_map);
  EXPECT_TRUE(out.orig_begin.empty());
  EXPECT_EQ(out.to_original(6, 11), std::make_pair(6u, 11u));
  // Same length per character: 製 and 制 are both 3 bytes.
  n.normalize("象牙製品", out);
  EXPECT_EQ(out.text, "象牙制品");
  EXPECT_TRUE(out.identity_map);
  // Once a length changes, the map is explicit.
  n.normalize("Ivory  Coast", out);
  EXPECT_FALSE(out.identity_map);
  EXPECT_EQ(out.orig_begin.size(), out.text.size() + 1);
  EXPECT_EQ(out.to_original(6, 11), std::make_pair(7u, 12u));
}

TEST(NormalizeOffsets, BuffersAreReusedWithoutLeftovers) {
  Normalizer n(profile("evasive"));
  NormalizedText out;
  n.normalize("ＩＶＯＲＹ ＩＶＯＲＹ ＩＶＯＲＹ i.v.o.r.y", out);
  EXPECT_EQ(out.text, "ivory ivory ivory ivory");
  n.normalize("ab", out);
  EXPECT_EQ(out.text, "ab");
  EXPECT_TRUE(out.identity_map);
  n.normalize("a  b", out);
  EXPECT_EQ(out.text, "a b");
  EXPECT_EQ(out.orig_begin, (std::vector<std::uint32_t>{0, 1, 3, 4}));
  EXPECT_EQ(out.orig_end, (std::vector<std::uint32_t>{1, 3, 4, 4}));
}

TEST(NormalizeOffsets, MovedNormalizerStillWorks) {
  Normalizer a(profile("default"));
  Normalizer b = std::move(a);
  EXPECT_EQ(b.normalize_term("象牙製品"), "象牙制品");
  EXPECT_EQ(b.profile().name, "default");
}

// ---------------------------------------------------------------------------------------------
// Generated corpus: invariants, fast path against general path, terms found map back to text
// that contains them.

const char* const kTerms[] = {"ivory",           "rhino horn",   "象牙",           "犀牛角", "穿山甲",
                              "ngà voi",         "sừng tê giác", "pembe za ndovu", "tusk",   "龜甲",
                              "pangolin scales", "ＩＶＯＲＹ"};

// Pieces a listing is made of: filler in several scripts, terms and their evasions, emoji,
// invisible characters and broken bytes.
const char* const kPieces[] = {
    "old",
    "bangle",
    "Carved",
    "for sale",
    "a",
    "b",
    "x",
    "1200",
    "kg",
    "3kg",
    "USD",
    "$20",
    "出售",
    "手鐲",
    "精美",
    "古董",
    "Bán",
    "đẹp",
    "giá rẻ",
    "nguyên",
    "kuuza",
    "bei nafuu",
    "Ivory",
    "IVORY",
    "i.v.o.r.y",
    "i v o r y",
    "1vory",
    "iv0ry",
    "\u0456v\u043Er\u0443",
    "ＩＶＯＲＹ",
    "i\u200Bvory",
    "i🐘v🐘o🐘r🐘y",
    "象牙",
    "象 牙 製 品",
    "犀牛角",
    "穿山甲",
    "ngà voi",
    "nga\u0300 voi",
    "sừng tê giác",
    "Pembe za Ndovu",
    "rhino horn",
    "RH1N0 H0RN",
    "tusk",
    "tusks",
    "pangolin  scales",
    "龜甲",
    "🐘",
    "🐘\uFE0F",
    "\u200B",
    "\u00AD",
    "\xff",
    "\xe2\x82",
    "\xed\xa0\x80",
    "ﬁ",
    "Straße",
    "e\u0301",
    "!",
    ",",
    ".",
    "-",
    "*",
    "\n",
    "\t",
};
std::vector<std::string> generate_corpus(std::uint32_t seed, int count) {
  return tusk::testing::random_texts(seed, count, kPieces, 12);
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

void check_invariants(std::string_view in, const NormalizedText& out, const std::string& where) {
  ASSERT_TRUE(valid_utf8(out.text)) << where;
  if (out.identity_map) {
    ASSERT_TRUE(out.orig_begin.empty() && out.orig_end.empty()) << where;
    ASSERT_EQ(out.text.size(), in.size()) << where;
    return;
  }
  ASSERT_EQ(out.orig_begin.size(), out.text.size() + 1) << where;
  ASSERT_EQ(out.orig_end.size(), out.text.size() + 1) << where;
  ASSERT_EQ(out.orig_begin.back(), in.size()) << where;
  for (std::size_t i = 0; i < out.text.size(); ++i) {
    ASSERT_LT(out.orig_begin[i], out.orig_end[i]) << where << " byte " << i;
    ASSERT_LE(out.orig_end[i], in.size()) << where << " byte " << i;
    ASSERT_LE(out.orig_begin[i], out.orig_begin[i + 1]) << where << " byte " << i;
    ASSERT_LE(out.orig_end[i], out.orig_end[i + 1]) << where << " byte " << i;
  }
}

TEST(NormalizeCorpus, OffsetInvariantsHold) {
  const auto corpus = generate_corpus(7, 2000);
  for (const Profile& p : profiles()) {
    Normalizer n(p);
    NormalizedText out;
    for (const auto& s : corpus) {
      n.normalize(s, out);
      check_invariants(s, out, std::string(p.name) + " [" + s + "]");
    }
  }
}

// The ASCII fast path, with its SIMD scan (texts of 32 bytes and more) and with its byte loops
// only, against the general path: short texts and long ones, spelled-out words, runs of every
// kind of whitespace, foldable digits, and sentences of ASCII from the corpus.
TEST(NormalizeCorpus, AsciiFastPathMatchesGeneralPath) {
  std::mt19937 rng(11);
  const std::string alphabet = "ab1v0ry$@  .-_*\t\n\r\v\fIVXkg34579/|+~";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> len(0, 40);
  std::uniform_int_distribution<int> long_len(30, 300);
  std::vector<std::string> inputs;
  for (const auto& s : generate_corpus(13, 1000)) {
    if (is_ascii(s)) inputs.push_back(s);
  }
  for (int i = 0; i < 4000; ++i) {
    std::string s;
    for (int k = i % 2 ? long_len(rng) : len(rng); k > 0; --k) s += alphabet[pick(rng)];
    inputs.push_back(s);
  }
  // Long texts where one spelled-out word or one doubled space is the only thing to act on,
  // at every position relative to the scan's 32-byte blocks.
  for (std::size_t at = 0; at < 70; ++at) {
    for (const char* inner : {" i.v.o.r.y ", "  ", "\t", " 1v0ry ", "a-b"}) {
      std::string s(90, 'x');
      for (std::size_t k = 5; k < s.size(); k += 6) s[k] = ' ';
      s.insert(at, inner);
      inputs.push_back(s);
    }
  }
  for (const Profile& p : profiles()) {
    Normalizer fast(p, {.ascii_fast_path = true});
    Normalizer bytes(p, {.ascii_fast_path = true, .simd_ascii_runs = false});
    Normalizer slow(p, {.ascii_fast_path = false});
    NormalizedText a, b, c;
    for (const auto& s : inputs) {
      fast.normalize(s, a);
      bytes.normalize(s, b);
      slow.normalize(s, c);
      for (const NormalizedText* x : {&b, &c}) {
        ASSERT_EQ(a.text, x->text) << p.name << " [" << s << "]";
        ASSERT_EQ(a.identity_map, x->identity_map) << p.name << " [" << s << "]";
        ASSERT_EQ(a.orig_begin, x->orig_begin) << p.name << " [" << s << "]";
        ASSERT_EQ(a.orig_end, x->orig_end) << p.name << " [" << s << "]";
      }
      ASSERT_TRUE(a.inert == b.inert) << p.name << " [" << s << "]";
    }
  }
}

// The general path skips a context step when its decoding loop saw nothing the step could
// change; over multilingual text with spelled-out words, doubled spaces, marks and digits the
// result must be exactly that of running every step.
TEST(NormalizeCorpus, SkippedContextStepsMatchRunningThemAll) {
  std::vector<std::string> inputs = generate_corpus(17, 3000);
  for (const char* s :
       {"象 牙 手镯", "i.v.o.r.y é", "é i v o r y", "a\u0301.b\u0301.c\u0301 x", "1 v o r y ngà",
        "i🐘v🐘o🐘r🐘y ü", "x  y\u00A0\u00A0z é", "rh1n0 h0rn ñ", "ivory\u3000tusk é", "ü.v.w"}) {
    inputs.emplace_back(s);
  }
  std::size_t non_ascii = 0;
  for (const Profile& p : profiles()) {
    Normalizer skipping(p, {.ascii_fast_path = false, .skip_unchanged_context_steps = true});
    Normalizer all(p, {.ascii_fast_path = false, .skip_unchanged_context_steps = false});
    NormalizedText a, b;
    for (const auto& s : inputs) {
      non_ascii += !is_ascii(s);
      skipping.normalize(s, a);
      all.normalize(s, b);
      ASSERT_EQ(a.text, b.text) << p.name << " [" << s << "]";
      ASSERT_EQ(a.identity_map, b.identity_map) << p.name << " [" << s << "]";
      ASSERT_EQ(a.orig_begin, b.orig_begin) << p.name << " [" << s << "]";
      ASSERT_EQ(a.orig_end, b.orig_end) << p.name << " [" << s << "]";
      // Which steps found nothing to act on (the scan copies a pass's text to a narrower one
      // by it): the skipping path answers most characters from caches of its own.
      ASSERT_TRUE(a.inert == b.inert) << p.name << " [" << s << "]";
    }
  }
  EXPECT_GT(non_ascii, inputs.size());  // the corpus exercises the general path's own input
}

// Every occurrence of a normalized term in normalized text maps back to original bytes that,
// normalized on their own, contain the term: evidence spans show the evasion that matched.
TEST(NormalizeCorpus, TermOccurrencesMapBackToTheirSource) {
  const auto corpus = generate_corpus(42, 2000);
  for (const Profile& p : profiles()) {
    Normalizer n(p);
    Normalizer n2(p);
    NormalizedText out;
    NormalizedText back;
    std::vector<std::string> terms;
    for (const char* t : kTerms) terms.push_back(n.normalize_term(t));
    int found = 0;
    for (const auto& s : corpus) {
      n.normalize(s, out);
      for (const auto& t : terms) {
        for (std::size_t at = out.text.find(t); at != std::string::npos; at = out.text.find(t, at + 1)) {
          ++found;
          auto [ob, oe] =
              out.to_original(static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + t.size()));
          ASSERT_LE(ob, oe);
          ASSERT_LE(oe, s.size());
          std::string_view slice(s.data() + ob, oe - ob);
          n2.normalize(slice, back);
          EXPECT_NE(back.text.find(t), std::string::npos)
              << p.name << ": term [" << t << "] in [" << s << "] maps to [" << slice << "] -> [" << back.text
              << "]";
        }
      }
    }
    // Not vacuous: the corpus is built to contain the terms in every profile.
    EXPECT_GT(found, 1000) << p.name;
  }
}

// A term normalizes to a substring of the normalized text of any listing that contains it as a
// word (whatever the surroundings), so lexicon terms and listings are normalized consistently.
TEST(NormalizeCorpus, TermNormalizationIsConsistentWithText) {
  const char* const before[] = {"",         "old ",       "出售", "Bán ",  "a b c ",
                                "1200 kg ", "i.v.o.r.y ", "🐘 ",   "\xff ", "x\n\n"};
  const char* const after[] = {"", " bangle", "手镯", " đẹp", " d e f", ".", "!", " 🐘", " \xff", "\t\ty"};
  for (const Profile& p : profiles()) {
    Normalizer n(p);
    for (const char* term : kTerms) {
      const std::string t = n.normalize_term(term);
      for (const char* b : before) {
        for (const char* a : after) {
          const std::string text = std::string(b) + term + a;
          EXPECT_NE(n.normalize_term(text).find(t), std::string::npos)
              << p.name << ": [" << t << "] not in normalized [" << text << "]";
        }
      }
    }
  }
}

// The evasions in the corpus are caught where the profile promises it.
TEST(NormalizeCorpus, EvasionsNormalizeToTheTerm) {
  const char* const evasions[] = {"i.v.o.r.y", "I V O R Y",  "i\u200Bvory",
                                  "i🐘v🐘o🐘r🐘y", "ＩＶＯＲＹ", "Ivory"};
  const char* const evasive_only[] = {"1vory", "iv0ry", "\u0456v\u043Er\u0443", "1.v.0.r.y", "ivοry"};
  for (const char* profile_name : {"default", "no_diacritics", "evasive"}) {
    for (const char* e : evasions) EXPECT_EQ(norm(profile_name, e), "ivory") << profile_name << " " << e;
  }
  for (const char* e : evasive_only) {
    EXPECT_EQ(norm("evasive", e), "ivory") << e;
    EXPECT_NE(norm("default", e), "ivory") << e;
  }
}

// ------------------------------------------------------------------ reuse across profiles
// same_result(): one profile's output reused for a nested profile must be exactly what that
// profile would have produced, text and offset map alike.

// Honest text (where reuse should apply) mixed with everything the extra steps of nested
// profiles act on: accents, stroke letters, look-alikes, digits and symbols inside words.
const char* const kReusePieces[] = {
    "old",        "bangle",      "Carved",    "for sale",
    "a",          "b",           "x",         "1200",
    "kg",         "USD",         "$20",       "出售",
    "手鐲",       "象牙",        "象 牙",     "Bán",
    "đẹp",        "giá rẻ",      "ngà voi",   "nga\u0300 voi",
    "kuuza",      "Ivory",       "IVORY",     "i.v.o.r.y",
    "i v o r y",  "1vory",       "iv0ry",     "\u0456v\u043Er\u0443",
    "ＩＶＯＲＹ", "i\u200Bvory", "i🐘v🐘o🐘r🐘y", "Straße",
    "e\u0301",    "ø",           "ł",         "Ελλάδα",
    "кость",      "ﬁ",           "\xff",      "!",
    ",",          ".",           "-",         "@",
    "\n",         "\t",
};
std::vector<std::string> reuse_corpus(std::uint32_t seed, int count) {
  return tusk::testing::random_texts(seed, count, kReusePieces, 10);
}

TEST(NormalizeReuse, SameResultMeansIdenticalOutput) {
  const auto inputs = reuse_corpus(23, 3000);
  std::size_t reused = 0, refused = 0;
  for (bool fast : {true, false}) {
    for (const Profile& from : profiles()) {
      Normalizer nf(from, {.ascii_fast_path = fast});
      for (const Profile& to : profiles()) {
        if (&from == &to) continue;
        Normalizer nt(to);
        NormalizedText a, b;
        for (const auto& s : inputs) {
          nf.normalize(s, a);
          if (!same_result(a, from, to)) {
            ++refused;
            continue;
          }
          ++reused;
          nt.normalize(s, b);
          const std::string where = std::string(from.name) + " -> " + std::string(to.name) + " [" + s + "]";
          ASSERT_EQ(a.text, b.text) << where;
          ASSERT_EQ(a.identity_map, b.identity_map) << where;
          ASSERT_EQ(a.orig_begin, b.orig_begin) << where;
          ASSERT_EQ(a.orig_end, b.orig_end) << where;
        }
      }
    }
  }
  // Both outcomes occur, so the comparison above covers real reuse.
  EXPECT_GT(reused, inputs.size());
  EXPECT_GT(refused, inputs.size());
}

TEST(NormalizeReuse, NestedProfilesReuseOnlyWhenTheExtraStepsFoundNothing) {
  const Profile& evasive = profile("evasive");
  const Profile& no_diacritics = profile("no_diacritics");
  const Profile& def = profile("default");
  Normalizer ne(evasive);
  Normalizer nn(no_diacritics);
  Normalizer nd(def);
  NormalizedText out;
  auto evasive_to_default = [&](std::string_view s) {
    ne.normalize(s, out);
    return same_result(out, evasive, def);
  };
  EXPECT_TRUE(evasive_to_default("old carved ivory bangle, 28 cm"));  // ASCII; 2 and 8 do not fold
  EXPECT_TRUE(evasive_to_default("精美 象牙 手鐲 for sale"));
  EXPECT_TRUE(evasive_to_default("Straße i.v.o.r.y"));
  EXPECT_FALSE(evasive_to_default("carved iv0ry"));                 // digit folding acts
  EXPECT_FALSE(evasive_to_default("carved 1 v o r y"));             // a foldable in a spelled word
  EXPECT_FALSE(evasive_to_default("ngà voi"));                      // diacritics act
  EXPECT_FALSE(evasive_to_default("\u0456v\u043Er\u0443 bangle"));  // confusables act
  EXPECT_FALSE(evasive_to_default("ø"));                            // a stroke letter
  nn.normalize("ngà voi", out);
  EXPECT_FALSE(same_result(out, no_diacritics, def));
  nn.normalize("精美 象牙", out);
  EXPECT_TRUE(same_result(out, no_diacritics, def));
  // A profile with a step the source lacks never reuses it.
  nd.normalize("old ivory", out);
  EXPECT_FALSE(same_result(out, def, evasive));
}

}  // namespace
}  // namespace tusk::runtime

// The checker validates `profile NAME` against its own list (it cannot see the runtime);
// the two must name the same profiles.
#include "compiler/front/checker.h"
TEST(NormalizeProfiles, CheckerKnowsExactlyTheRuntimeProfiles) {
  auto runtime_names = tusk::runtime::profile_names();
  auto checker_names = tusk::compiler::front::known_profiles();
  std::sort(runtime_names.begin(), runtime_names.end());
  std::sort(checker_names.begin(), checker_names.end());
  EXPECT_EQ(runtime_names, checker_names);
}
