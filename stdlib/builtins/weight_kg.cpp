// weight_kg(scope) -> number: the first weight written in the scope's text (fields in schema
// order), in kilograms; no value (NaN) when none is written. The accepted forms are in
// stdlib/units.h.
#include <limits>

#include "stdlib/functions.h"
#include "stdlib/units.h"

namespace tusk::stdlib {

extern "C" double tusk_fn_weight_kg(const CallArgs* a) {
  const RecordView& r = *a->record;
  for (FieldId f = 0; f < r.field_count(); ++f) {
    if (!in_scope(a->scope, f) || !r.present(f)) continue;
    if (!r.charge(r.text(f).size())) return std::numeric_limits<double>::quiet_NaN();
    if (auto w = first_weight(r.text(f))) return w->kg;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

const FunctionDecl& builtin_weight_kg() {
  static const FunctionDecl kDecl{
      .id = 3,
      .name = "weight_kg",
      .params = {Param::kScope},
      .result = Result::kNumber,
      .pure = true,
      .cost = 10,
      .doc =
          "weight_kg(scope): the first weight in the text (kg, g, lb, oz, 公斤, 千克, 克, 斤, 两) in "
          "kilograms",
      .impl = tusk_fn_weight_kg,
      .symbol = "tusk_fn_weight_kg",
      .dump = "weight_kg({scope})",
  };
  return kDecl;
}

}  // namespace tusk::stdlib
