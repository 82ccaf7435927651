#pragma once

#include <nlohmann/json_fwd.hpp>

#include "access/company_routes.h"
#include "access/staff_routes.h"
#include "identity/guard.h"

namespace portico::app {

// The OpenAPI 3.1 document of the JSON API (GET /api/v1/openapi.json, `portico openapi`): the
// fragments in api/ (one per area: paths, schemas, examples written by hand) merged into
// api/openapi.json, then completed from how each route is declared, so that those parts cannot
// drift from the code: its `security` (a session, or an integration API key), the company
// permission (`x-permission`) or staff right (`x-staff-capability`) it needs, the error answers
// that its access rule and its parameters imply (401, 403, 404, 400), and the Idempotency-Key
// of every integration write.
// Throws std::logic_error when two fragments describe the same operation, tag or component, or
// a fragment holds something other than tags, paths, webhooks and components.
nlohmann::json openApiDocument(const identity::GuardedRoutes& routes,
                               const access::CompanyRoutes& company_routes,
                               const access::StaffRoutes& staff_routes);

}  // namespace portico::app
