// The checker through load_pack on small packs written to a temporary directory: what a
// user sees (codes, spans, suggestions) and what the planner gets (ids, order, terms).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/front/checker.h"
#include "compiler/front/driver.h"
#include "compiler/front/manifest.h"

namespace tusk::compiler::front {
namespace {

namespace fs = std::filesystem;

class CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt_name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string fmt_name() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string("tusk_check_") + info->name() + "_" + std::to_string(::getpid());
  }

  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  std::unique_ptr<LoadedPack> check(const std::string& body) {
    const std::string path = write("main.tusk", "pack t.p version \"1\"\n" + body);
    CheckOptions options;
    options.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
    return load_pack(path, options);
  }

  static std::vector<const base::Diagnostic*> with_code(const LoadedPack& p, base::DiagCode code) {
    std::vector<const base::Diagnostic*> out;
    for (const auto& d : p.diags.all()) {
      if (d.code == code) out.push_back(&d);
    }
    return out;
  }

  static std::string text_at(const LoadedPack& p, base::Span s) {
    return std::string(p.sources.file(s.source).slice(s));
  }

  fs::path dir_;
};

constexpr const char* kDecide = "decide { block when score >= 50  allow otherwise }\n";

// std.money's table (stdlib/money/rates.yaml) as the front end reads it: valid, and covering
// the markets the stdlib's lexicons speak to, with magnitudes a decimal slip would break.
TEST(StandardRates, ShippedTableIsValidAndCoversTheMarkets) {
  std::ifstream in(TUSK_SOURCE_DIR "/stdlib/money/rates.yaml");
  std::stringstream text;
  text << in.rdbuf();
  base::SourceManager sources;
  base::Diagnostics diags;
  const Manifest m = parse_rate_table(sources.add("rates.yaml", text.str()), diags);
  ASSERT_FALSE(diags.has_errors()) << base::render_text(diags, sources);
  EXPECT_EQ(m.base_currency, "USD");
  EXPECT_FALSE(m.rates_as_of.empty());
  for (const char* code : {"USD", "EUR", "GBP", "CNY", "HKD", "TWD", "JPY", "VND", "THB", "IDR", "KES", "TZS",
                           "NGN", "ZAR", "BRL", "MXN", "INR", "AUD", "CAD", "CHF", "SGD", "MYR", "PHP"}) {
    EXPECT_TRUE(m.rates.count(code)) << code;
  }
  auto usd = [&](const char* c) { return m.rates.at(c); };  // units of USD per unit of c
  EXPECT_GT(usd("EUR"), usd("CNY"));
  EXPECT_GT(usd("CNY"), usd("JPY"));
  EXPECT_GT(usd("JPY"), usd("VND"));
  EXPECT_GT(usd("EUR"), 0.8);
  EXPECT_LT(usd("EUR"), 1.4);
}

TEST_F(CheckTest, UnknownLexiconPointsAtTheNameAndSuggestsTheClosest) {
  auto p = check(
      std::string("lexicon ivory_names { \"ivory\" }\nrule r { when text mentions ivory_nmes score 10 }\n") +
      kDecide);
  auto ds = with_code(*p, base::DiagCode::kUnknownLexicon);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(text_at(*p, ds[0]->primary.span), "ivory_nmes");
  ASSERT_TRUE(ds[0]->help.has_value());
  EXPECT_EQ(*ds[0]->help, "did you mean `ivory_names`?");
  ASSERT_TRUE(ds[0]->fix.has_value());
  EXPECT_EQ(ds[0]->fix->replacement, "ivory_names");
  EXPECT_EQ(p->checked, nullptr);
}

