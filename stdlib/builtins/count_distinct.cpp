// count_distinct(scope, lexicon) -> number: how many different terms of the lexicon are found
// in the scope. "ivory", "white gold" and "elephant tooth" once each give 3; "white gold"
// written three times gives 1 (count() gives 3). Several different code words are stronger
// evidence than one repeated. Terms are the lexicon's entries as written, so two spellings
// listed as separate terms count separately.
#include <algorithm>
#include <bit>
#include <vector>

#include "stdlib/functions.h"

namespace tusk::stdlib {

extern "C" double tusk_fn_count_distinct(const CallArgs* a) {
  // The runtime keeps, per lexicon of at most 64 terms and field, the bits of the terms seen
  // (RecordView::term_bits): then a call visits no hits and charges no work, and the JIT
  // counts the same bits without calling this (record_array below).
  const RecordView& r = *a->record;
  const std::uint32_t fields = r.field_count();
  std::uint64_t seen = 0;
  bool bits_kept = true;
  for (FieldMask s = a->scope; s != 0 && bits_kept; s &= s - 1) {
    const auto f = static_cast<FieldId>(std::countr_zero(s));
    std::uint64_t bits = 0;
    if (f < fields) bits_kept = r.term_bits(a->slots[0], f, bits);
    seen |= bits;
  }
  if (bits_kept) return static_cast<double>(std::popcount(seen));
  // A small sorted set of term numbers; records have few hits, so no allocation-free trick is
  // worth its complexity (thread_local keeps the capacity between records).
  thread_local std::vector<std::uint32_t> terms;
  terms.clear();
  const auto hits = a->record->slot_hits();
  if (!a->record->charge(hits.size())) return 0;
  for (const SlotHit& h : hits) {
    if (h.slot == a->slots[0] && in_scope(a->scope, h.field)) terms.push_back(h.term);
  }
  std::sort(terms.begin(), terms.end());
  return static_cast<double>(std::unique(terms.begin(), terms.end()) - terms.begin());
}

const FunctionDecl& builtin_count_distinct() {
  static const FunctionDecl kDecl{
      .id = 6,
      .name = "count_distinct",
      .params = {Param::kScope, Param::kLexicon},
      .result = Result::kNumber,
      .pure = true,
      .cost = 5,
      .doc =
          "count_distinct(scope, lexicon): the number of different terms of the lexicon found in the scope",
      .impl = tusk_fn_count_distinct,
      .symbol = "tusk_fn_count_distinct",
      .dump = "count_distinct(slot {slot0} {slot0_name}, {scope})",
      .record_array = RecordArray::kTermBits,
  };
  return kDecl;
}

}  // namespace tusk::stdlib
