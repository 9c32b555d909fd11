// The LLVM backend behind the Evaluator interface. No LLVM type crosses this header (the
// runtime includes it), and no LLVM code is linked into this half: native code is made by the
// module compiler/jit/native/ (libtusk-jit.so), opened on first use (jit_module.h).
//
//   JitEvaluator     native code for one plan, compiled (or loaded from the object cache) before
//                    construction returns.
//   TieredEvaluator  evaluates on the interpreter at once and switches to native code when a
//                    background thread has compiled it; the switch is one atomic pointer store,
//                    invisible to callers because both backends compute identical results.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "compiler/interp/interpreter.h"
#include "compiler/plan/evaluator.h"

namespace tusk::compiler::jit {

// How hard LLVM works. Measured for 1,000 small rules: kO0 ~0.15 s, kO2IrFastCodegen ~0.6 s,
// kO2 ~2 s (bench/jit_bench.cpp).
enum class JitTier : std::uint8_t {
  kO0,               // no IR passes, CodeGenOptLevel::None
  kO2IrFastCodegen,  // the O2 IR pipeline, CodeGenOptLevel::None
  kO2,               // the O2 IR pipeline, CodeGenOptLevel::Default
};
inline const char* to_string(JitTier tier) {
  switch (tier) {
    case JitTier::kO0:
      return "O0";
    case JitTier::kO2IrFastCodegen:
      return "O2-IR+CodeGenNone";
    case JitTier::kO2:
      return "O2";
  }
  return "?";
}

struct JitOptions {
  JitTier tier = JitTier::kO2;
  bool use_cache = true;
  std::string cache_dir;  // empty: default_cache_dir() (artifact_cache.h)
  // TieredEvaluator only: how many records it evaluates on the interpreter before it starts
  // making native code (loading LLVM and the cached object, or compiling). 0: at once, and a
  // cached object is linked before the constructor returns. A short run never reaches the
  // threshold and never loads LLVM.
  std::uint64_t native_after = 0;
};

// Where the time of one compilation went, and what the cache did.
struct JitStats {
  double lower_ms = 0, optimize_ms = 0, codegen_ms = 0, link_ms = 0, total_ms = 0;
  bool from_cache = false;
  std::string cache;  // "off", "hit", "missing", "corrupt", "truncated", "foreign"; "+stored"
  std::string cache_path;
};

// Native code for one plan. Made by the module; the interface is all this half sees.
class JitEvaluator : public plan::Evaluator {
 public:
  // Compiles `plan` (or loads it from the cache). Null with `error` set when LLVM fails or the
  // module cannot be loaded. `plan` must outlive the evaluator.
  static std::unique_ptr<JitEvaluator> create(const plan::Plan& plan, const plan::HostTable& host,
                                              const JitOptions& options, std::string* error);
  // Only a cache hit: null (and no compilation) when the cache has no valid entry.
  static std::unique_ptr<JitEvaluator> load_cached(const plan::Plan& plan, const plan::HostTable& host,
                                                   const JitOptions& options);
  ~JitEvaluator() override = default;

  const char* name() const override { return "jit"; }
  virtual const JitStats& stats() const = 0;
};

class TieredEvaluator final : public plan::Evaluator {
 public:
  // Starts on the interpreter unless `options.native_after` is 0 and the cache already holds
  // native code; makes native code in the background at once (native_after 0) or once that
  // many records were evaluated.
  TieredEvaluator(const plan::Plan& plan, const plan::HostTable& host, const JitOptions& options);
  // Joins the compile thread (the code it builds refers to `plan`).
  ~TieredEvaluator() override;

  void evaluate(const plan::EvalRecord* records, std::size_t count, plan::EvalResult* results) const override;
  // The backend evaluating right now: "interp" until the switch, then "jit".
  const char* name() const override { return active_.load(std::memory_order_acquire)->name(); }

  // Starts the background compilation if the threshold has not yet, and blocks until it
  // ended; true when native code is active.
  bool wait_for_jit() const;
  // Whether making native code has begun (the threshold was reached, or wait_for_jit called).
  bool native_started() const { return started_.load(std::memory_order_acquire); }
  // Why the JIT is not active after wait_for_jit() returned false.
  std::string jit_error() const;
  const JitEvaluator* jit() const {
    return jit_ready_.load(std::memory_order_acquire) ? jit_.get() : nullptr;
  }

 private:
  // Starts the background thread once; safe from any thread.
  void start() const;

  const plan::Plan& plan_;
  plan::HostTable host_;
  JitOptions options_;
  interp::Interpreter interpreter_;
  // Records evaluated on the interpreter, counted only until the threshold starts the thread.
  mutable std::atomic<std::uint64_t> evaluated_{0};
  mutable std::atomic<bool> started_{false};
  mutable std::unique_ptr<JitEvaluator> jit_;
  mutable std::atomic<const plan::Evaluator*> active_;
  mutable std::atomic<bool> jit_ready_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable done_cv_;
  mutable bool done_ = false;
  mutable std::string error_;
  mutable std::thread worker_;
};

enum class EvalBackend { kAuto, kJit, kInterp };

// The evaluator for a backend choice: kInterp the interpreter, kJit native code compiled before
// returning (null with `error` when LLVM fails), kAuto a TieredEvaluator.
std::unique_ptr<plan::Evaluator> make_evaluator(const plan::Plan& plan, const plan::HostTable& host,
                                                EvalBackend backend, const JitOptions& options,
                                                std::string* error);

// The unoptimized LLVM IR of the plan, without target triple or data layout: deterministic, for
// `tusk check --dump ir` and the tests/golden/ir goldens. Empty with `error` set when the JIT
// module cannot be loaded.
std::string dump_ir(const plan::Plan& plan, std::string* error = nullptr);

}  // namespace tusk::compiler::jit