TEST_F(CheckTest, ModuleDeclarationsNeedTheirQualifiedName) {
  auto p = check(std::string("use std.wildlife.ivory\nrule r { when text mentions code_words score 10 }\n") +
                 kDecide);
  auto ds = with_code(*p, base::DiagCode::kUnknownLexicon);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(*ds[0]->help, "did you mean `std.wildlife.ivory.code_words`?");
  auto ok = check(
      std::string(
          "use std.wildlife.ivory\nrule r { when text mentions std.wildlife.ivory.code_words score 10 }\n") +
      kDecide);
  ASSERT_NE(ok->checked, nullptr) << base::render_text(ok->diags, ok->sources);
  ASSERT_EQ(ok->checked->lexicons.size(), 1u);
  EXPECT_EQ(ok->checked->lexicons[0].name, "std.wildlife.ivory.code_words");
  EXPECT_FALSE(ok->checked->lexicons[0].terms.empty());
}

TEST_F(CheckTest, NumberComparedWithTextIsOneErrorAndUnknownNamesDoNotCascade) {
  auto p = check(std::string("rule r { when price in USD < \"20\" or nosuch < \"x\" score 10 }\n") + kDecide);
  EXPECT_EQ(with_code(*p, base::DiagCode::kTypeMismatch).size(), 1u);
  EXPECT_EQ(with_code(*p, base::DiagCode::kUnknownName).size(), 1u);
  EXPECT_EQ(p->diags.error_count(), 2u);
}

TEST_F(CheckTest, MoneyWithoutConversionOffersTheConversion) {
  auto p = check(std::string("rule r { when price < 20 score 10 }\n") + kDecide);
  auto ds = with_code(*p, base::DiagCode::kMoneyNeedsConversion);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(text_at(*p, ds[0]->primary.span), "price");
  ASSERT_TRUE(ds[0]->fix.has_value());
  EXPECT_EQ(ds[0]->fix->replacement, "price in USD");
}

TEST_F(CheckTest, CycleIsReportedOnceWithEveryReference) {
  auto p =
      check(std::string("rule a { when b score 1 }\nrule b { when c score 1 }\nrule c { when a score 1 }\n") +
            kDecide);
  auto ds = with_code(*p, base::DiagCode::kReferenceCycle);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0]->message.find("a → b → c → a"), std::string::npos) << ds[0]->message;
  EXPECT_EQ(text_at(*p, ds[0]->primary.span), "b");
  ASSERT_EQ(ds[0]->secondary.size(), 2u);
  EXPECT_EQ(text_at(*p, ds[0]->secondary[0].span), "c");
  EXPECT_EQ(text_at(*p, ds[0]->secondary[1].span), "a");
}

TEST_F(CheckTest, RulesAreOrderedDependenciesFirstThenByDeclaration) {
  auto p = check(std::string("lexicon l { \"x\" }\n"
                             "rule top { when mid and low score 1 }\n"
                             "rule other { when text mentions l score 1 }\n"
                             "rule mid { when low score 1 }\n"
                             "rule low { when text mentions l score 1 }\n") +
                 kDecide);
  ASSERT_NE(p->checked, nullptr) << base::render_text(p->diags, p->sources);
  std::vector<std::string> names;
  for (const auto& r : p->checked->rules) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"other", "low", "mid", "top"}));
  EXPECT_EQ(p->checked->rules[3].depends_on, (std::vector<RuleId>{1, 2}));
  // A rule reference binds to the referenced rule's position in that order.
  const auto& and_node = std::get<BAnd>(p->checked->rules[3].when->node);
  EXPECT_EQ(std::get<BRuleRef>(and_node.operands[0]->node).rule, 2u);
}

TEST_F(CheckTest, LexiconAlgebraDeduplicatesAndSubtracts) {
  auto p = check(std::string("lexicon a { \"ivory\", \"tusk*\" @en weight 2 }\n"
                             "lexicon b { \"Ivory\" @en  \"bone\" }\n"
                             "lexicon c = a + b - { \"tusk*\" }\n"
                             "rule r { when text mentions c score 1 }\n") +
                 kDecide);
  ASSERT_NE(p->checked, nullptr) << base::render_text(p->diags, p->sources);
  ASSERT_EQ(p->checked->lexicons.size(), 1u);
  const auto& terms = p->checked->lexicons[0].terms;
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[0].text, "ivory");
  EXPECT_EQ(terms[0].weight, 2.0);
  EXPECT_EQ(terms[1].text, "bone");
}

