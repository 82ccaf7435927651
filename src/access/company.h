#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/permissions.h"
#include "core/ids.h"

namespace portico::access {

struct Company {
  core::CompanyId id;
  core::OrgId org_id;
  std::optional<std::string> external_id;
  std::string name;
  std::string org_number;
  bool managed = true;  // false: independent, administered only by its own administrators
};

// What a caller may do in one company, and why: the membership's role and permissions and its
// site scope.
struct CompanyAccess {
  Company company;
  std::string role;  // a preset id, or "custom"
  PermissionSet permissions;
  bool all_sites = true;
  std::vector<std::int64_t> sites;  // when !all_sites

  bool can(Permission p) const { return permissions.has(p); }
};

// A member of a company, as its administrators see it.
struct Member {
  core::UserId user_id;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string role;
  PermissionSet permissions;
  bool all_sites = true;
  std::vector<std::int64_t> sites;
  std::optional<std::int64_t> last_login_at;
  bool has_second_factor = false;
  std::optional<std::string> invited_by;  // the inviter's e-mail
};

// A change of a membership's rights: a role preset, or chosen permissions, and/or the sites.
struct RightsChange {
  std::optional<std::string> role;
  std::optional<PermissionSet> permissions;
  std::optional<bool> all_sites;
  std::vector<std::int64_t> sites;  // when all_sites == false
};

// An upsert from the integration API.
struct CompanyUpsert {
  std::string external_id;
  std::string name;
  std::string org_number;
  std::optional<bool> managed;
};

}  // namespace portico::access
