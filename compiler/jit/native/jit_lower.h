// Internal to the JIT module (compiler/jit/native/ only): the plan's condition IR lowered to one LLVM
// function per pack. LLVM types appear here, so nothing outside compiler/jit/native/ includes it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "compiler/jit/jit_module.h"
#include "compiler/plan/eval_record.h"
#include "compiler/plan/plan.h"

namespace tusk::compiler::jit {

// Bumped whenever the lowering or the JitOut layout changes: part of the object cache key, so
// an object compiled by an older Tusk is never linked against a newer wrapper.
inline constexpr std::uint32_t kIrFormatVersion = 7;

inline constexpr const char* kBatchSymbol = "tusk_eval_batch";

// Where the compiled function writes one record's outcome. The wrapper points `fired` and
// `suggested` into the record's EvalResult, so the generated code writes them in place and only
// the two scalars are copied back.
struct JitOut {
  std::uint8_t* fired;      // [plan.rules.size()]
  std::uint8_t* suggested;  // [plan.suggestions.size()]
  double score;
  std::int32_t branch;          // -1: no decide branch matched
  std::int32_t account_branch;  // -1: no `decide account` branch matched (or none declared)
  std::uint8_t* effects;        // [plan.counters.size() + plan.labels.size()]
};
static_assert(sizeof(JitOut) == 40);

// void tusk_eval_batch(const EvalRecord* records, uint64_t count, JitOut* out)
using BatchFn = void (*)(const plan::EvalRecord*, std::uint64_t, JitOut*);

// Lowers the plan into a fresh module (no target triple or data layout: the caller sets them,
// and `--dump ir` stays the same on every machine).
std::unique_ptr<llvm::Module> lower_plan(const plan::Plan& plan, llvm::LLVMContext& context);

// A hash of everything in the plan the lowering reads (nodes, kids, rules, decide, suggestions,
// rates), as 16 hex digits. The pack digest covers the sources; this covers the planner.
std::string plan_fingerprint(const plan::Plan& plan);

}  // namespace tusk::compiler::jit
