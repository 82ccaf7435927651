#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"

namespace portico::console {

struct Department {
  std::int64_t id = 0;
  std::string name;
  int customers = 0;
};

struct Agent {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> users;      // e-mails of the agent's own logins
  std::vector<std::string> customers;  // names of the customers allocated to it
};

struct PersonnelRecord {
  std::int64_t id = 0;
  std::string name;
  std::string title;
  std::string phone;
  std::optional<std::int64_t> user_id;
  std::string user_email;
};

// A login as the organization's staff see it.
struct Login {
  core::UserId id;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string status;
  std::optional<std::int64_t> last_login_at;
  int companies = 0;  // memberships in the organization's companies
};

// A staff login with the department administrator role, and the departments it administers.
struct DepartmentAdmin {
  core::UserId id;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::vector<std::int64_t> departments;
};

// A role the organization defined on top of the built-in presets.
struct OrgRole {
  std::string key;
  std::string name;
  std::vector<std::string> permissions;
};

struct Licences {
  std::optional<int> limit;
  int in_use = 0;
};

}  // namespace portico::console
