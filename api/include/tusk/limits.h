// Limits on what one listing and one pack may cost. Every limit that is hit shows in the
// verdict's notes, so a reviewer sees when a decision was made on partial input. The defaults
// are documented in docs/embedding.md; 0 switches a limit off.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tusk {

// What a listing gets when its work budget runs out before a decision.
enum class OnBudget {
  kFailOpen,    // allow, with a note: only for a path where a listing must never wait for a
                // reviewer; a listing crafted to spend the budget is then let through
  kFailClosed,  // review, with a note: nothing unscreened goes live (the default)
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
  // Work units one listing may cost (docs/embedding.md, "The work budget"): bytes decoded,
  // normalized and scanned, matches kept, hits visited by built-ins such as near(), plan
  // steps. Counted, not timed, so the same listing gets the same verdict on any machine and
  // under any load. The default is high enough that reading any listing within the record and
  // field limits never spends it (for packs of up to 7 scan passes); zero: no budget.
  std::uint64_t work_budget = std::uint64_t{256} << 20;
  OnBudget on_budget = OnBudget::kFailClosed;
};

}  // namespace tusk
