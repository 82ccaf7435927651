#include "modules/devices/device_routes.h"

#include "access/access_pages.h"
#include "core/text.h"
#include "http/download.h"
#include "http/error_response.h"
#include "modules/devices/device_json.h"

namespace portico::devices {
namespace {

using core::Error;
using core::fail;
using http::Request;
using http::Response;
using identity::Access;
using identity::Context;

core::Result<Change> parseChange(const Request& r) {
  auto body = identity::parseJsonObject(r.body);
  if (!body) return fail(body.error());
  Change c;
  for (const auto& [key, value] : body->items()) {
    if (key == "name") {
      if (!value.is_string()) return fail(Error::invalid("errors.devices.bad_name", "name"));
      c.name = value.get<std::string>();
    } else if (key == "site_id") {
      if (value.is_null()) {
        c.site_id = 0;  // at none of the company's sites
      } else if (value.is_number_integer() && value.get<std::int64_t>() > 0) {
        c.site_id = value.get<std::int64_t>();
      } else {
        return fail(Error::invalid("errors.devices.bad_site", "site_id"));
      }
    } else {
      return fail(Error::invalid("errors.devices.unknown_field", key).with("field", key));
    }
  }
  return c;
}

Response seenAnswer(const core::Result<Seen>& seen) {
  if (!seen) return http::jsonError(seen.error());
  return Response::json(200, seenToJson(*seen).dump());
}

}  // namespace

core::Result<Filter> parseFilter(const Request& r) {
  if (!r.query()) return fail(Error::invalid("errors.access.bad_query"));
  Filter f;
  auto company = access::queryNumber(r, "company_id");
  auto site = access::queryNumber(r, "site_id");
  auto limit = access::queryNumber(r, "limit", kMaxLimit);
  for (const auto* v : {&company, &site, &limit}) {
    if (!*v) return fail(v->error());
  }
  if (*company) f.company = core::CompanyId{**company};
  f.site_id = *site;
  if (*limit) f.limit = static_cast<int>(**limit);
  if (auto v = access::queryField(r, "status"); !v.empty()) {
    f.status = parseStatus(v);
    if (!f.status) return fail(Error::invalid("errors.devices.bad_status", "status"));
  }
  f.query = std::string(core::trim(access::queryField(r, "q")));
  if (auto v = access::queryField(r, "cursor"); !v.empty()) {
    f.after = parseCursor(v);
    if (!f.after) return fail(Error::invalid("errors.devices.bad_cursor", "cursor"));
  }
  return f;
}

core::Result<Response> labelsDownload(const Request& r, const Context& c, DeviceService& devices,
                                      const std::string& public_url) {
  if (!r.query()) return fail(Error::invalid("errors.access.bad_query"));
  auto company = access::queryNumber(r, "company_id");
  if (!company) return fail(company.error());
  if (!*company) return fail(Error::invalid("errors.devices.company_required", "company_id"));
  auto site = access::queryNumber(r, "site_id");
  if (!site) return fail(site.error());
  auto format = LabelFormat::Sheet;
  if (auto v = access::queryField(r, "format"); !v.empty()) {
    auto parsed = parseLabelFormat(v);
    if (!parsed) return fail(Error::invalid("errors.devices.bad_label_format", "format"));
    format = *parsed;
  }
  auto set = devices.labels(*c.principal, {core::CompanyId{**company}, *site});
  if (!set) return fail(set.error());
  if (set->devices.empty()) return fail(Error::notFound("errors.devices.no_labels"));
  return http::download(renderLabels(set->devices, format, set->vendor, public_url),
                        "application/pdf", "device-labels.pdf", "");
}

void registerDeviceRoutes(identity::GuardedRoutes& routes, DeviceService& devices,
                          const std::string& public_url) {
  routes.api(
      "GET", "/api/v1/devices/labels.pdf", Access::SignedIn,
      [&devices, public_url](Request& r, Context& c) {
        auto pdf = labelsDownload(r, c, devices, public_url);
        if (!pdf) return http::jsonError(pdf.error());
        return std::move(*pdf);
      },
      http::Execution::Worker);
  routes.api("GET", "/api/v1/devices", Access::SignedIn, [&devices](Request& r, Context& c) {
    auto f = parseFilter(r);
    if (!f) return http::jsonError(f.error());
    auto page = devices.list(*c.principal, *f);
    if (!page) return http::jsonError(page.error());
    return Response::json(200, pageToJson(*page));
  });
  routes.api("GET", "/api/v1/devices/by-code/{code}", Access::SignedIn,
             [&devices](Request& r, Context& c) {
               return seenAnswer(devices.findByCode(*c.principal, r.param("code")));
             });
  routes.api("GET", "/api/v1/devices/{id}", Access::SignedIn, [&devices](Request& r, Context& c) {
    return seenAnswer(devices.find(*c.principal, core::DeviceId{r.idParam("id")}));
  });
  routes.api("PATCH", "/api/v1/devices/{id}", Access::SignedIn, [&devices](Request& r, Context& c) {
    auto change = parseChange(r);
    if (!change) return http::jsonError(change.error());
    return seenAnswer(devices.update(*c.principal, core::DeviceId{r.idParam("id")}, *change,
                                     identity::auditActor(c)));
  });
  routes.api("POST", "/api/v1/devices/{id}/code", Access::SignedIn,
             [&devices](Request& r, Context& c) {
               return seenAnswer(devices.rotateCode(*c.principal, core::DeviceId{r.idParam("id")},
                                                    identity::auditActor(c)));
             });
}

}  // namespace portico::devices
