#pragma once

#include <memory>

#include "access/policy.h"
#include "identity/guard.h"
#include "identity/throttle.h"
#include "modules/documents/document_service.h"
#include "web/views.h"

namespace portico::documents {

// The "My pages" pages (signed-in; the service decides what each caller sees, as for the API),
// for each kind (agreements, orders, quotes, invoices):
//   GET /{kind} (company_id, site_id, status, overdue, from, to, q, cursor)  the list across the
//        caller's companies with its filters, totals per currency and a CSV link
//   GET /{kind}.csv (the same filters)                                      the list as CSV
//   GET /{kind}/{id}                                                        the record: its
//        facts, lines, totals and history
// and GET /documents, which sends the caller to the first kind they may see. Returns the pages'
// state, which must live as long as the routes.
std::shared_ptr<void> registerDocumentPages(identity::GuardedRoutes& routes, access::Policy& policy,
                                            DocumentService& service, identity::Throttle& throttle,
                                            const web::Views& views);

}  // namespace portico::documents
