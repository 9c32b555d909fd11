// LMDB under the embedded store: one write transaction per apply(), written without fsync
// (MDB_NOSYNC) unless asked; sync() is mdb_env_sync.
#include <lmdb.h>

#include "accounts/kv_engine.h"
#include "tusk/state.h"

namespace tusk::accounts {
namespace {

void check(int rc, const char* what) {
  if (rc != MDB_SUCCESS) {
    throw StateError(std::string("account state (lmdb): ") + what + ": " + mdb_strerror(rc));
  }
}

// The map is reserved address space, not disk: the file grows with the data. 16 GiB holds tens
// of millions of entities; MDB_MAP_FULL past it is reported, not hidden.
constexpr std::size_t kMapSize = std::size_t{16} << 30;

struct Txn {
  MDB_txn* txn = nullptr;
  Txn(MDB_env* env, unsigned flags) { check(mdb_txn_begin(env, nullptr, flags, &txn), "begin"); }
  ~Txn() {
    if (txn) mdb_txn_abort(txn);
  }
  void commit() {
    const int rc = mdb_txn_commit(txn);
    txn = nullptr;
    check(rc, "commit");
  }
};

MDB_val val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
std::string str(const MDB_val& v) { return std::string(static_cast<const char*>(v.mv_data), v.mv_size); }

class LmdbKv final : public KvEngine {
 public:
  explicit LmdbKv(const std::string& dir) {
    check(mdb_env_create(&env_), "create");
    check(mdb_env_set_mapsize(env_, kMapSize), "map size");
    check(mdb_env_set_maxreaders(env_, 512), "readers");
    // MDB_NOTLS: a read transaction is not tied to a thread's slot, so many threads may read.
    const int rc = mdb_env_open(env_, dir.c_str(), MDB_WRITEMAP | MDB_NOSYNC | MDB_NOTLS, 0644);
    if (rc != MDB_SUCCESS) {
      mdb_env_close(env_);
      check(rc, "open");
    }
    Txn t(env_, 0);
    check(mdb_dbi_open(t.txn, nullptr, 0, &dbi_), "open database");
    t.commit();
  }
  ~LmdbKv() override { mdb_env_close(env_); }

  std::vector<std::optional<std::string>> get(const std::vector<std::string>& keys) override {
    std::vector<std::optional<std::string>> out(keys.size());
    Txn t(env_, MDB_RDONLY);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      MDB_val k = val(keys[i]), v;
      const int rc = mdb_get(t.txn, dbi_, &k, &v);
      if (rc == MDB_SUCCESS) {
        out[i] = str(v);
      } else if (rc != MDB_NOTFOUND) {
        check(rc, "read");
      }
    }
    return out;
  }

  void write(const std::vector<KvWrite>& batch, bool sync) override {
    Txn t(env_, 0);
    for (const auto& w : batch) {
      MDB_val k = val(w.key);
      if (!w.erase) {
        MDB_val v = val(w.value);
        check(mdb_put(t.txn, dbi_, &k, &v, 0), "write");
      } else {
        const int rc = mdb_del(t.txn, dbi_, &k, nullptr);
        if (rc != MDB_NOTFOUND) check(rc, "delete");
      }
    }
    t.commit();
    if (sync) this->sync();
  }

  std::vector<std::pair<std::string, std::string>> scan(const std::string& prefix, const std::string& from,
                                                        std::size_t limit) override {
    std::vector<std::pair<std::string, std::string>> out;
    Txn t(env_, MDB_RDONLY);
    MDB_cursor* cur = nullptr;
    check(mdb_cursor_open(t.txn, dbi_, &cur), "cursor");
    MDB_val k = val(from), v;
    // LMDB refuses an empty key, even to seek: start at the first entry instead.
    int rc = mdb_cursor_get(cur, &k, &v, from.empty() ? MDB_FIRST : MDB_SET_RANGE);
    while (rc == MDB_SUCCESS && out.size() < limit) {
      std::string key = str(k);
      if (key.compare(0, prefix.size(), prefix) != 0) break;
      out.emplace_back(std::move(key), str(v));
      rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) check(rc, "scan");
    return out;
  }

  void sync() override { check(mdb_env_sync(env_, 1), "sync"); }

 private:
  MDB_env* env_ = nullptr;
  MDB_dbi dbi_{};
};

}  // namespace

std::unique_ptr<KvEngine> open_lmdb_kv(const std::string& dir) { return std::make_unique<LmdbKv>(dir); }

}  // namespace tusk::accounts
