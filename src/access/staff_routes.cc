#include "access/staff_routes.h"

#include "http/error_response.h"

namespace portico::access {
namespace {

core::Status check(Policy& policy, const identity::Principal& p, StaffCapability capability,
                   std::optional<StaffRole>& out) {
  out = policy.staff(p);
  if (!out) return core::fail(core::Error::forbidden("errors.access.staff_only"));
  if (!Policy::staffMay(*out, capability)) {
    return core::fail(core::Error::forbidden("errors.access.staff_role_lacks")
                          .with("role", out->role)
                          .with("capability", std::string(capabilityName(capability))));
  }
  return {};
}

}  // namespace

void StaffRoutes::api(const std::string& method, const std::string& pattern,
                      StaffCapability capability, StaffHandler handler, http::Execution execution) {
  declared_.push_back({method, pattern, capability});
  routes_.api(
      method, pattern, identity::Access::SignedIn,
      [this, capability, handler = std::move(handler)](http::Request& r, identity::Context& c) {
        std::optional<StaffRole> staff;
        if (auto ok = check(policy_, *c.principal, capability, staff); !ok) {
          return http::jsonError(ok.error());
        }
        return handler(r, c, *staff);
      },
      execution);
}

void StaffRoutes::page(const std::string& method, const std::string& pattern,
                       StaffCapability capability, StaffHandler handler) {
  declared_.push_back({method, pattern, capability});
  routes_.page(
      method, pattern, identity::Access::SignedIn,
      [this, capability, handler = std::move(handler)](http::Request& r, identity::Context& c) {
        std::optional<StaffRole> staff;
        if (auto ok = check(policy_, *c.principal, capability, staff); !ok) {
          return http::errorResponse(r, ok.error());
        }
        return handler(r, c, *staff);
      });
}

}  // namespace portico::access
