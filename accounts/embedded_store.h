// The embedded account-state store: one process, a local directory (or memory), one value per
// entity in an ordered key-value engine (kv_engine.h), written behind the store's own log
// (state_log.h). docs/accounts.md describes the layout, the write path, what a crash may lose
// and how expired state is purged.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "accounts/entity_codec.h"
#include "accounts/kv_engine.h"
#include "accounts/state_log.h"
#include "tusk/state.h"

namespace tusk::accounts {

// Unix seconds; the stores take it as an option so tests can move time.
using Clock = std::function<std::int64_t()>;
std::int64_t system_now();

struct EmbeddedOptions {
  // The engine of a new directory; a directory keeps the engine it was created with.
  KvKind engine = KvKind::kRocksDb;
  // kSyncEachApply: apply() returns once its batch is on disk (fsync): nothing that returned is
  // lost, even on power loss. kGroupCommit: apply() returns once its batch is written to the
  // operating system — a killed process loses nothing that returned — and a background thread
  // syncs every `sync_interval`, so a crash of the machine loses at most that much.
  enum class Durability { kSyncEachApply, kGroupCommit };
  Durability durability = Durability::kGroupCommit;
  std::chrono::milliseconds sync_interval{1000};
  // How often a background sweep rewrites entities with expired items and deletes entities with
  // nothing left (reads never return expired items in between). Zero: only sweep() does.
  std::chrono::milliseconds sweep_interval{std::chrono::minutes(10)};
  Clock now;  // default: the system clock
  // Entities kept decoded in memory (least recently used evicted). The directory belongs to one
  // process (a lock file says so), so the cache is never stale: read() of a cached entity costs
  // a hash lookup and apply() only writes. 0: every read goes to the engine.
  std::size_t cache_entities = 1'000'000;
  // Write path of a directory store with a cache (docs/accounts.md, "Write path"): apply()
  // appends its batch to the store's own log and changes the cached entities; the changed
  // entities go to the engine together once `save_entities` of them are changed, the log holds
  // `save_log_bytes`, or `save_interval` has passed. Until then they stay cached (never evicted).
  // Past four times either threshold, apply() saves before it returns.
  std::size_t save_entities = 262'144;
  std::uint64_t save_log_bytes = 64ULL << 20;
  std::chrono::milliseconds save_interval{10'000};
};

class EmbeddedStore final : public StateStore {
 public:
  // With a log (a directory store), apply() writes behind: see EmbeddedOptions::save_entities.
  // The log must have been replayed into `kv` and started.
  EmbeddedStore(std::unique_ptr<KvEngine> kv, std::string description, EmbeddedOptions options, int lock_fd,
                std::unique_ptr<StateLog> log = nullptr);
  ~EmbeddedStore() override;

  std::vector<EntityState> read(const std::vector<EntityKey>& keys) override;
  void apply(const std::vector<StateUpdate>& updates) override;
  void flush() override;
  std::vector<EntityKey> list(const std::string& space, const std::string& entity, const std::string& after,
                              std::size_t limit) override;
  bool forget(const EntityKey& key) override;
  std::string describe() const override { return description_; }

  // Purges every expired item now; returns the number of entities rewritten or deleted.
  std::size_t sweep();
  // Writes every changed entity to the engine and drops the log up to them (see save_entities).
  void save();
  KvKind engine() const { return engine_; }

 private:
  struct Cached {
    StoredEntity entity;     // empty: known to be absent
    std::uint64_t used = 0;  // tick_ when last used
    // 0: the engine has it. kDirty: changed since the last save began. Otherwise the save that
    // is writing it: the entity is the only current copy outside the log until saved_ reaches it,
    // so it is not evicted before.
    std::uint64_t pin = 0;
  };
  static constexpr std::uint64_t kDirty = ~std::uint64_t{0};
  using Entry = std::pair<const std::string, Cached>;
  // Looked up by string_view: a key encoded into a reused buffer is found without a copy.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct KeyEq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  };
  // Callers hold mu_.
  Cached* cached(std::string_view key);
  Entry* entry(std::string_view key);
  bool pinned(const Cached& c) const { return c.pin > saved_; }
  void check_usable() const;
  // Caches `entity`; with `trim_now`, evicts past the capacity (apply trims once at its end, so
  // that no entity it is changing is evicted under it). Eviction is sampled, as Redis does it:
  // of a few entries picked at random the least recently used goes. An exact LRU list costs a
  // pointer chase to two random neighbours on every hit, which on this workload's 100k+
  // entities is most of a read (bench/state_bench.cpp).
  void remember(const std::string& key, StoredEntity entity, bool trim_now = true);
  void trim();
  void forget_cached(std::string_view key);
  void background();
  void saver();

  std::unique_ptr<KvEngine> kv_;
  std::string description_;
  EmbeddedOptions options_;
  KvKind engine_;
  int lock_fd_;
  std::mutex write_mu_;  // apply, forget and sweep read-modify-write whole entities
  // apply()'s scratch, guarded by write_mu_: reused so that a batch allocates next to nothing.
  std::vector<std::string> keys_, values_;
  std::vector<KvWrite> batch_;
  std::mutex mu_;  // the cache
  std::unordered_map<std::string, Cached, KeyHash, KeyEq> cache_;
  std::uint64_t tick_ = 0;
  std::uint64_t seed_ = 0x9e3779b97f4a7c15;  // eviction sampling
  std::uint64_t generation_ = 0;             // bumped by every write, so a slow read never caches stale bytes
  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool stopping_ = false;
  bool dirty_since_sync_ = false;  // written since the last sync (group commit)
  std::thread bg_;

  // The write-behind path (null log_: every apply() writes its batch to the engine).
  std::unique_ptr<StateLog> log_;
  std::mutex save_mu_;                    // one save at a time; taken before write_mu_
  std::vector<Entry*> dirty_;             // cached entities with pin == kDirty; under write_mu_ and mu_
  std::uint64_t epoch_ = 0;               // the last save begun; under mu_
  std::uint64_t saved_ = 0;               // the last save the engine holds durably; under mu_
  bool failed_ = false;                   // a log write failed: the cache is ahead of what was acknowledged
  std::vector<std::string> save_values_;  // save()'s scratch, under save_mu_
  std::mutex save_wake_mu_;
  std::condition_variable save_cv_;
  bool save_wanted_ = false;
  bool stopping_saver_ = false;
  std::thread saver_;
};

// Opens (creating) a state directory. Throws StateError: not a state directory, in use by
// another process, the engine cannot open it.
std::shared_ptr<EmbeddedStore> open_embedded(const std::string& dir, EmbeddedOptions options = {});
// State that lives as long as the process ("memory"); the same code as the directory store.
std::shared_ptr<EmbeddedStore> make_memory_store(EmbeddedOptions options = {});

}  // namespace tusk::accounts
