// `tusk diff`: a shadow comparison of two pack versions over one corpus, for rollout: which
// listings change action, the rules responsible, and how the score distribution moves.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tusk/pack.h"
#include "tusk/scanner.h"

namespace tusk::tools {

struct DiffOptions {
  std::size_t samples = 3;  // sample listings shown per transition
};

struct DiffSample {
  std::string id;
  std::string title;
  double old_score = 0, new_score = 0;
  std::vector<FiredRule> added;    // fired under the new pack only, with their evidence
  std::vector<FiredRule> removed;  // fired under the old pack only, with their old evidence
  std::vector<std::string> kept;   // fired under both
};

struct Transition {
  Action from = Action::kAllow, to = Action::kAllow;
  std::uint64_t count = 0;
  std::map<std::string, std::uint64_t> rules_added, rules_removed;  // rule -> listings
  std::map<std::string, std::uint64_t> rules_fired;                 // fired under the new pack -> listings
  // "allow otherwise -> review when score >= 30": the decide branches taken, old -> new.
  std::map<std::string, std::uint64_t> branches;
  std::vector<DiffSample> samples;
};

struct ScoreStats {
  double mean = 0, p50 = 0, p90 = 0, max = 0;
};

struct RuleChange {
  std::string rule;
  std::uint64_t old_fired = 0, new_fired = 0;  // listings; a rule absent from one pack has 0 there
  bool in_old = false, in_new = false;
};

struct DiffReport {
  PackInfo old_pack, new_pack;
  std::string corpus;
  std::uint64_t records = 0, unreadable = 0, changed = 0;
  std::uint64_t unchanged[3] = {};      // by action
  std::vector<Transition> transitions;  // changed actions only, most frequent first
  ScoreStats old_scores, new_scores;
  std::uint64_t score_up = 0, score_down = 0, score_same = 0;
  std::vector<RuleChange> rules;  // rules whose firing count changed

  std::string text() const;
  std::string json() const;
};

class ShadowDiff {
 public:
  ShadowDiff(const std::shared_ptr<const Pack>& old_pack, const std::shared_ptr<const Pack>& new_pack,
             DiffOptions options);
  void add(std::string_view json);
  DiffReport finish(std::string corpus);

 private:
  Scanner old_, new_;
  DiffOptions options_;
  DiffReport report_;
  std::map<std::pair<int, int>, Transition> transitions_;
  std::vector<double> old_scores_, new_scores_;
  std::map<std::string, RuleChange> rules_;
};

}  // namespace tusk::tools
