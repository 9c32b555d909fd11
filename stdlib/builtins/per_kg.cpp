// per_kg(price, scope) -> money: the price divided by the first weight in the scope (as
// weight_kg), in the price's currency; no value when there is no weight or it is 0.
#include <cmath>
#include <limits>

#include "stdlib/functions.h"
#include "stdlib/units.h"

namespace tusk::stdlib {

extern "C" double tusk_fn_per_kg(const CallArgs* a) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const RecordView& r = *a->record;
  double kg = kNaN;
  for (FieldId f = 0; f < r.field_count(); ++f) {
    if (!in_scope(a->scope, f) || !r.present(f)) continue;
    if (!r.charge(r.text(f).size())) return std::numeric_limits<double>::quiet_NaN();
    if (auto w = first_weight(r.text(f))) {
      kg = w->kg;
      break;
    }
  }
  return kg == 0 ? kNaN : a->values[0] / kg;  // x/0 is "no value", as the `/` operator
}

const FunctionDecl& builtin_per_kg() {
  static const FunctionDecl kDecl{
      .id = 4,
      .name = "per_kg",
      .params = {Param::kMoney, Param::kScope},
      .result = Result::kMoney,
      .pure = true,
      .cost = 10,
      .doc = "per_kg(price, scope): the price divided by the weight found in the scope",
      .impl = tusk_fn_per_kg,
      .symbol = "tusk_fn_per_kg",
      .dump = "per_kg({value0}, {scope})",
      .label = "per kg of the weight in {scope}",
  };
  return kDecl;
}

}  // namespace tusk::stdlib
