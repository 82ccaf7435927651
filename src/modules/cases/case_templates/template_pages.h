#pragma once

#include <memory>

#include "access/policy.h"
#include "identity/guard.h"
#include "modules/cases/case_templates/template_service.h"
#include "web/views.h"

namespace portico::cases {

// The pages of the support inbox's templates (signed-in; 404 to anyone who does not work the
// inbox, as in the API):
//   GET  /cases/templates                       the caller's and the shared templates, by kind
//   GET  /cases/templates/new (kind), POST      write a new one
//   GET  /cases/templates/{id}, POST            change one (its owner; an admin a shared one)
//   POST /cases/templates/{id}/delete           delete one, after a confirmation
// Returns the pages' state, which must live as long as the routes.
std::shared_ptr<void> registerTemplatePages(identity::GuardedRoutes& routes, access::Policy& policy,
                                            TemplateService& templates, const web::Views& views);

}  // namespace portico::cases
