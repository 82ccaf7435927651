#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "storage/db.h"
#include "storage/per_thread.h"

namespace portico::storage {

class SqliteConnection;

// SQLite in WAL mode with synchronous=FULL, foreign keys on and a 5 s busy timeout. One connection
// per thread, each with its own statement cache.
class SqliteDb final : public Db {
 public:
  // Opens (creating if needed) the database file. Throws DbError if it cannot be opened or is not
  // a database.
  explicit SqliteDb(std::string path);
  ~SqliteDb() override;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Connection& connection() override;
  Dialect dialect() const override { return Dialect::Sqlite; }
  const std::string& path() const { return path_; }
  // A consistent copy of the database in the new file `to` (SQLite's online backup: the portal
  // may go on serving meanwhile). Throws DbError if `to` exists or cannot be written.
  void backupTo(const std::string& to);

 private:
  std::string path_;
  PerThreadConnections<SqliteConnection> connections_;
};

}  // namespace portico::storage
