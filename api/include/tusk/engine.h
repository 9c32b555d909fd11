// Hot reload: an Engine holds the current pack and swaps in a new one atomically. Evaluations
// in flight finish on the pack they started with; the next ones use the new pack; every verdict
// names the digest of the pack that decided it (Verdict::pack.digest).
//
// The Engine is thread-safe. Scan through an EngineScanner, one per thread: it keeps a Scanner
// for the current pack and replaces it when the engine has swapped packs since its last scan.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "tusk/pack.h"
#include "tusk/scanner.h"
#include "tusk/state.h"
#include "tusk/verdict.h"

namespace tusk {

class Engine {
 public:
  explicit Engine(std::shared_ptr<const Pack> pack);

  // Compiles `path` and, when it compiles, swaps it in. On errors the current pack stays and
  // the diagnostics say why; either way they come back as data.
  CompileResult reload(const std::string& path, const CompileOptions& options = {});
  // Swaps in an already compiled pack (not null).
  void swap(std::shared_ptr<const Pack> pack);  // NOLINT(bugprone-exception-escape): not the swap idiom

  std::shared_ptr<const Pack> pack() const;

  // The account state (docs/accounts.md) every EngineScanner reads and updates, across pack
  // swaps: a reloaded pack with the same name keeps its memory. An in-memory store unless set;
  // set it before scanning.
  void set_state(std::shared_ptr<StateStore> store);
  std::shared_ptr<StateStore> state() const;

  // Bumped by every swap: a cheap way for workers to notice a new pack.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  friend class EngineScanner;
  mutable std::mutex mutex_;
  std::shared_ptr<const Pack> pack_;   // guarded by mutex_
  std::shared_ptr<StateStore> state_;  // guarded by mutex_
  std::atomic<std::uint64_t> generation_{1};
};

// Per-thread: not thread-safe itself, and must not outlive its Engine.
class EngineScanner {
 public:
  explicit EngineScanner(const Engine& engine);

  Verdict scan(std::string_view json);
  void scan(std::string_view json, Verdict& out);
  // The scanner of the current pack, for batch or field-by-field scanning; valid until the
  // next call of scanner() or scan() (a reload may replace it then).
  Scanner& scanner();

 private:
  const Engine& engine_;
  std::uint64_t generation_ = 0;
  std::unique_ptr<Scanner> scanner_;
};

}  // namespace tusk
