// An ordered map as the engine: the "memory" store (state lives as long as the process). It
// runs the embedded store's own code, so memory and disk behave the same.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>

#include "accounts/kv_engine.h"
#include "tusk/state.h"

namespace tusk::accounts {
namespace {

class MemoryKv final : public KvEngine {
 public:
  std::vector<std::optional<std::string>> get(const std::vector<std::string>& keys) override {
    std::shared_lock lock(mu_);
    std::vector<std::optional<std::string>> out(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (auto it = index_.find(keys[i]); it != index_.end()) out[i] = it->second->second;
    }
    return out;
  }
  void write(const std::vector<KvWrite>& batch, bool) override {
    std::unique_lock lock(mu_);
    for (const auto& w : batch) {
      auto it = index_.find(w.key);
      if (w.erase) {
        if (it != index_.end()) {
          const auto node = it->second;
          index_.erase(it);
          map_.erase(node);
        }
      } else if (it != index_.end()) {
        it->second->second.assign(w.value);  // keeps the value's buffer: no allocation for a rewrite
      } else {
        const auto node = map_.emplace(std::string(w.key), std::string(w.value)).first;
        index_.emplace(node->first, node);
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> scan(const std::string& prefix, const std::string& from,
                                                        std::size_t limit) override {
    std::shared_lock lock(mu_);
    std::vector<std::pair<std::string, std::string>> out;
    for (auto it = map_.lower_bound(from); it != map_.end() && out.size() < limit; ++it) {
      if (it->first.compare(0, prefix.size(), prefix) != 0) break;
      out.emplace_back(it->first, it->second);
    }
    return out;
  }
  void sync() override {}

 private:
  std::shared_mutex mu_;
  using Map = std::map<std::string, std::string, std::less<>>;
  Map map_;  // ordered, for scan()
  // The same entries by key, for get() and write(): a point lookup in a tree of 100k keys is
  // some 17 dependent cache misses, a hash lookup two or three (bench/state_bench.cpp). The views
  // point at the map's keys, which a node keeps for its lifetime.
  std::unordered_map<std::string_view, Map::iterator> index_;
};

}  // namespace

std::unique_ptr<KvEngine> open_memory_kv() { return std::make_unique<MemoryKv>(); }

std::unique_ptr<KvEngine> open_rocksdb_kv(const std::string& dir);
std::unique_ptr<KvEngine> open_lmdb_kv(const std::string& dir);
std::unique_ptr<KvEngine> open_sqlite_kv(const std::string& dir);

const char* kv_kind_name(KvKind kind) {
  switch (kind) {
    case KvKind::kRocksDb:
      return "rocksdb";
    case KvKind::kLmdb:
      return "lmdb";
    case KvKind::kSqlite:
      return "sqlite";
    case KvKind::kMemory:
      return "memory";
  }
  return "?";
}

std::optional<KvKind> kv_kind_from_name(const std::string& name) {
  for (auto k : {KvKind::kRocksDb, KvKind::kLmdb, KvKind::kSqlite, KvKind::kMemory}) {
    if (name == kv_kind_name(k)) return k;
  }
  return std::nullopt;
}

std::unique_ptr<KvEngine> open_kv(KvKind kind, const std::string& dir) {
  switch (kind) {
    case KvKind::kRocksDb:
      return open_rocksdb_kv(dir);
    case KvKind::kLmdb:
      return open_lmdb_kv(dir);
    case KvKind::kSqlite:
      return open_sqlite_kv(dir);
    case KvKind::kMemory:
      return open_memory_kv();
  }
  throw StateError("account state: unknown engine");
}

}  // namespace tusk::accounts
