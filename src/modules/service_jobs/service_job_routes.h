#pragma once

#include "identity/guard.h"
#include "modules/service_jobs/service_job_service.h"

namespace portico::service_jobs {

// The service jobs' routes for customers and staff. Each is a signed-in route whose service asks
// the policy about the job's company (a job the caller may not see is 404):
//   GET /api/v1/jobs (company_id, site_id, device_id, status, q, limit ≤ 200, cursor)
//                                                                      services.view
//   GET /api/v1/jobs/{id}                                              services.view
void registerServiceJobRoutes(identity::GuardedRoutes& routes, ServiceJobService& jobs);

// ?company_id=&site_id=&device_id=&status=&q=&limit=&cursor= of the list (API and pages).
core::Result<Filter> parseFilter(const http::Request& r);

}  // namespace portico::service_jobs
