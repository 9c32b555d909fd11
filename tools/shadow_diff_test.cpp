// `tusk diff`: transitions, the rules responsible and score statistics between two packs.
#include "tools/shadow_diff.h"

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

TEST(ShadowDiff, TransitionsRulesAndScores) {
  auto old_pack = compile_source("old", R"(pack t version "1"
lexicon ivory { "ivory" }
rule named { when text mentions ivory  score 40 }
rule legacy { when text mentions ivory  score 0 }
decide { block when score >= 80  review when score >= 40  allow otherwise }
)");
  auto new_pack = compile_source("new", R"(pack t version "2"
lexicon ivory { "ivory" }
lexicon weight { "kg" }
rule named { when text mentions ivory  score 40 }
rule heavy { when named and text mentions weight  score 40 }
decide { block when score >= 80  review when score >= 30  allow otherwise }
)");
  ASSERT_TRUE(old_pack && new_pack);
  ShadowDiff diff(old_pack, new_pack, {.samples = 1});
  diff.add(R"({"id":"1","title":"ivory 2 kg"})");  // review -> block: heavy added
  diff.add(R"({"id":"2","title":"ivory 3 kg"})");  // review -> block
  diff.add(R"({"id":"3","title":"ivory"})");       // review -> review
  diff.add(R"({"id":"4","title":"chair 2 kg"})");  // allow -> allow
  diff.add("[1]");                                 // unreadable
  const DiffReport r = diff.finish("c");
  EXPECT_EQ(r.records, 5u);
  EXPECT_EQ(r.unreadable, 1u);
  EXPECT_EQ(r.changed, 2u);
  EXPECT_EQ(r.unchanged[static_cast<int>(Action::kReview)], 1u);
  EXPECT_EQ(r.unchanged[static_cast<int>(Action::kAllow)], 1u);
  ASSERT_EQ(r.transitions.size(), 1u);
  const Transition& t = r.transitions[0];
  EXPECT_EQ(t.from, Action::kReview);
  EXPECT_EQ(t.to, Action::kBlock);
  EXPECT_EQ(t.count, 2u);
  EXPECT_EQ(t.rules_added.at("heavy"), 2u);
  EXPECT_EQ(t.rules_removed.at("legacy"), 2u);
  ASSERT_EQ(t.samples.size(), 1u);
  EXPECT_EQ(t.samples[0].id, "1");
  EXPECT_EQ(t.samples[0].added[0].rule, "heavy");
  EXPECT_EQ(t.samples[0].added[0].evidence.size(), 2u);  // "ivory" and "kg"
  ASSERT_EQ(t.samples[0].removed.size(), 1u);
  EXPECT_EQ(t.samples[0].removed[0].rule, "legacy");
  EXPECT_EQ(t.samples[0].removed[0].evidence[0].text, "ivory");  // the old pack's evidence
  EXPECT_EQ(t.branches.at("review when (score >= 40) -> block when (score >= 80)"), 2u);
  EXPECT_EQ(r.score_up, 2u);
  EXPECT_EQ(r.score_same, 2u);
  EXPECT_DOUBLE_EQ(r.old_scores.mean, 30);
  EXPECT_DOUBLE_EQ(r.new_scores.mean, 50);
  EXPECT_EQ(r.new_scores.max, 80);
  EXPECT_EQ(r.new_scores.p50, 40);
  ASSERT_EQ(r.rules.size(), 2u);  // by name
  EXPECT_EQ(r.rules[0].rule, "heavy");
  EXPECT_FALSE(r.rules[0].in_old);
  EXPECT_EQ(r.rules[1].rule, "legacy");
  EXPECT_EQ(r.rules[1].old_fired, 3u);
  EXPECT_FALSE(r.rules[1].in_new);
  const std::string text = r.text();
  EXPECT_NE(text.find("2 listings change action"), std::string::npos) << text;
  EXPECT_NE(text.find("newly fired: heavy (2)"), std::string::npos) << text;
  EXPECT_NE(text.find("+ heavy +40: title \"ivory\", title \"kg\""), std::string::npos) << text;
  EXPECT_NE(text.find("- legacy +0: title \"ivory\""), std::string::npos) << text;
  EXPECT_NE(r.json().find("\"changed\":2"), std::string::npos);
}

}  // namespace
}  // namespace tusk::tools
