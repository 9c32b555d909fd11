// Lowering a checked pack (compiler/front/checked.h) to the plan IR. Declared apart from
// plan.h so that the IR stays self-contained: the runtime and the backends include plan.h and
// never see the checker's types.
#pragma once

#include <memory>

#include "compiler/plan/plan.h"

namespace tusk::compiler::front {
struct CheckedPack;
}  // namespace tusk::compiler::front

namespace tusk::compiler::plan {

// Pure and deterministic: the same pack gives the same plan.
std::unique_ptr<Plan> build_plan(const front::CheckedPack& pack);

}  // namespace tusk::compiler::plan
