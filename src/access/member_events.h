#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/company.h"
#include "events/event_log.h"

namespace portico::access {

// The rights of a membership as an event tells an ERP: role, permissions, sites ("all" or ids).
struct EventRights {
  std::string role;
  PermissionSet permissions;
  bool all_sites = true;
  std::vector<std::int64_t> sites;
};

// Records a user.* event about `company` in the caller's transaction (nothing if `log` is null):
// its subject is the user (or, for user.invited, the invitation), its data the user's e-mail,
// the company and, where given, the rights. `extra` (a JSON object) adds fields.
void recordMemberEvent(events::EventLog* log, const std::string& type, core::OrgId org,
                       core::CompanyId company, const std::string& subject_type,
                       std::int64_t subject_id, const std::string& email,
                       const std::optional<EventRights>& rights, const std::string& extra = "{}");

}  // namespace portico::access
