// `tusk eval`: a pack against a labelled corpus. Labels are by listing id, either binary
// ({"id","label":"positive|negative"}) or an expected action ({"id","expected":"block|review|allow"}).
// A listing counts as flagged when the pack's action is review or block; a label is positive
// when it says positive, or expects review or block.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tusk/pack.h"
#include "tusk/scanner.h"
#include "tusk/verdict.h"

namespace tusk::tools {

struct Label {
  bool positive = false;
  std::optional<Action> expected;  // set for expected-action labels
  std::string note;                // "why" or "family"
  std::string family;              // binary labels: the kind of trade ("ivory", "rhino_horn")
};

// Reads a labels JSONL file. Returns an error message, or "" when it was read.
std::string read_labels(const std::string& path, std::map<std::string, Label>& out);

struct EvalOptions {
  std::size_t top = 5;                                    // false positives / negatives listed
  tusk::RecordShape shape = tusk::RecordShape::kListing;  // how corpus lines are read (docs/records.md)
};

struct EvalExample {
  std::string id;
  Action action = Action::kAllow;
  double score = 0;
  Label label;
  std::string title;
  std::vector<FiredRule> fired;
};

struct RuleStats {
  std::string rule;
  std::uint64_t positives = 0, negatives = 0;  // labelled listings on which the rule fired
};

struct EvalReport {
  std::string corpus;
  PackInfo pack;
  std::uint64_t records = 0, labelled = 0, unreadable = 0, unlabelled = 0, labels_without_record = 0;
  std::uint64_t tp = 0, fp = 0, fn = 0, tn = 0;
  bool by_action = false;  // every labelled record had an expected action
  // confusion[expected][actual], indexed by Action (allow, review, block); for binary labels
  // row 0 is negative and row 2 positive.
  std::uint64_t confusion[3][3] = {};
  std::vector<RuleStats> rules;  // plan order
  // Positive listings by family (binary labels with a family): how many, how many flagged.
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> families;
  std::vector<EvalExample> false_positives, false_negatives;  // worst first, at most `top`
  // Expected-action labels flagged with the wrong action: review where block was expected
  // (under-graded) first, then block where review was expected; at most `top`.
  std::vector<EvalExample> misgraded;
  std::uint64_t under_graded = 0, over_graded = 0;

  double precision() const;
  double recall() const;
  double f1() const;
  std::string text() const;
  std::string json() const;
};

class LabelledEval {
 public:
  LabelledEval(const std::shared_ptr<const Pack>& pack, std::map<std::string, Label> labels,
               EvalOptions options);
  // One corpus line. Returns false when the line could not be read (counted as unreadable).
  bool add(std::string_view json);
  EvalReport finish(std::string corpus);

 private:
  std::shared_ptr<const Pack> pack_;
  Scanner scanner_;
  std::map<std::string, Label> labels_;
  std::map<std::string, bool> seen_;
  EvalOptions options_;
  EvalReport report_;
  std::vector<EvalExample> fps_, fns_, misgraded_;
};

}  // namespace tusk::tools
