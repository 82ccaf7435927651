#pragma once

#include "identity/guard.h"
#include "modules/cases/case_templates/template_service.h"

namespace portico::cases {

// The API of the support inbox's templates. Signed-in routes whose service answers 404 to anyone
// who does not work the inbox:
//   GET    /api/v1/case-templates (kind: reply | case)
//   POST   /api/v1/case-templates {kind, name, body, subject?, priority?, category_id?, shared?}
//   GET    /api/v1/case-templates/{id}
//   PUT    /api/v1/case-templates/{id}  (the same fields; every one replaced)
//   DELETE /api/v1/case-templates/{id}
// A reply template is used with POST /api/v1/cases/{id}/comments {template_id} (case_routes.h).
void registerTemplateRoutes(identity::GuardedRoutes& routes, TemplateService& templates);

// A template from its fields as a form or a JSON body gives them (the API's and the pages' one
// reading): each a string, "" for none (category_id in decimal digits). Text is trimmed and
// checked (name ≤ 100, subject ≤ 200, body ≤ 20,000 characters); InvalidInput naming the field.
core::Result<TemplateInput> readTemplateInput(const std::string& kind, const std::string& name,
                                              const std::string& subject, const std::string& body,
                                              const std::string& priority,
                                              const std::string& category_id, bool shared);

}  // namespace portico::cases
