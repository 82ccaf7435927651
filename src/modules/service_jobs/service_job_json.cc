#include "modules/service_jobs/service_job_json.h"

#include "core/text.h"

namespace portico::service_jobs {
namespace {

using json = nlohmann::ordered_json;

template <typename T>
json orNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

json jobToJson(const Job& j, bool detail) {
  json out = {
      {"id", j.id.value},
      {"company_id", j.company_id.value},
      {"company_name", j.company_name},
      {"site_id", orNull(j.site_id)},
      {"site_name", j.site_name},
      {"site_address", j.site_address},
      {"external_id", j.external_id},
      {"number", j.number},
      {"title", j.title},
      {"status", statusName(j.status)},
      {"window_start", core::rfc3339(j.window_start)},
      {"window_end", core::rfc3339(j.window_end)},
      {"personnel",
       j.personnel_id ? json{{"id", *j.personnel_id}, {"name", j.personnel_name}} : json(nullptr)},
      {"case_id", orNull(j.case_id)},
      {"revision", j.revision},
      {"updated_at", core::rfc3339(j.updated_at)}};
  if (detail) {
    json parts = json::array();
    for (const auto& p : j.parts) {
      parts.push_back({{"description", p.description}, {"quantity", p.quantity}});
    }
    out["description"] = j.description;
    out["device_ids"] = j.device_ids;
    out["notes"] = j.notes;
    out["minutes_spent"] = j.minutes_spent;
    out["parts"] = std::move(parts);
    out["signed_by"] = orNull(j.signed_by);
    out["signed_at"] = j.signed_at ? json(core::rfc3339(*j.signed_at)) : json(nullptr);
    out["created_at"] = core::rfc3339(j.created_at);
  }
  return out;
}

std::string pageToJson(const Page& page) {
  json items = json::array();
  for (const auto& j : page.items) items.push_back(jobToJson(j, false));
  return json{{"items", std::move(items)},
              {"next_cursor", page.next ? json(cursorText(*page.next)) : json(nullptr)}}
      .dump();
}

}  // namespace portico::service_jobs
