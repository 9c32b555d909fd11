// Limits on what one listing and one pack may cost. Every limit that is hit shows in the
// verdict's notes, so a reviewer sees when a decision was made on partial input. The defaults
// are documented in docs/embedding.md; 0 switches a limit off.
#pragma once

#include <chrono>
#include <cstddef>

namespace tusk {

// What a listing gets when its time budget runs out before a decision.
enum class OnBudget {
  kFailOpen,    // allow, with a note: the submission path must never stall
  kFailClosed,  // review, with a note: nothing unscreened goes live
};

struct Limits {
  // A longer listing is not read: it yields an error verdict (ok == false).
  std::size_t max_record_bytes = 16u << 20;
  // A longer text field is cut at this many bytes (at a UTF-8 boundary) and screened.
  std::size_t max_field_bytes = 1u << 20;
  // Matches kept per lexicon or regex per listing; further ones are dropped.
  std::size_t max_matches_per_pattern = 1000;
  // A pack with more lexicon terms and regexes in total does not compile (a diagnostic with code "limit").
  std::size_t max_terms_per_pack = 1'000'000;
  // CPU time of the scanning thread for one listing (not wall time, so a busy machine does not
  // change verdicts), checked between pipeline stages; zero: no budget.
  std::chrono::nanoseconds time_budget = std::chrono::milliseconds(100);
  OnBudget on_budget = OnBudget::kFailOpen;
};

}  // namespace tusk
