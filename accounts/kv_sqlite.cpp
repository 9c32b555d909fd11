// SQLite under the embedded store: one table of (key, value) blobs in WAL mode, one
// transaction per apply(); synchronous=FULL for a synced write, NORMAL otherwise (the WAL is
// written, and synced at the next checkpoint or sync()).
#include <sqlite3.h>

#include <mutex>

#include "accounts/kv_engine.h"
#include "tusk/state.h"

namespace tusk::accounts {
namespace {

class SqliteKv final : public KvEngine {
 public:
  explicit SqliteKv(const std::string& dir) {
    if (sqlite3_open_v2((dir + "/state.sqlite").c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw StateError("account state (sqlite): open: " + why);
    }
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec("CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
    get_ = prepare("SELECT v FROM kv WHERE k = ?1");
    put_ = prepare("INSERT OR REPLACE INTO kv (k, v) VALUES (?1, ?2)");
    del_ = prepare("DELETE FROM kv WHERE k = ?1");
    scan_ = prepare("SELECT k, v FROM kv WHERE k >= ?1 ORDER BY k LIMIT ?2");
  }
  ~SqliteKv() override {
    for (auto* s : {get_, put_, del_, scan_}) sqlite3_finalize(s);
    sqlite3_close(db_);
  }

  std::vector<std::optional<std::string>> get(const std::vector<std::string>& keys) override {
    std::lock_guard lock(mu_);
    std::vector<std::optional<std::string>> out(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      sqlite3_bind_blob(get_, 1, keys[i].data(), static_cast<int>(keys[i].size()), SQLITE_STATIC);
      const int rc = sqlite3_step(get_);
      if (rc == SQLITE_ROW) out[i] = column(get_, 0);
      sqlite3_reset(get_);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail("read");
    }
    return out;
  }

  void write(const std::vector<KvWrite>& batch, bool sync) override {
    std::lock_guard lock(mu_);
    if (sync != synced_) {
      exec(sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      synced_ = sync;
    }
    exec("BEGIN IMMEDIATE");
    try {
      for (const auto& w : batch) {
        sqlite3_stmt* s = w.erase ? del_ : put_;
        sqlite3_bind_blob(s, 1, w.key.data(), static_cast<int>(w.key.size()), SQLITE_STATIC);
        if (!w.erase) {
          sqlite3_bind_blob(s, 2, w.value.data(), static_cast<int>(w.value.size()), SQLITE_STATIC);
        }
        const int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) fail("write");
      }
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::vector<std::pair<std::string, std::string>> scan(const std::string& prefix, const std::string& from,
                                                        std::size_t limit) override {
    std::lock_guard lock(mu_);
    std::vector<std::pair<std::string, std::string>> out;
    sqlite3_bind_blob(scan_, 1, from.data(), static_cast<int>(from.size()), SQLITE_STATIC);
    sqlite3_bind_int64(scan_, 2, static_cast<sqlite3_int64>(limit));
    int rc;
    while ((rc = sqlite3_step(scan_)) == SQLITE_ROW) {
      auto key = column(scan_, 0);
      if (key.compare(0, prefix.size(), prefix) != 0) break;
      out.emplace_back(std::move(key), column(scan_, 1));
    }
    sqlite3_reset(scan_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail("scan");
    return out;
  }

  void sync() override {
    std::lock_guard lock(mu_);
    exec("PRAGMA wal_checkpoint(PASSIVE)");
  }

 private:
  [[noreturn]] void fail(const char* what) {
    throw StateError(std::string("account state (sqlite): ") + what + ": " + sqlite3_errmsg(db_));
  }
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) fail(sql);
    return s;
  }
  static std::string column(sqlite3_stmt* s, int i) {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(s, i));
    return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
  }

  std::mutex mu_;  // one connection: SQLite serializes it anyway
  sqlite3* db_ = nullptr;
  sqlite3_stmt *get_ = nullptr, *put_ = nullptr, *del_ = nullptr, *scan_ = nullptr;
  bool synced_ = false;
};

}  // namespace

std::unique_ptr<KvEngine> open_sqlite_kv(const std::string& dir) { return std::make_unique<SqliteKv>(dir); }

}  // namespace tusk::accounts
