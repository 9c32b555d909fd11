// The module's side of the seam (compiler/jit/jit_module.h): the evaluator around one ORC
// engine, the IR dump, and the one exported symbol.
#include <algorithm>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>

#include "compiler/jit/jit_module.h"
#include "compiler/jit/native/jit_engine.h"

namespace tusk::compiler::jit {
namespace {

class NativeEvaluator final : public JitEvaluator {
 public:
  NativeEvaluator(const plan::Plan& plan, std::unique_ptr<Engine> engine)
      : plan_(plan), engine_(std::move(engine)) {}

  const JitStats& stats() const override { return engine_->stats(); }

  void evaluate(const plan::EvalRecord* records, std::size_t count,
                plan::EvalResult* results) const override {
    // Chunks keep the output descriptors on the stack: the Scanner evaluates one record per
    // call, and a heap allocation there would cost more than the rules.
    constexpr std::size_t kChunk = 64;
    JitOut outs[kChunk];
    const BatchFn fn = engine_->function();
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

 private:
  const plan::Plan& plan_;
  std::unique_ptr<Engine> engine_;
};

std::unique_ptr<JitEvaluator> native_create(const plan::Plan& plan, const std::vector<HostSymbol>& host,
                                            const JitOptions& options, bool cache_only, std::string* error) {
  auto engine = Engine::create(plan, host, options, cache_only, error);
  if (!engine) return nullptr;
  return std::make_unique<NativeEvaluator>(plan, std::move(engine));
}

std::string native_dump_ir(const plan::Plan& plan) {
  llvm::LLVMContext context;
  auto module = lower_plan(plan, context);
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, nullptr);
  os.flush();
  return text;
}

}  // namespace

}  // namespace tusk::compiler::jit

extern "C" __attribute__((visibility("default"))) const tusk::compiler::jit::NativeApi*
tusk_jit_native_api() {
  static const tusk::compiler::jit::NativeApi kApi = [] {
    tusk::compiler::jit::NativeApi a = tusk::compiler::jit::expected_native_layout();
    a.create = &tusk::compiler::jit::native_create;
    a.dump_ir = &tusk::compiler::jit::native_dump_ir;
    return a;
  }();
  return &kApi;
}
