#pragma once

#include <memory>

#include "access/policy.h"
#include "identity/guard.h"
#include "modules/service_jobs/service_job_service.h"
#include "web/views.h"

namespace portico::service_jobs {

// The service visits' pages (signed-in; the service decides what each caller sees, as for the
// API):
//   GET /jobs (company_id, site_id, device_id, status, q, cursor)  the visits at the caller's sites
//   GET /jobs/{id}                                                the visit: when, where (with a
//        link to a map of the address), who, what for, notes, time, parts and the signature
// Returns the pages' state, which must live as long as the routes.
std::shared_ptr<void> registerServiceJobPages(identity::GuardedRoutes& routes,
                                              access::Policy& policy, ServiceJobService& service,
                                              const web::Views& views);

}  // namespace portico::service_jobs
