#pragma once

#include <string>

#include "identity/guard.h"
#include "modules/devices/device_service.h"

namespace portico::devices {

// The devices' routes. Each is a signed-in route whose service asks the policy about the device's
// company (a device the caller may not see is 404, whether named by id or by code):
//   GET   /api/v1/devices (company_id, site_id, status, q, limit ≤ 200, cursor)  services.view
//   GET   /api/v1/devices/by-code/{code}                                  services.view
//   GET   /api/v1/devices/{id}                                            services.view
//   PATCH /api/v1/devices/{id} {name?, site_id?} (site_id null: at no site)  devices.manage
//   POST  /api/v1/devices/{id}/code   a new code (the old one opens nothing)  staff (customers)
//   GET   /api/v1/devices/labels.pdf (company_id, site_id?, format? sheet | tape)
//                                     the QR labels of the company's devices   devices.manage
// A label's QR code holds `public_url` + "/d/" + the code.
void registerDeviceRoutes(identity::GuardedRoutes& routes, DeviceService& devices,
                          const std::string& public_url);

// The labels' PDF that ?company_id=&site_id=&format= ask for (API and page), as a download.
core::Result<http::Response> labelsDownload(const http::Request& r, const identity::Context& c,
                                            DeviceService& devices, const std::string& public_url);

// ?company_id=&site_id=&status=&q=&limit=&cursor= of the list (API and page).
core::Result<Filter> parseFilter(const http::Request& r);

}  // namespace portico::devices
