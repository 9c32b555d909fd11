// RocksDB under the embedded store: a write batch per apply() into the write-ahead log.
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "accounts/kv_engine.h"
#include "tusk/state.h"

namespace tusk::accounts {
namespace {

void check(const rocksdb::Status& s, const char* what) {
  if (!s.ok()) throw StateError(std::string("account state (rocksdb): ") + what + ": " + s.ToString());
}

class RocksKv final : public KvEngine {
 public:
  explicit RocksKv(const std::string& dir) {
    rocksdb::Options options;
    options.create_if_missing = true;
    // Point lookups of sellers dominate: a bloom filter per table and a block cache sized for a
    // working set of a few hundred thousand entities.
    rocksdb::BlockBasedTableOptions table;
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.block_cache = rocksdb::NewLRUCache(64 << 20);
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    options.IncreaseParallelism(2);
    // A small memtable stays in the CPU's cache: inserts into a 64 MiB skip list were most of
    // apply()'s time (bench/state_bench.cpp). Flushes are cheap; compaction runs beside.
    options.write_buffer_size = 1 << 20;
    rocksdb::DB* db = nullptr;
    check(rocksdb::DB::Open(options, dir, &db), "open");
    db_.reset(db);
  }

  std::vector<std::optional<std::string>> get(const std::vector<std::string>& keys) override {
    std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
    std::vector<std::string> values;
    const auto statuses = db_->MultiGet(rocksdb::ReadOptions(), slices, &values);
    std::vector<std::optional<std::string>> out(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (statuses[i].ok()) {
        out[i] = std::move(values[i]);
      } else if (!statuses[i].IsNotFound()) {
        check(statuses[i], "read");
      }
    }
    return out;
  }

  // The embedded store calls write() under its write lock, one call at a time: the batch's
  // buffer is reused (cleared, its capacity kept) instead of grown anew for every apply().
  void write(const std::vector<KvWrite>& batch, bool sync) override {
    wb_.Clear();
    for (const auto& w : batch) {
      const rocksdb::Slice k(w.key.data(), w.key.size());
      if (w.erase) {
        check(wb_.Delete(k), "delete");
      } else {
        check(wb_.Put(k, rocksdb::Slice(w.value.data(), w.value.size())), "write");
      }
    }
    rocksdb::WriteOptions wo;
    wo.sync = sync;
    check(db_->Write(wo, &wb_), "write");
  }

  std::vector<std::pair<std::string, std::string>> scan(const std::string& prefix, const std::string& from,
                                                        std::size_t limit) override {
    std::vector<std::pair<std::string, std::string>> out;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(from); it->Valid() && out.size() < limit && it->key().starts_with(prefix); it->Next()) {
      out.emplace_back(it->key().ToString(), it->value().ToString());
    }
    check(it->status(), "scan");
    return out;
  }

  void sync() override { check(db_->SyncWAL(), "sync"); }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteBatch wb_;
};

}  // namespace

std::unique_ptr<KvEngine> open_rocksdb_kv(const std::string& dir) { return std::make_unique<RocksKv>(dir); }

}  // namespace tusk::accounts
