// len(scope) -> number: the length of the scope's text in bytes (absent fields count 0).
#include <bit>

#include "stdlib/functions.h"

namespace tusk::stdlib {

// The JIT reads the lengths from EvalRecord::text_lengths without calling this (record_array).
extern "C" double tusk_fn_len(const CallArgs* a) {
  const RecordView& r = *a->record;
  const std::uint32_t fields = r.field_count();
  double n = 0;
  for (FieldMask s = a->scope; s != 0; s &= s - 1) {
    const auto f = static_cast<FieldId>(std::countr_zero(s));
    if (f < fields) n += static_cast<double>(r.text(f).size());
  }
  return n;
}

const FunctionDecl& builtin_len() {
  static const FunctionDecl kDecl{
      .id = 5,
      .name = "len",
      .params = {Param::kScope},
      .result = Result::kNumber,
      .pure = true,
      .cost = 3,
      .doc = "len(scope): the length of the scope's text in bytes",
      .impl = tusk_fn_len,
      .symbol = "tusk_fn_len",
      .dump = "len({scope})",
      .record_array = RecordArray::kTextLength,
  };
  return kDecl;
}

}  // namespace tusk::stdlib
