// An ordered map as the engine: the "memory" store (state lives as long as the process). It
// runs the embedded store's own code, so memory and disk behave the same.
#include <map>
#include <mutex>
#include <shared_mutex>

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
      if (auto it = map_.find(keys[i]); it != map_.end()) out[i] = it->second;
    }
    return out;
  }
  void write(const std::vector<KvWrite>& batch, bool) override {
    std::unique_lock lock(mu_);
    for (const auto& w : batch) {
      if (w.erase) {
        if (auto it = map_.find(w.key); it != map_.end()) map_.erase(it);
      } else if (auto it = map_.find(w.key); it != map_.end()) {
        it->second.assign(w.value);  // keeps the value's buffer: no allocation for a rewrite
      } else {
        map_.emplace(std::string(w.key), std::string(w.value));
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
  std::map<std::string, std::string, std::less<>> map_;
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
