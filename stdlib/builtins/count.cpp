// count(scope, lexicon_or_regex) -> number: the number of hits of the lexicon or regex in the
// scope (every occurrence, repeated words included; count_distinct counts terms).
#include "stdlib/functions.h"

namespace tusk::stdlib {

extern "C" double tusk_fn_count(const CallArgs* a) {
  const auto hits = a->record->slot_hits();
  if (!a->record->charge(hits.size())) return 0;
  double n = 0;
  for (const SlotHit& h : hits) {
    if (h.slot == a->slots[0] && in_scope(a->scope, h.field)) ++n;
  }
  return n;
}

const FunctionDecl& builtin_count() {
  static const FunctionDecl kDecl{
      .id = 2,
      .name = "count",
      .params = {Param::kScope, Param::kLexiconOrRegex},
      .result = Result::kNumber,
      .pure = true,
      .cost = 4,
      .doc = "count(scope, lexicon_or_regex): the number of hits in the scope",
      .impl = tusk_fn_count,
      .symbol = "tusk_fn_count",
      .dump = "count(slot {slot0} {slot0_name}, {scope})",
  };
  return kDecl;
}

}  // namespace tusk::stdlib
