// has(field) -> bool: the field is present in the record (a number may be 0, a text may be empty).
//
// The plan tests has() inline, as the presence bit of EvalRecord::present (field_presence
// below), in both backends: it is the commonest guard in packs ("has(price) and ...") and a
// call through CallArgs would cost a store of the arguments and an indirect call where one AND
// suffices (docs/performance.md, "built-in registry"). `impl` states the same meaning for tests
// and for any caller that evaluates through the registry.
#include "stdlib/functions.h"

namespace tusk::stdlib {
namespace {

double has(const CallArgs* a) { return a->record->present(a->field) ? 1.0 : 0.0; }

}  // namespace

extern "C" double tusk_fn_has(const CallArgs* a) { return has(a); }

const FunctionDecl& builtin_has() {
  static const FunctionDecl kDecl{
      .id = 0,
      .name = "has",
      .params = {Param::kField},
      .result = Result::kBool,
      .pure = true,
      .cost = 1,
      .doc = "has(field): the record has the field (a number may be 0, a text may be empty)",
      .impl = tusk_fn_has,
      .symbol = "tusk_fn_has",
      .dump = "has({field})",
      .field_presence = true,
  };
  return kDecl;
}

}  // namespace tusk::stdlib
