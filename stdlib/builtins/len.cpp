// len(scope) -> number: the length of the scope's text in bytes (absent fields count 0).
#include "stdlib/functions.h"

namespace tusk::stdlib {

extern "C" double tusk_fn_len(const CallArgs* a) {
  const RecordView& r = *a->record;
  double n = 0;
  for (FieldId f = 0; f < r.field_count(); ++f) {
    if (in_scope(a->scope, f)) n += static_cast<double>(r.text(f).size());
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
  };
  return kDecl;
}

}  // namespace tusk::stdlib
