#include "compiler/jit/jit_evaluator.h"

#include <algorithm>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>

#include "compiler/jit/jit_engine.h"

namespace tusk::compiler::jit {

const char* to_string(JitTier tier) {
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

JitEvaluator::JitEvaluator(const plan::Plan& plan, std::unique_ptr<jit::Engine> engine)
    : plan_(plan), engine_(std::move(engine)) {}
JitEvaluator::~JitEvaluator() = default;

std::unique_ptr<JitEvaluator> JitEvaluator::create(const plan::Plan& plan, const plan::HostTable& host,
                                                   const JitOptions& options, std::string* error) {
  auto engine = jit::Engine::create(plan, host, options, /*cache_only=*/false, error);
  if (!engine) return nullptr;
  return std::unique_ptr<JitEvaluator>(new JitEvaluator(plan, std::move(engine)));
}

std::unique_ptr<JitEvaluator> JitEvaluator::load_cached(const plan::Plan& plan, const plan::HostTable& host,
                                                        const JitOptions& options) {
  if (!options.use_cache) return nullptr;
  auto engine = jit::Engine::create(plan, host, options, /*cache_only=*/true, nullptr);
  if (!engine) return nullptr;
  return std::unique_ptr<JitEvaluator>(new JitEvaluator(plan, std::move(engine)));
}

const JitStats& JitEvaluator::stats() const { return engine_->stats(); }

void JitEvaluator::evaluate(const plan::EvalRecord* records, std::size_t count,
                            plan::EvalResult* results) const {
  // Chunks keep the output descriptors on the stack: the Scanner evaluates one record per call,
  // and a heap allocation there would cost more than the rules.
  constexpr std::size_t kChunk = 64;
  jit::JitOut outs[kChunk];
  const jit::BatchFn fn = engine_->function();
  for (std::size_t start = 0; start < count; start += kChunk) {
    const std::size_t n = std::min(kChunk, count - start);
    for (std::size_t i = 0; i < n; ++i) {
      plan::EvalResult& r = results[start + i];
      r.reset(plan_);
      outs[i] = {r.fired.data(), r.suggested.data(), 0.0, -1, -1, r.effects.data()};
    }
    fn(records + start, n, outs);
    for (std::size_t i = 0; i < n; ++i) {
      plan::EvalResult& r = results[start + i];
      r.score = outs[i].score;
      r.branch = outs[i].branch;
      r.action =
          r.branch >= 0 ? plan_.decide[static_cast<std::size_t>(r.branch)].action : stdlib::Action::kAllow;
      r.account_branch = outs[i].account_branch;
      r.account = r.account_branch >= 0 ? plan_.account[static_cast<std::size_t>(r.account_branch)].action
                                        : stdlib::AccountAction::kNone;
    }
  }
}

TieredEvaluator::TieredEvaluator(const plan::Plan& plan, const plan::HostTable& host,
                                 const JitOptions& options)
    : interpreter_(plan, host), active_(&interpreter_) {
  // A cached object links in milliseconds: take it now rather than start on the interpreter.
  if (auto cached = JitEvaluator::load_cached(plan, host, options)) {
    jit_ = std::move(cached);
    jit_ready_.store(true, std::memory_order_release);
    active_.store(jit_.get(), std::memory_order_release);
    done_ = true;
    return;
  }
  worker_ = std::thread([this, &plan, host, options] {
    std::string error;
    auto compiled = JitEvaluator::create(plan, host, options, &error);
    std::lock_guard lock(mutex_);
    if (compiled) {
      jit_ = std::move(compiled);
      jit_ready_.store(true, std::memory_order_release);
      // Scanners already inside the interpreter finish their batch there; the next call runs
      // native code. Both compute the same results, so callers cannot tell.
      active_.store(jit_.get(), std::memory_order_release);
    } else {
      error_ = std::move(error);
    }
    done_ = true;
    done_cv_.notify_all();
  });
}

TieredEvaluator::~TieredEvaluator() {
  if (worker_.joinable()) worker_.join();
}

void TieredEvaluator::evaluate(const plan::EvalRecord* records, std::size_t count,
                               plan::EvalResult* results) const {
  active_.load(std::memory_order_acquire)->evaluate(records, count, results);
}

bool TieredEvaluator::wait_for_jit() const {
  std::unique_lock lock(mutex_);
  done_cv_.wait(lock, [&] { return done_; });
  return jit_ready_.load(std::memory_order_acquire);
}

std::string TieredEvaluator::jit_error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

std::unique_ptr<plan::Evaluator> make_evaluator(const plan::Plan& plan, const plan::HostTable& host,
                                                EvalBackend backend, const JitOptions& options,
                                                std::string* error) {
  switch (backend) {
    case EvalBackend::kInterp:
      return std::make_unique<interp::Interpreter>(plan, host);
    case EvalBackend::kJit:
      return JitEvaluator::create(plan, host, options, error);
    case EvalBackend::kAuto:
      return std::make_unique<TieredEvaluator>(plan, host, options);
  }
  return nullptr;
}

std::string dump_ir(const plan::Plan& plan) {
  llvm::LLVMContext context;
  auto module = jit::lower_plan(plan, context);
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, nullptr);
  os.flush();
  return text;
}

}  // namespace tusk::compiler::jit
