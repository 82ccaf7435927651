#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/permissions.h"
#include "core/ids.h"

namespace portico::access {

// One company of an invitation: a role preset, or "custom" with chosen permissions, and a site
// scope (empty: all sites).
struct InvitedCompany {
  core::CompanyId company_id;
  std::string company_name;
  std::string role;
  PermissionSet permissions;
  std::vector<std::int64_t> sites;
  // Once accepted: accepting gave this membership. False where the person was a member already
  // or the inviter could no longer grant it (nothing was given), and while pending.
  bool granted = false;
};

struct Invitation {
  std::int64_t id = 0;
  core::OrgId org_id;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string language = "en";
  std::optional<std::int64_t> invited_by;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> accepted_at;
  std::optional<std::int64_t> revoked_at;
  bool by_staff = false;  // made by staff: listed on the organization side
  std::optional<std::int64_t> accepted_by;
  std::vector<InvitedCompany> companies;
  // An invitation into an agent (staff-made, no companies): accepting makes the login act for it.
  std::optional<std::int64_t> agent_id;
  std::string agent_name;
};

}  // namespace portico::access
