// The seam between the JIT's two halves. Everything that needs LLVM (lowering, ORC, the object
// cache's compile path) is built as a module of its own, libtusk-jit.so (compiler/jit/native/),
// which this half opens with dlopen the first time native code is wanted. A process that never
// evaluates on native code — `tusk check`, `fmt`, `lsp`, a short scan, the interpreter backend —
// never maps libLLVM: loading and relocating it costs ~60 ms of CPU at startup on the machines
// of docs/performance.md and ~40 MB of resident memory.
//
// The module is built from the same sources in the same build as the program loading it; the
// ABI check below refuses one from another build instead of calling into a different layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/jit/jit_evaluator.h"
#include "compiler/plan/eval_record.h"
#include "compiler/plan/plan.h"

namespace tusk::compiler::jit {

// A host function the generated code may call, by symbol name, at its address in the process
// that loaded the module (not the module's own copy of the built-ins: their data is the
// program's).
struct HostSymbol {
  std::string name;
  const void* address;
};

// The names under which the HostTable's entries are given to the generated code.
inline constexpr const char* kTextInSetSymbol = "tusk_host_text_in_set";
inline constexpr const char* kTextFieldsEqSymbol = "tusk_host_text_fields_eq";

// Bumped whenever a type crossing the seam (the ones named in NativeApi, the plan, JitOptions,
// JitStats, HostSymbol) changes shape.
inline constexpr std::uint32_t kNativeAbi = 1;

struct NativeApi {
  std::uint32_t abi;
  std::size_t plan_size, options_size, stats_size, record_size, result_size;
  // Compiles `plan` (or loads it from the object cache; when `cache_only`, only that). Null
  // with `error` set on failure.
  std::unique_ptr<JitEvaluator> (*create)(const plan::Plan& plan, const std::vector<HostSymbol>& host,
                                          const JitOptions& options, bool cache_only, std::string* error);
  // The unoptimized IR, for `tusk check --dump ir`.
  std::string (*dump_ir)(const plan::Plan& plan);
};

// The sizes as seen by the code including this header: a module whose sizes differ from the
// loader's is refused.
inline NativeApi expected_native_layout() {
  return {kNativeAbi,
          sizeof(plan::Plan),
          sizeof(JitOptions),
          sizeof(JitStats),
          sizeof(plan::EvalRecord),
          sizeof(plan::EvalResult),
          nullptr,
          nullptr};
}

// The module's API, loaded on first use (thread-safe; never unloaded). Null with `error` set
// when the module cannot be found or opened, or comes from another build: native code is then
// unavailable and `auto` stays on the interpreter.
const NativeApi* native_api(std::string* error);

// Where the module is looked for, in order: $TUSK_JIT_MODULE when set; beside an installed
// libtusk.so or tusk executable (<libdir>/tusk/libtusk-jit.so); the build tree's copy.
std::vector<std::string> native_module_candidates();

}  // namespace tusk::compiler::jit

// The one symbol the module exports.
extern "C" const tusk::compiler::jit::NativeApi* tusk_jit_native_api();
