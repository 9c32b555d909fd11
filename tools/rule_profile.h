// `tusk bench`: throughput of a pack over a corpus and where the time goes, per rule and per
// lexicon or regex, with a lint for patterns that make scanning slow. A profiling tool: it
// re-evaluates conditions and re-scans texts many times and is allowed to be slow itself.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tusk/pack.h"

namespace tusk::tools {

struct BenchOptions {
  double min_seconds = 1.0;         // the throughput loop repeats the corpus at least this long
  std::size_t top = 10;             // rules and patterns listed
  std::size_t max_records = 20000;  // records used for the per-rule and per-pattern profile
};

struct RuleCost {
  std::string rule;
  double seconds = 0;  // condition evaluation alone, summed over records
  std::uint64_t evaluations = 0, fired = 0;
};

struct SlotCost {
  std::string name;
  bool is_regex = false;
  std::string profile;
  std::size_t patterns = 0;
  double seconds = 0;       // scanning the corpus's texts with this slot's patterns alone
  std::uint64_t bytes = 0;  // normalized bytes scanned per repetition
  std::uint64_t hits = 0;
};

struct LintFinding {
  std::string slot;     // lexicon or regex name
  std::string pattern;  // the term or regex
  std::string message;
};

struct BenchReport {
  PackInfo pack;
  std::string corpus, backend;
  std::uint64_t records = 0, bytes = 0, unreadable = 0;
  std::uint64_t repetitions = 0;
  double seconds = 0;
  std::uint64_t profiled_records = 0;
  std::vector<RuleCost> rules;  // slowest first
  std::vector<SlotCost> slots;  // slowest first
  std::vector<LintFinding> lint;

  double records_per_second() const { return seconds > 0 ? records * repetitions / seconds : 0; }
  double mb_per_second() const { return seconds > 0 ? bytes * repetitions / seconds / 1e6 : 0; }
  std::string text(std::size_t top) const;
  std::string json() const;
};

// Static lint of the pack's patterns (no corpus needed); bench adds findings from the profile.
std::vector<LintFinding> lint_patterns(const Pack& pack);

BenchReport run_bench(const std::shared_ptr<const Pack>& pack, const std::vector<std::string>& lines,
                      const BenchOptions& options);

}  // namespace tusk::tools
