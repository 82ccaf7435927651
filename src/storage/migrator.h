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

// The highest applied version, 0 for a fresh database.
int schemaVersion(Db& db);

}  // namespace portico::storage
