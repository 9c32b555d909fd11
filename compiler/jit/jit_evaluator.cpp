#include "compiler/jit/jit_evaluator.h"

#include "compiler/jit/jit_module.h"
#include "stdlib/functions.h"

namespace tusk::compiler::jit {
namespace {

// The host functions the generated code calls, by symbol name: the stdlib registry's symbols
// for functions with a stdlib declaration, tusk_host_* for the HostTable entries without one.
// Taken here, in the loading program, so that native code calls the program's built-ins.
std::vector<HostSymbol> host_symbols(const plan::HostTable& host) {
  std::vector<HostSymbol> out = {
      {kTextInSetSymbol, reinterpret_cast<const void*>(host.text_in_set)},
      {kTextFieldsEqSymbol, reinterpret_cast<const void*>(host.text_fields_eq)},
  };
  // Every built-in's entry, from the registry: a new built-in needs nothing here.
  for (const auto& fn : stdlib::functions()) {
    out.push_back({std::string(fn.symbol), reinterpret_cast<const void*>(fn.impl)});
  }
  return out;
}

std::unique_ptr<JitEvaluator> make_native(const plan::Plan& plan, const plan::HostTable& host,
                                          const JitOptions& options, bool cache_only, std::string* error) {
  std::string why;
  const NativeApi* api = native_api(&why);
  if (api == nullptr) {
    if (error != nullptr) *error = "native code is unavailable: " + why;
    return nullptr;
  }
  return api->create(plan, host_symbols(host), options, cache_only, error);
}

}  // namespace

std::unique_ptr<JitEvaluator> JitEvaluator::create(const plan::Plan& plan, const plan::HostTable& host,
                                                   const JitOptions& options, std::string* error) {
  return make_native(plan, host, options, /*cache_only=*/false, error);
}

std::unique_ptr<JitEvaluator> JitEvaluator::load_cached(const plan::Plan& plan, const plan::HostTable& host,
                                                        const JitOptions& options) {
  if (!options.use_cache) return nullptr;
  return make_native(plan, host, options, /*cache_only=*/true, nullptr);
}

TieredEvaluator::TieredEvaluator(const plan::Plan& plan, const plan::HostTable& host,
                                 const JitOptions& options)
    : plan_(plan), host_(host), options_(options), interpreter_(plan, host), active_(&interpreter_) {
  if (options_.native_after > 0) return;
  // A cached object links in milliseconds: take it now rather than start on the interpreter.
  if (auto cached = JitEvaluator::load_cached(plan, host, options)) {
    jit_ = std::move(cached);
    jit_ready_.store(true, std::memory_order_release);
    active_.store(jit_.get(), std::memory_order_release);
    started_.store(true, std::memory_order_release);
    done_ = true;
    return;
  }
  start();
}

void TieredEvaluator::start() const {
  if (started_.exchange(true, std::memory_order_acq_rel)) return;
  std::lock_guard lock(mutex_);
  worker_ = std::thread([this] {
    std::string error;
    auto compiled = JitEvaluator::create(plan_, host_, options_, &error);
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
  std::thread worker;
  {
    std::lock_guard lock(mutex_);
    worker = std::move(worker_);
  }
  if (worker.joinable()) worker.join();
}

void TieredEvaluator::evaluate(const plan::EvalRecord* records, std::size_t count,
                               plan::EvalResult* results) const {
  const plan::Evaluator* active = active_.load(std::memory_order_acquire);
  // Counted only while on the interpreter and before the thread started: once native code is
  // being made, evaluation touches no shared counter.
  if (active == &interpreter_ && !started_.load(std::memory_order_relaxed) &&
      evaluated_.fetch_add(count, std::memory_order_relaxed) + count >= options_.native_after) {
    start();
  }
  active->evaluate(records, count, results);
}

bool TieredEvaluator::wait_for_jit() const {
  start();
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

std::string dump_ir(const plan::Plan& plan, std::string* error) {
  std::string why;
  const NativeApi* api = native_api(&why);
  if (api == nullptr) {
    if (error != nullptr) *error = "native code is unavailable: " + why;
    return {};
  }
  return api->dump_ir(plan);
}

}  // namespace tusk::compiler::jit
