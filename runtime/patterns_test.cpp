#include "runtime/patterns.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace tusk::runtime {

// Found by gtest through ADL, so it lives in Match's namespace.
void PrintTo(const Match& m, std::ostream* os) {
  *os << fmt::format("{{id {} [{}, {})}}", m.id, m.start, m.end);
}

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

PatternSpec term(std::uint32_t id, std::string text, bool prefix = false, int edit_distance = 0) {
  PatternSpec spec;
  spec.id = id;
  spec.kind = PatternKind::kTerm;
  spec.text = std::move(text);
  spec.prefix = prefix;
  spec.edit_distance = edit_distance;
  return spec;
}

PatternSpec regex(std::uint32_t id, std::string pattern, std::string flags = "") {
  PatternSpec spec;
  spec.id = id;
  spec.kind = PatternKind::kRegex;
  spec.text = std::move(pattern);
  spec.flags = std::move(flags);
  return spec;
}

std::unique_ptr<PatternDb> compile_ok(const std::vector<PatternSpec>& specs, PatternDbOptions options = {}) {
  std::string error;
  std::uint32_t bad = 0;
  auto db = PatternDb::compile(specs, options, &error, &bad);
  EXPECT_NE(db, nullptr) << "pattern " << bad << ": " << error;
  return db;
}

std::vector<Match> scan_text(const PatternDb& db, std::string_view text) {
  PatternScratch scratch(db);
  std::vector<Match> out;
  scan(db, scratch, text, out);
  return out;
}

std::vector<Match> matches(const std::vector<PatternSpec>& specs, std::string_view text) {
  auto db = compile_ok(specs);
  if (!db) return {};
  return scan_text(*db, text);
}

// ------------------------------------------------------------------ term rules as tables

struct TermCase {
  const char* term;
  bool prefix;
  int edit_distance;
  const char* text;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;  // expected [start, end), in order
};

void PrintTo(const TermCase& c, std::ostream* os) {
  *os << fmt::format("\"{}\"{}{} in \"{}\"", c.term, c.prefix ? "*" : "",
                     c.edit_distance ? fmt::format("~{}", c.edit_distance) : "", c.text);
}

class TermTest : public ::testing::TestWithParam<TermCase> {};

TEST_P(TermTest, MatchesExactlyTheExpectedSpans) {
  const TermCase& c = GetParam();
  std::vector<Match> expected;
  for (auto [start, end] : c.spans) expected.push_back(Match{7, start, end});
  EXPECT_EQ(matches({term(7, c.term, c.prefix, c.edit_distance)}, c.text), expected);
}

INSTANTIATE_TEST_SUITE_P(
    WholeWord, TermTest,
    ::testing::Values(TermCase{"ivory", false, 0, "old ivory bangle", {{4, 9}}},
                      TermCase{"ivory", false, 0, "ivory,", {{0, 5}}},
                      TermCase{"ivory", false, 0, "bangle ivory", {{7, 12}}},
                      TermCase{"ivory", false, 0, "ivory", {{0, 5}}},
                      TermCase{"ivory", false, 0, "ivory ivory", {{0, 5}, {6, 11}}},
                      TermCase{"ivory", false, 0, "ivorybill", {}}, TermCase{"ivory", false, 0, "bivory", {}},
                      TermCase{"ivory", false, 0, "ivory2", {}}, TermCase{"ivory", false, 0, "ivoryé", {}},
                      TermCase{"ivory", false, 0, "éivory", {}},
                      TermCase{"ivory", false, 0, "ivory\xcc\x81", {}},  // + combining acute
                      TermCase{"ivory", false, 0, "ivory—bangle", {{0, 5}}},
                      TermCase{"ivory", false, 0, "ivory_x", {{0, 5}}},
                      TermCase{"ivory", false, 0, "象牙ivory手镯", {{6, 11}}},
                      TermCase{"ivory", false, 0, "상아ivory", {}},  // a Hangul run is a word
                      TermCase{"ngà voi", false, 0, "bán ngà voi thật", {{5, 13}}},
                      TermCase{"ngà voi", false, 0, "ngà voii", {}},
                      TermCase{"ngà voi", false, 0, "ngàa voi", {}},
                      TermCase{"white plastic", false, 0, "white plastic!", {{0, 13}}},
                      TermCase{"white plastic", false, 0, "white  plastic", {}},
                      TermCase{"pre-ban", false, 0, "pre-ban items", {{0, 7}}},
                      TermCase{"pre-ban", false, 0, "pre-banned", {}},
                      TermCase{"#ivory", false, 0, "sale#ivory", {{4, 10}}}));

