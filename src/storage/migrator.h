#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/embedded.h"
#include "core/result.h"
#include "storage/db.h"

namespace portico::storage {

// The SQL files of migrations/, compiled in, in name order ("0001_identity.sql", …).
std::span<const core::EmbeddedFile> builtinMigrations();

// Applies, in order and each in its own transaction, the migrations not yet recorded in
// schema_migrations. Returns the names applied now. Throws DbError if one fails (the failing
// migration is rolled back; earlier ones stay).
std::vector<std::string> migrate(Db& db, std::span<const core::EmbeddedFile> migrations);

// The text of a migration for `dialect`. A migration is portable SQL (INTEGER, TEXT); where the
// two databases need different SQL (triggers), a line "-- dialect: sqlite" or
// "-- dialect: postgres" starts the statements of one of them and "-- dialect: all" ends them.
// On PostgreSQL the portable part's INTEGER is BIGINT, BLOB BYTEA, "id INTEGER PRIMARY KEY" an
// identity column.
std::string migrationFor(std::string_view sql, Dialect dialect);

// The highest version among `migrations`.
int latestVersion(std::span<const core::EmbeddedFile> migrations);

// The highest applied version, 0 for a fresh database.
int schemaVersion(Db& db);

}  // namespace portico::storage
