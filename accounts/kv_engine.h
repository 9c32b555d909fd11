// The ordered key-value file under the embedded store. The embedded store keeps one value per
// entity (StoredEntity::encode) under its encoded key, so all it needs of a library is: read
// many keys, write a batch atomically, scan in key order, and sync. Three libraries implement
// it so that bench/state_bench.cpp can compare them on the same workload (docs/accounts.md
// says which one is the default and why); tests run the store's contract on each.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tusk::accounts {

enum class KvKind { kRocksDb, kLmdb, kSqlite, kMemory };
const char* kv_kind_name(KvKind kind);  // "rocksdb", "lmdb", "sqlite", "memory"
std::optional<KvKind> kv_kind_from_name(const std::string& name);

// One change of a write batch: a put of `value`, or with `erase` a delete. Views: the caller
// keeps the bytes alive for the call (the embedded store writes from its cache and reused
// buffers, so a batch copies nothing before the engine).
struct KvWrite {
  std::string_view key;
  std::string_view value;
  bool erase = false;
};

class KvEngine {
 public:
  virtual ~KvEngine() = default;
  // One value per key, nullopt when absent.
  virtual std::vector<std::optional<std::string>> get(const std::vector<std::string>& keys) = 0;
  // Puts (a value) and deletes (nullopt), atomically. With `sync`, durable against power loss
  // when it returns; without, written to the operating system (a killed process loses nothing,
  // a crash of the machine may lose it until the next sync()).
  virtual void write(const std::vector<KvWrite>& batch, bool sync) = 0;
  // Up to `limit` entries with keys >= `from` that start with `prefix`, in key order.
  virtual std::vector<std::pair<std::string, std::string>> scan(const std::string& prefix,
                                                                const std::string& from,
                                                                std::size_t limit) = 0;
  // Makes every write so far durable against power loss.
  virtual void sync() = 0;
};

// Opens (creating) the engine's files in `dir`. Throws StateError.
std::unique_ptr<KvEngine> open_kv(KvKind kind, const std::string& dir);

}  // namespace tusk::accounts