INSTANTIATE_TEST_SUITE_P(Unspaced, TermTest,
                         ::testing::Values(TermCase{"象牙", false, 0, "象牙手镯", {{0, 6}}},
                                           TermCase{"象牙", false, 0, "老象牙手镯", {{3, 9}}},
                                           TermCase{"手镯", false, 0, "象牙手镯", {{6, 12}}},
                                           TermCase{"象牙", false, 0, "ivory象牙bangle", {{5, 11}}},
                                           TermCase{"象牙", false, 0, "象 牙", {}},
                                           TermCase{"งาช้าง", false, 0, "ขายงาช้างแท้", {{9, 27}}},
                                           TermCase{"상아", false, 0, "상아를 팝니다", {{0, 6}}},
                                           TermCase{"t恤", false, 0, "白t恤", {{3, 7}}}));

INSTANTIATE_TEST_SUITE_P(Prefix, TermTest,
                         ::testing::Values(TermCase{"tusk", true, 0, "tusks,", {{0, 5}}},
                                           TermCase{"tusk", true, 0, "elephant tusk", {{9, 13}}},
                                           TermCase{"tusk", true, 0, "tusk tusker", {{0, 4}, {5, 11}}},
                                           TermCase{"tusk", true, 0, "mytusks", {}},
                                           TermCase{"tusk", true, 0, "tuskés x", {{0, 7}}},
                                           TermCase{"tusk", true, 0, "tusks象牙", {{0, 5}}},
                                           TermCase{
                                               "african material", true, 0, "african materials.", {{0, 17}}},
                                           TermCase{"african material", true, 0, "african-materials", {}}));

INSTANTIATE_TEST_SUITE_P(
    EditDistance, TermTest,
    ::testing::Values(
        TermCase{"ivory", false, 1, "ivory bangle", {{0, 5}}}, TermCase{"ivory", false, 1, "ivoy", {{0, 4}}},
        TermCase{"ivory", false, 1, "ivary", {{0, 5}}}, TermCase{"ivory", false, 1, "old ivorys.", {{4, 10}}},
        TermCase{"ivory", false, 1, "bivory", {{0, 6}}}, TermCase{"ivory", false, 1, "ivöry", {{0, 6}}},
        TermCase{"ivory", false, 1, "ivroy", {}},  // a transposition is 2 edits
        TermCase{"ivory", false, 2, "ivroy", {{0, 5}}}, TermCase{"ivory", false, 1, "xbivory", {}},
        TermCase{"ivory", false, 1, "ivorybill", {}}, TermCase{"ivory", false, 1, "x ivory", {{2, 7}}},
        TermCase{"ngà voi", false, 1, "nga voi", {{0, 7}}}, TermCase{"tusk", true, 1, "tasks", {{0, 5}}},
        TermCase{"象牙手镯", false, 1, "卖象牙手镯", {{3, 12}, {3, 15}}}));

// ------------------------------------------------------------------ reference check

std::vector<char32_t> decode(std::string_view s, std::vector<std::uint32_t>* offsets) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0x3F >> (n - 1));
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    offsets->push_back(static_cast<std::uint32_t>(i));
    out.push_back(cp);
    i += n;
  }
  offsets->push_back(static_cast<std::uint32_t>(s.size()));
  return out;
}

