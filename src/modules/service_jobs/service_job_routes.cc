#include "modules/service_jobs/service_job_routes.h"

#include "access/access_pages.h"
#include "core/text.h"
#include "http/error_response.h"
#include "modules/service_jobs/service_job_json.h"

namespace portico::service_jobs {

using core::Error;
using core::fail;
using http::Request;
using http::Response;
using identity::Access;
using identity::Context;

core::Result<Filter> parseFilter(const Request& r) {
  if (!r.query()) return fail(Error::invalid("errors.access.bad_query"));
  Filter f;
  auto company = access::queryNumber(r, "company_id");
  auto site = access::queryNumber(r, "site_id");
  auto device = access::queryNumber(r, "device_id");
  auto limit = access::queryNumber(r, "limit", kMaxLimit);
  for (const auto* v : {&company, &site, &device, &limit}) {
    if (!*v) return fail(v->error());
  }
  if (*company) f.company = core::CompanyId{**company};
  f.site_id = *site;
  f.device_id = *device;
  if (*limit) f.limit = static_cast<int>(**limit);
  if (auto v = access::queryField(r, "status"); !v.empty()) {
    f.status = parseStatus(v);
    if (!f.status) return fail(Error::invalid("errors.service_jobs.bad_status", "status"));
  }
  f.query = std::string(core::trim(access::queryField(r, "q")));
  if (auto v = access::queryField(r, "cursor"); !v.empty()) {
    f.after = parseCursor(v);
    if (!f.after) return fail(Error::invalid("errors.service_jobs.bad_cursor", "cursor"));
  }
  return f;
}

void registerServiceJobRoutes(identity::GuardedRoutes& routes, ServiceJobService& jobs) {
  routes.api("GET", "/api/v1/jobs", Access::SignedIn, [&jobs](Request& r, Context& c) {
    auto f = parseFilter(r);
    if (!f) return http::jsonError(f.error());
    auto page = jobs.list(*c.principal, *f);
    if (!page) return http::jsonError(page.error());
    return Response::json(200, pageToJson(*page));
  });
  routes.api("GET", "/api/v1/jobs/{id}", Access::SignedIn, [&jobs](Request& r, Context& c) {
    auto seen = jobs.find(*c.principal, core::ServiceJobId{r.idParam("id")});
    if (!seen) return http::jsonError(seen.error());
    return Response::json(200, jobToJson(seen->job, true).dump());
  });
}

}  // namespace portico::service_jobs
