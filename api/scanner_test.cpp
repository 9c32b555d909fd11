// The scan pipeline through the public API: evidence spans, bad input, record accounting.
#include <gtest/gtest.h>

#include "tests/support/test_pack.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "runtime/normalize.h"
#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk {
namespace {

namespace fs = std::filesystem;

// Writes `source` as a one-file pack in a fresh temporary directory and compiles it.
std::shared_ptr<const Pack> compile_source(const std::string& /*name*/, const std::string& source) {
  return tusk::testing::compile_test_pack(source);
}

constexpr const char* kEvasivePack = R"(pack test_evidence version "1"
lexicon ivory profile evasive { "ivory", "elephant tusk*", "white plastic", "象牙", "ngà voi", "pembe za ndovu" }
lexicon plain { "ivory", "象牙", "rhino horn" }
rule any { when text mentions ivory or text mentions plain  score 10 }
decide { review when any  allow otherwise }
)";

// Random listings mixing the lexicon's terms with evasions, noise and invalid bytes.
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> kPieces = {"ivory",
                                                   "IVORY",
                                                   "i.v.o.r.y",
                                                   "i v o r y",
                                                   "1vory",
                                                   "iv0ry",
                                                   "іvоrу",
                                                   "i\u200bvory",
                                                   "ＩＶＯＲＹ",
                                                   "elephant tusks",
                                                   "Elephant-Tusk",
                                                   "white plastic",
                                                   "white  plastic",
                                                   "象牙",
                                                   "象 牙",
                                                   "老象牙手镯",
                                                   "ngà voi",
                                                   "nga voi",
                                                   "NGÀ VOI",
                                                   "pembe za ndovu",
                                                   "rhino horn",
                                                   "bangle",
                                                   "carving",
                                                   "🐘",
                                                   "—",
                                                   " ",
                                                   ", ",
                                                   ".",
                                                   "\t",
                                                   "\xff",
                                                   "\xe2\x82",
                                                   "café",
                                                   "Straße",
                                                   "ß",
                                                   "ﬁ",
                                                   "Ⅻ",
                                                   "a b c",
                                                   "1200 kg",
                                                   "3斤"};
  std::uniform_int_distribution<std::size_t> pick(0, kPieces.size() - 1);
  std::uniform_int_distribution<int> count(0, 14);
  std::string s;
  for (int i = count(rng); i > 0; --i) {
    s += kPieces[pick(rng)];
    if (rng() % 2) s += ' ';
  }
  return s;
}

std::string json_quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += static_cast<char>(c);
  }
  return out + "\"";
}