std::size_t levenshtein(const std::vector<char32_t>& a, const std::vector<char32_t>& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The definition of a whole-word edit-distance match, by brute force over every span: for each
// end on a word end, the start on a word start with the fewest edits, then the leftmost. Only
// Latin letters, space and é occur, so "word character" is simply "not a space".
std::vector<Match> reference_fuzzy(std::string_view term_text, std::size_t d, std::string_view text) {
  std::vector<std::uint32_t> off, term_off;
  const auto t = decode(text, &off);
  const auto q = decode(term_text, &term_off);
  auto word = [&](std::size_t i) { return i < t.size() && t[i] != U' '; };
  std::vector<Match> out;
  for (std::size_t e = 1; e <= t.size(); ++e) {
    if (!word(e - 1) || word(e)) continue;
    std::size_t best = d + 1, best_s = 0;
    for (std::size_t s = e; s-- > 0;) {
      if (!word(s) || (s > 0 && word(s - 1))) continue;
      const std::size_t dist =
          levenshtein(q, std::vector<char32_t>(t.begin() + static_cast<std::ptrdiff_t>(s),
                                               t.begin() + static_cast<std::ptrdiff_t>(e)));
      if (dist <= best) {
        best = dist;
        best_s = s;
      }
    }
    if (best <= d) out.push_back(Match{0, off[best_s], off[e]});
  }
  return out;
}

TEST(PatternsReference, EditDistanceAgreesWithBruteForceOnRandomTexts) {
  const std::vector<std::string> alphabet = {"i", "v", "o", "r", "y", " ", "é", "a"};
  std::mt19937 rng(12345);
  for (const auto& [term_text, d] : std::vector<std::pair<std::string, int>>{
           {"ivory", 1}, {"ivory", 2}, {"ivoré", 1}, {"rio", 1}, {"ivory", 3}}) {
    auto db = compile_ok({term(0, term_text, false, d)});
    ASSERT_NE(db, nullptr);
    PatternScratch scratch(*db);
    for (int round = 0; round < 400; ++round) {
      std::string text;
      const int len = 1 + static_cast<int>(rng() % 14);
      for (int i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
      std::vector<Match> got;
      scan(*db, scratch, text, got);
      ASSERT_EQ(got, reference_fuzzy(term_text, static_cast<std::size_t>(d), text))
          << "\"" << term_text << "\"~" << d << " in \"" << text << "\"";
    }
  }
}

// ------------------------------------------------------------------ several patterns

TEST(Patterns, OverlappingTermsAreAllReportedSortedByStartThenId) {
  const auto got = matches({term(2, "ivory coast"), term(1, "ivory"), term(3, "coast")}, "the ivory coast");
  EXPECT_THAT(got, ElementsAre(Match{1, 4, 9}, Match{2, 4, 15}, Match{3, 10, 15}));
}

TEST(Patterns, DuplicateSpecsGiveOneMatchPerTriple) {
  EXPECT_THAT(matches({term(5, "ivory"), term(5, "ivory"), term(5, "ivory", true)}, "ivory"),
              ElementsAre(Match{5, 0, 5}));
}

TEST(Patterns, CallerIdsAreReportedNotIndexes) {
  EXPECT_THAT(matches({term(900, "tusk"), regex(41, "\\d+kg")}, "tusk 3kg"),
              ElementsAre(Match{900, 0, 4}, Match{41, 5, 8}));
}

TEST(Patterns, ScanAppendsToExistingOutput) {
  auto db = compile_ok({term(1, "ivory")});
  ASSERT_NE(db, nullptr);
  PatternScratch scratch(*db);
  std::vector<Match> out = {Match{99, 50, 60}};
  scan(*db, scratch, "ivory", out);
  EXPECT_THAT(out, ElementsAre(Match{99, 50, 60}, Match{1, 0, 5}));
}

// ------------------------------------------------------------------ regexes

TEST(PatternsRegex, WeightPhraseHasExactLeftmostStart) {
  EXPECT_THAT(matches({regex(0, R"(\d+(\.\d+)?\s?(kg|g|grams?|公斤|克))")}, "sold 2.5 kg, 3公斤"),
              ElementsAre(Match{0, 5, 11}, Match{0, 13, 20}));
}

TEST(PatternsRegex, FlagsChangeWhatMatches) {
  EXPECT_THAT(matches({regex(0, "IVORY")}, "ivory"), IsEmpty());
  EXPECT_THAT(matches({regex(0, "IVORY", "i")}, "ivory"), ElementsAre(Match{0, 0, 5}));
  EXPECT_THAT(matches({regex(0, "a.b")}, "a\nb"), IsEmpty());
  EXPECT_THAT(matches({regex(0, "a.b", "s")}, "a\nb"), ElementsAre(Match{0, 0, 3}));
  EXPECT_THAT(matches({regex(0, "^b")}, "a\nb"), IsEmpty());
  EXPECT_THAT(matches({regex(0, "^b", "m")}, "a\nb"), ElementsAre(Match{0, 2, 3}));
  EXPECT_THAT(matches({regex(0, "a b")}, "ab"), IsEmpty());
  EXPECT_THAT(matches({regex(0, "a b", "x")}, "ab"), ElementsAre(Match{0, 0, 2}));
}

TEST(PatternsRegex, OneMatchPerStartWithTheLongestEnd) {
  EXPECT_THAT(matches({regex(0, "a+")}, "aaa b aa"), ElementsAre(Match{0, 0, 3}, Match{0, 6, 8}));
  EXPECT_THAT(matches({regex(0, R"(\d+(\.\d+)?)")}, "2.5"), ElementsAre(Match{0, 0, 3}));
}

// Vectorscan 5.4.9 aborts the process in block mode with start-of-match on texts longer than a
// few hundred bytes for shapes like these (patterns.cpp says why the database is a streaming
// one). Each shape's needle sits at the start, in the middle and at the end of texts of every
// length around and far past that threshold; the span must be exactly the needle's, alone and
// with every other shape and some terms in the same database.
struct SomShape {
  const char* regex;
  const char* needle;  // matches the regex exactly, from its first to its last byte
};

const SomShape kSomShapes[] = {
    {R"(x+y)", "xxy"},
    {R"(o+k)", "oook"},
    {R"(\d+ ?kg)", "125 kg"},
    {R"([0-9]+ ?kg)", "9kg"},
    {R"((?:ab)+c)", "ababc"},
    {R"(\w+ivory)", "rawivory"},
    {R"((kilo|kg) ?[0-9]+)", "kilo 12"},
    {R"(\bhorn\b)", "horn"},
    {R"(tusk\w*)", "tusks"},
    {R"(a.{0,3}z)", "a12z"},
    {R"(\d+(\.\d+)?\s?(g|公斤))", "2.5公斤"},
    {R"(象.+手)", "象牙手"},
};

std::string som_filler(std::size_t n) {
  static const std::string kUnit = "q w e r t ";  // matches none of the shapes
  std::string out;
  while (out.size() < n) out += kUnit;
  out.resize(n);
  return out;
}

TEST(PatternsRegression, StartOfMatchShapesAtEveryTextLength) {
  std::vector<PatternSpec> all;
  for (std::uint32_t i = 0; i < std::size(kSomShapes); ++i) all.push_back(regex(i, kSomShapes[i].regex));
  all.push_back(term(100, "ivory"));
  all.push_back(term(101, "rhino horn"));
  auto combined = compile_ok(all);
  ASSERT_NE(combined, nullptr);
  for (std::uint32_t i = 0; i < std::size(kSomShapes); ++i) {
    const SomShape& shape = kSomShapes[i];
    auto alone = compile_ok({regex(i, shape.regex)});
    ASSERT_NE(alone, nullptr) << shape.regex;
    const std::size_t needle = std::string_view(shape.needle).size();
    for (std::size_t length : {0, 16, 200, 399, 400, 401, 512, 1000, 4096, 65536, 1 << 20}) {
      for (int where = 0; where < 3; ++where) {
        const std::size_t before = where == 0 ? 0 : where == 1 ? length / 2 : length;
        const std::string text = som_filler(before) + " " + shape.needle + " " + som_filler(length - before);
        const auto start = static_cast<std::uint32_t>(before + 1);
        const Match want{i, start, static_cast<std::uint32_t>(start + needle)};
        SCOPED_TRACE(fmt::format("/{}/ in {} bytes, needle at {}", shape.regex, text.size(), start));
        EXPECT_THAT(scan_text(*alone, text), ElementsAre(want));
        std::vector<Match> got = scan_text(*combined, text);
        got.erase(std::remove_if(got.begin(), got.end(), [&](const Match& m) { return m.id != i; }),
                  got.end());
        EXPECT_THAT(got, ElementsAre(want));
      }
    }
  }
}

TEST(PatternsRegex, DotAndClassesAreCodePoints) {
  EXPECT_THAT(matches({regex(0, "象.手")}, "象牙手"), ElementsAre(Match{0, 0, 9}));
  EXPECT_THAT(matches({regex(0, R"(\p{L}+)")}, "ngà voi"), ElementsAre(Match{0, 0, 4}, Match{0, 5, 8}));
  EXPECT_THAT(matches({regex(0, R"(\bivory\b)")}, "ivory ivorybill"), ElementsAre(Match{0, 0, 5}));
}

TEST(PatternsRegex, ShorthandClassesAreAscii) {
  // Vectorscan's UCP mode rejects \b and bloats \w; see patterns.cpp.
  EXPECT_THAT(matches({regex(0, R"(\w+)")}, "ngà"), ElementsAre(Match{0, 0, 2}));
  EXPECT_THAT(matches({regex(0, R"(\d+)")}, "1٣"), ElementsAre(Match{0, 0, 1}));
  EXPECT_THAT(matches({regex(0, R"(\d)")}, "٣"), IsEmpty());
}

TEST(PatternsRegex, TermsAreNotRegexes) {
  EXPECT_THAT(matches({term(0, "a.b")}, "axb"), IsEmpty());
  EXPECT_THAT(matches({term(0, "a.b")}, "a.b"), ElementsAre(Match{0, 0, 3}));
  EXPECT_THAT(matches({term(0, "(c++)")}, "x (c++) y"), ElementsAre(Match{0, 2, 7}));
}

// ------------------------------------------------------------------ errors

TEST(PatternsErrors, BadRegexReportsMessageAndIndex) {
  std::string error;
  std::uint32_t bad = 99;
  auto db = PatternDb::compile({term(0, "ivory"), regex(1, "(unclosed"), term(2, "tusk")}, {}, &error, &bad);
  EXPECT_EQ(db, nullptr);
  EXPECT_EQ(bad, 1u);
  EXPECT_THAT(error, ::testing::HasSubstr("parenthes"));
}

TEST(PatternsErrors, CheckRegexGivesVectorscanMessage) {
  EXPECT_EQ(PatternDb::check_regex(R"(\d+\s?kg)", "i"), "");
  EXPECT_THAT(PatternDb::check_regex("(unclosed", ""), ::testing::HasSubstr("parenthes"));
  EXPECT_THAT(PatternDb::check_regex("a*", ""), ::testing::HasSubstr("empty"));
  EXPECT_THAT(PatternDb::check_regex("a(?=b)", ""), ::testing::Not(""));
  EXPECT_THAT(PatternDb::check_regex("ivory", "q"), ::testing::HasSubstr("flag 'q'"));
  EXPECT_THAT(PatternDb::check_regex("\xff", ""), ::testing::HasSubstr("UTF-8"));
}

TEST(PatternsErrors, InvalidTermsAreRejectedWithTheirIndex) {
  struct Bad {
    PatternSpec spec;
    const char* message;
  };
  const std::vector<Bad> cases = {
      {term(0, ""), "empty term"},
      {term(0, "ab", false, 2), "longer than 2"},
      {term(0, "ivory", false, kMaxEditDistance + 1), "out of range"},
      {term(0, "ivory", false, -1), "out of range"},
      {term(0, std::string(60, 'a'), false, 3), "too long"},
  };
  for (const Bad& c : cases) {
    std::string error;
    std::uint32_t bad = 99;
    EXPECT_EQ(PatternDb::compile({term(5, "fine"), c.spec}, {}, &error, &bad), nullptr);
    EXPECT_EQ(bad, 1u);
    EXPECT_THAT(error, ::testing::HasSubstr(c.message));
  }
  PatternSpec flagged = term(0, "ivory");
  flagged.flags = "i";
  std::string error;
  EXPECT_EQ(PatternDb::compile({flagged}, {}, &error, nullptr), nullptr);
  EXPECT_THAT(error, ::testing::HasSubstr("regexes only"));
}

TEST(PatternsErrors, EmptyPatternListNeverMatches) {
  auto db = compile_ok({});
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->size(), 0u);
  PatternScratch scratch(*db);
  std::vector<Match> out;
  scan(*db, scratch, "ivory", out);
  EXPECT_THAT(out, IsEmpty());
}

TEST(PatternsErrors, InvalidUtf8TextDoesNotBreakTermMatching) {
  auto db = compile_ok({term(0, "ivory"), term(1, "tusk", true), regex(2, "\\w+")});
  ASSERT_NE(db, nullptr);
  const std::string text = "\xff\xfe ivory \xc3 tusk\xe8\xb1";
  std::vector<Match> out = scan_text(*db, text);
  EXPECT_NE(std::find(out.begin(), out.end(), Match{0, 3, 8}), out.end());
  EXPECT_NE(std::find(out.begin(), out.end(), Match{1, 11, 15}), out.end());
}

// ------------------------------------------------------------------ scale, scratch, threads

std::string synthetic_word(std::size_t i) {
  std::string w = "q";
  do {
    w += static_cast<char>('a' + i % 26);
    i /= 26;
  } while (i > 0);
  return w;
}

TEST(PatternsScale, TwentyThousandTermsCompileIntoOneDatabase) {
  std::vector<PatternSpec> specs;
  for (std::uint32_t i = 0; i < 20000; ++i) specs.push_back(term(i, synthetic_word(i)));
  specs.push_back(regex(20000, R"(\d+\s?kg)"));
  auto db = compile_ok(specs);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->size(), 20001u);
  const std::string a = synthetic_word(123), b = synthetic_word(19999);
  const std::string text = a + " x " + b + " 2kg " + b + "s";
  const auto off_b = static_cast<std::uint32_t>(a.size() + 3);
  const auto off_kg = static_cast<std::uint32_t>(off_b + b.size() + 1);
  EXPECT_THAT(scan_text(*db, text),
              ElementsAre(Match{123, 0, static_cast<std::uint32_t>(a.size())},
                          Match{19999, off_b, static_cast<std::uint32_t>(off_b + b.size())},
                          Match{20000, off_kg, off_kg + 3}));
}

