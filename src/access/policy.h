#pragma once

#include <optional>
#include <vector>

#include "access/access_repository.h"
#include "access/company.h"
#include "identity/user.h"

namespace portico::access {

// The one authorization policy: what a principal may see and do in which company. Every handler
// that touches a company's records asks it. No caching: a removed membership is gone on the
// caller's very next request. Thread-safe.
class Policy {
 public:
  explicit Policy(AccessRepository& repo) : repo_(repo) {}

  // The companies the principal belongs to, by name.
  std::vector<CompanyAccess> companies(const identity::Principal& p);
  // The principal's access to `company`; nullopt if it may not see the company at all, which
  // callers answer with 404 (never 403: ids leak nothing).
  std::optional<CompanyAccess> company(const identity::Principal& p, core::CompanyId company);

 private:
  AccessRepository& repo_;
};

}  // namespace portico::access
