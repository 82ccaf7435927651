#include "integration/integration_api.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "audit/quiet_log.h"
#include "core/text.h"
#include "http/error_response.h"
#include "integration/ndjson.h"

namespace portico::integration {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Context;

Caller callerOf(const Context& c) {
  return {*c.integration_org, {std::nullopt, c.origin.ip, c.origin.request_id}};
}

core::Result<Kind*> kindOf(const Kinds& kinds, const Request& r) {
  Kind* kind = kinds.find(r.param("kind"));
  if (!kind) {
    return core::fail(
        core::Error::notFound("errors.integration.no_such_kind").with("kind", r.param("kind")));
  }
  return kind;
}

// Upserts the record on one line under its own savepoint: a refused record leaves nothing.
core::Result<Upserted> upsertLine(storage::Connection& conn, Kind& kind, const Caller& caller,
                                  std::string_view text) {
  auto record = identity::parseJsonObject(text);
  if (!record) return core::fail(record.error());
  storage::Savepoint savepoint(conn);
  try {
    auto done = kind.upsert(caller, *record, nullptr);
    if (done) savepoint.release();
    return done;
  } catch (const storage::ConstraintError&) {
    return core::fail(core::Error::conflict("errors.integration.record_conflict"));
  }
}

void appendResult(std::string& out, std::size_t line, const core::Result<Upserted>& r,
                  const web::Views& views, const std::string& lang) {
  out += R"({"line":)";
  out += std::to_string(line);
  if (r) {
    out += r->created ? R"(,"status":"created","id":)" : R"(,"status":"updated","id":)";
    out += std::to_string(r->id);
    out += '}';
    return;
  }
  const auto& e = r.error();
  out += R"(,"status":"error","error":{"code":")";
  out += core::errorCodeName(e.code);
  out += R"(","message":")";
  core::appendJsonEscaped(out, views.message(lang, e));
  out += '"';
  if (!e.field.empty()) {
    out += R"(,"field":")";
    core::appendJsonEscaped(out, e.field);
    out += '"';
  }
  out += "}}";
}

}  // namespace

void registerIntegrationRoutes(identity::GuardedRoutes& routes, const Kinds& kinds, storage::Db& db,
                               const web::Views& views) {
  routes.api("POST", "/api/v1/integration/{kind}", Access::ApiKey,
             [&kinds, &db](Request& r, Context& c) {
               auto kind = kindOf(kinds, r);
               if (!kind) return http::jsonError(kind.error());
               auto record = identity::parseJsonObject(r.body);
               if (!record) return http::jsonError(record.error());
               std::string answer;
               storage::Transaction tx(db.connection());
               auto done = (*kind)->upsert(callerOf(c), *record, &answer);
               if (!done) return http::jsonError(done.error());
               tx.commit();
               return Response::json(done->created ? 201 : 200, std::move(answer));
             });

  routes.api(
      "POST", "/api/v1/integration/{kind}/bulk", Access::ApiKey,
      [&kinds, &db, &views](Request& r, Context& c) {
        auto kind = kindOf(kinds, r);
        if (!kind) return http::jsonError(kind.error());
        if (!isNdjsonContentType(r.header("content-type"))) {
          return http::jsonError(
              core::Error::unsupportedMediaType("errors.integration.bulk_needs_ndjson"));
        }
        auto lines = splitNdjson(r.body, kMaxBulkLines);
        if (!lines) {
          return http::jsonError(core::Error::payloadTooLarge("errors.integration.too_many_lines")
                                     .with("max", std::to_string(kMaxBulkLines)));
        }
        auto caller = callerOf(c);
        std::size_t created = 0, updated = 0, failed = 0;
        std::string results;
        results.reserve(lines->size() * 48);
        auto& conn = db.connection();
        audit::QuietLog quiet;  // an audit entry a record, and one log line for them all
        storage::Transaction tx(conn);
        for (std::size_t i = 0; i < lines->size(); ++i) {
          if (i > 0 && i % kBulkBatch == 0) tx.commitAndContinue();
          const auto& line = (*lines)[i];
          auto done = upsertLine(conn, **kind, caller, line.text);
          if (!done) {
            ++failed;
          } else if (done->created) {
            ++created;
          } else {
            ++updated;
          }
          if (i > 0) results += ',';
          appendResult(results, line.number, done, views, c.lang);
        }
        tx.commit();
        spdlog::info(
            R"({{"integration_bulk":"{}","org":{},"created":{},"updated":{},"failed":{},"rid":"{}"}})",
            (*kind)->name(), caller.org.value, created, updated, failed, c.origin.request_id);
        std::string out = R"({"created":)" + std::to_string(created) + R"(,"updated":)" +
                          std::to_string(updated) + R"(,"failed":)" + std::to_string(failed) +
                          R"(,"results":[)";
        out += results;
        out += "]}";
        return Response::json(200, std::move(out));
      },
      http::Execution::Worker, kMaxBulkBytes);
}

}  // namespace portico::integration
