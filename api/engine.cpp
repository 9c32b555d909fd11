// Hot reload (tusk/engine.h). A mutex guards the current pack; workers read the generation
// counter without it and take the lock only when it moved, so scanning costs one atomic load.
#include "tusk/engine.h"

#include <stdexcept>

namespace tusk {

Engine::Engine(std::shared_ptr<const Pack> pack) : pack_(std::move(pack)), state_(make_memory_state()) {
  if (!pack_) throw std::invalid_argument("tusk::Engine needs a pack");
}

void Engine::set_state(std::shared_ptr<StateStore> store) {
  if (!store) throw std::invalid_argument("tusk::Engine::set_state needs a store");
  std::lock_guard lock(mutex_);
  state_ = std::move(store);
}

std::shared_ptr<StateStore> Engine::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

CompileResult Engine::reload(const std::string& path, const CompileOptions& options) {
  // Compile outside the lock: scanning continues on the old pack meanwhile.
  CompileResult result = Pack::compile(path, options);
  if (result.pack) swap(result.pack);
  return result;
}

// NOLINTNEXTLINE(bugprone-exception-escape): replaces the active pack, not the swap idiom; throws on null
void Engine::swap(std::shared_ptr<const Pack> pack) {
  if (!pack) throw std::invalid_argument("tusk::Engine::swap needs a pack");
  std::shared_ptr<const Pack> old;
  {
    std::lock_guard lock(mutex_);
    old = std::move(pack_);
    pack_ = std::move(pack);
    generation_.fetch_add(1, std::memory_order_release);
  }
  // `old` is released here, outside the lock; scanners still using it keep it alive.
}

std::shared_ptr<const Pack> Engine::pack() const {
  std::lock_guard lock(mutex_);
  return pack_;
}

EngineScanner::EngineScanner(const Engine& engine) : engine_(engine) {}

Scanner& EngineScanner::scanner() {
  if (!scanner_ || engine_.generation() != generation_) {
    std::shared_ptr<const Pack> pack;
    std::shared_ptr<StateStore> state;
    {
      std::lock_guard lock(engine_.mutex_);
      pack = engine_.pack_;
      state = engine_.state_;
      generation_ = engine_.generation_.load(std::memory_order_relaxed);
    }
    if (!scanner_ || &scanner_->pack() != pack.get()) {
      scanner_ = std::make_unique<Scanner>(std::move(pack));
      scanner_->set_state(std::move(state));
    }
  }
  return *scanner_;
}

Verdict EngineScanner::scan(std::string_view json) { return scanner().scan(json); }
void EngineScanner::scan(std::string_view json, Verdict& out) { scanner().scan(json, out); }

}  // namespace tusk
