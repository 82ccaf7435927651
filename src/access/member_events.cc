#include "access/member_events.h"

#include <nlohmann/json.hpp>

namespace portico::access {

void recordMemberEvent(events::EventLog* log, const std::string& type, core::OrgId org,
                       core::CompanyId company, const std::string& subject_type,
                       std::int64_t subject_id, const std::string& email,
                       const std::optional<EventRights>& rights, const std::string& extra) {
  if (!log) return;
  auto data = nlohmann::json::parse(extra, nullptr, false);
  if (!data.is_object()) data = nlohmann::json::object();
  if (subject_type == "user") data["user_id"] = subject_id;
  data["email"] = email;
  data["company_id"] = company.value;
  if (rights) {
    nlohmann::json permissions = nlohmann::json::array();
    for (auto p : rights->permissions.list()) permissions.push_back(std::string(permissionName(p)));
    data["role"] = rights->role;
    data["permissions"] = permissions;
    data["sites"] = rights->all_sites ? nlohmann::json("all") : nlohmann::json(rights->sites);
  }
  log->record({org, type, company, subject_type, subject_id, data.dump()});
}

}  // namespace portico::access
