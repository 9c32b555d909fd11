// near(scope, a, b, within N words) -> bool: a hit of lexicon `a` within N words of a hit of
// lexicon `b` in one field of the scope. Word distance is measured in the original text, where
// the hits of every scan pass agree.
#include "stdlib/functions.h"

namespace tusk::stdlib {

extern "C" double tusk_fn_near(const CallArgs* a) {
  const RecordView& r = *a->record;
  const auto hits = r.slot_hits();
  for (const SlotHit& x : hits) {
    if (x.slot != a->slots[0] || !in_scope(a->scope, x.field)) continue;
    for (const SlotHit& y : hits) {
      if (y.slot != a->slots[1] || y.field != x.field) continue;
      if (r.word_gap(x.field, x.start, x.end, y.start, y.end) <= a->constant) return 1.0;
    }
  }
  return 0.0;
}

const FunctionDecl& builtin_near() {
  static const FunctionDecl decl{
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
  return decl;
}

}  // namespace tusk::stdlib
