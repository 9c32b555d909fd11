// The PostgreSQL backend (libpq): several Tusk instances may write one store; the hash chain is
// kept in order by a transaction-scoped advisory lock.
#include <fmt/format.h>
#include <libpq-fe.h>

#include "store/db.h"

namespace tusk::store::internal {
namespace {

// An arbitrary constant naming the chain's lock among the cluster's advisory locks.
constexpr const char* kChainLock = "SELECT pg_advisory_xact_lock(7347298011)";

class PostgresDb final : public Db {
 public:
  explicit PostgresDb(const std::string& conninfo) {
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      PQfinish(conn_);
      conn_ = nullptr;
      throw StoreError("cannot connect to the PostgreSQL store: " + msg);
    }
    exec("SET client_min_messages = warning; SET TIME ZONE 'UTC'");
  }
  ~PostgresDb() override { PQfinish(conn_); }

  std::string backend() const override { return "postgresql"; }

  void exec(const std::string& sql) override {
    PGresult* r = PQexec(conn_, sql.c_str());
    check(r, sql);
    PQclear(r);
  }

  std::vector<Row> query(const std::string& sql, const std::vector<Param>& params) override {
    // `?` -> `$1`, `$2`, ... (the statements of the store have no `?` inside literals).
    std::string pg;
    int n = 0;
    for (char c : sql) {
      if (c == '?') {
        pg += fmt::format("${}", ++n);
      } else {
        pg += c;
      }
    }
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (const Param& p : params) {
      values.push_back(p.null ? nullptr : p.value.data());
      lengths.push_back(static_cast<int>(p.value.size()));
      formats.push_back(p.blob ? 1 : 0);
    }
    // Text parameters must be NUL-terminated for libpq: keep copies that are.
    std::vector<std::string> copies(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (!params[i].blob && !params[i].null) {
        copies[i] = params[i].value;
        values[i] = copies[i].c_str();
      }
    }
    PGresult* r = PQexecParams(conn_, pg.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                               lengths.data(), formats.data(), 0);
    check(r, pg);
    std::vector<Row> rows;
    const int nrows = PQntuples(r), ncols = PQnfields(r);
    for (int i = 0; i < nrows; ++i) {
      Row row;
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(r, i, c)) {
          row.emplace_back(std::nullopt);
        } else if (PQftype(r, c) == 17) {  // bytea, as hex text "\x..."
          std::size_t len = 0;
          unsigned char* bytes =
              PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r, i, c)), &len);
          row.emplace_back(std::string(reinterpret_cast<const char*>(bytes), len));
          PQfreemem(bytes);
        } else {
          row.emplace_back(std::string(PQgetvalue(r, i, c), PQgetlength(r, i, c)));
        }
      }
      rows.push_back(std::move(row));
    }
    PQclear(r);
    return rows;
  }

  void begin_write() override {
    exec("BEGIN");
    exec(kChainLock);
  }
  void commit() override { exec("COMMIT"); }
  void rollback() override { exec("ROLLBACK"); }
  std::string blob_type() const override { return "BYTEA"; }
  std::string real_type() const override { return "DOUBLE PRECISION"; }
  std::string hex(const std::string& column) const override { return "encode(" + column + ", 'hex')"; }
  std::string contains(const std::string& column) const override { return "strpos(" + column + ", ?) > 0"; }

 private:
  void check(PGresult* r, const std::string& sql) {
    const auto status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    std::string msg = PQresultErrorMessage(r);
    PQclear(r);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    throw StoreError(fmt::format("PostgreSQL: {} in: {}", msg, sql));
  }

  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<Db> open_postgres(const std::string& conninfo) {
  return std::make_unique<PostgresDb>(conninfo);
}

}  // namespace tusk::store::internal
