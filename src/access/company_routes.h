#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "access/permissions.h"
#include "access/policy.h"
#include "identity/guard.h"

namespace portico::access {

using CompanyHandler =
    std::function<http::Response(http::Request&, identity::Context&, const CompanyAccess&)>;

// Routes about one company's records: the pattern names the company as "{id}". Before the
// handler runs, the caller must be signed in with 2FA, see the company (else 404) and hold
// `permission` there (else 403; kAnyAccess: seeing the company is enough). The handler gets the
// caller's CompanyAccess for finer checks.
class CompanyRoutes {
 public:
  struct Declared {
    std::string method;
    std::string pattern;
    std::optional<Permission> permission;
  };
  static constexpr std::optional<Permission> kAnyAccess = std::nullopt;

  CompanyRoutes(identity::GuardedRoutes& routes, Policy& policy)
      : routes_(routes), policy_(policy) {}

  void api(const std::string& method, const std::string& pattern,
           std::optional<Permission> permission, CompanyHandler handler);

  const std::vector<Declared>& declared() const { return declared_; }

 private:
  identity::GuardedRoutes& routes_;
  Policy& policy_;
  std::vector<Declared> declared_;
};

}  // namespace portico::access
