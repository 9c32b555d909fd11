// Internal: what a compiled Pack holds. Not installed; the public header only forward-declares it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/front/driver.h"
#include "compiler/plan/evaluator.h"
#include "compiler/plan/plan.h"
#include "runtime/normalize.h"
#include "runtime/patterns.h"
#include "runtime/record.h"
#include "tusk/pack.h"

namespace tusk::internal {

// Which slot and term a pattern id of a pass database stands for.
struct PatternRef {
  compiler::SlotId slot;
  std::uint32_t term;  // index into Slot::terms; 0 for a regex
};

// One scan pass ready to run: the profile's normalizer settings and one Vectorscan database
// holding every pattern of the pass.
struct CompiledPass {
  const runtime::Profile* profile = nullptr;
  stdlib::FieldMask fields = 0;
  std::unique_ptr<runtime::PatternDb> db;
  std::vector<PatternRef> patterns;  // indexed by pattern id
  std::string cache;                 // what the pattern cache did (runtime/pattern_cache.h)
};

struct PackImpl {
  std::unique_ptr<compiler::LoadedPack> loaded;  // sources and checked pack, for explain
  std::unique_ptr<compiler::Plan> plan;
  std::unique_ptr<runtime::RecordSchema> schema;
  std::vector<CompiledPass> passes;
  std::unique_ptr<compiler::Evaluator> evaluator;
  PackInfo info;
  Limits limits;
  stdlib::FieldMask text_fields = 0;  // fields whose text the host functions may read
};

// Builds the runtime side of a pack from its plan: pattern databases and the evaluator.
// Returns an error message on failure (a pattern Vectorscan rejects after checking passed).
std::string build_pack_impl(PackImpl& impl, const CompileOptions& options);

}  // namespace tusk::internal
