#include "storage/migrator.h"

#include <algorithm>

namespace portico::storage::migrations {
std::span<const core::EmbeddedFile> embeddedFiles();
}

namespace portico::storage {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
constexpr std::string_view kApplied = "SELECT version FROM schema_migrations WHERE version = ?";
constexpr std::string_view kRecord =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, "
    "CAST(strftime('%s','now') AS INTEGER))";
constexpr std::string_view kMaxVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

int versionOf(std::string_view name) { return std::stoi(std::string(name.substr(0, 4))); }

}  // namespace

std::span<const core::EmbeddedFile> builtinMigrations() { return migrations::embeddedFiles(); }

std::vector<std::string> migrate(Db& db, std::span<const core::EmbeddedFile> files) {
  auto& conn = db.connection();
  conn.exec(kCreateTable);
  std::vector<core::EmbeddedFile> sorted(files.begin(), files.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::vector<std::string> applied;
  for (const auto& f : sorted) {
    int version = versionOf(f.name);
    Transaction tx(conn);
    {
      Query q(conn, kApplied);
      q.bind(version);
      if (q.next()) {
        continue;
      }
    }
    conn.exec(f.data);
    Query(conn, kRecord).bind(version, f.name).run();
    tx.commit();
    applied.emplace_back(f.name);
  }
  return applied;
}

int schemaVersion(Db& db) {
  auto& conn = db.connection();
  conn.exec(kCreateTable);
  Query q(conn, kMaxVersion);
  q.next();
  return static_cast<int>(q.getInt(0));
}

}  // namespace portico::storage
