// Internal to the JIT: ORC LLJIT setup, compilation per tier, object cache use. Included only
// by compiler/jit/native/.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/jit/jit_evaluator.h"
#include "compiler/jit/native/jit_lower.h"

namespace llvm::orc {
class LLJIT;
}

namespace tusk::compiler::jit {

class Engine {
 public:
  // Compiles the plan with `options.tier`, or loads the object from the cache. When
  // `cache_only`, returns null without compiling unless the cache had a valid entry.
  static std::unique_ptr<Engine> create(const plan::Plan& plan, const std::vector<HostSymbol>& host,
                                        const JitOptions& options, bool cache_only, std::string* error);
  ~Engine();

  BatchFn function() const { return fn_; }
  const JitStats& stats() const { return stats_; }

 private:
  Engine() = default;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  BatchFn fn_ = nullptr;
  JitStats stats_;
};

// The cache key for a plan on this machine at a tier (see artifact_cache.h).
std::string cache_key(const plan::Plan& plan, JitTier tier);

}  // namespace tusk::compiler::jit