TEST_F(CheckTest, TextScopeIsTheInTextFields) {
  auto p = check(std::string("lexicon l { \"x\" }\nrule r { when text mentions l score 1 }\n") + kDecide);
  ASSERT_NE(p->checked, nullptr);
  const auto& m = std::get<BMentions>(p->checked->rules[0].when->node);
  std::vector<std::string> paths;
  for (auto id : m.scope.fields) paths.push_back(p->checked->fields[id].path);
  EXPECT_EQ(paths, (std::vector<std::string>{"title", "description", "tags", "seller.description"}));
}

TEST_F(CheckTest, TemplatesSplitWithSpansInsideTheString) {
  base::SourceManager sources;
  const std::string src = R"("a {hits(lex)} b {{c}} {price} {score}")";
  const auto& f = sources.add("t", src);
  dsl::StringLit lit{"a {hits(lex)} b {{c}} {price} {score}",
                     {f.id(), 0, static_cast<std::uint32_t>(src.size())}};
  base::Diagnostics diags;
  auto pieces = split_template(lit, f, diags);
  EXPECT_TRUE(diags.all().empty());
  ASSERT_EQ(pieces.size(), 6u);
  EXPECT_EQ(pieces[0].literal, "a ");
  EXPECT_EQ(pieces[1].kind, stdlib::TemplateKind::kHits);
  EXPECT_EQ(f.slice(pieces[1].arg_span), "lex");
  EXPECT_EQ(pieces[2].literal, " b {c} ");
  EXPECT_EQ(pieces[3].kind, stdlib::TemplateKind::kField);
  EXPECT_EQ(f.slice(pieces[3].arg_span), "price");
  EXPECT_EQ(pieces[5].kind, stdlib::TemplateKind::kScore);

  const std::string bad = R"("x {hit(lex)} }")";
  const auto& g = sources.add("u", bad);
  dsl::StringLit lit2{"x {hit(lex)} }", {g.id(), 0, static_cast<std::uint32_t>(bad.size())}};
  split_template(lit2, g, diags);
  ASSERT_EQ(diags.all().size(), 2u);
  EXPECT_EQ(g.slice(diags.all()[0].primary.span), "hit");
  EXPECT_EQ(*diags.all()[0].help, "did you mean `hits`?");
  EXPECT_EQ(g.slice(diags.all()[1].primary.span), "}");
}

TEST_F(CheckTest, ManifestErrorsCarryYamlPositions) {
  base::SourceManager sources;
  const auto& f = sources.add("pack.yaml", "name: x\nversoin: \"1\"\nfields:\n  seller.age: numbr\n");
  base::Diagnostics diags;
  Manifest m = parse_manifest(f, diags);
  EXPECT_EQ(m.name, "x");
  std::vector<std::string> got;
  for (const auto& d : diags.all()) {
    const auto lc = f.line_col(d.primary.span.begin);
    got.push_back(
        fmt::format("{}@{}:{} {}", base::info(d.code).id, lc.line, lc.column, f.slice(d.primary.span)));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"W012@2:1 versoin", "E045@4:15 numbr", "E045@1:1 name: x"}));
  EXPECT_EQ(*diags.all()[0].help, "did you mean `version`?");
}

TEST_F(CheckTest, DigestCoversEverySourceFile) {
  const std::string body =
      std::string("lexicon l { \"x\" }\nrule r { when text mentions l score 1 }\n") + kDecide;
  auto a = check(body);
  auto b = check(body);
  auto c = check(body + "// a comment changes the digest\n");
  ASSERT_TRUE(a->checked && b->checked && c->checked);
  EXPECT_EQ(a->checked->digest.size(), 64u);
  EXPECT_EQ(a->checked->digest, b->checked->digest);
  EXPECT_NE(a->checked->digest, c->checked->digest);
}

