#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"

namespace portico::directory {

// A place of a company: devices and jobs are located at sites.
struct Site {
  std::int64_t id = 0;
  core::CompanyId company_id;
  std::optional<std::string> external_id;
  std::string name;
  std::string address;
};

// A person record of a company (site_id empty) or of one of its sites; information only, or
// linked to a login, whose site scope it then decides (see access::Policy).
struct Contact {
  std::int64_t id = 0;
  core::CompanyId company_id;
  std::optional<std::int64_t> site_id;
  std::string first_name;
  std::string last_name;
  std::string job_title;
  std::string email;
  std::string phone;
  std::optional<std::int64_t> user_id;
  std::string user_email;  // the linked login's e-mail, if linked
  std::optional<std::string> external_id;  // the ERP's id, unique per organization
};

// A site as the ERP sends it to the integration API (by external ids).
struct SiteUpsert {
  std::string external_id;
  std::string company_external_id;
  std::string name;
  std::string address;
};

// A contact as the ERP sends it to the integration API: of the company, or (with
// site_external_id) of one of its sites.
struct ContactUpsert {
  std::string external_id;
  std::string company_external_id;
  std::optional<std::string> site_external_id;
  std::string first_name;
  std::string last_name;
  std::string job_title;
  std::string email;
  std::string phone;
};

}  // namespace portico::directory
