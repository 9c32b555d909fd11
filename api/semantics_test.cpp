// The meaning of each construct of the condition language, as a table: a condition, a listing,
// and whether the rule fires. Each row compiles a one-rule pack and scans one listing on the
// interpreter and on the JIT, which must agree with the table and with each other.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk {
namespace {

namespace fs = std::filesystem;

struct Row {
  const char* condition;
  const char* listing;
  bool fires;
};

// Shared declarations the conditions use.
constexpr const char* kDeclarations = R"(
lexicon ivory { "ivory", "tusk*", "象牙", "ngà voi", "pembe za ndovu" }
lexicon carving { "carving", "bangle", "手镯" }
lexicon fuzzy { "netsuke"~1 }
regex grams = /\d+\s?g/
)";

constexpr const char* kManifest = R"(name: semantics
version: "1"
sources: [main.tusk]
fields:
  seller.account_age_days: number
  seller.verified: bool
currency:
  rates: { EUR: 1.1, CNY: 0.14 }
)";

std::shared_ptr<const Pack> compile_rule(const std::string& condition, Backend backend) {
  static int counter = 0;
  const fs::path dir = fs::temp_directory_path() / ("tusk_semantics_" + std::to_string(::getpid())) /
                       std::to_string(counter++);
  fs::create_directories(dir);
  std::ofstream(dir / "pack.yaml") << kManifest;
  std::ofstream(dir / "main.tusk") << "pack semantics version \"1\"\n"
                                   << kDeclarations << "rule r {\n  when " << condition
                                   << "\n  score 1\n}\ndecide { review when r  allow otherwise }\n";
  CompileOptions options;
  options.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
  options.backend = backend;
  options.allow = {"W001", "W002"};  // each row uses only some of the declarations
  CompileResult result = Pack::compile(dir.string(), options);
  EXPECT_TRUE(result.pack) << condition << "\n" << result.rendered;
  return result.pack;
}

class Semantics : public ::testing::TestWithParam<Row> {};

TEST_P(Semantics, RuleFiresAsTheTableSays) {
  const Row& row = GetParam();
  for (Backend backend : {Backend::kInterp, Backend::kJit}) {
    auto pack = compile_rule(row.condition, backend);
    ASSERT_TRUE(pack);
    Scanner scanner(pack);
    const Verdict v = scanner.scan(row.listing);
    ASSERT_TRUE(v.ok) << v.error;
    EXPECT_EQ(!v.fired.empty(), row.fires) << (backend == Backend::kJit ? "jit" : "interp") << ": when "
                                           << row.condition << "\n  on " << row.listing;
  }
}

