// What a test run exercised: rules seen firing and seen not firing, decide branches taken,
// suggestions given, lexicon terms matched. `tusk test --coverage` reports the gaps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/plan/evaluator.h"
#include "compiler/plan/plan.h"
#include "stdlib/functions.h"

namespace tusk::tools {

using Hit = stdlib::SlotHit;

class Coverage {
 public:
  Coverage() = default;
  explicit Coverage(const compiler::plan::Plan& plan);

  // Records one evaluated listing.
  void add(const compiler::plan::EvalResult& result, const std::vector<Hit>& hits);

  struct Summary {
    std::size_t rules = 0, rules_fired = 0, rules_not_fired = 0;
    std::size_t branches = 0, branches_taken = 0;
    std::size_t account_branches = 0, account_branches_taken = 0;  // `decide account` (docs/accounts.md)
    std::size_t suggestions = 0, suggestions_given = 0;
    std::size_t terms = 0, terms_matched = 0;
    // The gate of --coverage-min: rule outcomes (fired and not fired, each counted), decide
    // branches and suggestions (each given at least once), as a percentage. Lexicon terms are reported apart:
    // packs built on the stdlib carry thousands of terms that no hand-written test set will ever exhaust.
    double percent() const;
    double term_percent() const;
  };
  Summary summary() const;

  // Text report of the gaps (every never-fired rule, ...); terms listed per lexicon, at most
  // `max_terms` per lexicon (0 = all).
  std::string text(std::size_t max_terms = 8) const;
  std::string json() const;  // one JSON object

  const compiler::plan::Plan* plan() const { return plan_; }

 private:
  const compiler::plan::Plan* plan_ = nullptr;
  std::vector<std::uint32_t> fired_, not_fired_;  // per plan rule: listings
  std::vector<std::uint32_t> branch_;             // per decide branch
  std::vector<std::uint32_t> account_branch_;     // per `decide account` branch
  std::vector<std::uint32_t> suggested_;          // per plan suggestion
  std::vector<std::vector<std::uint32_t>> term_;  // per lexicon slot, per term: hits
};

}  // namespace tusk::tools
