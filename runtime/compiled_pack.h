// What the per-record engine needs of a compiled pack: the plan, the record schema, one
// pattern database per scan pass and the evaluator. Immutable once built and shared by every
// Pipeline; api/ builds it (with the front end and a backend) and owns it inside a Pack.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/plan/evaluator.h"
#include "compiler/plan/plan.h"
#include "runtime/normalize.h"
#include "runtime/patterns.h"
#include "runtime/record.h"
#include "tusk/limits.h"
#include "tusk/state.h"
#include "tusk/verdict.h"

namespace tusk::runtime {

// Which slot and term a pattern id of a pass database stands for.
struct PatternRef {
  compiler::plan::SlotId slot;
  std::uint32_t term;  // index into Slot::terms; 0 for a regex
};

// One scan pass ready to run: the profile's normalizer settings and one Vectorscan database
// holding every pattern of the pass.
struct CompiledPass {
  const Profile* profile = nullptr;
  stdlib::FieldMask fields = 0;
  std::unique_ptr<PatternDb> db;
  std::vector<PatternRef> patterns;  // indexed by pattern id
  std::string cache;                 // what the pattern cache did (runtime/pattern_cache.h)
};

struct CompiledPack {
  std::unique_ptr<compiler::plan::Plan> plan;
  std::unique_ptr<RecordSchema> schema;
  std::vector<CompiledPass> passes;
  std::unique_ptr<compiler::plan::Evaluator> evaluator;  // set by the caller after build_passes
  PackInfo info;
  Limits limits;
  stdlib::FieldMask text_fields = 0;  // fields whose text the host functions may read
  // The account-state store of pipelines given none (docs/accounts.md); null for a stateless pack.
  std::shared_ptr<StateStore> default_state;
};

// Builds the schema and the pattern databases of `pack.plan`'s scan passes (through the
// on-disk pattern cache when `use_cache`). Returns an error message on failure (a pattern
// Vectorscan rejects after checking passed).
std::string build_passes(CompiledPack& pack, bool use_cache, const std::string& cache_dir);

}  // namespace tusk::runtime
