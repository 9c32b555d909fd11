// `tusk bench`: the profile counts what it should, and the lint names slow patterns.
#include "tools/rule_profile.h"

#include <gtest/gtest.h>

#include "tests/support/test_pack.h"

#include <filesystem>
#include <fstream>

namespace tusk::tools {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<const Pack> compile_source(const std::string& /*name*/, const std::string& source) {
  return tusk::testing::compile_test_pack(source);
}

TEST(RuleProfile, LintNamesSlowPatterns) {
  auto pack = compile_source("lint", R"(pack t version "1"
lexicon fine { "ivory", "elephant tusk*" }
lexicon noisy { "ab*", "ox", "elephant"~2 }
regex greedy = /ivory[^.]+kg/
regex big = /ivory\d{2,150}/
regex ok = /[0-9]+ ?kg/
regex dots = /tusk.*kg/
rule a { when text mentions fine or text mentions noisy or text matches greedy or text matches big or text matches ok or text matches dots  score 1 }
decide { review when a  allow otherwise }
)");
  ASSERT_TRUE(pack);
  const auto lint = lint_patterns(*pack);
  auto has = [&](const std::string& slot, const std::string& pattern) {
    return std::any_of(lint.begin(), lint.end(),
                       [&](const LintFinding& f) { return f.slot == slot && f.pattern == pattern; });
  };
  EXPECT_TRUE(has("noisy", "\"ab*\""));
  EXPECT_TRUE(has("noisy", "\"ox\""));
  EXPECT_TRUE(has("noisy", "\"elephant\"~2"));
  EXPECT_TRUE(has("greedy", "/ivory[^.]+kg/"));
  EXPECT_TRUE(has("dots", "/tusk.*kg/"));
  EXPECT_TRUE(has("big", "/ivory\\d{2,150}/"));
  EXPECT_FALSE(std::any_of(lint.begin(), lint.end(),
                           [](const LintFinding& f) { return f.slot == "fine" || f.slot == "ok"; }));
}

TEST(RuleProfile, CountsEvaluationsFiringsAndHits) {
  auto pack = compile_source("bench", R"(pack t version "1"
lexicon ivory { "ivory" }
regex kg = /\d+ ?kg/
rule named { when text mentions ivory  score 40 }
rule heavy { when named and text matches kg  score 40 }
decide { review when score >= 40  allow otherwise }
)");
  ASSERT_TRUE(pack);
  const std::vector<std::string> lines = {R"({"title":"ivory 2 kg"})", R"({"title":"ivory ivory"})",
                                          R"({"title":"chair"})"};
  const BenchReport r = run_bench(pack, lines, {.min_seconds = 0.01});
  EXPECT_EQ(r.records, 3u);
  EXPECT_GE(r.repetitions, 1u);
  EXPECT_GT(r.records_per_second(), 0);
  ASSERT_EQ(r.rules.size(), 2u);
  for (const auto& rule : r.rules) {
    EXPECT_EQ(rule.evaluations, 3u);
    EXPECT_EQ(rule.fired, rule.rule == "named" ? 2u : 1u);
  }
  ASSERT_EQ(r.slots.size(), 2u);
  for (const auto& s : r.slots) {
    EXPECT_EQ(s.hits, s.name == "ivory" ? 3u : 1u) << s.name;
    EXPECT_GT(s.bytes, 0u);
  }
  EXPECT_NE(r.text(10).find("slowest rules"), std::string::npos);
}

}  // namespace
}  // namespace tusk::tools
