#include "access/company_routes.h"

#include <nlohmann/json.hpp>

#include "http/error_response.h"

namespace portico::access {

void recordAgentAccess(audit::AuditLog& audit, const http::Request& r, const identity::Context& c,
                       const CompanyAccess& access, bool allowed) {
  if (access.basis != Basis::Agent) return;
  audit.record({c.principal->user.id, c.origin.ip, c.origin.request_id},
               {"agent.access", std::nullopt, access.company.org_id, access.company.id,
                nlohmann::json{{"agent", access.agent_name},
                               {"method", r.method},
                               {"path", r.path},
                               {"allowed", allowed}}
                    .dump()});
}

void CompanyRoutes::api(const std::string& method, const std::string& pattern,
                        std::optional<Permission> permission, CompanyHandler handler) {
  declared_.push_back({method, pattern, permission});
  routes_.api(
      method, pattern, identity::Access::SignedIn,
      [this, permission, handler = std::move(handler)](http::Request& r, identity::Context& c) {
        std::int64_t id = r.idParam("id");
        std::optional<CompanyAccess> access;
        if (id > 0) {
          access = policy_.company(*c.principal, core::CompanyId{id});
        }
        if (!access) {
          return http::jsonError(core::Error::notFound("errors.access.no_such_company"));
        }
        if (permission && !access->can(*permission)) {
          recordAgentAccess(audit_, r, c, *access, false);
          return http::jsonError(core::Error::forbidden("errors.access.needs_permission")
                                     .with("permission", std::string(permissionName(*permission))));
        }
        recordAgentAccess(audit_, r, c, *access);
        return handler(r, c, *access);
      });
}

}  // namespace portico::access
