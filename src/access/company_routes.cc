#include "access/company_routes.h"

#include "http/error_response.h"

namespace portico::access {

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
          return http::jsonError(core::Error::notFound("No such company"));
        }
        if (permission && !access->can(*permission)) {
          return http::jsonError(core::Error::forbidden("You need the permission '" +
                                                        std::string(permissionName(*permission)) +
                                                        "' in this company"));
        }
        return handler(r, c, *access);
      });
}

}  // namespace portico::access
