// `tusk test` semantics: expectations compared with verdicts, YAML test files, coverage.
#include "tools/test_runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tusk::tools {
namespace {

namespace fs = std::filesystem;

fs::path write_pack(const std::string& name, const std::string& source) {
  fs::path dir = fs::temp_directory_path() / ("tusk_test_runner_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "pack.tusk") << source;
  return dir;
}

std::shared_ptr<const Pack> compile(const fs::path& file) {
  CompileOptions options;
  options.stdlib_dir = std::string(TUSK_SOURCE_DIR) + "/stdlib";
  CompileResult r = Pack::compile(file.string(), options);
  EXPECT_TRUE(r.pack) << r.rendered;
  return r.pack;
}

constexpr const char* kPack = R"(pack t version "1"
lexicon ivory { "ivory", "tusk*" @en }
lexicon coded { "white plastic" @en }
rule named { when text mentions ivory  score 30  reason "ivory: {hits(ivory)}"  tag "ivory" }
rule code { when text mentions coded  score 50  tag "code-word" }
rule never { when text mentions coded and text mentions ivory and price in USD > 1000000  score 1 }
alternative tagua { "Tagua nut." @en }
suggest tagua when named
decide {
  block  when score >= 80
  review when score >= 30
  allow  otherwise
}
test "tusks go to review" {
  listing { title: "Two tusks" }
  expect review
  expect fired named
  expect not fired code
  expect score == 30
  expect tag "ivory"
  expect suggest tagua
  expect evidence "tusks"
}
test "wrong on purpose" {
  listing { title: "white plastic bangle" }
  expect block
  expect fired named
  expect not fired code
  expect score < 10
  expect tag "ivory"
  expect suggest tagua
  expect evidence "ivory"
}
suggest "A resin replica." when never
)";

TEST(TestRunner, PassingAndFailingExpectationsOfEveryKind) {
  const fs::path dir = write_pack("kinds", kPack);
  auto pack = compile(dir / "pack.tusk");
  ASSERT_TRUE(pack);
  const auto cases = inline_tests(*pack);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].line, 14u);
  EXPECT_EQ(cases[0].expectations.size(), 7u);
  TestRunner runner(pack);
  const CaseResult ok = runner.run(cases[0]);
  EXPECT_TRUE(ok.passed);
  EXPECT_TRUE(ok.failures.empty());
  EXPECT_TRUE(ok.explanation.empty());

  const CaseResult bad = runner.run(cases[1]);
  EXPECT_FALSE(bad.passed);
  ASSERT_EQ(bad.failures.size(), 7u);  // every expectation of the second test is wrong
  EXPECT_EQ(bad.failures[0].expected, "block");
  EXPECT_EQ(bad.failures[0].actual, "review (score 50)");
  EXPECT_EQ(bad.failures[1].expected, "fired named");
  EXPECT_EQ(bad.failures[1].actual, "`named` did not fire (fired: code)");
  EXPECT_EQ(bad.failures[2].actual, "`code` fired");
  EXPECT_EQ(bad.failures[3].expected, "score < 10");
  EXPECT_EQ(bad.failures[4].actual, "tags: code-word");
  EXPECT_EQ(bad.failures[5].actual, "no suggestions");
  EXPECT_EQ(bad.failures[6].actual, "evidence: \"white plastic\"");
  // The explanation shows the evidence, the condition of each named rule and the decide branches.
  EXPECT_NE(bad.explanation.find("title: [white plastic] bangle"), std::string::npos) << bad.explanation;
  EXPECT_NE(bad.explanation.find("rule named:"), std::string::npos) << bad.explanation;
  EXPECT_NE(bad.explanation.find("-> review when"), std::string::npos) << bad.explanation;
}

TEST(TestRunner, CoverageFindsWhatNoTestExercised) {
  const fs::path dir = write_pack("coverage", kPack);
  auto pack = compile(dir / "pack.tusk");
  ASSERT_TRUE(pack);
  TestRunner runner(pack);
  runner.run(inline_tests(*pack)[0]);
  Coverage::Summary s = runner.coverage().summary();
  EXPECT_EQ(s.rules, 3u);
  EXPECT_EQ(s.rules_fired, 1u);      // named
  EXPECT_EQ(s.rules_not_fired, 2u);  // code, never
  EXPECT_EQ(s.branches_taken, 1u);   // review
  EXPECT_EQ(s.suggestions, 2u);
  EXPECT_EQ(s.suggestions_given, 1u);  // tagua, not the resin replica
  EXPECT_DOUBLE_EQ(s.percent(), 100.0 * (1 + 2 + 1 + 1) / (2 * 3 + 3 + 2));
  EXPECT_EQ(s.terms, 3u);
  EXPECT_EQ(s.terms_matched, 1u);  // tusk*
  const std::string text = runner.coverage().text();
  EXPECT_NE(text.find("rules never fired by a test (2):\n    code\n    never\n"), std::string::npos) << text;
  EXPECT_NE(text.find("block when (score >= 80)"), std::string::npos) << text;
  EXPECT_NE(text.find("ivory (1/2 unmatched): \"ivory\""), std::string::npos) << text;
  EXPECT_NE(text.find("suggestions given:              1/2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("suggestions never given:\n    \"A resin replica.\" when rule(never)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(runner.coverage().json().find(
                "\"suggestions_never_given\":[\"\\\"A resin replica.\\\" when rule(never)\"]"),
            std::string::npos)
      << runner.coverage().json();

  runner.run(inline_tests(*pack)[1]);
  s = runner.coverage().summary();
  EXPECT_EQ(s.rules_fired, 2u);
  EXPECT_NE(runner.coverage().json().find("\"never_fired\":[\"never\"]"), std::string::npos)
      << runner.coverage().json();
}

