#include "modules/service_jobs/service_job_integration.h"

#include <nlohmann/json.hpp>

#include "access/access_api.h"
#include "core/text.h"
#include "directory/directory_fields.h"
#include "modules/service_jobs/service_job_json.h"

namespace portico::service_jobs {
namespace {

using core::Error;
using core::fail;
using integration::Caller;
using nlohmann::json;

constexpr std::size_t kMaxExternalId = 200;

core::Result<std::int64_t> timeField(const json& record, const char* key) {
  std::optional<std::int64_t> at;
  if (record.contains(key) && record[key].is_string()) {
    at = core::parseRfc3339(record[key].get<std::string>());
  }
  if (!at) return fail(Error::invalid("errors.integration.bad_time", key).with("field", key));
  return *at;
}

core::Result<std::optional<std::string>> optionalText(const json& record, const char* key,
                                                      std::size_t max, bool multiline = false) {
  if (!record.contains(key) || record[key].is_null()) return std::optional<std::string>{};
  auto v = directory::textField(record, key, false, max, "", multiline);
  if (!v) return fail(v.error());
  return std::optional<std::string>{std::move(*v)};
}

core::Result<std::vector<Part>> readParts(const json& list) {
  if (!list.is_array()) {
    return fail(Error::invalid("errors.integration.not_array", "parts").with("field", "parts"));
  }
  if (list.size() > kMaxParts) {
    return fail(Error::invalid("errors.integration.too_many", "parts")
                    .with("max", std::to_string(kMaxParts)));
  }
  std::vector<Part> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto at = "parts[" + std::to_string(i) + "]";
    if (!list[i].is_object()) return fail(Error::invalid("errors.integration.not_object", at));
    auto description = directory::textField(list[i], "description", true, kMaxTitle);
    if (!description) {
      auto e = description.error();
      e.field = at + ".description";
      return fail(e);
    }
    auto quantity = directory::textField(list[i], "quantity", false, 50, "1");
    if (!quantity) {
      auto e = quantity.error();
      e.field = at + ".quantity";
      return fail(e);
    }
    out.push_back({std::move(*description), std::move(*quantity)});
  }
  return out;
}

std::string auditDetail(const Job& j) {
  return json{
      {"external_id", j.external_id}, {"number", j.number}, {"status", statusName(j.status)}}
      .dump();
}

}  // namespace

core::Result<Upsert> readJob(const json& record) {
  Upsert u;
  for (auto [key, target, max] :
       {std::tuple{"external_id", &u.external_id, kMaxExternalId},
        std::tuple{"company_external_id", &u.company_external_id, kMaxExternalId},
        std::tuple{"number", &u.number, std::size_t{100}}, std::tuple{"title", &u.title, kMaxTitle},
        std::tuple{"site_external_id", &u.site_external_id, kMaxExternalId}}) {
    auto v = directory::textField(record, key, true, max);
    if (!v) return fail(v.error());
    *target = std::move(*v);
  }
  auto description = directory::textField(record, "description", false, kMaxText, "", true);
  if (!description) return fail(description.error());
  u.description = std::move(*description);
  auto start = timeField(record, "window_start");
  if (!start) return fail(start.error());
  auto end = timeField(record, "window_end");
  if (!end) return fail(end.error());
  u.window_start = *start;
  u.window_end = *end;
  if (record.contains("status") && !record["status"].is_null()) {
    if (record["status"].is_string()) u.status = parseStatus(record["status"].get<std::string>());
    if (!u.status) return fail(Error::invalid("errors.service_jobs.bad_status", "status"));
  }
  auto personnel = optionalText(record, "personnel_email", 254);
  if (!personnel) return fail(personnel.error());
  if (*personnel) {
    **personnel = core::asciiLower(**personnel);
    if (!(*personnel)->empty() && !core::looksLikeEmail(**personnel)) {
      return fail(Error::invalid("errors.directory.bad_email", "personnel_email"));
    }
  }
  u.personnel_email = std::move(*personnel);
  auto case_number = optionalText(record, "case_number", 40);
  if (!case_number) return fail(case_number.error());
  u.case_number = std::move(*case_number);
  if (record.contains("device_external_ids") && !record["device_external_ids"].is_null()) {
    const auto& list = record["device_external_ids"];
    if (!list.is_array()) {
      return fail(Error::invalid("errors.integration.not_array", "device_external_ids")
                      .with("field", "device_external_ids"));
    }
    if (list.size() > kMaxDevices) {
      return fail(Error::invalid("errors.integration.too_many", "device_external_ids")
                      .with("max", std::to_string(kMaxDevices)));
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string() || list[i].get<std::string>().empty() ||
          list[i].get<std::string>().size() > kMaxExternalId) {
        return fail(Error::invalid("errors.service_jobs.unknown_device",
                                   "device_external_ids[" + std::to_string(i) + "]"));
      }
      u.device_external_ids.push_back(list[i].get<std::string>());
    }
  }
  auto notes = optionalText(record, "notes", kMaxText, true);
  if (!notes) return fail(notes.error());
  u.notes = std::move(*notes);
  if (record.contains("minutes_spent") && !record["minutes_spent"].is_null()) {
    const auto& m = record["minutes_spent"];
    if (!m.is_number_integer() || m.get<std::int64_t>() < 0 || m.get<std::int64_t>() > 100000) {
      return fail(Error::invalid("errors.service_jobs.bad_minutes", "minutes_spent"));
    }
    u.minutes_spent = m.get<std::int64_t>();
  }
  if (record.contains("parts") && !record["parts"].is_null()) {
    auto parts = readParts(record["parts"]);
    if (!parts) return fail(parts.error());
    u.parts = std::move(*parts);
  }
  return u;
}

void registerServiceJobKind(integration::Kinds& kinds, ServiceJobService& service,
                            access::AccessRepository& companies, audit::AuditLog& audit) {
  kinds.add(std::make_unique<integration::KindOf<Upsert>>(
      "jobs", readJob,
      [&service, &companies, &audit](const Caller& caller, const Upsert& u,
                                     std::string* answer) -> core::Result<integration::Upserted> {
        auto company = access::recordCompany(companies, caller.org, u.company_external_id);
        if (!company) return fail(company.error());
        auto done = service.upsert(*company, u);
        if (!done) return fail(done.error());
        const auto& j = done->job;
        audit.record(caller.actor, {done->created ? "job.created" : "job.updated", std::nullopt,
                                    caller.org, company->id, auditDetail(j)});
        if (answer) {
          auto out = jobToJson(j, true);
          out["company_external_id"] = u.company_external_id;
          *answer = out.dump();
        }
        return integration::Upserted{j.id.value, done->created};
      }));
}

}  // namespace portico::service_jobs
