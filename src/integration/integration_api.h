#pragma once

#include <cstddef>
#include <string>

#include "identity/guard.h"
#include "integration/kind.h"
#include "storage/db.h"
#include "web/views.h"

namespace portico::integration {

// The limits of one bulk call: more record lines, or a larger body, answer 413.
constexpr std::size_t kMaxBulkLines = 10'000;
constexpr std::size_t kMaxBulkBytes = 10 * 1024 * 1024;
// A bulk call commits after this many lines, so that other writers get their turn.
constexpr std::size_t kBulkBatch = 5'000;

// The integration API for every kind in `kinds`, authenticated by the organization's API key
// (Access::ApiKey, so Idempotency-Key applies):
//   POST /api/v1/integration/{kind}: upserts one record (a JSON object) by its external_id:
//     201 created or 200 updated, with the record's JSON; 400 naming the field at fault (and
//     nothing written); 404 for a kind that does not exist.
//   POST /api/v1/integration/{kind}/bulk (Content-Type: application/x-ndjson, else 415): one
//     record a line, each upserted or refused on its own — a bad line (not JSON, a fault of the
//     record) never stops the others: 200 {created, updated, failed, results: [{line, status:
//     "created"|"updated"|"error", id?, error?: {code, message, field?}}]}, messages in the
//     reader's language. Blank lines are skipped (and keep their number). More than
//     kMaxBulkLines record lines or kMaxBulkBytes of body: 413 saying the limit. Runs on the
//     worker pool, in one transaction that commits every kBulkBatch lines, with a savepoint per
//     line: the effect is that of committing each line on its own. Each record is audited (in
//     the database; one log line for the whole request).
void registerIntegrationRoutes(identity::GuardedRoutes& routes, const Kinds& kinds, storage::Db& db,
                               const web::Views& views);

}  // namespace portico::integration
