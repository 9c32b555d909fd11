// Internal: what a compiled Pack holds. Not installed; the public header only forward-declares it.
#pragma once

#include <memory>
#include <string>

#include "compiler/front/driver.h"
#include "runtime/compiled_pack.h"
#include "tusk/pack.h"

namespace tusk::internal {

struct PackImpl {
  std::unique_ptr<compiler::front::LoadedPack> loaded;  // sources and checked pack, for explain and tests
  runtime::CompiledPack compiled;                       // what scanning needs
};

// Builds the runtime side of a pack from its plan: pattern databases and the evaluator.
// Returns an error message on failure (a pattern Vectorscan rejects after checking passed).
std::string build_pack_impl(PackImpl& impl, const CompileOptions& options);

}  // namespace tusk::internal