TEST(PatternsScratch, OneScratchServesSeveralDatabases) {
  auto small = compile_ok({term(1, "ivory")});
  std::vector<PatternSpec> big_specs;
  for (std::uint32_t i = 0; i < 500; ++i) big_specs.push_back(term(i, synthetic_word(i)));
  big_specs.push_back(regex(500, R"(\d+(\.\d+)?\s?(kg|g))"));
  big_specs.push_back(term(501, "tusk", true, 1));
  auto big = compile_ok(big_specs);
  ASSERT_TRUE(small && big);
  PatternScratch scratch(*small);  // sized for the small database only: scan must grow it
  std::vector<Match> out;
  scan(*big, scratch, "tasks 2.5 kg " + synthetic_word(7), out);
  EXPECT_THAT(out, ElementsAre(Match{501, 0, 5}, Match{500, 6, 12}, Match{7, 13, 15}));
  out.clear();
  scan(*small, scratch, "ivory", out);
  EXPECT_THAT(out, ElementsAre(Match{1, 0, 5}));
  PatternScratch fresh;  // never reserved
  out.clear();
  scan(*small, fresh, "ivory", out);
  EXPECT_THAT(out, ElementsAre(Match{1, 0, 5}));
}

// Texts scanned one after another with one scratch are each scanned as if alone: a match must
// not join the end of one text to the start of the next, offsets restart at 0, `$` and a final
// word boundary are reported at each text's end, and databases freed and replaced (an address
// may be reused) see only their own patterns: the scratch keeps one stream per database and
// resets it after each text (patterns.cpp).
TEST(PatternsScratch, TextsScannedOneAfterAnotherAreIndependentStreams) {
  const std::vector<PatternSpec> specs = {term(1, "ivory"), regex(2, "kg$"), regex(3, R"(\d+ ?kg)")};
  const std::vector<std::string> texts = {"old ivo", "ry bangle", "ivory", "12 kg", "x 3kg y", "", "kg"};
  auto db = compile_ok(specs);
  ASSERT_TRUE(db);
  PatternScratch scratch(*db);
  for (int round = 0; round < 3; ++round) {
    for (const std::string& text : texts) {
      std::vector<Match> out;
      scan(*db, scratch, text, out);
      EXPECT_EQ(out, scan_text(*db, text)) << "round " << round << ", text \"" << text << "\"";
    }
  }
  std::vector<Match> out;
  scan(*db, scratch, "ry", out);  // after "ivo" above in every round: nothing may join them
  EXPECT_THAT(out, IsEmpty());
  scan(*db, scratch, "12 kg", out);
  EXPECT_THAT(out, ElementsAre(Match{3, 0, 5}, Match{2, 3, 5}));

  // Databases replaced many times over the scratch's life (a reloaded pack): each scan still
  // sees exactly its own database's patterns.
  for (std::uint32_t i = 0; i < 40; ++i) {
    auto other = compile_ok({term(100 + i, synthetic_word(i)), regex(200 + i, "z$")});
    ASSERT_TRUE(other);
    out.clear();
    scan(*other, scratch, synthetic_word(i) + " ivory z", out);
    EXPECT_THAT(out, ElementsAre(Match{100 + i, 0, static_cast<std::uint32_t>(synthetic_word(i).size())},
                                 Match{200 + i, static_cast<std::uint32_t>(synthetic_word(i).size()) + 7,
                                       static_cast<std::uint32_t>(synthetic_word(i).size()) + 8}))
        << i;
    out.clear();
    scan(*db, scratch, "ivory", out);
    EXPECT_THAT(out, ElementsAre(Match{1, 0, 5})) << i;
  }
}

