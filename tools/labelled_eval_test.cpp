// `tusk eval` arithmetic: confusion, precision/recall, per-rule counts, worst errors first.
#include "tools/labelled_eval.h"

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

constexpr const char* kPack = R"(pack t version "1"
lexicon ivory { "ivory" }
lexicon horn { "rhino horn" }
rule named { when text mentions ivory  score 40 }
rule rhino { when text mentions horn  score 90 }
decide { block when score >= 80  review when score >= 40  allow otherwise }
)";

fs::path write(const std::string& name, const std::string& text) {
  fs::path p = fs::temp_directory_path() / name;
  std::ofstream(p) << text;
  return p;
}

TEST(LabelledEval, ExpectedActionLabels) {
  auto pack = compile_source("actions", kPack);
  ASSERT_TRUE(pack);
  std::map<std::string, Label> labels;
  ASSERT_EQ(
      read_labels(write("tusk_le_actions.jsonl",
                        "{\"id\":\"a\",\"expected\":\"review\"}\n{\"id\":\"b\",\"expected\":\"block\","
                        "\"why\":\"horn\"}\n"
                        "{\"id\":\"c\",\"expected\":\"allow\",\"why\":\"colour\"}\n{\"id\":\"d\","
                        "\"expected\":\"block\"}\n"
                        "{\"id\":\"e\",\"expected\":\"allow\"}\n{\"id\":\"gone\",\"expected\":\"allow\"}\n")
                      .string(),
                  labels),
      "");
  LabelledEval eval(pack, labels, {.top = 5});
  eval.add(R"({"id":"a","title":"ivory box"})");          // review, expected review: TP
  eval.add(R"({"id":"b","title":"rhino horn cup"})");     // block, expected block: TP
  eval.add(R"({"id":"c","title":"ivory white paint"})");  // review, expected allow: FP
  eval.add(R"({"id":"d","title":"old cup"})");            // allow, expected block: FN
  eval.add(R"({"id":"e","title":"a chair"})");            // allow, expected allow: TN
  eval.add(R"({"id":"f","title":"unlabelled ivory"})");
  eval.add(R"(not json)");
  const EvalReport r = eval.finish("corpus");
  EXPECT_TRUE(r.by_action);
  EXPECT_EQ(r.records, 7u);
  EXPECT_EQ(r.labelled, 5u);
  EXPECT_EQ(r.unlabelled, 1u);
  EXPECT_EQ(r.unreadable, 1u);
  EXPECT_EQ(r.labels_without_record, 1u);
  EXPECT_EQ(r.tp, 2u);
  EXPECT_EQ(r.fp, 1u);
  EXPECT_EQ(r.fn, 1u);
  EXPECT_EQ(r.tn, 1u);
  EXPECT_DOUBLE_EQ(r.precision(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(r.recall(), 2.0 / 3);
  EXPECT_EQ(r.confusion[static_cast<int>(Action::kAllow)][static_cast<int>(Action::kReview)], 1u);
  EXPECT_EQ(r.confusion[static_cast<int>(Action::kBlock)][static_cast<int>(Action::kAllow)], 1u);
  ASSERT_EQ(r.rules.size(), 2u);
  EXPECT_EQ(r.rules[0].rule, "named");
  EXPECT_EQ(r.rules[0].positives, 1u);
  EXPECT_EQ(r.rules[0].negatives, 1u);
  ASSERT_EQ(r.false_positives.size(), 1u);
  EXPECT_EQ(r.false_positives[0].id, "c");
  EXPECT_EQ(r.false_positives[0].title, "ivory white paint");
  ASSERT_EQ(r.false_positives[0].fired.size(), 1u);
  EXPECT_EQ(r.false_positives[0].fired[0].evidence[0].text, "ivory");
  ASSERT_EQ(r.false_negatives.size(), 1u);
  EXPECT_EQ(r.false_negatives[0].id, "d");
  const std::string text = r.text();
  EXPECT_NE(text.find("precision 0.667  recall 0.667"), std::string::npos) << text;
  EXPECT_NE(text.find("c  review (score 40), expected allow: colour"), std::string::npos) << text;
  EXPECT_NE(r.json().find("\"fp\":1"), std::string::npos);
}

TEST(LabelledEval, BinaryLabelsAndWorstFirst) {
  auto pack = compile_source("binary", kPack);
  ASSERT_TRUE(pack);
  std::map<std::string, Label> labels;
  ASSERT_EQ(
      read_labels(
          write("tusk_le_binary.jsonl",
                "{\"id\":1,\"label\":\"negative\",\"family\":\"x\"}\n{\"id\":\"2\",\"label\":\"negative\"}\n"
                "{\"id\":\"3\",\"label\":\"positive\",\"family\":\"rhino\"}\n"
                "{\"id\":\"4\",\"label\":\"positive\",\"family\":\"rhino\"}\n")
              .string(),
          labels),
      "");
  LabelledEval eval(pack, labels, {.top = 1});
  eval.add(R"({"id":1,"title":"ivory"})");
  eval.add(R"({"id":"2","title":"rhino horn"})");
  eval.add(R"({"id":"3","title":"nothing"})");
  eval.add(R"({"id":"4","title":"rhino horn"})");
  const EvalReport r = eval.finish("c");
  EXPECT_FALSE(r.by_action);
  EXPECT_EQ(r.fp, 2u);
  EXPECT_EQ(r.fn, 1u);
  ASSERT_EQ(r.false_positives.size(), 1u);  // --top 1: the most confident one
  EXPECT_EQ(r.false_positives[0].id, "2");
  EXPECT_EQ(r.false_positives[0].label.note, "");
  ASSERT_EQ(r.families.count("rhino"), 1u);
  EXPECT_EQ(r.families.at("rhino").first, 2u);   // positives
  EXPECT_EQ(r.families.at("rhino").second, 1u);  // flagged
  EXPECT_NE(r.text().find("rhino                    2        1   0.500"), std::string::npos) << r.text();

  std::map<std::string, Label> bad;
  EXPECT_NE(read_labels(write("tusk_le_bad.jsonl", "{\"id\":\"x\",\"label\":\"maybe\"}\n").string(), bad)
                .find(":1:"),
            std::string::npos);
}

}  // namespace
}  // namespace tusk::tools
