#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "storage/db.h"
#include "storage/per_thread.h"

namespace portico::storage {

class PgConnection;

// PostgreSQL through libpq: one connection per thread, each statement prepared once per
// connection (with untyped parameters sent as text, so that the server takes each one's type from
// its place, as SQLite's affinity does). A write transaction holds the database's one write lock
// (a transaction-level advisory lock) so that writers take turns exactly as on SQLite: a use case
// commits whole or not at all and never meets a serialization failure. A lost connection fails
// the statement with Unavailable and is opened again on the next use.
class PgDb final : public Db {
 public:
  // `url`: postgresql://USER:PASSWORD@HOST:PORT/DB[?sslmode=…]. Connects once now: throws DbError
  // with the server's reason if the URL is bad or the server cannot be reached.
  explicit PgDb(std::string url);
  ~PgDb() override;
  PgDb(const PgDb&) = delete;
  PgDb& operator=(const PgDb&) = delete;

  Connection& connection() override;
  Dialect dialect() const override { return Dialect::Postgres; }
  // The URL without its password, for messages.
  std::string displayUrl() const;

 private:
  std::string url_;
  PerThreadConnections<PgConnection> connections_;
};

// True for the URLs PgDb takes (postgresql:// or postgres://).
bool isPostgresUrl(std::string_view location);

}  // namespace portico::storage
