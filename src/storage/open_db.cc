#include "storage/db.h"
#include "storage/postgres/pg_db.h"
#include "storage/sqlite/sqlite_db.h"

namespace portico::storage {

DbCounters& dbCounters() {
  static DbCounters counters;
  return counters;
}

std::unique_ptr<Db> openDb(const std::string& location) {
  if (isPostgresUrl(location)) return std::make_unique<PgDb>(location);
  return std::make_unique<SqliteDb>(location);
}

}  // namespace portico::storage
