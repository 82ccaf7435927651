#pragma once

#include <memory>

#include "access/policy.h"
#include "identity/guard.h"
#include "modules/cases/case_service.h"
#include "modules/cases/case_templates/template_service.h"
#include "web/views.h"

namespace portico::cases {

// The support pages (signed-in; the service decides what each caller sees, as for the API):
//   GET  /cases (status, company_id, mine, cursor)  the cases across the caller's companies, or
//                                                    the staff's inbox, with counts per status
//   GET  /cases/new (template), POST /cases/new      open a case (support.open); staff may start
//                                                    from a case template
//   GET  /cases/{id} (template)                      the case: conversation, history, forms;
//                                                    staff's reply filled from a reply template
//   POST /cases/{id}/comments                        a reply, or (staff) an internal note
//   POST /cases/{id}                                 status (customer: close, reopen), and for
//                                                    staff priority and assignee
// and the templates' pages (template_pages.h). Returns the pages' state, which must live as long
// as the routes.
std::shared_ptr<void> registerCasePages(identity::GuardedRoutes& routes, access::Policy& policy,
                                        CaseService& cases, TemplateService& templates,
                                        const web::Views& views);

}  // namespace portico::cases
