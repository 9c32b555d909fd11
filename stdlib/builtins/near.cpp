// near(scope, a, b, within N words) -> bool: a hit of lexicon `a` within N words of a hit of
// lexicon `b` in one field of the scope. Word distance is measured in the original text, where
// the hits of every scan pass agree.
//
// One pass over the hits, linear in their number (a field may hold 1,000 hits of each lexicon,
// Limits::max_matches_per_pattern; comparing every pair would cost a million steps). Hits come
// sorted by field and start, so their first words come in order: for each hit, the closest
// earlier hit of the other lexicon is the one whose words end last, and one running maximum per
// lexicon is enough. Each field's hits are charged to the work budget before they are visited.
#include <algorithm>
#include <cstdint>

#include "stdlib/functions.h"

namespace tusk::stdlib {

extern "C" double tusk_fn_near(const CallArgs* a) {
  const RecordView& r = *a->record;
  const auto hits = r.slot_hits();
  const std::uint32_t slot_a = a->slots[0], slot_b = a->slots[1];
  std::size_t i = 0;
  while (i < hits.size()) {
    const FieldId field = hits[i].field;
    std::size_t next = i;
    while (next < hits.size() && hits[next].field == field) ++next;
    if (!in_scope(a->scope, field)) {
      i = next;
      continue;
    }
    if (!r.charge(next - i)) return 0.0;
    // One past the last word of the hits of this field seen so far, per lexicon; -1 with none.
    std::int64_t end_a = -1, end_b = -1;
    for (; i < next; ++i) {
      const SlotHit& h = hits[i];
      const bool is_a = h.slot == slot_a, is_b = h.slot == slot_b;
      if (!is_a && !is_b) continue;
      // near(x, a, a, ...): a hit is within 0 words of itself.
      if (is_a && is_b) return 1.0;
      const RecordView::WordSpan w = r.word_span(field, h.start, h.end);
      const std::int64_t other_end = is_a ? end_b : end_a;
      if (other_end >= 0) {
        const std::int64_t gap = std::max<std::int64_t>(0, std::int64_t{w.first} - other_end);
        if (static_cast<double>(gap) <= a->constant) return 1.0;
      }
      std::int64_t& own_end = is_a ? end_a : end_b;
      own_end = std::max<std::int64_t>(own_end, w.end);
    }
  }
  return 0.0;
}

const FunctionDecl& builtin_near() {
  static const FunctionDecl kDecl{
      .id = 1,
      .name = "near",
      .params = {Param::kScope, Param::kLexicon, Param::kLexicon, Param::kWithin},
      .result = Result::kBool,
      .pure = true,
      .cost = 8,
      .doc = "near(scope, a, b, within N words): a hit of `a` within N words of a hit of `b`",
      .impl = tusk_fn_near,
      .symbol = "tusk_fn_near",
      .dump = "near(slot {slot0}, slot {slot1}, {constant} words, {scope})",
      .all_slots_hit = true,
  };
  return kDecl;
}

}  // namespace tusk::stdlib