const Row kRows[] = {
    // mentions: whole words, prefixes, CJK substrings, multi-word terms, scopes
    {"text mentions ivory", R"({"title":"old ivory comb"})", true},
    {"text mentions ivory", R"({"title":"ivorybill print"})", false},
    {"text mentions ivory", R"({"title":"two tusks"})", true},
    {"text mentions ivory", R"({"title":"tuskegee airmen"})", true},  // a word prefix, as `tusk*` says
    {"text mentions ivory", R"({"title":"老象牙手镯"})", true},
    {"text mentions ivory", R"({"title":"vòng ngà voi"})", true},
    {"text mentions ivory", R"({"title":"Pembe  za   ndovu"})", true},
    {"title mentions ivory", R"({"description":"ivory"})", false},
    {"description mentions ivory", R"({"description":"ivory"})", true},
    {"text mentions ivory", R"({"tags":["antique","ivory"]})", true},
    {"text mentions ivory", R"({"category":"ivory"})", false},  // category is not free text
    {"seller.description mentions ivory", R"({"seller":{"description":"ivory dealer"}})", true},
    {"text mentions fuzzy", R"({"title":"netsuk"})", true},
    {"text mentions fuzzy", R"({"title":"netsukes"})", true},
    {"text mentions fuzzy", R"({"title":"nutshell"})", false},
    // matches
    {"text matches grams", R"({"title":"rhino horn 50 g"})", true},
    {"text matches grams", R"({"title":"rhino horn"})", false},
    {"title matches /^old/", R"({"title":"old comb"})", true},
    {"title matches /^old/", R"({"title":"an old comb"})", false},
    // not, and, or, precedence
    {"not text mentions ivory", R"({"title":"comb"})", true},
    {"not text mentions ivory", R"({"title":"ivory comb"})", false},
    {"text mentions ivory and text mentions carving", R"({"title":"ivory bangle"})", true},
    {"text mentions ivory and text mentions carving", R"({"title":"ivory"})", false},
    {"text mentions ivory or text mentions carving", R"({"title":"bangle"})", true},
    {"false or true and false", R"({})", false},
    {"(false or true) and true", R"({})", true},
    {"not false and not false", R"({})", true},
    // numbers, comparisons, arithmetic, missing values
    {"seller.account_age_days < 30", R"({"seller":{"account_age_days":3}})", true},
    {"seller.account_age_days < 30", R"({"seller":{"account_age_days":300}})", false},
    {"seller.account_age_days < 30", R"({})", false},   // a missing number compares false
    {"seller.account_age_days != 30", R"({})", false},  // `!=` too
    {"seller.account_age_days * 2 + 1 == 7", R"({"seller":{"account_age_days":3}})", true},
    {"seller.account_age_days / 0 > 0", R"({"seller":{"account_age_days":3}})", false},
    {"-seller.account_age_days < -2", R"({"seller":{"account_age_days":3}})", true},
    {"seller.account_age_days in {1, 2, 3}", R"({"seller":{"account_age_days":2}})", true},
    {"seller.account_age_days in {1, 2, 3}", R"({"seller":{"account_age_days":4}})", false},
    {"seller.verified", R"({"seller":{"verified":true}})", true},
    {"seller.verified", R"({"seller":{"verified":false}})", false},
    {"not seller.verified", R"({})", true},
    // text equality and sets: case-insensitive, trimmed; lists match any element
    {"category == \"antiques\"", R"({"category":" Antiques "})", true},
    {"category != \"antiques\"", R"({"category":"art"})", true},
    {"category in {\"art\", \"antiques\"}", R"({"category":"ART"})", true},
    {"category in {\"art\", \"antiques\"}", R"({})", false},
    {"tags mentions ivory", R"({"tags":["old","IVORY"]})", true},
    {"seller.country == location", R"({"seller":{"country":"KE"},"location":"ke"})", true},
    // has
    {"has(price)", R"({"price":0})", true},
    {"has(price)", R"({"price":null})", false},
    {"has(title)", R"({"title":""})", true},
    // money
    {"price in USD < 20", R"({"price":15,"currency":"USD"})", true},
    {"price in USD < 20", R"({"price":15,"currency":"EUR"})", true},
    {"price in USD < 20", R"({"price":19,"currency":"EUR"})", false},    // 20.9 USD
    {"price in EUR > 100", R"({"price":1000,"currency":"CNY"})", true},  // 127 EUR
    {"price in USD < 20", R"({"price":15,"currency":"XYZ"})", false},    // unknown currency
    {"price in USD < 20", R"({"price":15})", false},                     // no currency
    {"price in USD < 20", R"({"price":"$15"})", true},
    {"price in USD > 1000", R"({"price":"1,200.50","currency":"USD"})", true},
    // count, near, len, weights
    {"count(text, ivory) >= 2", R"({"title":"ivory","description":"more ivory"})", true},
    {"count(text, ivory) >= 2", R"({"title":"ivory"})", false},
    {"count(text, grams) == 1", R"({"title":"5 g"})", true},
    {"near(text, ivory, carving, within 2 words)", R"({"title":"ivory hand carved bangle"})", true},
    {"near(text, ivory, carving, within 1 words)", R"({"title":"ivory hand carved bangle"})", false},
    {"near(text, ivory, carving, within 0 words)", R"({"title":"象牙手镯"})", true},
    {"near(text, ivory, carving, within 5 words)", R"({"title":"ivory","description":"bangle"})", false},
    {"len(title) > 5", R"({"title":"abcdef"})", true},
    {"len(title) > 5", R"({"title":"abc"})", false},
    {"weight_kg(text) > 1", R"({"title":"ivory 1.5kg"})", true},
    {"weight_kg(text) > 1", R"({"title":"ivory 500 g"})", false},
    {"weight_kg(text) == 1.5", R"({"title":"3斤"})", true},
    {"weight_kg(text) > 0", R"({"title":"5G phone"})", false},
    {"per_kg(price, text) in USD > 1000", R"({"title":"2 kg","price":3000,"currency":"USD"})", true},
    {"per_kg(price, text) in USD > 1000", R"({"title":"no weight","price":3000,"currency":"USD"})", false},
};

INSTANTIATE_TEST_SUITE_P(Table, Semantics, ::testing::ValuesIn(kRows));

}  // namespace
}  // namespace tusk
