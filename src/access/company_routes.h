#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "access/permissions.h"
#include "access/policy.h"
#include "audit/audit_log.h"
#include "identity/guard.h"

namespace portico::access {

// Writes "agent.access" to the company's audit log when `access` comes from an agent allocation:
// the customer's administrators see every visit of the agent's people, refused ones too
// (`allowed` false). Called by every company route, API and page, before its handler.
void recordAgentAccess(audit::AuditLog& audit, const http::Request& r, const identity::Context& c,
                       const CompanyAccess& access, bool allowed = true);

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

  CompanyRoutes(identity::GuardedRoutes& routes, Policy& policy, audit::AuditLog& audit)
      : routes_(routes), policy_(policy), audit_(audit) {}

  void api(const std::string& method, const std::string& pattern,
           std::optional<Permission> permission, CompanyHandler handler);

  const std::vector<Declared>& declared() const { return declared_; }

 private:
  identity::GuardedRoutes& routes_;
  Policy& policy_;
  audit::AuditLog& audit_;
  std::vector<Declared> declared_;
};

}  // namespace portico::access