TEST_F(CheckTest, ExamplePackIsClean) {
  CheckOptions options;
  options.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
  auto p = load_pack(std::string(TUSK_SOURCE_DIR) + "/examples/packs/ivory", options);
  EXPECT_TRUE(p->diags.all().empty()) << base::render_text(p->diags, p->sources);
  ASSERT_NE(p->checked, nullptr);
  EXPECT_EQ(p->checked->name, "wildlife.ivory");
  EXPECT_EQ(p->checked->decide.size(), 3u);
  ASSERT_EQ(p->checked->suggestions.size(), 1u);
  EXPECT_EQ(p->checked->alternatives[*p->checked->suggestions[0].alternative].name,
            "std.alternatives.tagua_carving");
}

TEST_F(CheckTest, LexiconFilesKeepProvenanceAndPrefix) {
  write("lex/ivory.yaml",
        "terms:\n  - \"ivory\"\n  - { term: \"tusk*\", lang: en, weight: 0.5, source: \"TRAFFIC 2020\", "
        "status: sourced }\n");
  auto p =
      check(std::string("lexicon l = load(\"lex/ivory.yaml\")\nrule r { when text mentions l score 1 }\n") +
            kDecide);
  ASSERT_NE(p->checked, nullptr) << base::render_text(p->diags, p->sources);
  const auto& terms = p->checked->lexicons.at(0).terms;
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[1].text, "tusk");
  EXPECT_TRUE(terms[1].prefix);
  EXPECT_EQ(terms[1].lang, "en");
  EXPECT_EQ(terms[1].weight, 0.5);
  EXPECT_EQ(terms[1].source, "TRAFFIC 2020");
  EXPECT_EQ(terms[1].status, "sourced");
  // The term's span points into the YAML file, so later diagnostics can show it.
  EXPECT_EQ(text_at(*p, terms[1].span), "\"tusk*\"");
}

// Lexicon files are parsed once per process (keyed by content); a later load gets the same
// terms with spans in its own copy of the file, and a file with a problem reports it every time.
TEST_F(CheckTest, LexiconFilesParsedOnceKeepSpansAndDiagnostics) {
  const std::string yaml = "terms:\n  - \"pangolin scale*\"\n  - { term: \"穿山甲\", lang: zh }\n";
  write("lex/a.yaml", yaml);
  write("lex/other.yaml", "terms:\n  - \"x\"\n");
  write("lex/bad.yaml", "terms:\n  - { term: \"y\", weight: heavy }\n");
  const std::string rules = "rule r { when text mentions l score 1 }\n" + std::string(kDecide);
  auto first = check("lexicon l = load(\"lex/a.yaml\")\n" + rules);
  // The second pack reads another file first, so the shared one gets another source id.
  auto second = check(
      "lexicon o = load(\"lex/other.yaml\")\nlexicon l = load(\"lex/a.yaml\")\n"
      "rule q { when text mentions o score 1 }\n" +
      rules);
  ASSERT_NE(first->checked, nullptr) << base::render_text(first->diags, first->sources);
  ASSERT_NE(second->checked, nullptr) << base::render_text(second->diags, second->sources);
  const auto& a = first->checked->lexicons.at(0).terms;
  const auto& b = second->checked->lexicons.at(1).terms;
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_NE(a[1].span.source, b[1].span.source);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a[i].text, b[i].text);
    EXPECT_EQ(a[i].lang, b[i].lang);
    EXPECT_EQ(text_at(*first, a[i].span), text_at(*second, b[i].span));
  }
  EXPECT_EQ(text_at(*second, b[1].span), "\"穿山甲\"");
  // The digest covers the file in both loads.
  EXPECT_NE(first->checked->digest, second->checked->digest);
  for (int i = 0; i < 2; ++i) {
    auto bad = check("lexicon l = load(\"lex/bad.yaml\")\n" + rules);
    EXPECT_TRUE(bad->diags.has_errors()) << "load " << i;
    EXPECT_NE(base::render_text(bad->diags, bad->sources).find("bad.yaml:2"), std::string::npos)
        << base::render_text(bad->diags, bad->sources);
  }
}