// For every evidence span over a generated corpus: the original bytes at [start, end),
// normalized alone with the lexicon's profile, contain the matched term's normalized form.
TEST(ScannerEvidence, SpansPointIntoTheOriginalText) {
  auto pack = compile_source("evidence", kEvasivePack);
  ASSERT_TRUE(pack);
  Scanner scanner(pack);
  runtime::Normalizer evasive(*runtime::find_profile("evasive"));
  runtime::Normalizer standard(*runtime::find_profile("default"));
  std::mt19937 rng(20261128);
  std::size_t checked = 0, unreadable = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string title = random_text(rng), description = random_text(rng);
    const std::string line = "{\"id\":\"g" + std::to_string(i) + "\",\"title\":" + json_quoted(title) +
                             ",\"description\":" + json_quoted(description) + "}";
    Verdict v = scanner.scan(line);
    if (!v.ok) {
      // Only invalid UTF-8 may make a generated line unreadable.
      EXPECT_EQ(v.error, "invalid UTF-8") << line;
      ++unreadable;
      continue;
    }
    for (const auto& fired : v.fired) {
      for (const auto& e : fired.evidence) {
        const std::string& field = e.field == "title" ? title : description;
        ASSERT_LE(e.end, field.size());
        ASSERT_LT(e.start, e.end);
        EXPECT_EQ(e.text, field.substr(e.start, e.end - e.start));
        runtime::Normalizer& n = e.lexicon == "ivory" ? evasive : standard;
        std::string term = e.term;
        if (!term.empty() && term.back() == '*') term.pop_back();
        runtime::NormalizedText original;
        n.normalize(e.text, original);
        EXPECT_NE(original.text.find(n.normalize_term(term)), std::string::npos)
            << "evidence `" << e.text << "` does not contain `" << term << "` in " << line;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 3000u);  // the corpus must actually exercise matching
  EXPECT_GT(unreadable, 0u);  // and bad bytes
}

// Every input line yields exactly one output, in place: good records a verdict, bad ones an
// error naming what was wrong.
TEST(ScannerRecords, TenThousandLinesWithMalformedOnesInterleaved) {
  auto pack = compile_source("records", kEvasivePack);
  ASSERT_TRUE(pack);
  Scanner scanner(pack);
  const std::vector<std::string> bad = {
      "{\"title\": \"ivory\"",      // truncated
      "[1, 2, 3]",                  // not an object
      "",                           // empty
      "{\"title\": 7}",             // wrong type
      "{\"title\": \"\xc3\x28\"}",  // invalid UTF-8
      "null",
      "{\"title\": \"ivory\"} trailing",
  };
  std::mt19937 rng(7);
  std::size_t errors = 0, verdicts = 0;
  for (int i = 0; i < 10000; ++i) {
    const bool malformed = rng() % 10 == 0;
    const std::string line = malformed
                                 ? bad[rng() % bad.size()]
                                 : "{\"id\":\"r" + std::to_string(i) + "\",\"title\":\"old ivory bangle\"}";
    Verdict v = scanner.scan(line);
    if (malformed) {
      EXPECT_FALSE(v.ok) << line;
      EXPECT_FALSE(v.error.empty());
      ++errors;
    } else {
      ASSERT_TRUE(v.ok) << v.error;
      EXPECT_EQ(v.id, "r" + std::to_string(i));
      EXPECT_EQ(v.action, Action::kReview);
      ++verdicts;
    }
  }
  EXPECT_EQ(errors + verdicts, 10000u);
  EXPECT_GT(errors, 500u);
}

TEST(ScannerRecords, VerdictNamesThePackThatDecided) {
  auto pack = compile_source("info", kEvasivePack);
  ASSERT_TRUE(pack);
  Scanner scanner(pack);
  Verdict v = scanner.scan(R"({"id":"x","title":"ivory"})");
  EXPECT_EQ(v.pack.name, "test_evidence");
  EXPECT_EQ(v.pack.version, "1");
  EXPECT_EQ(v.pack.digest.size(), 64u);
  EXPECT_EQ(v.pack.digest, pack->info().digest);
}

// `notes` is omitted when empty (verdicts are written by the million; most have none), and the
// documented example says the same: docs/architecture.md shows no empty `notes`.
TEST(ScannerRecords, NotesAppearOnlyWhenThereAreSome) {
  auto pack = compile_source("notes", kEvasivePack);
  ASSERT_TRUE(pack);
  Scanner scanner(pack);
  const std::string plain = to_json(scanner.scan(R"({"id":"x","title":"ivory"})"));
  EXPECT_EQ(plain.find("\"notes\""), std::string::npos) << plain;
  Verdict noted = scanner.scan(R"({"id":"y","title":"ivory"})");
  noted.notes.push_back("limit: test");
  const std::string with = to_json(noted);
  EXPECT_NE(with.find(R"("message":"","notes":["limit: test"],"pack":)"), std::string::npos) << with;
  std::ifstream doc(std::string(TUSK_SOURCE_DIR) + "/docs/architecture.md");
  const std::string text((std::istreambuf_iterator<char>(doc)), std::istreambuf_iterator<char>());
  ASSERT_NE(text.find("## The verdict"), std::string::npos);
  EXPECT_EQ(text.find(R"("notes":[])"), std::string::npos)
      << "docs/architecture.md shows an empty notes array";
}

}  // namespace
}  // namespace tusk
