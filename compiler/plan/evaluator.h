// The interface both backends implement: evaluate a batch of records over one plan.
// Implementations are immutable after construction and safe to share between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "compiler/plan/eval_record.h"
#include "compiler/plan/plan.h"

namespace tusk::compiler::plan {

struct EvalResult {
  std::vector<std::uint8_t> fired;  // per plan rule: 1 when its condition held
  double score = 0;                 // sum of the scores of fired rules
  std::int32_t branch = -1;         // decide branch taken; -1 when none matched (action allow)
  stdlib::Action action = stdlib::Action::kAllow;
  std::vector<std::uint8_t> suggested;  // per plan suggestion: 1 when its condition held
  // Per plan counter then per plan label: 1 when the listing counts / sets the label.
  std::vector<std::uint8_t> effects;
  std::int32_t account_branch = -1;  // `decide account` branch taken; -1 when none
  stdlib::AccountAction account = stdlib::AccountAction::kNone;

  void reset(const Plan& plan) {
    fired.assign(plan.rules.size(), 0);
    suggested.assign(plan.suggestions.size(), 0);
    effects.assign(plan.counters.size() + plan.labels.size(), 0);
    account_branch = -1;
    account = stdlib::AccountAction::kNone;
    score = 0;
    branch = -1;
    action = stdlib::Action::kAllow;
  }
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // results[i] receives the outcome of records[i]; each result is reset first.
  virtual void evaluate(const EvalRecord* records, std::size_t count, EvalResult* results) const = 0;
  virtual const char* name() const = 0;
};

// A value of the condition IR: booleans are 0/1, a missing number is NaN, and money carries
// its currency index (-1 unknown).
struct Value {
  double num = 0;
  std::int32_t currency = -1;
};

}  // namespace tusk::compiler::plan
