// count(scope, lexicon_or_regex) -> number: the number of hits of the lexicon or regex in the
// scope (every occurrence, repeated words included; count_distinct counts terms).
#include <bit>

#include "stdlib/functions.h"

namespace tusk::stdlib {

// The runtime counts hits per slot and field as it collects them (RecordView::hit_count), so a
// call visits no hits and charges no work; the JIT reads the same counts from
// EvalRecord::hit_counts without calling this (record_array below).
extern "C" double tusk_fn_count(const CallArgs* a) {
  const RecordView& r = *a->record;
  const std::uint32_t fields = r.field_count();
  double n = 0;
  for (FieldMask s = a->scope; s != 0; s &= s - 1) {
    const auto f = static_cast<FieldId>(std::countr_zero(s));
    if (f < fields) n += r.hit_count(a->slots[0], f);
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
      .record_array = RecordArray::kHitCount,
  };
  return kDecl;
}

}  // namespace tusk::stdlib