TEST(TestRunner, YamlListingsTablesAndScoreRanges) {
  const fs::path dir = write_pack("yaml", kPack);
  std::ofstream(dir / "cases.yaml") << R"(tests:
  - name: colour
    listings:
      - {id: a1, title: "ivory tusk"}
      - {title: "Tusks, 2 pieces", price: 12}
    expect: {action: review, score: {min: 30, max: 30}, fired: [named], not_fired: code}
  - name: table
    cases:
      - listing: {title: "white plastic"}
        expect: {action: review, tags: [code-word]}
      - name: mixed
        listing: {id: "007", title: "white plastic tusk", price: 12.50}
        expect: {action: block, score: ">= 80", evidence: [white plastic, tusk]}
)";
  auto pack = compile(dir / "pack.tusk");
  ASSERT_TRUE(pack);
  base::SourceManager sources;
  base::Diagnostics diags;
  std::vector<TestCase> cases;
  load_test_file((dir / "cases.yaml").string(), *pack, sources, diags, cases);
  ASSERT_FALSE(diags.has_errors()) << base::render_text(diags, sources);
  ASSERT_EQ(cases.size(), 4u);
  EXPECT_EQ(cases[0].name, "colour [a1]");
  EXPECT_EQ(cases[1].name, "colour [2]");
  EXPECT_EQ(cases[2].name, "table [1]");
  EXPECT_EQ(cases[3].name, "table [mixed]");
  EXPECT_EQ(cases[0].line, 4u);
  // Plain scalars are numbers, quoted ones text.
  EXPECT_NE(cases[1].listing_json.find("\"price\":12"), std::string::npos) << cases[1].listing_json;
  EXPECT_NE(cases[3].listing_json.find("\"id\":\"007\""), std::string::npos) << cases[3].listing_json;
  EXPECT_NE(cases[3].listing_json.find("\"price\":12.5"), std::string::npos) << cases[3].listing_json;
  TestRunner runner(pack);
  for (const auto& c : cases) {
    const CaseResult r = runner.run(c);
    EXPECT_TRUE(r.passed) << c.name << ": " << (r.failures.empty() ? r.error : r.failures[0].actual);
  }
  // The same file with one expectation changed fails exactly there.
  cases[3].expectations[0].action = Action::kAllow;
  const CaseResult r = runner.run(cases[3]);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].expected, "allow");
  EXPECT_EQ(r.failures[0].actual, "block (score 80)");
}

TEST(TestRunner, YamlErrorsAreDiagnosticsWithPositions) {
  const fs::path dir = write_pack("yaml_errors", kPack);
  std::ofstream(dir / "bad.yaml")
      << "tests:\n  - name: x\n    listing: {title: a}\n    expect: {fired: nmed, action: maybe}\n";
  auto pack = compile(dir / "pack.tusk");
  ASSERT_TRUE(pack);
  base::SourceManager sources;
  base::Diagnostics diags;
  std::vector<TestCase> cases;
  load_test_file((dir / "bad.yaml").string(), *pack, sources, diags, cases);
  ASSERT_EQ(diags.all().size(), 2u) << base::render_text(diags, sources);
  const std::string text = base::render_text(diags, sources);
  EXPECT_NE(text.find("error[E022]: no rule `nmed` in the pack"), std::string::npos) << text;
  EXPECT_NE(text.find("bad.yaml:4:21"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean `named`?"), std::string::npos) << text;
  EXPECT_NE(text.find("`action` must be block, review or allow, not `maybe`"), std::string::npos) << text;
  EXPECT_TRUE(cases.empty());
}

TEST(TestRunner, NameFilter) {
  EXPECT_TRUE(name_matches("coded bangle goes to review", "bangle"));
  EXPECT_FALSE(name_matches("coded bangle goes to review", "Bangle"));
  EXPECT_TRUE(name_matches("coded bangle goes to review", "coded*review"));
  EXPECT_FALSE(name_matches("coded bangle goes to review", "bangle*"));
  EXPECT_TRUE(name_matches("colour [c1]", "colour ?c1?"));
  EXPECT_TRUE(name_matches("a", "*"));
}

}  // namespace
}  // namespace tusk::tools
