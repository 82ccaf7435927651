#pragma once

#include <functional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "identity/guard.h"

namespace portico::access {

using StaffHandler =
    std::function<http::Response(http::Request&, identity::Context&, const StaffRole&)>;

// Routes of the staff console. Before the handler runs, the caller must be signed in with 2FA,
// be staff of an organization (else 403) and hold `capability` there (else 403). The handler gets
// the caller's StaffRole; a record of another organization (or, for a department administrator,
// of another department) answers 404 — see Policy::staffReaches.
class StaffRoutes {
 public:
  struct Declared {
    std::string method;
    std::string pattern;
    StaffCapability capability;
  };

  StaffRoutes(identity::GuardedRoutes& routes, Policy& policy) : routes_(routes), policy_(policy) {}

  void api(const std::string& method, const std::string& pattern, StaffCapability capability,
           StaffHandler handler, http::Execution execution = http::Execution::Inline);
  // A console page; a caller without the capability gets the HTML 403 page.
  void page(const std::string& method, const std::string& pattern, StaffCapability capability,
            StaffHandler handler);

  const std::vector<Declared>& declared() const { return declared_; }
  Policy& policy() { return policy_; }

 private:
  identity::GuardedRoutes& routes_;
  Policy& policy_;
  std::vector<Declared> declared_;
};

}  // namespace portico::access
