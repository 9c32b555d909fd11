// The SQLite backend: one file, WAL journal, a busy timeout so concurrent writers wait.
#include <fmt/format.h>
#include <sqlite3.h>

#include "store/db.h"

namespace tusk::store::internal {
namespace {

class SqliteDb final : public Db {
 public:
  explicit SqliteDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError(fmt::format("cannot open the SQLite store {}: {}", path, msg));
    }
    sqlite3_busy_timeout(db_, 30000);
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  }
  ~SqliteDb() override { sqlite3_close(db_); }

  std::string backend() const override { return "sqlite"; }

  void exec(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw StoreError("SQLite: " + msg);
    }
  }

  std::vector<Row> query(const std::string& sql, const std::vector<Param>& params) override {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK) {
      throw StoreError(fmt::format("SQLite: {} in: {}", sqlite3_errmsg(db_), sql));
    }
    struct Finalize {
      sqlite3_stmt* st;
      ~Finalize() { sqlite3_finalize(st); }
    } finalize{st};
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Param& p = params[i];
      const int idx = static_cast<int>(i + 1);
      int rc;
      if (p.null) {
        rc = sqlite3_bind_null(st, idx);
      } else if (p.blob) {
        rc = sqlite3_bind_blob64(st, idx, p.value.data(), p.value.size(), SQLITE_TRANSIENT);
      } else {
        rc = sqlite3_bind_text64(st, idx, p.value.data(), p.value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) throw StoreError(std::string("SQLite: ") + sqlite3_errmsg(db_));
    }
    std::vector<Row> rows;
    for (;;) {
      const int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) throw StoreError(fmt::format("SQLite: {} in: {}", sqlite3_errmsg(db_), sql));
      Row row;
      const int n = sqlite3_column_count(st);
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else if (sqlite3_column_type(st, c) == SQLITE_BLOB) {
          const void* data = sqlite3_column_blob(st, c);
          row.emplace_back(std::string(static_cast<const char*>(data), sqlite3_column_bytes(st, c)));
        } else {
          const unsigned char* t = sqlite3_column_text(st, c);
          row.emplace_back(std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(st, c)));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void begin_write() override { exec("BEGIN IMMEDIATE"); }
  void commit() override { exec("COMMIT"); }
  void rollback() override { exec("ROLLBACK"); }
  std::string blob_type() const override { return "BLOB"; }
  std::string real_type() const override { return "REAL"; }
  std::string hex(const std::string& column) const override { return "hex(" + column + ")"; }
  std::string contains(const std::string& column) const override { return "instr(" + column + ", ?) > 0"; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Db> open_sqlite(const std::string& path) { return std::make_unique<SqliteDb>(path); }

}  // namespace tusk::store::internal