TEST_F(CheckTest, TestsBindRulesAndRenderTheListingAsJson) {
  auto p = check(std::string("lexicon l { \"x\" }\nrule r { when text mentions l score 60 }\n") + kDecide +
                 "test \"t\" {\n  listing { title: \"x \\\"y\\\"\", price: 3.5, seller: { country: \"KE\" }, "
                 "tags: [\"a\"], sold: null }\n"
                 "  expect block\n  expect fired r\n  expect score >= 60\n}\n");
  // `sold` is not in the schema: a warning, so the pack is still usable.
  auto w = with_code(*p, base::DiagCode::kUnknownListingKey);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(text_at(*p, w[0]->primary.span), "sold");
  ASSERT_NE(p->checked, nullptr) << base::render_text(p->diags, p->sources);
  ASSERT_EQ(p->checked->tests.size(), 1u);
  const auto& t = p->checked->tests[0];
  EXPECT_EQ(t.listing_json,
            R"({"title":"x \"y\"","price":3.5,"seller":{"country":"KE"},"tags":["a"],"sold":null})");
  ASSERT_EQ(t.expectations.size(), 3u);
  EXPECT_EQ(t.expectations[1].rule, std::optional<RuleId>(0));
  EXPECT_EQ(t.expectations[2].compare, stdlib::CmpOp::kGe);
  EXPECT_EQ(t.expectations[2].number, 60.0);
}

TEST(RegexError, ReportsWhatVectorscanRejects) {
  EXPECT_FALSE(regex_error(R"(\d+\s?kg)", "i").has_value());
  EXPECT_FALSE(regex_error("ivory # comment\n tusk", "x").has_value());
  auto err = regex_error(R"((a)\1)", "");
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("Back-reference"), std::string::npos) << *err;
}

TEST(DidYouMean, CountsTranspositionAsOneEdit) {
  EXPECT_EQ(did_you_mean("titel", {"title", "tags"}), "title");
  EXPECT_EQ(did_you_mean("xyz", {"title", "tags"}), std::nullopt);
}

// Operator chains of any length reach neither the checker's nor the lexicon algebra's recursion
// past a fixed depth: 20,000 operands used to overflow the stack in Checker::bind and
// eval_lexicon_expr. A chain up to the limit is checked; a longer one is E002.
std::string chain(const std::string& operand, const std::string& op, int n) {
  std::string out = operand;
  for (int i = 1; i < n; ++i) out += (i % 20 == 0 ? "\n  " : "") + op + operand;
  return out;
}

TEST_F(CheckTest, LongOperatorChainsAreBoundedNotRecursedWithoutEnd) {
  for (int n : {20000, 1001}) {
    const std::string body =
        "lexicon a { \"ivory\" }\n"
        "lexicon big = " +
        chain("a", " + ", n) +
        "\n"
        "rule sum { when " +
        chain("1", " + ", n) +
        " > 0  score 1 }\n"
        "rule both { when " +
        chain("text mentions a", " and ", n) +
        "  score 1 }\n"
        "rule either { when " +
        chain("text mentions a", " or ", n) +
        "  score 1 }\n"
        "decide { allow otherwise }\n";
    auto p = check(body);
    EXPECT_EQ(with_code(*p, base::DiagCode::kNestingTooDeep).size(), 4u) << n;
    EXPECT_TRUE(p->diags.has_errors());
  }
}

TEST_F(CheckTest, ChainsUpToTheLimitCheck) {
  // 1,000 levels: a chain of 999 operators in a rule's condition (the comparison is one more).
  const std::string body =
      "lexicon a { \"ivory\" }\n"
      "lexicon big = " +
      chain("a", " + ", 1000) +
      "\n"
      "rule sum { when " +
      chain("1", " + ", 999) +
      " > 0  score 1 }\n"
      "rule either { when " +
      chain("text mentions a", " or ", 500) +
      "  score 1 }\n"
      "decide { block when sum and either  allow otherwise }\n";
  auto p = check(body);
  EXPECT_FALSE(p->diags.has_errors()) << base::render_text(p->diags, p->sources);
  ASSERT_TRUE(p->checked);
}

}  // namespace
}  // namespace tusk::compiler::front