TEST(PatternsThreads, ThreadsWithOwnScratchShareOneDatabase) {
  auto db = compile_ok({term(0, "ivory"), term(1, "象牙"), term(2, "tusk", true), term(3, "ivory", false, 1),
                        regex(4, R"(\d+\s?kg)")});
  ASSERT_NE(db, nullptr);
  std::vector<std::string> texts;
  texts.reserve(64);
  for (int i = 0; i < 64; ++i) {
    texts.push_back(fmt::format("lot {} ivory tusks 象牙手镯 {}kg ivary {}", i, i, i % 3 ? "x" : "ivoryx"));
  }
  std::vector<std::vector<Match>> expected;
  expected.reserve(texts.size());
  for (const auto& t : texts) expected.push_back(scan_text(*db, t));
  ASSERT_EQ(expected[1].size(), 6u);  // ivory, ivory~1, tusks, 象牙, 1kg, ivary~1
  ASSERT_EQ(expected[0].size(), 7u);  // and ivoryx~1
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      PatternScratch scratch(*db);
      for (int round = 0; round < 200; ++round) {
        for (std::size_t i = 0; i < texts.size(); ++i) {
          std::vector<Match> out;
          scan(*db, scratch, texts[i], out);
          if (out != expected[i]) ++failures[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(PatternsSerialize, GenericDatabaseRoundTrips) {
  PatternDbOptions options;
  options.target = PatternDbOptions::Target::kGeneric;
  auto db = compile_ok({term(3, "ivory"), term(4, "tusk", true, 1), term(5, "象牙"), regex(6, "\\d+kg", "i")},
                       options);
  ASSERT_NE(db, nullptr);
  const std::string bytes = db->serialize();
  std::string error;
  auto copy = PatternDb::deserialize(bytes, &error);
  ASSERT_NE(copy, nullptr) << error;
  EXPECT_EQ(copy->size(), 4u);
  const std::string text = "ivory tasks 象牙 5KG";
  EXPECT_EQ(scan_text(*copy, text), scan_text(*db, text));
  EXPECT_EQ(scan_text(*copy, text).size(), 4u);

  EXPECT_EQ(PatternDb::deserialize("garbage", &error), nullptr);
  EXPECT_EQ(PatternDb::deserialize(bytes.substr(0, bytes.size() - 9), &error), nullptr);
  std::string corrupt = bytes;
  corrupt[corrupt.size() - 40] ^= 0x5A;
  auto maybe = PatternDb::deserialize(corrupt, &error);  // must not crash; may or may not load
  (void)maybe;
}

// ------------------------------------------------------------------ words

TEST(WordIndex, LatinWordsAndOffsets) {
  WordIndex w("old ivory, bangle");
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w.word_start(1), 4u);
  EXPECT_EQ(w.word_end(1), 9u);
  EXPECT_EQ(w.word_at(0), 0u);
  EXPECT_EQ(w.word_at(2), 0u);
  EXPECT_EQ(w.word_at(3), 1u);  // between words: the next one
  EXPECT_EQ(w.word_at(9), 2u);
  EXPECT_EQ(w.word_at(17), 3u);  // past the last word
}

TEST(WordIndex, CjkCharactersAreWordsAndOtherScriptsRun) {
  WordIndex w("象牙手镯 ivory ngà voi 상아를 팝니다 งาช้าง");
  // 4 Han + ivory + ngà + voi + 2 Hangul runs + 6 Thai characters (ง า ช ้ า ง: the tone mark
  // is a mark, a word character of its own script)
  EXPECT_EQ(w.size(), 4u + 1 + 2 + 2 + 6);
  EXPECT_EQ(w.word_start(1), 3u);
  EXPECT_EQ(w.word_end(1), 6u);
  EXPECT_EQ(w.word_start(4), 13u);
  EXPECT_EQ(w.word_end(5), 23u);  // "ngà" ends after the 2-byte à
}

TEST(WordIndex, HanNextToLatinSplits) {
  WordIndex w("象牙ivory手镯");
  ASSERT_EQ(w.size(), 5u);
  EXPECT_EQ(w.word_start(2), 6u);
  EXPECT_EQ(w.word_end(2), 11u);
}

TEST(WordIndex, GapBetweenMatchesCountsWordsStrictlyBetween) {
  const std::string text = "ivory carved old bangle, ivory";
  WordIndex w(text);
  const auto ivory = w.words_of(0, 5);
  const auto bangle = w.words_of(17, 23);
  EXPECT_EQ(ivory, (WordIndex::Range{0, 1}));
  EXPECT_EQ(bangle, (WordIndex::Range{3, 4}));
  EXPECT_EQ(WordIndex::gap(ivory, bangle), 2u);
  EXPECT_EQ(WordIndex::gap(bangle, ivory), 2u);
  EXPECT_EQ(WordIndex::gap(bangle, w.words_of(25, 30)), 0u);
  EXPECT_EQ(WordIndex::gap(ivory, w.words_of(0, 12)), 0u);  // overlapping
  EXPECT_EQ(w.words_of(0, 12), (WordIndex::Range{0, 2}));
  const auto comma = w.words_of(23, 24);  // no word: empty, before "ivory" (word 4)
  EXPECT_EQ(comma, (WordIndex::Range{4, 4}));
}

TEST(WordIndex, EmptyAndSeparatorOnlyTexts) {
  EXPECT_EQ(WordIndex("").size(), 0u);
  EXPECT_EQ(WordIndex(" ,. ").size(), 0u);
  WordIndex w;
  w.reset("a b");
  EXPECT_EQ(w.size(), 2u);
  w.reset("abc");
  EXPECT_EQ(w.size(), 1u);
}

}  // namespace
}  // namespace tusk::runtime

namespace tusk::runtime {
namespace {

// Vectorscan 5.4.9 lost the first of two CJK literal matches near the end of a text at some
// buffer addresses (see kSentinelExpression in patterns.cpp). Every alignment must find both.
TEST(PatternsRegression, CjkLiteralsNearTheEndAtEveryAlignment) {
  std::vector<PatternSpec> specs(2);
  specs[0].id = 0;
  specs[0].text = "犀角";
  specs[1].id = 1;
  specs[1].text = "象牙";
  std::string error;
  std::uint32_t bad = 0;
  auto db = PatternDb::compile(specs, {}, &error, &bad);
  ASSERT_TRUE(db) << error;
  EXPECT_EQ(db->size(), 2u);
  PatternScratch scratch(*db);
  const std::string text = "antique 10 kg resin rare plastic horn antique resin bangle 10 kg resin 犀角 犀角";
  std::vector<char> buffer(text.size() + 128);
  for (std::size_t offset = 0; offset < 64; ++offset) {
    std::copy(text.begin(), text.end(), buffer.begin() + static_cast<std::ptrdiff_t>(offset));
    std::vector<Match> out;
    scan(*db, scratch, std::string_view(buffer.data() + offset, text.size()), out);
    ASSERT_EQ(out.size(), 2u) << "offset " << offset;
    EXPECT_EQ(out[0], (Match{0, 71, 77}));
    EXPECT_EQ(out[1], (Match{0, 78, 84}));
  }
}

}  // namespace
}  // namespace tusk::runtime
