// The SQL connection under the verdict store: one interface, a SQLite and a PostgreSQL
// implementation. Statements use `?` placeholders (rewritten to $n for PostgreSQL); values go in
// and come out as strings, blobs as their bytes. Every failure throws StoreError.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace tusk::store::internal {

struct Param {
  std::string value;
  bool blob = false;
  bool null = false;
};
inline Param text(std::string v) { return {std::move(v), false, false}; }
inline Param blob(std::string v) { return {std::move(v), true, false}; }
inline Param null_param() { return {"", false, true}; }

using Row = std::vector<std::optional<std::string>>;

class Db {
 public:
  virtual ~Db() = default;
  virtual std::string backend() const = 0;        // "sqlite" or "postgresql"
  virtual void exec(const std::string& sql) = 0;  // one or more statements, no parameters
  virtual std::vector<Row> query(const std::string& sql, const std::vector<Param>& params = {}) = 0;
  // A write transaction that excludes every other writer of the same store (the hash chain
  // needs one writer at a time): SQLite's BEGIN IMMEDIATE, a PostgreSQL advisory lock.
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // Dialect: the blob column type, and an expression giving a blob column as hex text.
  virtual std::string blob_type() const = 0;
  virtual std::string real_type() const = 0;
  virtual std::string hex(const std::string& column) const = 0;
  // A condition that holds when `column` contains the next parameter as a substring, byte for
  // byte (LIKE would fold ASCII case in SQLite and needs escaping).
  virtual std::string contains(const std::string& column) const = 0;
};

std::unique_ptr<Db> open_sqlite(const std::string& path);
std::unique_ptr<Db> open_postgres(const std::string& conninfo);

}  // namespace tusk::store::internal
